//! The Spot Instance Advisor's feed: what spot saves on a type in a region, and how often it is
//! interrupted there.

use super::Provenance;
use crate::money::UsdPerHour;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How often AWS reclaimed a spot instance of a type in a region over the past month, in the
/// Spot Instance Advisor's buckets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Interruption {
    /// Under 5%.
    #[serde(rename = "<5%")]
    Under5,
    /// 5 to 10%.
    #[serde(rename = "5-10%")]
    From5To10,
    /// 10 to 15%.
    #[serde(rename = "10-15%")]
    From10To15,
    /// 15 to 20%.
    #[serde(rename = "15-20%")]
    From15To20,
    /// Over 20%.
    #[serde(rename = ">20%")]
    Over20,
}

impl Interruption {
    /// Every bucket, least interrupted first.
    pub const ALL: [Interruption; 5] = [
        Interruption::Under5,
        Interruption::From5To10,
        Interruption::From10To15,
        Interruption::From15To20,
        Interruption::Over20,
    ];

    /// The advisor's spelling: `<5%`, `5-10%`, `10-15%`, `15-20%`, `>20%` (serde's too).
    pub fn as_str(self) -> &'static str {
        match self {
            Interruption::Under5 => "<5%",
            Interruption::From5To10 => "5-10%",
            Interruption::From10To15 => "10-15%",
            Interruption::From15To20 => "15-20%",
            Interruption::Over20 => ">20%",
        }
    }
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not one of the advisor's buckets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown interruption frequency `{0}` (<5%, 5-10%, 10-15%, 15-20% or >20%)")]
pub struct UnknownInterruption(pub String);

impl std::str::FromStr for Interruption {
    type Err = UnknownInterruption;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Interruption::ALL.into_iter().find(|i| i.as_str() == s).ok_or_else(|| UnknownInterruption(s.to_string()))
    }
}

/// The Spot Instance Advisor's word on one type in one region: how much spot saved over
/// on-demand, and how often it was interrupted. The spot price of the type there is its
/// on-demand price less `savings_pct` percent ([`SpotAdvice::spot_hourly`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpotAdvice {
    /// Region code.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// Saving over on-demand, percent (the feed's whole numbers; it has a negative one where
    /// spot cost more than on-demand).
    pub savings_pct: Decimal,
    /// Interruption frequency bucket.
    pub interruption: Interruption,
    /// Source and date of the feed.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl SpotAdvice {
    /// The spot rate of an on-demand rate: `on_demand × (100 − savings_pct) / 100`.
    pub fn spot_hourly(&self, on_demand: UsdPerHour) -> UsdPerHour {
        UsdPerHour(on_demand.0 * (Decimal::ONE_HUNDRED - self.savings_pct) / Decimal::ONE_HUNDRED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_read_back_their_own_spelling_only() {
        for i in Interruption::ALL {
            assert_eq!(i.as_str().parse::<Interruption>(), Ok(i));
            assert_eq!(serde_json::to_value(i).unwrap(), serde_json::json!(i.as_str()));
        }
        assert_eq!("5-10%".parse::<Interruption>(), Ok(Interruption::From5To10));
        assert!("5 to 10%".parse::<Interruption>().is_err());
    }
}
