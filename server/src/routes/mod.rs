//! Every endpoint in one table.

mod catalog;
mod estimate;
pub use estimate::parse_scenario as estimate_parse;
mod health;
mod import;
mod sample;

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;

/// The `/api` routes.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/estimate", post(estimate::estimate))
        .route("/import", post(import::import))
        .route("/sample", get(sample::sample))
        .route("/catalog", get(catalog::catalog))
        .fallback(|uri: axum::http::Uri| async move { ApiError::NotFound(uri.path().to_string()) })
}

/// The body as bytes, or the one error body for oversized and unreadable requests.
pub(crate) fn body_bytes(body: Result<Bytes, BytesRejection>, limit_bytes: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge { limit_mib: limit_bytes / (1024 * 1024) }
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })
}
