use super::body_bytes;
use crate::error::{ApiError, ErrorEnvelope};
use crate::import::{import_files, Context, Format, Imported, InputFile};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::Json;
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
/// workloads out, with what each file was recognised as.
#[utoipa::path(post, path = "/api/v1/import", tag = "estimates", params(ImportQuery),
    request_body(description = "A file's bytes, or several files as `multipart/form-data`",
        content((String = "application/octet-stream"), (Object = "multipart/form-data"))),
    responses(
        (status = 200, description = "The import JSON plus `detected` (per file: format, apps, processes, instances, skipped)", body = Object),
        (status = 400, description = "Empty, or an unknown `from`", body = ErrorEnvelope),
        (status = 413, description = "Too large", body = ErrorEnvelope),
        (status = 422, description = "The file cannot be imported: its file, line and field", body = ErrorEnvelope),
    ))]
pub async fn import(
    State(state): State<AppState>,
    Query(query): Query<ImportQuery>,
    request: Request,
) -> Result<Json<Imported>, ApiError> {
    let force = match query.from.as_deref() {
        None | Some("auto") => None,
        Some(name) => Some(
            <Format as clap::ValueEnum>::from_str(name, true)
                .map_err(|_| ApiError::BadRequest(format!("unknown format `{name}` in `from`")))?,
        ),
    };
    let is_multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let files: Vec<(String, Bytes)> = if is_multipart {
        let mut multipart =
            Multipart::from_request(request, &state).await.map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let mut files = Vec::new();
        while let Some(field) =
            multipart.next_field().await.map_err(|e| multipart_error(e, state.import_limit_bytes))?
        {
            let name = field.file_name().or(field.name()).unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(|e| multipart_error(e, state.import_limit_bytes))?;
            files.push((name, bytes));
        }
        files
    } else {
        let body: Result<Bytes, BytesRejection> = Bytes::from_request(request, &state).await;
        let body = body_bytes(body, state.import_limit_bytes)?;
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
    let assumptions = Assumptions::default();
    let ctx = Context { catalog: state.catalog, assumptions: &assumptions, app: query.app.as_deref() };
    let inputs: Vec<InputFile> = files.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    Ok(Json(import_files(&inputs, ctx, force)?))
}

fn multipart_error(e: axum::extract::multipart::MultipartError, limit: usize) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge { limit_mib: limit / (1024 * 1024) }
    } else {
        ApiError::BadRequest(e.body_text())
    }
}
