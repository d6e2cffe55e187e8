//! What an EC2 instance type is, whatever its price: architecture, vCPU, memory and pods, and
//! the shape the packers take from it.

use super::Provenance;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
/// a catalog refuses a price for such a type (see [`Catalog::new`](super::Catalog::new)).
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
    /// [`Catalog::new`](super::Catalog::new) checks that the two agree.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architectures_read_back_their_own_spelling_only() {
        assert_eq!("arm64".parse::<Arch>(), Ok(Arch::Arm64));
        assert_eq!(Arch::X86_64.to_string(), "x86_64");
        assert_eq!("amd64".parse::<Arch>(), Err(UnknownArch("amd64".into())));
    }
}
