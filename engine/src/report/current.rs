//! Today's bill as the report shows it: the side every option is compared with.

use super::cost::CostLine;
use super::plan::Utilization;
use crate::money::Usd;
use serde::{Deserialize, Serialize};

/// The current platform's cost.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Current {
    /// `heroku` (later: `ec2`).
    pub platform: String,
    /// USD per month.
    pub monthly_usd: Usd,
    /// By category.
    pub breakdown: Vec<CostLine>,
    /// Measured over paid (p95 memory over the dynos' memory, p95 load over their CPU), when
    /// every running process has measurements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization_measured: Option<Utilization>,
    /// The basis an imported bill is read on (`assumptions.bill_basis`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::bill::CostBasis>,
    /// The bill's credits, refunds, discounts, adjustments and tax for the month, each its own
    /// line, on the same basis: shown as billed, not in `monthly_usd` (no option estimates them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_charges: Vec<CostLine>,
}
