//! Heroku app list (`GET /apps`, `heroku apps --json`): the apps, and the Private or Shield
//! Spaces they run in, whose monthly fee is part of today's bill.

use super::{costed, warning, Context, ImportError};
use serde::Deserialize;
use tco_engine::catalog::service;
use tco_engine::workload::{Addon, App};
use tco_engine::{Usd, Workloads};

#[derive(Deserialize)]
struct AppEntry {
    name: String,
    space: Option<Space>,
}

/// `GET /apps` lists; `GET /apps/{app}` is one app.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<AppEntry>),
    One(AppEntry),
}

#[derive(Deserialize)]
struct Space {
    name: String,
    #[serde(default)]
    shield: bool,
}

/// One app per entry (no processes: a formation or `heroku ps` gives those); each distinct
/// space adds its fee once, on the first app in it.
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: OneOrMany =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let entries = match doc {
        OneOrMany::Many(v) => v,
        OneOrMany::One(a) => vec![a],
    };
    let mut w = Workloads::default();
    let mut spaces_seen: Vec<String> = Vec::new();
    for e in entries {
        let mut app = App { name: e.name, source: format!("heroku-apps:{file}"), processes: vec![], addons: vec![] };
        if let Some(space) = e.space {
            if !spaces_seen.contains(&space.name) {
                spaces_seen.push(space.name.clone());
                let id =
                    if space.shield { service::HEROKU_SHIELD_PRIVATE_SPACE } else { service::HEROKU_PRIVATE_SPACE };
                match ctx.catalog.service(id) {
                    Some(fee) => app.addons.push(Addon::new(
                        format!("{} {}", fee.description, space.name),
                        if space.shield { "shield-space" } else { "private-space" },
                        Usd::new(fee.usd),
                    )),
                    None => {
                        w.warnings.push(warning(file, None, format!("space {}: no price in the catalog", space.name)))
                    }
                }
            }
        }
        w.apps.push(app);
    }
    Ok(costed(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn apps_and_their_spaces_fees() {
        let text = r#"[
          {"name":"api","space":{"id":"s1","name":"prod-space","shield":true},"region":{"name":"virginia"},"web_url":"https://api/"},
          {"name":"worker","space":{"id":"s1","name":"prod-space","shield":true},"web_url":"https://w/"},
          {"name":"blog","space":null,"stack":{"name":"heroku-24"}}
        ]"#;
        let a = Assumptions::default();
        let w = import("apps.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert_eq!(w.apps.len(), 3);
        // one Shield space, $3,000 a month, counted once
        assert_eq!(w.current_monthly_usd.cents(), 300_000);
        assert_eq!(w.apps[0].addons.len(), 1);
        assert!(w.apps[1].addons.is_empty());
    }
}
