//! What every handler shares.

use crate::catalog::ActiveCatalog;
use crate::pool::Deadline;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Shared application state: read-only but for the database behind `store`.
#[derive(Clone)]
pub struct AppState {
    /// The price catalog every estimate uses, and where it came from.
    pub catalog: Arc<ActiveCatalog>,
    /// The built front end (`dist/`), if it has been built.
    pub dist: Option<PathBuf>,
    /// The largest request body accepted, bytes, except on imports.
    pub body_limit_bytes: usize,
    /// The largest import body accepted, bytes (also how far a compressed upload may inflate).
    pub import_limit_bytes: usize,
    /// Files per upload and process types per file.
    pub import_limits: crate::import::Limits,
    /// Saved scenarios and share links; without it those endpoints answer 503.
    pub store: Option<Store>,
    /// When set, the scenario endpoints need `Authorization: Bearer` with this token.
    pub auth_token: Option<Arc<str>>,
    /// Requests handled at once; more wait their turn.
    pub max_concurrency: usize,
    /// How long a request may take before it gets 408.
    pub request_timeout: Duration,
    /// Where and as whom `POST /api/v1/crosscheck` calls AWS's Pricing Calculator (by
    /// default the SDK's credential chain and endpoint overrides).
    pub crosscheck: Arc<crate::crosscheck::Settings>,
    /// Where CPU work (estimates, imports, exports) runs: one worker per core, a bounded queue.
    pub cpu: crate::pool::CpuPool,
    /// How much one estimate may ask for.
    pub limits: tco_engine::limits::Limits,
    /// When set, the only `Host` names served (others get 421).
    pub allowed_hosts: Option<Vec<String>>,
    /// Open connections, silent ones, and the shutdown's deadline.
    pub connections: Connections,
}

impl AppState {
    /// State on the active catalog, serving `dist` if it holds a built front end, with the
    /// default limits and no database.
    pub fn new(dist: Option<PathBuf>) -> Self {
        AppState {
            catalog: Arc::new(ActiveCatalog::embedded()),
            dist: dist.filter(|d| d.join("index.html").is_file()),
            body_limit_bytes: DEFAULT_BODY_LIMIT_BYTES,
            import_limit_bytes: DEFAULT_IMPORT_LIMIT_BYTES,
            import_limits: crate::import::Limits::default(),
            store: None,
            auth_token: None,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            crosscheck: Arc::default(),
            cpu: crate::pool::CpuPool::per_core(DEFAULT_QUEUE),
            limits: tco_engine::limits::Limits::default(),
            allowed_hosts: None,
            connections: Connections::default(),
        }
    }

    /// The same state with saved scenarios in `store`.
    pub fn with_store(mut self, store: Store) -> Self {
        self.store = Some(store);
        self
    }

    /// Runs `job` on the CPU pool with what CPU work needs: the catalog, the limits, and the
    /// request's deadline, which the engine asks between steps.
    pub(crate) async fn cpu<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Work) -> Result<T, crate::error::ApiError> + Send + 'static,
    ) -> Result<T, crate::error::ApiError> {
        let work = Work {
            catalog: self.catalog.clone(),
            limits: self.limits,
            deadline: Deadline::after(self.request_timeout),
        };
        self.cpu.run(move || job(&work)).await?
    }

    /// The store, or the error that says there is none.
    pub(crate) fn store(&self) -> Result<&Store, crate::error::ApiError> {
        self.store.as_ref().ok_or(crate::error::ApiError::NoDatabase)
    }
}

/// What a job on the CPU pool works with.
pub(crate) struct Work {
    /// The catalog.
    pub catalog: Arc<ActiveCatalog>,
    /// How much an estimate may ask for.
    pub limits: tco_engine::limits::Limits,
    /// When the request's time is up.
    pub deadline: Deadline,
}

impl Work {
    /// An estimate within the limits, stopped at the deadline.
    pub fn estimate(&self, scenario: &tco_engine::Scenario) -> Result<tco_engine::Report, tco_engine::EstimateError> {
        tco_engine::estimate::estimate_within(scenario, &self.catalog, &self.limits, &self.deadline)
    }
}

/// 10 MiB: larger than any scenario document or formation export.
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 10 * 1024 * 1024;

/// 100 MiB for imports: inventories and logs uploaded whole (the CLI streams larger logs).
pub const DEFAULT_IMPORT_LIMIT_BYTES: usize = 100 * 1024 * 1024;

/// Requests in flight at once. An estimate is CPU-bound and short, so a queue beyond the
/// cores only adds latency; this bounds memory under a flood while keeping the cores busy.
pub const DEFAULT_MAX_CONCURRENCY: usize = 256;

/// Jobs waiting for a CPU worker at most, beyond those running: a few estimates' worth, so a
/// burst is absorbed but a flood is refused at once instead of piling up behind the timeout.
pub const DEFAULT_QUEUE: usize = 16;

/// Per-request time limit.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How connections are kept in check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connections {
    /// Open connections at most.
    pub max_open: usize,
    /// How long a client has to send a request's head, and how long a keep-alive connection may
    /// stay silent before it is closed.
    pub header_read_timeout: Duration,
    /// How long requests in flight may finish after a shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for Connections {
    fn default() -> Self {
        Connections {
            max_open: DEFAULT_MAX_OPEN,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// Well under the usual 1,024 file descriptors, leaving room for the database and log files.
pub const DEFAULT_MAX_OPEN: usize = 768;
/// Silent connections are closed within 30 s.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// A request may run 30 s (the request timeout), so in-flight work gets a little more.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(35);
