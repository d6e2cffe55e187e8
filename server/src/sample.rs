//! The bundled sample: a realistic Heroku account the app opens on.

use crate::import::{import_file, Context, ImportError, InputFile};
use tco_engine::{Assumptions, Catalog, Scenario};

/// The sample's file name.
pub const FILE_NAME: &str = "heroku-formation.json";

/// The sample formation, as `GET /apps/{app}/formation` returns it for three apps.
pub const FORMATION: &str = include_str!("../samples/heroku-formation.json");

/// The sample as a scenario with default assumptions.
pub fn scenario(catalog: &Catalog) -> Result<Scenario, ImportError> {
    let assumptions = Assumptions::default();
    let (_, workloads) = import_file(
        InputFile { name: FILE_NAME, bytes: FORMATION.as_bytes() },
        Context::new(catalog, &assumptions),
        None,
    )?;
    Ok(Scenario { name: "Sample: a clinical platform on Heroku".into(), workloads, assumptions })
}
