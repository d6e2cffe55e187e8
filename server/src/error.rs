//! The API's one error type and its JSON envelope.
//!
//! Policy: client mistakes (bad JSON, unknown sizes, oversized bodies) are 4xx with a message
//! that names the file, line and field; nothing else is sent for server faults, which are
//! logged once here with their detail.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request body is not what the endpoint takes.
    #[error("{0}")]
    BadRequest(String),
    /// A file could not be imported.
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// The scenario cannot be estimated.
    #[error(transparent)]
    Estimate(#[from] tco_engine::EstimateError),
    /// The body is over the limit.
    #[error("the request body is larger than the {limit_mib} MiB limit")]
    TooLarge {
        /// The limit, MiB.
        limit_mib: usize,
    },
    /// No such route.
    #[error("no such endpoint: {0}")]
    NotFound(String),
    /// A fault of ours.
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    status: u16,
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Import(_) => (StatusCode::UNPROCESSABLE_ENTITY, "import_failed"),
            ApiError::Estimate(_) => (StatusCode::UNPROCESSABLE_ENTITY, "estimate_failed"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let (file, line, field) = match &self {
            ApiError::Import(e) => (Some(e.file.as_str()), e.line, e.field.as_deref()),
            _ => (None, None, None),
        };
        let body =
            Envelope { error: Body { status: status.as_u16(), code, message: self.to_string(), file, line, field } };
        (status, Json(body)).into_response()
    }
}
