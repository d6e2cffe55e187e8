//! Replicas and the nodes that hold them, as every packer and bound sees them.

use super::allocatable::Allocatable;
use crate::sizing::Request;

/// Replicas of one process that all ask the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaGroup {
    /// What each replica asks.
    pub request: Request,
    /// How many replicas.
    pub replicas: u32,
}

/// One node and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedNode {
    /// Zone index.
    pub zone: u32,
    /// Requested CPU (millicores) and memory (MiB) of what it holds, and the replica count.
    pub used: Allocatable,
    /// Replicas by group index: (group, count).
    pub items: Vec<(usize, u32)>,
    /// Whether it holds one replica larger than the headroom allows, alone.
    pub alone: bool,
}

impl PackedNode {
    /// A node holding nothing yet.
    pub(crate) fn empty(zone: u32) -> PackedNode {
        PackedNode {
            zone,
            used: Allocatable { cpu_millicores: 0, memory_mib: 0, pods: 0 },
            items: Vec::new(),
            alone: false,
        }
    }

    /// Whether one more `r` fits within `cap`.
    pub fn fits(&self, r: Request, cap: Allocatable) -> bool {
        !self.alone
            && self.used.cpu_millicores + r.cpu_millicores <= cap.cpu_millicores
            && self.used.memory_mib + r.memory_mib <= cap.memory_mib
            && self.used.pods < cap.pods
    }

    /// A node holding one replica of `group`.
    pub fn single(zone: u32, group: usize, r: Request) -> PackedNode {
        let mut node = PackedNode::empty(zone);
        node.add(group, r, 1);
        node
    }

    /// Takes one replica of `group` away; `None` when the node holds none, else whether it
    /// still holds any replica.
    pub fn remove_one(&mut self, group: usize, r: Request) -> Option<bool> {
        let i = self.items.iter().position(|&(g, n)| g == group && n > 0)?;
        self.used.cpu_millicores -= r.cpu_millicores;
        self.used.memory_mib -= r.memory_mib;
        self.used.pods -= 1;
        self.items[i].1 -= 1;
        if self.items[i].1 == 0 {
            self.items.remove(i);
        }
        Some(!self.items.is_empty())
    }

    /// Adds `count` replicas of group `group`.
    pub fn add(&mut self, group: usize, r: Request, count: u32) {
        self.used.cpu_millicores += r.cpu_millicores * count;
        self.used.memory_mib += r.memory_mib * count;
        self.used.pods += count;
        match self.items.iter_mut().find(|(g, _)| *g == group) {
            Some((_, n)) => *n += count,
            None => self.items.push((group, count)),
        }
    }
}

/// What two uses come to together.
pub(crate) fn plus(a: Allocatable, b: Allocatable) -> Allocatable {
    Allocatable {
        cpu_millicores: a.cpu_millicores + b.cpu_millicores,
        memory_mib: a.memory_mib + b.memory_mib,
        pods: a.pods + b.pods,
    }
}

/// What `k` replicas asking `r` use of a node.
pub(crate) fn times(r: Request, k: u32) -> Allocatable {
    Allocatable { cpu_millicores: r.cpu_millicores * k, memory_mib: r.memory_mib * k, pods: k }
}
