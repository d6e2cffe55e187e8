//! Amounts of line items as integers of 10⁻¹⁰ (ten decimal places, what the exports' doubles
//! carry): a scan adds millions of them, and integer sums are exact and an order of magnitude
//! cheaper than decimal ones. Rows leave the scan as [`Acc`]'s decimals.

use super::rows::Acc;
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept.
pub(super) const SCALE: u32 = 10;

/// An amount in units of 10⁻¹⁰; beyond what a decimal holds it stays at `i128`'s ends, which
/// become the largest decimal, which the import refuses by name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Fixed(i128);

impl Fixed {
    pub const ZERO: Fixed = Fixed(0);

    /// A decimal to ten places (half away from zero beyond them).
    pub fn from_decimal(d: Decimal) -> Fixed {
        let d = d.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero);
        let factor = 10i128.pow(SCALE - d.scale());
        Fixed(d.mantissa().checked_mul(factor).unwrap_or(if d.is_sign_negative() { i128::MIN } else { i128::MAX }))
    }

    /// A double as the decimal it was written as, to ten places: `0.085` (stored as
    /// 0.08500000000000000611) is 0.085. `None` for NaN and infinities.
    #[inline]
    pub fn from_double(v: f64) -> Option<Fixed> {
        if !v.is_finite() {
            return None;
        }
        let x = v * 1e10;
        // Within i64 (every amount below $900 million), rounded half away from zero with the
        // processor's truncation: `x - t` is exact, and `round` and an `i128` conversion are
        // library calls a scan of millions of doubles notices. Beyond, `as` saturates at
        // i128's ends.
        const LIMIT: f64 = 9.0e18;
        if x.abs() < LIMIT {
            let t = x as i64;
            let frac = x - t as f64;
            let r = if frac >= 0.5 {
                t + 1
            } else if frac <= -0.5 {
                t - 1
            } else {
                t
            };
            return Some(Fixed(i128::from(r)));
        }
        Some(Fixed(x.round() as i128))
    }

    /// Raw units of 10^-`scale` (a Parquet decimal column).
    pub fn from_units(units: i128, scale: u32) -> Fixed {
        match Decimal::try_from_i128_with_scale(units, scale) {
            Ok(d) => Fixed::from_decimal(d),
            Err(_) => Fixed(if units < 0 { i128::MIN } else { i128::MAX }),
        }
    }

    #[inline]
    pub fn add(self, other: Fixed) -> Fixed {
        Fixed(self.0.saturating_add(other.0))
    }

    #[inline]
    pub fn sub(self, other: Fixed) -> Fixed {
        Fixed(self.0.saturating_sub(other.0))
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::try_from_i128_with_scale(self.0, SCALE).unwrap_or(if self.0 < 0 { Decimal::MIN } else { Decimal::MAX })
    }
}

/// [`Acc`] in [`Fixed`] amounts: what a scan adds line items into. Bases are amounts with a
/// mask of those lacking rather than options: a scan adds one line item's sums per line, and
/// this adds without branches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sums {
    pub hours: Fixed,
    /// Unblended, net unblended, amortized, net amortized (zero where lacking).
    bases: [Fixed; 4],
    /// Bit `k` set: basis `k` is lacking (the export has none).
    lacks: u8,
    pub line_items: u64,
}

impl Default for Sums {
    /// No line items: every basis lacking until the first is added.
    fn default() -> Self {
        Sums { hours: Fixed::ZERO, bases: [Fixed::ZERO; 4], lacks: 0b1111, line_items: 0 }
    }
}

impl Sums {
    /// One line item's sums: its hours and its bases (`None` where the export has none).
    #[inline]
    pub fn line(hours: Fixed, bases: [Option<Fixed>; 4]) -> Sums {
        let mut lacks = 0;
        for (k, b) in bases.iter().enumerate() {
            lacks |= u8::from(b.is_none()) << k;
        }
        Sums { hours, bases: bases.map(Option::unwrap_or_default), lacks, line_items: 1 }
    }

    /// Unblended, net unblended, amortized, net amortized (`None` where lacking).
    pub fn bases(&self) -> [Option<Fixed>; 4] {
        let mut out = [None; 4];
        for (k, (o, b)) in out.iter_mut().zip(self.bases).enumerate() {
            *o = (self.lacks & (1 << k) == 0).then_some(b);
        }
        out
    }

    /// Adds a part's sums. As [`Acc::add`] has it for decimals, a basis a part lacks is one
    /// the sum lacks (a mask's union, after the first part).
    #[inline]
    pub fn add(&mut self, other: &Sums) {
        self.hours = self.hours.add(other.hours);
        for (mine, theirs) in self.bases.iter_mut().zip(other.bases) {
            *mine = mine.add(theirs);
        }
        self.lacks = if self.line_items == 0 { other.lacks } else { self.lacks | other.lacks };
        self.line_items += other.line_items;
    }

    pub fn to_acc(&self) -> Acc {
        Acc {
            hours: self.hours.to_decimal(),
            bases: self.bases().map(|b| b.map(Fixed::to_decimal)),
            line_items: self.line_items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn decimals_keep_ten_places_and_round_beyond() {
        assert_eq!(Fixed::from_decimal(d("0.08075")).to_decimal(), d("0.08075"));
        assert_eq!(Fixed::from_decimal(d("-12.5")).to_decimal(), d("-12.5"));
        assert_eq!(Fixed::from_decimal(d("0.000000000049")).to_decimal(), Decimal::ZERO);
        assert_eq!(Fixed::from_decimal(d("0.00000000005")).to_decimal(), d("0.0000000001"));
        assert_eq!(Fixed::from_decimal(Decimal::MAX).to_decimal(), Decimal::MAX, "beyond: the largest, refused later");
    }

    #[test]
    fn a_double_is_read_as_the_decimal_it_was_written_as() {
        let f = |v: f64| Fixed::from_double(v).map(Fixed::to_decimal);
        assert_eq!(f(0.085), Some(d("0.085")));
        assert_eq!(f(-0.0000001234), Some(d("-0.0000001234")));
        assert_eq!(f(1234567.5), Some(d("1234567.5")));
        assert_eq!(f(1e30), Some(Decimal::MAX));
        assert_eq!(f(-1e30), Some(Decimal::MIN));
        assert_eq!(f(f64::NAN), None);
    }

    #[test]
    fn a_double_rounds_half_away_from_zero_as_round_does() {
        let reference = |v: f64| Fixed((v * 1e10).round() as i128);
        let mut v = 1.234_567_890_123e-12_f64;
        while v < 1e12 {
            for x in [v, -v, v * 1.5, (v * 1e10).floor() / 1e10 + 0.5e-10] {
                assert_eq!(Fixed::from_double(x), Some(reference(x)), "{x:e}");
            }
            v *= 1.37;
        }
        // Exactly half a unit (x = ±2.5 units, ±(2^52 + 0.5) is not a double).
        assert_eq!(Fixed::from_double(2.5e-10), Some(reference(2.5e-10)));
        assert_eq!(Fixed::from_double(-2.5e-10), Some(reference(-2.5e-10)));
        assert_eq!(Fixed::from_double(0.25e-10 * 2.0), Some(reference(0.5e-10)));
        assert_eq!(Fixed::from_double(4.5e8).map(Fixed::to_decimal), Some(d("450000000")));
        assert_eq!(Fixed::from_double(9.5e8).map(Fixed::to_decimal), Some(d("950000000")), "beyond i64's units");
    }

    #[test]
    fn sums_saturate_instead_of_overflowing() {
        let big = Sums::line(Fixed(i128::MAX - 1), [Some(Fixed(i128::MAX)); 4]);
        let mut s = big.clone();
        s.add(&big);
        assert_eq!(s.to_acc().hours, Decimal::MAX);
        assert_eq!(s.to_acc().bases[0], Some(Decimal::MAX));
        assert_eq!(s.line_items, 2);
    }

    #[test]
    fn a_sum_lacks_a_basis_a_part_lacks() {
        let with = Sums::line(Fixed::ZERO, [Some(Fixed(1)); 4]);
        let without = Sums::line(Fixed::ZERO, [None, Some(Fixed(2)), None, Some(Fixed(2))]);
        let mut s = Sums::default();
        s.add(&with);
        s.add(&without);
        assert_eq!(s.bases(), [None, Some(Fixed(3)), None, Some(Fixed(3))]);
        assert_eq!(Sums::default().bases(), [None; 4], "no line items: no basis");
    }
}
