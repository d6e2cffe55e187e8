//! What every handler shares.

use std::path::PathBuf;
use tco_engine::Catalog;

/// Shared, read-only application state.
#[derive(Clone)]
pub struct AppState {
    /// The price catalog every estimate uses.
    pub catalog: &'static Catalog,
    /// The built front end (`dist/`), if it has been built.
    pub dist: Option<PathBuf>,
    /// The largest request body accepted, bytes.
    pub body_limit_bytes: usize,
}

impl AppState {
    /// State on the embedded catalog, serving `dist` if it holds a built front end.
    pub fn new(dist: Option<PathBuf>) -> Self {
        AppState {
            catalog: crate::catalog::active().catalog,
            dist: dist.filter(|d| d.join("index.html").is_file()),
            body_limit_bytes: DEFAULT_BODY_LIMIT_BYTES,
        }
    }
}

/// 10 MiB: larger than any formation or inventory export; log files stream through the CLI.
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 10 * 1024 * 1024;
