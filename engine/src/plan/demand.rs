//! What the planner places: one process's replicas and what each asks.

use crate::node::ReplicaGroup;
use crate::sizing::Request;

/// One process's replicas as the planner sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand<'w> {
    /// App name.
    pub app: &'w str,
    /// Process name.
    pub process: &'w str,
    /// What each replica asks.
    pub request: Request,
    /// Replicas.
    pub replicas: u32,
    /// Whether it may run on spot capacity.
    pub interruption_tolerant: bool,
}

impl Demand<'_> {
    /// Its replicas and what each asks, as the packers and the bound take them.
    pub fn group(&self) -> ReplicaGroup {
        ReplicaGroup { request: self.request, replicas: self.replicas }
    }
}
