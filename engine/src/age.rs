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

/// The `YYYY-MM-DD` date `days` after 1970-01-01: the inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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
        for date in ["1970-01-01", "2000-02-29", "2026-11-25", "2100-03-01"] {
            assert_eq!(civil_from_days(days_from_civil(date).unwrap()), date);
        }
    }

    #[test]
    fn warns_only_past_ninety_days() {
        assert!(stale_warning("x", "2026-07-20", "2026-11-25").unwrap().contains("128 days ago"));
        // 2026-08-27 → 2026-11-25 is exactly 90 days: not stale yet
        assert_eq!(stale_warning("x", "2026-08-27", "2026-11-25"), None);
    }
}
