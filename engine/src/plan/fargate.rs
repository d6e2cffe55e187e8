//! Fargate targets, instead of every node stage: each task is sized on its own. Task sizes: a request is rounded up to the smallest valid CPU and memory pair,
//! because Fargate bills the task size, not what the container asks.

use super::compute_plan::{ComputePlan, TaskSize, Tasks};
use super::demand::Demand;
use crate::error::EstimateError;
use crate::scenario::Platform;
use crate::sizing::Request;

/// Memory EKS on Fargate adds to a pod's request for the kubelet, kube-proxy and
/// containerd before it picks a size (EKS user guide, "Fargate pod configuration").
pub const EKS_FARGATE_OVERHEAD_MIB: u32 = 256;

/// The valid CPU values with their memory range and step, MiB (ECS task definition
/// parameters, "Task size"; EKS Fargate uses the same table).
const SIZES: [(u32, u32, u32, u32); 7] = [
    (250, 512, 2048, 512),
    (500, 1024, 4096, 1024),
    (1000, 2048, 8192, 1024),
    (2000, 4096, 16384, 1024),
    (4000, 8192, 30720, 1024),
    (8000, 16384, 61440, 4096),
    (16000, 32768, 122880, 8192),
];

/// The smallest (cheapest) valid size holding `request`; `None` above 16 vCPU or 120 GiB.
/// At 0.25 vCPU the valid memories are 512, 1024 and 2048 MiB.
pub fn task_size(request: Request) -> Option<TaskSize> {
    SIZES.iter().filter(|(cpu, ..)| *cpu >= request.cpu_millicores).find_map(|&(cpu, min, max, step)| {
        let memory = if request.memory_mib <= min {
            min
        } else if cpu == 250 {
            // 0.25 vCPU takes 512 MiB, 1 GB or 2 GB only.
            [1024, 2048].into_iter().find(|m| *m >= request.memory_mib)?
        } else {
            min + (request.memory_mib - min).div_ceil(step) * step
        };
        (memory <= max).then_some(TaskSize { cpu_millicores: cpu, memory_mib: memory })
    })
}

/// Fargate tasks for each process, each rounded up to a valid task size.
pub(super) fn plan<'c>(platform: Platform, demands: &[Demand]) -> Result<ComputePlan<'c>, EstimateError> {
    let mut tasks = Vec::new();
    for d in demands.iter().filter(|d| d.replicas > 0) {
        let mut request = d.request;
        if platform == Platform::EksFargate {
            request.memory_mib += EKS_FARGATE_OVERHEAD_MIB;
        }
        let size = task_size(request).ok_or_else(|| EstimateError::FitsNowhere {
            app: d.app.into(),
            process: d.process.into(),
            cpu_millicores: d.request.cpu_millicores,
            memory_mib: d.request.memory_mib,
        })?;
        tasks.push(Tasks { serves: format!("{}/{}", d.app, d.process), size, replicas: d.replicas });
    }
    Ok(ComputePlan { tasks, ..ComputePlan::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(cpu: u32, mem: u32) -> Option<(u32, u32)> {
        task_size(Request { cpu_millicores: cpu, memory_mib: mem }).map(|t| (t.cpu_millicores, t.memory_mib))
    }

    #[test]
    fn requests_round_up_to_the_next_valid_pair() {
        // Standard-1X: 160 m, 512 MiB → 0.25 vCPU, 512 MiB
        assert_eq!(size(160, 512), Some((250, 512)));
        // Standard-2X: 320 m, 1024 MiB → 0.5 vCPU, 1 GB
        assert_eq!(size(320, 1024), Some((500, 1024)));
        // 0.25 vCPU allows 512/1024/2048: 1500 MiB → 2048
        assert_eq!(size(200, 1500), Some((250, 2048)));
        // memory beyond 0.25 vCPU's range moves CPU up: 3 GB needs 0.5 vCPU
        assert_eq!(size(200, 3072), Some((500, 3072)));
        // Performance-L: 8000 m, 14336 MiB → 8 vCPU's minimum 16 GB
        assert_eq!(size(8000, 14336), Some((8000, 16384)));
        // 8 vCPU steps by 4 GB: 17 GB → 20 GB
        assert_eq!(size(8000, 17408), Some((8000, 20480)));
    }

    #[test]
    fn larger_than_the_largest_task_has_no_size() {
        assert_eq!(size(16001, 1024), None);
        assert_eq!(size(16000, 122881), None);
    }
}
