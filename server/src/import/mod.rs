//! Importers: files as Heroku and AWS produce them, into the one workload model.
//!
//! Each importer takes the file's name and content and returns workloads, or an error that
//! names the file, line and field. The format is detected from the content (never only from
//! the file name) unless the caller forces one. Text formats that can be huge (logs) stream
//! from a reader in bounded memory; JSON documents are read whole, within the body limit.

mod addons;
mod apps;
mod cloudwatch;
mod csv_template;
mod cur;
mod detect;
mod dyno_sizes;
mod dynos;
mod ec2;
mod error;
mod formation;
pub mod logs;
mod ps_text;
mod usage;

pub use detect::{detect, Format};
pub use error::ImportError;

use serde::Serialize;
use std::io::BufRead;
use tco_engine::workload::Warning;
use tco_engine::{Assumptions, Catalog, Workloads};

/// What every importer needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Prices and sizes.
    pub catalog: &'a Catalog,
    /// Sizing assumptions (CPU per Heroku compute unit).
    pub assumptions: &'a Assumptions,
    /// The app a file belongs to when the file does not say (logs, `heroku ps` text);
    /// defaults to the file's name without extension.
    pub app: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// A context on a catalog with default assumptions' owner.
    pub fn new(catalog: &'a Catalog, assumptions: &'a Assumptions) -> Self {
        Context { catalog, assumptions, app: None }
    }

    /// The app name for a file that does not carry one.
    pub fn app_for(&self, file: &str) -> String {
        self.app.map(str::to_string).unwrap_or_else(|| file_stem(file))
    }
}

/// One file to import.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    /// Its name, for messages and provenance.
    pub name: &'a str,
    /// Its content.
    pub bytes: &'a [u8],
}

/// What one file was recognised as, and what came of it.
#[derive(Debug, Clone, Serialize)]
pub struct Detected {
    /// File name.
    pub file: String,
    /// Format.
    pub format: Format,
    /// Apps found.
    pub apps: usize,
    /// Processes found.
    pub processes: usize,
    /// Instances found.
    pub instances: usize,
    /// Lines or entries skipped, with reasons (also in `warnings`).
    pub skipped: u64,
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

/// Imports several files into one set of workloads; apps with the same name merge, and a
/// process seen in several files (a formation and its logs) merges into one.
pub fn import_files(files: &[InputFile<'_>], ctx: Context<'_>, force: Option<Format>) -> Result<Imported, ImportError> {
    let mut workloads = Workloads::default();
    let mut detected = Vec::new();
    for file in files {
        let (format, one) = import_file(*file, ctx, force)?;
        detected.push(summary(file.name, format, &one));
        merge(&mut workloads, one);
    }
    Ok(Imported { workloads, detected })
}

/// What a file's import amounted to.
pub fn summary(file: &str, format: Format, w: &Workloads) -> Detected {
    Detected {
        file: file.to_string(),
        format,
        apps: w.apps.len(),
        processes: w.apps.iter().map(|a| a.processes.len()).sum(),
        instances: w.instances.len(),
        skipped: w.warnings.iter().filter(|w| w.line.is_some()).count() as u64,
    }
}

/// Imports one file held in memory, detecting its format unless `force` names it.
pub fn import_file(
    file: InputFile<'_>,
    ctx: Context<'_>,
    force: Option<Format>,
) -> Result<(Format, Workloads), ImportError> {
    let format = match force {
        Some(f) => f,
        None => detect(file.name, file.bytes)?,
    };
    if format.streams() {
        let w = logs::import(file.name, file.bytes, ctx, &mut |_| {})?;
        return Ok((format, w));
    }
    let text = utf8(file.name, file.bytes)?;
    let w = match format {
        Format::HerokuFormation => formation::import_array(file.name, text, ctx)?,
        Format::HerokuFormationMap => formation::import_map(file.name, text, ctx)?,
        Format::HerokuDynos => dynos::import(file.name, text, ctx)?,
        Format::HerokuApps => apps::import(file.name, text, ctx)?,
        Format::HerokuAddons => addons::import(file.name, text, ctx)?,
        Format::HerokuDynoSizes => dyno_sizes::import(file.name, text, ctx)?,
        Format::HerokuUsage => usage::import(file.name, text, ctx)?,
        Format::HerokuPs => ps_text::import_ps(file.name, text, ctx)?,
        Format::HerokuPsType => ps_text::import_ps_type(file.name, text, ctx)?,
        Format::HerokuPsScale => ps_text::import_ps_scale(file.name, text, ctx)?,
        Format::Ec2Instances => ec2::import(file.name, text, ctx)?,
        Format::CloudwatchMetricData => cloudwatch::import_metric_data(file.name, text, ctx)?,
        Format::CloudwatchStatistics => cloudwatch::import_statistics(file.name, text, ctx)?,
        Format::AwsCur => cur::import(file.name, text, ctx)?,
        Format::CsvTemplate => csv_template::import(file.name, text, ctx)?,
        Format::ImportJson => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file.name, e))?
        }
        Format::HerokuLogs => unreachable!("streams above"),
    };
    Ok((format, w))
}

/// Imports one file from a reader: streams logs in bounded memory, reads other formats whole.
/// `progress` is called with the bytes read so far.
pub fn import_reader(
    name: &str,
    mut reader: impl BufRead,
    ctx: Context<'_>,
    force: Option<Format>,
    progress: &mut dyn FnMut(u64),
) -> Result<(Format, Workloads), ImportError> {
    let head = reader.fill_buf().map_err(|e| ImportError::at(name, None, None, format!("cannot read: {e}")))?.to_vec();
    // JSON documents are detected from the whole document (a pipe's first read may hold only
    // part of it); text formats from their first bytes, so a log can stream.
    let is_json = matches!(
        head.iter().find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF),
        Some(b'[' | b'{')
    );
    if is_json && !matches!(force, Some(f) if f.streams()) {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| ImportError::at(name, None, None, format!("cannot read: {e}")))?;
        progress(bytes.len() as u64);
        return import_file(InputFile { name, bytes: &bytes }, ctx, force);
    }
    let format = match force {
        Some(f) => f,
        None => detect(name, &head)?,
    };
    if format.streams() {
        return Ok((format, logs::import(name, reader, ctx, progress)?));
    }
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| ImportError::at(name, None, None, format!("cannot read: {e}")))?;
    progress(bytes.len() as u64);
    import_file(InputFile { name, bytes: &bytes }, ctx, Some(format))
}

/// The text of a whole-document format.
fn utf8<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        ImportError::at(file, Some(line), None, "the file is not UTF-8 text")
    })
}

/// Adds `other` into `into`: apps merge by name; a process already present takes the new
/// file's measurements and profile (logs) or its size and replicas (a formation) where it had
/// none. The current cost is recounted from what was imported.
pub fn merge(into: &mut Workloads, other: Workloads) {
    for app in other.apps {
        let Some(existing) = into.apps.iter_mut().find(|a| a.name == app.name) else {
            into.apps.push(app);
            continue;
        };
        for p in app.processes {
            match existing.processes.iter_mut().find(|q| q.name == p.name) {
                Some(q) => q.absorb(p),
                None => existing.processes.push(p),
            }
        }
        for a in app.addons {
            if !existing.addons.iter().any(|b| b.name == a.name) {
                existing.addons.push(a);
            }
        }
    }
    for i in other.instances {
        match into.instances.iter_mut().find(|j| j.id == i.id) {
            Some(j) => j.absorb(i),
            None => into.instances.push(i),
        }
    }
    ec2::apply_instance_metrics(into);
    into.warnings.extend(other.warnings);
    into.current_monthly_usd = tco_engine::current::imported_monthly(into);
}

/// `w` with its current cost set to the sum of what was imported (the one rule every
/// importer and every merge uses).
pub(crate) fn costed(mut w: Workloads) -> Workloads {
    w.current_monthly_usd = tco_engine::current::imported_monthly(&w);
    w
}

/// A warning attached to a file and line.
pub(crate) fn warning(file: &str, line: Option<u64>, message: impl Into<String>) -> Warning {
    Warning { file: file.into(), line, message: message.into() }
}

/// `formation.json` → `formation`.
pub(crate) fn file_stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    base.split('.').next().filter(|s| !s.is_empty()).unwrap_or("app").to_string()
}
