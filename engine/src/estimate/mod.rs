//! From a scenario and a catalog to a report. One estimate, step by step:
//!
//! 1. `validate.rs`: the assumptions and the workloads checked before any work;
//! 2. today's bill ([`crate::current`]), and measured use against what it pays for;
//! 3. `demands.rs`: what the planner places, each process's request under the sizing policy;
//! 4. where each Heroku Postgres and Key-Value Store plan goes ([`crate::managed`]);
//! 5. `option.rs`, for each target: its plans ([`crate::plan`], and `week.rs` when processes
//!    follow an hourly profile), its cost lines under every pricing model (`price.rs`), the
//!    supporting lines ([`crate::supporting`]), the lower bound, utilization, the cost of
//!    ownership ([`crate::tco`]) and the what-ifs (`whatif.rs`: sensitivity and band, over the
//!    ranges `ranges.rs` states for the scenario's own assumptions).

mod demands;
mod option;
mod price;
mod ranges;
mod validate;
mod week;
mod whatif;

use crate::catalog::Catalog;
use crate::current::heroku_current;
use crate::error::EstimateError;
use crate::report::{ProcessRequest, Report, Utilization};
use crate::scenario::Scenario;
use demands::{demands, measured_use, ratio};
use option::{estimate_option, Context};

/// Estimates the current cost and every target platform's cost of the scenario.
pub fn estimate(scenario: &Scenario, catalog: &Catalog) -> Result<Report, EstimateError> {
    let a = &scenario.assumptions;
    validate::assumptions(a, catalog)?;
    validate::workloads(scenario)?;
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    let mut current = heroku_current(&scenario.workloads, catalog, &mut sources, &mut warnings);
    current.utilization_measured = measured_use(&scenario.workloads)
        .map(|[cpu, mem, cpu_paid, mem_paid]| Utilization { cpu: ratio(cpu, cpu_paid), memory: ratio(mem, mem_paid) });

    let demands = demands(&scenario.workloads, a, a.sizing);
    let addon_moves =
        crate::managed::moves(&scenario.workloads, catalog, &a.addon_targets, a.hours_per_month, &mut sources);
    let mut uncertain = Vec::new();
    let mut options = Vec::new();
    for &platform in &a.targets {
        let mut ctx = Context {
            catalog,
            assumptions: a,
            sources: &mut sources,
            uncertain: &mut uncertain,
            addon_moves: &addon_moves,
        };
        options.push(estimate_option(
            platform,
            &scenario.workloads,
            &demands,
            current.monthly_usd,
            &mut ctx,
            &mut warnings,
        )?);
    }
    let requests = demands
        .iter()
        .map(|d| ProcessRequest {
            process: format!("{}/{}", d.app, d.process),
            cpu_millicores: d.request.cpu_millicores,
            memory_mib: d.request.memory_mib,
        })
        .collect();
    Ok(Report {
        currency: "USD".into(),
        hours_per_month: a.hours_per_month,
        current,
        options,
        sources,
        catalog_as_of: catalog.snapshot.clone(),
        oldest_price_as_of: catalog.oldest_price_as_of.clone(),
        assumptions: a.clone(),
        warnings,
        uncertain,
        addon_moves,
        requests,
    })
}
