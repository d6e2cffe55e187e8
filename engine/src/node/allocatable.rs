//! What a node offers to workloads once the orchestrator has taken its share.

use crate::catalog::Shape;
use crate::scenario::{Assumptions, Headroom, Platform};
use serde::{Deserialize, Serialize};

/// Resources a node can give to containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocatable {
    /// CPU, millicores.
    pub cpu_millicores: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// Containers (pods, tasks) per node.
    pub pods: u32,
}

impl Allocatable {
    /// Whether one replica asking `r` fits in this much CPU and memory (pods aside).
    pub fn holds(&self, r: crate::sizing::Request) -> bool {
        r.cpu_millicores <= self.cpu_millicores && r.memory_mib <= self.memory_mib
    }
}

/// The EKS kubelet's CPU reservation: 6% of the first core, 1% of the second, 0.5% of the
/// next two and 0.25% of the rest (amazon-eks-ami nodeadm).
pub fn eks_kube_reserved_cpu_millicores(vcpu: u32) -> u32 {
    let total = u64::from(vcpu) * 1000;
    let ranges = [(0u64, 1000u64, 600u64), (1000, 2000, 100), (2000, 4000, 50), (4000, u64::MAX, 25)];
    let reserved: u64 = ranges
        .iter()
        .filter(|(start, _, _)| total > *start)
        .map(|(start, end, pct)| (total.min(*end) - start) * pct / 10_000)
        .sum();
    reserved as u32
}

/// The EKS kubelet's memory reservation, `11 × max pods + 255` MiB.
pub fn eks_kube_reserved_memory_mib(max_pods: u32) -> u32 {
    11 * max_pods + 255
}

/// The kubelet's hard eviction threshold, `memory.available` 100 MiB.
pub const EKS_EVICTION_MEMORY_MIB: u32 = 100;

/// What a node of this shape offers on `platform`; `None` on EKS when max pods are unknown
/// and on Fargate, which has no nodes.
pub fn allocatable(instance: Shape, platform: Platform, assumptions: &Assumptions) -> Option<Allocatable> {
    let cpu = instance.vcpu * 1000;
    Some(match platform {
        Platform::EksEc2 | Platform::EksAuto => {
            let pods = instance.eks_max_pods?;
            // The DaemonSets' own pods (aws-node, kube-proxy) take two of the max-pods slots.
            Allocatable {
                cpu_millicores: (cpu - eks_kube_reserved_cpu_millicores(instance.vcpu))
                    .saturating_sub(assumptions.eks_daemonset_cpu_millicores),
                memory_mib: instance.memory_mib.saturating_sub(
                    eks_kube_reserved_memory_mib(pods) + EKS_EVICTION_MEMORY_MIB + assumptions.eks_daemonset_memory_mib,
                ),
                pods: pods.saturating_sub(2),
            }
        }
        Platform::Ec2 => Allocatable {
            cpu_millicores: cpu,
            memory_mib: instance.memory_mib.saturating_sub(assumptions.os_reserved_memory_mib),
            pods: u32::MAX,
        },
        Platform::EcsFargate | Platform::EksFargate => return None,
        Platform::EcsEc2 => Allocatable {
            // ECS registers 1024 CPU units per vCPU and reserves none by default.
            cpu_millicores: cpu,
            memory_mib: instance.memory_mib.saturating_sub(assumptions.ecs_reserved_memory_mib),
            // Bridge networking: no per-ENI task limit.
            pods: u32::MAX,
        },
    })
}

/// The part of a node the plan may fill: allocatable CPU and memory times the headroom
/// (the target maximum utilization), rounded down.
pub fn usable(node: Allocatable, headroom: Headroom) -> Allocatable {
    let h = headroom.get();
    Allocatable {
        cpu_millicores: (f64::from(node.cpu_millicores) * h).floor() as u32,
        memory_mib: (f64::from(node.memory_mib) * h).floor() as u32,
        pods: node.pods,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Arch, InstanceType};

    fn c5_2xlarge() -> Shape {
        InstanceType::new("c5.2xlarge", 8, 16, Arch::X86_64, 58).shape().unwrap()
    }

    #[test]
    fn kube_reserved_cpu_matches_the_eks_ami_worked_values() {
        // 1 vCPU: 6% of 1000 = 60 m; 2: +1% of 1000 = 70; 4: +0.5% of 2000 = 80;
        // 8: +0.25% of 4000 = 90; 16: +0.25% of 12000 = 110; 36: 80 + 0.25% of 32000 = 160
        let got: Vec<u32> = [1, 2, 4, 8, 16, 36].iter().map(|v| eks_kube_reserved_cpu_millicores(*v)).collect();
        assert_eq!(got, vec![60, 70, 80, 90, 110, 160]);
    }

    #[test]
    fn eks_c5_2xlarge_allocatable() {
        let a = allocatable(c5_2xlarge(), Platform::EksEc2, &Assumptions::default()).unwrap();
        // CPU 8000 − 90 kube-reserved − 125 DaemonSets = 7785 m; memory 16384 − (11 × 58 +
        // 255 = 893) − 100 = 15391 MiB; pods 58 − 2 DaemonSet pods = 56
        assert_eq!(a, Allocatable { cpu_millicores: 7785, memory_mib: 15391, pods: 56 });
    }

    #[test]
    fn headroom_leaves_a_share_of_the_node_free() {
        let node = Allocatable { cpu_millicores: 7785, memory_mib: 15391, pods: 56 };
        // 80%: 6228 m (6228.0) and 12312 MiB (12312.8 rounded down); pods unchanged
        assert_eq!(usable(node, Headroom::DEFAULT), Allocatable { cpu_millicores: 6228, memory_mib: 12312, pods: 56 });
        assert_eq!(usable(node, Headroom::FULL), node);
    }

    #[test]
    fn ecs_c5_2xlarge_allocatable() {
        let a = allocatable(c5_2xlarge(), Platform::EcsEc2, &Assumptions::default()).unwrap();
        // CPU 8000 m; memory 16384 − 256 = 16128 MiB
        assert_eq!((a.cpu_millicores, a.memory_mib), (8000, 16128));
    }
}
