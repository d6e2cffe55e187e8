use super::body_bytes;
use crate::error::ApiError;
use crate::import::{import_files, Imported, InputFile};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use tco_engine::Assumptions;

/// Query parameters of `POST /api/import`.
#[derive(Deserialize)]
pub struct ImportQuery {
    /// The uploaded file's name, for messages and provenance.
    filename: Option<String>,
}

/// A file's bytes in, the normalized workloads out, with the detected format.
pub async fn import(
    State(state): State<AppState>,
    Query(query): Query<ImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Imported>, ApiError> {
    let body = body_bytes(body, state.body_limit_bytes)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest("the request body is empty: send the file's content".into()));
    }
    let name = query.filename.unwrap_or_else(|| "upload".into());
    let files = [InputFile { name: &name, bytes: &body }];
    Ok(Json(import_files(&files, state.catalog, &Assumptions::default())?))
}
