//! One line item of a CUR or FOCUS export, classified: the key of the reduced row it belongs to
//! and what it adds on each cost basis. These are the README aggregation query's `CASE`s, applied
//! one record at a time so a scan reads each line item once, whatever file format it came in.
//!
//! A line's texts decide its row and which of its numbers count ([`Class`]); its numbers then
//! give the sums ([`Rule::sums`]). Split so, a scan that sees a line with the same texts as the
//! one before (an instance's hours come one after another) reuses the class and reads only the
//! numbers.

use super::fixed::{Fixed, Sums};
use super::rows::{Key, INVALID};
use crate::import::Format;
use rust_decimal::Decimal;
use std::hash::{Hash, Hasher};

/// The columns a format's classification reads, by matching key (`lineitemunblendedcost`),
/// each with the keys it may go by; the first number column is the cost whose text must be a
/// number (a line whose cost is not is counted, reported and not summed).
pub(super) struct Layout {
    pub texts: &'static [&'static [&'static str]],
    pub numbers: &'static [&'static [&'static str]],
    /// The billing period's column, then the column whose month stands in for it.
    pub period: [&'static str; 2],
    classify: for<'a> fn(&Line<'a>) -> Option<Class<'a>>,
}

impl Layout {
    pub fn of(format: Format) -> &'static Layout {
        if format == Format::Focus {
            &FOCUS
        } else {
            &CUR
        }
    }

    /// The row and the rule of one line item, or `None` for a line the bill must not count.
    pub fn classify<'a>(&self, line: &Line<'a>) -> Option<Class<'a>> {
        (self.classify)(line)
    }
}

/// One line item's texts, in its layout's order (empty where absent or null), whether its cost
/// is not a number, and its month (`YYYY-MM`).
pub(super) struct Line<'a> {
    pub texts: &'a [&'a str],
    /// Whether the cost is not empty yet not a number (text that is not, a NaN).
    pub cost_invalid: bool,
    pub period: &'a str,
}

/// What a line's texts decide: its row, and how its numbers add to the row.
pub(super) struct Class<'a> {
    pub key: KeyRef<'a>,
    pub rule: Rule,
}

/// How a line item's numbers (by its layout's index; `None` where absent, empty or not a
/// number) become its sums: which cost each amortized basis takes, and whether its usage
/// amount is instance hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Cur { amortized: Amortized, hours: bool },
    Focus { hours: bool },
}

/// A CUR line's amortized cost, by its line item type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Amortized {
    /// The unblended cost (on-demand usage, everything not below).
    Unblended,
    /// `SavingsPlanCoveredUsage`: the plan's effective cost.
    SavingsPlanEffective,
    /// `SavingsPlanRecurringFee`: the commitment not used.
    SavingsPlanUnused,
    /// `DiscountedUsage`: the reservation's effective cost.
    ReservationEffective,
    /// `RIFee`: the reservation's unused upfront and recurring fees.
    ReservationUnused,
    /// Negations, upfront fees (spread over the usage instead) and reservation fees.
    Zero,
}

impl Rule {
    /// The sums of a line item whose number `i` is `number(i)`; only the numbers the rule
    /// needs are read.
    pub fn sums(self, number: impl Fn(usize) -> Option<Fixed>) -> Sums {
        let z = |i: usize| number(i).unwrap_or_default();
        match self {
            Rule::Cur { amortized, hours } => {
                use cur::*;
                let (uc, nuc) = (number(UNBLENDED), number(NET_UNBLENDED));
                let (amortized, net_amortized) = match amortized {
                    Amortized::SavingsPlanEffective => {
                        (z(SP_EFFECTIVE), net(number(SP_EFFECTIVE), number(SP_NET_EFFECTIVE)))
                    }
                    Amortized::SavingsPlanUnused => {
                        let unused = z(SP_TOTAL_COMMITMENT).sub(z(SP_USED_COMMITMENT));
                        (unused, unused)
                    }
                    Amortized::ReservationEffective => {
                        (z(RI_EFFECTIVE), net(number(RI_EFFECTIVE), number(RI_NET_EFFECTIVE)))
                    }
                    Amortized::ReservationUnused => (
                        z(RI_UNUSED_UPFRONT).add(z(RI_UNUSED_RECURRING)),
                        net(number(RI_UNUSED_UPFRONT), number(RI_NET_UNUSED_UPFRONT))
                            .add(net(number(RI_UNUSED_RECURRING), number(RI_NET_UNUSED_RECURRING))),
                    ),
                    Amortized::Zero => (Fixed::ZERO, Fixed::ZERO),
                    Amortized::Unblended => (uc.unwrap_or_default(), net(uc, nuc)),
                };
                Sums::line(
                    if hours { z(USAGE_AMOUNT) } else { Fixed::ZERO },
                    [Some(uc.unwrap_or_default()), Some(net(uc, nuc)), Some(amortized), Some(net_amortized)],
                )
            }
            Rule::Focus { hours } => {
                use focus::*;
                // A FOCUS export has no gross bases: they stay absent rather than sum to zero.
                Sums::line(
                    if hours { z(CONSUMED) } else { Fixed::ZERO },
                    [None, Some(z(BILLED)), None, Some(z(EFFECTIVE))],
                )
            }
        }
    }
}

/// A [`Key`] borrowed from the line it was read from: hashes and compares like the owned key,
/// so a line item finds its row without allocating.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct KeyRef<'a> {
    pub period: &'a str,
    pub provider: &'a str,
    pub service: &'a str,
    pub charge: &'a str,
    pub currency: &'a str,
    pub resource_id: &'a str,
    pub instance_type: &'a str,
    pub usage_type: &'a str,
    pub region: &'a str,
}

impl KeyRef<'_> {
    fn fields(&self) -> [&str; 9] {
        [
            self.period,
            self.provider,
            self.service,
            self.charge,
            self.currency,
            self.resource_id,
            self.instance_type,
            self.usage_type,
            self.region,
        ]
    }

    pub fn to_owned(&self) -> Key {
        Key {
            period: self.period.into(),
            provider: self.provider.into(),
            service: self.service.into(),
            charge: self.charge.into(),
            currency: self.currency.into(),
            resource_id: self.resource_id.into(),
            instance_type: self.instance_type.into(),
            usage_type: self.usage_type.into(),
            region: self.region.into(),
        }
    }
}

/// As `Key`'s derived `Hash` does: each field in order, as a `str`.
impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for f in self.fields() {
            f.hash(state);
        }
    }
}

impl hashbrown::Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, k: &Key) -> bool {
        self.fields()
            == [
                k.period.as_str(),
                &k.provider,
                &k.service,
                &k.charge,
                &k.currency,
                &k.resource_id,
                &k.instance_type,
                &k.usage_type,
                &k.region,
            ]
    }
}

/// A number column's text to ten decimal places: `None` where empty, `Err` where not a number.
/// Exports write plain decimals; scientific notation (`6.0E-7`) is read too.
pub(super) fn number(text: &str) -> Result<Option<Fixed>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let d = match t.parse::<Decimal>() {
        Ok(d) => d,
        Err(_) => match Decimal::from_scientific(t) {
            Ok(d) => d,
            // Digits beyond what a decimal holds: kept as the largest, which the import refuses.
            Err(_) if t.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
                if t.starts_with('-') {
                    Decimal::MIN
                } else {
                    Decimal::MAX
                }
            }
            Err(_) => return Err(()),
        },
    };
    Ok(Some(Fixed::from_decimal(d)))
}

/// The first seven characters of a period's text: `2026-10-01T00:00:00Z` → `2026-10`.
pub(super) fn month(text: &str) -> &str {
    text.char_indices().nth(7).map_or(text, |(i, _)| &text[..i])
}

mod cur {
    pub const LINE_TYPE: usize = 0;
    pub const PRODUCT: usize = 1;
    pub const OPERATION: usize = 2;
    pub const RESERVATION_ARN: usize = 3;
    pub const SERVICE_CODE: usize = 4;
    pub const CURRENCY: usize = 5;
    pub const RESOURCE_ID: usize = 6;
    pub const INSTANCE_TYPE: usize = 7;
    pub const USAGE_TYPE: usize = 8;
    pub const REGION: usize = 9;

    pub const UNBLENDED: usize = 0;
    pub const NET_UNBLENDED: usize = 1;
    pub const USAGE_AMOUNT: usize = 2;
    pub const SP_EFFECTIVE: usize = 3;
    pub const SP_NET_EFFECTIVE: usize = 4;
    pub const SP_TOTAL_COMMITMENT: usize = 5;
    pub const SP_USED_COMMITMENT: usize = 6;
    pub const RI_EFFECTIVE: usize = 7;
    pub const RI_NET_EFFECTIVE: usize = 8;
    pub const RI_UNUSED_UPFRONT: usize = 9;
    pub const RI_NET_UNUSED_UPFRONT: usize = 10;
    pub const RI_UNUSED_RECURRING: usize = 11;
    pub const RI_NET_UNUSED_RECURRING: usize = 12;
}

static CUR: Layout = Layout {
    texts: &[
        &["lineitemlineitemtype"],
        &["lineitemproductcode"],
        &["lineitemoperation"],
        &["reservationreservationarn"],
        &["productservicecode"],
        &["lineitemcurrencycode"],
        &["lineitemresourceid"],
        &["productinstancetype"],
        &["lineitemusagetype"],
        &["productregioncode", "productregion"],
    ],
    numbers: &[
        &["lineitemunblendedcost"],
        &["lineitemnetunblendedcost"],
        &["lineitemusageamount"],
        &["savingsplansavingsplaneffectivecost"],
        &["savingsplannetsavingsplaneffectivecost"],
        &["savingsplantotalcommitmenttodate"],
        &["savingsplanusedcommitment"],
        &["reservationeffectivecost"],
        &["reservationneteffectivecost"],
        &["reservationunusedamortizedupfrontfeeforbillingperiod"],
        &["reservationnetunusedamortizedupfrontfeeforbillingperiod"],
        &["reservationunusedrecurringfee"],
        &["reservationnetunusedrecurringfee"],
    ],
    period: ["billbillingperiodstartdate", "lineitemusagestartdate"],
    classify: classify_cur,
};

/// The net figure where the export has one, else the gross one, else zero.
fn net(gross: Option<Fixed>, net: Option<Fixed>) -> Fixed {
    net.or(gross).unwrap_or_default()
}

fn classify_cur<'a>(l: &Line<'a>) -> Option<Class<'a>> {
    use cur::*;
    let t = l.texts;
    let (line_type, operation) = (t[LINE_TYPE], t[OPERATION]);
    // Split cost allocation rows re-distribute the instance's cost: counting both doubles it.
    if operation == "EKSPod-EC2" || operation == "ECSTask-EC2" {
        return None;
    }
    let reserved_fee = line_type == "Fee" && !t[RESERVATION_ARN].is_empty();
    let charge = match line_type {
        _ if l.cost_invalid => INVALID,
        "Tax" => "tax",
        "Credit" => "credit",
        "Refund" => "refund",
        lt if lt.ends_with("Discount") => "discount",
        "RIFee" | "SavingsPlanRecurringFee" | "SavingsPlanUpfrontFee" => "commitment",
        _ if reserved_fee => "commitment",
        _ => "usage",
    };
    let covered_or_usage = matches!(line_type, "Usage" | "DiscountedUsage" | "SavingsPlanCoveredUsage");
    // Rows that may be instance hours keep their instance; the rest group by service alone.
    let candidate = t[PRODUCT] == "AmazonEC2"
        && operation.starts_with("RunInstances")
        && (covered_or_usage || line_type == "SavingsPlanNegation");
    let kept = |s: &'a str| if candidate { s } else { "" };
    let amortized = match line_type {
        "SavingsPlanCoveredUsage" => Amortized::SavingsPlanEffective,
        "SavingsPlanRecurringFee" => Amortized::SavingsPlanUnused,
        "SavingsPlanNegation" | "SavingsPlanUpfrontFee" => Amortized::Zero,
        "DiscountedUsage" => Amortized::ReservationEffective,
        "RIFee" => Amortized::ReservationUnused,
        _ if reserved_fee => Amortized::Zero,
        _ => Amortized::Unblended,
    };
    let service = if t[SERVICE_CODE].is_empty() { t[PRODUCT] } else { t[SERVICE_CODE] };
    let key = KeyRef {
        period: l.period,
        provider: "AWS",
        service,
        charge,
        currency: t[CURRENCY],
        resource_id: kept(t[RESOURCE_ID]),
        instance_type: kept(t[INSTANCE_TYPE]),
        usage_type: kept(t[USAGE_TYPE]),
        region: kept(t[REGION]),
    };
    Some(Class { key, rule: Rule::Cur { amortized, hours: candidate && covered_or_usage } })
}

mod focus {
    pub const PROVIDER: usize = 0;
    pub const SERVICE: usize = 1;
    pub const CATEGORY: usize = 2;
    pub const COMMITMENT_STATUS: usize = 3;
    pub const CURRENCY: usize = 4;
    pub const RESOURCE_ID: usize = 5;
    pub const SKU_DETAILS: usize = 6;
    pub const SKU_PRICE_DETAILS: usize = 7;
    pub const SKU_METER: usize = 8;
    pub const USAGE_TYPE: usize = 9;
    pub const REGION: usize = 10;
    pub const SERVICE_CODE: usize = 11;
    pub const OPERATION: usize = 12;
    pub const METER_CATEGORY: usize = 13;

    pub const BILLED: usize = 0;
    pub const EFFECTIVE: usize = 1;
    pub const CONSUMED: usize = 2;
}

static FOCUS: Layout = Layout {
    texts: &[
        &["providername"],
        &["servicename"],
        &["chargecategory"],
        &["commitmentdiscountstatus"],
        &["billingcurrency"],
        &["resourceid"],
        &["xskudetails"],
        &["skupricedetails"],
        &["skumeter"],
        &["xusagetype"],
        &["regionid"],
        &["xservicecode"],
        &["xoperation"],
        &["xskumetercategory"],
    ],
    numbers: &[&["billedcost"], &["effectivecost"], &["consumedquantity"]],
    period: ["billingperiodstart", "chargeperiodstart"],
    classify: classify_focus,
};

/// FOCUS: `BilledCost` is the invoice (net unblended), `EffectiveCost` the amortized net cost;
/// compute instances are AWS's EC2 `RunInstances` hours and Azure's `Virtual Machines`.
fn classify_focus<'a>(l: &Line<'a>) -> Option<Class<'a>> {
    use focus::*;
    let t = l.texts;
    let first = |a: &'a str, b: &'a str| if a.is_empty() { b } else { a };
    let category = t[CATEGORY];
    let unused = t[COMMITMENT_STATUS] == "Unused";
    let charge = match category {
        _ if l.cost_invalid => INVALID,
        _ if unused => "commitment",
        "Tax" => "tax",
        "Credit" => "credit",
        "Adjustment" => "adjustment",
        "Purchase" => "commitment",
        _ => "usage",
    };
    let aws = t[SERVICE_CODE] == "AmazonEC2" && t[OPERATION].starts_with("RunInstances");
    let azure = t[METER_CATEGORY] == "Virtual Machines";
    let candidate = category == "Usage" && !unused && (aws || azure);
    let kept = |s: &'a str| if candidate { s } else { "" };
    let key = KeyRef {
        period: l.period,
        provider: t[PROVIDER],
        service: t[SERVICE],
        charge,
        currency: t[CURRENCY],
        resource_id: kept(t[RESOURCE_ID]),
        instance_type: kept(first(t[SKU_DETAILS], t[SKU_PRICE_DETAILS])),
        usage_type: kept(first(t[SKU_METER], t[USAGE_TYPE])),
        region: kept(t[REGION]),
    };
    Some(Class { key, rule: Rule::Focus { hours: candidate } })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn a_borrowed_key_hashes_and_compares_as_the_owned_one() {
        let r = KeyRef {
            period: "2026-10",
            provider: "AWS",
            service: "AmazonEC2",
            charge: "usage",
            currency: "USD",
            resource_id: "i-0abc",
            instance_type: "c5.large",
            usage_type: "BoxUsage:c5.large",
            region: "us-east-1",
        };
        let owned = r.to_owned();
        let s = hashbrown::DefaultHashBuilder::default();
        assert_eq!(s.hash_one(&r), s.hash_one(&owned));
        assert!(hashbrown::Equivalent::equivalent(&r, &owned));
        let other = KeyRef { region: "us-east-2", ..r };
        assert!(!hashbrown::Equivalent::equivalent(&other, &owned));
    }

    #[test]
    fn numbers_are_exact_and_text_is_not_a_number() {
        let read = |t: &str| number(t).map(|n| n.map(Fixed::to_decimal));
        assert_eq!(read("0.08075"), Ok(Some("0.08075".parse().unwrap())));
        assert_eq!(read("6.0E-7"), Ok(Some("0.0000006".parse().unwrap())));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("n/a"), Err(()));
        assert_eq!(read("1".repeat(40).as_str()), Ok(Some(Decimal::MAX)));
    }

    #[test]
    fn a_month_is_the_first_seven_characters() {
        assert_eq!(month("2026-10-01T00:00:00Z"), "2026-10");
        assert_eq!(month("2026-10"), "2026-10");
        assert_eq!(month(""), "");
    }

    fn cur_line<'a>(texts: &'a [&'a str]) -> Line<'a> {
        Line { texts, cost_invalid: false, period: "2026-10" }
    }

    fn d(s: &str) -> Option<Fixed> {
        Some(Fixed::from_decimal(s.parse().unwrap()))
    }

    #[test]
    fn a_savings_plan_covered_hour_is_an_instance_hour_at_its_effective_cost() {
        let texts = [
            "SavingsPlanCoveredUsage",
            "AmazonEC2",
            "RunInstances",
            "",
            "AmazonEC2",
            "USD",
            "i-0abc",
            "c5.large",
            "USE1-BoxUsage:c5.large",
            "us-east-1",
        ];
        let mut numbers = [None; 13];
        numbers[cur::UNBLENDED] = d("0.085");
        numbers[cur::USAGE_AMOUNT] = d("1");
        numbers[cur::SP_EFFECTIVE] = d("0.06");
        numbers[cur::SP_NET_EFFECTIVE] = d("0.057");
        let Class { key, rule } = CUR.classify(&cur_line(&texts)).unwrap();
        let acc = rule.sums(|i| numbers[i]);
        assert_eq!((key.charge, key.resource_id, key.instance_type), ("usage", "i-0abc", "c5.large"));
        assert_eq!(acc.hours, Fixed::from_decimal(Decimal::ONE));
        assert_eq!(acc.bases(), [d("0.085"), d("0.085"), d("0.06"), d("0.057")]);
    }

    #[test]
    fn a_tax_line_is_a_service_row_and_split_cost_allocation_is_not_counted() {
        let mut texts = ["Tax", "AmazonEC2", "", "", "", "USD", "i-0abc", "c5.large", "x", "us-east-1"];
        let numbers = [d("2.5"), None, None, None, None, None, None, None, None, None, None, None, None];
        let Class { key, rule } = CUR.classify(&cur_line(&texts)).unwrap();
        assert_eq!((key.charge, key.service, key.resource_id), ("tax", "AmazonEC2", ""));
        assert_eq!(rule.sums(|i| numbers[i]).bases(), [d("2.5"); 4]);
        texts[2] = "EKSPod-EC2";
        assert!(CUR.classify(&cur_line(&texts)).is_none());
    }
}
