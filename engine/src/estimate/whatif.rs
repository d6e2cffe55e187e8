//! What-ifs on an option: the band (the monthly total with every labelled assumption at its
//! favourable and at its unfavourable end) and the sensitivity that explains it (each
//! assumption alone at either end of the same range, and a few figures without a stated range
//! moved 20% each way).
//!
//! The band is the worst and the best combination, not a Monte Carlo: each end is a set of
//! values a reader can type in and get again, it needs two re-plans an option where a Monte
//! Carlo would need hundreds (each a packing search), and its percentiles would rest on
//! distributions nobody has measured. Packing is not monotone, so the band also takes in every
//! one-at-a-time end the sensitivity planned: it always holds each assumption's own range.
//!
//! Re-planning is the costly part: each distinct what-if (CPU per compute unit, headroom,
//! spare nodes, sizing policy) is planned once, with [`plan_like`] (the mixed pools packed the
//! way the chosen plan packed them), and priced as often as the discounts need.

use super::price::{total, Priced};
use super::ranges::{self, Moved};
use super::week::{price_over_week, Curve};
use crate::catalog::Catalog;
use crate::money::Usd;
use crate::plan::{plan_like, Candidate, ComputePlan, Demand};
use crate::purchase::{assumed, assumption};
use crate::report::{Band, CostLine, Sensitivity, Tco, UncertainFigure};
use crate::scenario::{Assumptions, Platform, PricingModel, SizingPolicy};
use crate::stand_in;
use crate::supporting;
use crate::workload::Workloads;
use rust_decimal::Decimal;
use std::collections::HashSet;

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
    /// The supporting lines of the plan, and the add-on lines (which no what-if moves).
    pub support: &'a [CostLine],
    pub addons: &'a [CostLine],
    pub workloads: &'a Workloads,
    pub catalog: &'a Catalog,
    pub curve: Option<&'a Curve<'a>>,
    /// The region's stand-in range, when the home region's prices may stand in for its own.
    pub stand_in: Option<&'a stand_in::Range>,
}

/// The option's band and sensitivity, and the stated ranges they used that the report's
/// uncertain figures should list.
pub(super) struct WhatIfs {
    pub sensitivity: Vec<Sensitivity>,
    pub band: Band,
    pub ranges: Vec<UncertainFigure>,
}

/// One end of a what-if: the moved plan's assumptions, and how the prices move.
#[derive(Clone)]
struct End {
    moved: Moved,
    /// Catalog assumptions (discounts, fees) replaced, by id.
    overrides: Vec<(&'static str, Decimal)>,
    /// Supporting prices not confirmed on an AWS page, scaled by this (1 = as priced).
    unconfirmed: Decimal,
    /// Supporting prices of the home region standing in for the region's, scaled by this.
    stood_in: Decimal,
}

/// A what-if row: its name, what the assumption is at each end, and the two ends.
struct Row {
    assumption: String,
    at: (String, String),
    in_band: bool,
    ends: Option<(Usd, Usd)>,
}

/// The band and the sensitivity of one option.
pub(super) fn what_ifs(option: &PricedOption, likely: Usd, current: Usd, tco: &Tco, a: &Assumptions) -> WhatIfs {
    let unconfirmed_items = unconfirmed_items(option.catalog);
    let mut planner = Replanner { option, a, unconfirmed: &unconfirmed_items, plans: Vec::new() };
    let base = Moved::of(a);
    let as_is = End { moved: base, overrides: Vec::new(), unconfirmed: Decimal::ONE, stood_in: Decimal::ONE };
    let ops = tco.ops_monthly_usd.amount();
    let savings = |option: Decimal| Usd::new(current.amount() - option - ops);

    let mut rows: Vec<Row> = Vec::new();
    let mut basis: Vec<String> = Vec::new();
    let mut used_ranges: Vec<UncertainFigure> = Vec::new();
    // The combined ends: every favourable value in one, every unfavourable in the other.
    let (mut good, mut bad) = (as_is.clone(), as_is.clone());
    // Totals of every in-band end planned, so the band holds each one.
    let mut seen: Vec<Usd> = vec![likely];

    let cedar = ranges::cedar_processes(option.workloads, option.catalog);
    if cedar > 0 {
        let r = ranges::cpu_per_compute_unit(a);
        let (lo, hi) = (r.low, r.high);
        let ends = planner.pair(
            End { moved: Moved { per_unit: lo, ..base }, ..as_is.clone() },
            End { moved: Moved { per_unit: hi, ..base }, ..as_is.clone() },
        );
        good.moved.per_unit = lo;
        bad.moved.per_unit = hi;
        basis.push(format!(
            "CPU per Heroku compute unit from {lo} m to {hi} m ({cedar} process{} on Cedar dynos)",
            if cedar == 1 { "" } else { "es" }
        ));
        rows.push(Row {
            assumption: "CPU per Heroku compute unit".into(),
            at: (format!("{lo} m"), format!("{hi} m")),
            in_band: true,
            ends,
        });
        used_ranges.push(r.figure(a.millicores_per_compute_unit, Decimal::from));
    }
    if !option.platform.is_fargate() {
        let r = ranges::headroom(a);
        let (lo, hi) = (r.low, r.high);
        // More headroom used (a fuller node) is the favourable end.
        let ends = planner.pair(
            End { moved: Moved { headroom: lo, ..base }, ..as_is.clone() },
            End { moved: Moved { headroom: hi, ..base }, ..as_is.clone() },
        );
        good.moved.headroom = hi;
        bad.moved.headroom = lo;
        basis.push(format!("headroom from {} to {} of a node's allocatable", pct(lo.get()), pct(hi.get())));
        rows.push(Row {
            assumption: "Headroom (target node utilization)".into(),
            at: (pct(lo.get()), pct(hi.get())),
            in_band: true,
            ends,
        });
        used_ranges.push(r.figure(a.headroom, |h| headroom_decimal(h.get())));

        let ends = planner.pair(
            End { moved: Moved { spare: false, ..base }, ..as_is.clone() },
            End { moved: Moved { spare: true, ..base }, ..as_is.clone() },
        );
        good.moved.spare = false;
        bad.moved.spare = true;
        basis.push("one spare node per zone: without and with".into());
        rows.push(Row {
            assumption: "One spare node per zone".into(),
            at: ("without".into(), "with".into()),
            in_band: true,
            ends,
        });
    }
    let measured = ranges::measured_processes(option.workloads);
    if measured > 0 {
        let ends = planner.pair(
            End { moved: Moved { sizing: SizingPolicy::Dyno, ..base }, ..as_is.clone() },
            End { moved: Moved { sizing: SizingPolicy::Measured, ..base }, ..as_is.clone() },
        );
        // Whichever sizing costs less is the favourable end.
        let measured_cheaper = matches!(ends, Some((dyno, measured)) if measured <= dyno);
        let (cheap, dear) = if measured_cheaper {
            (SizingPolicy::Measured, SizingPolicy::Dyno)
        } else {
            (SizingPolicy::Dyno, SizingPolicy::Measured)
        };
        good.moved.sizing = cheap;
        bad.moved.sizing = dear;
        basis.push(format!(
            "sizing by dyno size and by measured use ({measured} process{} measured)",
            if measured == 1 { "" } else { "es" }
        ));
        rows.push(Row {
            assumption: "Sizing: dyno sizes or measured use".into(),
            at: ("dyno sizes".into(), "measured use".into()),
            in_band: true,
            ends,
        });
    }
    // Not in the band: the sweep's ends are a judgement, not a range anyone published.
    let unmeasured = ranges::unmeasured_ec2_processes(option.workloads);
    if unmeasured > 0 {
        let (lo, hi) = ranges::UNMEASURED_USE_PCT;
        let at = |pct: u32| End { moved: Moved { unmeasured_use_pct: Some(pct), ..base }, ..as_is.clone() };
        rows.push(Row {
            assumption: format!(
                "{} ({unmeasured} group{} sized whole; a sweep, not a measurement)",
                ranges::UNMEASURED_USE.description,
                if unmeasured == 1 { "" } else { "s" }
            ),
            at: (format!("{lo}%"), format!("{hi}%")),
            in_band: false,
            ends: planner.pair(at(lo), at(hi)),
        });
    }
    for id in &option.priced.assumptions {
        let Some(x) = assumed(option.catalog, a, id) else { continue };
        // A bigger discount or a smaller fee is the favourable end.
        let (low_is_good, lo, hi) = (*id == assumption::EKS_AUTO_FEE, x.default.low, x.default.high);
        let ends = planner.pair(
            End { overrides: vec![(*id, lo)], ..as_is.clone() },
            End { overrides: vec![(*id, hi)], ..as_is.clone() },
        );
        good.overrides.push((*id, if low_is_good { lo } else { hi }));
        bad.overrides.push((*id, if low_is_good { hi } else { lo }));
        basis.push(format!("{} from {} to {}", x.default.description, x.default.low, x.default.high));
        rows.push(Row {
            assumption: format!("{} ({id})", x.default.description),
            at: (figure(lo, &x.default.unit), figure(hi, &x.default.unit)),
            in_band: true,
            ends,
        });
    }
    // The home region's prices standing in for the region's, over the region's own range:
    // compute (Fargate's rates) through the assumption, the supporting lines scaled.
    let stood_in = |l: &CostLine| stood_in(l, &a.region);
    let used = option.support.iter().chain(&option.priced.lines).any(stood_in);
    if let (true, Some(r), Some(x)) = (used, option.stand_in, assumed(option.catalog, a, stand_in::ASSUMPTION)) {
        if !x.value.is_zero() {
            let end = |multiple: Decimal| End {
                overrides: vec![(stand_in::ASSUMPTION, multiple)],
                stood_in: multiple / x.value,
                ..as_is.clone()
            };
            let ends = planner.pair(end(r.low), end(r.high));
            good.overrides.push((stand_in::ASSUMPTION, r.low));
            good.stood_in = r.low / x.value;
            bad.overrides.push((stand_in::ASSUMPTION, r.high));
            bad.stood_in = r.high / x.value;
            basis.push(format!(
                "{}'s prices standing in for {}'s from ×{:.2} to ×{:.2} ({})",
                crate::catalog::HOME_REGION,
                a.region,
                r.low,
                r.high,
                r.basis
            ));
            rows.push(Row {
                assumption: format!("{}'s prices standing in for {}'s", crate::catalog::HOME_REGION, a.region),
                at: (format!("×{:.2}", r.low), format!("×{:.2}", r.high)),
                in_band: true,
                ends,
            });
        }
    }
    let unconfirmed: Decimal = option
        .support
        .iter()
        .filter(|l| !stood_in(l) && line_is_unconfirmed(l, &unconfirmed_items))
        .map(|l| l.monthly_usd.amount())
        .sum();
    if !unconfirmed.is_zero() {
        let (lo, hi) = (Decimal::new(9, 1), Decimal::new(11, 1));
        let ends = planner.pair(End { unconfirmed: lo, ..as_is.clone() }, End { unconfirmed: hi, ..as_is.clone() });
        good.unconfirmed = lo;
        bad.unconfirmed = hi;
        basis.push("supporting prices not confirmed on an AWS page ±10%".into());
        rows.push(Row {
            assumption: "Supporting prices not confirmed on an AWS page".into(),
            at: ("−10%".into(), "+10%".into()),
            in_band: true,
            ends,
        });
    }
    for r in rows.iter().filter(|r| r.in_band) {
        seen.extend(r.ends.iter().flat_map(|(l, h)| [*l, *h]));
    }
    let low = planner.total(&good).map_or(likely, |t| t.min(likely));
    let high = planner.total(&bad).map_or(likely, |t| t.max(likely));
    let band = Band {
        low_usd: seen.iter().copied().fold(low, Usd::min),
        likely_usd: likely,
        high_usd: seen.iter().copied().fold(high, Usd::max),
        basis,
    };

    // Figures without a stated range, moved 20% each way: what today costs, AWS's list prices
    // and the people running the new platform.
    let (cur, comp, sup) = (current.amount(), option.priced.compute.amount(), sum(option.support));
    let (lo, hi) = (Decimal::new(8, 1), Decimal::new(12, 1));
    let with_business_support = |compute: Decimal, support: Decimal| {
        let mut total = compute + support + sum(option.addons);
        if a.supporting.business_support {
            if let Some(l) = supporting::business_support(option.catalog, Usd::new(total), &mut Vec::new()) {
                total += l.monthly_usd.amount();
            }
        }
        total
    };
    let option_total = with_business_support(comp, sup);
    let twenty = || ("−20%".to_string(), "+20%".to_string());
    let mut out: Vec<Sensitivity> = vec![
        sensitivity_row(
            "Current platform prices",
            twenty(),
            false,
            Usd::new(cur * lo - option_total - ops),
            Usd::new(cur * hi - option_total - ops),
        ),
        sensitivity_row(
            "AWS compute prices",
            twenty(),
            false,
            savings(with_business_support(comp * lo, sup)),
            savings(with_business_support(comp * hi, sup)),
        ),
        sensitivity_row(
            "Supporting service prices",
            twenty(),
            false,
            savings(with_business_support(comp, sup * lo)),
            savings(with_business_support(comp, sup * hi)),
        ),
        sensitivity_row(
            "Operations effort",
            twenty(),
            false,
            Usd::new(cur - option_total - ops * lo),
            Usd::new(cur - option_total - ops * hi),
        ),
    ];
    out.extend(rows.into_iter().filter_map(|r| {
        let (l, h) = r.ends?;
        Some(sensitivity_row(&r.assumption, r.at, r.in_band, savings(l.amount()), savings(h.amount())))
    }));
    out.sort_by(|x, y| y.swing_usd.cmp(&x.swing_usd).then_with(|| x.assumption.cmp(&y.assumption)));
    WhatIfs { sensitivity: out, band, ranges: used_ranges }
}

fn sensitivity_row(assumption: &str, at: (String, String), in_band: bool, low: Usd, high: Usd) -> Sensitivity {
    Sensitivity {
        assumption: assumption.into(),
        savings_at_low_usd: low,
        savings_at_high_usd: high,
        swing_usd: Usd::new((high.amount() - low.amount()).abs()),
        at_low: at.0,
        at_high: at.1,
        in_band,
    }
}

/// Plans each distinct what-if once and prices it under any discounts.
struct Replanner<'o, 'a> {
    /// The source items of prices not confirmed on an AWS page, found once.
    unconfirmed: &'o HashSet<String>,
    option: &'o PricedOption<'a>,
    a: &'o Assumptions,
    /// Each what-if planned so far (`None`: it cannot be planned, e.g. a request no type holds).
    plans: Vec<(Moved, Option<ComputePlan<'a>>)>,
}

impl<'a> Replanner<'_, 'a> {
    /// The option's monthly total at each of two ends.
    fn pair(&mut self, low: End, high: End) -> Option<(Usd, Usd)> {
        Some((self.total(&low)?, self.total(&high)?))
    }

    /// The option's monthly total at `end`: its plan (re-planned when the plan's inputs moved),
    /// priced with its discounts, with the supporting lines of its nodes.
    fn total(&mut self, end: &End) -> Option<Usd> {
        let o = self.option;
        let mut moved = end.moved.apply(self.a);
        for (id, v) in &end.overrides {
            moved.overrides.insert((*id).into(), *v);
        }
        let index = if end.moved == Moved::of(self.a) { None } else { Some(self.plan(end.moved)) };
        let plan = match index {
            None => o.plan,
            Some(i) => self.plans[i].1.as_ref()?,
        };
        let priced = price_over_week(o.platform, plan, o.model, o.catalog, &moved, None, o.curve)?;
        let mut support = if index.is_none() {
            o.support.to_vec()
        } else {
            supporting::lines(
                o.catalog,
                &supporting::Inputs {
                    platform: o.platform,
                    nodes: plan.nodes(),
                    workloads: o.workloads,
                    assumptions: &moved,
                },
                &mut Vec::new(),
                &mut Vec::new(),
            )
        };
        for l in support.iter_mut() {
            let scale = if stood_in(l, &self.a.region) {
                end.stood_in
            } else if line_is_unconfirmed(l, self.unconfirmed) {
                end.unconfirmed
            } else {
                continue;
            };
            l.monthly_usd = Usd::new(l.monthly_usd.amount() * scale);
        }
        support.extend(o.addons.iter().cloned());
        Some(total(o.catalog, &moved, &priced, &support).1)
    }

    /// The index of `moved`'s plan, planned now if it was not before.
    fn plan(&mut self, moved: Moved) -> usize {
        if let Some(i) = self.plans.iter().position(|(m, _)| *m == moved) {
            return i;
        }
        let o = self.option;
        let a = moved.apply(self.a);
        let demands = ranges::moved_demands(o.demands, o.workloads, o.catalog, self.a, &moved);
        let moved_cands = |cs: &[Candidate<'a>]| -> Vec<Candidate<'a>> {
            cs.iter().map(|c| Candidate { usable: crate::node::usable(c.allocatable, a.headroom), ..*c }).collect()
        };
        let (cands, spot) = (moved_cands(o.candidates), moved_cands(o.spot_candidates));
        let spot = (o.model == PricingModel::Spot && !spot.is_empty()).then_some(&spot[..]);
        let plan = plan_like(o.platform, &demands, &cands, &a, spot, Some(o.plan)).ok();
        self.plans.push((moved, plan));
        self.plans.len() - 1
    }
}

fn sum(lines: &[CostLine]) -> Decimal {
    lines.iter().map(|l| l.monthly_usd.amount()).sum()
}

/// `0.8` as `80%`.
fn pct(share: f64) -> String {
    format!("{}%", (share * 100.0).round())
}

/// A headroom share as an exact decimal of at most four places, for the report.
fn headroom_decimal(share: f64) -> Decimal {
    Decimal::from_f64_retain(share).unwrap_or(Decimal::ONE).round_dp(4).normalize()
}

/// A catalog figure at one end: fractions as percentages.
fn figure(value: Decimal, unit: &str) -> String {
    if unit == "fraction" {
        format!("{}%", (value * Decimal::ONE_HUNDRED).normalize())
    } else {
        format!("{} {unit}", value.normalize())
    }
}

/// Whether a supporting line rests on a price that is not `official` in the catalog: its
/// sources name the service prices it used.
fn line_is_unconfirmed(line: &CostLine, unconfirmed: &HashSet<String>) -> bool {
    line.sources.iter().any(|item| unconfirmed.contains(item))
}

/// The source items (as cost lines name them) of the catalog's service prices that are not
/// `official`: built once an option, since every what-if end asks of every line.
fn unconfirmed_items(catalog: &Catalog) -> HashSet<String> {
    catalog.services.iter().filter(|s| s.confidence != "official").map(|s| s.item()).collect()
}

/// Whether a line uses the home region's price standing in for `region`'s.
fn stood_in(line: &CostLine, region: &str) -> bool {
    line.sources.iter().any(|item| stand_in::is_stand_in(item, region))
}
