//! Cost of ownership over time: each side's cumulative cost month by month, the totals over 12
//! and 36 months, and the break-even month.

use crate::money::Usd;
use serde::{Deserialize, Serialize};

/// Cost of ownership month by month. Commitment upfronts are amortized in the monthly cost,
/// so they are shown beside it (`OptionEstimate::upfront_usd`), not added again.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tco {
    /// One-time migration cost: engineering plus outside services, USD.
    pub one_time_usd: Usd,
    /// The engineering part of it, USD.
    pub migration_engineering_usd: Usd,
    /// Paying the current platform while both run, USD.
    pub parallel_run_usd: Usd,
    /// Extra operations effort, USD per month.
    pub ops_monthly_usd: Usd,
    /// Current minus option minus operations effort, USD per month (negative: it costs more).
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub monthly_savings_usd: Usd,
    /// Cumulative cost of each side at the end of each month.
    pub months: Vec<TcoMonth>,
    /// Over 12 months.
    pub months_12: TcoTotal,
    /// Over 36 months.
    pub months_36: TcoTotal,
    /// The first month whose cumulative cost is no higher than staying; absent when that is
    /// not within the horizon.
    pub break_even_month: Option<u32>,
}

/// Cumulative costs at the end of a month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TcoMonth {
    /// 1-based month.
    pub month: u32,
    /// Staying on the current platform, USD so far.
    pub current_usd: Usd,
    /// Moving to this option, USD so far.
    pub option_usd: Usd,
}

/// Totals over a horizon.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TcoTotal {
    /// Staying, USD.
    pub current_usd: Usd,
    /// Moving, USD.
    pub option_usd: Usd,
    /// Staying minus moving, USD.
    #[serde(default, deserialize_with = "crate::money::signed")]
    pub savings_usd: Usd,
}
