//! The price catalog as the engine sees it: validated types, prices with their source and date.
//! Loading it from files is `tco-pricing-data`'s job.

use crate::money::{Usd, UsdPerHour};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where a price or fact came from, and the day it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// A citation a reader can follow: page, file or API and version.
    pub source: String,
    /// The date the fact was taken, `YYYY-MM-DD`.
    pub as_of: String,
}

/// CPU architecture of an instance type.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    /// Intel and AMD.
    X86_64,
    /// AWS Graviton.
    Arm64,
}

/// One EC2 instance type's shape. Facts the catalog does not have stay `None` (a refresh from
/// the AWS Price List fills them); a type without vCPU and memory cannot hold a node plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceType {
    /// API name, e.g. `c5.2xlarge`.
    pub name: String,
    /// Family, e.g. `c5`.
    pub family: String,
    /// Size, e.g. `2xlarge`.
    #[serde(default)]
    pub size: String,
    /// Generation, the family's number (`c5` → 5).
    #[serde(default)]
    pub generation: Option<u32>,
    /// vCPUs.
    pub vcpu: Option<u32>,
    /// Memory in MiB (GiB × 1024).
    pub memory_mib: Option<u32>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// T-family CPU credits: sustained use may cost more than the hourly price.
    pub burstable: bool,
    /// Pods per node with the VPC CNI's ENI limits (EKS `eni-max-pods.txt`).
    pub eks_max_pods: Option<u32>,
}

/// What the packing needs of an instance type, when the catalog knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// vCPUs.
    pub vcpu: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// EKS max pods, when known.
    pub eks_max_pods: Option<u32>,
}

impl InstanceType {
    /// A fully described type (tests and hand-made catalogs).
    pub fn new(name: &str, vcpu: u32, memory_gib: u32, arch: Arch, eks_max_pods: u32) -> Self {
        let (family, size) = name.split_once('.').unwrap_or((name, ""));
        InstanceType {
            name: name.into(),
            family: family.into(),
            size: size.into(),
            generation: family.chars().filter(char::is_ascii_digit).collect::<String>().parse().ok(),
            vcpu: Some(vcpu),
            memory_mib: Some(memory_gib * 1024),
            arch: Some(arch),
            burstable: family.starts_with('t'),
            eks_max_pods: Some(eks_max_pods),
        }
    }

    /// vCPU, memory and max pods, if the catalog has vCPU and memory.
    pub fn shape(&self) -> Option<Shape> {
        Some(Shape { vcpu: self.vcpu?, memory_mib: self.memory_mib?, eks_max_pods: self.eks_max_pods })
    }
}

/// An effective hourly rate under a commitment (Reserved Instance or Savings Plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Region code.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// `reserved-standard`, `reserved-convertible`, `compute-savings-plan`, `ec2-instance-savings-plan`.
    pub kind: String,
    /// `1yr` or `3yr`.
    pub term: String,
    /// `No Upfront`, `Partial Upfront` or `All Upfront`.
    pub purchase_option: String,
    /// Effective USD per instance-hour, upfront amortized.
    pub effective_usd_per_hour: Decimal,
    /// Source and date.
    #[serde(flatten)]
    pub provenance: Provenance,
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

/// An on-demand price of an instance type in a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstancePrice {
    /// Region code, e.g. `us-east-1`.
    pub region: String,
    /// Instance type name.
    pub instance_type: String,
    /// USD per instance-hour, Linux, shared tenancy.
    pub usd_per_hour: Decimal,
    /// Source and date.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl InstancePrice {
    /// The hourly rate as a typed price.
    pub fn hourly(&self) -> UsdPerHour {
        UsdPerHour(self.usd_per_hour)
    }
}

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

/// A managed or supporting service price with its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePrice {
    /// Stable identifier, e.g. `eks-cluster-standard`.
    pub id: String,
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

/// Identifiers of service prices the engine uses.
pub mod service {
    /// EKS control plane, standard support, per cluster-hour.
    pub const EKS_CLUSTER_STANDARD: &str = "eks-cluster-standard";
    /// Heroku Eco subscription, per account-month.
    pub const HEROKU_ECO_SUBSCRIPTION: &str = "heroku-eco-subscription";
    /// Heroku Private Space, per space-month.
    pub const HEROKU_PRIVATE_SPACE: &str = "heroku-private-space";
    /// Heroku Shield Private Space, per space-month.
    pub const HEROKU_SHIELD_PRIVATE_SPACE: &str = "heroku-shield-private-space";
}

/// The whole catalog: validated on construction, read-only afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The snapshot's date, `YYYY-MM-DD`.
    pub snapshot: String,
    /// The oldest `as_of` of any price, the date to warn about.
    pub oldest_price_as_of: String,
    /// EC2 instance types.
    pub instance_types: Vec<InstanceType>,
    /// EC2 on-demand prices.
    pub instance_prices: Vec<InstancePrice>,
    /// Heroku dyno sizes.
    pub dyno_sizes: Vec<DynoSize>,
    /// Managed and supporting services.
    pub services: Vec<ServicePrice>,
    /// Reserved Instance and Savings Plan rates.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    /// Heroku add-on plans.
    #[serde(default)]
    pub addon_plans: Vec<AddonPlan>,
    /// Defaults for uncertain figures.
    #[serde(default)]
    pub assumptions: Vec<AssumptionDefault>,
}

/// Everything a catalog is made of, before validation.
#[derive(Debug, Clone, Default)]
pub struct CatalogParts {
    /// The snapshot's date.
    pub snapshot: String,
    /// EC2 instance types.
    pub instance_types: Vec<InstanceType>,
    /// EC2 on-demand prices.
    pub instance_prices: Vec<InstancePrice>,
    /// Heroku dyno sizes.
    pub dyno_sizes: Vec<DynoSize>,
    /// Services.
    pub services: Vec<ServicePrice>,
    /// Commitment rates.
    pub commitments: Vec<Commitment>,
    /// Heroku add-on plans.
    pub addon_plans: Vec<AddonPlan>,
    /// Assumption defaults.
    pub assumptions: Vec<AssumptionDefault>,
}

/// A catalog whose parts do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// A price names an instance type the catalog does not describe.
    #[error("price for {region}/{instance_type}: no such instance type in the catalog")]
    PriceForUnknownType {
        /// Region of the price row.
        region: String,
        /// Instance type of the price row.
        instance_type: String,
    },
    /// Two rows describe the same thing.
    #[error("duplicate {what} `{name}`")]
    Duplicate {
        /// Which table.
        what: &'static str,
        /// The repeated key.
        name: String,
    },
    /// A value is outside what makes sense.
    #[error("{what} `{name}`: {problem}")]
    Invalid {
        /// Which table.
        what: &'static str,
        /// The row's key.
        name: String,
        /// What is wrong.
        problem: String,
    },
}

impl Catalog {
    /// Builds a catalog and checks that its parts fit together.
    pub fn new(parts: CatalogParts) -> Result<Self, CatalogError> {
        let CatalogParts {
            snapshot,
            instance_types,
            instance_prices,
            dyno_sizes,
            services,
            commitments,
            addon_plans,
            assumptions,
        } = parts;
        let mut seen = std::collections::HashSet::new();
        for t in &instance_types {
            if !seen.insert(t.name.as_str()) {
                return Err(CatalogError::Duplicate { what: "instance type", name: t.name.clone() });
            }
            if t.vcpu == Some(0) || t.memory_mib == Some(0) || t.eks_max_pods == Some(0) {
                return Err(CatalogError::Invalid {
                    what: "instance type",
                    name: t.name.clone(),
                    problem: "vCPU, memory and max pods must be positive when known".into(),
                });
            }
        }
        let mut seen_prices = std::collections::HashSet::new();
        for p in &instance_prices {
            if !seen.contains(p.instance_type.as_str()) {
                return Err(CatalogError::PriceForUnknownType {
                    region: p.region.clone(),
                    instance_type: p.instance_type.clone(),
                });
            }
            if !seen_prices.insert((p.region.as_str(), p.instance_type.as_str())) {
                return Err(CatalogError::Duplicate {
                    what: "instance price",
                    name: format!("{}/{}", p.region, p.instance_type),
                });
            }
            if p.usd_per_hour <= Decimal::ZERO {
                return Err(CatalogError::Invalid {
                    what: "instance price",
                    name: format!("{}/{}", p.region, p.instance_type),
                    problem: "price must be positive".into(),
                });
            }
        }
        let mut seen_sizes = std::collections::HashSet::new();
        for d in &dyno_sizes {
            for n in std::iter::once(&d.name).chain(&d.aliases) {
                if !seen_sizes.insert(n.to_ascii_lowercase()) {
                    return Err(CatalogError::Duplicate { what: "dyno size", name: n.clone() });
                }
            }
            if d.vcpu.is_none() && d.compute_units.is_none() {
                return Err(CatalogError::Invalid {
                    what: "dyno size",
                    name: d.name.clone(),
                    problem: "needs vCPU or compute units".into(),
                });
            }
        }
        let oldest_price_as_of = instance_prices
            .iter()
            .map(|p| &p.provenance)
            .chain(dyno_sizes.iter().map(|d| &d.provenance))
            .chain(services.iter().map(|s| &s.provenance))
            .map(|p| p.as_of.clone())
            .min()
            .unwrap_or_else(|| snapshot.clone());
        for c in &commitments {
            if !seen.contains(c.instance_type.as_str()) {
                return Err(CatalogError::PriceForUnknownType {
                    region: c.region.clone(),
                    instance_type: c.instance_type.clone(),
                });
            }
        }
        Ok(Catalog {
            snapshot,
            oldest_price_as_of,
            instance_types,
            instance_prices,
            dyno_sizes,
            services,
            commitments,
            addon_plans,
            assumptions,
        })
    }

    /// The dyno size called `name` in any of Heroku's spellings.
    pub fn dyno_size(&self, name: &str) -> Option<&DynoSize> {
        self.dyno_sizes.iter().find(|d| d.answers_to(name))
    }

    /// The instance type called `name`.
    pub fn instance_type(&self, name: &str) -> Option<&InstanceType> {
        self.instance_types.iter().find(|t| t.name == name)
    }

    /// The on-demand price of `instance_type` in `region`.
    pub fn instance_price(&self, region: &str, instance_type: &str) -> Option<&InstancePrice> {
        self.instance_prices.iter().find(|p| p.region == region && p.instance_type == instance_type)
    }

    /// Regions that have at least one instance price.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.instance_prices.iter().map(|p| p.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// An assumption's default by identifier.
    pub fn assumption(&self, id: &str) -> Option<&AssumptionDefault> {
        self.assumptions.iter().find(|a| a.id == id)
    }

    /// A Heroku add-on plan by name (`heroku-postgresql:standard-0`), case-insensitively.
    pub fn addon_plan(&self, plan: &str) -> Option<&AddonPlan> {
        self.addon_plans.iter().find(|p| p.plan.eq_ignore_ascii_case(plan.trim()))
    }

    /// A service price by identifier.
    pub fn service(&self, id: &str) -> Option<&ServicePrice> {
        self.services.iter().find(|s| s.id == id)
    }
}
