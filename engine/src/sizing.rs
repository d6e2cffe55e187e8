//! Container requests derived from what a process runs on today.

use crate::catalog::DynoSize;
use crate::scenario::Assumptions;
use crate::workload::Measured;
use serde::{Deserialize, Serialize};

/// What one replica asks of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// CPU, millicores.
    pub cpu_millicores: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
}

/// Total CPU (millicores) and memory (MiB) of `count` replicas of each request.
pub fn total(items: impl IntoIterator<Item = (Request, u32)>) -> (u64, u64) {
    items.into_iter().fold((0, 0), |(c, m), (r, n)| {
        let n = u64::from(n);
        (c + u64::from(r.cpu_millicores) * n, m + u64::from(r.memory_mib) * n)
    })
}

/// The request of a replica sized like its Heroku dyno: memory is the dyno's RAM; CPU is its
/// dedicated vCPUs (Fir sizes) or its compute share times the per-unit assumption (Cedar).
pub fn request_for_dyno(size: &DynoSize, assumptions: &Assumptions) -> Request {
    let cpu_millicores = match (size.vcpu, size.compute_units) {
        (Some(vcpu), _) => vcpu * 1000,
        (None, Some(units)) => units * assumptions.millicores_per_compute_unit,
        // The catalog refuses sizes with neither; a zero request would be a silent lie.
        (None, None) => unreachable!("catalog validation guarantees vCPU or compute units"),
    };
    Request { cpu_millicores, memory_mib: size.memory_mib }
}

/// The request of a replica sized from what it was measured to use: memory is the p95 RSS
/// times the headroom, CPU the p95 load average (one runnable thread = 1000 m), each no less
/// than its floor, both rounded up.
pub fn request_from_measured(m: &Measured, assumptions: &Assumptions) -> Request {
    let h =
        if assumptions.sizing_memory_headroom.is_finite() { assumptions.sizing_memory_headroom.max(1.0) } else { 1.0 };
    let memory = (m.memory_mib_p95 * h).ceil().max(0.0) as u32;
    let cpu = (m.cpu_load_p95 * 1000.0).ceil().max(0.0) as u32;
    Request {
        cpu_millicores: cpu.max(assumptions.sizing_min_cpu_millicores),
        memory_mib: memory.max(assumptions.sizing_min_memory_mib),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Provenance;

    fn size(name: &str, memory_mib: u32, vcpu: Option<u32>, compute_units: Option<u32>) -> DynoSize {
        DynoSize {
            name: name.into(),
            generation: "cedar".into(),
            aliases: vec![],
            memory_mib,
            vcpu,
            compute_units,
            dedicated: false,
            dyno_units: None,
            usd_per_month: None,
            provenance: Provenance { source: "test".into(), as_of: "2026-01-01".into() },
        }
    }

    #[test]
    fn cedar_dyno_cpu_is_its_compute_share_times_the_per_unit_assumption() {
        let a = Assumptions::default();
        // Standard-2X: 2 units × 160 m = 320 m; memory 1 GB = 1024 MiB
        let r = request_for_dyno(&size("Standard-2X", 1024, None, Some(2)), &a);
        assert_eq!(r, Request { cpu_millicores: 320, memory_mib: 1024 });
        // Performance-L: 50 × 160 m = 8000 m = 8 vCPU; 14 GB = 14336 MiB
        let r = request_for_dyno(&size("Performance-L", 14336, None, Some(50)), &a);
        assert_eq!(r, Request { cpu_millicores: 8000, memory_mib: 14336 });
    }

    #[test]
    fn fir_dyno_cpu_is_its_named_vcpus() {
        let r = request_for_dyno(&size("dyno-2c-4gb", 4096, Some(2), None), &Assumptions::default());
        assert_eq!(r, Request { cpu_millicores: 2000, memory_mib: 4096 });
    }

    #[test]
    fn measured_requests_take_p95_with_headroom_and_floors() {
        let m = Measured { memory_quota_mib: Some(1024.0), ..Measured::new(300.0, 410.0, 500.0, 0.33, 100) };
        // 410 × 1.25 = 512.5 → 513 MiB; 0.33 × 1000 = 330 m
        let r = request_from_measured(&m, &Assumptions::default());
        assert_eq!(r, Request { cpu_millicores: 330, memory_mib: 513 });
        // an idle process gets the floors: 100 m, 256 MiB
        let idle = Measured { memory_mib_p95: 40.0, cpu_load_p95: 0.01, ..m };
        assert_eq!(
            request_from_measured(&idle, &Assumptions::default()),
            Request { cpu_millicores: 100, memory_mib: 256 }
        );
    }

    #[test]
    fn the_per_unit_assumption_is_editable() {
        let a = Assumptions { millicores_per_compute_unit: 250, ..Assumptions::default() };
        let r = request_for_dyno(&size("Standard-1X", 512, None, Some(1)), &a);
        assert_eq!(r.cpu_millicores, 250);
    }
}
