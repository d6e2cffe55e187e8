//! The catalog's defaults for figures no price list states (discounts, fee shares): each with
//! the range the what-ifs vary it over.

use super::Provenance;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A default for an uncertain figure (discounts, fees not yet in the catalog): editable by the
/// user and labelled as an assumption wherever it is used; low and high bound its range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssumptionDefault {
    /// Stable identifier, e.g. `spot-discount`.
    pub id: String,
    /// What it is.
    pub description: String,
    /// The default.
    pub value: Decimal,
    /// Its unit, e.g. `fraction`.
    pub unit: String,
    /// Low end of the plausible range.
    pub low: Decimal,
    /// High end of the plausible range.
    pub high: Decimal,
    /// Why this value.
    #[serde(flatten)]
    pub provenance: Provenance,
}
