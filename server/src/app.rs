//! The HTTP application: the API under `/api`, the built front end everywhere else.

use crate::error::ApiError;
use crate::routes;
use crate::state::AppState;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Builds the router; tests call it in process.
pub fn build_app(state: AppState) -> Router {
    let front_end = match &state.dist {
        Some(dist) => {
            Router::new().fallback_service(ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html"))))
        }
        None => Router::new().fallback(not_built),
    };
    let timeout = state.request_timeout;
    let hardening =
        std::sync::Arc::new(crate::security::Hardening::new(state.dist.as_deref(), state.allowed_hosts.clone()));
    Router::new()
        .nest("/api", routes::api(&state))
        .merge(front_end)
        // One limit for the whole server (a per-route layer would give each route its own):
        // requests beyond it wait for a slot, inside the timeout, so a long wait is a 408.
        .layer(GlobalConcurrencyLimitLayer::new(state.max_concurrency))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        // Outside the timeout, so its empty 408 becomes the API's JSON error.
        .layer(axum::middleware::map_response(move |r: Response| async move { json_408(r, timeout) }))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(hardening, crate::security::harden))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The timeout layer answers with an empty body; give it the API's error body.
fn json_408(response: Response, timeout: Duration) -> Response {
    let is_json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::REQUEST_TIMEOUT && !is_json {
        return ApiError::TimedOut { seconds: timeout.as_secs() }.into_response();
    }
    response
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><title>tco: front end not built</title>\
             <h1>The front end has not been built</h1>\
             <p>The API is up under <code>/api</code> (documented at <a href=\"/api/docs\">/api/docs</a>). \
             To build the page, run <code>./scripts/run.sh</code> \
             from the repository (it builds with Trunk, then serves), or run <code>trunk build --release</code> \
             and start <code>tco serve --dist dist</code>.</p>",
        ),
    )
}
