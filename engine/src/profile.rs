//! Time profiles: replicas hour by hour over a representative week. Nodes follow the profile
//! (cluster autoscaling), so compute costs the week's mean rather than its peak, and a
//! commitment covers only the part of the node-cost curve that is used enough hours to pay.

use crate::workload::{Process, Workloads, HOURS_PER_WEEK};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Replicas of every process (in workload order) for each hour of the week, with the
/// scale-up margin added (rounded up); `None` when no process has an hourly profile or an
/// autoscaling policy. Processes with neither run their constant replicas all week.
pub fn hourly_replicas(w: &Workloads, margin: f64, policies: &BTreeMap<String, Autoscaling>) -> Option<Vec<Vec<u32>>> {
    let processes: Vec<(String, &Process)> =
        w.apps.iter().flat_map(|a| a.processes.iter().map(move |p| (format!("{}/{}", a.name, p.name), p))).collect();
    let profiles: Vec<Option<Vec<f64>>> =
        processes.iter().map(|(key, p)| profile_of(p, policies.get(key.as_str()))).collect();
    if profiles.iter().all(Option::is_none) {
        return None;
    }
    let m = if margin.is_finite() { margin.max(0.0) } else { 0.0 };
    Some(
        (0..HOURS_PER_WEEK)
            .map(|h| {
                processes
                    .iter()
                    .zip(&profiles)
                    .map(|((_, p), profile)| match profile {
                        Some(v) => {
                            let r = v[h] * (1.0 + m);
                            // Round up, but never turn an exact count into one more by float noise.
                            (r - 1e-9).ceil().max(0.0) as u32
                        }
                        None => p.replicas,
                    })
                    .collect()
            })
            .collect(),
    )
}

/// An autoscaling policy for one process (`app/process` in `Assumptions::autoscaling`):
/// replicas follow the imported request rate so each replica runs at the target CPU
/// utilization, within the bounds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Autoscaling {
    /// Fewest replicas.
    pub min_replicas: u32,
    /// Most replicas.
    pub max_replicas: u32,
    /// The CPU utilization each replica is kept at, 0 < t ≤ 1.
    pub target_utilization: f64,
}

/// A process's replicas for each hour: its policy applied to its request rate (replicas ∝
/// requests, scaled so the measured p95 CPU over the request becomes the target), else the
/// imported hourly replicas, else none.
fn profile_of(p: &Process, policy: Option<&Autoscaling>) -> Option<Vec<f64>> {
    let imported = p.hourly_replicas.as_ref().filter(|h| h.len() == HOURS_PER_WEEK);
    let Some(policy) = policy else {
        return imported.map(|h| h.iter().map(|&r| f64::from(r)).collect());
    };
    let (lo, hi) = (f64::from(policy.min_replicas), f64::from(policy.max_replicas.max(policy.min_replicas)));
    let target = if policy.target_utilization > 0.0 && policy.target_utilization <= 1.0 {
        policy.target_utilization
    } else {
        1.0
    };
    // Today's utilization at today's replicas; unmeasured processes are taken to run at target.
    let now = p
        .measured
        .as_ref()
        .filter(|_| p.cpu_millicores > 0)
        .map(|m| m.cpu_load_p95 * 1000.0 / f64::from(p.cpu_millicores))
        .unwrap_or(target);
    let needed_at_peak = f64::from(p.replicas) * now / target;
    let shape: Vec<f64> = match p.hourly_requests_per_second.as_ref().filter(|r| r.len() == HOURS_PER_WEEK) {
        Some(rates) => {
            let peak = rates.iter().copied().fold(0.0, f64::max);
            rates.iter().map(|r| if peak > 0.0 { r / peak } else { 1.0 }).collect()
        }
        None => match imported {
            Some(h) => {
                let peak = f64::from(h.iter().copied().max().unwrap_or(0));
                h.iter().map(|&r| if peak > 0.0 { f64::from(r) / peak } else { 1.0 }).collect()
            }
            None => vec![1.0; HOURS_PER_WEEK],
        },
    };
    Some(shape.iter().map(|s| (needed_at_peak * s).ceil().clamp(lo, hi)).collect())
}

/// The cheapest commitment against an hourly on-demand cost curve: committing `c` USD/h of
/// on-demand-priced capacity at `rate` (the committed price as a share of on-demand, e.g.
/// 0.75) costs `c × rate` every hour plus on-demand for whatever the hour needs above `c`.
/// The best `c` is one of the curve's values (the cost is piecewise linear in `c`): the level
/// used in at least `1 − rate` of the hours. Returns `(c, mean cost per hour)`.
pub fn commitment_level(hourly: &[f64], rate: f64) -> (f64, f64) {
    if hourly.is_empty() {
        return (0.0, 0.0);
    }
    let n = hourly.len() as f64;
    let cost = |c: f64| c * rate + hourly.iter().map(|h| (h - c).max(0.0)).sum::<f64>() / n;
    let mut levels: Vec<f64> = hourly.to_vec();
    levels.push(0.0);
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    levels.into_iter().map(|c| (c, cost(c))).min_by(|a, b| a.1.total_cmp(&b.1)).expect("not empty")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_curve_is_committed_in_full() {
        let (c, mean) = commitment_level(&[10.0; 168], 0.75);
        assert_eq!((c, mean), (10.0, 7.5));
    }

    #[test]
    fn a_peak_used_few_hours_stays_on_demand() {
        // 100 hours at $10, 68 hours at $20. Committing $10: 10 × 0.75 + (68 × 10) / 168 =
        // 7.5 + 4.048 = 11.548. Committing $20: 20 × 0.75 = 15. Nothing: 1360+1000... = 14.05.
        let mut curve = vec![10.0; 100];
        curve.extend(vec![20.0; 68]);
        let (c, mean) = commitment_level(&curve, 0.75);
        assert_eq!(c, 10.0);
        assert!((mean - (7.5 + 680.0 / 168.0)).abs() < 1e-9);
        // With a deep discount (rate 0.3) the peak is worth committing: 20 × 0.3 = 6
        let (c, mean) = commitment_level(&curve, 0.3);
        assert_eq!((c, mean), (20.0, 6.0));
    }

    #[test]
    fn a_policy_scales_replicas_with_the_request_rate_to_the_target() {
        use crate::workload::{App, Process};
        // 10 replicas of 500 m today at p95 load 0.2 → 200 of 500 m = 40% busy. Target 80%:
        // 5 replicas would do at peak. Requests: 100/s by day, 20/s by night → 5 and 1, but
        // never fewer than 2 nor more than 8.
        let mut web = Process::new("web", 10, 500, 512);
        web.hourly_requests_per_second = Some((0..168).map(|h| if h % 24 < 8 { 20.0 } else { 100.0 }).collect());
        web.measured = Some(crate::workload::Measured::new(200.0, 250.0, 300.0, 0.2, 10));
        let w = Workloads {
            apps: vec![App { name: "a".into(), source: String::new(), processes: vec![web], addons: vec![] }],
            ..Workloads::default()
        };
        let policy = Autoscaling { min_replicas: 2, max_replicas: 8, target_utilization: 0.8 };
        let policies = BTreeMap::from([("a/web".to_string(), policy)]);
        let hours = hourly_replicas(&w, 0.0, &policies).unwrap();
        // night: 5 × 0.2 = 1 → at least 2; day: 5
        assert_eq!((hours[0][0], hours[12][0]), (2, 5));
    }

    #[test]
    fn profiles_take_the_margin_and_constant_processes_stay_constant() {
        use crate::workload::{App, Process};
        let mut web = Process::new("web", 4, 500, 512);
        web.hourly_replicas = Some((0..168).map(|h| if h % 24 < 8 { 2 } else { 10 }).collect());
        let clock = Process::new("clock", 1, 100, 256);
        let w = Workloads {
            apps: vec![App { name: "a".into(), source: String::new(), processes: vec![web, clock], addons: vec![] }],
            ..Workloads::default()
        };
        let hours = hourly_replicas(&w, 0.1, &BTreeMap::new()).unwrap();
        // 2 × 1.1 = 2.2 → 3; 10 × 1.1 = 11 exactly → 11
        assert_eq!(hours[0], vec![3, 1]);
        assert_eq!(hours[12], vec![11, 1]);
        assert_eq!(hourly_replicas(&Workloads::default(), 0.1, &BTreeMap::new()), None);
    }
}
