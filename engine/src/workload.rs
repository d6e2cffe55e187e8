//! The import JSON: one normalized model of what a company runs today, whatever it came from.
//! This is a public contract; fields are only ever added.

use crate::bill::{Bill, CostBases};
use crate::money::Usd;
use serde::{Deserialize, Serialize};

/// Hours in the representative week that time profiles cover.
pub const HOURS_PER_WEEK: usize = 168;

/// Everything imported: apps with processes and add-ons, EC2 instances, the current bill.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Workloads {
    /// Applications and their processes.
    #[serde(default)]
    pub apps: Vec<App>,
    /// EC2 instances of a current fleet.
    #[serde(default)]
    pub instances: Vec<Instance>,
    /// What the imported estate costs today, USD per month.
    #[serde(default)]
    pub current_monthly_usd: Usd,
    /// Problems met while importing that did not stop it.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// The bill, when a billing export (Cost and Usage Report, FOCUS) was imported: each month
    /// on every cost basis, with credits, refunds and tax as their own lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill: Option<Bill>,
}

impl Workloads {
    /// Sets the replicas of `app`/`process`; returns whether it exists.
    pub fn set_replicas(&mut self, app: &str, process: &str, replicas: u32) -> bool {
        let found = self
            .apps
            .iter_mut()
            .filter(|a| a.name == app)
            .flat_map(|a| a.processes.iter_mut())
            .find(|p| p.name == process);
        match found {
            Some(p) => {
                p.replicas = replicas;
                true
            }
            None => false,
        }
    }

    /// Replicas over all processes.
    pub fn total_replicas(&self) -> u32 {
        self.apps.iter().flat_map(|a| &a.processes).map(|p| p.replicas).sum()
    }
}

impl Instance {
    /// An instance known only by its id; the rest is filled by what imports it.
    pub fn new(id: impl Into<String>) -> Self {
        Instance {
            id: id.into(),
            instance_type: String::new(),
            state: String::new(),
            az: String::new(),
            cpu_p95_pct: None,
            name: None,
            group: None,
            platform: None,
            launch_time: None,
            memory_p95_pct: None,
            monthly_usd: None,
            origin: None,
            by_basis: None,
            hours: None,
            region: None,
            provider: None,
        }
    }

    /// Takes from `other` (the same instance seen in another file) what this one lacks.
    pub fn absorb(&mut self, other: Instance) {
        let fill = |a: &mut String, b: String| {
            if a.is_empty() {
                *a = b;
            }
        };
        fill(&mut self.instance_type, other.instance_type);
        fill(&mut self.state, other.state);
        fill(&mut self.az, other.az);
        self.cpu_p95_pct = self.cpu_p95_pct.or(other.cpu_p95_pct);
        self.memory_p95_pct = self.memory_p95_pct.or(other.memory_p95_pct);
        self.name = self.name.take().or(other.name);
        self.group = self.group.take().or(other.group);
        self.platform = self.platform.take().or(other.platform);
        self.launch_time = self.launch_time.take().or(other.launch_time);
        // A bill's figure (what was paid) wins over a catalog price.
        if other.by_basis.is_some() && self.by_basis.is_none() {
            self.monthly_usd = other.monthly_usd;
            self.by_basis = other.by_basis;
        }
        self.monthly_usd = self.monthly_usd.or(other.monthly_usd);
        self.origin = self.origin.take().or(other.origin);
        self.hours = self.hours.or(other.hours);
        self.region = self.region.take().or(other.region);
        self.provider = self.provider.take().or(other.provider);
    }

    /// Whether a billing export priced it (rather than the catalog).
    pub fn is_billed(&self) -> bool {
        self.by_basis.is_some()
    }
}

/// One application.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct App {
    /// App name.
    pub name: String,
    /// Where it was imported from, e.g. `heroku-formation:formation.json`.
    #[serde(default)]
    pub source: String,
    /// Its process types.
    #[serde(default)]
    pub processes: Vec<Process>,
    /// Its add-ons.
    #[serde(default)]
    pub addons: Vec<Addon>,
}

/// One process type (a Heroku process type, a service) and its replicas.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Process {
    /// Process type, e.g. `web`.
    pub name: String,
    /// The Heroku dyno size it runs on today, if any.
    #[serde(default)]
    pub size: Option<String>,
    /// Replicas (dynos) running.
    pub replicas: u32,
    /// CPU request per replica, millicores.
    pub cpu_millicores: u32,
    /// Memory request per replica, MiB.
    pub memory_mib: u32,
    /// Replicas in use for each hour of a representative week, when known.
    #[serde(default)]
    pub hourly_replicas: Option<Vec<u32>>,
    /// Measured utilization, when logs or metrics were imported.
    #[serde(default)]
    pub measured: Option<Measured>,
    /// What this process costs today, USD per month.
    #[serde(default)]
    pub monthly_usd: Usd,
    /// The command it runs, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Whether it serves HTTP (a Heroku `web` process, or one the router sent requests to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves_http: Option<bool>,
    /// Whether it tolerates interruption (spot); unknown unless the user says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interruption_tolerant: Option<bool>,
    /// Mean requests per second for each hour of a representative week, when router logs were imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_requests_per_second: Option<Vec<f64>>,
    /// Hours a month the process runs, when less than always (from the CSV template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<u32>,
    /// Where the process's size and replicas came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// What it cost on each basis of an imported bill (instances a billing export priced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_basis: Option<CostBases>,
}

impl Process {
    /// A process of `replicas` with these requests and nothing else known.
    pub fn new(name: impl Into<String>, replicas: u32, cpu_millicores: u32, memory_mib: u32) -> Self {
        Process {
            name: name.into(),
            size: None,
            replicas,
            cpu_millicores,
            memory_mib,
            hourly_replicas: None,
            measured: None,
            monthly_usd: Usd::ZERO,
            command: None,
            serves_http: None,
            interruption_tolerant: None,
            hourly_requests_per_second: None,
            hours_per_month: None,
            origin: None,
            by_basis: None,
        }
    }

    /// Takes from `other` (the same process seen in another file) what this one lacks:
    /// measurements and profiles from logs; size, replicas and price from a formation.
    pub fn absorb(&mut self, other: Process) {
        if self.size.is_none() && other.size.is_some() {
            self.size = other.size;
            self.replicas = other.replicas;
            self.cpu_millicores = other.cpu_millicores;
            self.memory_mib = other.memory_mib;
            self.monthly_usd = other.monthly_usd;
            self.origin = other.origin.or(self.origin.take());
            self.by_basis = other.by_basis.or(self.by_basis);
        }
        self.measured = self.measured.take().or(other.measured);
        self.hourly_replicas = self.hourly_replicas.take().or(other.hourly_replicas);
        self.hourly_requests_per_second = self.hourly_requests_per_second.take().or(other.hourly_requests_per_second);
        self.command = self.command.take().or(other.command);
        self.serves_http = self.serves_http.or(other.serves_http);
        self.interruption_tolerant = self.interruption_tolerant.or(other.interruption_tolerant);
        self.hours_per_month = self.hours_per_month.or(other.hours_per_month);
    }
}

/// Where a value came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The file.
    pub file: String,
    /// The 1-based line, when the format has lines.
    pub line: Option<u64>,
}

/// Measured utilization percentiles over all samples of a process type.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Median memory RSS, MiB.
    pub memory_mib_p50: f64,
    /// 95th percentile memory RSS, MiB.
    pub memory_mib_p95: f64,
    /// Largest memory RSS seen, MiB.
    pub memory_mib_max: f64,
    /// 95th percentile of the 1-minute load average.
    pub cpu_load_p95: f64,
    /// Number of memory samples.
    pub samples: u64,
    /// Median of the 1-minute load average.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_load_p50: Option<f64>,
    /// Largest 1-minute load average seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_load_max: Option<f64>,
    /// Number of load samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_samples: Option<u64>,
    /// The memory quota the dynos reported, MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_quota_mib: Option<f64>,
    /// R14 (memory quota exceeded) errors.
    #[serde(default)]
    pub r14_count: u64,
    /// R15 (memory quota vastly exceeded) errors.
    #[serde(default)]
    pub r15_count: u64,
    /// Router requests seen.
    #[serde(default)]
    pub requests: u64,
}

impl Measured {
    /// Memory percentiles (MiB) and the p95 load from `samples` samples; the rest unknown.
    pub fn new(memory_mib_p50: f64, memory_mib_p95: f64, memory_mib_max: f64, cpu_load_p95: f64, samples: u64) -> Self {
        Measured {
            memory_mib_p50,
            memory_mib_p95,
            memory_mib_max,
            cpu_load_p95,
            samples,
            cpu_load_p50: None,
            cpu_load_max: None,
            cpu_samples: None,
            memory_quota_mib: None,
            r14_count: 0,
            r15_count: 0,
            requests: 0,
        }
    }
}

/// An add-on or managed service.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Addon {
    /// Add-on name, e.g. `heroku-postgresql`.
    pub name: String,
    /// Plan, e.g. `standard-0`.
    pub plan: String,
    /// USD per month (a service on a bill may be negative on the unblended basis, where a
    /// Savings Plan's negation outweighs its usage).
    #[serde(deserialize_with = "crate::money::signed")]
    pub monthly_usd: Usd,
    /// What it cost on each basis of an imported bill (a service on a billing export).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_basis: Option<CostBases>,
}

impl Addon {
    /// An add-on at a monthly price.
    pub fn new(name: impl Into<String>, plan: impl Into<String>, monthly_usd: Usd) -> Self {
        Addon { name: name.into(), plan: plan.into(), monthly_usd, by_basis: None }
    }
}

/// One EC2 instance of a current fleet.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Instance id.
    pub id: String,
    /// Instance type.
    pub instance_type: String,
    /// State, e.g. `running`.
    pub state: String,
    /// Availability zone.
    pub az: String,
    /// 95th percentile CPU utilization, percent, when metrics were imported.
    #[serde(default)]
    pub cpu_p95_pct: Option<f64>,
    /// The `Name` tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The group it belongs to (auto-scaling group, or the Name tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `PlatformDetails`, e.g. `Linux/UNIX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Launch time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_time: Option<String>,
    /// 95th percentile memory utilization, percent (CloudWatch agent `mem_used_percent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_p95_pct: Option<f64>,
    /// Cost per month: as billed when a billing export priced it, else on demand from the
    /// catalog, when the type is priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_usd: Option<Usd>,
    /// Where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// What it cost on each basis of an imported bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_basis: Option<CostBases>,
    /// Hours it ran in the billing month, when a billing export says (fewer than the month's
    /// hours: it ran part of the month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// Its region, when a billing export says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The cloud it runs on when not AWS (`Microsoft`, `Google Cloud`), from a FOCUS export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

/// A problem met while importing: where, and what.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The file it concerns.
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<u64>,
    /// What happened.
    pub message: String,
}
