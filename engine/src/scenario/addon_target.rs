//! Where a Heroku add-on plan goes on AWS: part of the scenario (`addon_targets`), so the
//! document and the report can name a target without knowing how it is priced.

use serde::{Deserialize, Serialize};

/// Where a Heroku add-on plan goes on AWS.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "kebab-case")]
pub enum AddonTarget {
    /// One RDS for PostgreSQL instance (Multi-AZ adds a standby in another zone) with gp3
    /// storage.
    RdsPostgresql {
        /// The DB instance class, e.g. `db.m6g.large`.
        class: String,
        /// A synchronous standby in a second zone: instance and storage billed twice.
        multi_az: bool,
        /// Provisioned gp3 storage, GB.
        storage_gb: u32,
    },
    /// ElastiCache nodes of one type: a primary and its replicas.
    Elasticache {
        /// Redis OSS or Valkey.
        engine: CacheEngine,
        /// The node type, e.g. `cache.m6g.large`.
        node_type: String,
        /// Nodes (a primary plus replicas).
        nodes: u32,
    },
    /// Stays where it is, at today's price.
    Keep,
}

/// The ElastiCache engine.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheEngine {
    /// Redis OSS: what Heroku Redis runs.
    Redis,
    /// Valkey: the Redis-compatible fork ElastiCache prices lower.
    Valkey,
}

impl CacheEngine {
    /// The engine's part of catalog ids, e.g. `elasticache-redis:…`.
    pub(crate) fn id_part(self) -> &'static str {
        match self {
            CacheEngine::Redis => "redis",
            CacheEngine::Valkey => "valkey",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            CacheEngine::Redis => "Redis OSS",
            CacheEngine::Valkey => "Valkey",
        }
    }
}

impl AddonTarget {
    /// For people: `RDS for PostgreSQL db.m6g.large, Multi-AZ, 256 GB gp3`.
    pub fn label(&self) -> String {
        match self {
            AddonTarget::RdsPostgresql { class, multi_az, storage_gb } => format!(
                "RDS for PostgreSQL {class}, {}, {storage_gb} GB gp3",
                if *multi_az { "Multi-AZ" } else { "Single-AZ" }
            ),
            AddonTarget::Elasticache { engine, node_type, nodes } => {
                format!(
                    "ElastiCache {} {node_type} × {nodes} node{}",
                    engine.label(),
                    if *nodes == 1 { "" } else { "s" }
                )
            }
            AddonTarget::Keep => "kept at today's price".into(),
        }
    }
}
