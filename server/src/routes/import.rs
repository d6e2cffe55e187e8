use super::body_bytes;
use crate::error::{ApiError, ErrorEnvelope};
use crate::import::compression::{self, Compression, DecompressError};
use crate::import::{import_files, too_many_files, Context, Format, InputFile};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tco_engine::Assumptions;

/// Query parameters of `POST /api/import`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The uploaded file's name, for messages and provenance (raw bodies only).
    filename: Option<String>,
    /// Force a format instead of detecting it, e.g. `heroku-logs`.
    from: Option<String>,
    /// The app that files without app names (logs, `heroku ps` text) belong to.
    app: Option<String>,
}

/// One file's bytes as the body, or several files as `multipart/form-data`; the normalized
/// workloads out, with what each file was recognised as. A body sent with
/// `Content-Encoding: gzip` or `zstd`, and any file that is gzip or zstd by its bytes, is
/// inflated first, never past the import limit.
#[utoipa::path(post, path = "/api/v1/import", tag = "estimates", params(ImportQuery),
    request_body(description = "A file's bytes, or several files as `multipart/form-data`; gzip or zstd (by `Content-Encoding` or by content) is inflated",
        content((String = "application/octet-stream"), (Object = "multipart/form-data"))),
    responses(
        (status = 200, description = "The import JSON plus `detected` (per file: format, apps, processes, instances, skipped)", body = Object),
        (status = 400, description = "Empty, an unknown `from`, or compressed data that does not inflate", body = ErrorEnvelope),
        (status = 413, description = "Too large, sent or once inflated", body = ErrorEnvelope),
        (status = 415, description = "A `Content-Encoding` other than gzip, zstd or identity", body = ErrorEnvelope),
        (status = 422, description = "The file cannot be imported (its file, line and field), or more files or process types than the limits allow", body = ErrorEnvelope),
    ))]
pub async fn import(
    State(state): State<AppState>,
    Query(query): Query<ImportQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    let force = match query.from.as_deref() {
        None | Some("auto") => None,
        Some(name) => Some(
            <Format as clap::ValueEnum>::from_str(name, true)
                .map_err(|_| ApiError::BadRequest(format!("unknown format `{name}` in `from`")))?,
        ),
    };
    let limit = state.import_limit_bytes;
    let encoding = match request.headers().get(CONTENT_ENCODING).map(|v| v.to_str().unwrap_or("?")) {
        None => None,
        Some(v) => Compression::from_content_encoding(v).map_err(|other| ApiError::Rejected {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: format!("Content-Encoding `{other}` is not supported: send gzip, zstd or none"),
        })?,
    };
    let is_multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    // A compressed multipart body is inflated whole (within the limit), then read as parts.
    let request = match encoding.filter(|_| is_multipart) {
        None => request,
        Some(c) => {
            let (mut parts, body) = request.into_parts();
            let bytes =
                axum::body::to_bytes(body, limit).await.map_err(|_| ApiError::TooLarge { limit_mib: mib(limit) })?;
            let inflated = state
                .cpu(move |_| compression::decompress_as(c, &bytes, limit).map_err(|e| inflate_error(e, limit)))
                .await?;
            parts.headers.remove(CONTENT_ENCODING);
            parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(inflated.len()));
            Request::from_parts(parts, Body::from(inflated))
        }
    };
    let max_files = state.import_limits.max_files;
    let files: Vec<(String, Bytes)> = if is_multipart {
        let mut multipart =
            Multipart::from_request(request, &state).await.map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let mut files = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| multipart_error(e, limit))? {
            if files.len() == max_files {
                return Err(too_many_files(max_files).into());
            }
            let name = field.file_name().or(field.name()).unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(|e| multipart_error(e, limit))?;
            files.push((name, bytes));
        }
        files
    } else {
        let body: Result<Bytes, BytesRejection> = Bytes::from_request(request, &state).await;
        let body = body_bytes(body, limit)?;
        vec![(query.filename.clone().unwrap_or_else(|| "upload".into()), body)]
    };
    if files.is_empty() {
        return Err(ApiError::BadRequest("no files in the multipart body".into()));
    }
    for (name, bytes) in &files {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadRequest(format!("{name}: the file is empty")));
        }
    }
    let limits = state.import_limits;
    let app = query.app;
    let raw_encoding = encoding.filter(|_| !is_multipart);
    let json = state
        .cpu(move |work| {
            // Every file inflates within one budget: the import limit, for the whole upload.
            let mut budget = limit;
            let mut files = files;
            for (_, bytes) in &mut files {
                if let Some(c) = raw_encoding.or_else(|| Compression::sniff(bytes)) {
                    let out = compression::decompress_as(c, bytes, budget).map_err(|e| inflate_error(e, limit))?;
                    budget -= out.len();
                    *bytes = Bytes::from(out);
                }
            }
            let assumptions = Assumptions::default();
            let ctx = Context {
                app: app.as_deref(),
                limits: crate::import::Limits { max_decompressed_bytes: limit, ..limits },
                ..Context::new(&work.catalog, &assumptions)
            };
            let inputs: Vec<InputFile> = files.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
            let imported = import_files(&inputs, ctx, force)?;
            serde_json::to_vec(&imported).map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await?;
    Ok(([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

fn mib(bytes: usize) -> usize {
    bytes / (1024 * 1024)
}

/// A bomb is 413 like any body over the limit; data that does not inflate is the client's 400.
fn inflate_error(e: DecompressError, limit: usize) -> ApiError {
    match e {
        DecompressError::TooLarge { .. } => ApiError::TooLarge { limit_mib: mib(limit) },
        DecompressError::Corrupt { .. } => ApiError::BadRequest(e.to_string()),
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError, limit: usize) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge { limit_mib: mib(limit) }
    } else {
        ApiError::BadRequest(e.body_text())
    }
}
