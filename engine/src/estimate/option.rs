//! One target's option: its plans (with the week's curve when processes follow a profile), its
//! cost lines under every pricing model, and what the report says about it.

use super::demands::{measured_use, ratio, right_sizing};
use super::price::{fargate_ids, fargate_rates, task_hourly, total, Priced};
use super::week::{curve, price_over_week, Curve};
use super::whatif::{what_ifs, PricedOption, WhatIfs};
use crate::catalog::{Arch, Catalog};
use crate::error::EstimateError;
use crate::limits::Stop;
use crate::money::Usd;
use crate::plan::{candidates, plan, spot_candidates, Candidate, ComputePlan, Demand, SpotCandidates};
use crate::purchase::assumed;
use crate::report::{
    AddonMove, AlternativePlan, CostLine, FargateTasks, ModelCost, NodeCount, NodePlacement, NodeShape, OptionEstimate,
    SourceLine, UncertainFigure, Utilization,
};
use crate::scenario::{Assumptions, Platform, PricingModel};
use crate::sizing::Request;
use crate::supporting;
use crate::tco::tco;
use crate::workload::Workloads;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// What every option shares and adds to: the catalog, the assumptions, the report's sources
/// and uncertain figures, and the add-on moves.
pub(super) struct Context<'c, 'o> {
    pub catalog: &'c Catalog,
    pub assumptions: &'o Assumptions,
    pub sources: &'o mut Vec<SourceLine>,
    pub uncertain: &'o mut Vec<UncertainFigure>,
    /// Heroku Postgres and Key-Value Store plans and their AWS equivalents: the same in every
    /// option.
    pub addon_moves: &'o [AddonMove],
    /// Each hour's replicas per process, when processes follow a profile.
    pub hourly: Option<&'o [Vec<u32>]>,
    /// Asked between steps whether to give up.
    pub stop: &'o dyn Stop,
    /// How far the region's prices may sit from the home region's, when the home region's
    /// stand in for some (the band spans it).
    pub stand_in: Option<&'o crate::stand_in::Range>,
    /// The generations matrix, when this region fills it.
    pub generations: Option<&'o mut super::generations::Matrix>,
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
                region: None,
            });
        }
    }
}

/// Estimates one target: plans, prices under every model, the chosen model's cost lines, the
/// bound, utilization, cost of ownership and the what-ifs.
pub(super) fn estimate_option(
    platform: Platform,
    workloads: &Workloads,
    demands: &[Demand],
    current: Usd,
    ctx: &mut Context,
    warnings: &mut Vec<String>,
) -> Result<OptionEstimate, EstimateError> {
    let (catalog, a) = (ctx.catalog, ctx.assumptions);
    if platform.is_fargate() {
        check_fargate(platform, catalog, a)?;
    }
    let cands = if platform.is_fargate() { Vec::new() } else { candidates(platform, catalog, a)? };
    let spot_cands = spot_candidates(&cands, catalog, a);
    let plans = Plans::make(platform, demands, ctx.hourly, &cands, &spot_cands, catalog, a, ctx.stop)?;
    let demands = &plans.demands[..];
    if let Some(why) = plans.spot_note(platform, a, &spot_cands) {
        warnings.push(why);
    }
    if let Some(matrix) = ctx.generations.as_deref_mut().filter(|_| !platform.is_fargate()) {
        matrix.add(platform, demands, &plans.base, catalog, a, ctx.stop)?;
    }

    let supporting = supporting::lines(
        catalog,
        &supporting::Inputs { platform, nodes: plans.for_model(a.pricing).nodes(), workloads, assumptions: a },
        ctx.sources,
        warnings,
    );
    let addons = crate::managed::option_lines(workloads, ctx.addon_moves, warnings);
    let support: Vec<CostLine> = supporting.iter().chain(&addons).cloned().collect();

    let by_model = every_model(platform, &plans, catalog, a, &support);
    let mut model = a.pricing;
    let curve = plans.curve.as_ref();
    let priced = match price_over_week(platform, plans.for_model(model), model, catalog, a, Some(ctx.sources), curve) {
        Some(p) => p,
        None => {
            warnings.push(format!(
                "{}: {} does not apply or has no rate; priced on-demand",
                platform.label(),
                model.label()
            ));
            model = PricingModel::OnDemand;
            price_over_week(platform, &plans.base, model, catalog, a, Some(ctx.sources), curve).ok_or_else(|| {
                EstimateError::MissingPrice {
                    platform: platform.as_str().into(),
                    id: fargate_ids(platform, a).0.into(),
                }
            })?
        }
    };
    if model == PricingModel::Spot && !plans.tolerant {
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
    let chosen = plans.for_model(model);
    let hours = Decimal::from(a.hours_per_month);
    let (lower_bound, gap) = bound_and_gap(chosen, demands, &cands, a);
    let (utilization, utilization_measured) = utilization(chosen, demands, workloads);

    let savings_vs_current_usd = current - monthly_usd;
    let savings_vs_current_pct = (current > Usd::ZERO).then(|| {
        let pct = (current.amount() - monthly_usd.amount()) / current.amount() * Decimal::ONE_HUNDRED;
        pct.round_dp(1).to_f64().unwrap_or(0.0)
    });
    let fargate_tasks = match fargate_rates(platform, a, catalog) {
        Some((v, g)) => chosen
            .tasks
            .iter()
            .map(|t| FargateTasks::of(t, task_hourly(t.size.cpu_millicores, t.size.memory_mib, v.usd, g.usd)))
            .collect(),
        None => Vec::new(),
    };
    let alternatives = match chosen.alternatives.as_slice() {
        [one] => one.iter().map(|x| AlternativePlan::of(x, hours)).collect(),
        _ => Vec::new(),
    };
    if ctx.stop.now() {
        return Err(EstimateError::Stopped);
    }
    let right_sizing = right_sizing(platform, workloads, &cands, catalog, a)?;
    let tco = tco(current, monthly_usd, &a.people, a.tco_months);
    let option = PricedOption {
        platform,
        plan: chosen,
        demands,
        candidates: &cands,
        spot_candidates: plans.spot_candidates(&spot_cands),
        model,
        priced: &priced,
        support: &supporting,
        addons: &addons,
        workloads,
        catalog,
        curve,
        stand_in: ctx.stand_in,
    };
    let WhatIfs { sensitivity, band, ranges } = what_ifs(&option, monthly_usd, current, &tco, a);
    for r in ranges {
        if !ctx.uncertain.iter().any(|u| u.id == r.id) {
            ctx.uncertain.push(r);
        }
    }

    Ok(OptionEstimate {
        platform,
        label: platform.label().into(),
        region: a.region.clone(),
        monthly_usd,
        breakdown,
        nodes: chosen.pools.iter().map(|p| NodeCount::of(p, model)).collect(),
        utilization,
        savings_vs_current_pct,
        savings_vs_current_usd,
        availability_zones: a.availability_zones,
        node_allocatable: chosen.pools.first().map(|p| NodeShape::of(&p.candidate)),
        pricing_model: model,
        by_pricing_model: by_model,
        upfront_usd: priced.upfront,
        lower_bound_monthly_usd: lower_bound,
        gap_to_lower_bound_pct: gap,
        utilization_measured,
        alternatives,
        placements: chosen.placements.iter().map(|p| NodePlacement::of(p, demands, model)).collect(),
        fargate_tasks,
        profile: curve.map(Curve::summary),
        right_sizing,
        tco,
        sensitivity,
        band,
    })
}

/// Fargate targets need their rates, and EKS on Fargate runs x86 images only.
fn check_fargate(platform: Platform, catalog: &Catalog, a: &Assumptions) -> Result<(), EstimateError> {
    if platform == Platform::EksFargate && !a.architectures.contains(&Arch::X86_64) {
        return Err(EstimateError::ArchMismatch {
            allowed: Arch::Arm64.as_str().into(),
            example: "EKS on Fargate".into(),
            found: Arch::X86_64.as_str().into(),
        });
    }
    let (vcpu_id, gb_id) = fargate_ids(platform, a);
    for id in [vcpu_id, gb_id] {
        if crate::stand_in::service(catalog, a, id).is_none() {
            return Err(EstimateError::MissingPrice { platform: platform.as_str().into(), id: id.into() });
        }
    }
    Ok(())
}

/// An option's plans: the one shown (the peak hour's, with a profile), and one with a spot pool
/// of its own for interruption-tolerant work, which the spot model prices.
struct Plans<'w, 'c> {
    /// What the plans place: the peak hour's replicas with a profile.
    demands: Vec<Demand<'w>>,
    /// The week's curve, when processes follow a profile.
    curve: Option<Curve<'c>>,
    base: ComputePlan<'c>,
    spot: Option<ComputePlan<'c>>,
    /// Which of the spot candidates the spot pool was planned on.
    spot_on: SpotOn,
    /// Whether some process with replicas tolerates interruption.
    tolerant: bool,
}

/// The candidates a spot pool was planned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpotOn {
    /// No spot pool.
    Nothing,
    /// Types under the interruption threshold.
    Preferred,
    /// Every type with a spot price: none under the threshold holds the pool.
    All,
}

impl<'w, 'c> Plans<'w, 'c> {
    #[allow(clippy::too_many_arguments)]
    fn make(
        platform: Platform,
        demands: &[Demand<'w>],
        hourly: Option<&[Vec<u32>]>,
        cands: &[Candidate<'c>],
        spot_cands: &SpotCandidates<'c>,
        catalog: &Catalog,
        a: &Assumptions,
        stop: &dyn Stop,
    ) -> Result<Self, EstimateError> {
        let curve = match hourly {
            Some(hours) => Some(curve(platform, demands, hours, cands, catalog, a, stop)?),
            None => None,
        };
        // With a profile, the node plan shown (and priced before scaling to the week) is the
        // peak hour's.
        let demands: Vec<Demand<'w>> = match (hourly, &curve) {
            (Some(hours), Some(c)) => {
                demands.iter().zip(&hours[c.peak]).map(|(d, &r)| Demand { replicas: r, ..d.clone() }).collect()
            }
            _ => demands.to_vec(),
        };
        let base = match &curve {
            Some(c) => c.peak_plan.clone(),
            None => plan(platform, &demands, cands, a, None)?,
        };
        let tolerant = demands.iter().any(|d| d.interruption_tolerant && d.replicas > 0);
        let (mut spot, mut spot_on) = (None, SpotOn::Nothing);
        if tolerant && !platform.is_fargate() {
            // Types under the interruption threshold; every type with a spot price when none is.
            let (on, which) = if spot_cands.preferred.is_empty() {
                (&spot_cands.all, SpotOn::All)
            } else {
                (&spot_cands.preferred, SpotOn::Preferred)
            };
            if !on.is_empty() {
                (spot, spot_on) = (Some(plan(platform, &demands, cands, a, Some(on))?), which);
            }
        }
        Ok(Plans { demands, curve, base, spot, spot_on, tolerant })
    }

    /// The candidates the spot pool was planned on (none without one).
    fn spot_candidates<'s>(&self, spot_cands: &'s SpotCandidates<'c>) -> &'s [Candidate<'c>] {
        match self.spot_on {
            SpotOn::Nothing => &[],
            SpotOn::Preferred => &spot_cands.preferred,
            SpotOn::All => &spot_cands.all,
        }
    }

    /// What a reader of a spot estimate should know about the pool's types, when it matters.
    fn spot_note(&self, platform: Platform, a: &Assumptions, spot_cands: &SpotCandidates) -> Option<String> {
        if a.pricing != PricingModel::Spot || !self.tolerant || platform.is_fargate() {
            return None;
        }
        match self.spot_on {
            SpotOn::Preferred => {
                let on = Some(&spot_cands.preferred[..]);
                let left: Vec<String> = self
                    .demands
                    .iter()
                    .filter(|d| d.interruption_tolerant && d.replicas > 0 && !crate::plan::on_spot(d, on))
                    .map(|d| format!("{}/{}", d.app, d.process))
                    .collect();
                (!left.is_empty()).then(|| {
                    format!(
                        "{}: {} fit no candidate type interrupted at most {} in {}, so they run on-demand",
                        platform.label(),
                        left.join(", "),
                        a.spot_max_interruption,
                        a.region
                    )
                })
            }
            SpotOn::All => Some(format!(
                "{}: no candidate type is interrupted at most {} in {}, so the spot pool uses every type with a \
                 spot price",
                platform.label(),
                a.spot_max_interruption,
                a.region
            )),
            SpotOn::Nothing => Some(format!(
                "{}: no candidate type has a spot price in {}; interruption-tolerant processes run on-demand",
                platform.label(),
                a.region
            )),
        }
    }

    /// The plan `model` prices.
    fn for_model(&self, model: PricingModel) -> &ComputePlan<'c> {
        match (&self.spot, model) {
            (Some(p), PricingModel::Spot) => p,
            _ => &self.base,
        }
    }
}

/// The option under every pricing model that applies.
fn every_model(
    platform: Platform,
    plans: &Plans,
    catalog: &Catalog,
    a: &Assumptions,
    support: &[CostLine],
) -> Vec<ModelCost> {
    let mut by_model = Vec::new();
    for model in PricingModel::ALL {
        let Some(priced) =
            price_over_week(platform, plans.for_model(model), model, catalog, a, None, plans.curve.as_ref())
        else {
            continue;
        };
        let (_, monthly) = total(catalog, a, &priced, support);
        by_model.push(ModelCost::of(model, &priced, monthly));
    }
    by_model
}

impl ModelCost {
    fn of(model: PricingModel, priced: &Priced, monthly_usd: Usd) -> Self {
        ModelCost {
            model,
            label: model.label().into(),
            compute_monthly_usd: priced.compute,
            monthly_usd,
            upfront_usd: priced.upfront,
            basis: priced.basis.clone(),
            assumed: !priced.assumptions.is_empty(),
        }
    }
}

/// The lower bound on any plan's on-demand node cost for the month (rounded down to the cent)
/// and the chosen plan's gap to it, percent.
fn bound_and_gap(
    chosen: &ComputePlan,
    demands: &[Demand],
    cands: &[Candidate],
    a: &Assumptions,
) -> (Option<Usd>, Option<f64>) {
    let hours = Decimal::from(a.hours_per_month);
    let on_demand_nodes: Decimal =
        chosen.pools.iter().map(|p| p.candidate.price.usd_per_hour * Decimal::from(p.nodes()) * hours).sum();
    let lower_bound = (!chosen.pools.is_empty())
        .then(|| {
            chosen
                .lower_bound_per_hour(demands, cands, a)
                .and_then(|b| Decimal::from_f64(b * f64::from(a.hours_per_month)))
        })
        .flatten()
        .map(|b| Usd::new(b.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToNegativeInfinity)));
    let gap = lower_bound.filter(|b| b.amount() > Decimal::ZERO).map(|b| {
        ((on_demand_nodes - b.amount()) / b.amount() * Decimal::ONE_HUNDRED).round_dp(2).to_f64().unwrap_or(0.0)
    });
    (lower_bound, gap)
}

/// Requested over allocatable, and measured use over allocatable when every running process
/// was measured.
fn utilization(chosen: &ComputePlan, demands: &[Demand], workloads: &Workloads) -> (Utilization, Option<Utilization>) {
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
    let measured = measured_use(workloads)
        .map(|[cpu, mem, ..]| Utilization { cpu: ratio(cpu, cap_cpu), memory: ratio(mem, cap_mem) });
    (utilization, measured)
}
