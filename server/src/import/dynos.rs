//! Heroku Platform API dyno list (`GET /apps/{app}/dynos`), which `heroku ps --json` prints.
//! Dynos are counted per app and type; one-off (`run`) dynos are not recurring processes.

use super::build::Builder;
use super::formation::{add_process, heroku_process, AppRef, SizeName};
use super::{costed, warning, Context, ImportError};
use serde::Deserialize;
use tco_engine::Workloads;

#[derive(Deserialize)]
struct Dyno {
    app: Option<AppRef>,
    name: String,
    #[serde(rename = "type")]
    process_type: String,
    size: SizeName,
    state: String,
    command: Option<String>,
}

/// Counts dynos that exist (up, starting, idle or crashed: all billed) per app and type.
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let dynos: Vec<Dyno> = super::formation::with_sizes(ctx.catalog, || serde_path_to_error::deserialize(&mut de))
        .map_err(|e| ImportError::from_path_error(file, e))?;
    let default_app = ctx.app_for(file);
    // (app, type) → (size, count, command), in order of first sight
    let mut groups: Vec<(String, String, String, u32, Option<String>)> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    let mut w = Builder::default();
    for (i, d) in dynos.into_iter().enumerate() {
        let app = d.app.map(|a| a.name).unwrap_or_else(|| default_app.clone());
        if d.process_type == "run" {
            w.w.warnings.push(warning(
                file,
                None,
                format!("[{i}] {}: one-off dyno, not a recurring process; not counted", d.name),
            ));
            continue;
        }
        let billed = matches!(d.state.as_str(), "up" | "starting" | "idle" | "crashed");
        match index.get(&(app.clone(), d.process_type.clone())).map(|i| &mut groups[*i]) {
            Some(g) => {
                if g.2 != d.size.0 {
                    w.w.warnings.push(warning(
                        file,
                        None,
                        format!(
                            "[{i}] {}: size {} differs from {} of the same type; counted as {}",
                            d.name, d.size.0, g.2, g.2
                        ),
                    ));
                }
                g.3 += u32::from(billed);
            }
            None => {
                index.insert((app.clone(), d.process_type.clone()), groups.len());
                groups.push((app, d.process_type, d.size.0, u32::from(billed), d.command));
            }
        }
    }
    for (app, process_type, size, count, command) in groups {
        let mut p = heroku_process(&process_type, &size, count, ctx, file, None, &app, &mut w.w.warnings)
            .map_err(|m| ImportError::at(file, None, Some("size".into()), m))?;
        p.command = command;
        add_process(&mut w, file, &app, "heroku-dynos", p, &process_type);
    }
    Ok(costed(w.w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn counts_existing_dynos_per_type() {
        let text = r#"[
          {"app":{"id":"1","name":"shop"},"attach_url":null,"command":"bash","name":"run.1","size":"Standard-1X","state":"up","type":"run"},
          {"app":{"id":"1","name":"shop"},"command":"puma","name":"web.1","size":"Standard-2X","state":"up","type":"web"},
          {"app":{"id":"1","name":"shop"},"command":"puma","name":"web.2","size":"standard-2X","state":"crashed","type":"web"},
          {"app":{"id":"1","name":"shop"},"command":"sidekiq","name":"worker.1","size":"Performance-M","state":"down","type":"worker"}
        ]"#;
        let a = Assumptions::default();
        let w = import("dynos.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        let p: Vec<(&str, u32)> = w.apps[0].processes.iter().map(|p| (p.name.as_str(), p.replicas)).collect();
        assert_eq!(p, vec![("web", 2), ("worker", 0)]);
        assert_eq!(w.current_monthly_usd.cents(), 10_000);
        assert!(w.warnings[0].message.contains("one-off"));
    }
}
