//! The packing picture's layout as plain functions, tested without a browser: which nodes are
//! drawn (zone by zone, up to a cap), how full each is, and how that fill splits between the
//! processes on it. The fill is the engine's requested over allocatable; the split uses each
//! process's per-replica request, because a placement lists replica counts, not sizes.

use std::collections::BTreeMap;
use tco_engine::report::{NodePlacement, ProcessRequest};
use tco_engine::sizing::Request;

/// Nodes drawn per option at most; the rest are counted ("and N more").
pub const MAX_DRAWN: usize = 60;

/// What the bars measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dimension {
    /// CPU requested over allocatable.
    #[default]
    Cpu,
    /// Memory requested over allocatable.
    Memory,
}

impl Dimension {
    /// A label for the switch.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Cpu => "CPU",
            Dimension::Memory => "Memory",
        }
    }

    fn of(self, r: Request) -> f64 {
        match self {
            Dimension::Cpu => f64::from(r.cpu_millicores),
            Dimension::Memory => f64::from(r.memory_mib),
        }
    }

    fn requested_and_allocatable(self, n: &NodePlacement) -> (f64, f64) {
        match self {
            Dimension::Cpu => (f64::from(n.cpu_requested_millicores), f64::from(n.cpu_allocatable_millicores)),
            Dimension::Memory => (f64::from(n.memory_requested_mib), f64::from(n.memory_allocatable_mib)),
        }
    }
}

/// Each process's per-replica request by `app/process`, as the report says the plans placed it.
pub fn requests(planned: &[ProcessRequest]) -> BTreeMap<String, Request> {
    planned
        .iter()
        .map(|r| (r.process.clone(), Request { cpu_millicores: r.cpu_millicores, memory_mib: r.memory_mib }))
        .collect()
}

/// Processes in the order they first appear on the nodes: their colour index.
pub fn process_order(placements: &[NodePlacement]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for r in placements.iter().flat_map(|n| &n.replicas) {
        if !order.contains(&r.process) {
            order.push(r.process.clone());
        }
    }
    order
}

/// One process's part of a node bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Its colour index in [`process_order`].
    pub colour: usize,
    /// `app/process`.
    pub process: String,
    /// Replicas on the node.
    pub count: u32,
    /// Share of the node's allocatable, 0..1.
    pub share: f64,
}

/// How full a node is (0..1, the engine's requested over allocatable) and its parts, which sum
/// to the fill.
pub fn parts(
    node: &NodePlacement,
    dim: Dimension,
    requests: &BTreeMap<String, Request>,
    order: &[String],
) -> (f64, Vec<Part>) {
    let (requested, allocatable) = dim.requested_and_allocatable(node);
    let fill = if allocatable > 0.0 { (requested / allocatable).clamp(0.0, 1.0) } else { 0.0 };
    let weight =
        |process: &str, count: u32| requests.get(process).map(|r| dim.of(*r)).unwrap_or(0.0) * f64::from(count);
    let total: f64 = node.replicas.iter().map(|r| weight(&r.process, r.count)).sum();
    let replicas: u32 = node.replicas.iter().map(|r| r.count).sum();
    let parts = node
        .replicas
        .iter()
        .map(|r| {
            // Without a known request (a process renamed since), split by replica count.
            let of_total = if total > 0.0 {
                weight(&r.process, r.count) / total
            } else {
                f64::from(r.count) / f64::from(replicas.max(1))
            };
            Part {
                colour: order.iter().position(|p| *p == r.process).unwrap_or(0),
                process: r.process.clone(),
                count: r.count,
                share: fill * of_total,
            }
        })
        .collect();
    (fill, parts)
}

/// The nodes drawn, grouped by zone in zone order (indices into `placements`), and how many
/// were left out to stay within `cap`.
pub fn drawn_by_zone(placements: &[NodePlacement], cap: usize) -> (Vec<(u32, Vec<usize>)>, usize) {
    let mut indices: Vec<usize> = (0..placements.len()).collect();
    indices.sort_by_key(|i| placements[*i].zone);
    let hidden = indices.len().saturating_sub(cap);
    let mut zones: Vec<(u32, Vec<usize>)> = Vec::new();
    for i in indices.into_iter().take(cap) {
        let zone = placements[i].zone;
        match zones.last_mut() {
            Some((z, list)) if *z == zone => list.push(i),
            _ => zones.push((zone, vec![i])),
        }
    }
    (zones, hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::report::PlacedReplicas;

    fn node(zone: u32, cpu: u32, replicas: &[(&str, u32)]) -> NodePlacement {
        NodePlacement {
            zone,
            instance_type: "c5.xlarge".into(),
            spot: false,
            cpu_requested_millicores: cpu,
            memory_requested_mib: 0,
            cpu_allocatable_millicores: 4000,
            memory_allocatable_mib: 7936,
            replicas: replicas.iter().map(|(p, c)| PlacedReplicas { process: p.to_string(), count: *c }).collect(),
        }
    }

    #[test]
    fn parts_split_the_engine_fill_by_request() {
        let requests = BTreeMap::from([
            ("shop/web".to_string(), Request { cpu_millicores: 320, memory_mib: 1024 }),
            ("shop/worker".to_string(), Request { cpu_millicores: 1920, memory_mib: 2560 }),
        ]);
        // 2 web (640 m) and 1 worker (1,920 m) = 2,560 m of 4,000 m
        let n = node(0, 2560, &[("shop/web", 2), ("shop/worker", 1)]);
        let order = process_order(std::slice::from_ref(&n));
        let (fill, parts) = parts(&n, Dimension::Cpu, &requests, &order);
        assert!((fill - 0.64).abs() < 1e-9);
        assert!((parts[0].share - 0.16).abs() < 1e-9 && (parts[1].share - 0.48).abs() < 1e-9, "{parts:?}");
        assert_eq!((parts[0].colour, parts[1].colour), (0, 1));
        // Unknown requests split by replica count, still summing to the fill.
        let (_, by_count) = super::parts(&n, Dimension::Cpu, &BTreeMap::new(), &order);
        assert!((by_count.iter().map(|p| p.share).sum::<f64>() - 0.64).abs() < 1e-9);
    }

    #[test]
    fn nodes_are_drawn_by_zone_up_to_the_cap() {
        let nodes: Vec<NodePlacement> = [1, 0, 2, 0, 1].iter().map(|z| node(*z, 100, &[("a/web", 1)])).collect();
        let (zones, hidden) = drawn_by_zone(&nodes, 4);
        assert_eq!(zones, vec![(0, vec![1, 3]), (1, vec![0, 4])]);
        assert_eq!(hidden, 1);
        assert_eq!(drawn_by_zone(&nodes, MAX_DRAWN).1, 0);
    }
}
