//! From a scenario and a catalog to a report.

use crate::catalog::{service, Catalog};
use crate::current::{heroku_current, push_source};
use crate::money::{Hours, Usd};
use crate::node::{allocatable, Allocatable};
use crate::packing::{pack, ReplicaGroup};
use crate::report::{CostLine, NodeCount, NodeShape, OptionEstimate, Report, SourceLine, Utilization};
use crate::scenario::{Platform, Scenario};
use crate::sizing::Request;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Why an estimate cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstimateError {
    /// The catalog has no prices for the region.
    #[error("region `{region}` has no prices in the catalog (nearest known: {known})")]
    UnknownRegion {
        /// The requested region.
        region: String,
        /// Regions the catalog has.
        known: String,
    },
    /// An allowed instance type the catalog does not know.
    #[error("instance type `{name}` is not in the catalog; nearest: {nearest}")]
    UnknownInstanceType {
        /// The name given.
        name: String,
        /// The nearest known names.
        nearest: String,
    },
    /// None of the allowed instance types has a price in the region.
    #[error("none of the allowed instance types has a price in {region}")]
    NoPricedCandidate {
        /// The region.
        region: String,
    },
    /// A replica is larger than every allowed instance type.
    #[error("{app}/{process}: a replica asking {cpu_millicores} m CPU and {memory_mib} MiB fits on none of the allowed instance types")]
    FitsNowhere {
        /// App name.
        app: String,
        /// Process name.
        process: String,
        /// CPU request, millicores.
        cpu_millicores: u32,
        /// Memory request, MiB.
        memory_mib: u32,
    },
    /// A process with replicas but no CPU or memory request cannot be placed.
    #[error("{app}/{process}: no CPU or memory request (the catalog does not know its size); set its requests")]
    NoRequest {
        /// App name.
        app: String,
        /// Process name.
        process: String,
    },
    /// An assumption is out of range.
    #[error("assumption `{name}`: {problem}")]
    InvalidAssumption {
        /// The assumption.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
}

/// Estimates the current cost and every target platform's cost of the scenario.
pub fn estimate(scenario: &Scenario, catalog: &Catalog) -> Result<Report, EstimateError> {
    let a = &scenario.assumptions;
    if a.hours_per_month == 0 || a.hours_per_month > 744 {
        return Err(EstimateError::InvalidAssumption {
            name: "hours_per_month",
            problem: format!("{} is not between 1 and 744", a.hours_per_month),
        });
    }
    if a.availability_zones == 0 || a.availability_zones > 6 {
        return Err(EstimateError::InvalidAssumption {
            name: "availability_zones",
            problem: format!("{} is not between 1 and 6", a.availability_zones),
        });
    }
    if !catalog.regions().contains(&a.region.as_str()) {
        let regions = catalog.regions();
        let near = crate::explore::nearest(&a.region, regions.iter().copied(), 3);
        return Err(EstimateError::UnknownRegion { region: a.region.clone(), known: near.join(", ") });
    }
    for name in &a.instance_types {
        if catalog.instance_type(name).is_none() {
            let near = crate::explore::nearest(name, catalog.instance_types.iter().map(|t| t.name.as_str()), 3);
            return Err(EstimateError::UnknownInstanceType { name: name.clone(), nearest: near.join(", ") });
        }
    }

    for app in &scenario.workloads.apps {
        for p in &app.processes {
            if p.replicas > 0 && (p.cpu_millicores == 0 || p.memory_mib == 0) {
                return Err(EstimateError::NoRequest { app: app.name.clone(), process: p.name.clone() });
            }
        }
    }
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    let current = heroku_current(&scenario.workloads, catalog, &mut sources, &mut warnings);

    let groups: Vec<(&str, &str, ReplicaGroup)> = scenario
        .workloads
        .apps
        .iter()
        .flat_map(|app| {
            app.processes.iter().map(move |p| {
                let request = Request { cpu_millicores: p.cpu_millicores, memory_mib: p.memory_mib };
                (app.name.as_str(), p.name.as_str(), ReplicaGroup { request, replicas: p.replicas })
            })
        })
        .collect();

    let mut options = Vec::new();
    for &platform in &a.targets {
        options.push(estimate_platform(platform, scenario, catalog, &groups, current.monthly_usd, &mut sources)?);
    }
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
    })
}

/// The cheapest plan of one instance type for this platform.
struct Plan<'c> {
    instance: &'c crate::catalog::InstanceType,
    price: &'c crate::catalog::InstancePrice,
    per_zone: Vec<u32>,
    node: Allocatable,
    monthly: Usd,
}

fn estimate_platform(
    platform: Platform,
    scenario: &Scenario,
    catalog: &Catalog,
    groups: &[(&str, &str, ReplicaGroup)],
    current: Usd,
    sources: &mut Vec<SourceLine>,
) -> Result<OptionEstimate, EstimateError> {
    let a = &scenario.assumptions;
    let hours = Hours(a.hours_per_month);
    let replica_groups: Vec<ReplicaGroup> = groups.iter().map(|g| g.2).collect();
    let mut best: Option<Plan> = None;
    let mut priced = 0;
    let mut too_big = None;
    for name in &a.instance_types {
        let (Some(instance), Some(price)) = (catalog.instance_type(name), catalog.instance_price(&a.region, name))
        else {
            continue;
        };
        priced += 1;
        let Some(node) = instance.shape().and_then(|shape| allocatable(shape, platform, a)) else {
            continue;
        };
        match pack(&replica_groups, a.availability_zones, node) {
            Ok(packing) => {
                let monthly = (price.hourly() * hours).times(packing.total_nodes());
                let better = match &best {
                    None => true,
                    Some(b) => (monthly, packing.total_nodes()) < (b.monthly, b.per_zone.iter().sum()),
                };
                if better {
                    best = Some(Plan { instance, price, per_zone: packing.nodes_per_zone, node, monthly });
                }
            }
            Err(e) => too_big = Some(e.group),
        }
    }
    if priced == 0 {
        return Err(EstimateError::NoPricedCandidate { region: a.region.clone() });
    }
    let Some(plan) = best else {
        let (app, process, g) = groups[too_big.unwrap_or(0)];
        return Err(EstimateError::FitsNowhere {
            app: app.into(),
            process: process.into(),
            cpu_millicores: g.request.cpu_millicores,
            memory_mib: g.request.memory_mib,
        });
    };

    let count: u32 = plan.per_zone.iter().sum();
    let mut breakdown = vec![CostLine { category: "EC2 nodes (on-demand)".into(), monthly_usd: plan.monthly }];
    if count > 0 {
        push_source(
            sources,
            SourceLine {
                item: format!("EC2 {} on-demand, Linux, {}", plan.instance.name, a.region),
                usd: plan.price.usd_per_hour,
                unit: "USD per instance-hour".into(),
                source: plan.price.provenance.source.clone(),
                as_of: plan.price.provenance.as_of.clone(),
            },
        );
    }
    if platform == Platform::EksEc2 {
        if let Some(fee) = catalog.service(service::EKS_CLUSTER_STANDARD) {
            let monthly = Usd::new(fee.usd * Decimal::from(a.hours_per_month));
            breakdown.push(CostLine { category: "EKS control plane".into(), monthly_usd: monthly });
            push_source(sources, SourceLine::from_service(fee));
        }
    }
    let monthly_usd: Usd = breakdown.iter().map(|l| l.monthly_usd).sum();

    let (req_cpu, req_mem) = replica_groups.iter().fold((0u64, 0u64), |(c, m), g| {
        (
            c + u64::from(g.request.cpu_millicores) * u64::from(g.replicas),
            m + u64::from(g.request.memory_mib) * u64::from(g.replicas),
        )
    });
    let ratio = |requested: u64, per_node: u32| {
        let total = u64::from(per_node) * u64::from(count);
        if total == 0 {
            0.0
        } else {
            requested as f64 / total as f64
        }
    };
    let utilization =
        Utilization { cpu: ratio(req_cpu, plan.node.cpu_millicores), memory: ratio(req_mem, plan.node.memory_mib) };
    let savings_vs_current_pct = (current > Usd::ZERO).then(|| {
        let pct = (current.amount() - monthly_usd.amount()) / current.amount() * Decimal::ONE_HUNDRED;
        pct.round_dp(1).to_f64().unwrap_or(0.0)
    });
    let nodes = if count > 0 {
        vec![NodeCount { instance_type: plan.instance.name.clone(), count, per_zone: plan.per_zone.clone() }]
    } else {
        Vec::new()
    };
    let node_allocatable = (count > 0).then_some(NodeShape {
        cpu_millicores: plan.node.cpu_millicores,
        memory_mib: plan.node.memory_mib,
        max_pods: (plan.node.pods != u32::MAX).then_some(plan.node.pods),
    });
    Ok(OptionEstimate {
        platform,
        label: platform.label().into(),
        region: a.region.clone(),
        monthly_usd,
        breakdown,
        nodes,
        utilization,
        savings_vs_current_pct,
        availability_zones: a.availability_zones,
        node_allocatable,
    })
}
