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
//! What this crate does not do: read files or talk to AWS or Heroku (the server and
//! `tco-pricing-data` do), or know today's date (callers pass it when they warn about age).
#![deny(missing_docs)]

pub mod age;
pub mod bill;
pub mod bound;
pub mod catalog;
pub mod cover;
pub mod current;
pub mod estimate;
pub mod explore;
pub mod fargate;
pub mod format;
pub mod managed;
pub mod mixed;
pub mod money;
pub mod node;
pub mod packing;
pub mod patterns;
pub mod plan;
pub mod profile;
pub mod purchase;
pub mod repack;
pub mod report;
pub mod scenario;
pub mod sizing;
pub mod supporting;
pub mod tco;
pub mod workload;

pub use catalog::Catalog;
pub use estimate::{estimate, EstimateError};
pub use money::{Usd, HOURS_PER_MONTH};
pub use report::Report;
pub use scenario::{Assumptions, HoursSizing, People, Platform, PricingModel, Scenario, SizingPolicy, Supporting};
pub use workload::Workloads;
