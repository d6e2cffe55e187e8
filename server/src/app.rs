//! The HTTP application: the API under `/api`, the built front end everywhere else.

use crate::error::ApiError;
use crate::routes;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Builds the router; tests call it in process.
pub fn build_app(state: AppState) -> Router {
    let limit = state.body_limit_bytes;
    let front_end = match &state.dist {
        Some(dist) => {
            Router::new().fallback_service(ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html"))))
        }
        None => Router::new().fallback(not_built),
    };
    Router::new()
        .nest("/api", routes::api())
        .merge(front_end)
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        // Outside the limit layer, so its plain-text 413 becomes the API's JSON error.
        .layer(axum::middleware::map_response(move |r: Response| async move { json_413(r, limit) }))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// tower-http answers an oversized body in plain text; give it the API's error body.
fn json_413(response: Response, limit: usize) -> Response {
    let is_json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::TooLarge { limit_mib: limit / (1024 * 1024) }.into_response();
    }
    response
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><title>tco: front end not built</title>\
             <h1>The front end has not been built</h1>\
             <p>The API is up under <code>/api</code>. To build the page, run <code>./scripts/run.sh</code> \
             from the repository (it builds with Trunk, then serves), or run <code>trunk build --release</code> \
             and start <code>tco serve --dist dist</code>.</p>",
        ),
    )
}
