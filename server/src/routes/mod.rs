//! Every endpoint in one table.
//!
//! `/api/v1/...` is the public, documented API (`/api/openapi.json`); the first release's
//! `/api/health`, `/api/sample`, `/api/import`, `/api/estimate` and `/api/catalog` stay as
//! aliases of their `/api/v1` twins.

mod catalog;
mod crosscheck;
mod estimate;
mod health;
mod import;
pub mod openapi;
mod sample;
pub mod scenarios;

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use sha2::{Digest, Sha256};
use tower_http::limit::RequestBodyLimitLayer;

/// The `/api` routes: the v1 API, the legacy aliases and the API's own description.
pub fn api(state: &AppState) -> Router<AppState> {
    Router::new()
        .nest("/v1", v1(state))
        .merge(stateless(state))
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(openapi::page))
        .fallback(|uri: axum::http::Uri| async move { ApiError::NotFound(uri.path().to_string()) })
        .layer(middleware::map_response(json_rejections))
}

/// axum's own rejections (a query string or path that does not parse, a method a path does
/// not take) are plain text; give them the API's error body, so every API error has one shape.
async fn json_rejections(response: Response) -> Response {
    let status = response.status();
    let is_json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let text = match axum::body::to_bytes(response.into_body(), 4096).await {
        Ok(bytes) if !bytes.is_empty() => String::from_utf8_lossy(&bytes).into_owned(),
        _ => status.canonical_reason().unwrap_or("bad request").to_lowercase(),
    };
    ApiError::Rejected { status, message: text }.into_response()
}

/// `/api/v1`: everything.
fn v1(state: &AppState) -> Router<AppState> {
    let scenarios = Router::new()
        .route("/scenarios", get(scenarios::list).post(scenarios::create))
        .route("/scenarios/{id}", get(scenarios::get).put(scenarios::update).delete(scenarios::delete))
        .route("/scenarios/{id}/revisions", get(scenarios::revisions))
        .route("/scenarios/{id}/revisions/{revision}", get(scenarios::revision))
        .route("/scenarios/{id}/reprice", post(scenarios::reprice))
        .route("/scenarios/{id}/share", post(scenarios::share))
        .route("/scenarios/{id}/share/{token}", axum::routing::delete(scenarios::revoke))
        .route("/scenarios/{id}/shares", get(scenarios::shares))
        .route("/scenarios/{id}/shares/{share_id}", axum::routing::delete(scenarios::revoke_by_id))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    let shared = Router::new().route("/shared/{token}", get(scenarios::shared));
    let checks = Router::new().route("/crosscheck", post(crosscheck::crosscheck));
    let regions = Router::new()
        .route("/catalog/regions", get(catalog::regions))
        .route("/catalog/regions/{region}", get(catalog::region));
    stateless(state)
        .merge(limited(regions, state.body_limit_bytes))
        .merge(limited(scenarios.merge(shared).merge(checks), state.body_limit_bytes))
        .route("/openapi.json", get(openapi::document))
        .fallback(|uri: axum::http::Uri| async move { ApiError::NotFound(uri.path().to_string()) })
}

/// The endpoints of the first release, each with its body limit: imports take the larger one.
fn stateless(state: &AppState) -> Router<AppState> {
    let imports = Router::new().route("/import", post(import::import));
    let rest = Router::new()
        .route("/health", get(health::health))
        .route("/estimate", post(estimate::estimate))
        .route("/sample", get(sample::sample))
        .route("/catalog", get(catalog::catalog));
    limited(imports, state.import_limit_bytes).merge(limited(rest, state.body_limit_bytes))
}

/// Caps request bodies at `limit` bytes, declared or streamed, with the API's JSON 413.
fn limited(routes: Router<AppState>, limit: usize) -> Router<AppState> {
    routes
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        // Outside the limit layer, so its plain-text 413 becomes the API's JSON error.
        .layer(middleware::map_response(move |r: Response| async move { json_413(r, limit) }))
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

/// With `--auth-token`, the scenario endpoints need `Authorization: Bearer TOKEN`. The
/// comparison is of digests, so its time says nothing about the token.
async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(expected) = &state.auth_token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let matches = given.is_some_and(|g| Sha256::digest(g.as_bytes()) == Sha256::digest(expected.as_bytes()));
        if !matches {
            return ApiError::Unauthorized.into_response();
        }
    }
    next.run(request).await
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
