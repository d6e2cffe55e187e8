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

/// Serves the app on an already bound listener until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, build_app(state)).with_graceful_shutdown(shutdown).await
}
