//! Stateless, documented pieces of the page.

pub mod appendix;
pub mod architectures;
pub mod assumptions;
pub mod autoscaling;
pub mod breakdown;
pub mod charts;
pub mod discounts;
pub mod explorer;
pub mod export;
pub mod fields;
pub mod import;
pub mod nodes;
pub mod packing_picture;
pub mod people;
pub mod presentation;
pub mod pricing_models;
pub mod processes;
pub mod profile;
pub mod sensitivity;
pub mod services;
pub mod sizing_policy;
pub mod sources;
pub mod summary;
pub mod tco;
pub mod utilization;
