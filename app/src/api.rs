//! Every HTTP call the page makes, in one place. Same `/api` URLs in development and production.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use tco_engine::{Scenario, Workloads};

/// The bundled sample account.
pub async fn sample() -> Result<Scenario, String> {
    let response = Request::get("/api/sample").send().await.map_err(|e| format!("cannot reach the server: {e}"))?;
    decode(response).await
}

/// Sends a file's text to the importer; returns the normalized workloads.
pub async fn import(file_name: &str, text: String) -> Result<Workloads, String> {
    let url = format!("/api/import?filename={}", js_sys::encode_uri_component(file_name));
    let response = Request::post(&url)
        .header("content-type", "application/octet-stream")
        .body(text)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    decode(response).await
}

/// The body on success; the API's error message otherwise.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, String> {
    if response.ok() {
        return response.json::<T>().await.map_err(|e| format!("unexpected response: {e}"));
    }
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    Err(body["error"]["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("the server answered {status}")))
}
