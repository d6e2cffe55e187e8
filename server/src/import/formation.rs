//! Heroku Platform API formation (`GET /apps/{app}/formation`).

use super::ImportError;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use tco_engine::current::heroku_process_monthly;
use tco_engine::sizing::request_for_dyno;
use tco_engine::workload::{App, Process, Warning};
use tco_engine::{Assumptions, Catalog, Usd, Workloads};

/// Whether a JSON value is shaped like a formation entry.
pub fn looks_like_entry(v: &serde_json::Value) -> bool {
    v.as_object().is_some_and(|o| o.contains_key("type") && o.contains_key("quantity"))
}

#[derive(Deserialize)]
struct AppRef {
    name: String,
}

#[derive(Deserialize)]
struct DynoSizeRef {
    name: Option<SizeName>,
}

/// A dyno size name checked against the catalog while parsing, so an unknown size is reported
/// with its line and column. Holds the canonical name.
struct SizeName(String);

impl<'de> Deserialize<'de> for SizeName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        let catalog = tco_pricing_data::embedded();
        match catalog.dyno_size(&raw) {
            Some(size) => Ok(SizeName(size.name.clone())),
            None => {
                let known: Vec<&str> = catalog.dyno_sizes.iter().map(|s| s.name.as_str()).collect();
                Err(serde::de::Error::custom(format!(
                    "unknown dyno size \"{raw}\" (known sizes: {})",
                    known.join(", ")
                )))
            }
        }
    }
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
}

/// An array of formation entries, possibly several apps' concatenated.
pub fn import_array(
    file: &str,
    text: &str,
    catalog: &Catalog,
    assumptions: &Assumptions,
) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entries: Vec<Entry> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let default_app = file_stem(file);
    let named = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            (e.app.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| default_app.clone()), format!("[{i}]"), e)
        })
        .collect();
    build(file, named, catalog, assumptions)
}

/// One object mapping app names to their formation arrays.
pub fn import_map(
    file: &str,
    text: &str,
    catalog: &Catalog,
    assumptions: &Assumptions,
) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let map: BTreeMap<String, Vec<Entry>> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let named = map
        .into_iter()
        .flat_map(|(app, entries)| {
            entries.into_iter().enumerate().map(move |(i, e)| (app.clone(), format!("{app}[{i}]"), e))
        })
        .collect();
    build(file, named, catalog, assumptions)
}

fn build(
    file: &str,
    entries: Vec<(String, String, Entry)>,
    catalog: &Catalog,
    assumptions: &Assumptions,
) -> Result<Workloads, ImportError> {
    let mut w = Workloads::default();
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
        let size = catalog.dyno_size(&size_name).ok_or_else(|| {
            ImportError::at(
                file,
                None,
                Some(format!("{path}.size")),
                format!("dyno size \"{size_name}\" is not in the catalog"),
            )
        })?;
        let request = request_for_dyno(size, assumptions);
        let mut process = Process {
            name: entry.process_type,
            size: Some(size.name.clone()),
            replicas: entry.quantity,
            cpu_millicores: request.cpu_millicores,
            memory_mib: request.memory_mib,
            hourly_replicas: None,
            measured: None,
            monthly_usd: Usd::ZERO,
        };
        match heroku_process_monthly(&process, catalog) {
            Some(monthly) => process.monthly_usd = monthly,
            None => w.warnings.push(Warning {
                file: file.into(),
                line: None,
                message: format!(
                    "{app_name}/{}: dyno size {} has no list price; enter your contract price",
                    process.name, size.name
                ),
            }),
        }
        let app = match w.apps.iter_mut().find(|a| a.name == app_name) {
            Some(app) => app,
            None => {
                w.apps.push(App {
                    name: app_name.clone(),
                    source: format!("heroku-formation:{file}"),
                    processes: vec![],
                    addons: vec![],
                });
                w.apps.last_mut().expect("just pushed")
            }
        };
        if app.processes.iter().any(|p| p.name == process.name) {
            w.warnings.push(Warning {
                file: file.into(),
                line: None,
                message: format!("{path}: {app_name}/{} appears twice; the first entry is kept", process.name),
            });
            continue;
        }
        w.current_monthly_usd += process.monthly_usd;
        app.processes.push(process);
    }
    Ok(w)
}

fn file_stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    base.split('.').next().filter(|s| !s.is_empty()).unwrap_or("app").to_string()
}

#[cfg(test)]
mod tests {
    use super::super::{import_file, Format, InputFile};
    use tco_engine::Assumptions;

    fn import(text: &str) -> Result<(Format, tco_engine::Workloads), super::ImportError> {
        import_file(
            InputFile { name: "formation.json", bytes: text.as_bytes() },
            tco_pricing_data::embedded(),
            &Assumptions::default(),
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
    fn text_that_is_not_json_is_refused_with_its_line() {
        let err = import("web: 2\nworker: 1").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.starts_with("not valid JSON"), "{err}");
    }

    #[test]
    fn json_of_another_shape_is_refused() {
        let err = import(r#"{"hello":"world"}"#).unwrap_err();
        assert!(err.message.starts_with("unrecognised format"), "{err}");
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
