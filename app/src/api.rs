//! Every HTTP call the page makes, in one place. Same `/api` URLs in development and production.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tco_engine::{Scenario, Workloads};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What one uploaded file was recognised as.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DetectedFile {
    /// File name.
    pub file: String,
    /// Format, e.g. `heroku-formation`.
    pub format: String,
    /// Apps found.
    pub apps: usize,
    /// Processes found.
    pub processes: usize,
    /// EC2 instances found.
    pub instances: usize,
    /// Lines or entries skipped.
    pub skipped: u64,
}

/// The importer's answer: the workloads and what each file was.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Imported {
    /// The normalized workloads.
    #[serde(flatten)]
    pub workloads: Workloads,
    /// Per file.
    pub detected: Vec<DetectedFile>,
}

/// The bundled sample account.
pub async fn sample() -> Result<Scenario, String> {
    let response = Request::get("/api/sample").send().await.map_err(|e| format!("cannot reach the server: {e}"))?;
    decode(response).await
}

/// Sends pasted text to the importer.
pub async fn import_text(file_name: &str, text: String, app: Option<String>) -> Result<Imported, String> {
    let mut url = format!("/api/import?filename={}", js_sys::encode_uri_component(file_name));
    if let Some(app) = app.filter(|a| !a.trim().is_empty()) {
        url.push_str(&format!("&app={}", js_sys::encode_uri_component(app.trim())));
    }
    let response = Request::post(&url)
        .header("content-type", "application/octet-stream")
        .body(text)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    decode(response).await
}

/// Uploads files as multipart, reporting the fraction sent (0..1) as it goes: fetch has no
/// upload progress, so this uses XMLHttpRequest.
pub async fn upload(
    files: Vec<web_sys::File>,
    app: Option<String>,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Imported, String> {
    let form = web_sys::FormData::new().map_err(js_error)?;
    for f in &files {
        form.append_with_blob_and_filename("file", f, &f.name()).map_err(js_error)?;
    }
    let mut url = "/api/import".to_string();
    if let Some(app) = app.filter(|a| !a.trim().is_empty()) {
        url.push_str(&format!("?app={}", js_sys::encode_uri_component(app.trim())));
    }
    let xhr = web_sys::XmlHttpRequest::new().map_err(js_error)?;
    xhr.open("POST", &url).map_err(js_error)?;
    let progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    xhr.upload().map_err(js_error)?.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
    });
    xhr.send_with_opt_form_data(Some(&form)).map_err(js_error)?;
    JsFuture::from(done).await.map_err(|_| "the upload failed: cannot reach the server".to_string())?;
    drop(progress);
    let status = xhr.status().map_err(js_error)?;
    let text = xhr.response_text().map_err(js_error)?.unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| format!("unexpected response: {e}"))
    } else {
        Err(error_message(&text, status))
    }
}

fn js_error(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

fn error_message(body: &str, status: u16) -> String {
    let body: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    body["error"]["message"].as_str().map(str::to_string).unwrap_or_else(|| format!("the server answered {status}"))
}

/// The body on success; the API's error message otherwise.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, String> {
    if response.ok() {
        return response.json::<T>().await.map_err(|e| format!("unexpected response: {e}"));
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(error_message(&text, status))
}

/// A file the server rendered from a scenario.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The name the server suggests (`Content-Disposition`), when it gives one.
    pub file_name: Option<String>,
    /// Its media type.
    pub content_type: String,
}

/// Asks the server to render the scenario's report as a file: `xlsx` or `csv`. The page cannot
/// write spreadsheets itself without a much larger bundle, so the API does it.
pub async fn export(scenario: &Scenario, format: &str) -> Result<ExportFile, String> {
    let response = Request::post(&format!("/api/estimate?format={format}"))
        .json(scenario)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    if !response.ok() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        return Err(error_message(&text, status));
    }
    let content_type = response.headers().get("content-type").unwrap_or_default();
    if content_type.starts_with("application/json") {
        return Err(format!(
            "the server answered with the JSON report, not a {format} file: it cannot export {format} yet"
        ));
    }
    let file_name = response.headers().get("content-disposition").as_deref().and_then(attachment_name);
    let bytes = response.binary().await.map_err(|e| format!("the download failed: {e}"))?;
    Ok(ExportFile { bytes, file_name, content_type })
}

/// The file name in `attachment; filename="report.xlsx"`.
fn attachment_name(disposition: &str) -> Option<String> {
    let (_, rest) = disposition.split_once("filename=")?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    (!name.is_empty()).then(|| name.to_string())
}
