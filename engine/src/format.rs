//! How figures read to people: one place, so the page, the CLI table and exports agree.

use crate::money::Usd;
use crate::report::{NodeCount, OptionEstimate, Report};

/// `$12,345.67`, rounded once to cents.
pub fn usd(amount: Usd) -> String {
    let cents = amount.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let dollars = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}${grouped}.{:02}", cents % 100)
}

/// A 0..1 ratio as a percentage with one decimal, e.g. `72.4%`.
pub fn ratio_pct(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}

/// A node plan, e.g. `6 × c5.2xlarge + 2 × r5.large (spot)`: one term per instance type (and
/// spot or on-demand), in order of first appearance, however many groups or pools use it.
pub fn node_plan(nodes: &[NodeCount]) -> String {
    if nodes.is_empty() {
        return "no nodes".into();
    }
    let mut terms: Vec<(&str, bool, u64)> = Vec::new();
    for n in nodes {
        match terms.iter_mut().find(|(t, spot, _)| *t == n.instance_type && *spot == n.spot) {
            Some(term) => term.2 += u64::from(n.count),
            None => terms.push((&n.instance_type, n.spot, u64::from(n.count))),
        }
    }
    // Spot is named only where the plan mixes it with on-demand nodes.
    let spot_differs = terms.iter().any(|t| t.1) && terms.iter().any(|t| !t.1);
    terms
        .iter()
        .map(
            |(t, spot, count)| {
                if *spot && spot_differs {
                    format!("{count} × {t} (spot)")
                } else {
                    format!("{count} × {t}")
                }
            },
        )
        .collect::<Vec<_>>()
        .join(" + ")
}

/// An option's name for people: its label, with its region when the report compares several
/// (`ECS on EC2, eu-west-1`).
pub fn option_name(report: &Report, option: &OptionEstimate) -> String {
    if report.regions.len() > 1 {
        format!("{}, {}", option.label, option.region)
    } else {
        option.label.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn dollars_are_grouped_by_thousands_with_cents() {
        assert_eq!(usd(Usd::new(dec!(1234567.891))), "$1,234,567.89");
        assert_eq!(usd(Usd::new(dec!(248.2))), "$248.20");
        assert_eq!(usd(Usd::ZERO), "$0.00");
    }

    #[test]
    fn node_plans_read_count_times_type() {
        let n = NodeCount {
            instance_type: "c5.2xlarge".into(),
            count: 6,
            per_zone: vec![2, 2, 2],
            spot: false,
            serves: None,
            usd_per_hour: rust_decimal::Decimal::new(34, 2),
        };
        assert_eq!(node_plan(&[n]), "6 × c5.2xlarge");
    }

    #[test]
    fn node_plans_group_counts_by_type() {
        let n = |t: &str, count: u32, spot: bool| NodeCount {
            instance_type: t.into(),
            count,
            per_zone: vec![count],
            spot,
            serves: None,
            usd_per_hour: rust_decimal::Decimal::new(252, 3),
        };
        // one EC2 group per process: 1 × r5.xlarge, repeated, reads as one term
        let groups =
            [n("r5.xlarge", 1, false), n("m5.large", 2, false), n("r5.xlarge", 1, false), n("r5.xlarge", 1, true)];
        assert_eq!(node_plan(&groups), "2 × r5.xlarge + 2 × m5.large + 1 × r5.xlarge (spot)");
    }
}
