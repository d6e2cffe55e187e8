//! Heroku's side of the catalog: dyno sizes and add-on plans at their list prices, what
//! today's bill is read against.

use super::Provenance;
use crate::money::Usd;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A Heroku dyno size with its list price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynoSize {
    /// Canonical name, e.g. `Standard-2X`.
    pub name: String,
    /// `cedar` or `fir`.
    pub generation: String,
    /// Other spellings seen in old apps and the CLI (`2X`, `PX`, `Hobby`).
    pub aliases: Vec<String>,
    /// Memory quota in MiB.
    pub memory_mib: u32,
    /// Dedicated vCPUs where the size names them (Fir sizes).
    pub vcpu: Option<u32>,
    /// The lower bound of Heroku's compute multiplier ("2x-8x" → 2), for Cedar sizes.
    pub compute_units: Option<u32>,
    /// Whether the CPU is dedicated rather than shared.
    pub dedicated: bool,
    /// Dyno units (enterprise contracts price in these).
    pub dyno_units: Option<Decimal>,
    /// List price per dyno-month; absent when no list price is published.
    pub usd_per_month: Option<Decimal>,
    /// Source and date of the price.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl DynoSize {
    /// Whether `name` is this size in any of Heroku's spellings (case-insensitive).
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        self.name.eq_ignore_ascii_case(name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    /// The list price per dyno-month, if published.
    pub fn monthly(&self) -> Option<Usd> {
        self.usd_per_month.map(Usd::new)
    }
}

/// A Heroku add-on plan (Postgres, Key-Value Store, Kafka).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddonPlan {
    /// `service:plan`, e.g. `heroku-postgresql:standard-0`.
    pub plan: String,
    /// The add-on service.
    pub service: String,
    /// List price per month, when known.
    pub usd_per_month: Option<Decimal>,
    /// Size and limits, for people.
    pub spec: String,
    /// `confirmed` or `unconfirmed`.
    pub confidence: String,
    /// Source and date.
    #[serde(flatten)]
    pub provenance: Provenance,
}
