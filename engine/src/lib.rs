//! The cost engine: from workloads, a price catalog and assumptions to a side-by-side report.
//!
//! ```
//! use tco_engine::{estimate, Scenario};
//! # fn demo(catalog: &tco_engine::Catalog) {
//! let report = estimate(&Scenario::default(), catalog).unwrap();
//! assert_eq!(report.currency, "USD");
//! # }
//! ```
//!
//! It is pure: no I/O, no clock, no environment, no async. It builds for the host and for
//! wasm32, so the browser, the API and the CLI compute the same figures.
//!
//! One estimate, in order ([`estimate()`] walks it; `engine/README.md` follows it file by file):
//! the scenario bounded ([`limits`]) and checked; today's bill ([`current`]); what the planner
//! places ([`sizing`], [`profile`]); then in each region, databases and caches moved
//! ([`managed`]) and for each target its plan ([`plan`], whose module lists its stages, on the node types of [`node`], with
//! every tuning constant in [`effort`]), its price under every model, its lower bound
//! ([`bound`]), cost of ownership and what-ifs; the regions and generations side by side; and
//! the [`report`].
//!
//! What this crate does not do: read files or talk to AWS or Heroku (the server and
//! `tco-pricing-data` do), or know today's date (callers pass it when they warn about age).
#![deny(missing_docs)]

pub mod age;
pub mod bill;
pub mod bound;
pub mod catalog;
pub mod current;
pub mod effort;
pub mod error;
pub mod estimate;
pub mod explore;
pub mod format;
pub mod limits;
pub mod managed;
pub mod money;
pub mod node;
pub mod plan;
pub mod profile;
pub(crate) mod purchase;
pub mod report;
pub mod scenario;
pub mod sizing;
pub(crate) mod stand_in;
pub(crate) mod supporting;
pub(crate) mod tco;
pub mod totals;
pub mod workload;

pub use catalog::Catalog;
pub use error::EstimateError;
pub use estimate::estimate;
pub use money::{Usd, HOURS_PER_MONTH};
pub use report::Report;
pub use scenario::{Assumptions, HoursSizing, People, Platform, PricingModel, Scenario, SizingPolicy, Supporting};
pub use workload::Workloads;
