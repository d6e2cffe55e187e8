//! The catalog this process runs on: the embedded snapshot, or a snapshot directory given
//! with `--catalog` (env `TCO_CATALOG`). Loaded once at start-up and handed to what needs it:
//! the server's state holds it (shared by every request), the CLI's commands take it as a
//! parameter. Nothing reaches for it from elsewhere.

use std::ops::Deref;
use std::path::Path;
use tco_engine::Catalog;
use tco_pricing_data::{LoadError, Manifest, OwnedSnapshot};

/// The catalog in use and where it came from; dereferences to the [`Catalog`].
pub struct ActiveCatalog {
    /// The validated catalog.
    catalog: Source,
    /// Its manifest: per-file sources and dates.
    pub manifest: Manifest,
    /// `embedded` or the directory it was read from.
    pub origin: String,
    /// Its files as read, for the region slices the page fetches.
    pub files: OwnedSnapshot,
}

/// The embedded catalog is built once per process and shared; one read from a directory is
/// owned.
enum Source {
    Embedded(&'static Catalog),
    Read(Box<Catalog>),
}

impl ActiveCatalog {
    /// The snapshot compiled into the binary.
    pub fn embedded() -> Self {
        ActiveCatalog {
            catalog: Source::Embedded(tco_pricing_data::embedded()),
            manifest: tco_pricing_data::embedded_manifest(),
            origin: "embedded".into(),
            files: OwnedSnapshot::embedded(),
        }
    }

    /// The snapshot in `dir`, or the embedded one without a directory. A directory that does
    /// not load is an error naming the file, line and field.
    pub fn load(dir: Option<&Path>) -> Result<Self, LoadError> {
        let Some(dir) = dir else { return Ok(Self::embedded()) };
        let files = OwnedSnapshot::read_dir(dir)?;
        let (catalog, manifest) = tco_pricing_data::load_dir(dir)?;
        Ok(ActiveCatalog {
            catalog: Source::Read(Box::new(catalog)),
            manifest,
            origin: dir.display().to_string(),
            files,
        })
    }
}

impl ActiveCatalog {
    /// `catalog`, built in memory (a catalog that moved since a scenario was saved, in tests),
    /// with the embedded snapshot's manifest and files.
    pub fn in_memory(catalog: Catalog, origin: impl Into<String>) -> Self {
        ActiveCatalog { catalog: Source::Read(Box::new(catalog)), origin: origin.into(), ..Self::embedded() }
    }
}

impl Deref for ActiveCatalog {
    type Target = Catalog;

    fn deref(&self) -> &Catalog {
        match &self.catalog {
            Source::Embedded(c) => c,
            Source::Read(c) => c,
        }
    }
}
