//! The headroom: how full the plan fills a node. A newtype parsed once where it enters (the
//! scenario document, the CLI flag, the page's field and URL), so the planner never sees a
//! value out of range.

use serde::{Deserialize, Deserializer, Serialize};

/// The share of a node's allocatable CPU and memory the plan fills: at least
/// [`Headroom::MIN`] and at most 1 (no headroom).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Headroom(f64);

/// A headroom out of range.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("headroom {0} is not between {min} and 1 (the share of a node the plan fills)", min = Headroom::MIN.0)]
pub struct HeadroomError(pub f64);

impl Headroom {
    /// The least headroom accepted: a plan filling nodes to 5% buys twenty nodes for every one
    /// it needs, which is never meant; below it, a tiny value would plan a node per replica and
    /// make the work of an estimate unbounded.
    pub const MIN: Headroom = Headroom(0.05);
    /// The default: nodes filled to 80%, room for spikes and rolling deploys.
    pub const DEFAULT: Headroom = Headroom(0.8);
    /// No headroom: nodes filled to their allocatable capacity.
    pub const FULL: Headroom = Headroom(1.0);

    /// `share` as a headroom, if it is between [`Headroom::MIN`] and 1.
    pub fn new(share: f64) -> Result<Headroom, HeadroomError> {
        if (Headroom::MIN.0..=1.0).contains(&share) {
            Ok(Headroom(share))
        } else {
            Err(HeadroomError(share))
        }
    }

    /// The share, above 0 and at most 1.
    pub fn get(self) -> f64 {
        self.0
    }

    /// This headroom moved by `points` (0.1 = ten points fuller), capped at 1 and kept at
    /// least [`Headroom::MIN`]: the ends of its range in the band and the sensitivity.
    pub fn shifted(self, points: f64) -> Headroom {
        Headroom((self.0 + points).clamp(Headroom::MIN.0, 1.0))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Headroom {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Number))
            .minimum(Some(Headroom::MIN.0))
            .maximum(Some(1.0))
            .description(Some("The share of a node's allocatable CPU and memory the plan fills (1 = no headroom)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Headroom {}

impl Default for Headroom {
    fn default() -> Self {
        Headroom::DEFAULT
    }
}

impl std::fmt::Display for Headroom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for Headroom {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let share: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
        Headroom::new(share).map_err(|e| e.to_string())
    }
}

impl<'de> Deserialize<'de> for Headroom {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let share = f64::deserialize(deserializer)?;
        Headroom::new(share).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headroom_is_between_the_minimum_and_one() {
        assert_eq!(Headroom::new(0.8).map(Headroom::get), Ok(0.8));
        assert_eq!(Headroom::new(1.0), Ok(Headroom::FULL));
        assert_eq!(Headroom::new(0.05), Ok(Headroom::MIN));
        for bad in [0.0, 1e-9, 0.049, 1.01, -0.5, f64::NAN, f64::INFINITY] {
            assert!(Headroom::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_document_out_of_range_is_refused_where_it_is_read() {
        let err = serde_json::from_str::<Headroom>("1e-9").unwrap_err().to_string();
        assert!(err.contains("not between 0.05 and 1"), "{err}");
        assert_eq!(serde_json::from_str::<Headroom>("0.7").unwrap().get(), 0.7);
        assert_eq!(serde_json::to_string(&Headroom::DEFAULT).unwrap(), "0.8");
    }

    #[test]
    fn a_what_if_stays_in_range() {
        assert_eq!(Headroom::new(0.95).unwrap().shifted(0.1), Headroom::FULL);
        assert_eq!(Headroom::MIN.shifted(-0.1), Headroom::MIN);
        assert!((Headroom::DEFAULT.shifted(-0.1).get() - 0.7).abs() < 1e-12);
    }
}
