//! Total cost of ownership over months: the one-time migration, the months both platforms
//! run, the extra operations effort, and the month moving has paid for itself.

use crate::money::Usd;
use crate::report::{Tco, TcoMonth, TcoTotal};
use crate::scenario::People;
use rust_decimal::Decimal;

/// Months always reported, whatever the chosen horizon.
const REPORTED: [u32; 2] = [12, 36];

/// The cost of staying at `current` a month against moving to `option` a month, over
/// `horizon` months (and at least 36). Moving costs the migration up front, `current` as well
/// during the parallel-run months, and the operations effort every month.
pub fn tco(current: Usd, option: Usd, people: &People, horizon: u32) -> Tco {
    let engineering = people.migration_engineer_weeks * people.engineer_week_usd;
    let one_time = engineering + people.outside_services_usd;
    let ops = people.ops_engineer_fraction * people.engineer_year_usd / Decimal::from(12);
    let months = horizon.max(36);
    let (c, o) = (current.amount(), option.amount());
    let mut rows = Vec::with_capacity(months as usize);
    let (mut stay, mut moving) = (Decimal::ZERO, one_time);
    let mut break_even = None;
    for month in 1..=months {
        stay += c;
        moving += o + ops + if month <= people.parallel_run_months { c } else { Decimal::ZERO };
        if break_even.is_none() && moving <= stay {
            break_even = Some(month);
        }
        rows.push(TcoMonth { month, current_usd: Usd::new(stay), option_usd: Usd::new(moving) });
    }
    let at = |m: u32| {
        let r = &rows[(m - 1) as usize];
        TcoTotal { current_usd: r.current_usd, option_usd: r.option_usd, savings_usd: r.current_usd - r.option_usd }
    };
    let (months_12, months_36) = (at(REPORTED[0]), at(REPORTED[1]));
    rows.truncate(horizon.max(1) as usize);
    Tco {
        one_time_usd: Usd::new(one_time),
        migration_engineering_usd: Usd::new(engineering),
        parallel_run_usd: Usd::new(c * Decimal::from(people.parallel_run_months.min(months))),
        ops_monthly_usd: Usd::new(ops),
        monthly_savings_usd: Usd::new(c - o - ops),
        months: rows,
        months_12,
        months_36,
        break_even_month: break_even.filter(|m| *m <= horizon.max(36)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(n: i64) -> Usd {
        Usd::new(Decimal::from(n))
    }

    fn people(weeks: i64, week_usd: i64, parallel: u32, ops_fraction: Decimal) -> People {
        People {
            migration_engineer_weeks: Decimal::from(weeks),
            engineer_week_usd: Decimal::from(week_usd),
            outside_services_usd: Decimal::ZERO,
            parallel_run_months: parallel,
            ops_engineer_fraction: ops_fraction,
            engineer_year_usd: Decimal::from(120_000),
        }
    }

    #[test]
    fn break_even_is_the_first_month_moving_has_cost_no_more() {
        // $30,000 today vs $16,000 on AWS; migration 10 weeks × $4,000 = $40,000; one month of
        // both; no extra ops. Month 1: stay 30,000, move 40,000 + 16,000 + 30,000 = 86,000.
        // Month m ≥ 2: stay 30,000 m, move 86,000 + 16,000 (m − 1) → 14,000 m ≥ 70,000 → m = 5.
        let t = tco(usd(30_000), usd(16_000), &people(10, 4_000, 1, Decimal::ZERO), 36);
        assert_eq!(t.break_even_month, Some(5));
        assert_eq!(t.one_time_usd, usd(40_000));
        assert_eq!(t.months[4].current_usd, usd(150_000));
        assert_eq!(t.months[4].option_usd, usd(150_000));
        // 12 months: stay 360,000; move 86,000 + 11 × 16,000 = 262,000
        assert_eq!(t.months_12.savings_usd, usd(98_000));
        assert_eq!(t.months_36.option_usd, usd(86_000 + 35 * 16_000));
    }

    #[test]
    fn operations_effort_counts_every_month() {
        // a quarter of a $120,000 engineer = $2,500 a month
        let t = tco(usd(10_000), usd(6_000), &people(0, 0, 0, Decimal::new(25, 2)), 36);
        assert_eq!(t.ops_monthly_usd, usd(2_500));
        assert_eq!(t.monthly_savings_usd, usd(1_500));
        assert_eq!(t.break_even_month, Some(1));
    }

    #[test]
    fn an_option_that_costs_more_never_breaks_even() {
        let t = tco(usd(5_000), usd(6_000), &people(4, 4_000, 1, Decimal::ZERO), 36);
        assert_eq!(t.break_even_month, None);
        assert!(t.months_36.savings_usd < Usd::ZERO);
        assert_eq!(t.months.len(), 36);
    }
}
