//! Importers: files as Heroku, AWS, Azure and Google Cloud produce them, into the one workload
//! model.
//!
//! Each importer takes the file's name and content and returns workloads, or an error that
//! names the file, line and field. The format is detected from the content (never only from
//! the file name) unless the caller forces one; gzip and zstd are undone first, recognised by
//! their bytes. Text formats that can be huge (logs) stream from a reader in bounded memory;
//! billing exports are scanned by columns with polars ([`billing`]); JSON documents are read
//! whole, within the body limit, and parsed once. Work is bounded by [`Limits`] before it grows.

mod addons;
mod apps;
pub mod billing;
mod build;
mod cloudwatch;
pub mod compression;
mod csv_template;
mod detect;
mod dyno_sizes;
mod dynos;
mod ec2;
mod error;
pub mod files;
mod formation;
pub mod logs;
mod ps_text;
mod usage;

pub use detect::{detect, Format};
pub use error::ImportError;

use build::Builder;
use serde::Serialize;
use std::io::BufRead;
use tco_engine::workload::Warning;
use tco_engine::{Assumptions, Catalog, Workloads};

/// How much one import may hold: files per upload, process types per file, and how far a
/// compressed file may inflate in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files in one upload or one `tco import`.
    pub max_files: usize,
    /// Process types one file may define (a formation's entries, a log's process types).
    pub max_processes_per_file: usize,
    /// Bytes a compressed document read whole may inflate to (logs and exports read from
    /// disk stream and are not bound by it).
    pub max_decompressed_bytes: usize,
}

impl Limits {
    /// 100,000 files: a 30,000-server estate with a CPU and a memory statistics file per
    /// server, and room besides.
    pub const DEFAULT_MAX_FILES: usize = 100_000;
    /// 100,000 process types per file: larger than any formation or log we have seen, small
    /// enough that the work stays bounded.
    pub const DEFAULT_MAX_PROCESSES_PER_FILE: usize = 100_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: Limits::DEFAULT_MAX_FILES,
            max_processes_per_file: Limits::DEFAULT_MAX_PROCESSES_PER_FILE,
            max_decompressed_bytes: 1 << 30,
        }
    }
}

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
    /// How much one import may hold.
    pub limits: Limits,
}

impl<'a> Context<'a> {
    /// A context on a catalog with the given assumptions and the default limits.
    pub fn new(catalog: &'a Catalog, assumptions: &'a Assumptions) -> Self {
        Context { catalog, assumptions, app: None, limits: Limits::default() }
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
/// process seen in several files (a formation and its logs) merges into one. The files of a
/// billing export (data files, its manifest) make one bill together. Linear in the files.
pub fn import_files(files: &[InputFile<'_>], ctx: Context<'_>, force: Option<Format>) -> Result<Imported, ImportError> {
    if files.len() > ctx.limits.max_files {
        return Err(too_many_files(ctx.limits.max_files));
    }
    let mut merger = Merger::new(ctx);
    let mut detected = Vec::new();
    let mut exports: Vec<(billing::Source, Format)> = Vec::new();
    for file in files {
        let bytes = compression::decompress(file.bytes, ctx.limits.max_decompressed_bytes)
            .map_err(|e| ImportError::at(file.name, None, None, e.to_string()))?;
        let format = match force {
            Some(f) => f,
            None => detect(file.name, &bytes)?,
        };
        if format.is_billing() {
            exports.push((billing::Source::bytes(file.name, bytes.into_owned()), format));
            continue;
        }
        let (format, one) = import_decompressed(InputFile { name: file.name, bytes: &bytes }, ctx, Some(format))?;
        detected.push(summary(file.name, format, &one));
        merger.add(one);
    }
    if !exports.is_empty() {
        // The export's files make one bill: the first file is listed with what the bill holds,
        // the others with their format.
        let names: Vec<(String, Format)> = exports.iter().map(|(s, f)| (s.name.clone(), *f)).collect();
        let one = billing::import(exports, ctx, &mut |_| {})?;
        for (i, (name, format)) in names.into_iter().enumerate() {
            detected.push(if i == 0 {
                summary(&name, format, &one)
            } else {
                Detected { file: name, format, apps: 0, processes: 0, instances: 0, skipped: 0 }
            });
        }
        merger.add(one);
    }
    Ok(Imported { workloads: merger.finish(), detected })
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
    let bytes = compression::decompress(file.bytes, ctx.limits.max_decompressed_bytes)
        .map_err(|e| ImportError::at(file.name, None, None, e.to_string()))?;
    let (format, w) = import_decompressed(InputFile { name: file.name, bytes: &bytes }, ctx, force)?;
    let mut merger = Merger::new(ctx);
    merger.add(w);
    Ok((format, merger.finish()))
}

/// One file, already decompressed.
fn import_decompressed(
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
    if format.is_billing() {
        let w =
            billing::import(vec![(billing::Source::bytes(file.name, file.bytes.to_vec()), format)], ctx, &mut |_| {})?;
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
        Format::CsvTemplate => csv_template::import(file.name, text, ctx)?,
        Format::ImportJson => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file.name, e))?
        }
        Format::HerokuLogs | Format::AwsCur | Format::Focus | Format::BillSummary | Format::ExportManifest => {
            unreachable!("streamed or scanned above")
        }
    };
    let processes: usize = w.apps.iter().map(|a| a.processes.len()).sum();
    if processes > ctx.limits.max_processes_per_file {
        return Err(formation::too_many_processes(file.name, processes, ctx.limits.max_processes_per_file));
    }
    Ok((format, w))
}

/// Imports one file from a reader: decompresses gzip and zstd, streams logs in bounded
/// memory, reads other formats whole. `progress` is called with the bytes read so far.
pub fn import_reader(
    name: &str,
    reader: impl BufRead,
    ctx: Context<'_>,
    force: Option<Format>,
    progress: &mut dyn FnMut(u64),
) -> Result<(Format, Workloads), ImportError> {
    let cannot_read = |e: std::io::Error| ImportError::at(name, None, None, format!("cannot read: {e}"));
    let (_, mut reader) = compression::decoded(reader).map_err(cannot_read)?;
    let head = reader.fill_buf().map_err(cannot_read)?.to_vec();
    // JSON documents are detected from the whole document (a pipe's first read may hold only
    // part of it); text formats from their first bytes, so a log can stream.
    let is_json = matches!(
        head.iter().find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF),
        Some(b'[' | b'{')
    );
    if (is_json || billing::is_parquet(&head)) && !matches!(force, Some(f) if f.streams()) {
        let mut bytes = Vec::new();
        read_bounded(&mut reader, &mut bytes, ctx.limits.max_decompressed_bytes).map_err(|e| match e {
            Some(e) => cannot_read(e),
            None => ImportError::at(
                name,
                None,
                None,
                format!("larger than {} bytes: too large to read whole", ctx.limits.max_decompressed_bytes),
            ),
        })?;
        progress(bytes.len() as u64);
        return import_file(InputFile { name, bytes: &bytes }, ctx, force);
    }
    let format = match force {
        Some(f) => f,
        None => detect(name, &head)?,
    };
    if format.streams() {
        let w = logs::import(name, reader, ctx, progress)?;
        let mut merger = Merger::new(ctx);
        merger.add(w);
        return Ok((format, merger.finish()));
    }
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(cannot_read)?;
    progress(bytes.len() as u64);
    import_file(InputFile { name, bytes: &bytes }, ctx, Some(format))
}

/// Reads all of `reader` unless it holds more than `limit` bytes (`Err(None)` then).
fn read_bounded(
    reader: &mut impl std::io::Read,
    out: &mut Vec<u8>,
    limit: usize,
) -> Result<(), Option<std::io::Error>> {
    use std::io::Read;
    reader.take(limit as u64 + 1).read_to_end(out).map_err(Some)?;
    if out.len() > limit {
        return Err(None);
    }
    Ok(())
}

/// The error for an import of more files than the limit allows.
pub fn too_many_files(limit: usize) -> ImportError {
    ImportError::at(
        "upload",
        None,
        None,
        format!("more than {limit} files in one import: the limit (`--import-max-files`, TCO_IMPORT_MAX_FILES)"),
    )
}

/// The text of a whole-document format.
fn utf8<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        ImportError::at(file, Some(line), None, "the file is not UTF-8 text")
    })
}

/// Merges files' workloads in time linear in their size; [`Merger::finish`] then rebuilds the
/// EC2 processes from the merged instances once and recounts today's cost.
pub struct Merger<'a> {
    b: Builder,
    catalog: &'a Catalog,
}

impl<'a> Merger<'a> {
    /// An empty merge.
    pub fn new(ctx: Context<'a>) -> Self {
        Merger { b: Builder::default(), catalog: ctx.catalog }
    }

    /// Starts from workloads already merged.
    pub fn from(w: Workloads, ctx: Context<'a>) -> Self {
        Merger { b: Builder::from(w), catalog: ctx.catalog }
    }

    /// Adds one file's workloads.
    pub fn add(&mut self, w: Workloads) {
        self.b.merge(w);
    }

    /// The merged workloads: EC2 processes rebuilt from every instance seen (metrics, billed
    /// cost and hours joined by instance id), today's cost recounted.
    pub fn finish(self) -> Workloads {
        let mut w = self.b.w;
        ec2::finalize(&mut w, self.catalog);
        costed(w)
    }
}

/// Adds `other` into `into`: apps merge by name; a process already present takes the new
/// file's measurements and profile (logs) or its size and replicas (a formation) where it had
/// none. The current cost is recounted from what was imported. Linear in both; for many files,
/// a [`Merger`] avoids re-indexing `into` each time.
pub fn merge(into: &mut Workloads, other: Workloads, ctx: Context<'_>) {
    let mut m = Merger::from(std::mem::take(into), ctx);
    m.add(other);
    *into = m.finish();
}

/// `w` with its current cost set to the sum of what was imported (the one rule every
/// importer and every merge uses).
pub(crate) fn costed(mut w: Workloads) -> Workloads {
    w.current_monthly_usd = tco_engine::current::imported_monthly(&w);
    w
}

/// How many threads an import that parses on every core starts: one per core, at most 16.
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 16)
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
