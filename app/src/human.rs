//! How figures read on the page, beyond the engine's `format` module: whole dollars for large
//! numbers, compact axis labels, percentages and quantities with their units. Display only:
//! no figure is derived here, only rendered.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use tco_engine::format::usd;
use tco_engine::report::OptionEstimate;
use tco_engine::{Report, Usd};

/// A report as the page shows it: with several regions, each option's label names its region
/// (`ECS on EC2, eu-west-1`), so every card, table and chart tells them apart.
pub fn with_regions_named(mut r: Report) -> Report {
    if r.regions.len() > 1 {
        for i in 0..r.options.len() {
            r.options[i].label = tco_engine::format::option_name(&r, &r.options[i]);
        }
    }
    r
}

/// An option's test id: its platform, with its region when the label names it
/// ([`with_regions_named`]): `ecs-ec2`, `ecs-ec2-eu-west-1`. Interned: there are at most a
/// target per region of these, and components keep them as `&'static str`.
pub fn option_id(o: &OptionEstimate) -> &'static str {
    if !o.label.ends_with(&format!(", {}", o.region)) {
        return o.platform.as_str();
    }
    thread_local! {
        static IDS: std::cell::RefCell<std::collections::HashSet<&'static str>> = Default::default();
    }
    let id = format!("{}-{}", o.platform.as_str(), o.region);
    IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        match ids.get(id.as_str()) {
            Some(known) => known,
            None => {
                let leaked: &'static str = id.leak();
                ids.insert(leaked);
                leaked
            }
        }
    })
}

/// `$12,345.67/month`: a monthly figure always carries its unit.
pub fn per_month(amount: Usd) -> String {
    format!("{}/month", usd(amount))
}

/// `$12,346`: whole dollars with thousands separators, for big headline numbers.
pub fn usd_whole(amount: Usd) -> String {
    let s = usd(amount);
    s.split_once('.').map(|(whole, _)| whole.to_string()).unwrap_or(s)
}

/// `$240k`, `$1.2M`, `-$3k`: short labels for chart axes.
pub fn usd_compact(amount: f64) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    let a = amount.abs();
    if a >= 1_000_000.0 {
        format!("{sign}${}M", trim(a / 1_000_000.0, 1))
    } else if a >= 1_000.0 {
        format!("{sign}${}k", trim(a / 1_000.0, if a >= 10_000.0 { 0 } else { 1 }))
    } else {
        format!("{sign}${}", trim(a, 0))
    }
}

/// A dollar amount as a plain number for chart geometry.
pub fn to_f64(amount: Usd) -> f64 {
    amount.amount().to_f64().unwrap_or(0.0)
}

/// A number with at most `places` decimals and no trailing zeros: `0.5`, `12`, `80`.
pub fn trim(value: f64, places: usize) -> String {
    let s = format!("{value:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A decimal without trailing zeros, e.g. `0.25`, `4000`.
pub fn decimal(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A 0..1 fraction as a percentage input value, e.g. `0.375` → `37.5`.
pub fn fraction_as_pct(value: Decimal) -> String {
    decimal(value * Decimal::ONE_HUNDRED)
}

/// Savings against today in words: `44.3% less than today`, or `13.2% more than today`.
pub fn savings_pct(pct: Option<f64>) -> String {
    match pct {
        Some(p) if p >= 0.0 => format!("{p:.1}% less than today"),
        Some(p) => format!("{:.1}% more than today", -p),
        None => "no cost today to compare with".into(),
    }
}

/// `8 vCPU`, `0.5 vCPU` from millicores.
pub fn vcpu(millicores: u32) -> String {
    format!("{} vCPU", trim(f64::from(millicores) / 1000.0, 3))
}

/// `16 GiB`, `0.5 GiB` from MiB.
pub fn gib(mib: u32) -> String {
    format!("{} GiB", trim(f64::from(mib) / 1024.0, 2))
}

/// `$0.34/h`: an exact hourly price.
pub fn per_hour(usd_per_hour: Decimal) -> String {
    format!("${}/h", decimal(usd_per_hour))
}

/// `month 14`, or `never within 36 months`.
pub fn break_even(month: Option<u32>, horizon: usize) -> String {
    match month {
        Some(m) => format!("month {m}"),
        None => format!("never within {horizon} months"),
    }
}

/// A label for zone `i` (0-based): `zone a`, `zone b`…
pub fn zone(i: usize) -> String {
    let letter = (b'a' + (i % 26) as u8) as char;
    format!("zone {letter}")
}

/// An hour of the week (0 = Monday 00:00) as `Tue 14:00`.
pub fn hour_of_week(hour: u32) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    format!("{} {:02}:00", DAYS[(hour / 24 % 7) as usize], hour % 24)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn headline_numbers_drop_cents_and_keep_separators() {
        assert_eq!(usd_whole(Usd::new(Decimal::new(367313, 2))), "$3,673");
        assert_eq!(per_month(Usd::new(Decimal::new(367313, 2))), "$3,673.13/month");
    }

    #[test]
    fn axis_labels_are_compact() {
        assert_eq!(usd_compact(240_000.0), "$240k");
        assert_eq!(usd_compact(1_260_000.0), "$1.3M");
        assert_eq!(usd_compact(-2_500.0), "-$2.5k");
        assert_eq!(usd_compact(0.0), "$0");
    }

    #[test]
    fn quantities_carry_units() {
        assert_eq!(vcpu(500), "0.5 vCPU");
        assert_eq!(gib(16_384), "16 GiB");
        assert_eq!(fraction_as_pct(Decimal::new(375, 3)), "37.5");
        assert_eq!(break_even(None, 36), "never within 36 months");
        assert_eq!(zone(2), "zone c");
        assert_eq!(hour_of_week(0), "Mon 00:00");
        assert_eq!(hour_of_week(38), "Tue 14:00");
        assert_eq!(hour_of_week(167), "Sun 23:00");
    }
}
