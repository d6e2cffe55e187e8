//! Every tuning constant of the planner and the bounds, in one place, each with why it has its
//! value. They trade time for plans closer to the bound; the figures behind them are in
//! `engine/benches/README.md` (the benchmark and the gap study). None changes what a plan may
//! be (every replica placed, capacity, zone spread); only how hard the stages look.

// Single-type packing.

/// At most this many single types are packed per pool, cheapest per-type bound first: the
/// bound orders types well, so the best single type is almost always among the first few, and
/// packing stays cheap on a catalog of hundreds of similar types.
pub const SINGLE_TYPES_PACKED: usize = 12;

/// Single-type plans kept per pool, to show what else would do: a handful is what a reader
/// compares; more is noise.
pub const ALTERNATIVES: usize = 5;

// Mixed packing.

/// Steps of the local search around each zone's best valuation of a mixed pool: four steps
/// recover most of what searching longer finds on large pools, where packing dominates time.
pub const VALUATION_STEPS: usize = 4;

/// Pools of at most this many replicas pack quickly, so they search longer and try three zone
/// spreads: small estates are where whole nodes leave the most room between a plan and the
/// bound.
pub const SMALL_POOL_REPLICAS: u32 = 2_000;

/// Steps of the valuation search for a small pool.
pub const VALUATION_STEPS_SMALL: usize = 16;

// Zone spread and split.

/// Pools of at most this many replicas also search the zone split (single extra replicas moved
/// between zones) and are covered with node patterns: both try pairs of zones per process, so
/// their cost grows with the pool; past a few hundred replicas each zone holds many nodes and
/// the split moves little.
pub const SPLIT_SEARCH_REPLICAS: u32 = 300;

/// Passes over the processes the split search makes at most: moves rarely continue past the
/// third pass.
pub const SPLIT_PASSES: usize = 4;

/// Passes of the split search on covered zones at most: each pass re-covers two zones per move
/// tried, dearer than a greedy repack, and a second pass finds little.
pub const COVER_SPLIT_PASSES: usize = 2;

// Mending.

/// Zones of more nodes than this are left as packed: each move tries every pair of nodes, and
/// on a large zone the tail the moves mend is a small part of the cost.
pub const MEND_MAX_NODES: usize = 64;

/// Cheaper types a node may shrink to, the dearest of them first (the smallest step down moves
/// the fewest replicas); six covers the next sizes of the common families.
pub const MEND_SHRINK_TYPES: usize = 6;

// Covering zones with node patterns.

/// Branches opened per zone before the cover search settles for the best cover found: enough
/// to close the search on zones of a few nodes, which is where covering pays.
pub const COVER_STEPS: usize = 4_000;

/// Branches opened when a zone is covered with the pool's patterns and prices (inside the
/// split search, where it runs once per move tried).
pub const COVER_QUICK_STEPS: usize = 1_000;

/// How hard column generation works: rounds at most, and search steps of one knapsack before
/// it settles for an upper bound (which keeps the bound sound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnGeneration {
    /// Rounds of column generation at most.
    pub rounds: usize,
    /// Steps of one knapsack search.
    pub knapsack_steps: usize,
}

/// Column generation for a pool's cover: prices good enough to prune by and the patterns they
/// favour, not the last fraction of the bound.
pub const COVER_POOL_GENERATION: ColumnGeneration = ColumnGeneration { rounds: 10, knapsack_steps: 2_000 };

/// Column generation for one zone, starting from the pool's patterns: a few rounds fit them
/// to the zone.
pub const COVER_ZONE_GENERATION: ColumnGeneration = ColumnGeneration { rounds: 3, knapsack_steps: 2_000 };

// Bounds.

/// Distinct requests beyond this many are not bounded with node patterns (nor covered): the
/// knapsacks grow with them, and large estates are near their CPU and memory bound anyway.
pub const PATTERN_MAX_ITEMS: usize = 12;

/// Column generation for the reported bound: run to (near) convergence, since the gap shown
/// to users rests on it.
pub const BOUND_GENERATION: ColumnGeneration = ColumnGeneration { rounds: 40, knapsack_steps: 20_000 };

/// Patterns added per round of column generation at most: the types whose best pattern beats
/// its price the most; more per round adds columns the master rarely uses.
pub const PATTERNS_ADDED_PER_ROUND: usize = 6;

/// Request sizes per resource tried as slot-class thresholds by the bound: the few largest,
/// where whole replicas waste the most of a node.
pub const SLOT_THRESHOLDS: usize = 3;
