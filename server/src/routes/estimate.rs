use super::body_bytes;
use crate::error::{ApiError, ErrorEnvelope};
use crate::export::{render, FileFormat};
use crate::import::ImportError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tco_engine::Scenario;

/// `?format=json|csv|xlsx|html`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EstimateQuery {
    /// The response format: `json` (the default), `csv`, `xlsx` or `html` (a self-contained
    /// report to print or e-mail).
    #[param(value_type = Option<FormatName>, inline)]
    pub format: Option<String>,
}

/// The formats `format` takes (documentation only: parsed by hand so the error names them).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum FormatName {
    Json,
    Csv,
    Xlsx,
    Html,
}

/// A scenario document in, a report out: JSON, or with `?format=csv|xlsx|html` the same report
/// as a file to download (HTML: a self-contained business case, inline styles and charts, no
/// scripts).
#[utoipa::path(post, path = "/api/v1/estimate", tag = "estimates", params(EstimateQuery),
    request_body(content = tco_engine::Scenario, description = "A scenario document, `{\"name\",\"workloads\",\"assumptions\"}`"),
    responses(
        (status = 200, description = "The report (JSON), or the same as CSV, an XLSX workbook or a self-contained HTML report", content(
            (tco_engine::Report = "application/json"),
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/html"))),
        (status = 400, description = "Not a scenario document, or an unknown format", body = ErrorEnvelope),
        (status = 413, description = "Too large", body = ErrorEnvelope),
        (status = 422, description = "The scenario cannot be estimated", body = ErrorEnvelope),
    ))]
pub async fn estimate(
    State(state): State<AppState>,
    Query(query): Query<EstimateQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let format = match query.format.as_deref() {
        None => FileFormat::Json,
        Some(name) => FileFormat::parse(name).ok_or_else(|| {
            ApiError::BadRequest(format!("query parameter `format`: `{name}` is not one of json, csv, xlsx, html"))
        })?,
    };
    let body = body_bytes(body, state.body_limit_bytes)?;
    let scenario = parse_scenario("request body", &body)?;
    let catalog = state.catalog;
    // Estimating and rendering are CPU work: off the async workers.
    let (report, bytes) = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let report = tco_engine::estimate(&scenario, catalog)?;
        if format == FileFormat::Json {
            return Ok((report, Vec::new()));
        }
        let bytes = render(&report, &scenario.name, format).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok((report, bytes))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the estimate stopped: {e}")))??;
    if format == FileFormat::Json {
        return Ok(Json(report).into_response());
    }
    let disposition = format!("attachment; filename=\"tco-estimate.{}\"", format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// Parses a scenario document, naming line, column and field on failure.
pub fn parse_scenario(name: &str, bytes: &[u8]) -> Result<Scenario, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let scenario = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| ApiError::BadRequest(ImportError::from_path_error(name, e).to_string()))?;
    match super::shape::not_an_object(bytes) {
        None => Ok(scenario),
        Some("") => Err(ApiError::BadRequest(format!("{name}: expected a JSON object, a scenario document"))),
        Some(field) => Err(ApiError::BadRequest(format!("{name}: field `{field}`: expected a JSON object"))),
    }
}
