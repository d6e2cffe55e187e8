//! How old a price is. The engine has no clock: callers pass today's date.

/// Prices older than this many days are flagged to the reader.
pub const STALE_AFTER_DAYS: i64 = 90;

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian), or `None` if malformed.
pub fn days_from_civil(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A warning when `as_of` is more than 90 days before `today`.
pub fn stale_warning(what: &str, as_of: &str, today: &str) -> Option<String> {
    let age = days_from_civil(today)? - days_from_civil(as_of)?;
    (age > STALE_AFTER_DAYS)
        .then(|| format!("{what} dates from {as_of}, {age} days ago: prices may have changed since"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_days_between_dates() {
        assert_eq!(days_from_civil("1970-01-01"), Some(0));
        assert_eq!(days_from_civil("2000-03-01"), Some(11_017));
        // 2026-07-20 → 2026-11-25: 11 + 31 + 30 + 31 + 25 = 128 days
        assert_eq!(days_from_civil("2026-11-25").unwrap() - days_from_civil("2026-07-20").unwrap(), 128);
        assert_eq!(days_from_civil("2026-13-01"), None);
    }

    #[test]
    fn warns_only_past_ninety_days() {
        assert!(stale_warning("x", "2026-07-20", "2026-11-25").unwrap().contains("128 days ago"));
        // 2026-08-27 → 2026-11-25 is exactly 90 days: not stale yet
        assert_eq!(stale_warning("x", "2026-08-27", "2026-11-25"), None);
    }
}
