//! Importers: files as Heroku and AWS produce them, into the one workload model.
//!
//! Each importer takes the file's name and bytes and returns workloads or an error that names
//! the file, line and field. Detection looks at the content, never only at the file name.

mod error;
mod formation;

pub use error::ImportError;

use serde::Serialize;
use tco_engine::{Assumptions, Catalog, Workloads};

/// The formats the importers recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `GET /apps/{app}/formation`: an array of process types, possibly several apps' concatenated.
    HerokuFormation,
    /// One JSON object mapping app names to their formation arrays.
    HerokuFormationMap,
    /// This tool's own import JSON.
    ImportJson,
}

/// One file to import.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    /// Its name, for messages and provenance.
    pub name: &'a str,
    /// Its content.
    pub bytes: &'a [u8],
}

/// What one file was recognised as.
#[derive(Debug, Clone, Serialize)]
pub struct Detected {
    /// File name.
    pub file: String,
    /// Format.
    pub format: Format,
}

/// The import JSON plus what each file was recognised as.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// The normalized workloads (the import JSON contract).
    #[serde(flatten)]
    pub workloads: Workloads,
    /// Each file's detected format.
    pub detected: Vec<Detected>,
}

/// Imports several files into one set of workloads; apps with the same name merge.
pub fn import_files(
    files: &[InputFile<'_>],
    catalog: &Catalog,
    assumptions: &Assumptions,
) -> Result<Imported, ImportError> {
    let mut workloads = Workloads::default();
    let mut detected = Vec::new();
    for file in files {
        let (format, one) = import_file(*file, catalog, assumptions)?;
        detected.push(Detected { file: file.name.to_string(), format });
        merge(&mut workloads, one);
    }
    Ok(Imported { workloads, detected })
}

/// Imports one file, detecting its format.
pub fn import_file(
    file: InputFile<'_>,
    catalog: &Catalog,
    assumptions: &Assumptions,
) -> Result<(Format, Workloads), ImportError> {
    let text = std::str::from_utf8(file.bytes).map_err(|e| {
        let line = file.bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        ImportError::at(file.name, Some(line), None, "the file is not UTF-8 text")
    })?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ImportError::from_json(file.name, None, &e, "not valid JSON"))?;
    match &value {
        serde_json::Value::Array(items) => {
            if items.iter().all(formation::looks_like_entry) {
                Ok((Format::HerokuFormation, formation::import_array(file.name, text, catalog, assumptions)?))
            } else {
                Err(ImportError::at(file.name, None, None, UNRECOGNISED))
            }
        }
        serde_json::Value::Object(map) if looks_like_import_json(map) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let w: Workloads =
                serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file.name, e))?;
            Ok((Format::ImportJson, w))
        }
        serde_json::Value::Object(map)
            if !map.is_empty()
                && map.values().all(|v| v.as_array().is_some_and(|a| a.iter().all(formation::looks_like_entry))) =>
        {
            Ok((Format::HerokuFormationMap, formation::import_map(file.name, text, catalog, assumptions)?))
        }
        _ => Err(ImportError::at(file.name, None, None, UNRECOGNISED)),
    }
}

/// This tool's import JSON: an `apps` array of objects that carry `processes`.
fn looks_like_import_json(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.get("apps")
        .and_then(|v| v.as_array())
        .is_some_and(|apps| apps.iter().all(|a| a.get("processes").is_some() || a.get("addons").is_some()))
}

const UNRECOGNISED: &str = "unrecognised format: expected a Heroku formation (a JSON array of objects with `type`, `quantity` and `size`, as `GET /apps/{app}/formation` returns), an object mapping app names to formations, or this tool's import JSON";

/// Adds `other` into `into`, merging apps by name.
pub fn merge(into: &mut Workloads, other: Workloads) {
    for app in other.apps {
        match into.apps.iter_mut().find(|a| a.name == app.name) {
            Some(existing) => {
                existing.processes.extend(app.processes);
                existing.addons.extend(app.addons);
            }
            None => into.apps.push(app),
        }
    }
    into.instances.extend(other.instances);
    into.current_monthly_usd += other.current_monthly_usd;
    into.warnings.extend(other.warnings);
}
