//! An option's compute priced under one pricing model: nodes at their rate (on-demand,
//! spot, Savings Plans, Reserved Instances) or Fargate tasks, each line with its formula and
//! sources; and the option's monthly total with its supporting lines.

use crate::catalog::{Arch, Catalog};
use crate::money::Usd;
use crate::plan::ComputePlan;
use crate::purchase::{assumed, assumption, node_rate};
use crate::report::{push_source, CostGroup, CostLine, Meter, SourceLine, Usage};
use crate::scenario::{Assumptions, Platform, PricingModel};
use crate::stand_in::{self, Found};
use crate::supporting;
use rust_decimal::Decimal;

/// Compute priced under one model.
pub(super) struct Priced {
    pub(super) lines: Vec<CostLine>,
    pub(super) compute: Usd,
    pub(super) upfront: Usd,
    pub(super) basis: String,
    pub(super) assumptions: Vec<&'static str>,
}

/// Prices the plan's compute under `model` with `a`'s assumptions; `None` when the model
/// does not apply (Reserved Instances on Fargate) or has no rate.
pub(super) fn price_compute(
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
        let spot_item = rate.spot.map(|s| format!("EC2 {} spot saving, Linux, {}", s.instance_type, s.region));
        lines.push(CostLine {
            category: label,
            monthly_usd: Usd::new(amount),
            group: CostGroup::Compute,
            formula: Some(format!(
                "{} × {} × ${}/h × {hours} h; {}",
                pool.nodes(),
                c.instance.name,
                rate.usd_per_hour.round_dp(6).normalize(),
                rate.basis
            )),
            sources: std::iter::once(od_item.clone()).chain(commitment_item.clone()).chain(spot_item.clone()).collect(),
            usage: vec![Usage {
                instance_type: Some(c.instance.name.clone()),
                ..Usage::new(Meter::Ec2InstanceHours, hours * n, Usd::new(amount))
            }],
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
        if let (Some(advice), Some(item)) = (rate.spot, spot_item) {
            found_sources.push(SourceLine {
                item,
                usd: advice.savings_pct,
                unit: format!("percent saved over on-demand (interrupted {})", advice.interruption),
                source: advice.provenance.source.clone(),
                as_of: advice.provenance.as_of.clone(),
            });
        }
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
            let fee_usd = Usd::new(od * fee.value * hours * n);
            lines.push(CostLine {
                category: format!("EKS Auto Mode management fee ({} nodes)", c.instance.name),
                monthly_usd: fee_usd,
                group: CostGroup::Platform,
                formula: Some(format!(
                    "{} nodes × ${od}/h × {}% (eks-auto-mode-fee, an assumption) × {hours} h",
                    pool.nodes(),
                    (fee.value * Decimal::ONE_HUNDRED).normalize()
                )),
                sources: vec![od_item.clone()],
                usage: vec![Usage {
                    instance_type: Some(c.instance.name.clone()),
                    ..Usage::new(Meter::EksAutoModeInstanceHours, hours * n, fee_usd)
                }],
            });
        }
    }
    if !plan.tasks.is_empty() {
        let (vcpu, gb) = fargate_rates(platform, a, catalog)?;
        found_sources.push(SourceLine::from_service(vcpu.row));
        found_sources.push(SourceLine::from_service(gb.row));
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
        let (vcpu_meter, gb_meter) = if vcpu.row.id == "fargate-linux-arm-vcpu" {
            (Meter::FargateArmVcpuHours, Meter::FargateArmGbHours)
        } else {
            (Meter::FargateVcpuHours, Meter::FargateGbHours)
        };
        for t in &plan.tasks {
            let per_task = task_hourly(t.size.cpu_millicores, t.size.memory_mib, vcpu.usd, gb.usd);
            let rate = per_task * (Decimal::ONE - discount);
            let task_hours = hours * Decimal::from(t.replicas);
            let vcpu_hours = Decimal::new(i64::from(t.size.cpu_millicores), 3) * task_hours;
            let gb_hours = Decimal::from(t.size.memory_mib) / Decimal::from(1024) * task_hours;
            let usage = vec![
                Usage::new(vcpu_meter, vcpu_hours, Usd::new(vcpu_hours * vcpu.usd * (Decimal::ONE - discount))),
                Usage::new(gb_meter, gb_hours, Usd::new(gb_hours * gb.usd * (Decimal::ONE - discount))),
            ];
            lines.push(CostLine {
                category: format!("Fargate tasks for {} ({})", t.serves, model.as_str()),
                monthly_usd: Usd::new(rate * hours * Decimal::from(t.replicas)),
                group: CostGroup::Compute,
                formula: Some(format!(
                    "{} tasks × ({} vCPU × ${} + {} GB × ${}){} × {hours} h{}",
                    t.replicas,
                    Decimal::new(i64::from(t.size.cpu_millicores), 3).normalize(),
                    vcpu.usd,
                    (Decimal::from(t.size.memory_mib) / Decimal::from(1024)).normalize(),
                    gb.usd,
                    if discount.is_zero() { String::new() } else { format!(" × (1 − {discount})") },
                    vcpu.note(&a.region)
                )),
                sources: vec![vcpu.row.item(), gb.row.item()],
                usage,
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
pub(super) fn task_hourly(cpu_millicores: u32, memory_mib: u32, per_vcpu: Decimal, per_gb: Decimal) -> Decimal {
    Decimal::new(i64::from(cpu_millicores), 3) * per_vcpu + Decimal::from(memory_mib) / Decimal::from(1024) * per_gb
}

/// The option's monthly total under a model: compute, supporting lines, Business Support.
pub(super) fn total(catalog: &Catalog, a: &Assumptions, priced: &Priced, support: &[CostLine]) -> (Vec<CostLine>, Usd) {
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

/// The Fargate rates a target pays: ARM on ECS when the images allow it (cheaper; EKS on
/// Fargate runs x86 only), x86 otherwise.
pub(super) fn fargate_ids(platform: Platform, a: &Assumptions) -> (&'static str, &'static str) {
    if platform == Platform::EcsFargate && a.architectures.contains(&Arch::Arm64) {
        ("fargate-linux-arm-vcpu", "fargate-linux-arm-gb")
    } else {
        ("fargate-linux-x86-vcpu", "fargate-linux-x86-gb")
    }
}

/// The Fargate vCPU-hour and GB-hour prices the target pays in the region (the home region's
/// as labelled stand-ins where the region has none), when the catalog has them.
pub(super) fn fargate_rates<'c>(
    platform: Platform,
    a: &Assumptions,
    catalog: &'c Catalog,
) -> Option<(Found<'c>, Found<'c>)> {
    let (vcpu_id, gb_id) = fargate_ids(platform, a);
    Some((stand_in::service(catalog, a, vcpu_id)?, stand_in::service(catalog, a, gb_id)?))
}

/// A plan's on-demand compute cost per hour: nodes, or Fargate tasks.
pub(super) fn on_demand_per_hour(platform: Platform, p: &ComputePlan, catalog: &Catalog, a: &Assumptions) -> Decimal {
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
