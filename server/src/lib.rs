//! The `tco` server and command line: importers, the JSON API, and serving the front end.
//! The cost model lives in `tco-engine`; this crate is its edges.

pub mod app;
pub mod catalog;
pub mod cli;
pub mod crosscheck;
pub mod document;
pub mod error;
pub mod export;
pub mod import;
pub mod listener;
pub mod pool;
pub mod pricing;
pub mod routes;
pub mod sample;
pub mod security;
pub mod state;
pub mod store;
pub mod table;
pub mod telemetry;

pub use app::build_app;
pub use state::AppState;

pub use listener::serve;
