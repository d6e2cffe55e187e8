//! The reduced bill: the rows the aggregation query returns, whichever way they were made.

use rust_decimal::Decimal;
use tco_engine::bill::{Charge, CostBases};
use tco_engine::Usd;

/// The `charge` of rows whose cost is not a number: counted, reported, not summed.
pub(crate) const INVALID: &str = "invalid";

/// What a row is for: the month, who billed it, for which service and kind of charge, and,
/// for rows that may be compute instance hours, which instance (empty otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    /// `YYYY-MM`.
    pub period: String,
    pub provider: String,
    pub service: String,
    /// `usage`, `commitment`, `discount`, `credit`, `refund`, `adjustment`, `tax` (or [`INVALID`]).
    pub charge: String,
    pub currency: String,
    pub resource_id: String,
    /// The export's instance type, or its SKU details as JSON (Azure), or empty.
    pub instance_type: String,
    /// CUR `line_item_usage_type`, FOCUS `SkuMeter`: `USE1-BoxUsage:c5.large`.
    pub usage_type: String,
    pub region: String,
}

/// Sums of a row: hours of instance usage, cost on each basis (`None` where the export has
/// no such basis: FOCUS carries only the net ones), and how many line items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Acc {
    pub hours: Decimal,
    /// Unblended, net unblended, amortized, net amortized.
    pub bases: [Option<Decimal>; 4],
    pub line_items: u64,
}

impl Acc {
    /// Adds `other`; sums beyond what a decimal holds stay at its largest, which the import
    /// then refuses by name. A basis `other` lacks is one the sum lacks: a total over an
    /// export with it and one without has no such basis, rather than the first export's alone.
    pub fn add(&mut self, other: &Acc) {
        self.hours = self.hours.saturating_add(other.hours);
        let empty = self.line_items == 0;
        for (mine, theirs) in self.bases.iter_mut().zip(other.bases) {
            *mine = match (*mine, theirs) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                (None, b) if empty => b,
                _ => None,
            };
        }
        self.line_items += other.line_items;
    }

    /// The sums as the engine's bases.
    pub fn bases(&self) -> CostBases {
        let usd = |d: Option<Decimal>| d.map(Usd::new);
        CostBases {
            unblended_usd: usd(self.bases[0]),
            net_unblended_usd: usd(self.bases[1]),
            amortized_usd: usd(self.bases[2]),
            net_amortized_usd: usd(self.bases[3]),
        }
    }
}

/// One reduced row.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub key: Key,
    pub acc: Acc,
}

/// The kind of charge a row's `charge` names.
pub(crate) fn charge(name: &str) -> Option<Charge> {
    Some(match name {
        "usage" => Charge::Usage,
        "commitment" => Charge::Commitment,
        "discount" => Charge::Discount,
        "credit" => Charge::Credit,
        "refund" => Charge::Refund,
        "adjustment" => Charge::Adjustment,
        "tax" => Charge::Tax,
        _ => return None,
    })
}

/// Whether a provider is AWS (a CUR's rows name none).
pub(crate) fn is_aws(provider: &str) -> bool {
    provider.is_empty() || provider.eq_ignore_ascii_case("AWS") || provider.eq_ignore_ascii_case("Amazon Web Services")
}

/// Whether a row is EC2 instance hours by its usage type (shared, spot or dedicated).
pub(crate) fn is_instance_hours(k: &Key) -> bool {
    is_aws(&k.provider) && ["BoxUsage", "SpotUsage", "DedicatedUsage"].iter().any(|u| k.usage_type.contains(u))
}

/// The instance a row is about, and its type: an EC2 instance's hours (`i-…`, the type from
/// the export or after the `:` of its usage type), or another cloud's virtual machine whose
/// SKU details name its type.
pub(crate) fn instance(k: &Key) -> Option<(String, String)> {
    if k.resource_id.is_empty() {
        return None;
    }
    if is_aws(&k.provider) {
        // FOCUS may give an ARN: `arn:aws:ec2:us-east-1:123456789012:instance/i-0abc…`.
        let id = k.resource_id.rsplit('/').next().unwrap_or(&k.resource_id);
        if !id.starts_with("i-") || !is_instance_hours(k) {
            return None;
        }
        let from_usage = k.usage_type.rsplit_once(':').map(|(_, t)| t.to_string()).unwrap_or_default();
        let t = if k.instance_type.starts_with('{') {
            json_field(&k.instance_type, &["InstanceType"]).unwrap_or(from_usage)
        } else if k.instance_type.is_empty() {
            from_usage
        } else {
            k.instance_type.clone()
        };
        return Some((id.to_string(), t));
    }
    // Azure: `x_SkuDetails` (1.0) names the VM size `ServiceType`; 1.2's `SkuPriceDetails`
    // may name it `InstanceType` or `x_ServiceType`.
    let t = json_field(&k.instance_type, &["ServiceType", "InstanceType", "x_ServiceType"])?;
    Some((k.resource_id.clone(), t))
}

/// A string field of a JSON object held as text.
fn json_field(text: &str, names: &[&str]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    names.iter().find_map(|n| value.get(n).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(provider: &str, resource: &str, instance_type: &str, usage_type: &str) -> Key {
        Key {
            provider: provider.into(),
            resource_id: resource.into(),
            instance_type: instance_type.into(),
            usage_type: usage_type.into(),
            ..Key::default()
        }
    }

    #[test]
    fn instances_are_named_by_id_and_type_from_each_export() {
        let cur = key("AWS", "i-0abc", "", "USE1-SpotUsage:c5.large");
        assert_eq!(instance(&cur), Some(("i-0abc".into(), "c5.large".into())), "spot: the type is in the usage type");
        let arn = key("AWS", "arn:aws:ec2:us-east-1:1:instance/i-0def", "m5.xlarge", "BoxUsage:m5.xlarge");
        assert_eq!(instance(&arn), Some(("i-0def".into(), "m5.xlarge".into())));
        assert_eq!(instance(&key("AWS", "vol-1", "", "EBS:VolumeUsage.gp3")), None);
        assert_eq!(instance(&key("AWS", "i-0abc", "", "USE1-CPUCredits:t3")), None, "not instance hours");
        let azure = key("Microsoft", "/subscriptions/s/vm1", r#"{"ServiceType":"Standard_D2s_v3","VCPUs":2}"#, "");
        assert_eq!(instance(&azure), Some(("/subscriptions/s/vm1".into(), "Standard_D2s_v3".into())));
        assert_eq!(instance(&key("Microsoft", "/subscriptions/s/disk", "", "")), None);
    }

    #[test]
    fn a_sum_lacks_a_basis_a_part_lacks() {
        let focus =
            Acc { hours: Decimal::ONE, bases: [None, Some(Decimal::TEN), None, Some(Decimal::ONE)], line_items: 1 };
        let mut total = Acc::default();
        total.add(&focus);
        total.add(&focus);
        assert_eq!(total.bases, [None, Some(Decimal::from(20)), None, Some(Decimal::TWO)]);
        let cur = Acc { bases: [Some(Decimal::ONE); 4], line_items: 1, ..Acc::default() };
        total.add(&cur);
        assert_eq!(total.bases[0], None);
        assert_eq!(total.line_items, 3);
    }
}
