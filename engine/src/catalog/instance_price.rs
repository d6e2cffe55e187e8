//! What an instance-hour costs in a region: on demand, and under a commitment.

use super::Provenance;
use crate::money::UsdPerHour;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An on-demand price of an instance type in a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstancePrice {
    /// Region code, e.g. `us-east-1`.
    pub region: String,
    /// Instance type name.
    pub instance_type: String,
    /// USD per instance-hour, Linux, shared tenancy.
    pub usd_per_hour: Decimal,
    /// Source and date.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl InstancePrice {
    /// The hourly rate as a typed price.
    pub fn hourly(&self) -> UsdPerHour {
        UsdPerHour(self.usd_per_hour)
    }
}

/// An effective hourly rate under a commitment (Reserved Instance or Savings Plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Region code.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// `reserved-standard`, `reserved-convertible`, `compute-savings-plan`, `ec2-instance-savings-plan`.
    pub kind: String,
    /// `1yr` or `3yr`.
    pub term: String,
    /// `No Upfront`, `Partial Upfront` or `All Upfront`.
    pub purchase_option: String,
    /// Effective USD per instance-hour, upfront amortized.
    pub effective_usd_per_hour: Decimal,
    /// Source and date.
    #[serde(flatten)]
    pub provenance: Provenance,
}
