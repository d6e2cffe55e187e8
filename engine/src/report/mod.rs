//! The JSON report: a public contract; fields are only ever added.
//!
//! [`Report`] is here; its parts each have a module: today's bill ([`Current`]), cost lines and
//! their meters, each option with its plan, cost of ownership and what-ifs, the regions and
//! generations matrices, add-on moves and the price sources.

mod addon;
mod compare;
mod cost;
mod current;
mod option;
mod plan;
mod source;
mod tco;
mod usage;
mod whatif;

pub use addon::AddonMove;
pub use compare::{GenerationCell, GenerationComparison, RegionCell, RegionComparison};
pub use cost::{CostGroup, CostLine};
pub use current::Current;
pub use option::{ModelCost, OptionEstimate, ProfileSummary, RightSizing};
pub use plan::{
    AlternativePlan, FargateTasks, NodeCount, NodePlacement, NodeShape, PlacedReplicas, ProcessRequest, Utilization,
};
pub(crate) use source::push_source;
pub use source::SourceLine;
pub use tco::{Tco, TcoMonth, TcoTotal};
pub use usage::{Meter, Usage};
pub use whatif::{Band, Sensitivity, UncertainFigure};

use crate::scenario::Assumptions;
use serde::{Deserialize, Serialize};

/// The outcome of an estimate: the current cost and each AWS option side by side.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always `USD`.
    pub currency: String,
    /// Hours in the month every monthly figure assumes.
    pub hours_per_month: u32,
    /// What the estate costs today.
    pub current: Current,
    /// Each target platform's estimate.
    pub options: Vec<OptionEstimate>,
    /// Every price the figures rest on, with its source and date.
    pub sources: Vec<SourceLine>,
    /// The catalog snapshot's date.
    pub catalog_as_of: String,
    /// The oldest price date in the catalog; warn when it is over 90 days old.
    pub oldest_price_as_of: String,
    /// The assumptions the estimate was made under.
    pub assumptions: Assumptions,
    /// Things the reader should know about the figures.
    pub warnings: Vec<String>,
    /// Every uncertain figure the estimate used, with its range and source: labelled as an
    /// assumption wherever it shows.
    #[serde(default)]
    pub uncertain: Vec<UncertainFigure>,
    /// Heroku Postgres and Key-Value Store plans, where each goes on AWS and what it costs
    /// there (the same in every option).
    #[serde(default)]
    pub addon_moves: Vec<AddonMove>,
    /// What each replica of each process asks, as the plans placed it (the scenario's sizing
    /// policy applied), so a reader can split a node's use between its processes.
    #[serde(default)]
    pub requests: Vec<ProcessRequest>,
    /// Each region estimated, in order: its targets' monthly totals side by side (the cheapest
    /// region of each target marked) and the scenario's candidate types it has no price for.
    #[serde(default)]
    pub regions: Vec<RegionComparison>,
    /// The node plan of each target on each generation family group, in the first region
    /// (`compare_generations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generations: Vec<GenerationComparison>,
}

impl Report {
    /// The option that saves the most over 36 months (or loses the least), cost of ownership
    /// included: migration, parallel running and operations effort. Moving is recommended when
    /// its 36-month savings are above zero; otherwise staying costs least. The executive
    /// summaries of the page and the exports name it.
    pub fn best_option(&self) -> Option<&OptionEstimate> {
        self.options
            .iter()
            .reduce(|best, o| if o.tco.months_36.savings_usd > best.tco.months_36.savings_usd { o } else { best })
    }
}
