//! Heroku Team / Enterprise-account usage (`/teams/{id}/usage/monthly|daily`,
//! `/enterprise-accounts/{id}/usage/...`): dyno units and add-on credits per app.
//!
//! Dyno units are priced at the Standard-1X list price (one unit is a Standard-1X for a
//! month), an assumption each line says so: enterprise contracts set their own rate.
//! Add-on credits are dollars. The latest month in the file is used; daily rows are summed
//! into their month (Heroku's daily semantics are not documented: the note says so).

use super::{costed, warning, Context, ImportError};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use tco_engine::workload::{Addon, App};
use tco_engine::{Usd, Workloads};

#[derive(Deserialize)]
struct Row {
    month: Option<String>,
    date: Option<String>,
    #[serde(default)]
    dynos: f64,
    #[serde(default)]
    addons: f64,
    #[serde(default)]
    apps: Vec<AppUsage>,
    #[serde(default)]
    teams: Vec<Team>,
}

#[derive(Deserialize)]
struct Team {
    #[serde(default)]
    apps: Vec<AppUsage>,
}

#[derive(Deserialize)]
struct AppUsage {
    app_name: String,
    #[serde(default)]
    dynos: f64,
    #[serde(default)]
    addons: f64,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Document {
    Many(Vec<Row>),
    One(Row),
}

/// Per app: dyno units at the list-equivalent rate and add-on credits, for the latest month.
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let rows = match doc {
        Document::Many(rows) => rows,
        Document::One(row) => vec![row],
    };
    let mut w = Workloads::default();
    // month → app → (dyno units, add-on credits)
    let mut months: BTreeMap<String, BTreeMap<String, (f64, f64)>> = BTreeMap::new();
    let mut daily = false;
    for (i, row) in rows.into_iter().enumerate() {
        let month = match (&row.month, &row.date) {
            (Some(m), _) => m.clone(),
            (None, Some(d)) if d.get(..7).is_some() => {
                daily = true;
                d[..7].to_string()
            }
            _ => {
                return Err(ImportError::at(
                    file,
                    None,
                    Some(format!("[{i}].month")),
                    "missing or malformed: neither `month` (YYYY-MM) nor `date` (YYYY-MM-DD)",
                ))
            }
        };
        // Usage figures are dyno units and dollars: finite, not negative, below a trillion.
        let check = |value: f64, field: String| {
            if value.is_finite() && (0.0..1e12).contains(&value) {
                Ok(value)
            } else {
                Err(ImportError::at(file, None, Some(field), format!("{value} is not a usage figure (0 to 10^12)")))
            }
        };
        check(row.dynos, format!("[{i}].dynos"))?;
        check(row.addons, format!("[{i}].addons"))?;
        for (j, a) in row.apps.iter().enumerate() {
            check(a.dynos, format!("[{i}].apps[{j}].dynos"))?;
            check(a.addons, format!("[{i}].apps[{j}].addons"))?;
        }
        for (t, team) in row.teams.iter().enumerate() {
            for (j, a) in team.apps.iter().enumerate() {
                check(a.dynos, format!("[{i}].teams[{t}].apps[{j}].dynos"))?;
                check(a.addons, format!("[{i}].teams[{t}].apps[{j}].addons"))?;
            }
        }
        let apps = months.entry(month).or_default();
        let mut rows_apps: Vec<AppUsage> = row.apps;
        rows_apps.extend(row.teams.into_iter().flat_map(|t| t.apps));
        if rows_apps.is_empty() {
            let e = apps.entry("(account)".into()).or_default();
            e.0 += row.dynos;
            e.1 += row.addons;
        }
        for a in rows_apps {
            let e = apps.entry(a.app_name).or_default();
            e.0 += a.dynos;
            e.1 += a.addons;
        }
    }
    let Some((month, apps)) = months.into_iter().next_back() else {
        return Err(ImportError::at(file, None, None, "no usage rows"));
    };
    let unit_price = ctx.catalog.dyno_size("Standard-1X").and_then(|s| s.usd_per_month).unwrap_or_default();
    w.warnings.push(warning(
        file,
        None,
        format!("usage of {month}: dyno units priced at ${unit_price} each (the Standard-1X list price; an assumption: enter your contract rate){}",
            if daily { "; daily rows summed into the month (Heroku does not document daily dyno-unit semantics)" } else { "" }),
    ));
    for (name, (units, credits)) in apps {
        let units_dec = Decimal::from_f64(units).unwrap_or_default().round_dp(3);
        let credits_dec = Decimal::from_f64(credits).unwrap_or_default().round_dp(2);
        let addons = vec![
            Addon::new("dyno units", format!("{units_dec} dyno units in {month}"), Usd::new(units_dec * unit_price)),
            Addon::new("add-on credits", month.to_string(), Usd::new(credits_dec)),
        ];
        w.apps.push(App { name, source: format!("heroku-usage:{file}"), processes: vec![], addons });
    }
    Ok(costed(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn latest_month_per_app_at_the_list_equivalent_rate() {
        let text = r#"[
          {"addons":10.0,"data":5,"month":"2026-09","dynos":2.0,"id":"t","name":"team","partner":5,"space":0,"apps":[{"addons":10.0,"app_name":"shop","data":5,"dynos":2.0,"partner":5}]},
          {"addons":250.0,"data":200,"month":"2026-10","dynos":4.5,"id":"t","name":"team","partner":50,"space":0,
           "apps":[{"addons":200.0,"app_name":"shop","data":150,"dynos":4.0,"partner":50},{"addons":50.0,"app_name":"blog","data":50,"dynos":0.5,"partner":0}]}
        ]"#;
        let a = Assumptions::default();
        let w = import("usage.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        // blog: 0.5 × $25 + $50 = $62.50; shop: 4 × $25 + $200 = $300
        assert_eq!(w.apps.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), vec!["blog", "shop"]);
        assert_eq!(w.current_monthly_usd.cents(), 36_250);
        assert!(w.warnings[0].message.contains("2026-10") && w.warnings[0].message.contains("assumption"));
    }
}
