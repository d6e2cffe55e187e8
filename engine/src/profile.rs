//! Time profiles: replicas hour by hour over a representative week. Nodes follow the profile
//! (cluster autoscaling), so compute costs the week's mean rather than its peak, and a
//! commitment covers only the part of the node-cost curve that is used enough hours to pay.

use crate::workload::{Workloads, HOURS_PER_WEEK};

/// Replicas of every process (in workload order) for each hour of the week, with the
/// scale-up margin added (rounded up); `None` when no process has an hourly profile.
/// Processes without one run their constant replicas all week.
pub fn hourly_replicas(w: &Workloads, margin: f64) -> Option<Vec<Vec<u32>>> {
    let processes: Vec<_> = w.apps.iter().flat_map(|a| &a.processes).collect();
    let has = |p: &&crate::workload::Process| p.hourly_replicas.as_ref().is_some_and(|h| h.len() == HOURS_PER_WEEK);
    if !processes.iter().any(has) {
        return None;
    }
    let m = if margin.is_finite() { margin.max(0.0) } else { 0.0 };
    Some(
        (0..HOURS_PER_WEEK)
            .map(|h| {
                processes
                    .iter()
                    .map(|p| match &p.hourly_replicas {
                        Some(v) if v.len() == HOURS_PER_WEEK => {
                            let r = f64::from(v[h]) * (1.0 + m);
                            // Round up, but never turn an exact count into one more by float noise.
                            (r - 1e-9).ceil().max(0.0) as u32
                        }
                        _ => p.replicas,
                    })
                    .collect()
            })
            .collect(),
    )
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
    fn profiles_take_the_margin_and_constant_processes_stay_constant() {
        use crate::workload::{App, Process};
        let mut web = Process::new("web", 4, 500, 512);
        web.hourly_replicas = Some((0..168).map(|h| if h % 24 < 8 { 2 } else { 10 }).collect());
        let clock = Process::new("clock", 1, 100, 256);
        let w = Workloads {
            apps: vec![App { name: "a".into(), source: String::new(), processes: vec![web, clock], addons: vec![] }],
            ..Workloads::default()
        };
        let hours = hourly_replicas(&w, 0.1).unwrap();
        // 2 × 1.1 = 2.2 → 3; 10 × 1.1 = 11 exactly → 11
        assert_eq!(hours[0], vec![3, 1]);
        assert_eq!(hours[12], vec![11, 1]);
        assert_eq!(hourly_replicas(&Workloads::default(), 0.1), None);
    }
}
