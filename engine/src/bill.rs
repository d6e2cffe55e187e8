//! Today's bill as a billing export states it (the AWS Cost and Usage Report, FOCUS): each
//! month's charges on the cost bases finance uses, and the basis an estimate's "today" reads.
//!
//! The importers fill [`Bill`] and give every billed process, add-on and instance its amount on
//! each basis ([`CostBases`]); [`prepare`] puts a scenario's figures on the basis it chose before
//! the estimate, so today's cost and the add-ons each option keeps at today's price agree.

use crate::money::Usd;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// How a month's charges are counted.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum CostBasis {
    /// As invoiced before negotiated discounts: usage covered by Savings Plans at its on-demand
    /// value (and the negation that cancels it), commitments' fees when they are charged.
    #[serde(rename = "unblended")]
    Unblended,
    /// As invoiced, negotiated discounts included (FOCUS `BilledCost`).
    #[serde(rename = "net-unblended")]
    NetUnblended,
    /// Commitments spread over the usage they cover: covered usage at its effective cost,
    /// upfront fees spread over the term, unused commitment as its own cost.
    #[serde(rename = "amortized")]
    Amortized,
    /// Amortized with negotiated discounts included: what the month effectively costs (FOCUS
    /// `EffectiveCost`). The default, because it is what finance pays for the usage.
    #[default]
    #[serde(rename = "net-amortized")]
    NetAmortized,
}

impl CostBasis {
    /// Every basis, in the order tables list them.
    pub const ALL: [CostBasis; 4] =
        [CostBasis::Unblended, CostBasis::NetUnblended, CostBasis::Amortized, CostBasis::NetAmortized];

    /// The contract name, e.g. `net-amortized`.
    pub fn as_str(self) -> &'static str {
        match self {
            CostBasis::Unblended => "unblended",
            CostBasis::NetUnblended => "net-unblended",
            CostBasis::Amortized => "amortized",
            CostBasis::NetAmortized => "net-amortized",
        }
    }

    /// The basis named `name`.
    pub fn parse(name: &str) -> Option<CostBasis> {
        CostBasis::ALL.into_iter().find(|b| b.as_str() == name)
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            CostBasis::Unblended => "unblended (as invoiced)",
            CostBasis::NetUnblended => "net unblended (as invoiced, after discounts)",
            CostBasis::Amortized => "amortized (commitments spread)",
            CostBasis::NetAmortized => "net amortized (commitments spread, after discounts)",
        }
    }

    /// The same basis with or without negotiated discounts: what an export that lacks one
    /// (FOCUS carries only the net bases) is read on instead.
    fn sibling(self) -> CostBasis {
        match self {
            CostBasis::Unblended => CostBasis::NetUnblended,
            CostBasis::NetUnblended => CostBasis::Unblended,
            CostBasis::Amortized => CostBasis::NetAmortized,
            CostBasis::NetAmortized => CostBasis::Amortized,
        }
    }
}

/// One amount on each basis the export carries; a basis it does not carry is absent.
/// Amounts may be negative (a Savings Plan negation, a credit).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostBases {
    /// Unblended, USD.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "signed_opt")]
    pub unblended_usd: Option<Usd>,
    /// Net unblended, USD.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "signed_opt")]
    pub net_unblended_usd: Option<Usd>,
    /// Amortized, USD.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "signed_opt")]
    pub amortized_usd: Option<Usd>,
    /// Net amortized, USD.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "signed_opt")]
    pub net_amortized_usd: Option<Usd>,
}

impl CostBases {
    /// Zero on every basis: the start of a sum.
    pub const ZERO: CostBases = CostBases {
        unblended_usd: Some(Usd::ZERO),
        net_unblended_usd: Some(Usd::ZERO),
        amortized_usd: Some(Usd::ZERO),
        net_amortized_usd: Some(Usd::ZERO),
    };

    /// The amount on exactly `basis`.
    pub fn get(&self, basis: CostBasis) -> Option<Usd> {
        match basis {
            CostBasis::Unblended => self.unblended_usd,
            CostBasis::NetUnblended => self.net_unblended_usd,
            CostBasis::Amortized => self.amortized_usd,
            CostBasis::NetAmortized => self.net_amortized_usd,
        }
    }

    /// The amount on `basis`, or on its sibling with or without discounts when the export
    /// lacks it; with the basis it was read on.
    pub fn on(&self, basis: CostBasis) -> Option<(Usd, CostBasis)> {
        self.get(basis).map(|u| (u, basis)).or_else(|| self.get(basis.sibling()).map(|u| (u, basis.sibling())))
    }

    /// The sum, basis by basis; a basis missing from either side is missing from the sum.
    pub fn plus(self, other: CostBases) -> CostBases {
        let add = |a: Option<Usd>, b: Option<Usd>| a.zip(b).map(|(a, b)| a + b);
        CostBases {
            unblended_usd: add(self.unblended_usd, other.unblended_usd),
            net_unblended_usd: add(self.net_unblended_usd, other.net_unblended_usd),
            amortized_usd: add(self.amortized_usd, other.amortized_usd),
            net_amortized_usd: add(self.net_amortized_usd, other.net_amortized_usd),
        }
    }
}

impl std::iter::Sum for CostBases {
    fn sum<I: Iterator<Item = CostBases>>(iter: I) -> CostBases {
        iter.fold(CostBases::ZERO, CostBases::plus)
    }
}

/// Reads an optional dollar amount that may be negative.
fn signed_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Usd>, D::Error> {
    let Some(value) = Option::<f64>::deserialize(deserializer)? else { return Ok(None) };
    if !value.is_finite() {
        return Err(serde::de::Error::custom(format!("invalid dollar amount {value}")));
    }
    Decimal::from_f64(value)
        .map(|d| Some(Usd::new(d)))
        .ok_or_else(|| serde::de::Error::custom(format!("dollar amount {value} is out of range")))
}

/// What a line of the bill is for. Usage and commitments are what the options replace; the
/// rest is shown as billed and left out of the comparison (no option estimates a credit or a tax).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Charge {
    /// Usage of a service (and the Savings Plan negations and unused commitment that go with it).
    Usage,
    /// Savings Plan and Reserved Instance fees (recurring and upfront).
    Commitment,
    /// Negotiated discounts billed as their own lines (EDP, private rates, bundles).
    Discount,
    /// Credits.
    Credit,
    /// Refunds.
    Refund,
    /// FOCUS adjustments (corrections after the invoice).
    Adjustment,
    /// Tax.
    Tax,
}

impl Charge {
    /// Whether the options' totals compare against it.
    pub fn compared(self) -> bool {
        matches!(self, Charge::Usage | Charge::Commitment)
    }

    /// A human label, plural.
    pub fn label(self) -> &'static str {
        match self {
            Charge::Usage => "usage",
            Charge::Commitment => "commitment fees",
            Charge::Discount => "discounts",
            Charge::Credit => "credits",
            Charge::Refund => "refunds",
            Charge::Adjustment => "adjustments",
            Charge::Tax => "tax",
        }
    }
}

/// One provider's charges for one service and kind of charge in a month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillLine {
    /// `AWS`, `Microsoft`, `Google Cloud`.
    pub provider: String,
    /// The service as the export names it (`AmazonEC2`, `Virtual Machines`).
    pub service: String,
    /// What kind of charge.
    pub charge: Charge,
    /// The amount on each basis the export carries.
    #[serde(flatten)]
    pub bases: CostBases,
}

/// One billing month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillMonth {
    /// `YYYY-MM`.
    pub period: String,
    /// Hours in the month (744 for October): instances that ran fewer ran part of it.
    pub hours: u32,
    /// Its charges by provider, service and kind.
    pub lines: Vec<BillLine>,
}

impl BillMonth {
    /// The month's charges of the kinds `keep` selects, summed per basis.
    pub fn total(&self, keep: impl Fn(Charge) -> bool) -> CostBases {
        self.lines.iter().filter(|l| keep(l.charge)).fold(CostBases::ZERO, |t, l| t.plus(l.bases))
    }
}

/// The imported bill: every month the export held, oldest first; the last is today's.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    /// The months.
    pub months: Vec<BillMonth>,
    /// The basis the workloads' `monthly_usd` figures are on (the importers use the default,
    /// net amortized; an estimate moves them to its scenario's `bill_basis`).
    #[serde(default)]
    pub basis: CostBasis,
    /// The files it came from.
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Bill {
    /// Today's month: the latest.
    pub fn latest(&self) -> Option<&BillMonth> {
        self.months.last()
    }

    /// Adds another bill's months (a second export, another provider's): lines of the same
    /// month join it.
    pub fn absorb(&mut self, other: Bill) {
        for m in other.months {
            match self.months.iter_mut().find(|x| x.period == m.period) {
                Some(x) => x.lines.extend(m.lines),
                None => self.months.push(m),
            }
        }
        self.months.sort_by(|a, b| a.period.cmp(&b.period));
        for s in other.sources {
            if !self.sources.contains(&s) {
                self.sources.push(s);
            }
        }
    }
}

/// Every basis given: unblended, net unblended, amortized, net amortized (for tests).
#[cfg(test)]
pub(crate) fn bases(u: Decimal, nu: Decimal, a: Decimal, na: Decimal) -> CostBases {
    CostBases {
        unblended_usd: Some(Usd::new(u)),
        net_unblended_usd: Some(Usd::new(nu)),
        amortized_usd: Some(Usd::new(a)),
        net_amortized_usd: Some(Usd::new(na)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_missing_basis_reads_its_sibling() {
        let focus = CostBases {
            net_unblended_usd: Some(Usd::new(dec!(10))),
            net_amortized_usd: Some(Usd::new(dec!(7))),
            ..CostBases::default()
        };
        assert_eq!(focus.on(CostBasis::Unblended), Some((Usd::new(dec!(10)), CostBasis::NetUnblended)));
        assert_eq!(focus.on(CostBasis::NetAmortized), Some((Usd::new(dec!(7)), CostBasis::NetAmortized)));
        assert_eq!(focus.plus(CostBases::ZERO).unblended_usd, None, "a sum lacks what a part lacks");
    }

    #[test]
    fn lines_read_back_with_negative_amounts() {
        let line = BillLine {
            provider: "AWS".into(),
            service: "AWS".into(),
            charge: Charge::Credit,
            bases: bases(dec!(-25), dec!(-25), dec!(-25), dec!(-25)),
        };
        let json = serde_json::to_string(&line).unwrap();
        assert_eq!(
            json,
            r#"{"provider":"AWS","service":"AWS","charge":"credit","unblended_usd":-25.0,"net_unblended_usd":-25.0,"amortized_usd":-25.0,"net_amortized_usd":-25.0}"#
        );
        assert_eq!(serde_json::from_str::<BillLine>(&json).unwrap(), line);
    }
}
