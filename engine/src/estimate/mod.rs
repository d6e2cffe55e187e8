//! From a scenario and a catalog to a report. One estimate, step by step:
//!
//! 1. `validate.rs`: the assumptions and the workloads checked before any work;
//! 2. today's bill ([`crate::current`]), and measured use against what it pays for;
//! 3. `demands.rs`: what the planner places, each process's request under the sizing policy;
//! 4. where each Heroku Postgres and Key-Value Store plan goes ([`crate::managed`]);
//! 5. `option.rs`, for each target: its plans ([`crate::plan`], and `week.rs` when processes
//!    follow an hourly profile), its cost lines under every pricing model (`price.rs`), the
//!    supporting lines (`supporting.rs`), the lower bound, utilization, the cost of
//!    ownership (`tco.rs`) and the what-ifs (`whatif.rs`: sensitivity and band, over the
//!    ranges `ranges.rs` states for the scenario's own assumptions).

mod demands;
mod option;
mod price;
mod ranges;
mod validate;
mod week;
mod whatif;
mod work;

use crate::catalog::Catalog;
use crate::current::heroku_current;
use crate::error::EstimateError;
use crate::limits::{distinct, Limits, Never, Stop};
use crate::report::{ProcessRequest, Report, Utilization};
use crate::scenario::{Assumptions, Scenario};
use demands::{demands, measured_use, ratio};
use option::{estimate_option, Context};

/// Estimates the current cost and every target platform's cost of the scenario, within the
/// default [`Limits`] and never stopping early.
pub fn estimate(scenario: &Scenario, catalog: &Catalog) -> Result<Report, EstimateError> {
    estimate_within(scenario, catalog, &Limits::default(), &Never)
}

/// [`estimate`] within `limits`, checked before any work starts, asking `stop` between steps
/// whether to give up ([`EstimateError::Stopped`]).
pub fn estimate_within(
    scenario: &Scenario,
    catalog: &Catalog,
    limits: &Limits,
    stop: &dyn Stop,
) -> Result<Report, EstimateError> {
    limits.check(scenario)?;
    // Today's bill on the scenario's basis; part-month processes sized for their billed hours.
    let (prepared, notes) = crate::bill::prepare(scenario);
    let scenario = prepared.as_ref();
    let a = &scenario.assumptions;
    validate::assumptions(a, catalog)?;
    validate::workloads(scenario)?;
    // A target listed twice is estimated once.
    let targets = distinct(&a.targets);
    let mut sources = Vec::new();
    let mut warnings = notes;
    let mut current = heroku_current(&scenario.workloads, catalog, &mut sources, &mut warnings);
    current.utilization_measured = measured_use(&scenario.workloads)
        .map(|[cpu, mem, cpu_paid, mem_paid]| Utilization { cpu: ratio(cpu, cpu_paid), memory: ratio(mem, mem_paid) });

    let demands = demands(&scenario.workloads, a, a.sizing);
    let hourly = if a.follow_profile {
        crate::profile::hourly_replicas(&scenario.workloads, a.scale_up_margin, &a.autoscaling)
    } else {
        None
    };
    work::within_budget(&targets, &demands, hourly.as_deref(), limits.work)?;
    let addon_moves =
        crate::managed::moves(&scenario.workloads, catalog, &a.addon_targets, a.hours_per_month, &mut sources);
    let mut uncertain = Vec::new();
    let mut options = Vec::new();
    for &platform in &targets {
        if stop.now() {
            return Err(EstimateError::Stopped);
        }
        let mut ctx = Context {
            catalog,
            assumptions: a,
            sources: &mut sources,
            uncertain: &mut uncertain,
            addon_moves: &addon_moves,
            hourly: hourly.as_deref(),
            stop,
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
    if a.region != crate::catalog::HOME_REGION {
        // Until the lines below compute in the region, say so rather than price it silently.
        warnings.push(format!(
            "EC2 prices are {region}'s; supporting-service, Fargate and managed-database prices are {home}'s \
             (the catalog has no source for {region}'s yet)",
            region = a.region,
            home = crate::catalog::HOME_REGION
        ));
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
        // The prices an estimate in the region rests on: a catalog-age warning names its date.
        oldest_price_as_of: catalog
            .oldest_price_as_of_in(&a.region)
            .unwrap_or_else(|| catalog.oldest_price_as_of.clone()),
        assumptions: Assumptions { targets, ..a.clone() },
        warnings,
        uncertain,
        addon_moves,
        requests,
    })
}
