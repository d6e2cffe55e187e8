//! What a node-hour costs under each pricing model: the catalog's commitment rate for the
//! type where it has one, otherwise the on-demand price less an editable discount assumption.

use crate::catalog::{AssumptionDefault, Catalog, Commitment, SpotAdvice};
use crate::scenario::{Assumptions, PricingModel};
use rust_decimal::Decimal;

/// Catalog ids of the discount assumptions.
pub mod assumption {
    /// Average spot discount: the fallback for types the Spot Instance Advisor feed lacks.
    pub const SPOT: &str = "spot-discount";
    /// Compute Savings Plan, 1 year, no upfront.
    pub const COMPUTE_SP_1Y: &str = "compute-sp-1yr-no-upfront-discount";
    /// Compute Savings Plan, 3 years, no upfront.
    pub const COMPUTE_SP_3Y: &str = "compute-sp-3yr-no-upfront-discount";
    /// EC2 Instance Savings Plan / standard RI, 1 year, no upfront.
    pub const RI_1Y: &str = "ec2-instance-sp-1yr-no-upfront-discount";
    /// EC2 Instance Savings Plan / standard RI, 3 years, no upfront.
    pub const RI_3Y: &str = "ec2-instance-sp-3yr-no-upfront-discount";
    /// EKS Auto Mode fee as a share of on-demand.
    pub const EKS_AUTO_FEE: &str = "eks-auto-mode-fee";
}

/// Hours in a commitment year (365 × 24).
const HOURS_PER_YEAR: u32 = 8760;

/// An uncertain figure as the estimate uses it: the user's override or the catalog default.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumed<'c> {
    /// The value used.
    pub value: Decimal,
    /// The catalog's default with its range and source.
    pub default: &'c AssumptionDefault,
    /// Whether the user replaced the default.
    pub overridden: bool,
}

/// The value of assumption `id`: the scenario's override, else the catalog default.
pub fn assumed<'c>(catalog: &'c Catalog, assumptions: &Assumptions, id: &str) -> Option<Assumed<'c>> {
    let default = catalog.assumption(id)?;
    Some(match assumptions.overrides.get(id) {
        Some(v) => Assumed { value: *v, default, overridden: true },
        None => Assumed { value: default.value, default, overridden: false },
    })
}

/// The hourly rate of one node under a pricing model.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate<'c> {
    /// Effective USD per node-hour, any upfront payment amortized over the term.
    pub usd_per_hour: Decimal,
    /// Paid at purchase per node for the whole term, USD (all-upfront catalog rates).
    pub upfront_per_node: Decimal,
    /// Where the rate comes from, for people.
    pub basis: String,
    /// The discount assumption it rests on, if it is not a catalog price.
    pub assumption: Option<&'static str>,
    /// The catalog commitment row it comes from, if any.
    pub commitment: Option<&'c Commitment>,
    /// The Spot Instance Advisor row it comes from, if any.
    pub spot: Option<&'c SpotAdvice>,
}

/// The rate of a node of `instance_type` (on-demand `on_demand` per hour) under `model`;
/// `spot_pool` says whether the node runs interruption-tolerant work. `None` when the
/// model cannot be priced (no catalog rate and no assumption).
pub fn node_rate<'c>(
    catalog: &'c Catalog,
    assumptions: &Assumptions,
    model: PricingModel,
    instance_type: &str,
    on_demand: Decimal,
    spot_pool: bool,
) -> Option<Rate<'c>> {
    let od = Rate {
        usd_per_hour: on_demand,
        upfront_per_node: Decimal::ZERO,
        basis: "on-demand".into(),
        assumption: None,
        commitment: None,
        spot: None,
    };
    let discounted = |id: &'static str, what: &str| {
        let a = assumed(catalog, assumptions, id)?;
        Some(Rate {
            usd_per_hour: on_demand * (Decimal::ONE - a.value),
            upfront_per_node: Decimal::ZERO,
            basis: format!(
                "{what}: on-demand less {}% ({id}, an assumption)",
                (a.value * Decimal::ONE_HUNDRED).normalize()
            ),
            assumption: Some(id),
            commitment: None,
            spot: None,
        })
    };
    match model {
        PricingModel::OnDemand => Some(od),
        PricingModel::Spot if !spot_pool => Some(od),
        PricingModel::Spot => match catalog.spot_advice(&assumptions.region, instance_type) {
            Some(advice) => Some(spot_rate(advice, on_demand)),
            None => discounted(assumption::SPOT, "spot (the Spot Instance Advisor feed lacks the type here)"),
        },
        PricingModel::ComputeSp1y | PricingModel::ComputeSp3y => {
            let id = if model.term_years() == 1 { assumption::COMPUTE_SP_1Y } else { assumption::COMPUTE_SP_3Y };
            committed(catalog, assumptions, &["compute-savings-plan"], model, instance_type, id)
                .or_else(|| discounted(id, model.label()))
        }
        PricingModel::Ri1y | PricingModel::Ri3y => {
            let id = if model.term_years() == 1 { assumption::RI_1Y } else { assumption::RI_3Y };
            committed(
                catalog,
                assumptions,
                &["reserved-standard", "ec2-instance-savings-plan"],
                model,
                instance_type,
                id,
            )
            .or_else(|| discounted(id, model.label()))
        }
    }
}

/// The catalog's commitment rate for the type, preferring No Upfront, then All Upfront
/// (whose upfront is the whole term at the effective rate); skipped when the user overrode
/// the discount assumption, which then wins.
fn committed<'c>(
    catalog: &'c Catalog,
    assumptions: &Assumptions,
    kinds: &[&str],
    model: PricingModel,
    instance_type: &str,
    override_id: &str,
) -> Option<Rate<'c>> {
    if assumptions.overrides.contains_key(override_id) {
        return None;
    }
    let term = format!("{}yr", model.term_years());
    let rows: Vec<_> = catalog
        .commitments
        .iter()
        .filter(|c| {
            c.region == assumptions.region
                && c.instance_type == instance_type
                && kinds.contains(&c.kind.as_str())
                && c.term == term
        })
        .collect();
    let pick = |option: &str| rows.iter().find(|c| c.purchase_option == option);
    let (row, upfront) = if let Some(c) = pick("No Upfront") {
        (c, Decimal::ZERO)
    } else if let Some(c) = pick("All Upfront") {
        (c, c.effective_usd_per_hour * Decimal::from(HOURS_PER_YEAR * model.term_years()))
    } else {
        return None;
    };
    Some(Rate {
        usd_per_hour: row.effective_usd_per_hour,
        upfront_per_node: upfront,
        basis: format!(
            "{} {} {} {} (catalog, {})",
            row.kind, row.term, row.purchase_option, instance_type, row.provenance.as_of
        ),
        assumption: None,
        commitment: Some(row),
        spot: None,
    })
}

/// A node's spot rate from the Spot Instance Advisor: on-demand less the type's saving in the
/// region, with the bucket of how often it was interrupted and the feed's date.
pub fn spot_rate(advice: &SpotAdvice, on_demand: Decimal) -> Rate<'_> {
    Rate {
        usd_per_hour: advice.spot_hourly(crate::money::UsdPerHour(on_demand)).0,
        upfront_per_node: Decimal::ZERO,
        basis: format!(
            "spot: on-demand ${} less {}% (Spot Instance Advisor, {}, interrupted {}, {})",
            on_demand.normalize(),
            advice.savings_pct.normalize(),
            advice.region,
            advice.interruption,
            advice.provenance.as_of
        ),
        assumption: None,
        commitment: None,
        spot: Some(advice),
    }
}
