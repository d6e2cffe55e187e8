//! What-ifs on an option: the sensitivity (each key assumption moved 20% each way, savings at
//! each end) and the band (the monthly total at the favourable and unfavourable ends of every
//! uncertain figure).

use super::price::{total, Priced};
use super::week::{price_over_week, Curve};
use crate::catalog::Catalog;
use crate::money::Usd;
use crate::plan::{plan_like, Candidate, ComputePlan, Demand};
use crate::purchase::{assumed, assumption};
use crate::report::{Band, CostLine, Sensitivity, Tco};
use crate::scenario::{Assumptions, Headroom, Platform, PricingModel};
use crate::supporting;
use rust_decimal::Decimal;

/// An option as its what-ifs vary it: its plan, what the plan was made from, and how it was
/// priced.
#[derive(Clone, Copy)]
pub(super) struct PricedOption<'a> {
    pub platform: Platform,
    pub plan: &'a ComputePlan<'a>,
    pub demands: &'a [Demand<'a>],
    pub candidates: &'a [Candidate<'a>],
    /// The candidates the spot pool was planned on (empty without one).
    pub spot_candidates: &'a [Candidate<'a>],
    pub model: PricingModel,
    pub priced: &'a Priced,
    pub support: &'a [CostLine],
    pub catalog: &'a Catalog,
    pub curve: Option<&'a Curve<'a>>,
    /// The region's stand-in range, when the home region's prices may stand in for its own.
    pub stand_in: Option<&'a crate::stand_in::Range>,
}

/// Each key assumption moved 20% down and up: monthly savings (current − option − ops) at
/// each end, largest swing first.
pub(super) fn sensitivity<'a>(option: &PricedOption<'a>, current: Usd, tco: &Tco, a: &Assumptions) -> Vec<Sensitivity> {
    let PricedOption {
        platform,
        plan: chosen,
        demands,
        candidates: cands,
        spot_candidates,
        model,
        priced,
        support,
        catalog,
        curve,
        ..
    } = *option;
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
        let at = |headroom: Headroom| {
            let moved = Assumptions { headroom, ..a.clone() };
            let moved_cands = |cs: &[Candidate<'a>]| -> Vec<Candidate<'a>> {
                cs.iter()
                    .map(|c| Candidate { usable: crate::node::usable(c.allocatable, moved.headroom), ..*c })
                    .collect()
            };
            let (cands, spot) = (moved_cands(cands), moved_cands(spot_candidates));
            let spot = (model == PricingModel::Spot && !spot.is_empty()).then_some(&spot[..]);
            let p = plan_like(platform, demands, &cands, &moved, spot, Some(chosen)).ok()?;
            let priced = price_over_week(platform, &p, model, catalog, &moved, None, curve)?;
            Some(savings(cur, priced.compute.amount(), sup, ops))
        };
        if let (Some(l), Some(h)) = (at(a.headroom.scaled(0.8)), at(a.headroom.scaled(1.2))) {
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
/// discount and fee assumptions over their catalog ranges, the home region's prices standing
/// in for the region's over the region's range, other prices not confirmed by AWS (third-party
/// or unconfirmed) ±10%.
pub(super) fn band(option: &PricedOption, likely: Usd, a: &Assumptions) -> Band {
    let PricedOption { platform, plan, model, priced, support, catalog, curve, stand_in: range, .. } = *option;
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
    let stood_in = |l: &CostLine| l.sources.iter().any(|item| crate::stand_in::is_stand_in(item, &a.region));
    // Stand-ins move over the region's range: compute through the assumption (Fargate rates),
    // the supporting lines by scaling them here.
    let (mut low_delta, mut high_delta) = (Decimal::ZERO, Decimal::ZERO);
    let stand_ins: Decimal = support.iter().filter(|l| stood_in(l)).map(|l| l.monthly_usd.amount()).sum();
    let used = support.iter().chain(&priced.lines).any(stood_in);
    if let (true, Some(r), Some(x)) = (used, range, assumed(catalog, a, crate::stand_in::ASSUMPTION)) {
        if !x.value.is_zero() {
            low_delta = stand_ins * (r.low / x.value - Decimal::ONE);
            high_delta = stand_ins * (r.high / x.value - Decimal::ONE);
        }
        ends[0].overrides.insert(crate::stand_in::ASSUMPTION.into(), x.value * r.low);
        ends[1].overrides.insert(crate::stand_in::ASSUMPTION.into(), x.value * r.high);
        basis.push(format!(
            "{}'s prices standing in for {}'s from ×{:.2} to ×{:.2} ({})",
            crate::catalog::HOME_REGION,
            a.region,
            r.low,
            r.high,
            r.basis
        ));
    }
    let unconfirmed: Decimal = support
        .iter()
        .filter(|l| !stood_in(l) && line_is_unconfirmed(l, catalog))
        .map(|l| l.monthly_usd.amount())
        .sum();
    if !unconfirmed.is_zero() {
        basis.push("supporting prices not confirmed on an AWS page ±10%".into());
    }
    let tenth = unconfirmed / Decimal::TEN;
    let at = |moved: &Assumptions, delta: Decimal| {
        let p = price_over_week(platform, plan, model, catalog, moved, None, curve)?;
        let (_, sum) = total(catalog, moved, &p, support);
        Some(Usd::new(sum.amount() + delta))
    };
    let low = at(&ends[0], low_delta - tenth).unwrap_or(likely).min(likely);
    let high = at(&ends[1], high_delta + tenth).unwrap_or(likely).max(likely);
    Band { low_usd: low, likely_usd: likely, high_usd: high, basis }
}

/// Whether a supporting line rests on a price that is not `official` in the catalog: its
/// sources name the service prices it used.
fn line_is_unconfirmed(line: &CostLine, catalog: &Catalog) -> bool {
    line.sources.iter().any(|item| catalog.services.iter().any(|s| s.confidence != "official" && &s.item() == item))
}
