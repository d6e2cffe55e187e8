//! What the planner places (each process's request under the sizing policy, and its
//! replicas), what right-sizing from measured use saves, and measured use itself.

use super::price::on_demand_per_hour;
use crate::catalog::Catalog;
use crate::error::EstimateError;
use crate::money::Usd;
use crate::plan::{plan, Candidate, Demand};
use crate::report::RightSizing;
use crate::scenario::{Assumptions, Platform, SizingPolicy};
use crate::sizing::Request;
use crate::workload::Workloads;
use rust_decimal::Decimal;

/// What the planner places: each process's request (by the sizing policy) and replicas.
pub(super) fn demands<'w>(w: &'w Workloads, a: &Assumptions, policy: SizingPolicy) -> Vec<Demand<'w>> {
    w.apps
        .iter()
        .flat_map(|app| {
            app.processes.iter().map(move |p| Demand {
                app: &app.name,
                process: &p.name,
                request: match (&p.measured, policy) {
                    (Some(m), SizingPolicy::Measured) => crate::sizing::request_from_measured(m, a),
                    _ => Request { cpu_millicores: p.cpu_millicores, memory_mib: p.memory_mib },
                },
                replicas: p.replicas,
                interruption_tolerant: p.interruption_tolerant.unwrap_or(false),
            })
        })
        .collect()
}

/// On-demand compute of the constant replicas under each sizing policy, when any process
/// has measurements: what right-sizing from measured use saves.
pub(super) fn right_sizing(
    platform: Platform,
    workloads: &Workloads,
    cands: &[Candidate],
    catalog: &Catalog,
    a: &Assumptions,
) -> Result<Option<RightSizing>, EstimateError> {
    if !workloads.apps.iter().flat_map(|x| &x.processes).any(|p| p.measured.is_some() && p.replicas > 0) {
        return Ok(None);
    }
    let hours = Decimal::from(a.hours_per_month);
    let cost = |policy| -> Result<Usd, EstimateError> {
        let p = plan(platform, &demands(workloads, a, policy), cands, a, None)?;
        Ok(Usd::new(on_demand_per_hour(platform, &p, catalog, a) * hours))
    };
    let (dyno, measured) = (cost(SizingPolicy::Dyno)?, cost(SizingPolicy::Measured)?);
    Ok(Some(RightSizing { dyno_sized_compute_usd: dyno, measured_compute_usd: measured, savings_usd: dyno - measured }))
}

/// Measured p95 CPU (millicores, from the load average) and memory (MiB) of every running
/// replica, with what the current platform gives them; `None` unless every process with
/// replicas was measured.
pub(super) fn measured_use(w: &Workloads) -> Option<[f64; 4]> {
    let running: Vec<_> = w.apps.iter().flat_map(|a| &a.processes).filter(|p| p.replicas > 0).collect();
    if running.is_empty() || running.iter().any(|p| p.measured.is_none()) {
        return None;
    }
    Some(running.iter().fold([0.0; 4], |[cu, mu, cc, mc], p| {
        let m = p.measured.as_ref().expect("checked above");
        let n = f64::from(p.replicas);
        [
            cu + m.cpu_load_p95 * 1000.0 * n,
            mu + m.memory_mib_p95 * n,
            cc + f64::from(p.cpu_millicores) * n,
            mc + f64::from(p.memory_mib) * n,
        ]
    }))
}

/// `used / capacity`, zero when there is no capacity.
pub(super) fn ratio(used: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        used / capacity
    } else {
        0.0
    }
}
