//! What every handler shares.

use crate::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tco_engine::Catalog;

/// Shared application state: read-only but for the database behind `store`.
#[derive(Clone)]
pub struct AppState {
    /// The price catalog every estimate uses.
    pub catalog: &'static Catalog,
    /// The built front end (`dist/`), if it has been built.
    pub dist: Option<PathBuf>,
    /// The largest request body accepted, bytes, except on imports.
    pub body_limit_bytes: usize,
    /// The largest import body accepted, bytes (also how far a compressed upload may inflate).
    pub import_limit_bytes: usize,
    /// Files per upload and process types per file.
    pub import_limits: crate::import::Limits,
    /// Saved scenarios and share links; without it those endpoints answer 503.
    pub store: Option<Store>,
    /// When set, the scenario endpoints need `Authorization: Bearer` with this token.
    pub auth_token: Option<Arc<str>>,
    /// Requests handled at once; more wait their turn.
    pub max_concurrency: usize,
    /// How long a request may take before it gets 408.
    pub request_timeout: Duration,
}

impl AppState {
    /// State on the active catalog, serving `dist` if it holds a built front end, with the
    /// default limits and no database.
    pub fn new(dist: Option<PathBuf>) -> Self {
        AppState {
            catalog: crate::catalog::active().catalog,
            dist: dist.filter(|d| d.join("index.html").is_file()),
            body_limit_bytes: DEFAULT_BODY_LIMIT_BYTES,
            import_limit_bytes: DEFAULT_IMPORT_LIMIT_BYTES,
            import_limits: crate::import::Limits::default(),
            store: None,
            auth_token: None,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }

    /// The same state with saved scenarios in `store`.
    pub fn with_store(mut self, store: Store) -> Self {
        self.store = Some(store);
        self
    }

    /// The store, or the error that says there is none.
    pub(crate) fn store(&self) -> Result<&Store, crate::error::ApiError> {
        self.store.as_ref().ok_or(crate::error::ApiError::NoDatabase)
    }
}

/// 10 MiB: larger than any scenario document or formation export.
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 10 * 1024 * 1024;

/// 100 MiB for imports: inventories and logs uploaded whole (the CLI streams larger logs).
pub const DEFAULT_IMPORT_LIMIT_BYTES: usize = 100 * 1024 * 1024;

/// Requests in flight at once. An estimate is CPU-bound and short, so a queue beyond the
/// cores only adds latency; this bounds memory under a flood while keeping the cores busy.
pub const DEFAULT_MAX_CONCURRENCY: usize = 256;

/// Per-request time limit.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
