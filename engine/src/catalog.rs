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
    /// AWS Graviton and Apple silicon.
    Arm64,
}

impl Arch {
    /// Every architecture, in display order.
    pub const ALL: [Arch; 2] = [Arch::X86_64, Arch::Arm64];

    /// The catalog's spelling (`x86_64`, `arm64`), the same as serde's.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }
}

impl std::fmt::Display for Arch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no architecture the catalog knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown architecture `{0}` (x86_64 or arm64)")]
pub struct UnknownArch(pub String);

impl std::str::FromStr for Arch {
    type Err = UnknownArch;

    /// Reads the catalog's own spelling only: sources that say `amd64` (Kubernetes) or
    /// `64-bit` (the Price List) are mapped where they are read, with a note in the row.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arch::ALL.into_iter().find(|a| a.as_str() == s).ok_or_else(|| UnknownArch(s.to_string()))
    }
}

/// One EC2 instance type's shape. Facts the catalog does not have stay `None` (a refresh from
/// the AWS Price List fills them); a type without vCPU and memory cannot hold a node plan, and
/// a catalog refuses a price for such a type (see [`Catalog::new`]).
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
    /// Memory in whole MiB, rounded down from [`InstanceType::memory_gib`]: what the packers
    /// use, so a node never offers more than it has (t1.micro's 0.613 GiB is 627 MiB here).
    /// [`Catalog::new`] checks that the two agree.
    pub memory_mib: Option<u32>,
    /// Memory in GiB exactly as the source states it (0.613 for t1.micro, 1.7 for m1.small):
    /// what people read. `None` in a hand-made type is filled from `memory_mib`.
    #[serde(default)]
    pub memory_gib: Option<Decimal>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// GPUs (NVIDIA, AMD and others; AWS Inferentia and Trainium chips count 0), when known.
    #[serde(default)]
    pub gpus: Option<u32>,
    /// T-family CPU credits: sustained use may cost more than the hourly price.
    pub burstable: bool,
    /// Pods per node with the VPC CNI's ENI limits (EKS `eni-max-pods.txt`).
    pub eks_max_pods: Option<u32>,
    /// Where the shape came from, and when; `None` in hand-made catalogs (tests). The
    /// embedded catalog has it on every row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
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
            memory_gib: Some(Decimal::from(memory_gib)),
            arch: Some(arch),
            gpus: None,
            burstable: family.starts_with('t'),
            eks_max_pods: Some(eks_max_pods),
            provenance: None,
        }
    }

    /// Whole MiB in `gib` GiB, rounded down (a node never offers more than it has); `None`
    /// when negative or too large for a `u32`.
    pub fn whole_mib(gib: Decimal) -> Option<u32> {
        use rust_decimal::prelude::ToPrimitive;
        gib.checked_mul(Decimal::from(1024))?.floor().to_u32()
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
    /// The AWS region the price is for; `None` for prices that hold in every region or have
    /// none (Heroku fees, Business Support rates, the global free data-transfer allowance).
    /// A price of one region is never used for another: see [`Catalog::service_in`].
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
}

/// The region the catalog was first built for and every price without a region of its own
/// belonged to: [`Catalog::service`] and [`Catalog::oldest_price_as_of`] speak of it.
pub const HOME_REGION: &str = "us-east-1";

/// How often AWS reclaimed a spot instance of a type in a region over the past month, in the
/// Spot Instance Advisor's buckets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Interruption {
    /// Under 5%.
    #[serde(rename = "<5%")]
    Under5,
    /// 5 to 10%.
    #[serde(rename = "5-10%")]
    From5To10,
    /// 10 to 15%.
    #[serde(rename = "10-15%")]
    From10To15,
    /// 15 to 20%.
    #[serde(rename = "15-20%")]
    From15To20,
    /// Over 20%.
    #[serde(rename = ">20%")]
    Over20,
}

impl Interruption {
    /// Every bucket, least interrupted first.
    pub const ALL: [Interruption; 5] = [
        Interruption::Under5,
        Interruption::From5To10,
        Interruption::From10To15,
        Interruption::From15To20,
        Interruption::Over20,
    ];

    /// The advisor's spelling: `<5%`, `5-10%`, `10-15%`, `15-20%`, `>20%` (serde's too).
    pub fn as_str(self) -> &'static str {
        match self {
            Interruption::Under5 => "<5%",
            Interruption::From5To10 => "5-10%",
            Interruption::From10To15 => "10-15%",
            Interruption::From15To20 => "15-20%",
            Interruption::Over20 => ">20%",
        }
    }
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not one of the advisor's buckets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown interruption frequency `{0}` (<5%, 5-10%, 10-15%, 15-20% or >20%)")]
pub struct UnknownInterruption(pub String);

impl std::str::FromStr for Interruption {
    type Err = UnknownInterruption;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Interruption::ALL.into_iter().find(|i| i.as_str() == s).ok_or_else(|| UnknownInterruption(s.to_string()))
    }
}

/// The Spot Instance Advisor's word on one type in one region: how much spot saved over
/// on-demand, and how often it was interrupted. The spot price of the type there is its
/// on-demand price less `savings_pct` percent ([`SpotAdvice::spot_hourly`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpotAdvice {
    /// Region code.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// Saving over on-demand, percent (the feed's whole numbers; it has a negative one where
    /// spot cost more than on-demand).
    pub savings_pct: Decimal,
    /// Interruption frequency bucket.
    pub interruption: Interruption,
    /// Source and date of the feed.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl SpotAdvice {
    /// The spot rate of an on-demand rate: `on_demand × (100 − savings_pct) / 100`.
    pub fn spot_hourly(&self, on_demand: UsdPerHour) -> UsdPerHour {
        UsdPerHour(on_demand.0 * (Decimal::ONE_HUNDRED - self.savings_pct) / Decimal::ONE_HUNDRED)
    }
}

/// What the catalog holds for one region: the region picker's row and the catalog-age
/// warning's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    /// Region code.
    pub region: String,
    /// Instance types with an on-demand price there.
    pub instance_prices: usize,
    /// The oldest and newest `as_of` of those prices (a refresh can leave a mix).
    pub oldest_price_as_of: String,
    /// See `oldest_price_as_of`.
    pub newest_price_as_of: String,
    /// Instance types with spot advice there.
    pub spot_advice: usize,
    /// The spot feed's date there, when it has any.
    pub spot_as_of: Option<String>,
    /// Service prices of the region itself (ElastiCache nodes and supporting services).
    pub service_prices: usize,
}

/// The whole catalog: validated on construction, read-only afterwards.
///
/// Regions: instance prices, commitments and spot advice each name their region; service
/// prices name theirs or none (see [`ServicePrice::region`]). Instance types are the same
/// everywhere. A price is only ever used in its own region: lookups take the region, and a
/// type without a price in a region is simply not offered there ([`Catalog::unpriced_in`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The snapshot's date, `YYYY-MM-DD`.
    pub snapshot: String,
    /// The oldest `as_of` of any price an estimate in [`HOME_REGION`] can use (its instance
    /// and service prices, and the prices without a region), the date to warn about there.
    /// Other regions: [`Catalog::oldest_price_as_of_in`].
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
    /// Spot Instance Advisor savings and interruption buckets, per region and type.
    #[serde(default)]
    pub spot_advice: Vec<SpotAdvice>,
}

/// Everything a catalog is made of, before validation; also one region's part of a catalog
/// ([`Catalog::region_slice`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// Spot advice.
    pub spot_advice: Vec<SpotAdvice>,
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
    /// A price names an instance type whose vCPU, memory or architecture is unknown: it could
    /// never be planned on, so the catalog refuses it rather than carry a dead price.
    #[error("price for {region}/{instance_type}: the type has no {missing} in the catalog")]
    PriceForShapelessType {
        /// Region of the price row.
        region: String,
        /// Instance type of the price row.
        instance_type: String,
        /// What it lacks: `vCPU`, `memory` or `architecture`.
        missing: &'static str,
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

impl From<Catalog> for CatalogParts {
    fn from(c: Catalog) -> Self {
        CatalogParts {
            snapshot: c.snapshot,
            instance_types: c.instance_types,
            instance_prices: c.instance_prices,
            dyno_sizes: c.dyno_sizes,
            services: c.services,
            commitments: c.commitments,
            addon_plans: c.addon_plans,
            assumptions: c.assumptions,
            spot_advice: c.spot_advice,
        }
    }
}

fn invalid(what: &'static str, name: impl Into<String>, problem: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { what, name: name.into(), problem: problem.into() }
}

/// Checks one instance type on its own, filling whichever of `memory_gib` and `memory_mib`
/// is missing from the other (the loader gives the exact GiB; hand-made types the MiB).
fn check_type(t: &mut InstanceType) -> Result<(), CatalogError> {
    match (t.memory_gib, t.memory_mib) {
        (None, Some(mib)) => t.memory_gib = Some(Decimal::from(mib) / Decimal::from(1024)),
        (Some(gib), mib) => {
            let whole = InstanceType::whole_mib(gib).filter(|w| *w > 0).ok_or_else(|| {
                invalid("instance type", &t.name, format!("memory {gib} GiB is not between 1 MiB and 4 PiB"))
            })?;
            if mib.is_some_and(|m| m != whole) {
                return Err(invalid(
                    "instance type",
                    &t.name,
                    format!("memory {gib} GiB and {} MiB disagree (MiB is GiB × 1024, rounded down)", mib.unwrap_or(0)),
                ));
            }
            t.memory_mib = Some(whole);
        }
        (None, None) => {}
    }
    if t.vcpu == Some(0) || t.memory_mib == Some(0) || t.eks_max_pods == Some(0) {
        return Err(invalid("instance type", &t.name, "vCPU, memory and max pods must be positive when known"));
    }
    Ok(())
}

/// Every row's source is a citation and its date a `YYYY-MM-DD` date.
fn check_provenance(what: &'static str, name: &str, p: &Provenance) -> Result<(), CatalogError> {
    if p.source.trim().is_empty() {
        return Err(invalid(what, name, "no source"));
    }
    let b = p.as_of.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !date {
        return Err(invalid(what, name, format!("as_of `{}` is not a YYYY-MM-DD date", p.as_of)));
    }
    Ok(())
}

impl Catalog {
    /// Builds a catalog and checks that its parts fit together: no duplicates, positive
    /// prices, every price and spot row of a described type, memory GiB and MiB agreeing.
    /// Hand-made catalogs (tests) may leave facts out; [`Catalog::check_complete`] is the
    /// stricter check a catalog users rely on passes.
    pub fn new(parts: CatalogParts) -> Result<Self, CatalogError> {
        let CatalogParts {
            snapshot,
            mut instance_types,
            instance_prices,
            dyno_sizes,
            services,
            commitments,
            addon_plans,
            assumptions,
            spot_advice,
        } = parts;
        let mut seen = std::collections::HashMap::new();
        for (i, t) in instance_types.iter_mut().enumerate() {
            check_type(t)?;
            if seen.insert(t.name.clone(), i).is_some() {
                return Err(CatalogError::Duplicate { what: "instance type", name: t.name.clone() });
            }
        }
        let described = |region: &str, name: &str| -> Result<&InstanceType, CatalogError> {
            seen.get(name).map(|&i| &instance_types[i]).ok_or_else(|| CatalogError::PriceForUnknownType {
                region: region.to_string(),
                instance_type: name.to_string(),
            })
        };
        let mut seen_prices = std::collections::HashSet::new();
        for p in &instance_prices {
            described(&p.region, &p.instance_type)?;
            let name = || format!("{}/{}", p.region, p.instance_type);
            if !seen_prices.insert((p.region.as_str(), p.instance_type.as_str())) {
                return Err(CatalogError::Duplicate { what: "instance price", name: name() });
            }
            if p.usd_per_hour <= Decimal::ZERO {
                return Err(invalid("instance price", name(), "price must be positive"));
            }
        }
        let mut seen_advice = std::collections::HashSet::new();
        for a in &spot_advice {
            described(&a.region, &a.instance_type)?;
            let name = || format!("{}/{}", a.region, a.instance_type);
            if !seen_advice.insert((a.region.as_str(), a.instance_type.as_str())) {
                return Err(CatalogError::Duplicate { what: "spot advice", name: name() });
            }
            if a.savings_pct <= Decimal::from(-100) || a.savings_pct >= Decimal::ONE_HUNDRED {
                return Err(invalid("spot advice", name(), "saving must be between -100% and 100%"));
            }
        }
        let mut seen_services = std::collections::HashSet::new();
        for s in &services {
            let name = || format!("{}{}", s.region.as_deref().map(|r| format!("{r}/")).unwrap_or_default(), s.id);
            if !seen_services.insert((s.region.as_deref(), s.id.as_str())) {
                return Err(CatalogError::Duplicate { what: "service price", name: name() });
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
                return Err(invalid("dyno size", &d.name, "needs vCPU or compute units"));
            }
        }
        for c in &commitments {
            described(&c.region, &c.instance_type)?;
        }
        let mut catalog = Catalog {
            snapshot,
            oldest_price_as_of: String::new(),
            instance_types,
            instance_prices,
            dyno_sizes,
            services,
            commitments,
            addon_plans,
            assumptions,
            spot_advice,
        };
        catalog.oldest_price_as_of =
            catalog.oldest_price_as_of_in(HOME_REGION).unwrap_or_else(|| catalog.snapshot.clone());
        Ok(catalog)
    }

    /// The check every catalog read from files passes (the loader runs it): each priced type
    /// has vCPU, memory and architecture, so a price is never dead weight; each instance type,
    /// instance price, spot row, commitment and service price has a source and a
    /// `YYYY-MM-DD` date.
    pub fn check_complete(&self) -> Result<(), CatalogError> {
        for t in &self.instance_types {
            let p = t.provenance.as_ref().ok_or_else(|| invalid("instance type", &t.name, "no source"))?;
            check_provenance("instance type", &t.name, p)?;
        }
        let by_name: std::collections::HashMap<&str, &InstanceType> =
            self.instance_types.iter().map(|t| (t.name.as_str(), t)).collect();
        for p in &self.instance_prices {
            let name = format!("{}/{}", p.region, p.instance_type);
            let missing = match by_name.get(p.instance_type.as_str()).map(|t| (t.vcpu, t.memory_mib, t.arch)) {
                Some((None, _, _)) | None => Some("vCPU"),
                Some((_, None, _)) => Some("memory"),
                Some((_, _, None)) => Some("architecture"),
                _ => None,
            };
            if let Some(missing) = missing {
                return Err(CatalogError::PriceForShapelessType {
                    region: p.region.clone(),
                    instance_type: p.instance_type.clone(),
                    missing,
                });
            }
            check_provenance("instance price", &name, &p.provenance)?;
        }
        for a in &self.spot_advice {
            check_provenance("spot advice", &format!("{}/{}", a.region, a.instance_type), &a.provenance)?;
        }
        for c in &self.commitments {
            check_provenance("commitment", &format!("{}/{}", c.region, c.instance_type), &c.provenance)?;
        }
        for s in &self.services {
            check_provenance("service price", &s.id, &s.provenance)?;
        }
        Ok(())
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

    /// Regions that have at least one instance price, sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.instance_prices.iter().map(|p| p.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// Each region with instance prices: how many, their dates, and the spot advice and
    /// service prices it has; sorted by region code. The region picker lists these.
    pub fn region_summaries(&self) -> Vec<RegionSummary> {
        self.regions()
            .into_iter()
            .map(|region| {
                let dates =
                    || self.instance_prices.iter().filter(|p| p.region == region).map(|p| p.provenance.as_of.as_str());
                let advice = || self.spot_advice.iter().filter(|a| a.region == region);
                RegionSummary {
                    region: region.to_string(),
                    instance_prices: dates().count(),
                    oldest_price_as_of: dates().min().unwrap_or_default().to_string(),
                    newest_price_as_of: dates().max().unwrap_or_default().to_string(),
                    spot_advice: advice().count(),
                    spot_as_of: advice().map(|a| a.provenance.as_of.as_str()).min().map(str::to_string),
                    service_prices: self.services.iter().filter(|s| s.region.as_deref() == Some(region)).count(),
                }
            })
            .collect()
    }

    /// The date of `region`'s EC2 prices: the oldest `as_of` among them (a region refreshed
    /// in part keeps older rows); `None` when the region has none.
    pub fn price_date(&self, region: &str) -> Option<&str> {
        self.instance_prices.iter().filter(|p| p.region == region).map(|p| p.provenance.as_of.as_str()).min()
    }

    /// The oldest `as_of` of any price an estimate in `region` can rest on: the region's
    /// instance and service prices and the prices without a region (Heroku's); `None` when
    /// the catalog has no price there at all. The date a catalog-age warning names.
    pub fn oldest_price_as_of_in(&self, region: &str) -> Option<String> {
        let regional = self.instance_prices.iter().filter(|p| p.region == region).map(|p| &p.provenance);
        let services =
            self.services.iter().filter(|s| s.region.as_deref().is_none_or(|r| r == region)).map(|s| &s.provenance);
        regional
            .chain(services)
            .chain(self.dyno_sizes.iter().map(|d| &d.provenance))
            .map(|p| p.as_of.as_str())
            .min()
            .map(str::to_string)
    }

    /// The spot advice for `instance_type` in `region`, when the feed has it.
    pub fn spot_advice(&self, region: &str, instance_type: &str) -> Option<&SpotAdvice> {
        self.spot_advice.iter().find(|a| a.region == region && a.instance_type == instance_type)
    }

    /// Those of `types` (exact names) with no on-demand price in `region`, in the order given:
    /// what a plan there cannot use. A type the catalog does not describe counts as unpriced.
    pub fn unpriced_in<'t>(&self, region: &str, types: &[&'t str]) -> Vec<&'t str> {
        let priced: std::collections::HashSet<&str> =
            self.instance_prices.iter().filter(|p| p.region == region).map(|p| p.instance_type.as_str()).collect();
        types.iter().copied().filter(|t| !priced.contains(t)).collect()
    }

    /// An assumption's default by identifier.
    pub fn assumption(&self, id: &str) -> Option<&AssumptionDefault> {
        self.assumptions.iter().find(|a| a.id == id)
    }

    /// A Heroku add-on plan by name (`heroku-postgresql:standard-0`), case-insensitively.
    pub fn addon_plan(&self, plan: &str) -> Option<&AddonPlan> {
        self.addon_plans.iter().find(|p| p.plan.eq_ignore_ascii_case(plan.trim()))
    }

    /// A service price by identifier in [`HOME_REGION`] (or without a region): what the
    /// estimate used before prices had regions. Elsewhere use [`Catalog::service_in`].
    pub fn service(&self, id: &str) -> Option<&ServicePrice> {
        self.service_in(HOME_REGION, id)
    }

    /// A service price by identifier in `region`: the region's own row, else a row without a
    /// region (a price that holds everywhere). Never another region's row: a caller that
    /// wants [`HOME_REGION`]'s price as a stand-in asks for it and labels it so.
    pub fn service_in(&self, region: &str, id: &str) -> Option<&ServicePrice> {
        self.services
            .iter()
            .find(|s| s.id == id && s.region.as_deref() == Some(region))
            .or_else(|| self.services.iter().find(|s| s.id == id && s.region.is_none()))
    }

    /// The service prices usable in `region`: its own and those without a region.
    pub fn services_in<'c>(&'c self, region: &'c str) -> impl Iterator<Item = &'c ServicePrice> + 'c {
        self.services.iter().filter(move |s| s.region.as_deref().is_none_or(|r| r == region))
    }

    /// What an estimate in `region` needs (the rows the API's region slice sends the page,
    /// which embeds one region only): every instance type (shapes hold everywhere), the
    /// region's instance prices,
    /// commitments and spot advice, its service prices and those without a region, plus
    /// [`HOME_REGION`]'s service prices (the labelled stand-ins for supporting services the
    /// region's sources lack), and the Heroku tables and assumptions. `None` when the region
    /// has no instance price. The parts load with [`Catalog::new`].
    pub fn region_slice(&self, region: &str) -> Option<CatalogParts> {
        if !self.instance_prices.iter().any(|p| p.region == region) {
            return None;
        }
        Some(CatalogParts {
            snapshot: self.snapshot.clone(),
            instance_types: self.instance_types.clone(),
            instance_prices: self.instance_prices.iter().filter(|p| p.region == region).cloned().collect(),
            dyno_sizes: self.dyno_sizes.clone(),
            services: self
                .services
                .iter()
                .filter(|s| s.region.as_deref().is_none_or(|r| r == region || r == HOME_REGION))
                .cloned()
                .collect(),
            commitments: self.commitments.iter().filter(|c| c.region == region).cloned().collect(),
            addon_plans: self.addon_plans.clone(),
            assumptions: self.assumptions.clone(),
            spot_advice: self.spot_advice.iter().filter(|a| a.region == region).cloned().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn prov(as_of: &str) -> Provenance {
        Provenance { source: "hand-made".into(), as_of: as_of.into() }
    }

    fn price(region: &str, t: &str, usd: Decimal, as_of: &str) -> InstancePrice {
        InstancePrice { region: region.into(), instance_type: t.into(), usd_per_hour: usd, provenance: prov(as_of) }
    }

    fn service(id: &str, region: Option<&str>, usd: Decimal, as_of: &str) -> ServicePrice {
        ServicePrice {
            id: id.into(),
            region: region.map(str::to_string),
            description: id.into(),
            usd,
            unit: "per thing".into(),
            confidence: "official".into(),
            provenance: prov(as_of),
        }
    }

    fn two_regions() -> Catalog {
        Catalog::new(CatalogParts {
            snapshot: "2026-12-05".into(),
            instance_types: vec![
                InstanceType::new("c5.large", 2, 4, Arch::X86_64, 29),
                InstanceType::new("c7i.large", 2, 4, Arch::X86_64, 29),
            ],
            instance_prices: vec![
                price("us-east-1", "c5.large", dec!(0.085), "2026-07-20"),
                price("us-east-1", "c7i.large", dec!(0.08925), "2026-07-20"),
                price("eu-west-1", "c5.large", dec!(0.096), "2022-11-22"),
            ],
            services: vec![
                service("kms-key-month", Some("us-east-1"), dec!(1), "2024-07-01"),
                service("elasticache-redis:cache.t4g.micro", Some("eu-west-1"), dec!(0.017), "2025-04-24"),
                service("heroku-eco-subscription", None, dec!(5), "2024-10-01"),
            ],
            spot_advice: vec![SpotAdvice {
                region: "eu-west-1".into(),
                instance_type: "c5.large".into(),
                savings_pct: dec!(51),
                interruption: Interruption::Under5,
                provenance: prov("2025-06-28"),
            }],
            ..CatalogParts::default()
        })
        .unwrap()
    }

    #[test]
    fn buckets_and_architectures_read_back_their_own_spelling_only() {
        for i in Interruption::ALL {
            assert_eq!(i.as_str().parse::<Interruption>(), Ok(i));
            assert_eq!(serde_json::to_value(i).unwrap(), serde_json::json!(i.as_str()));
        }
        assert_eq!("5-10%".parse::<Interruption>(), Ok(Interruption::From5To10));
        assert!("5 to 10%".parse::<Interruption>().is_err());
        assert_eq!("arm64".parse::<Arch>(), Ok(Arch::Arm64));
        assert_eq!(Arch::X86_64.to_string(), "x86_64");
        assert_eq!("amd64".parse::<Arch>(), Err(UnknownArch("amd64".into())));
    }

    #[test]
    fn a_service_price_is_never_taken_from_another_region() {
        let c = two_regions();
        assert_eq!(c.service("kms-key-month").map(|s| s.usd), Some(dec!(1)), "service() is the home region");
        assert!(c.service_in("eu-west-1", "kms-key-month").is_none());
        assert!(c.service("elasticache-redis:cache.t4g.micro").is_none());
        assert_eq!(c.service_in("eu-west-1", "elasticache-redis:cache.t4g.micro").map(|s| s.usd), Some(dec!(0.017)));
        // A price without a region holds everywhere.
        assert!(c.service_in("eu-west-1", "heroku-eco-subscription").is_some());
    }

    #[test]
    fn regions_have_their_own_dates_counts_and_gaps() {
        let c = two_regions();
        assert_eq!(c.price_date("eu-west-1"), Some("2022-11-22"));
        assert_eq!(c.oldest_price_as_of, "2024-07-01", "home region: KMS 2024-07-01 is older than Heroku's 2024-10-01");
        assert_eq!(c.oldest_price_as_of_in("eu-west-1").as_deref(), Some("2022-11-22"));
        assert_eq!(c.unpriced_in("eu-west-1", &["c7i.large", "c5.large", "zz.large"]), vec!["c7i.large", "zz.large"]);
        let eu = &c.region_summaries()[0];
        assert_eq!(
            (eu.region.as_str(), eu.instance_prices, eu.spot_advice, eu.spot_as_of.as_deref(), eu.service_prices),
            ("eu-west-1", 1, 1, Some("2025-06-28"), 1)
        );
        let advice = c.spot_advice("eu-west-1", "c5.large").unwrap();
        // 0.096 × (100 − 51) / 100
        assert_eq!(advice.spot_hourly(UsdPerHour(dec!(0.096))).0, dec!(0.04704));
        assert!(c.spot_advice("us-east-1", "c5.large").is_none());
    }

    #[test]
    fn a_region_slice_holds_that_regions_prices_and_the_home_regions_services() {
        let slice = two_regions().region_slice("eu-west-1").unwrap();
        assert_eq!(slice.instance_prices.iter().map(|p| p.region.as_str()).collect::<Vec<_>>(), ["eu-west-1"]);
        assert_eq!(slice.instance_types.len(), 2, "shapes hold everywhere");
        assert_eq!(slice.spot_advice.len(), 1);
        let services: Vec<&str> = slice.services.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(services, ["kms-key-month", "elasticache-redis:cache.t4g.micro", "heroku-eco-subscription"]);
        let again = Catalog::new(slice).unwrap();
        assert_eq!(again.regions(), ["eu-west-1"]);
        assert!(two_regions().region_slice("ap-south-2").is_none());
    }

    #[test]
    fn memory_is_exact_and_the_packers_get_the_whole_mib_under_it() {
        let t1 = InstanceType {
            memory_mib: None,
            memory_gib: Some(dec!(0.613)),
            ..InstanceType::new("t1.micro", 1, 1, Arch::X86_64, 4)
        };
        let parts = |t: InstanceType| CatalogParts { instance_types: vec![t], ..CatalogParts::default() };
        let c = Catalog::new(parts(t1.clone())).unwrap();
        let t = c.instance_type("t1.micro").unwrap();
        assert_eq!((t.memory_gib, t.memory_mib), (Some(dec!(0.613)), Some(627)), "627.712 MiB rounded down");
        assert_eq!(t.shape().unwrap().memory_mib, 627);
        let disagreeing = InstanceType { memory_mib: Some(628), ..t1 };
        assert!(matches!(Catalog::new(parts(disagreeing)), Err(CatalogError::Invalid { .. })));
        let hand_made = Catalog::new(parts(InstanceType::new("c5.large", 2, 4, Arch::X86_64, 29))).unwrap();
        assert_eq!(hand_made.instance_types[0].memory_gib, Some(dec!(4)));
    }

    #[test]
    fn the_complete_check_wants_a_shape_for_every_price_and_a_source_for_every_row() {
        let mut parts: CatalogParts = two_regions().into();
        for t in &mut parts.instance_types {
            t.provenance = Some(prov("2026-01-22"));
        }
        let complete = Catalog::new(parts.clone()).unwrap();
        complete.check_complete().unwrap();
        let mut shapeless = parts.clone();
        shapeless.instance_types[1].vcpu = None;
        let err = Catalog::new(shapeless).unwrap().check_complete().unwrap_err();
        assert_eq!(
            err,
            CatalogError::PriceForShapelessType {
                region: "us-east-1".into(),
                instance_type: "c7i.large".into(),
                missing: "vCPU"
            }
        );
        let mut undated = parts;
        undated.services[0].provenance.as_of = "July 2024".into();
        assert!(matches!(Catalog::new(undated).unwrap().check_complete(), Err(CatalogError::Invalid { .. })));
    }
}
