//! How much one estimate may ask for, checked before any work starts, and when to give up.
//!
//! Every count and amount in a scenario is checked against [`Limits`] (the field named, with
//! the limit), so no document can make the engine allocate without bound or overflow exact
//! money: with every input bounded here, no sum or product of them reaches `Decimal`'s range.
//! Then the packing work the estimate would do is counted in [`WorkUnits`] before it is done,
//! and an estimate over the budget is refused rather than tried. While it runs, the engine asks
//! a [`Stop`] between steps whether to give up (the server's request deadline); the engine reads
//! no clock itself.

use crate::scenario::Scenario;
use crate::workload::HOURS_PER_WEEK;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// What one estimate may hold. The defaults fit the largest estates we know of (an inventory of
/// 30,000 servers, as AWS Migration Evaluator takes) with room to spare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Processes over all apps.
    pub processes: usize,
    /// Replicas of one process, in any hour.
    pub replicas_per_process: u32,
    /// Replicas of all processes together, at the busiest hour.
    pub replicas: u64,
    /// EC2 instances in today's fleet.
    pub instances: usize,
    /// Add-ons over all apps.
    pub addons: usize,
    /// Regions estimated side by side.
    pub regions: usize,
    /// The packing work one estimate may do, in [`WorkUnits`].
    pub work: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            processes: 100_000,
            replicas_per_process: 100_000,
            replicas: 1_000_000,
            instances: 100_000,
            addons: 100_000,
            regions: 30,
            work: DEFAULT_WORK,
        }
    }
}

/// About twenty seconds of packing on a 2-core machine (see [`WorkUnits`]); the bundled sample
/// needs about 0.1% of it, a 30,000-server fleet on its instance types under 1%.
pub const DEFAULT_WORK: u64 = 250_000_000;

/// The largest amount of money any input may state, USD: a trillion dollars a month is beyond
/// any real bill, and bounding it keeps every total far inside exact decimal range.
pub const MAX_USD: u64 = 1_000_000_000_000;

/// The largest quantity any input may state (GB a month, LCUs an hour, engineer-weeks).
pub const MAX_QUANTITY: u64 = 1_000_000_000_000;

/// The largest request of one replica: 1,000 vCPU or 10 TiB fits no instance type, and
/// bounding it keeps node arithmetic in range.
pub const MAX_REQUEST_MILLICORES: u32 = 1_000_000;
/// See [`MAX_REQUEST_MILLICORES`].
pub const MAX_REQUEST_MIB: u32 = 10 * 1024 * 1024;

/// A scenario over a limit: the field, what it holds and the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {found} is over the limit of {limit}")]
pub struct LimitExceeded {
    /// The field, as a path in the scenario document (`workloads.apps[0].processes[2].replicas`).
    pub field: String,
    /// What the document holds there.
    pub found: String,
    /// The limit, with its unit.
    pub limit: String,
}

/// Packing work, counted before it is done: for each node target, each plan it makes (in each
/// region, each distinct hour of a profile, the spot pool, the what-ifs; once, each generation
/// group compared) costs a fixed search over a pool's zones, plus its replicas, plus the square of its distinct requests (the mixed packer weighs
/// requests against each other), plus its replicas times its distinct requests (each node's
/// fill scans the requests still waiting). Measured on a 2-core machine at about 80 ns a unit:
/// 30,000 one-replica processes of 8,000 distinct requests on one node target count 7.1e7
/// units and take 6.3 s. Fargate targets size each process once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WorkUnits(pub u64);

/// What one plan of a small pool costs in units whatever its size: the zone spreads, the split
/// search and covering with node patterns (12 processes of 20 replicas following a 168-hour
/// profile take 2.2 s for 173 plans on ECS).
const UNITS_PER_PLAN: u64 = 150_000;

/// Plans made besides the profile's hours: the spot pool, the two headroom what-ifs and the
/// two sizings compared for right-sizing.
const EXTRA_PLANS: u64 = 5;

impl WorkUnits {
    /// Plans each node target makes for `hours` distinct hours: those, and the extra plans.
    pub fn plans(hours: u64) -> u64 {
        hours.max(1).saturating_add(EXTRA_PLANS)
    }

    /// The work of estimating `node_targets` node targets and `fargate_targets` Fargate targets
    /// of `processes` processes, each target making `plans` plans (every region's and the
    /// generation groups', see [`WorkUnits::plans`]) of `replicas` at the busiest hour and
    /// `distinct` distinct requests, the Fargate targets sizing each process once in each of
    /// `regions` regions.
    pub fn of(
        node_targets: u64,
        fargate_targets: u64,
        processes: u64,
        plans: u64,
        regions: u64,
        replicas: u64,
        distinct: u64,
    ) -> Self {
        let per_plan = UNITS_PER_PLAN
            .saturating_add(replicas)
            .saturating_add(distinct.saturating_mul(distinct) / 8)
            .saturating_add(replicas.saturating_mul(distinct) / 64);
        WorkUnits(
            node_targets
                .saturating_mul(plans)
                .saturating_mul(per_plan)
                .saturating_add(fargate_targets.saturating_mul(processes).saturating_mul(regions)),
        )
    }
}

/// Asked between the steps of an estimate whether to give up; the engine itself reads no clock.
pub trait Stop {
    /// Whether to stop now.
    fn now(&self) -> bool;
}

/// Never stops: the page and the command line, where the user waits as long as they like.
#[derive(Debug, Clone, Copy, Default)]
pub struct Never;

impl Stop for Never {
    fn now(&self) -> bool {
        false
    }
}

impl Limits {
    /// Every count and amount of `scenario` within these limits and the fixed bounds.
    pub fn check(&self, scenario: &Scenario) -> Result<(), LimitExceeded> {
        let over = |field: String, found: String, limit: String| Err(LimitExceeded { field, found, limit });
        let w = &scenario.workloads;
        if scenario.assumptions.regions.len() > self.regions {
            return over(
                "assumptions.regions".into(),
                format!("{} regions", scenario.assumptions.regions.len()),
                format!("{} regions", self.regions),
            );
        }
        let processes: usize = w.apps.iter().map(|a| a.processes.len()).sum();
        if processes > self.processes {
            return over(
                "workloads.apps[].processes".into(),
                format!("{processes} processes"),
                format!("{} processes", self.processes),
            );
        }
        let addons: usize = w.apps.iter().map(|a| a.addons.len()).sum();
        if addons > self.addons {
            return over(
                "workloads.apps[].addons".into(),
                format!("{addons} add-ons"),
                format!("{} add-ons", self.addons),
            );
        }
        if w.instances.len() > self.instances {
            return over(
                "workloads.instances".into(),
                format!("{} instances", w.instances.len()),
                format!("{} instances", self.instances),
            );
        }
        money("workloads.current_monthly_usd", w.current_monthly_usd.amount())?;
        let mut busiest = [0u64; HOURS_PER_WEEK];
        let mut constant = 0u64;
        for (i, app) in w.apps.iter().enumerate() {
            for (j, p) in app.processes.iter().enumerate() {
                let at = |f: &str| format!("workloads.apps[{i}].processes[{j}].{f}");
                let per = self.replicas_per_process;
                if p.replicas > per {
                    return over(at("replicas"), p.replicas.to_string(), format!("{per} replicas per process"));
                }
                if p.cpu_millicores > MAX_REQUEST_MILLICORES {
                    return over(
                        at("cpu_millicores"),
                        p.cpu_millicores.to_string(),
                        format!("{MAX_REQUEST_MILLICORES} millicores"),
                    );
                }
                if p.memory_mib > MAX_REQUEST_MIB {
                    return over(at("memory_mib"), p.memory_mib.to_string(), format!("{MAX_REQUEST_MIB} MiB"));
                }
                money(&at("monthly_usd"), p.monthly_usd.amount())?;
                if let Some(h) = &p.hours_per_month {
                    if *h > 744 {
                        return over(at("hours_per_month"), h.to_string(), "744 hours".into());
                    }
                }
                constant += u64::from(p.replicas);
                if let Some(hours) = &p.hourly_replicas {
                    if hours.len() > HOURS_PER_WEEK {
                        return over(
                            at("hourly_replicas"),
                            format!("{} hours", hours.len()),
                            format!("{HOURS_PER_WEEK} hours (a week)"),
                        );
                    }
                    if let Some((k, r)) = hours.iter().enumerate().find(|(_, r)| **r > per) {
                        return over(
                            at(&format!("hourly_replicas[{k}]")),
                            r.to_string(),
                            format!("{per} replicas per process"),
                        );
                    }
                    for (b, r) in busiest.iter_mut().zip(hours) {
                        *b += u64::from(*r);
                    }
                }
                if let Some(rates) = &p.hourly_requests_per_second {
                    if rates.len() > HOURS_PER_WEEK {
                        return over(
                            at("hourly_requests_per_second"),
                            format!("{} hours", rates.len()),
                            format!("{HOURS_PER_WEEK} hours (a week)"),
                        );
                    }
                }
                if let Some(m) = &p.measured {
                    let values = [m.memory_mib_p50, m.memory_mib_p95, m.memory_mib_max, m.cpu_load_p95];
                    if let Some(v) = values.into_iter().find(|v| !v.is_finite() || v.abs() > f64::from(MAX_REQUEST_MIB))
                    {
                        return over(at("measured"), v.to_string(), format!("{MAX_REQUEST_MIB} (MiB or load)"));
                    }
                }
            }
            for (j, x) in app.addons.iter().enumerate() {
                money(&format!("workloads.apps[{i}].addons[{j}].monthly_usd"), x.monthly_usd.amount())?;
            }
        }
        for (k, inst) in w.instances.iter().enumerate() {
            if let Some(usd) = inst.monthly_usd {
                money(&format!("workloads.instances[{k}].monthly_usd"), usd.amount())?;
            }
        }
        let replicas = constant.max(busiest.iter().copied().max().unwrap_or(0));
        if replicas > self.replicas {
            return over(
                "workloads.apps[].processes[].replicas".into(),
                format!("{replicas} replicas in all"),
                format!("{} replicas in all", self.replicas),
            );
        }
        self.check_assumptions(scenario)
    }

    fn check_assumptions(&self, scenario: &Scenario) -> Result<(), LimitExceeded> {
        let a = &scenario.assumptions;
        let counts: [(&str, u64, u64); 11] = [
            ("millicores_per_compute_unit", a.millicores_per_compute_unit.into(), 100_000),
            ("ecs_reserved_memory_mib", a.ecs_reserved_memory_mib.into(), MAX_REQUEST_MIB.into()),
            ("os_reserved_memory_mib", a.os_reserved_memory_mib.into(), MAX_REQUEST_MIB.into()),
            ("eks_daemonset_cpu_millicores", a.eks_daemonset_cpu_millicores.into(), MAX_REQUEST_MILLICORES.into()),
            ("eks_daemonset_memory_mib", a.eks_daemonset_memory_mib.into(), MAX_REQUEST_MIB.into()),
            ("sizing_min_cpu_millicores", a.sizing_min_cpu_millicores.into(), MAX_REQUEST_MILLICORES.into()),
            ("sizing_min_memory_mib", a.sizing_min_memory_mib.into(), MAX_REQUEST_MIB.into()),
            ("supporting.root_volume_gb", a.supporting.root_volume_gb.into(), 65_536),
            ("supporting.kms_keys", a.supporting.kms_keys.into(), 1_000_000),
            ("supporting.secrets", a.supporting.secrets.into(), 1_000_000),
            ("supporting.transit_gateway_attachments", a.supporting.transit_gateway_attachments.into(), 1_000_000),
        ];
        for (field, found, limit) in counts {
            if found > limit {
                return Err(LimitExceeded {
                    field: format!("assumptions.{field}"),
                    found: found.to_string(),
                    limit: limit.to_string(),
                });
            }
        }
        let ratios =
            [("sizing_memory_headroom", a.sizing_memory_headroom, 100.0), ("scale_up_margin", a.scale_up_margin, 10.0)];
        for (field, found, limit) in ratios {
            if !(found.is_finite() && found.abs() <= limit) {
                return Err(LimitExceeded {
                    field: format!("assumptions.{field}"),
                    found: found.to_string(),
                    limit: limit.to_string(),
                });
            }
        }
        if a.instance_types.len() > 10_000 {
            return Err(LimitExceeded {
                field: "assumptions.instance_types".into(),
                found: format!("{} names", a.instance_types.len()),
                limit: "10000 names".into(),
            });
        }
        for (key, policy) in &a.autoscaling {
            for (what, n) in [("min_replicas", policy.min_replicas), ("max_replicas", policy.max_replicas)] {
                if n > self.replicas_per_process {
                    return Err(LimitExceeded {
                        field: format!("assumptions.autoscaling.{key}.{what}"),
                        found: n.to_string(),
                        limit: format!("{} replicas per process", self.replicas_per_process),
                    });
                }
            }
        }
        let p = &a.people;
        let amounts = [
            ("people.engineer_week_usd", p.engineer_week_usd, MAX_USD),
            ("people.outside_services_usd", p.outside_services_usd, MAX_USD),
            ("people.engineer_year_usd", p.engineer_year_usd, MAX_USD),
            ("people.migration_engineer_weeks", p.migration_engineer_weeks, 1_000_000),
            ("people.ops_engineer_fraction", p.ops_engineer_fraction, 1_000),
            ("supporting.alb_lcu_per_hour", a.supporting.alb_lcu_per_hour, 1_000_000),
            ("supporting.nat_gb_per_month", a.supporting.nat_gb_per_month, MAX_QUANTITY),
            ("supporting.cross_az_gb_per_month", a.supporting.cross_az_gb_per_month, MAX_QUANTITY),
            ("supporting.data_transfer_out_gb_per_month", a.supporting.data_transfer_out_gb_per_month, MAX_QUANTITY),
            ("supporting.log_gb_per_month", a.supporting.log_gb_per_month, MAX_QUANTITY),
            ("supporting.transit_gateway_gb_per_month", a.supporting.transit_gateway_gb_per_month, MAX_QUANTITY),
        ];
        for (field, found, limit) in amounts {
            within(&format!("assumptions.{field}"), found, limit)?;
        }
        if p.parallel_run_months > 120 {
            return Err(LimitExceeded {
                field: "assumptions.people.parallel_run_months".into(),
                found: p.parallel_run_months.to_string(),
                limit: "120 months".into(),
            });
        }
        for (id, v) in &a.overrides {
            within(&format!("assumptions.overrides.{id}"), *v, 1_000_000)?;
        }
        Ok(())
    }
}

/// An amount of money within [`MAX_USD`] either way (also what importers hold amounts to).
pub fn money(field: &str, amount: Decimal) -> Result<(), LimitExceeded> {
    within(field, amount, MAX_USD)
}

/// A decimal input within `limit` either way.
pub fn within(field: &str, found: Decimal, limit: u64) -> Result<(), LimitExceeded> {
    if found.abs() > Decimal::from(limit) {
        return Err(LimitExceeded {
            field: field.into(),
            found: found.normalize().to_string(),
            limit: limit.to_string(),
        });
    }
    Ok(())
}

/// The targets once each, in the order first given: a target listed twice is estimated once,
/// not twice.
pub fn distinct<T: Copy + Eq + std::hash::Hash>(items: &[T]) -> Vec<T> {
    let mut seen = HashSet::new();
    items.iter().copied().filter(|t| seen.insert(*t)).collect()
}
