//! Heroku add-on list (`GET /apps/{app}/addons`, `heroku addons --json`): plan and price per app.
//! The billed price (which may be grandfathered) wins over the plan's list price, as in the CLI.

use super::build::Builder;
use super::formation::AppRef;
use super::{costed, warning, Context, ImportError};
use rust_decimal::Decimal;
use serde::Deserialize;
use tco_engine::workload::Addon;
use tco_engine::{Usd, Workloads};

#[derive(Deserialize)]
struct Price {
    cents: Option<i64>,
    unit: Option<String>,
    #[serde(default)]
    contract: bool,
}

#[derive(Deserialize)]
struct Plan {
    name: String,
    price: Option<Price>,
}

#[derive(Deserialize)]
struct AddonEntry {
    app: Option<AppRef>,
    name: String,
    plan: Plan,
    billed_price: Option<Price>,
    state: Option<String>,
}

/// Add-ons with their monthly price; deprovisioned ones are skipped.
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entries: Vec<AddonEntry> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let default_app = ctx.app_for(file);
    let mut w = Workloads::default();
    let mut b = Builder::default();
    for (i, e) in entries.into_iter().enumerate() {
        if e.state.as_deref() == Some("deprovisioned") {
            w.warnings.push(warning(file, None, format!("[{i}] {}: deprovisioned; skipped", e.name)));
            continue;
        }
        let app_name = e.app.map(|a| a.name).unwrap_or_else(|| default_app.clone());
        let price = e.billed_price.filter(|p| p.cents.is_some()).or(e.plan.price);
        let monthly = match &price {
            Some(Price { contract: true, .. }) => {
                w.warnings.push(warning(
                    file,
                    None,
                    format!("[{i}] {}: priced by contract; enter the contract price", e.name),
                ));
                Usd::ZERO
            }
            Some(Price { cents: Some(c), unit, .. })
                if matches!(unit.as_deref(), None | Some("month") | Some("monthly")) =>
            {
                Usd::new(Decimal::new(*c, 2))
            }
            Some(Price { cents: Some(_), unit: Some(u), .. }) => {
                w.warnings.push(warning(
                    file,
                    None,
                    format!("[{i}] {}: price per {u} is not monthly; counted as $0", e.name),
                ));
                Usd::ZERO
            }
            _ => match ctx.catalog.addon_plan(&e.plan.name).and_then(|p| p.usd_per_month.map(|usd| (p, usd))) {
                Some((plan, usd)) => {
                    w.warnings.push(warning(
                        file,
                        None,
                        format!(
                            "[{i}] {}: no price in the file; the catalog's {} list price ${usd} ({}, {}) is used",
                            e.name, plan.plan, plan.confidence, plan.provenance.as_of
                        ),
                    ));
                    Usd::new(usd)
                }
                None => {
                    w.warnings.push(warning(file, None, format!("[{i}] {}: no price; counted as $0", e.name)));
                    Usd::ZERO
                }
            },
        };
        let addon = Addon::new(e.name, e.plan.name, monthly);
        let app = b.app(&app_name, || format!("heroku-addons:{file}"));
        b.w.apps[app].addons.push(addon);
    }
    b.w.warnings.append(&mut w.warnings);
    Ok(costed(b.w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn a_plan_without_a_price_takes_the_catalog_list_price() {
        let text = r#"[{"app":{"name":"shop"},"name":"db","plan":{"name":"heroku-postgresql:standard-0"},"state":"provisioned","addon_service":{"name":"heroku-postgresql"}}]"#;
        let a = Assumptions::default();
        let w = import("addons.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        // standard-0 lists at $50 a month in the catalog
        assert_eq!(w.current_monthly_usd.cents(), 5_000);
        assert!(
            w.warnings[0].message.contains("catalog's heroku-postgresql:standard-0 list price $50"),
            "{:?}",
            w.warnings
        );
    }

    #[test]
    fn billed_price_wins_and_deprovisioned_are_skipped() {
        let text = r#"[
          {"addon_service":{"name":"heroku-postgresql"},"app":{"name":"shop"},"name":"shop-db","plan":{"name":"heroku-postgresql:standard-0","price":{"cents":5000,"unit":"month"}},"billed_price":{"cents":4500,"contract":false,"unit":"month"},"state":"provisioned"},
          {"addon_service":{"name":"heroku-redis"},"app":{"name":"shop"},"name":"shop-kv","plan":{"name":"heroku-redis:premium-2","price":{"cents":6000,"unit":"month"}},"state":"provisioned"},
          {"addon_service":{"name":"papertrail"},"app":{"name":"shop"},"name":"old-logs","plan":{"name":"papertrail:choklad","price":{"cents":700,"unit":"month"}},"state":"deprovisioned"},
          {"addon_service":{"name":"heroku-kafka"},"app":{"name":"shop"},"name":"bus","plan":{"name":"heroku-kafka:standard-0","price":{"cents":null,"contract":true,"unit":"month"}},"state":"provisioned"}
        ]"#;
        let a = Assumptions::default();
        let w = import("addons.json", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        let addons = &w.apps[0].addons;
        assert_eq!(addons.len(), 3);
        assert_eq!(addons[0].plan, "heroku-postgresql:standard-0");
        // $45 (billed, grandfathered) + $60 + contract $0 = $105
        assert_eq!(w.current_monthly_usd.cents(), 10_500);
        assert_eq!(w.warnings.len(), 2);
    }
}
