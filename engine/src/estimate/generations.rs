//! The generations matrix: the same replicas planned on each generation family group
//! ([`GENERATION_GROUPS`]) for every node target, beside the option's own plan on the
//! scenario's candidate list, on one basis (on-demand nodes, the plan shown).

use crate::catalog::{Catalog, InstanceType};
use crate::error::EstimateError;
use crate::format::node_plan;
use crate::limits::Stop;
use crate::money::Usd;
use crate::plan::{candidates, plan, ComputePlan, Demand};
use crate::report::{GenerationCell, GenerationComparison, NodeCount};
use crate::scenario::{Assumptions, GenerationGroup, Platform, PricingModel, GENERATION_GROUPS, GENERATION_SIZES};
use rust_decimal::Decimal;

/// The first row's name: the option's own plan.
pub(super) const CANDIDATE_LIST: &str = "candidate list";

/// The matrix as it is filled, target by target, in one region.
pub(super) struct Matrix {
    rows: Vec<Row>,
}

/// One row and what its plans use.
struct Row {
    out: GenerationComparison,
    plans: Plans,
}

/// What a row's cells are.
enum Plans {
    /// The option's own plan, on the scenario's candidate list.
    Own,
    /// Plans on the group's types priced in the region.
    On(Vec<String>),
    /// None: the row says why.
    Skipped,
}

impl Matrix {
    /// The rows of a scenario in `a.region`: the candidate list, then every group, those the
    /// region cannot plan saying why.
    pub(super) fn new(catalog: &Catalog, a: &Assumptions) -> Matrix {
        let arch = a.architectures.first().copied().unwrap_or(crate::catalog::Arch::X86_64);
        let mut rows = vec![Row { out: row(CANDIDATE_LIST, arch, &a.region), plans: Plans::Own }];
        for g in GENERATION_GROUPS {
            let mut out = row(g.name, g.arch, &a.region);
            let types = group_types(catalog, g);
            let priced: Vec<&InstanceType> =
                types.iter().copied().filter(|t| catalog.instance_price(&a.region, &t.name).is_some()).collect();
            out.lacking_families =
                g.families.iter().filter(|f| !priced.iter().any(|t| t.family == **f)).map(|f| f.to_string()).collect();
            if !a.architectures.contains(&g.arch) {
                out.skipped = Some(format!(
                    "the images are not built for {}: add it to the architectures to compare this group",
                    g.arch
                ));
                out.lacking_families.clear();
            } else if priced.is_empty() {
                out.skipped = Some(format!(
                    "no price in {} for these families; `tco pricing refresh --region {}` fills them",
                    a.region, a.region
                ));
                out.lacking_families.clear();
            }
            let plans = match out.skipped {
                None => Plans::On(priced.iter().map(|t| t.name.clone()).collect()),
                Some(_) => Plans::Skipped,
            };
            rows.push(Row { out, plans });
        }
        Matrix { rows }
    }

    /// How many plans [`Matrix::add`] makes for each node target: the groups it will plan.
    pub(super) fn plans(catalog: &Catalog, a: &Assumptions) -> u64 {
        let m = Matrix::new(catalog, a);
        m.rows.iter().filter(|r| matches!(r.plans, Plans::On(_))).count() as u64
    }

    /// Plans `demands` (the replicas of `own`, the option's plan shown) on every group for
    /// node target `platform` and adds its cells; a group on which some replica fits no type
    /// gets no cell for the target.
    pub(super) fn add(
        &mut self,
        platform: Platform,
        demands: &[Demand],
        own: &ComputePlan,
        catalog: &Catalog,
        a: &Assumptions,
        stop: &dyn Stop,
    ) -> Result<(), EstimateError> {
        for r in &mut self.rows {
            if stop.now() {
                return Err(EstimateError::Stopped);
            }
            let cell = match &r.plans {
                Plans::Skipped => None,
                Plans::Own => Some(cell(platform, own, a)),
                Plans::On(types) => {
                    let ga = Assumptions { instance_types: types.clone(), ..a.clone() };
                    match candidates(platform, catalog, &ga).and_then(|c| plan(platform, demands, &c, &ga, None)) {
                        Ok(p) => Some(cell(platform, &p, a)),
                        Err(EstimateError::FitsNowhere { .. } | EstimateError::NoPricedCandidate { .. }) => None,
                        Err(e) => return Err(e),
                    }
                }
            };
            r.out.targets.extend(cell);
        }
        Ok(())
    }

    /// The rows, each target's cheapest group marked (the first of equals).
    pub(super) fn finish(self) -> Vec<GenerationComparison> {
        let mut rows: Vec<GenerationComparison> = self.rows.into_iter().map(|r| r.out).collect();
        let platforms: Vec<Platform> = rows[0].targets.iter().map(|c| c.platform).collect();
        for p in platforms {
            let cheapest = rows
                .iter()
                .flat_map(|r| r.targets.iter())
                .filter(|c| c.platform == p)
                .map(|c| c.compute_monthly_usd)
                .min();
            let mut marked = false;
            for c in rows.iter_mut().flat_map(|r| r.targets.iter_mut()).filter(|c| c.platform == p) {
                if !marked && Some(c.compute_monthly_usd) == cheapest {
                    c.cheapest = true;
                    marked = true;
                }
            }
        }
        rows
    }
}

fn row(group: &str, arch: crate::catalog::Arch, region: &str) -> GenerationComparison {
    GenerationComparison {
        group: group.into(),
        arch,
        region: region.into(),
        skipped: None,
        lacking_families: Vec::new(),
        targets: Vec::new(),
    }
}

/// The group's types of the compared sizes, in family order.
fn group_types<'c>(catalog: &'c Catalog, g: &GenerationGroup) -> Vec<&'c InstanceType> {
    g.families
        .iter()
        .flat_map(|f| GENERATION_SIZES.iter().filter_map(move |s| catalog.instance_type(&format!("{f}.{s}"))))
        .collect()
}

/// A plan's nodes on-demand for the month.
fn cell(platform: Platform, p: &ComputePlan, a: &Assumptions) -> GenerationCell {
    let hours = Decimal::from(a.hours_per_month);
    let nodes: Vec<NodeCount> = p.pools.iter().map(|x| NodeCount::of(x, PricingModel::OnDemand)).collect();
    let per_hour: Decimal = p.pools.iter().map(|x| x.candidate.price.usd_per_hour * Decimal::from(x.nodes())).sum();
    GenerationCell {
        platform,
        nodes: p.nodes(),
        plan: node_plan(&nodes),
        compute_monthly_usd: Usd::new(per_hour * hours),
        cheapest: false,
    }
}
