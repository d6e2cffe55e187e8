//! What `tco import` and `tco estimate --input` read, from the paths given: plain files,
//! folders (the files in them), and billing exports (their data files, chosen by the export's
//! manifests when there are some). Formats are told from the files' first bytes (inflated when
//! gzip or zstd) and, for Parquet, from its schema; never from a file's name.

use super::billing::{self, manifest::Manifest, Source};
use super::{compression, too_many_files, warning, Format, ImportError, Limits};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use tco_engine::workload::Warning;

/// A file imported on its own (logs stream, documents are read whole).
pub struct Planned {
    /// Its name in messages (the path as given).
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
    /// Its format when the plan already knows it.
    pub format: Option<Format>,
}

/// The files to import: each on its own, and the billing exports' files together (one bill).
#[derive(Default)]
pub struct Plan {
    /// Files imported one by one.
    pub files: Vec<Planned>,
    /// The data files (and manifests) of billing exports.
    pub exports: Vec<(Source, Format)>,
    /// What the plan left out, and why.
    pub warnings: Vec<Warning>,
}

/// Manifests are small; a JSON file larger than this is not read whole just to see if it is one.
const MANIFEST_MAX_BYTES: u64 = 16 << 20;

/// The plan for `paths` (`-` is standard input).
pub fn plan(paths: &[PathBuf], force: Option<Format>, limits: Limits) -> Result<Plan, ImportError> {
    let mut plan = Plan::default();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let name = path.display().to_string();
        if name == "-" || !path.exists() {
            // Standard input streams; a missing file fails where it is opened, with its name.
            plan.files.push(Planned { name, path: path.clone(), format: force });
        } else if path.is_dir() {
            folder(path, force, &mut plan, &mut seen)?;
        } else {
            file(path, path, force, &mut plan, &mut seen)?;
        }
        if plan.files.len() + plan.exports.len() > limits.max_files {
            return Err(too_many_files(limits.max_files));
        }
    }
    Ok(plan)
}

/// Every regular file under `dir`, sorted, hidden ones left out.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let shown = dir.display().to_string();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ImportError::at(&shown, None, None, format!("cannot read the folder: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

/// A folder: an export's (its manifests list the data files), or any other (each file in it).
fn folder(
    dir: &Path,
    force: Option<Format>,
    plan: &mut Plan,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), ImportError> {
    let mut all = Vec::new();
    walk(dir, &mut all)?;
    let manifests: Vec<(PathBuf, Manifest)> = all
        .iter()
        .filter_map(|p| manifest_at(p).transpose().map(|m| m.map(|m| (p.clone(), m))))
        .collect::<Result<_, _>>()?;
    if manifests.is_empty() {
        for p in &all {
            file(p, dir, force, plan, seen)?;
        }
        return Ok(());
    }
    let mut listed = std::collections::HashSet::new();
    for (path, m) in &manifests {
        for data in m.resolve(path, dir)? {
            listed.insert(data.clone());
            add_export(&data, force, plan, seen)?;
        }
    }
    let left = all.iter().filter(|p| !listed.contains(*p) && !manifests.iter().any(|(m, _)| m == *p)).count();
    if left > 0 {
        plan.warnings.push(warning(
            &dir.display().to_string(),
            None,
            format!(
                "{left} file(s) in the export's folder are not listed by its manifests (older deliveries, \
                 metadata): not read"
            ),
        ));
    }
    Ok(())
}

/// One file: a manifest brings its data files; a billing data file joins the exports; any
/// other file is imported on its own.
fn file(
    path: &Path,
    root: &Path,
    force: Option<Format>,
    plan: &mut Plan,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), ImportError> {
    if force.is_none() {
        if let Some(m) = manifest_at(path)? {
            // A manifest named on its own finds its files in the folders above it.
            let root = if root == path { Path::new("/") } else { root };
            for data in m.resolve(path, root)? {
                add_export(&data, None, plan, seen)?;
            }
            return Ok(());
        }
    }
    match force.filter(|f| f.is_billing()).map(Some).map_or_else(|| billing_format(path), Ok)? {
        Some(format) => add_export(path, Some(format), plan, seen),
        None => {
            plan.files.push(Planned { name: path.display().to_string(), path: path.to_path_buf(), format: force });
            Ok(())
        }
    }
}

fn add_export(
    path: &Path,
    format: Option<Format>,
    plan: &mut Plan,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), ImportError> {
    let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if !seen.insert(key) {
        return Ok(());
    }
    let name = path.display().to_string();
    let format = match format {
        Some(f) => f,
        None => billing_format(path)?.ok_or_else(|| {
            ImportError::at(
                &name,
                Some(1),
                None,
                "listed as a data file, but neither a Cost and Usage Report nor a FOCUS export",
            )
        })?,
    };
    plan.exports.push((Source::path(name, path.to_path_buf()), format));
    Ok(())
}

/// The billing format of a file, from its first bytes (inflated) or its Parquet schema.
fn billing_format(path: &Path) -> Result<Option<Format>, ImportError> {
    let name = path.display().to_string();
    let cannot = |e: std::io::Error| ImportError::at(&name, None, None, format!("cannot read: {e}"));
    let f = std::fs::File::open(path).map_err(cannot)?;
    let (_, mut reader) = compression::decoded(BufReader::with_capacity(64 << 10, f)).map_err(cannot)?;
    let head = reader.fill_buf().map_err(cannot)?;
    if billing::is_parquet(head) {
        return billing::detect_parquet_path(&name, path).map(Some);
    }
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    Ok(billing::header_format(&String::from_utf8_lossy(first)))
}

/// The manifest at `path`, if it is one (a small JSON object with `dataFiles` or `reportKeys`).
fn manifest_at(path: &Path) -> Result<Option<Manifest>, ImportError> {
    if std::fs::metadata(path).map_or(true, |m| m.len() > MANIFEST_MAX_BYTES) {
        return Ok(None);
    }
    let mut head = Vec::new();
    if std::fs::File::open(path).and_then(|f| f.take(64).read_to_end(&mut head)).is_err()
        || head.iter().find(|c| !c.is_ascii_whitespace()) != Some(&b'{')
    {
        return Ok(None);
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::at(&name, None, None, format!("cannot read: {e}")))?;
    let listed = |k: &[u8]| memchr::memmem::find(&bytes, k).is_some();
    if !listed(b"\"dataFiles\"") && !listed(b"\"reportKeys\"") {
        return Ok(None);
    }
    Manifest::parse(&name, &bytes).map(Some)
}
