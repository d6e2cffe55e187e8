use crate::error::ApiError;
use crate::sample;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use tco_engine::Scenario;

/// The bundled sample account as a scenario document.
#[utoipa::path(get, path = "/api/v1/sample", tag = "estimates",
    responses((status = 200, description = "A scenario document, `{\"name\",\"workloads\",\"assumptions\"}`", body = Object)))]
pub async fn sample(State(state): State<AppState>) -> Result<Json<Scenario>, ApiError> {
    sample::scenario(&state.catalog).map(Json).map_err(|e| ApiError::Internal(e.to_string()))
}
