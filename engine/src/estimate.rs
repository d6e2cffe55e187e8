//! From a scenario and a catalog to a report.

use crate::catalog::{Arch, Catalog};
use crate::current::{heroku_current, push_source};
use crate::money::Usd;
use crate::plan::{candidates, plan, ComputePlan, Demand};
use crate::purchase::{assumed, assumption, node_rate};
use crate::report::{
    AlternativePlan, Band, CostLine, FargateTasks, ModelCost, NodeCount, NodePlacement, NodeShape, OptionEstimate,
    PlacedReplicas, ProfileSummary, Report, RightSizing, Sensitivity, SourceLine, UncertainFigure, Utilization,
};
use crate::scenario::{Assumptions, Platform, PricingModel, Scenario, SizingPolicy};
use crate::sizing::Request;
use crate::supporting;
use crate::tco::tco;
use crate::workload::Workloads;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
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
    /// The allowed instance types run only on architectures the images are not built for.
    #[error("none of the allowed instance types runs {allowed}: {example} is {found}; add `{found}` to `architectures` if the images are built for it")]
    ArchMismatch {
        /// The architectures the images are built for.
        allowed: String,
        /// One of the allowed types.
        example: String,
        /// Its architecture.
        found: String,
    },
    /// A price the target needs is not in the catalog.
    #[error("{platform}: the catalog has no `{id}` price; `tco pricing refresh` fetches it")]
    MissingPrice {
        /// The target.
        platform: String,
        /// The catalog id.
        id: String,
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
    // Today's bill on the scenario's basis; part-month processes sized for their billed hours.
    let (prepared, notes) = crate::bill::prepare(scenario);
    let scenario = prepared.as_ref();
    let a = &scenario.assumptions;
    validate(a, catalog)?;
    for app in &scenario.workloads.apps {
        for p in &app.processes {
            if p.replicas > 0 && (p.cpu_millicores == 0 || p.memory_mib == 0) {
                return Err(EstimateError::NoRequest { app: app.name.clone(), process: p.name.clone() });
            }
        }
    }
    for (key, policy) in &a.autoscaling {
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
    let mut sources = Vec::new();
    let mut warnings = notes;
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
        options.push(estimate_platform(
            platform,
            &scenario.workloads,
            &demands,
            current.monthly_usd,
            &mut ctx,
            &mut warnings,
        )?);
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
        uncertain,
        addon_moves,
    })
}

fn validate(a: &Assumptions, catalog: &Catalog) -> Result<(), EstimateError> {
    let invalid = |name, problem: String| Err(EstimateError::InvalidAssumption { name, problem });
    if a.hours_per_month == 0 || a.hours_per_month > 744 {
        return invalid("hours_per_month", format!("{} is not between 1 and 744", a.hours_per_month));
    }
    if a.availability_zones == 0 || a.availability_zones > 6 {
        return invalid("availability_zones", format!("{} is not between 1 and 6", a.availability_zones));
    }
    if !(a.headroom > 0.0 && a.headroom <= 1.0) {
        return invalid("headroom", format!("{} is not above 0 and at most 1", a.headroom));
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
    if !catalog.regions().contains(&a.region.as_str()) {
        let regions = catalog.regions();
        let near = crate::explore::nearest(&a.region, regions.iter().copied(), 3);
        return Err(EstimateError::UnknownRegion { region: a.region.clone(), known: near.join(", ") });
    }
    Ok(())
}

/// What the planner places: each process's request (by the sizing policy) and replicas.
fn demands<'w>(w: &'w Workloads, a: &Assumptions, policy: SizingPolicy) -> Vec<Demand<'w>> {
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
fn right_sizing(
    platform: Platform,
    workloads: &Workloads,
    cands: &[crate::plan::Candidate],
    catalog: &Catalog,
    a: &Assumptions,
) -> Result<Option<RightSizing>, EstimateError> {
    if !workloads.apps.iter().flat_map(|x| &x.processes).any(|p| p.measured.is_some() && p.replicas > 0) {
        return Ok(None);
    }
    let hours = Decimal::from(a.hours_per_month);
    let cost = |policy| -> Result<Usd, EstimateError> {
        let p = plan(platform, &demands(workloads, a, policy), cands, a, false)?;
        Ok(Usd::new(on_demand_per_hour(platform, &p, catalog, a) * hours))
    };
    let (dyno, measured) = (cost(SizingPolicy::Dyno)?, cost(SizingPolicy::Measured)?);
    Ok(Some(RightSizing { dyno_sized_compute_usd: dyno, measured_compute_usd: measured, savings_usd: dyno - measured }))
}

/// Measured p95 CPU (millicores, from the load average) and memory (MiB) of every running
/// replica, with what the current platform gives them; `None` unless every process with
/// replicas was measured.
fn measured_use(w: &Workloads) -> Option<[f64; 4]> {
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
fn ratio(used: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        used / capacity
    } else {
        0.0
    }
}

/// What pricing an option needs besides the plan.
struct Context<'c, 'o> {
    catalog: &'c Catalog,
    assumptions: &'o Assumptions,
    sources: &'o mut Vec<SourceLine>,
    uncertain: &'o mut Vec<UncertainFigure>,
    /// Heroku Postgres and Key-Value Store plans and their AWS equivalents: the same in every
    /// option.
    addon_moves: &'o [crate::managed::AddonMove],
}

impl Context<'_, '_> {
    /// Records that assumption `id` was used.
    fn used(&mut self, id: &str) {
        if self.uncertain.iter().any(|u| u.id == id) {
            return;
        }
        if let Some(x) = assumed(self.catalog, self.assumptions, id) {
            self.uncertain.push(UncertainFigure {
                id: id.into(),
                description: x.default.description.clone(),
                value: x.value,
                unit: x.default.unit.clone(),
                low: x.default.low,
                high: x.default.high,
                overridden: x.overridden,
                source: x.default.provenance.source.clone(),
                as_of: x.default.provenance.as_of.clone(),
            });
        }
    }
}

/// Compute priced under one model.
struct Priced {
    lines: Vec<CostLine>,
    compute: Usd,
    upfront: Usd,
    basis: String,
    assumptions: Vec<&'static str>,
}

/// Prices the plan's compute under `model` with `a`'s assumptions; `None` when the model
/// does not apply (Reserved Instances on Fargate) or has no rate.
fn price_compute(
    platform: Platform,
    plan: &ComputePlan,
    model: PricingModel,
    catalog: &Catalog,
    a: &Assumptions,
    sources: Option<&mut Vec<SourceLine>>,
) -> Option<Priced> {
    let hours = Decimal::from(a.hours_per_month);
    let mut lines = Vec::new();
    let mut upfront = Decimal::ZERO;
    let mut bases: Vec<String> = Vec::new();
    let mut used: Vec<&'static str> = Vec::new();
    let mut found_sources: Vec<SourceLine> = Vec::new();
    for pool in &plan.pools {
        let c = pool.candidate;
        let od = c.price.usd_per_hour;
        let rate = node_rate(catalog, a, model, &c.instance.name, od, pool.spot)?;
        let n = Decimal::from(pool.nodes());
        let amount = rate.usd_per_hour * hours * n;
        upfront += rate.upfront_per_node * n;
        let label = match (&pool.serves, pool.spot && model == PricingModel::Spot) {
            (Some(p), _) => format!("EC2 nodes for {p} ({})", model.as_str()),
            (None, true) => format!("EC2 spot nodes, {}", c.instance.name),
            (None, false) if plan.pools.len() > 1 => format!("EC2 nodes, {} ({})", c.instance.name, model.as_str()),
            (None, false) => format!("EC2 nodes ({})", model.as_str()),
        };
        let od_item = format!("EC2 {} on-demand, Linux, {}", c.instance.name, a.region);
        let commitment_item = rate.commitment.map(|row| {
            format!("EC2 {} {} {} {}, {}", row.instance_type, row.kind, row.term, row.purchase_option, row.region)
        });
        lines.push(CostLine {
            category: label,
            monthly_usd: Usd::new(amount),
            group: "compute".into(),
            formula: Some(format!(
                "{} × {} × ${}/h × {hours} h; {}",
                pool.nodes(),
                c.instance.name,
                rate.usd_per_hour.round_dp(6).normalize(),
                rate.basis
            )),
            sources: std::iter::once(od_item.clone()).chain(commitment_item.clone()).collect(),
        });
        if !bases.contains(&rate.basis) {
            bases.push(rate.basis.clone());
        }
        used.extend(rate.assumption);
        found_sources.push(SourceLine {
            item: od_item.clone(),
            usd: od,
            unit: "USD per instance-hour".into(),
            source: c.price.provenance.source.clone(),
            as_of: c.price.provenance.as_of.clone(),
        });
        if let Some(row) = rate.commitment {
            found_sources.push(SourceLine {
                item: commitment_item.clone().unwrap_or_default(),
                usd: row.effective_usd_per_hour,
                unit: "USD per instance-hour, effective".into(),
                source: row.provenance.source.clone(),
                as_of: row.provenance.as_of.clone(),
            });
        }
        if platform == Platform::EksAuto {
            let fee = assumed(catalog, a, assumption::EKS_AUTO_FEE)?;
            used.push(assumption::EKS_AUTO_FEE);
            lines.push(CostLine {
                category: format!("EKS Auto Mode management fee ({} nodes)", c.instance.name),
                monthly_usd: Usd::new(od * fee.value * hours * n),
                group: "platform".into(),
                formula: Some(format!(
                    "{} nodes × ${od}/h × {}% (eks-auto-mode-fee, an assumption) × {hours} h",
                    pool.nodes(),
                    (fee.value * Decimal::ONE_HUNDRED).normalize()
                )),
                sources: vec![od_item.clone()],
            });
        }
    }
    if !plan.tasks.is_empty() {
        let (vcpu, gb) = fargate_rates(platform, a, catalog)?;
        found_sources.push(SourceLine::from_service(vcpu));
        found_sources.push(SourceLine::from_service(gb));
        let discount = match model {
            PricingModel::OnDemand => Decimal::ZERO,
            PricingModel::ComputeSp1y | PricingModel::ComputeSp3y => {
                let id = if model.term_years() == 1 { assumption::COMPUTE_SP_1Y } else { assumption::COMPUTE_SP_3Y };
                used.push(id);
                assumed(catalog, a, id)?.value
            }
            // Fargate Spot has no catalog rate yet; Reserved Instances do not cover Fargate.
            PricingModel::Spot | PricingModel::Ri1y | PricingModel::Ri3y => return None,
        };
        bases.push(if discount.is_zero() {
            "Fargate on-demand".into()
        } else {
            format!("Fargate less {}% ({})", (discount * Decimal::ONE_HUNDRED).normalize(), used.last().unwrap_or(&""))
        });
        for t in &plan.tasks {
            let per_task = task_hourly(t.size.cpu_millicores, t.size.memory_mib, vcpu.usd, gb.usd);
            let rate = per_task * (Decimal::ONE - discount);
            lines.push(CostLine {
                category: format!("Fargate tasks for {} ({})", t.serves, model.as_str()),
                monthly_usd: Usd::new(rate * hours * Decimal::from(t.replicas)),
                group: "compute".into(),
                formula: Some(format!(
                    "{} tasks × ({} vCPU × ${} + {} GB × ${}){} × {hours} h",
                    t.replicas,
                    Decimal::new(i64::from(t.size.cpu_millicores), 3).normalize(),
                    vcpu.usd,
                    (Decimal::from(t.size.memory_mib) / Decimal::from(1024)).normalize(),
                    gb.usd,
                    if discount.is_zero() { String::new() } else { format!(" × (1 − {discount})") }
                )),
                sources: vec![vcpu.description.clone(), gb.description.clone()],
            });
        }
    }
    if let Some(sources) = sources {
        for s in found_sources {
            push_source(sources, s);
        }
    }
    let compute = lines.iter().map(|l| l.monthly_usd).sum();
    used.sort_unstable();
    used.dedup();
    Some(Priced {
        lines,
        compute,
        upfront: Usd::new(upfront),
        basis: if bases.is_empty() { model.label().into() } else { bases.join("; ") },
        assumptions: used,
    })
}

/// One Fargate task's price per hour: vCPU and GB rates times its size.
fn task_hourly(cpu_millicores: u32, memory_mib: u32, per_vcpu: Decimal, per_gb: Decimal) -> Decimal {
    Decimal::new(i64::from(cpu_millicores), 3) * per_vcpu + Decimal::from(memory_mib) / Decimal::from(1024) * per_gb
}

/// The option's monthly total under a model: compute, supporting lines, Business Support.
fn total(catalog: &Catalog, a: &Assumptions, priced: &Priced, support: &[CostLine]) -> (Vec<CostLine>, Usd) {
    let mut lines: Vec<CostLine> = priced.lines.iter().chain(support).cloned().collect();
    if a.supporting.business_support {
        let usage: Usd = lines.iter().map(|l| l.monthly_usd).sum();
        if let Some(l) = supporting::business_support(catalog, usage, &mut Vec::new()) {
            lines.push(l);
        }
    }
    let sum = lines.iter().map(|l| l.monthly_usd).sum();
    (lines, sum)
}

fn estimate_platform(
    platform: Platform,
    workloads: &Workloads,
    demands: &[Demand],
    current: Usd,
    ctx: &mut Context,
    warnings: &mut Vec<String>,
) -> Result<OptionEstimate, EstimateError> {
    let (catalog, a) = (ctx.catalog, ctx.assumptions);
    if platform.is_fargate() {
        if platform == Platform::EksFargate && !a.architectures.contains(&Arch::X86_64) {
            return Err(EstimateError::ArchMismatch {
                allowed: "arm64".into(),
                example: "EKS on Fargate".into(),
                found: "x86_64".into(),
            });
        }
        let (vcpu_id, gb_id) = fargate_ids(platform, a);
        for id in [vcpu_id, gb_id] {
            if catalog.service(id).is_none() {
                return Err(EstimateError::MissingPrice { platform: platform.as_str().into(), id: id.into() });
            }
        }
    }
    let cands = if platform.is_fargate() { Vec::new() } else { candidates(platform, catalog, a)? };
    let hourly = if a.follow_profile {
        crate::profile::hourly_replicas(workloads, a.scale_up_margin, &a.autoscaling)
    } else {
        None
    };
    let curve = match &hourly {
        Some(hours) => Some(curve(platform, demands, hours, &cands, catalog, a)?),
        None => None,
    };
    // With a profile, the node plan shown (and priced before scaling to the week) is the peak hour's.
    let peak: Vec<Demand> = match (&hourly, &curve) {
        (Some(hours), Some(c)) => {
            demands.iter().zip(&hours[c.peak]).map(|(d, &r)| Demand { replicas: r, ..d.clone() }).collect()
        }
        _ => demands.to_vec(),
    };
    let demands = &peak[..];
    let base = match &curve {
        Some(c) => c.peak_plan.clone(),
        None => plan(platform, demands, &cands, a, false)?,
    };
    let tolerant = demands.iter().any(|d| d.interruption_tolerant && d.replicas > 0);
    let spot_plan =
        if tolerant && !platform.is_fargate() { Some(plan(platform, demands, &cands, a, true)?) } else { None };
    let plan_for = |model: PricingModel| match (&spot_plan, model) {
        (Some(p), PricingModel::Spot) => p,
        _ => &base,
    };

    let mut support = supporting::lines(
        catalog,
        &supporting::Inputs { platform, nodes: plan_for(a.pricing).nodes(), workloads, assumptions: a },
        ctx.sources,
        warnings,
    );
    // Heroku Postgres and Key-Value Store plans move to RDS and ElastiCache where the catalog
    // prices their target; every other add-on (and any move without a price) stays in each
    // option at today's price, so the totals compare like with like.
    for m in ctx.addon_moves {
        if let (Some(usd), Some(target)) = (m.aws_monthly_usd, &m.target) {
            support.push(CostLine {
                category: format!("{} (for {})", target.label(), m.plan),
                monthly_usd: usd,
                group: "add-ons".into(),
                formula: Some(format!("{}: {}", m.addons.join(", "), m.formula.clone().unwrap_or_default())),
                sources: m.sources.clone(),
            });
        }
    }
    let kept: Vec<(&str, &crate::workload::Addon)> = workloads
        .apps
        .iter()
        .flat_map(|app| app.addons.iter().map(move |x| (app.name.as_str(), x)))
        .filter(|(_, x)| !ctx.addon_moves.iter().any(|m| m.plan == x.plan && m.aws_monthly_usd.is_some()))
        .filter(|(_, x)| !crate::managed::ends_on_aws(&x.plan))
        .collect();
    let spaces: Usd = workloads
        .apps
        .iter()
        .flat_map(|app| &app.addons)
        .filter(|x| crate::managed::ends_on_aws(&x.plan))
        .map(|x| x.monthly_usd)
        .sum();
    if spaces > Usd::ZERO {
        let note = format!(
            "Heroku Private/Shield Space fees ({}/month today) end with the move: the network they pay for is the \
             NAT gateway, Transit Gateway and KMS lines of each AWS option",
            crate::format::usd(spaces)
        );
        if !warnings.contains(&note) {
            warnings.push(note);
        }
    }
    let kept_usd: Usd = kept.iter().map(|(_, x)| x.monthly_usd).sum();
    if kept_usd > Usd::ZERO {
        support.push(CostLine {
            category: "Add-ons at today's price (no AWS equivalent priced)".into(),
            monthly_usd: kept_usd,
            group: "add-ons".into(),
            formula: Some(format!(
                "{} add-on(s) as imported: {}",
                kept.len(),
                kept.iter().map(|(_, x)| format!("{}:{}", x.name, x.plan)).collect::<Vec<_>>().join(", ")
            )),
            sources: Vec::new(),
        });
        for m in ctx.addon_moves.iter().filter(|m| m.aws_monthly_usd.is_none()) {
            let note = format!(
                "{} ({}) is kept at today's price in every AWS option: {}",
                m.plan,
                m.target_label,
                m.note.as_deref().unwrap_or("not priced")
            );
            if !warnings.contains(&note) {
                warnings.push(note);
            }
        }
    }

    let mut by_model = Vec::new();
    for model in PricingModel::ALL {
        let Some(priced) = price_over_week(platform, plan_for(model), model, catalog, a, None, curve.as_ref()) else {
            continue;
        };
        let (_, monthly) = total(catalog, a, &priced, &support);
        by_model.push(ModelCost {
            model,
            label: model.label().into(),
            compute_monthly_usd: priced.compute,
            monthly_usd: monthly,
            upfront_usd: priced.upfront,
            basis: priced.basis.clone(),
            assumed: !priced.assumptions.is_empty(),
        });
    }
    let mut model = a.pricing;
    let priced = match price_over_week(platform, plan_for(model), model, catalog, a, Some(ctx.sources), curve.as_ref())
    {
        Some(p) => p,
        None => {
            warnings.push(format!(
                "{}: {} does not apply or has no rate; priced on-demand",
                platform.label(),
                model.label()
            ));
            model = PricingModel::OnDemand;
            price_over_week(platform, &base, model, catalog, a, Some(ctx.sources), curve.as_ref()).ok_or_else(|| {
                EstimateError::MissingPrice {
                    platform: platform.as_str().into(),
                    id: fargate_ids(platform, a).0.into(),
                }
            })?
        }
    };
    if model == PricingModel::Spot && !tolerant {
        warnings.push(format!(
            "{}: no process is marked interruption-tolerant, so spot changes nothing; mark workers that can be interrupted",
            platform.label()
        ));
    }
    for id in &priced.assumptions {
        ctx.used(id);
    }
    if a.supporting.business_support {
        supporting::business_support(catalog, Usd::ZERO, ctx.sources);
    }
    let (breakdown, monthly_usd) = total(catalog, a, &priced, &support);
    let chosen = plan_for(model);

    let hours = Decimal::from(a.hours_per_month);
    let on_demand_nodes: Decimal =
        chosen.pools.iter().map(|p| p.candidate.price.usd_per_hour * Decimal::from(p.nodes()) * hours).sum();
    let lower_bound = (!chosen.pools.is_empty())
        .then(|| {
            chosen
                .lower_bound_per_hour(demands, &cands, a)
                .and_then(|b| Decimal::from_f64(b * f64::from(a.hours_per_month)))
        })
        .flatten()
        .map(|b| Usd::new(b.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToNegativeInfinity)));
    let gap = lower_bound.filter(|b| b.amount() > Decimal::ZERO).map(|b| {
        ((on_demand_nodes - b.amount()) / b.amount() * Decimal::ONE_HUNDRED).round_dp(2).to_f64().unwrap_or(0.0)
    });

    let (req_cpu, req_mem) = crate::sizing::total(demands.iter().map(|d| (d.request, d.replicas)));
    let capacity = |cpu_millicores, memory_mib| Request { cpu_millicores, memory_mib };
    let (cap_cpu, cap_mem) =
        if chosen.tasks.is_empty() {
            crate::sizing::total(chosen.pools.iter().map(|p| {
                (capacity(p.candidate.allocatable.cpu_millicores, p.candidate.allocatable.memory_mib), p.nodes())
            }))
        } else {
            crate::sizing::total(
                chosen.tasks.iter().map(|t| (capacity(t.size.cpu_millicores, t.size.memory_mib), t.replicas)),
            )
        };
    let (cap_cpu, cap_mem) = (cap_cpu as f64, cap_mem as f64);
    let utilization = Utilization { cpu: ratio(req_cpu as f64, cap_cpu), memory: ratio(req_mem as f64, cap_mem) };
    let utilization_measured = measured_use(workloads)
        .map(|[cpu, mem, ..]| Utilization { cpu: ratio(cpu, cap_cpu), memory: ratio(mem, cap_mem) });

    let savings_vs_current_usd = current - monthly_usd;
    let savings_vs_current_pct = (current > Usd::ZERO).then(|| {
        let pct = (current.amount() - monthly_usd.amount()) / current.amount() * Decimal::ONE_HUNDRED;
        pct.round_dp(1).to_f64().unwrap_or(0.0)
    });
    let nodes: Vec<NodeCount> = chosen
        .pools
        .iter()
        .map(|p| NodeCount {
            instance_type: p.candidate.instance.name.clone(),
            count: p.nodes(),
            per_zone: p.per_zone.clone(),
            spot: p.spot && model == PricingModel::Spot,
            serves: p.serves.clone(),
            usd_per_hour: p.candidate.price.usd_per_hour,
        })
        .collect();
    let node_allocatable = chosen.pools.first().map(|p| NodeShape {
        cpu_millicores: p.candidate.allocatable.cpu_millicores,
        memory_mib: p.candidate.allocatable.memory_mib,
        max_pods: (p.candidate.allocatable.pods != u32::MAX).then_some(p.candidate.allocatable.pods),
    });
    let fargate_tasks = match fargate_rates(platform, a, catalog) {
        Some((v, g)) => chosen
            .tasks
            .iter()
            .map(|t| FargateTasks {
                process: t.serves.clone(),
                cpu_millicores: t.size.cpu_millicores,
                memory_mib: t.size.memory_mib,
                tasks: t.replicas,
                usd_per_task_hour: task_hourly(t.size.cpu_millicores, t.size.memory_mib, v.usd, g.usd),
            })
            .collect(),
        None => Vec::new(),
    };

    let placements = chosen
        .placements
        .iter()
        .map(|p| NodePlacement {
            zone: p.zone,
            instance_type: p.candidate.instance.name.clone(),
            spot: p.spot && model == PricingModel::Spot,
            cpu_requested_millicores: p.used.cpu_millicores,
            memory_requested_mib: p.used.memory_mib,
            cpu_allocatable_millicores: p.candidate.allocatable.cpu_millicores,
            memory_allocatable_mib: p.candidate.allocatable.memory_mib,
            replicas: p
                .items
                .iter()
                .map(|&(d, count)| PlacedReplicas {
                    process: format!("{}/{}", demands[d].app, demands[d].process),
                    count,
                })
                .collect(),
        })
        .collect();
    let right_sizing = right_sizing(platform, workloads, &cands, catalog, a)?;
    let alternatives = match chosen.alternatives.as_slice() {
        [one] => one
            .iter()
            .map(|x| AlternativePlan {
                instance_type: x.instance_type.clone(),
                nodes: x.nodes,
                monthly_usd: Usd::new(x.usd_per_hour * hours),
            })
            .collect(),
        _ => Vec::new(),
    };
    let tco = tco(current, monthly_usd, &a.people, a.tco_months);
    let sensitivity = sensitivity(
        platform,
        chosen,
        demands,
        &cands,
        model,
        current,
        &priced,
        &support,
        &tco,
        catalog,
        a,
        curve.as_ref(),
    );
    let band = band(platform, chosen, model, &priced, &support, monthly_usd, catalog, a, curve.as_ref());
    let profile = curve.map(|c| ProfileSummary {
        hourly_on_demand_usd: c.hourly_od.iter().map(|h| (h * 100.0).round() / 100.0).collect(),
        hourly_nodes: c.hourly_nodes.clone(),
        peak_hour: c.peak as u32,
        mean_over_peak: c.mean() / c.hourly_od[c.peak].max(f64::MIN_POSITIVE),
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
        savings_vs_current_usd,
        availability_zones: a.availability_zones,
        node_allocatable,
        pricing_model: model,
        by_pricing_model: by_model,
        upfront_usd: priced.upfront,
        lower_bound_monthly_usd: lower_bound,
        gap_to_lower_bound_pct: gap,
        utilization_measured,
        alternatives,
        placements,
        fargate_tasks,
        profile,
        right_sizing,
        tco,
        sensitivity,
        band,
    })
}

/// Each key assumption moved 20% down and up: monthly savings (current − option − ops) at
/// each end, largest swing first.
#[allow(clippy::too_many_arguments)]
fn sensitivity(
    platform: Platform,
    chosen: &ComputePlan,
    demands: &[Demand],
    cands: &[crate::plan::Candidate],
    model: PricingModel,
    current: Usd,
    priced: &Priced,
    support: &[CostLine],
    tco: &crate::report::Tco,
    catalog: &Catalog,
    a: &Assumptions,
    curve: Option<&Curve>,
) -> Vec<Sensitivity> {
    let support_sum: Usd = support.iter().map(|l| l.monthly_usd).sum();
    let ops = tco.ops_monthly_usd.amount();
    let savings = |current: Decimal, compute: Decimal, support: Decimal, ops: Decimal| {
        let mut option = compute + support;
        if a.supporting.business_support {
            if let Some(l) = supporting::business_support(catalog, Usd::new(option), &mut Vec::new()) {
                option += l.monthly_usd.amount();
            }
        }
        Usd::new(current - option - ops)
    };
    let (cur, comp, sup) = (current.amount(), priced.compute.amount(), support_sum.amount());
    let (lo, hi) = (Decimal::new(8, 1), Decimal::new(12, 1));
    let mut rows = vec![
        ("Current platform prices".to_string(), savings(cur * lo, comp, sup, ops), savings(cur * hi, comp, sup, ops)),
        ("AWS compute prices".to_string(), savings(cur, comp * lo, sup, ops), savings(cur, comp * hi, sup, ops)),
        ("Supporting service prices".to_string(), savings(cur, comp, sup * lo, ops), savings(cur, comp, sup * hi, ops)),
        ("Operations effort".to_string(), savings(cur, comp, sup, ops * lo), savings(cur, comp, sup, ops * hi)),
    ];
    if !platform.is_fargate() {
        let at = |headroom: f64| {
            let moved = Assumptions { headroom: headroom.min(1.0), ..a.clone() };
            let cands: Vec<_> = cands
                .iter()
                .map(|c| crate::plan::Candidate { usable: crate::node::usable(c.allocatable, moved.headroom), ..*c })
                .collect();
            let p =
                crate::plan::plan_like(platform, demands, &cands, &moved, model == PricingModel::Spot, Some(chosen))
                    .ok()?;
            let priced = price_over_week(platform, &p, model, catalog, &moved, None, curve)?;
            Some(savings(cur, priced.compute.amount(), sup, ops))
        };
        if let (Some(l), Some(h)) = (at(a.headroom * 0.8), at(a.headroom * 1.2)) {
            rows.push(("Headroom (target node utilization)".into(), l, h));
        }
    }
    for id in &priced.assumptions {
        let Some(x) = assumed(catalog, a, id) else { continue };
        let at = |factor: Decimal| {
            let mut moved = a.clone();
            moved.overrides.insert((*id).into(), x.value * factor);
            let priced = price_over_week(platform, chosen, model, catalog, &moved, None, curve)?;
            Some(savings(cur, priced.compute.amount(), sup, ops))
        };
        if let (Some(l), Some(h)) = (at(lo), at(hi)) {
            rows.push((format!("{} ({id})", x.default.description), l, h));
        }
    }
    let mut out: Vec<Sensitivity> = rows
        .into_iter()
        .map(|(assumption, l, h)| Sensitivity {
            assumption,
            savings_at_low_usd: l,
            savings_at_high_usd: h,
            swing_usd: Usd::new((h.amount() - l.amount()).abs()),
        })
        .collect();
    out.sort_by(|x, y| y.swing_usd.cmp(&x.swing_usd).then_with(|| x.assumption.cmp(&y.assumption)));
    out
}

/// The monthly total with every uncertain figure at its favourable and unfavourable end:
/// discount and fee assumptions over their catalog ranges, prices not confirmed by AWS
/// (third-party or unconfirmed) ±10%.
#[allow(clippy::too_many_arguments)]
fn band(
    platform: Platform,
    plan: &ComputePlan,
    model: PricingModel,
    priced: &Priced,
    support: &[CostLine],
    likely: Usd,
    catalog: &Catalog,
    a: &Assumptions,
    curve: Option<&Curve>,
) -> Band {
    let mut basis = Vec::new();
    let mut ends = [a.clone(), a.clone()];
    for id in &priced.assumptions {
        if let Some(x) = assumed(catalog, a, id) {
            // A bigger discount or a smaller fee is the favourable end.
            let (good, bad) = if *id == assumption::EKS_AUTO_FEE {
                (x.default.low, x.default.high)
            } else {
                (x.default.high, x.default.low)
            };
            ends[0].overrides.insert((*id).into(), good);
            ends[1].overrides.insert((*id).into(), bad);
            basis.push(format!("{} from {} to {}", x.default.description, x.default.low, x.default.high));
        }
    }
    let unconfirmed: Decimal =
        support.iter().filter(|l| line_is_unconfirmed(l, catalog)).map(|l| l.monthly_usd.amount()).sum();
    if !unconfirmed.is_zero() {
        basis.push("supporting prices not confirmed on an AWS page ±10%".into());
    }
    let tenth = unconfirmed / Decimal::TEN;
    let at = |moved: &Assumptions, delta: Decimal| {
        let p = price_over_week(platform, plan, model, catalog, moved, None, curve)?;
        let (_, sum) = total(catalog, moved, &p, support);
        Some(Usd::new(sum.amount() + delta))
    };
    let low = at(&ends[0], -tenth).unwrap_or(likely).min(likely);
    let high = at(&ends[1], tenth).unwrap_or(likely).max(likely);
    Band { low_usd: low, likely_usd: likely, high_usd: high, basis }
}

/// Whether a supporting line rests on a price that is not `official` in the catalog: its
/// sources name the service prices it used.
fn line_is_unconfirmed(line: &CostLine, catalog: &Catalog) -> bool {
    line.sources
        .iter()
        .any(|item| catalog.services.iter().any(|s| &s.description == item && s.confidence != "official"))
}

/// The on-demand cost of every hour of the week, with the node count, for a profile.
pub(crate) struct Curve<'c> {
    hourly_od: Vec<f64>,
    hourly_nodes: Vec<u32>,
    peak: usize,
    /// The peak hour's plan.
    peak_plan: ComputePlan<'c>,
}

impl Curve<'_> {
    fn mean(&self) -> f64 {
        self.hourly_od.iter().sum::<f64>() / self.hourly_od.len().max(1) as f64
    }
}

/// Plans every distinct hour of the profile once and costs it on-demand.
fn curve<'c>(
    platform: Platform,
    demands: &[Demand],
    hours: &[Vec<u32>],
    cands: &[crate::plan::Candidate<'c>],
    catalog: &Catalog,
    a: &Assumptions,
) -> Result<Curve<'c>, EstimateError> {
    let mut seen: Vec<(&Vec<u32>, f64, ComputePlan<'c>)> = Vec::new();
    let mut of_hour = Vec::with_capacity(hours.len());
    for h in hours {
        let i = match seen.iter().position(|(v, ..)| *v == h) {
            Some(i) => i,
            None => {
                let hd: Vec<Demand> =
                    demands.iter().zip(h).map(|(d, &r)| Demand { replicas: r, ..d.clone() }).collect();
                let p = plan(platform, &hd, cands, a, false)?;
                let cost = on_demand_per_hour(platform, &p, catalog, a).to_f64().unwrap_or(0.0);
                seen.push((h, cost, p));
                seen.len() - 1
            }
        };
        of_hour.push(i);
    }
    let hourly_od: Vec<f64> = of_hour.iter().map(|&i| seen[i].1).collect();
    let hourly_nodes: Vec<u32> = of_hour.iter().map(|&i| seen[i].2.nodes()).collect();
    let peak = (0..hourly_od.len()).max_by(|&x, &y| hourly_od[x].total_cmp(&hourly_od[y]).then(y.cmp(&x))).unwrap_or(0);
    let peak_plan = seen.swap_remove(of_hour[peak]).2;
    Ok(Curve { hourly_od, hourly_nodes, peak, peak_plan })
}

/// The Fargate rates a target pays: ARM on ECS when the images allow it (cheaper; EKS on
/// Fargate runs x86 only), x86 otherwise.
fn fargate_ids(platform: Platform, a: &Assumptions) -> (&'static str, &'static str) {
    if platform == Platform::EcsFargate && a.architectures.contains(&Arch::Arm64) {
        ("fargate-linux-arm-vcpu", "fargate-linux-arm-gb")
    } else {
        ("fargate-linux-x86-vcpu", "fargate-linux-x86-gb")
    }
}

/// The Fargate vCPU-hour and GB-hour prices the target pays, when the catalog has them.
fn fargate_rates<'c>(
    platform: Platform,
    a: &Assumptions,
    catalog: &'c Catalog,
) -> Option<(&'c crate::catalog::ServicePrice, &'c crate::catalog::ServicePrice)> {
    let (vcpu_id, gb_id) = fargate_ids(platform, a);
    Some((catalog.service(vcpu_id)?, catalog.service(gb_id)?))
}

/// A plan's on-demand compute cost per hour: nodes, or Fargate tasks.
fn on_demand_per_hour(platform: Platform, p: &ComputePlan, catalog: &Catalog, a: &Assumptions) -> Decimal {
    let nodes: Decimal = p.pools.iter().map(|x| x.candidate.price.usd_per_hour * Decimal::from(x.nodes())).sum();
    let tasks: Decimal = match fargate_rates(platform, a, catalog) {
        Some((v, g)) => p
            .tasks
            .iter()
            .map(|t| task_hourly(t.size.cpu_millicores, t.size.memory_mib, v.usd, g.usd) * Decimal::from(t.replicas))
            .sum(),
        None => Decimal::ZERO,
    };
    nodes + tasks
}

/// Prices the plan under `model`; with a profile, scales the peak plan's compute to the week:
/// on-demand and spot pay the mean of the curve, commitments cover the level of the curve that
/// pays for itself ([`crate::profile::commitment_level`]) and pay on-demand above it.
#[allow(clippy::too_many_arguments)]
fn price_over_week(
    platform: Platform,
    plan: &ComputePlan,
    model: PricingModel,
    catalog: &Catalog,
    a: &Assumptions,
    sources: Option<&mut Vec<SourceLine>>,
    curve: Option<&Curve>,
) -> Option<Priced> {
    let priced = price_compute(platform, plan, model, catalog, a, sources)?;
    let Some(curve) = curve else { return Some(priced) };
    let peak_od = on_demand_per_hour(platform, plan, catalog, a).to_f64().unwrap_or(0.0);
    let hours = f64::from(a.hours_per_month);
    if peak_od <= 0.0 {
        return Some(priced);
    }
    let rate = priced.compute.amount().to_f64().unwrap_or(0.0) / hours / peak_od;
    // The curve was costed on the plan without a spot pool; scale it to this plan's peak.
    let shape: Vec<f64> =
        curve.hourly_od.iter().map(|h| h / curve.hourly_od[curve.peak].max(f64::MIN_POSITIVE) * peak_od).collect();
    let (factor, note, upfront_share) = if model.term_years() == 0 {
        let mean = shape.iter().sum::<f64>() / shape.len() as f64;
        (mean / peak_od, "the week's mean over its peak".to_string(), 1.0)
    } else {
        let (level, mean) = crate::profile::commitment_level(&shape, rate);
        let used = shape.iter().filter(|h| **h >= level).count();
        (
            mean / (rate * peak_od),
            format!(
                "commitment covers ${level:.2}/h of on-demand capacity (used in {used} of {} hours), the rest on-demand",
                shape.len()
            ),
            level / peak_od,
        )
    };
    let factor_d = Decimal::from_f64(factor).unwrap_or(Decimal::ONE).round_dp(6);
    let lines: Vec<CostLine> = priced
        .lines
        .into_iter()
        .map(|l| CostLine {
            monthly_usd: Usd::new(l.monthly_usd.amount() * factor_d),
            formula: l.formula.map(|f| format!("({f}) × {factor_d} for the hourly profile: {note}")),
            ..l
        })
        .collect();
    Some(Priced {
        compute: lines.iter().map(|l| l.monthly_usd).sum(),
        lines,
        upfront: Usd::new(
            priced.upfront.amount() * Decimal::from_f64(upfront_share).unwrap_or(Decimal::ONE).round_dp(6),
        ),
        basis: format!("{}; {note}", priced.basis),
        assumptions: priced.assumptions,
    })
}
