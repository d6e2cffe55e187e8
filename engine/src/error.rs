//! Why an estimate cannot be made: one error for the whole engine, so the planner and the
//! pricing steps report through the same type without depending on each other.

/// Why an estimate cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstimateError {
    /// The catalog has no prices for the region.
    #[error("region `{region}` has no prices in the catalog (nearest known: {known})")]
    UnknownRegion {
        /// The requested region.
        region: String,
        /// Regions the catalog has.
        known: String,
    },
    /// An allowed instance type the catalog does not know.
    #[error("instance type `{name}` is not in the catalog; nearest: {nearest}")]
    UnknownInstanceType {
        /// The name given.
        name: String,
        /// The nearest known names.
        nearest: String,
    },
    /// None of the allowed instance types has a price in the region.
    #[error("none of the allowed instance types has a price in {region}")]
    NoPricedCandidate {
        /// The region.
        region: String,
    },
    /// A replica is larger than every allowed instance type.
    #[error("{app}/{process}: a replica asking {cpu_millicores} m CPU and {memory_mib} MiB fits on none of the allowed instance types")]
    FitsNowhere {
        /// App name.
        app: String,
        /// Process name.
        process: String,
        /// CPU request, millicores.
        cpu_millicores: u32,
        /// Memory request, MiB.
        memory_mib: u32,
    },
    /// A process with replicas but no CPU or memory request cannot be placed.
    #[error("{app}/{process}: no CPU or memory request (the catalog does not know its size); set its requests")]
    NoRequest {
        /// App name.
        app: String,
        /// Process name.
        process: String,
    },
    /// The allowed instance types run only on architectures the images are not built for.
    #[error("none of the allowed instance types runs {allowed}: {example} is {found}; add `{found}` to `architectures` if the images are built for it")]
    ArchMismatch {
        /// The architectures the images are built for.
        allowed: String,
        /// One of the allowed types.
        example: String,
        /// Its architecture.
        found: String,
    },
    /// A price the target needs is not in the catalog.
    #[error("{platform}: the catalog has no `{id}` price; `tco pricing refresh` fetches it")]
    MissingPrice {
        /// The target.
        platform: String,
        /// The catalog id.
        id: String,
    },
    /// A count or amount of the scenario is over its limit.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitExceeded),
    /// The estimate would do more packing work than its budget allows.
    #[error(
        "this estimate would need about {units} units of packing work, over the budget of {budget} \
         ({targets} node target(s) × {plans} plan(s) each of {replicas} replicas and {distinct} distinct requests); \
         estimate fewer targets or regions at once, turn off compare_generations, plan fewer distinct hours, or \
         merge processes that ask nearly the same"
    )]
    TooMuchWork {
        /// The work counted.
        units: u64,
        /// The budget.
        budget: u64,
        /// Node targets.
        targets: u64,
        /// Plans per node target: in every region, and the generation groups compared.
        plans: u64,
        /// Replicas at the busiest hour.
        replicas: u64,
        /// Distinct requests.
        distinct: u64,
    },
    /// The caller asked the estimate to stop (its deadline passed).
    #[error("the estimate was stopped before it finished: it ran past its deadline")]
    Stopped,
    /// An assumption is out of range.
    #[error("assumption `{name}`: {problem}")]
    InvalidAssumption {
        /// The assumption.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
}
