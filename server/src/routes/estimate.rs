use super::body_bytes;
use crate::document::parse_scenario;
use crate::error::{ApiError, ErrorEnvelope};
use crate::export::{render, FileFormat};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

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
    // The estimate and its rendering are CPU work: on the pool, never on an async worker.
    let bytes = state
        .cpu(move |work| {
            let report = work.estimate(&scenario)?;
            match format {
                FileFormat::Json => serde_json::to_vec(&report).map_err(|e| ApiError::Internal(e.to_string())),
                _ => render(&report, &scenario.name, format).map_err(|e| ApiError::Internal(e.to_string())),
            }
        })
        .await?;
    if format == FileFormat::Json {
        return Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response());
    }
    let disposition = format!("attachment; filename=\"tco-estimate.{}\"", format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
