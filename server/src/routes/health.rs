use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// Liveness, version and the catalog's date.
#[utoipa::path(get, path = "/api/v1/health", tag = "estimates",
    responses((status = 200, description = "`{\"status\":\"ok\",\"version\",\"catalog_as_of\",\"oldest_price_as_of\"}`",
        body = Object)))]
pub async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "catalog_as_of": state.catalog.snapshot,
        "oldest_price_as_of": state.catalog.oldest_price_as_of,
    }))
}
