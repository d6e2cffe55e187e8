//! The catalog this process runs on: the embedded snapshot, or a snapshot directory given
//! with `--catalog` (env `TCO_CATALOG`). Chosen once at start-up.

use std::path::Path;
use std::sync::OnceLock;
use tco_engine::Catalog;
use tco_pricing_data::{LoadError, Manifest, OwnedSnapshot};

/// The catalog in use and where it came from.
pub struct ActiveCatalog {
    /// The validated catalog.
    pub catalog: &'static Catalog,
    /// Its manifest: per-file sources and dates.
    pub manifest: Manifest,
    /// `embedded` or the directory it was read from.
    pub origin: String,
    /// Its files as read, for the region slices the page fetches.
    pub files: OwnedSnapshot,
}

static ACTIVE: OnceLock<ActiveCatalog> = OnceLock::new();

/// Chooses the catalog; the first call wins. A directory that does not load is an error
/// naming the file, line and field.
pub fn init(dir: Option<&Path>) -> Result<&'static ActiveCatalog, LoadError> {
    if let Some(active) = ACTIVE.get() {
        return Ok(active);
    }
    let active = match dir {
        None => embedded(),
        Some(dir) => {
            let files = OwnedSnapshot::read_dir(dir)?;
            let (catalog, manifest) = tco_pricing_data::load_dir(dir)?;
            ActiveCatalog { catalog: Box::leak(Box::new(catalog)), manifest, origin: dir.display().to_string(), files }
        }
    };
    Ok(ACTIVE.get_or_init(|| active))
}

fn embedded() -> ActiveCatalog {
    ActiveCatalog {
        catalog: tco_pricing_data::embedded(),
        manifest: tco_pricing_data::embedded_manifest(),
        origin: "embedded".into(),
        files: OwnedSnapshot::embedded(),
    }
}

/// The catalog in use (the embedded one unless `init` chose another).
pub fn active() -> &'static ActiveCatalog {
    ACTIVE.get_or_init(embedded)
}
