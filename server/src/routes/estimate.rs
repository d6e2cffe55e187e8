use super::body_bytes;
use crate::error::ApiError;
use crate::import::ImportError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use tco_engine::{Report, Scenario};

/// A scenario document in, a report out.
pub async fn estimate(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Report>, ApiError> {
    let body = body_bytes(body, state.body_limit_bytes)?;
    let scenario = parse_scenario("request body", &body)?;
    Ok(Json(tco_engine::estimate(&scenario, state.catalog)?))
}

/// Parses a scenario document, naming line, column and field on failure.
pub fn parse_scenario(name: &str, bytes: &[u8]) -> Result<Scenario, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de)
        .map_err(|e| ApiError::BadRequest(ImportError::from_path_error(name, e).to_string()))
}
