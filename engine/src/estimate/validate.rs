//! The scenario checked before any work: assumptions in range, overrides the catalog knows,
//! add-on targets that fit their plans, a region with prices, and every process placeable.

use crate::catalog::Catalog;
use crate::error::EstimateError;
use crate::scenario::{Assumptions, Scenario};

/// The assumptions in range, and known to the catalog where they name it (each of `regions`).
pub(super) fn assumptions(a: &Assumptions, regions: &[String], catalog: &Catalog) -> Result<(), EstimateError> {
    let invalid = |name, problem: String| Err(EstimateError::InvalidAssumption { name, problem });
    if a.hours_per_month == 0 || a.hours_per_month > 744 {
        return invalid("hours_per_month", format!("{} is not between 1 and 744", a.hours_per_month));
    }
    if a.availability_zones == 0 || a.availability_zones > 6 {
        return invalid("availability_zones", format!("{} is not between 1 and 6", a.availability_zones));
    }
    if a.tco_months == 0 || a.tco_months > 120 {
        return invalid("tco_months", format!("{} is not between 1 and 120", a.tco_months));
    }
    for (id, v) in &a.overrides {
        if catalog.assumption(id).is_none() {
            return invalid("overrides", format!("`{id}` is not an assumption the catalog knows"));
        }
        if v.is_sign_negative() {
            return invalid("overrides", format!("`{id}` is negative"));
        }
    }
    let p = &a.people;
    let negative = [
        ("people.migration_engineer_weeks", p.migration_engineer_weeks),
        ("people.engineer_week_usd", p.engineer_week_usd),
        ("people.outside_services_usd", p.outside_services_usd),
        ("people.ops_engineer_fraction", p.ops_engineer_fraction),
        ("people.engineer_year_usd", p.engineer_year_usd),
        ("supporting.alb_lcu_per_hour", a.supporting.alb_lcu_per_hour),
        ("supporting.nat_gb_per_month", a.supporting.nat_gb_per_month),
        ("supporting.cross_az_gb_per_month", a.supporting.cross_az_gb_per_month),
        ("supporting.data_transfer_out_gb_per_month", a.supporting.data_transfer_out_gb_per_month),
        ("supporting.log_gb_per_month", a.supporting.log_gb_per_month),
        ("supporting.transit_gateway_gb_per_month", a.supporting.transit_gateway_gb_per_month),
    ];
    if let Some((name, _)) = negative.iter().find(|(_, v)| v.is_sign_negative() && !v.is_zero()) {
        return invalid(name, "is negative".into());
    }
    for (plan, target) in &a.addon_targets {
        use crate::managed::AddonTarget as T;
        let problem = match target {
            _ if !crate::managed::is_movable(plan) => Some(format!(
                "`{plan}` is not a Heroku Postgres or Key-Value Store plan (`heroku-postgresql:…`, `heroku-redis:…`)"
            )),
            T::RdsPostgresql { .. } if !plan.starts_with("heroku-postgresql:") => {
                Some(format!("`{plan}`: only Heroku Postgres plans go to RDS for PostgreSQL"))
            }
            T::Elasticache { .. } if !plan.starts_with("heroku-redis:") => {
                Some(format!("`{plan}`: only Key-Value Store (Redis) plans go to ElastiCache"))
            }
            T::RdsPostgresql { class, .. } if !class.starts_with("db.") => {
                Some(format!("`{plan}`: `{class}` is not an RDS class (db.…)"))
            }
            T::RdsPostgresql { storage_gb, .. } if !(20..=65_536).contains(storage_gb) => {
                Some(format!("`{plan}`: storage {storage_gb} GB is not between 20 and 65536"))
            }
            T::Elasticache { node_type, .. } if !node_type.starts_with("cache.") => {
                Some(format!("`{plan}`: `{node_type}` is not an ElastiCache node type (cache.…)"))
            }
            T::Elasticache { nodes, .. } if !(1..=6).contains(nodes) => {
                Some(format!("`{plan}`: {nodes} nodes is not between 1 and 6 (a primary and up to 5 replicas)"))
            }
            _ => None,
        };
        if let Some(problem) = problem {
            return invalid("addon_targets", problem);
        }
    }
    let known = catalog.regions();
    if let Some(r) = regions.iter().find(|r| !known.contains(&r.as_str())) {
        let near = crate::explore::nearest(r, known.iter().copied(), 3);
        return Err(EstimateError::UnknownRegion { region: r.clone(), known: near.join(", ") });
    }
    Ok(())
}

/// Every process with replicas has a request, and every autoscaling policy names a process of
/// the workloads and is in range.
pub(super) fn workloads(scenario: &Scenario) -> Result<(), EstimateError> {
    for app in &scenario.workloads.apps {
        for p in &app.processes {
            if p.replicas > 0 && (p.cpu_millicores == 0 || p.memory_mib == 0) {
                return Err(EstimateError::NoRequest { app: app.name.clone(), process: p.name.clone() });
            }
        }
    }
    for (key, policy) in &scenario.assumptions.autoscaling {
        let known =
            scenario.workloads.apps.iter().any(|app| {
                app.processes.iter().any(|p| key.split_once('/') == Some((app.name.as_str(), p.name.as_str())))
            });
        let problem = if !known {
            Some(format!("`{key}` is not an app/process of the workloads"))
        } else if !(policy.target_utilization > 0.0 && policy.target_utilization <= 1.0) {
            Some(format!("`{key}`: target utilization {} is not above 0 and at most 1", policy.target_utilization))
        } else if policy.min_replicas > policy.max_replicas {
            Some(format!("`{key}`: min replicas {} above max {}", policy.min_replicas, policy.max_replicas))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(EstimateError::InvalidAssumption { name: "autoscaling", problem });
        }
    }
    Ok(())
}
