//! Heroku Platform API formation (`GET /apps/{app}/formation`), and the shared step that turns
//! a process type on a dyno size into a process with requests and a list price.

use super::build::Builder;
use super::{costed, warning, Context, ImportError};
use serde::{Deserialize, Deserializer};
use std::cell::RefCell;
use std::collections::BTreeMap;
use tco_engine::catalog::DynoSize;
use tco_engine::current::heroku_process_monthly;
use tco_engine::sizing::request_for_dyno;
use tco_engine::workload::{Origin, Process, Warning};
use tco_engine::Catalog;
use tco_engine::Workloads;

#[derive(Deserialize)]
pub(crate) struct AppRef {
    pub name: String,
}

#[derive(Deserialize)]
struct DynoSizeRef {
    name: Option<SizeName>,
}

/// A dyno size name checked against the catalog while parsing, so an unknown size is reported
/// with its line and column. Holds the canonical name.
pub(crate) struct SizeName(pub String);

impl<'de> Deserialize<'de> for SizeName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        canonical_size(&raw).map(SizeName).map_err(serde::de::Error::custom)
    }
}

thread_local! {
    /// The dyno sizes of the catalog the file being parsed is imported on (see [`with_sizes`]).
    static SIZES: RefCell<Vec<DynoSize>> = const { RefCell::new(Vec::new()) };
}

/// Runs `parse` with `catalog`'s dyno sizes known to [`SizeName`], which checks each size as
/// it is read, so an unknown one is reported with its line and column. serde's derive takes no
/// context, so the importer lends it the catalog for the parse, on this thread only.
pub(crate) fn with_sizes<T>(catalog: &Catalog, parse: impl FnOnce() -> T) -> T {
    let outer = SIZES.with(|s| s.replace(catalog.dyno_sizes.clone()));
    let parsed = parse();
    SIZES.with(|s| *s.borrow_mut() = outer);
    parsed
}

/// The catalog's name for a dyno size in any spelling, or an error listing the known ones.
fn canonical_size(raw: &str) -> Result<String, String> {
    SIZES.with(|sizes| {
        let sizes = sizes.borrow();
        match sizes.iter().find(|d| d.answers_to(raw)) {
            Some(size) => Ok(size.name.clone()),
            None => Err(unknown_size(raw, &sizes)),
        }
    })
}

/// The error for a size the catalog does not know, listing those it does.
fn unknown_size(raw: &str, known: &[DynoSize]) -> String {
    let known: Vec<&str> = known.iter().map(|s| s.name.as_str()).collect();
    format!("unknown dyno size \"{raw}\" (known sizes: {})", known.join(", "))
}

#[derive(Deserialize)]
struct Entry {
    app: Option<AppRef>,
    #[serde(rename = "type")]
    process_type: String,
    quantity: u32,
    /// Deprecated in the 2025 schema in favour of `dyno_size.name`; both are read.
    size: Option<SizeName>,
    dyno_size: Option<DynoSizeRef>,
    command: Option<String>,
}

/// An array of formation entries, possibly several apps' concatenated.
pub fn import_array(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entries: Vec<Entry> = with_sizes(ctx.catalog, || serde_path_to_error::deserialize(&mut de))
        .map_err(|e| ImportError::from_path_error(file, e))?;
    let default_app = ctx.app_for(file);
    let named = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            (e.app.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| default_app.clone()), format!("[{i}]"), e)
        })
        .collect();
    build(file, named, ctx)
}

/// One object mapping app names to their formation arrays.
pub fn import_map(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let map: BTreeMap<String, Vec<Entry>> = with_sizes(ctx.catalog, || serde_path_to_error::deserialize(&mut de))
        .map_err(|e| ImportError::from_path_error(file, e))?;
    let named = map
        .into_iter()
        .flat_map(|(app, entries)| {
            entries.into_iter().enumerate().map(move |(i, e)| (app.clone(), format!("{app}[{i}]"), e))
        })
        .collect();
    build(file, named, ctx)
}

fn build(file: &str, entries: Vec<(String, String, Entry)>, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let limit = ctx.limits.max_processes_per_file;
    if entries.len() > limit {
        return Err(too_many_processes(file, entries.len(), limit));
    }
    let mut w = Builder::default();
    for (app_name, path, entry) in entries {
        let size_name = entry
            .dyno_size
            .and_then(|d| d.name)
            .or(entry.size)
            .ok_or_else(|| {
                ImportError::at(
                    file,
                    None,
                    Some(format!("{path}.size")),
                    "missing: neither `size` nor `dyno_size.name` is given",
                )
            })?
            .0;
        let mut process = heroku_process(
            &entry.process_type,
            &size_name,
            entry.quantity,
            ctx,
            file,
            None,
            &app_name,
            &mut w.w.warnings,
        )
        .map_err(|m| ImportError::at(file, None, Some(format!("{path}.size")), m))?;
        process.command = entry.command;
        add_process(&mut w, file, &app_name, "heroku-formation", process, &path);
    }
    Ok(costed(w.w))
}

/// The error for a file with more process types than the limit allows.
pub(crate) fn too_many_processes(file: &str, found: usize, limit: usize) -> ImportError {
    ImportError::at(
        file,
        None,
        None,
        format!(
            "{found} process types in one file, more than the limit of {limit} \
             (`--import-max-processes`, TCO_IMPORT_MAX_PROCESSES)"
        ),
    )
}

/// A Heroku process type of `quantity` dynos of `size_name`: requests from the dyno size,
/// list price from the catalog (a warning when the size has none).
#[allow(clippy::too_many_arguments)]
pub(crate) fn heroku_process(
    process_type: &str,
    size_name: &str,
    quantity: u32,
    ctx: Context<'_>,
    file: &str,
    line: Option<u64>,
    app_name: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Process, String> {
    let size = ctx.catalog.dyno_size(size_name).ok_or_else(|| unknown_size(size_name, &ctx.catalog.dyno_sizes))?;
    let request = request_for_dyno(size, ctx.assumptions);
    let mut process = Process {
        size: Some(size.name.clone()),
        serves_http: Some(process_type == "web"),
        origin: Some(Origin { file: file.into(), line }),
        ..Process::new(process_type, quantity, request.cpu_millicores, request.memory_mib)
    };
    match heroku_process_monthly(&process, ctx.catalog) {
        Some(monthly) => process.monthly_usd = monthly,
        None => warnings.push(warning(
            file,
            line,
            format!("{app_name}/{process_type}: dyno size {} has no list price; enter your contract price", size.name),
        )),
    }
    Ok(process)
}

/// Adds a process to its app (created on first sight); a repeated process type is reported
/// and the first kept.
pub(crate) fn add_process(b: &mut Builder, file: &str, app_name: &str, kind: &str, process: Process, where_: &str) {
    let app = b.app(app_name, || format!("{kind}:{file}"));
    if let Err(process) = b.add_process(app, process) {
        let line = process.origin.as_ref().and_then(|o| o.line);
        b.w.warnings.push(warning(
            file,
            line,
            format!("{where_}: {app_name}/{} appears twice; the first entry is kept", process.name),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{import_file, Context, Format, InputFile};
    use tco_engine::Assumptions;

    fn import(text: &str) -> Result<(Format, tco_engine::Workloads), super::ImportError> {
        let a = Assumptions::default();
        import_file(
            InputFile { name: "formation.json", bytes: text.as_bytes() },
            Context::new(tco_pricing_data::embedded(), &a),
            None,
        )
    }

    #[test]
    fn a_formation_becomes_apps_processes_and_list_prices() {
        let (format, w) = import(
            r#"[{"app":{"name":"shop"},"type":"web","quantity":3,"size":"standard-2x","command":"puma"},
                {"app":{"name":"shop"},"type":"worker","quantity":1,"dyno_size":{"name":"Performance-L"}},
                {"app":{"name":"blog"},"type":"web","quantity":2,"size":"1X"}]"#,
        )
        .unwrap();
        assert_eq!(format, Format::HerokuFormation);
        assert_eq!(w.apps.len(), 2);
        let web = &w.apps[0].processes[0];
        assert_eq!(
            (web.size.as_deref(), web.replicas, web.memory_mib, web.cpu_millicores),
            (Some("Standard-2X"), 3, 1024, 320)
        );
        assert_eq!(web.command.as_deref(), Some("puma"));
        assert_eq!(web.serves_http, Some(true));
        // 3 × $50 + 1 × $500 + 2 × $25 = $700
        assert_eq!(w.current_monthly_usd.cents(), 70_000);
        assert_eq!(w.apps[1].processes[0].size.as_deref(), Some("Standard-1X"));
    }

    #[test]
    fn dyno_size_name_wins_over_the_deprecated_size() {
        let (_, w) =
            import(r#"[{"type":"web","quantity":1,"size":"Standard-1X","dyno_size":{"name":"Performance-M"}}]"#)
                .unwrap();
        assert_eq!(w.apps[0].processes[0].size.as_deref(), Some("Performance-M"));
        assert_eq!(w.apps[0].name, "formation", "no app in the entry: named after the file");
    }

    #[test]
    fn an_object_of_app_formations_is_recognised() {
        let (format, w) = import(
            r#"{"a":[{"type":"web","quantity":1,"size":"Basic"}],"b":[{"type":"web","quantity":2,"size":"Eco"}]}"#,
        )
        .unwrap();
        assert_eq!(format, Format::HerokuFormationMap);
        assert_eq!(w.apps.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    }

    #[test]
    fn a_duplicate_process_type_is_reported_and_the_first_kept() {
        let (_, w) =
            import(r#"[{"type":"web","quantity":1,"size":"Basic"},{"type":"web","quantity":5,"size":"Basic"}]"#)
                .unwrap();
        assert_eq!(w.apps[0].processes.len(), 1);
        assert_eq!(w.apps[0].processes[0].replicas, 1);
        assert!(w.warnings[0].message.contains("appears twice"));
    }

    #[test]
    fn an_unknown_size_names_line_column_and_field() {
        let err = import("[\n {\"type\":\"web\",\"quantity\":1,\"size\":\"Standard-2X\"},\n {\"type\":\"web\",\"quantity\":1,\"size\":\"Huge-9X\"}\n]").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.field.as_deref(), Some("[1].size"));
        assert!(err.to_string().starts_with("formation.json: line 3, column "), "{err}");
        assert!(err.message.contains("unknown dyno size \"Huge-9X\""), "{err}");
    }

    #[test]
    fn a_negative_quantity_is_refused_with_its_field() {
        let err = import(r#"[{"type":"web","quantity":-2,"size":"Standard-1X"}]"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("[0].quantity"));
        assert!(err.message.contains("-2"), "{err}");
    }

    #[test]
    fn truncated_json_is_refused_with_its_line() {
        let err = import("[{\"type\":\"web\",\n\"quantity\":1,").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.starts_with("not valid JSON"), "{err}");
    }

    #[test]
    fn text_that_is_no_known_format_is_refused() {
        let err = import("web: 2\nworker: 1").unwrap_err();
        assert!(err.message.starts_with("unrecognised format"), "{err}");
    }

    #[test]
    fn json_of_another_shape_is_refused() {
        let err = import(r#"{"hello":"world"}"#).unwrap_err();
        assert!(err.message.starts_with("unrecognised format"), "{err}");
    }

    #[test]
    fn non_utf8_bytes_are_refused_with_their_line() {
        let a = Assumptions::default();
        let bytes = b"[{\"type\":\"web\",\n\"quantity\":1,\"size\":\"B\xffsic\"}]";
        let err =
            import_file(InputFile { name: "f.json", bytes }, Context::new(tco_pricing_data::embedded(), &a), None)
                .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn the_import_json_round_trips() {
        let (_, w) = import(r#"[{"app":{"name":"shop"},"type":"web","quantity":3,"size":"standard-2x"}]"#).unwrap();
        let json = serde_json::to_string(&w).unwrap();
        let (format, again) = import(&json).unwrap();
        assert_eq!(format, Format::ImportJson);
        assert_eq!(again, w);
    }
}
