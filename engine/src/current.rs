//! What a Heroku estate costs today, from the catalog's list prices.

use crate::catalog::{service, Catalog};
use crate::money::Usd;
use crate::report::{CostLine, Current, SourceLine};
use crate::workload::{Process, Workloads};

/// The monthly list price of a process on Heroku: its dynos run all month, and Heroku caps a
/// dyno's prorated charge at the monthly price. `None` when the size has no list price.
pub fn heroku_process_monthly(process: &Process, catalog: &Catalog) -> Option<Usd> {
    let size = catalog.dyno_size(process.size.as_deref()?)?;
    Some(size.monthly()?.times(process.replicas))
}

/// The current Heroku cost: dynos at list price (or the imported figure where the catalog has
/// none), one Eco subscription if any Eco dyno runs, and add-ons as imported.
pub fn heroku_current(
    workloads: &Workloads,
    catalog: &Catalog,
    sources: &mut Vec<SourceLine>,
    warnings: &mut Vec<String>,
) -> Current {
    let mut dynos = Usd::ZERO;
    let mut any_eco = false;
    for app in &workloads.apps {
        for p in &app.processes {
            match heroku_process_monthly(p, catalog) {
                Some(monthly) => {
                    dynos += monthly;
                    let size = catalog.dyno_size(p.size.as_deref().unwrap_or_default()).expect("priced above");
                    any_eco |= size.name == "Eco" && p.replicas > 0;
                    push_source(
                        sources,
                        SourceLine {
                            item: format!("Heroku {} dyno", size.name),
                            usd: size.usd_per_month.unwrap_or_default(),
                            unit: "USD per dyno-month".into(),
                            source: size.provenance.source.clone(),
                            as_of: size.provenance.as_of.clone(),
                        },
                    );
                }
                None if p.size.is_none() => dynos += p.monthly_usd,
                None => {
                    dynos += p.monthly_usd;
                    warnings.push(format!(
                        "{}/{}: no list price for dyno size {}; using the imported ${} per month",
                        app.name,
                        p.name,
                        p.size.as_deref().unwrap_or("(none)"),
                        p.monthly_usd.rounded_to_cents()
                    ));
                }
            }
        }
    }
    let mut breakdown = vec![CostLine { category: "dynos".into(), monthly_usd: dynos }];
    if any_eco {
        if let Some(eco) = catalog.service(service::HEROKU_ECO_SUBSCRIPTION) {
            breakdown.push(CostLine { category: "eco subscription".into(), monthly_usd: Usd::new(eco.usd) });
            push_source(sources, SourceLine::from_service(eco));
        }
    }
    let addons: Usd = workloads.apps.iter().flat_map(|a| &a.addons).map(|a| a.monthly_usd).sum();
    if addons > Usd::ZERO {
        breakdown.push(CostLine { category: "add-ons".into(), monthly_usd: addons });
    }
    Current { platform: "heroku".into(), monthly_usd: breakdown.iter().map(|l| l.monthly_usd).sum(), breakdown }
}

impl SourceLine {
    /// The source line of a service price.
    pub fn from_service(s: &crate::catalog::ServicePrice) -> SourceLine {
        SourceLine {
            item: s.description.clone(),
            usd: s.usd,
            unit: format!("USD {}", s.unit),
            source: s.provenance.source.clone(),
            as_of: s.provenance.as_of.clone(),
        }
    }
}

/// Adds a source line once.
pub(crate) fn push_source(sources: &mut Vec<SourceLine>, line: SourceLine) {
    if !sources.iter().any(|s| s.item == line.item) {
        sources.push(line);
    }
}
