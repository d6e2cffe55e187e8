//! The scenario document: workloads plus the assumptions an estimate is made under.
//! A public contract; assumptions default so that `{}` is a valid set.

use crate::money::HOURS_PER_MONTH;
use crate::workload::Workloads;
use serde::{Deserialize, Serialize};

/// What `POST /api/estimate` takes and `tco estimate --scenario` reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// A name for people.
    #[serde(default)]
    pub name: String,
    /// The imported estate.
    pub workloads: Workloads,
    /// The assumptions; every one has a default.
    #[serde(default)]
    pub assumptions: Assumptions,
}

/// A target platform on AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Platform {
    /// ECS with the EC2 launch type: pay for the nodes only.
    #[serde(rename = "ecs-ec2")]
    EcsEc2,
    /// EKS managed node groups: nodes plus the control-plane fee.
    #[serde(rename = "eks-ec2")]
    EksEc2,
}

impl Platform {
    /// The contract name, e.g. `ecs-ec2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::EcsEc2 => "ecs-ec2",
            Platform::EksEc2 => "eks-ec2",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Platform::EcsEc2 => "ECS on EC2",
            Platform::EksEc2 => "EKS on EC2",
        }
    }
}

/// Everything an estimate assumes, each with a documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assumptions {
    /// AWS region of the target.
    pub region: String,
    /// Hours in a billing month.
    pub hours_per_month: u32,
    /// Availability zones to spread replicas and nodes over.
    pub availability_zones: u32,
    /// Platforms to estimate.
    pub targets: Vec<Platform>,
    /// Instance types the node plan may choose from (one type per plan).
    pub instance_types: Vec<String>,
    /// CPU request per Heroku compute unit for Cedar dynos, millicores. Heroku publishes a
    /// compute multiplier, not vCPUs; 160 m per unit makes Performance-L (50x) 8 vCPUs and
    /// Standard-1X (1x) 160 m. An assumption: edit it when you know better.
    pub millicores_per_compute_unit: u32,
    /// Memory an ECS container instance keeps from tasks (OS and agent), MiB
    /// (`ECS_RESERVED_MEMORY`; the ECS docs use 256 in their example).
    pub ecs_reserved_memory_mib: u32,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            region: "us-east-1".into(),
            hours_per_month: HOURS_PER_MONTH,
            availability_zones: 3,
            targets: vec![Platform::EcsEc2, Platform::EksEc2],
            instance_types: DEFAULT_INSTANCE_TYPES.iter().map(|s| s.to_string()).collect(),
            millicores_per_compute_unit: 160,
            ecs_reserved_memory_mib: 256,
        }
    }
}

/// The short candidate list the node plan chooses from by default: current-generation
/// general purpose, compute and memory optimized x86 types from large to 4xlarge.
pub const DEFAULT_INSTANCE_TYPES: &[&str] = &[
    "c5.large",
    "c5.xlarge",
    "c5.2xlarge",
    "c5.4xlarge",
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "m5.4xlarge",
    "r5.large",
    "r5.xlarge",
    "r5.2xlarge",
    "r5.4xlarge",
    "c6i.large",
    "c6i.xlarge",
    "c6i.2xlarge",
    "c6i.4xlarge",
    "m6i.large",
    "m6i.xlarge",
    "m6i.2xlarge",
    "m6i.4xlarge",
    "r6i.large",
    "r6i.xlarge",
    "r6i.2xlarge",
];
