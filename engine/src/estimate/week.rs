//! A week's hourly profile: each distinct hour planned once and costed on-demand (the curve),
//! and the peak plan's compute scaled to the week under each pricing model.

use super::price::{on_demand_per_hour, price_compute, Priced};
use crate::catalog::Catalog;
use crate::error::EstimateError;
use crate::limits::Stop;
use crate::money::Usd;
use crate::plan::{plan, Candidate, ComputePlan, Demand};
use crate::report::{CostLine, ProfileSummary, SourceLine, Usage};
use crate::scenario::{Assumptions, Platform, PricingModel};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The on-demand cost of every hour of the week, with the node count, for a profile.
pub(super) struct Curve<'c> {
    pub(super) hourly_od: Vec<f64>,
    pub(super) hourly_nodes: Vec<u32>,
    pub(super) peak: usize,
    /// The peak hour's plan.
    pub(super) peak_plan: ComputePlan<'c>,
}

impl Curve<'_> {
    /// The curve as the report shows it: cents an hour, nodes an hour, the peak.
    pub(super) fn summary(&self) -> ProfileSummary {
        ProfileSummary {
            hourly_on_demand_usd: self.hourly_od.iter().map(|h| (h * 100.0).round() / 100.0).collect(),
            hourly_nodes: self.hourly_nodes.clone(),
            peak_hour: self.peak as u32,
            mean_over_peak: self.mean() / self.hourly_od[self.peak].max(f64::MIN_POSITIVE),
        }
    }

    fn mean(&self) -> f64 {
        self.hourly_od.iter().sum::<f64>() / self.hourly_od.len().max(1) as f64
    }
}

/// Plans every distinct hour of the profile once and costs it on-demand.
pub(super) fn curve<'c>(
    platform: Platform,
    demands: &[Demand],
    hours: &[Vec<u32>],
    cands: &[Candidate<'c>],
    catalog: &Catalog,
    a: &Assumptions,
    stop: &dyn Stop,
) -> Result<Curve<'c>, EstimateError> {
    let mut seen: Vec<(f64, ComputePlan<'c>)> = Vec::new();
    let mut index: HashMap<&Vec<u32>, usize> = HashMap::new();
    let mut of_hour = Vec::with_capacity(hours.len());
    for h in hours {
        let i = match index.get(h) {
            Some(&i) => i,
            None => {
                if stop.now() {
                    return Err(EstimateError::Stopped);
                }
                let hd: Vec<Demand> =
                    demands.iter().zip(h).map(|(d, &r)| Demand { replicas: r, ..d.clone() }).collect();
                let p = plan(platform, &hd, cands, a, None)?;
                let cost = on_demand_per_hour(platform, &p, catalog, a).to_f64().unwrap_or(0.0);
                seen.push((cost, p));
                index.insert(h, seen.len() - 1);
                seen.len() - 1
            }
        };
        of_hour.push(i);
    }
    let hourly_od: Vec<f64> = of_hour.iter().map(|&i| seen[i].0).collect();
    let hourly_nodes: Vec<u32> = of_hour.iter().map(|&i| seen[i].1.nodes()).collect();
    let peak = (0..hourly_od.len()).max_by(|&x, &y| hourly_od[x].total_cmp(&hourly_od[y]).then(y.cmp(&x))).unwrap_or(0);
    let peak_plan = seen.swap_remove(of_hour[peak]).1;
    Ok(Curve { hourly_od, hourly_nodes, peak, peak_plan })
}

/// Prices the plan under `model`; with a profile, scales the peak plan's compute to the week:
/// on-demand and spot pay the mean of the curve, commitments cover the level of the curve that
/// pays for itself ([`crate::profile::commitment_level`]) and pay on-demand above it.
#[allow(clippy::too_many_arguments)]
pub(super) fn price_over_week(
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
    // What is used follows the curve's mean whatever the model; only what it costs differs.
    let mean_over_peak = shape.iter().sum::<f64>() / shape.len() as f64 / peak_od;
    let used_d = Decimal::from_f64(mean_over_peak).unwrap_or(Decimal::ONE).round_dp(6);
    let lines: Vec<CostLine> = priced
        .lines
        .into_iter()
        .map(|l| CostLine {
            monthly_usd: Usd::new(l.monthly_usd.amount() * factor_d),
            formula: l.formula.map(|f| format!("({f}) × {factor_d} for the hourly profile: {note}")),
            usage: l
                .usage
                .into_iter()
                .map(|u| Usage {
                    amount: u.amount * used_d,
                    monthly_usd: Usd::new(u.monthly_usd.amount() * factor_d),
                    ..u
                })
                .collect(),
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
