//! The API's one error type and its JSON envelope.
//!
//! Policy: client mistakes (bad JSON, unknown sizes, oversized bodies, stale revisions) are 4xx
//! with a message that names the file, line and field; for server faults (our bugs, the
//! database) clients get only `internal error`, and the detail is logged once, here.
//!
//! The one shape: `{"error":{"status","code","message","file"?,"line"?,"field"?,"details"?}}`.

use crate::pool::PoolError;
use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;
use tco_engine::EstimateError;

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
    /// The request took longer than the server's limit.
    #[error("the request took longer than {seconds} s")]
    TimedOut {
        /// The limit, seconds.
        seconds: u64,
    },
    /// The framework refused the request before a handler saw it (a bad query string or
    /// path, a method the path does not take).
    #[error("{message}")]
    Rejected {
        /// Its status, a 4xx.
        status: StatusCode,
        /// The framework's explanation.
        message: String,
    },
    /// No such route.
    #[error("no such endpoint: {0}")]
    NotFound(String),
    /// A region the catalog has no prices for.
    #[error("region `{region}` has no prices in the catalog; it has {known}")]
    UnknownRegion {
        /// The region asked for.
        region: String,
        /// The regions it has, comma-separated.
        known: String,
    },
    /// A saved scenario or share link failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The scenario endpoints need `Authorization: Bearer TOKEN`, and it was absent or wrong.
    #[error("this endpoint needs `Authorization: Bearer TOKEN` with the server's token")]
    Unauthorized,
    /// The cross-check against AWS's Pricing Calculator failed: AWS's own errors keep their
    /// meaning (access denied, throttling, validation), never a 500.
    #[error(transparent)]
    Crosscheck(#[from] crate::crosscheck::CrosscheckError),
    /// The CPU pool is full: the client should try again shortly.
    #[error(transparent)]
    Busy(#[from] crate::pool::PoolError),
    /// The request named a `Host` the server is not configured to serve.
    #[error("this server does not serve the host `{0}`")]
    MisdirectedHost(String),
    /// A state-changing request sent by a page of another site.
    #[error("requests that change data must come from this site's own page, not from {0}")]
    ForeignOrigin(String),
    /// The server was started without a database.
    #[error("saved scenarios are not available: the server has no database")]
    NoDatabase,
    /// A fault of ours.
    #[error("internal error")]
    Internal(String),
}

/// Every error response: `{"error":{...}}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    /// What went wrong.
    pub error: ErrorBody,
}

/// The error itself.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The HTTP status, repeated.
    pub status: u16,
    /// A stable machine-readable code: `bad_request`, `import_failed`, `estimate_failed`,
    /// `limit_exceeded` (`field` and `details: {"found","limit"}` say which), `too_much_work`,
    /// `busy` (503 with `Retry-After`), `foreign_origin` (403), `misdirected_host` (421), `body_too_large`, `not_found`, `method_not_allowed`, `revision_conflict`, `unauthorized`, `no_database`,
    /// `request_timeout`, `internal`; from the cross-check `aws_not_configured`, `aws_access_denied`,
    /// `aws_throttled`, `aws_quota_exceeded`, `aws_validation`, `aws_data_unavailable`, `aws_error`,
    /// `aws_unreachable`, `aws_estimate_invalid`, `aws_timeout`, `crosscheck_failed`.
    pub code: String,
    /// For people: names the file, line and field where there are some.
    pub message: String,
    /// The uploaded file at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Its line, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The field at fault, as a path (`[1].size`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Structured detail, e.g. `{"expected_revision","current_revision"}` on a conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

impl From<crate::document::DocumentError> for ApiError {
    fn from(e: crate::document::DocumentError) -> Self {
        ApiError::BadRequest(e.to_string())
    }
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Import(_) => (StatusCode::UNPROCESSABLE_ENTITY, "import_failed"),
            ApiError::Estimate(EstimateError::Stopped) => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            ApiError::Estimate(EstimateError::Limit(_)) => (StatusCode::UNPROCESSABLE_ENTITY, "limit_exceeded"),
            ApiError::Estimate(EstimateError::TooMuchWork { .. }) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "too_much_work")
            }
            ApiError::Estimate(_) => (StatusCode::UNPROCESSABLE_ENTITY, "estimate_failed"),
            ApiError::Busy(PoolError::Busy { .. }) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Busy(PoolError::Failed(_)) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::UnknownRegion { .. } => (StatusCode::NOT_FOUND, "unknown_region"),
            ApiError::TimedOut { .. } => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            ApiError::Rejected { status, .. } => (
                *status,
                match *status {
                    StatusCode::NOT_FOUND => "not_found",
                    StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                    _ => "bad_request",
                },
            ),
            ApiError::Store(StoreError::NotFound(_)) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Store(StoreError::Conflict { .. }) => (StatusCode::CONFLICT, "revision_conflict"),
            ApiError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::NoDatabase => (StatusCode::SERVICE_UNAVAILABLE, "no_database"),
            ApiError::MisdirectedHost(_) => (StatusCode::MISDIRECTED_REQUEST, "misdirected_host"),
            ApiError::ForeignOrigin(_) => (StatusCode::FORBIDDEN, "foreign_origin"),
            ApiError::Crosscheck(e) => crosscheck_status(e.root()),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// A cross-check's failure as a status and code: the client's mistakes are 4xx, AWS's
/// refusals keep their meaning, and AWS failing or not answering is a gateway error.
fn crosscheck_status(e: &crate::crosscheck::CrosscheckError) -> (StatusCode, &'static str) {
    use crate::crosscheck::{AwsErrorKind, CrosscheckError as E};
    match e {
        E::NotConfigured(_) => (StatusCode::SERVICE_UNAVAILABLE, "aws_not_configured"),
        E::BadAccountId(_) => (StatusCode::BAD_REQUEST, "bad_request"),
        E::Estimate(_) => (StatusCode::UNPROCESSABLE_ENTITY, "estimate_failed"),
        E::Plan(_) | E::NoOption(_) | E::NothingToSend(_) => (StatusCode::UNPROCESSABLE_ENTITY, "crosscheck_failed"),
        E::Aws { kind, .. } => match kind {
            AwsErrorKind::AccessDenied => (StatusCode::FORBIDDEN, "aws_access_denied"),
            AwsErrorKind::Throttling => (StatusCode::TOO_MANY_REQUESTS, "aws_throttled"),
            AwsErrorKind::QuotaExceeded => (StatusCode::TOO_MANY_REQUESTS, "aws_quota_exceeded"),
            AwsErrorKind::Validation => (StatusCode::UNPROCESSABLE_ENTITY, "aws_validation"),
            AwsErrorKind::DataUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "aws_data_unavailable"),
            AwsErrorKind::Service => (StatusCode::BAD_GATEWAY, "aws_error"),
            AwsErrorKind::Unreachable => (StatusCode::BAD_GATEWAY, "aws_unreachable"),
        },
        E::EstimateFailed { .. } => (StatusCode::BAD_GATEWAY, "aws_estimate_invalid"),
        E::TimedOut { .. } => (StatusCode::GATEWAY_TIMEOUT, "aws_timeout"),
        E::AfterCreate { source, .. } => crosscheck_status(source),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error".to_string()
            }
            ApiError::Busy(PoolError::Failed(detail)) => {
                tracing::error!(%detail, "a pool job failed");
                "internal error".to_string()
            }
            ApiError::Store(e) if status.is_server_error() => {
                tracing::error!(detail = %e, "database error");
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        let (file, line, field) = match &self {
            ApiError::Import(e) => (Some(e.file.clone()), e.line, e.field.clone()),
            ApiError::Estimate(EstimateError::Limit(e)) => (None, None, Some(e.field.clone())),
            _ => (None, None, None),
        };
        let details = match &self {
            ApiError::Store(StoreError::Conflict { expected, current }) => {
                Some(json!({"expected_revision": expected, "current_revision": current}))
            }
            ApiError::Crosscheck(e) => crosscheck_details(e),
            ApiError::Estimate(EstimateError::Limit(e)) => Some(json!({"found": e.found, "limit": e.limit})),
            ApiError::Estimate(EstimateError::TooMuchWork { units, budget, .. }) => {
                Some(json!({"work_units": units, "budget": budget}))
            }
            _ => None,
        };
        let body = ErrorEnvelope {
            error: ErrorBody { status: status.as_u16(), code: code.into(), message, file, line, field, details },
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::Busy(PoolError::Busy { retry_after }) = &self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after.as_secs().max(1)));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// What AWS said, and what became of the workload estimate, for the page to show.
fn crosscheck_details(e: &crate::crosscheck::CrosscheckError) -> Option<serde_json::Value> {
    use crate::crosscheck::CrosscheckError as E;
    let mut details = serde_json::Map::new();
    if let E::AfterCreate { cleanup, .. } = e {
        details.insert("estimate".into(), json!(cleanup));
    }
    match e.root() {
        E::Aws { operation, code, .. } => {
            details.insert("operation".into(), json!(operation));
            details.insert("aws_code".into(), json!(code));
        }
        E::NotConfigured(_) => {
            details.insert("permissions".into(), json!(crate::crosscheck::PERMISSIONS));
        }
        _ => {}
    }
    (!details.is_empty()).then_some(serde_json::Value::Object(details))
}
