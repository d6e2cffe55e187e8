//! Saved scenarios: create, read, update with a revision check, delete, list, re-price on the
//! current catalog, and read-only share links.

use super::body_bytes;
use crate::error::{ApiError, ErrorEnvelope};
use crate::import::ImportError;
use crate::state::AppState;
use crate::store::{Draft, StoreError, Stored};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use tco_engine::totals::Totals;
use tco_engine::Scenario;
use utoipa::ToSchema;

/// A scenario document plus what a first save carries (documentation only; the body is
/// parsed by hand so errors name the field).
// Documents the body only: `draft` reads `revision` and `notes` field by field, so each error
// names its field, then the rest as the engine's `Scenario`, which this flattens (no copy of it
// to drift).
#[derive(serde::Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct SaveScenario {
    /// Ignored on `POST`: a new scenario starts at revision 1.
    #[schema(minimum = 1)]
    revision: Option<i64>,
    /// Free text for people (default empty).
    notes: Option<String>,
    /// The scenario document: `name`, `workloads` and `assumptions`.
    #[serde(flatten)]
    document: tco_engine::Scenario,
}

/// A saved scenario at its current revision.
#[derive(Serialize, ToSchema)]
pub struct ScenarioView {
    /// Random and URL-safe.
    pub id: String,
    /// The document's name.
    pub name: String,
    /// Free text.
    pub notes: String,
    /// Starts at 1; each save adds one. Send it back with a `PUT`.
    pub revision: i64,
    /// The catalog snapshot the report was computed with: reopening shows these numbers.
    pub catalog_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// The scenario document, `{"name","workloads","assumptions"}`, as `tco estimate --scenario` reads it.
    #[schema(value_type = tco_engine::Scenario)]
    pub document: Value,
    /// The report computed when it was saved (the same shape as `POST /api/v1/estimate`'s).
    #[schema(value_type = tco_engine::Report)]
    pub report: Value,
}

impl ScenarioView {
    fn from_stored(s: Stored) -> Result<Self, ApiError> {
        let parse = |what: &str, text: &str| {
            serde_json::from_str(text).map_err(|e| ApiError::Internal(format!("stored {what} of {}: {e}", s.id)))
        };
        Ok(ScenarioView {
            document: parse("document", &s.draft.document)?,
            report: parse("report", &s.draft.report)?,
            id: s.id,
            name: s.draft.name,
            notes: s.draft.notes,
            revision: s.revision,
            catalog_version: s.draft.catalog_version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
    }
}

/// A line of the list.
#[derive(Serialize, ToSchema)]
pub struct ScenarioSummary {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The current revision.
    pub revision: i64,
    /// The catalog its report was computed with.
    pub catalog_version: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// The saved scenarios, most recently saved first.
#[derive(Serialize, ToSchema)]
pub struct ScenarioList {
    /// One line each.
    pub scenarios: Vec<ScenarioSummary>,
}

/// The whole document again, with the revision the edit started from (documentation only).
// Documents the body only: `draft` reads `revision` and `notes` field by field, so each error
// names its field, then the rest as the engine's `Scenario`, which this flattens (no copy of it
// to drift).
#[derive(serde::Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct UpdateScenario {
    /// The revision the edit started from. A stale one gets 409.
    #[schema(minimum = 1)]
    revision: i64,
    /// Free text for people (default empty).
    notes: Option<String>,
    /// The scenario document: `name`, `workloads` and `assumptions`.
    #[serde(flatten)]
    document: tco_engine::Scenario,
}

/// A scenario's history.
#[derive(Serialize, ToSchema)]
pub struct RevisionList {
    /// Oldest first.
    pub revisions: Vec<RevisionSummary>,
}

/// One saved revision.
#[derive(Serialize, ToSchema)]
pub struct RevisionSummary {
    /// The number.
    pub revision: i64,
    /// The name it was saved under.
    pub name: String,
    /// The catalog its report was computed with.
    pub catalog_version: String,
    /// RFC 3339, UTC.
    pub saved_at: String,
}

/// The scenario re-estimated on the current catalog beside its pinned report. Nothing is
/// saved: `PUT` the document to keep the new numbers.
#[derive(Serialize, ToSchema)]
pub struct Repriced {
    /// The scenario.
    pub id: String,
    /// Its revision.
    pub revision: i64,
    /// The catalog the saved report used.
    pub pinned_catalog_version: String,
    /// The catalog the server runs on now.
    pub current_catalog_version: String,
    /// Whether any monthly total moved.
    pub changed: bool,
    /// Today's platform (Heroku or EC2), then each AWS option, by monthly total.
    pub differences: Vec<Difference>,
    /// The new report.
    #[schema(value_type = tco_engine::Report)]
    pub report: Value,
}

/// One monthly total, pinned and now.
#[derive(Serialize, ToSchema)]
pub struct Difference {
    /// `current` for today's bill, else the option's platform (`ecs-ec2`, ...).
    pub option: String,
    /// The option's label.
    pub label: String,
    /// USD a month in the saved report (absent if the option is new).
    #[schema(value_type = Option<f64>)]
    pub pinned_monthly_usd: Option<Decimal>,
    /// USD a month on the current catalog (absent if the option is gone).
    #[schema(value_type = Option<f64>)]
    pub current_monthly_usd: Option<Decimal>,
    /// Current less pinned, USD a month.
    #[schema(value_type = Option<f64>)]
    pub change_usd: Option<Decimal>,
}

/// A new share link.
#[derive(Serialize, ToSchema)]
pub struct ShareLink {
    /// 256 random bits, base64url. Shown once: the server keeps only its digest.
    pub token: String,
    /// The page that shows the scenario read-only (relative to the server).
    pub url: String,
    /// The same, as JSON.
    pub api_url: String,
    /// The link's id, as `GET .../shares` lists it and `DELETE .../shares/{share_id}` takes it.
    pub id: String,
    /// The token's first characters, as the list shows them.
    pub token_prefix: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// A scenario's live share links. Their URLs cannot be listed: the server keeps only each
/// token's digest, so a lost link is revoked and a new one made.
#[derive(Serialize, ToSchema)]
pub struct ShareList {
    /// Oldest first.
    pub shares: Vec<ShareSummary>,
}

/// One live share link.
#[derive(Serialize, ToSchema)]
pub struct ShareSummary {
    /// The link's id: revoke it with `DELETE /api/v1/scenarios/{id}/shares/{share_id}`.
    pub id: String,
    /// The token's first six characters, to tell links apart; `null` for links made before
    /// they were kept.
    pub token_prefix: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// What a share link shows: no id, nothing to edit with.
#[derive(Serialize, ToSchema)]
pub struct SharedView {
    /// The name.
    pub name: String,
    /// The notes.
    pub notes: String,
    /// The revision shown.
    pub revision: i64,
    /// The catalog the report was computed with.
    pub catalog_version: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// The scenario document.
    #[schema(value_type = tco_engine::Scenario)]
    pub document: Value,
    /// The pinned report.
    #[schema(value_type = tco_engine::Report)]
    pub report: Value,
}

/// Parses a save: a scenario document with optional `notes` and `revision`; the document is
/// checked field by field and estimated on the current catalog, within the estimate limits, on
/// the CPU pool.
async fn draft(state: &AppState, bytes: &[u8]) -> Result<(Option<i64>, Draft), ApiError> {
    let mut object: Map<String, Value> = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest(format!("request body: line {}, column {}: {e}", e.line(), e.column())))?;
    let revision = match object.remove("revision") {
        None | Some(Value::Null) => None,
        Some(v) => Some(revision_number(&v).ok_or_else(|| {
            ApiError::BadRequest(format!("field `revision`: expected a revision number (1 or more), got {v}"))
        })?),
    };
    let notes = match object.remove("notes") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(v) => return Err(ApiError::BadRequest(format!("field `notes`: expected a string, got {v}"))),
    };
    // serde would read a struct from an array of its fields; the document says objects.
    if let Some(part) = ["workloads", "assumptions"]
        .into_iter()
        .find(|p| object.get(*p).is_some_and(|v| !v.is_object() && !v.is_null()))
    {
        return Err(ApiError::BadRequest(format!("field `{part}`: expected a JSON object")));
    }
    let scenario: Scenario = serde_path_to_error::deserialize(Value::Object(object))
        .map_err(|e| ApiError::BadRequest(ImportError::from_path_error("request body", e).to_string()))?;
    let catalog_version = state.catalog.snapshot.clone();
    let draft = state
        .cpu(move |work| {
            let report = work.estimate(&scenario)?;
            Ok(Draft {
                name: scenario.name.clone(),
                notes,
                document: to_json(&scenario)?,
                catalog_version,
                report: to_json(&report)?,
            })
        })
        .await?;
    Ok((revision, draft))
}

/// A revision: a whole number, 1 or more. `2.0` is one too, as JSON Schema's `integer` says
/// and as some clients write numbers.
fn revision_number(v: &Value) -> Option<i64> {
    let whole = |f: f64| (f.fract() == 0.0 && (1.0..9.2e18).contains(&f)).then_some(f as i64);
    v.as_i64().or_else(|| v.as_f64().and_then(whole)).filter(|r| *r >= 1)
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Save a new scenario.
#[utoipa::path(post, path = "/api/v1/scenarios", tag = "scenarios",
    request_body(content = SaveScenario, description = "A scenario document, optionally with `notes`."),
    responses(
        (status = 201, description = "Saved at revision 1, with its report on the current catalog.", body = ScenarioView,
            headers(("location" = String, description = "The scenario's URL"))),
        (status = 400, description = "Not a scenario document", body = ErrorEnvelope),
        (status = 401, description = "A token is needed", body = ErrorEnvelope),
        (status = 413, description = "Too large", body = ErrorEnvelope),
        (status = 422, description = "The scenario cannot be estimated", body = ErrorEnvelope),
    ),
    security((), ("bearer" = [])))]
pub async fn create(State(state): State<AppState>, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let store = state.store()?;
    let body = body_bytes(body, state.body_limit_bytes)?;
    let (_, draft) = draft(&state, &body).await?;
    let view = ScenarioView::from_stored(store.create(draft).await?)?;
    let location = format!("/api/v1/scenarios/{}", view.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(view)).into_response())
}

/// List saved scenarios.
#[utoipa::path(get, path = "/api/v1/scenarios", tag = "scenarios",
    responses((status = 200, body = ScenarioList), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn list(State(state): State<AppState>) -> Result<Json<ScenarioList>, ApiError> {
    let scenarios = state
        .store()?
        .list()
        .await?
        .into_iter()
        .map(|s| ScenarioSummary {
            id: s.id,
            name: s.name,
            revision: s.revision,
            catalog_version: s.catalog_version,
            updated_at: s.updated_at,
        })
        .collect();
    Ok(Json(ScenarioList { scenarios }))
}

/// A saved scenario: its document, revision, pinned catalog version and the report as saved.
#[utoipa::path(get, path = "/api/v1/scenarios/{id}", tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id")),
    responses((status = 200, body = ScenarioView), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ScenarioView>, ApiError> {
    Ok(Json(ScenarioView::from_stored(state.store()?.get(&id).await?)?))
}

/// Save a new revision: the body carries the `revision` it was edited from; the report is
/// recomputed on the current catalog.
#[utoipa::path(put, path = "/api/v1/scenarios/{id}", tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id")),
    request_body(content = UpdateScenario, description = "The whole document, with `revision`."),
    responses(
        (status = 200, description = "Saved at `revision + 1`", body = ScenarioView),
        (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 409, description = "The revision is stale: someone saved since; `details` has the current one", body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    ),
    security((), ("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ScenarioView>, ApiError> {
    let store = state.store()?;
    let body = body_bytes(body, state.body_limit_bytes)?;
    let (revision, draft) = draft(&state, &body).await?;
    let revision = revision.ok_or_else(|| {
        ApiError::BadRequest("field `revision`: required, the revision this edit started from".into())
    })?;
    Ok(Json(ScenarioView::from_stored(store.update(&id, revision, draft).await?)?))
}

/// Delete a scenario, its history and its share links.
#[utoipa::path(delete, path = "/api/v1/scenarios/{id}", tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    state.store()?.delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A scenario's saved revisions.
#[utoipa::path(get, path = "/api/v1/scenarios/{id}/revisions", tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id")),
    responses((status = 200, body = RevisionList), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn revisions(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<RevisionList>, ApiError> {
    let revisions = state
        .store()?
        .revisions(&id)
        .await?
        .into_iter()
        .map(|r| RevisionSummary {
            revision: r.revision,
            name: r.name,
            catalog_version: r.catalog_version,
            saved_at: r.saved_at,
        })
        .collect();
    Ok(Json(RevisionList { revisions }))
}

/// One saved revision, read-only: its document and the report pinned then. `updated_at` is
/// when that revision was saved.
#[utoipa::path(get, path = "/api/v1/scenarios/{id}/revisions/{revision}", tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id"),
        ("revision" = i64, Path, minimum = 1, description = "The revision's number")),
    responses((status = 200, body = ScenarioView), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn revision(
    State(state): State<AppState>,
    Path((id, revision)): Path<(String, String)>,
) -> Result<Json<ScenarioView>, ApiError> {
    // Parsed here rather than by axum, so a bad number is a 404 like any other missing revision.
    let revision = revision.parse::<i64>().map_err(|_| ApiError::Store(StoreError::NotFound("revision")))?;
    Ok(Json(ScenarioView::from_stored(state.store()?.revision(&id, revision).await?)?))
}

/// Re-estimate a saved scenario on the current catalog and list how each monthly total moved.
/// Nothing is saved.
#[utoipa::path(post, path = "/api/v1/scenarios/{id}/reprice", tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id")),
    responses(
        (status = 200, body = Repriced),
        (status = 404, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "The current catalog cannot estimate it", body = ErrorEnvelope),
    ),
    security((), ("bearer" = [])))]
pub async fn reprice(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Repriced>, ApiError> {
    let stored = state.store()?.get(&id).await?;
    let scenario: Scenario = serde_json::from_str(&stored.draft.document)
        .map_err(|e| ApiError::Internal(format!("stored document of {id}: {e}")))?;
    let pinned: Totals = serde_json::from_str(&stored.draft.report)
        .map_err(|e| ApiError::Internal(format!("stored report of {id}: {e}")))?;
    // Re-estimating is CPU work: on the pool, within the limits and the request's deadline.
    let (differences, report) = state
        .cpu(move |work| {
            let estimate = work.estimate(&scenario)?;
            let differences = differences(&pinned, &Totals::of(&estimate));
            let report = serde_json::to_value(estimate).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok((differences, report))
        })
        .await?;
    Ok(Json(Repriced {
        id: stored.id,
        revision: stored.revision,
        pinned_catalog_version: stored.draft.catalog_version,
        current_catalog_version: state.catalog.snapshot.clone(),
        changed: differences.iter().any(|d| d.change_usd != Some(Decimal::ZERO)),
        differences,
        report,
    }))
}

/// Today's total, then each option's, matched by platform, from two reports' totals.
fn differences(pinned: &Totals, now: &Totals) -> Vec<Difference> {
    pinned
        .compare(now)
        .into_iter()
        .map(|row| Difference {
            pinned_monthly_usd: row.before.map(|f| f.monthly_usd.amount()),
            current_monthly_usd: row.after.map(|f| f.monthly_usd.amount()),
            change_usd: row.change_usd().map(|c| c.amount()),
            option: row.option,
            label: row.label,
        })
        .collect()
}

/// Make a read-only link to the scenario.
#[utoipa::path(post, path = "/api/v1/scenarios/{id}/share", tag = "share links",
    params(("id" = String, Path, description = "The scenario's id")),
    responses((status = 201, body = ShareLink), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn share(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (token, share) = state.store()?.share(&id).await?;
    let link = ShareLink {
        url: format!("/shared/{token}"),
        api_url: format!("/api/v1/shared/{token}"),
        token,
        id: share.id,
        token_prefix: share.token_prefix.unwrap_or_default(),
        created_at: share.created_at,
    };
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

/// A scenario's live share links: id, creation time and the token's first characters.
#[utoipa::path(get, path = "/api/v1/scenarios/{id}/shares", tag = "share links",
    params(("id" = String, Path, description = "The scenario's id")),
    responses((status = 200, body = ShareList), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn shares(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ShareList>, ApiError> {
    let shares = state
        .store()?
        .shares(&id)
        .await?
        .into_iter()
        .map(|s| ShareSummary { id: s.id, token_prefix: s.token_prefix, created_at: s.created_at })
        .collect();
    Ok(Json(ShareList { shares }))
}

/// Revoke a share link by its id, as listed; it answers 404 from then on.
#[utoipa::path(delete, path = "/api/v1/scenarios/{id}/shares/{share_id}", tag = "share links",
    params(("id" = String, Path, description = "The scenario's id"), ("share_id" = String, Path, description = "The link's id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn revoke_by_id(
    State(state): State<AppState>,
    Path((id, share_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.store()?.revoke_by_id(&id, &share_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revoke a share link; it answers 404 from then on.
#[utoipa::path(delete, path = "/api/v1/scenarios/{id}/share/{token}", tag = "share links",
    params(("id" = String, Path, description = "The scenario's id"), ("token" = String, Path, description = "The link's token")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Path((id, token)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.store()?.revoke(&id, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a share link shows: the document and its pinned report, read-only.
#[utoipa::path(get, path = "/api/v1/shared/{token}", tag = "share links",
    params(("token" = String, Path, description = "The link's token")),
    responses((status = 200, body = SharedView), (status = 404, description = "No such link, or revoked", body = ErrorEnvelope)))]
pub async fn shared(State(state): State<AppState>, Path(token): Path<String>) -> Result<Json<SharedView>, ApiError> {
    let view = ScenarioView::from_stored(state.store()?.shared(&token).await?)?;
    Ok(Json(SharedView {
        name: view.name,
        notes: view.notes,
        revision: view.revision,
        catalog_version: view.catalog_version,
        updated_at: view.updated_at,
        document: view.document,
        report: view.report,
    }))
}
