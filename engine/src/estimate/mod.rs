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

mod bill_basis;
mod demands;
mod generations;
mod option;
mod price;
mod ranges;
mod regions;
mod validate;
mod week;
mod whatif;
mod work;

use crate::catalog::{Catalog, HOME_REGION};
use crate::current::heroku_current;
use crate::error::EstimateError;
use crate::limits::{distinct, Limits, Never, Stop};
use crate::purchase::assumed;
use crate::report::{ProcessRequest, Report, UncertainFigure, Utilization};
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
    let (prepared, notes) = bill_basis::prepare(scenario);
    let scenario = prepared.as_ref();
    let a = &scenario.assumptions;
    let regions = a.estimated_regions();
    validate::assumptions(a, &regions, catalog)?;
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
    // Each region is estimated under the scenario's assumptions with its own region.
    let in_regions: Vec<Assumptions> =
        regions.iter().map(|r| Assumptions { region: r.clone(), regions: Vec::new(), ..a.clone() }).collect();
    let has_nodes = targets.iter().any(|t| !t.is_fargate());
    let mut matrix = (a.compare_generations && has_nodes).then(|| generations::Matrix::new(catalog, &in_regions[0]));
    let generation_plans = if matrix.is_some() { generations::Matrix::plans(catalog, &in_regions[0]) } else { 0 };
    work::within_budget(&targets, &demands, hourly.as_deref(), regions.len() as u64, generation_plans, limits.work)?;
    let mut uncertain = Vec::new();
    let mut options = Vec::new();
    let mut addon_moves = Vec::new();
    let mut region_rows = Vec::new();
    let mut stood_in = false;
    for (i, ra) in in_regions.iter().enumerate() {
        let moves = crate::managed::moves(&scenario.workloads, catalog, ra, &mut sources);
        let range = crate::stand_in::range(catalog, &ra.region).filter(|_| ra.region != HOME_REGION);
        let mut region_warnings = Vec::new();
        let mut region_options = Vec::new();
        for &platform in &targets {
            if stop.now() {
                return Err(EstimateError::Stopped);
            }
            let mut ctx = Context {
                catalog,
                assumptions: ra,
                sources: &mut sources,
                uncertain: &mut uncertain,
                addon_moves: &moves,
                hourly: hourly.as_deref(),
                stop,
                stand_in: range.as_ref(),
                generations: if i == 0 { matrix.as_mut() } else { None },
            };
            let option = estimate_option(
                platform,
                &scenario.workloads,
                &demands,
                current.monthly_usd,
                &mut ctx,
                &mut region_warnings,
            )?;
            options.push(option.clone());
            region_options.push(option);
        }
        let row = regions::row(catalog, ra, &region_options, &moves);
        if !row.stand_ins.is_empty() {
            stood_in = true;
            region_warnings.extend(regions::stand_in_warning(&row, range.as_ref()));
            stand_in_figure(catalog, ra, range.as_ref(), &mut uncertain);
        }
        if let Some(note) = &row.note {
            region_warnings.push(note.clone());
        }
        for w in region_warnings {
            // Several regions: each warning says whose it is.
            let w = if regions.len() > 1 && !w.starts_with(&ra.region) { format!("{}: {w}", ra.region) } else { w };
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        region_rows.push(row);
        addon_moves.extend(moves);
    }
    regions::mark_cheapest(&mut region_rows);
    let requests = demands
        .iter()
        .map(|d| ProcessRequest {
            process: format!("{}/{}", d.app, d.process),
            cpu_millicores: d.request.cpu_millicores,
            memory_mib: d.request.memory_mib,
        })
        .collect();
    // The prices the estimate rests on: each region's, and the home region's where it stood in.
    let oldest_price_as_of = regions
        .iter()
        .map(String::as_str)
        .chain(stood_in.then_some(HOME_REGION))
        .filter_map(|r| catalog.oldest_price_as_of_in(r))
        .min()
        .unwrap_or_else(|| catalog.oldest_price_as_of.clone());
    Ok(Report {
        currency: "USD".into(),
        hours_per_month: a.hours_per_month,
        current,
        options,
        sources,
        catalog_as_of: catalog.snapshot.clone(),
        oldest_price_as_of,
        assumptions: Assumptions { targets, ..a.clone() },
        warnings,
        uncertain,
        addon_moves,
        requests,
        regions: region_rows,
        generations: matrix.map(generations::Matrix::finish).unwrap_or_default(),
    })
}

/// The stand-in assumption as the report lists it for `a.region`: its value and the region's
/// range.
fn stand_in_figure(
    catalog: &Catalog,
    a: &Assumptions,
    range: Option<&crate::stand_in::Range>,
    uncertain: &mut Vec<UncertainFigure>,
) {
    let (Some(x), Some(r)) = (assumed(catalog, a, crate::stand_in::ASSUMPTION), range) else { return };
    uncertain.push(UncertainFigure {
        id: crate::stand_in::ASSUMPTION.into(),
        description: format!("{} ({})", x.default.description, a.region),
        value: x.value,
        unit: x.default.unit.clone(),
        low: r.low,
        high: r.high,
        overridden: x.overridden,
        source: r.basis.clone(),
        as_of: x.default.provenance.as_of.clone(),
        region: Some(a.region.clone()),
    });
}
