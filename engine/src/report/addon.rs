//! Heroku add-on plans moved to AWS: what each costs today, where it goes and what it costs
//! there.

use crate::money::Usd;
use crate::scenario::AddonTarget;
use serde::{Deserialize, Serialize};

/// One add-on plan's move: the add-ons it covers, what they cost today and where they go.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddonMove {
    /// `service:plan`, e.g. `heroku-postgresql:standard-0`: the key of the scenario's
    /// `addon_targets`.
    pub plan: String,
    /// The region of the move (each region of the estimate lists its own).
    #[serde(default)]
    pub region: String,
    /// The add-ons on this plan, as `app/add-on`.
    pub addons: Vec<String>,
    /// What they cost today, USD per month.
    pub current_monthly_usd: Usd,
    /// Where they go; `None` when the plan has no managed equivalent here.
    pub target: Option<AddonTarget>,
    /// The target for people.
    pub target_label: String,
    /// Whether the target is the default (not the user's choice).
    pub default: bool,
    /// On AWS, USD per month for all of them; `None` when kept at today's price.
    pub aws_monthly_usd: Option<Usd>,
    /// ElastiCache nodes reserved for 1 year, no upfront, USD per month for all of them, where
    /// the region prices it (what reserving would save; totals stay on-demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_1y_monthly_usd: Option<Usd>,
    /// The same reserved for 3 years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_3y_monthly_usd: Option<Usd>,
    /// How the AWS figure is computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// Why it is kept at today's price, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The catalog rows the AWS figure rests on (their descriptions, as in `sources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}
