//! The prices an estimate rests on, each listed once with its source and date.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A price used by the estimate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceLine {
    /// What is priced.
    pub item: String,
    /// The unit price in USD, exact.
    pub usd: Decimal,
    /// Its unit.
    pub unit: String,
    /// Where it came from.
    pub source: String,
    /// When it was taken, `YYYY-MM-DD`.
    pub as_of: String,
}

/// Adds a source line once.
pub(crate) fn push_source(sources: &mut Vec<SourceLine>, line: SourceLine) {
    if !sources.iter().any(|s| s.item == line.item) {
        sources.push(line);
    }
}
