//! Managed and supporting service prices (EKS, load balancers, ElastiCache, Heroku fees...),
//! and the identifiers of those the engine uses.

use super::Provenance;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A managed or supporting service price with its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePrice {
    /// Stable identifier, e.g. `eks-cluster-standard`.
    pub id: String,
    /// The AWS region the price is for; `None` for prices that hold in every region or have
    /// none (Heroku fees, Business Support rates, the global free data-transfer allowance).
    /// A price of one region is never used for another: see [`Catalog::service_in`](super::Catalog::service_in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// What it is, for people.
    pub description: String,
    /// USD per `unit`.
    pub usd: Decimal,
    /// The unit, e.g. `per cluster-hour`.
    pub unit: String,
    /// `official`, `third-party` or `unconfirmed`.
    #[serde(default)]
    pub confidence: String,
    /// Source and date.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl ServicePrice {
    /// How a report names the price (a source line's `item`): its description, and its region
    /// when it has one, so two regions' rows of the same service stay apart.
    pub fn item(&self) -> String {
        match &self.region {
            Some(r) => format!("{}, {r}", self.description),
            None => self.description.clone(),
        }
    }
}

/// EKS control plane, standard support, per cluster-hour.
pub const EKS_CLUSTER_STANDARD: &str = "eks-cluster-standard";
/// Heroku Eco subscription, per account-month.
pub const HEROKU_ECO_SUBSCRIPTION: &str = "heroku-eco-subscription";
/// Heroku Private Space, per space-month.
pub const HEROKU_PRIVATE_SPACE: &str = "heroku-private-space";
/// Heroku Shield Private Space, per space-month.
pub const HEROKU_SHIELD_PRIVATE_SPACE: &str = "heroku-shield-private-space";

/// ElastiCache on-demand node-hours of `engine` (`redis`, `valkey`):
/// `elasticache-redis:cache.t4g.micro`.
pub fn elasticache(engine: &str, node_type: &str) -> String {
    format!("elasticache-{engine}:{node_type}")
}

/// ElastiCache reserved node, no upfront, effective USD per node-hour, for `years` (1 or
/// 3): `elasticache-redis-reserved-1yr-no-upfront:cache.t4g.micro`. The prefix differs from
/// the on-demand one, so listing on-demand nodes by prefix never meets these.
pub fn elasticache_reserved(engine: &str, years: u8, node_type: &str) -> String {
    format!("elasticache-{engine}-reserved-{years}yr-no-upfront:{node_type}")
}
