//! Exact money. Prices and totals are decimals; rounding to cents happens once, when a figure
//! is serialized or displayed.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

/// The estimating convention for a month of always-on use: 365 × 24 / 12.
pub const HOURS_PER_MONTH: u32 = 730;

/// An exact amount of US dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = f64, example = 1234.56))]
pub struct Usd(Decimal);

impl Usd {
    /// Zero dollars.
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    /// Wraps an exact decimal amount.
    pub fn new(amount: Decimal) -> Self {
        Usd(amount)
    }

    /// The exact, unrounded amount.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The amount rounded half away from zero to whole cents: the one rounding step.
    pub fn rounded_to_cents(self) -> Decimal {
        self.0.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }

    /// The amount in whole cents, for display and comparisons in tests.
    pub fn cents(self) -> i64 {
        (self.rounded_to_cents() * Decimal::ONE_HUNDRED).to_i64().unwrap_or(i64::MAX)
    }

    /// Multiplies by a whole count (replicas, nodes).
    pub fn times(self, count: u32) -> Usd {
        Usd(self.0 * Decimal::from(count))
    }

    /// The smaller of two amounts (billing caps).
    pub fn min(self, other: Usd) -> Usd {
        if self <= other {
            self
        } else {
            other
        }
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Usd) -> Usd {
        Usd(self.0 - rhs.0)
    }
}

impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

/// Serialized as a JSON number with cents, e.g. `1234.56`.
impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let cents = self.rounded_to_cents();
        serializer.serialize_f64(cents.to_f64().unwrap_or(f64::NAN))
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !value.is_finite() || value < 0.0 {
            return Err(serde::de::Error::custom(format!(
                "invalid dollar amount {value}: expected a non-negative number"
            )));
        }
        Decimal::from_f64(value)
            .map(Usd)
            .ok_or_else(|| serde::de::Error::custom(format!("dollar amount {value} is out of range")))
    }
}

/// Reads a figure that may be negative (a saving that is a loss), for report fields; inputs
/// keep [`Usd`]'s own check that amounts are not negative.
pub fn signed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Usd, D::Error> {
    let value = f64::deserialize(deserializer)?;
    if !value.is_finite() {
        return Err(serde::de::Error::custom(format!("invalid dollar amount {value}")));
    }
    Decimal::from_f64(value)
        .map(Usd)
        .ok_or_else(|| serde::de::Error::custom(format!("dollar amount {value} is out of range")))
}

/// A price per instance-hour (or per any hour-based unit), exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UsdPerHour(pub Decimal);

impl Mul<Hours> for UsdPerHour {
    type Output = Usd;
    fn mul(self, rhs: Hours) -> Usd {
        Usd(self.0 * Decimal::from(rhs.0))
    }
}

/// A whole number of hours, e.g. the hours in a billing month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hours(pub u32);

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn c5_2xlarge_for_a_month_costs_248_dollars_20() {
        // 0.34 USD/h × 730 h = 248.20 USD
        let monthly = UsdPerHour(dec!(0.34)) * Hours(HOURS_PER_MONTH);
        assert_eq!(monthly.amount(), dec!(248.20));
    }

    #[test]
    fn rounding_happens_once_half_away_from_zero() {
        // three t3.medium at 0.0416 × 730 = 30.368 each; the sum 91.104 rounds to 91.10
        let one = UsdPerHour(dec!(0.0416)) * Hours(730);
        assert_eq!(one.amount(), dec!(30.368));
        assert_eq!(one.times(3).cents(), 9110);
        assert_eq!(Usd::new(dec!(0.125)).cents(), 13);
    }

    #[test]
    fn serializes_as_a_number_with_cents() {
        let json = serde_json::to_string(&Usd::new(dec!(248.2049))).unwrap();
        assert_eq!(json, "248.2");
        let back: Usd = serde_json::from_str("1234.56").unwrap();
        assert_eq!(back.amount(), dec!(1234.56));
    }

    #[test]
    fn rejects_negative_amounts() {
        assert!(serde_json::from_str::<Usd>("-1").is_err());
    }
}
