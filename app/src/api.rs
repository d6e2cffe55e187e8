//! Every HTTP call the page makes, in one place. Same `/api` URLs in development and production.

use crate::saved::{
    self, Repriced, RevisionLine, SaveError, Saved, SavedSummary, ShareLine, ShareLink, SharedScenario,
};
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

/// A GET answered with JSON, or the API's error message.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, String> {
    let response = Request::get(url).send().await.map_err(|e| format!("cannot reach the server: {e}"))?;
    decode(response).await
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

/// Where the page keeps the access token a protected server (`tco serve --auth-token`) wants:
/// this tab's session storage, so it is typed once a visit and gone when the tab closes.
const TOKEN_KEY: &str = "tco.auth-token";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The access token typed into the page, if any.
pub fn auth_token() -> String {
    session_storage().and_then(|s| s.get_item(TOKEN_KEY).ok().flatten()).unwrap_or_default()
}

/// Keeps (or, when empty, forgets) the access token for the rest of the visit.
pub fn set_auth_token(token: &str) {
    if let Some(storage) = session_storage() {
        let _ = match token.trim() {
            "" => storage.remove_item(TOKEN_KEY),
            t => storage.set_item(TOKEN_KEY, t),
        };
    }
}

/// The request with `Authorization: Bearer TOKEN` when a token was typed.
fn authorized(request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    match saved::bearer(&auth_token()) {
        Some(header) => request.header("authorization", &header),
        None => request,
    }
}

/// Sends a request, mapping a network failure to a message.
async fn send(request: gloo_net::http::RequestBuilder) -> Result<Response, String> {
    authorized(request).send().await.map_err(|e| format!("cannot reach the server: {e}"))
}

/// Sends a JSON body.
async fn send_json(request: gloo_net::http::RequestBuilder, body: &impl serde::Serialize) -> Result<Response, String> {
    authorized(request)
        .json(body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| format!("cannot reach the server: {e}"))
}

/// A 2xx with no body, or the API's error message.
async fn expect_empty(response: Response) -> Result<(), String> {
    if response.ok() {
        return Ok(());
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(error_message(&text, status))
}

/// Saved scenarios, latest first.
pub async fn list_scenarios() -> Result<Vec<SavedSummary>, String> {
    #[derive(Deserialize)]
    struct List {
        scenarios: Vec<SavedSummary>,
    }
    let list: List = decode(send(Request::get("/api/v1/scenarios")).await?).await?;
    Ok(list.scenarios)
}

/// One saved scenario at its current revision.
pub async fn get_scenario(id: &str) -> Result<Saved, String> {
    decode(send(Request::get(&scenario_url(id))).await?).await
}

/// Saves a new scenario at revision 1.
pub async fn create_scenario(document: &Scenario) -> Result<Saved, String> {
    decode(send_json(Request::post("/api/v1/scenarios"), document).await?).await
}

/// Saves a new revision of `id`, edited from `revision`; 409 becomes [`SaveError::Conflict`].
pub async fn update_scenario(id: &str, revision: i64, document: &Scenario) -> Result<Saved, SaveError> {
    let body = saved::put_body(document, revision).map_err(SaveError::Other)?;
    let response = send_json(Request::put(&scenario_url(id)), &body).await.map_err(SaveError::Other)?;
    if response.status() == 409 {
        let text = response.text().await.unwrap_or_default();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        return Err(SaveError::Conflict { current: saved::conflict_revision(&body) });
    }
    decode(response).await.map_err(SaveError::Other)
}

/// Deletes a scenario with its history and share links.
pub async fn delete_scenario(id: &str) -> Result<(), String> {
    expect_empty(send(Request::delete(&scenario_url(id))).await?).await
}

/// Makes a read-only link to a scenario.
pub async fn share_scenario(id: &str) -> Result<ShareLink, String> {
    decode(send(Request::post(&format!("{}/share", scenario_url(id)))).await?).await
}

/// Revokes a share link: it answers 404 from then on.
pub async fn revoke_share(id: &str, token: &str) -> Result<(), String> {
    let url = format!("{}/share/{}", scenario_url(id), js_sys::encode_uri_component(token));
    expect_empty(send(Request::delete(&url)).await?).await
}

/// A scenario's live share links (no URLs: the server keeps only digests).
pub async fn list_shares(id: &str) -> Result<Vec<ShareLine>, String> {
    #[derive(Deserialize)]
    struct List {
        shares: Vec<ShareLine>,
    }
    let list: List = decode(send(Request::get(&format!("{}/shares", scenario_url(id)))).await?).await?;
    Ok(list.shares)
}

/// Revokes a share link by its listed id.
pub async fn revoke_share_by_id(id: &str, share_id: &str) -> Result<(), String> {
    let url = format!("{}/shares/{}", scenario_url(id), js_sys::encode_uri_component(share_id));
    expect_empty(send(Request::delete(&url)).await?).await
}

/// A scenario's saved revisions, oldest first.
pub async fn revisions(id: &str) -> Result<Vec<RevisionLine>, String> {
    #[derive(Deserialize)]
    struct List {
        revisions: Vec<RevisionLine>,
    }
    let list: List = decode(send(Request::get(&format!("{}/revisions", scenario_url(id)))).await?).await?;
    Ok(list.revisions)
}

/// One past revision as it was saved.
pub async fn get_revision(id: &str, revision: i64) -> Result<Saved, String> {
    decode(send(Request::get(&format!("{}/revisions/{revision}", scenario_url(id)))).await?).await
}

/// The scenario re-estimated on the server's current catalog beside its pinned totals.
pub async fn reprice(id: &str) -> Result<Repriced, String> {
    decode(send(Request::post(&format!("{}/reprice", scenario_url(id)))).await?).await
}

/// What a share link shows; `None` when the link was revoked or never existed (404).
pub async fn shared(token: &str) -> Result<Option<SharedScenario>, String> {
    let url = format!("/api/v1/shared/{}", js_sys::encode_uri_component(token));
    let response = send(Request::get(&url)).await?;
    if response.status() == 404 {
        return Ok(None);
    }
    decode(response).await.map(Some)
}

fn scenario_url(id: &str) -> String {
    format!("/api/v1/scenarios/{}", js_sys::encode_uri_component(id))
}

/// One usage line of a cross-check: AWS's figure beside ours (`POST /api/v1/crosscheck`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CheckedLine {
    /// The cost line it comes from.
    pub category: String,
    /// Price List service code.
    pub service_code: String,
    /// Usage type with its region prefix.
    pub usage_type: String,
    /// Operation.
    pub operation: String,
    /// Quantity per month.
    pub amount: rust_decimal::Decimal,
    /// Its unit.
    pub unit: String,
    /// AWS's cost, when AWS priced the line.
    pub aws_usd: Option<tco_engine::Usd>,
    /// Ours.
    pub ours_usd: tco_engine::Usd,
    /// The line's status at AWS.
    pub aws_status: String,
    /// Why AWS refused it.
    #[serde(default)]
    pub aws_message: Option<String>,
    /// How sure the usage type and operation are.
    pub confidence: String,
}

/// A cost line not sent, and why.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NotSent {
    /// The cost line.
    pub category: String,
    /// Why.
    pub reason: String,
    /// Ours.
    pub ours_usd: tco_engine::Usd,
}

/// AWS's Pricing Calculator's figures for one option beside ours.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Crosscheck {
    /// The rate type AWS priced at.
    pub rate_type: String,
    /// AWS's total for the lines sent.
    pub aws_monthly_usd: tco_engine::Usd,
    /// Ours for the same lines.
    pub ours_monthly_usd: tco_engine::Usd,
    /// AWS's minus ours (negative when AWS is cheaper).
    #[serde(deserialize_with = "tco_engine::money::signed")]
    pub difference_usd: tco_engine::Usd,
    /// The lines.
    pub lines: Vec<CheckedLine>,
    /// What was not sent.
    pub not_sent: Vec<NotSent>,
    /// Hours in the month.
    pub hours_per_month: u32,
    /// Things to know.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Why a cross-check failed: the API's error code (`aws_not_configured`, `aws_access_denied`, …)
/// and message.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosscheckFailure {
    /// The API's error code, or `unreachable` when the server did not answer.
    pub code: String,
    /// For people.
    pub message: String,
}

/// Asks the server to check `target`'s plan against AWS's Pricing Calculator.
pub async fn crosscheck(scenario: &Scenario, target: tco_engine::Platform) -> Result<Crosscheck, CrosscheckFailure> {
    let failure = |code: &str, message: String| CrosscheckFailure { code: code.into(), message };
    let url = format!("/api/v1/crosscheck?target={}", target.as_str());
    let response = send_json(Request::post(&url), scenario).await.map_err(|m| failure("unreachable", m))?;
    if response.ok() {
        return response
            .json::<Crosscheck>()
            .await
            .map_err(|e| failure("unexpected", format!("unexpected response: {e}")));
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let code = body["error"]["code"].as_str().unwrap_or("error").to_string();
    Err(CrosscheckFailure { code, message: error_message(&text, status) })
}
