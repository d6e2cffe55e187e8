//! The stated ranges of the scenario's own assumptions, which the band and the sensitivity move
//! over: CPU per Heroku compute unit, headroom, a spare node per zone and the sizing policy.
//! The catalog's discount and fee assumptions carry their ranges in the catalog; these are the
//! scenario's, labelled here with why each range is what it is.

use crate::catalog::Catalog;
use crate::plan::Demand;
use crate::report::UncertainFigure;
use crate::scenario::{Assumptions, Headroom, SizingPolicy};
use crate::sizing::{request_from_measured, Request};
use crate::workload::Workloads;
use rust_decimal::Decimal;

/// A labelled default range: what it is, its unit, and why it is what it is.
pub(super) struct StatedRange {
    /// The scenario field it ranges over.
    pub id: &'static str,
    pub description: &'static str,
    pub unit: &'static str,
    pub source: &'static str,
    /// The date of the facts the range rests on.
    pub as_of: &'static str,
}

/// CPU per Heroku compute unit: 100 to 240 millicores.
pub(super) const CPU_PER_COMPUTE_UNIT: StatedRange = StatedRange {
    id: "millicores_per_compute_unit",
    description: "CPU per Heroku compute unit (Cedar dynos)",
    unit: "millicores",
    source: "Heroku publishes compute multipliers, not vCPUs (Dev Center \"Dyno Types\": Performance-M 12x, \
             Performance-L 50x, Standard 1x-4x shared). The 160 m default makes Performance-L the 8 cores Heroku \
             gave its PX dyno (2014); 100-240 m spans Performance-L on 5 to 12 vCPUs and Performance-M on 1.2 to 2.9",
    as_of: "2024-06-04",
};
/// Lowest and highest CPU per compute unit, millicores.
const CPU_PER_UNIT_RANGE: (u32, u32) = (100, 240);

/// Headroom: the value set, ten points either way.
pub(super) const HEADROOM: StatedRange = StatedRange {
    id: "headroom",
    description: "Headroom: the share of a node's allocatable the plan fills",
    unit: "fraction",
    source: "this tool's judgement, no published figure: how full nodes stay depends on the scheduler, \
             deploys and the autoscaler's settings; ten points either side of the value set (within 5-100%)",
    as_of: "2026-11-24",
};
/// How far the headroom's range reaches either side of the value set.
const HEADROOM_SPREAD: f64 = 0.1;

/// A range of one assumption, containing the value the scenario sets.
pub(super) struct Range<T> {
    pub low: T,
    pub high: T,
    stated: &'static StatedRange,
}

impl<T: Copy> Range<T> {
    /// The range as the report's uncertain figures list it, with the value used; `d` writes
    /// an end as a decimal.
    pub(super) fn figure(&self, value: T, d: impl Fn(T) -> Decimal) -> UncertainFigure {
        UncertainFigure {
            id: self.stated.id.into(),
            description: self.stated.description.into(),
            value: d(value),
            unit: self.stated.unit.into(),
            low: d(self.low),
            high: d(self.high),
            overridden: false,
            source: self.stated.source.into(),
            as_of: self.stated.as_of.into(),
            region: None,
        }
    }
}

/// CPU per compute unit over 100-240 m, widened to hold the scenario's value.
pub(super) fn cpu_per_compute_unit(a: &Assumptions) -> Range<u32> {
    let m = a.millicores_per_compute_unit;
    Range { low: CPU_PER_UNIT_RANGE.0.min(m), high: CPU_PER_UNIT_RANGE.1.max(m), stated: &CPU_PER_COMPUTE_UNIT }
}

/// The headroom set, ten points either way, within what a headroom may be.
pub(super) fn headroom(a: &Assumptions) -> Range<Headroom> {
    Range { low: a.headroom.shifted(-HEADROOM_SPREAD), high: a.headroom.shifted(HEADROOM_SPREAD), stated: &HEADROOM }
}

/// The scenario's assumptions that decide the plan, as a what-if moves them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Moved {
    pub per_unit: u32,
    pub headroom: Headroom,
    pub spare: bool,
    pub sizing: SizingPolicy,
    /// EC2 instances without imported utilization sized at this percentage of the instance at
    /// its busiest, instead of whole (`None`, as the estimate sizes them).
    pub unmeasured_use_pct: Option<u32>,
}

impl Moved {
    /// The values the scenario sets.
    pub(super) fn of(a: &Assumptions) -> Moved {
        Moved {
            per_unit: a.millicores_per_compute_unit,
            headroom: a.headroom,
            spare: a.spare_node_per_zone,
            sizing: a.sizing,
            unmeasured_use_pct: None,
        }
    }

    /// The assumptions with these values.
    pub(super) fn apply(&self, a: &Assumptions) -> Assumptions {
        Assumptions {
            millicores_per_compute_unit: self.per_unit,
            headroom: self.headroom,
            spare_node_per_zone: self.spare,
            sizing: self.sizing,
            ..a.clone()
        }
    }
}

/// The compute units of the process's dyno size, when it is a Cedar size (a compute
/// multiplier, no vCPU count): its CPU request follows the CPU per compute unit.
fn cedar_units(size: Option<&str>, catalog: &Catalog) -> Option<u32> {
    let d = catalog.dyno_size(size?)?;
    if d.vcpu.is_some() {
        return None;
    }
    d.compute_units
}

/// Running processes on Cedar dyno sizes.
pub(super) fn cedar_processes(w: &Workloads, catalog: &Catalog) -> usize {
    w.apps
        .iter()
        .flat_map(|a| &a.processes)
        .filter(|p| p.replicas > 0 && cedar_units(p.size.as_deref(), catalog).is_some())
        .count()
}

/// Running processes with measured use.
pub(super) fn measured_processes(w: &Workloads) -> usize {
    w.apps.iter().flat_map(|a| &a.processes).filter(|p| p.replicas > 0 && p.measured.is_some()).count()
}

/// The what-if for EC2 instances migrated without imported utilization: each is sized as a
/// whole instance, and this sweep shows how much of the estimate rests on that.
pub(super) const UNMEASURED_USE: StatedRange = StatedRange {
    id: "unmeasured_peak_use",
    description: "Peak use of EC2 instances without imported utilization",
    unit: "% of the instance",
    source: "this tool's judgement, no published figure: a sweep from a quarter to three quarters of each \
             instance at its busiest, against the estimate's whole instance; import CloudWatch metrics for the \
             fleet's own figure",
    as_of: "2026-12-05",
};
/// The sweep's ends, percent of the instance.
pub(super) const UNMEASURED_USE_PCT: (u32, u32) = (25, 75);

/// EC2 instance groups migrated without imported utilization (each sized as a whole instance).
pub(super) fn unmeasured_ec2_processes(w: &Workloads) -> usize {
    crate::current::ec2_processes(w).filter(|p| crate::current::is_unmeasured(p)).count()
}

/// What the planner places under a what-if: each process's request under the moved sizing
/// policy, the CPU of a process on a Cedar dyno scaled as the CPU per compute unit moves from
/// the scenario's value (exactly units × the new value when it was derived from the size), and
/// the replicas as planned (`planned` is in the order of the workloads' processes).
pub(super) fn moved_demands<'w>(
    planned: &[Demand<'w>],
    w: &Workloads,
    catalog: &Catalog,
    a: &Assumptions,
    moved: &Moved,
) -> Vec<Demand<'w>> {
    let processes = w.apps.iter().flat_map(|app| {
        let ec2 = app.source.starts_with(crate::current::EC2_SOURCE);
        app.processes.iter().map(move |p| (ec2, p))
    });
    planned
        .iter()
        .zip(processes)
        .map(|(d, (ec2, p))| {
            let request = match (&p.measured, moved.sizing, moved.unmeasured_use_pct) {
                (Some(m), SizingPolicy::Measured, _) => request_from_measured(m, a),
                // An instance at a share of itself, as if its metrics said so.
                (None, _, Some(pct)) if ec2 => {
                    let share = f64::from(pct) / 100.0;
                    let memory = f64::from(p.memory_mib) * share;
                    let load = f64::from(p.cpu_millicores) / 1000.0 * share;
                    request_from_measured(&crate::workload::Measured::new(memory, memory, memory, load, 1), a)
                }
                _ => {
                    let cpu = match cedar_units(p.size.as_deref(), catalog) {
                        Some(_) if a.millicores_per_compute_unit > 0 => {
                            let scaled = u64::from(p.cpu_millicores) * u64::from(moved.per_unit);
                            let per = u64::from(a.millicores_per_compute_unit);
                            u32::try_from((scaled + per / 2) / per).unwrap_or(u32::MAX)
                        }
                        _ => p.cpu_millicores,
                    };
                    Request { cpu_millicores: cpu, memory_mib: p.memory_mib }
                }
            };
            Demand { request, ..d.clone() }
        })
        .collect()
}
