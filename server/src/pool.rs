//! CPU work (estimates, imports, exports, re-pricing) runs off the async workers, on blocking
//! threads as many as the cores, behind a bounded queue. A job beyond the queue is refused at
//! once (503 with `Retry-After`), so a flood of heavy requests cannot starve the light ones:
//! health, the catalog and scenario reads never wait for the pool.
//!
//! Each job carries a [`Deadline`] the engine asks between steps, so a request that runs past
//! its time limit stops its work too, not only its response.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The pool's admission and its workers.
#[derive(Debug, Clone)]
pub struct CpuPool {
    /// Jobs running at once: one per worker.
    running: Arc<Semaphore>,
    /// Jobs admitted at once: running or waiting for a worker.
    admitted: Arc<Semaphore>,
    /// How long a refused client is told to wait before trying again.
    retry_after: Duration,
}

/// A job the pool did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// Every worker is busy and the queue is full.
    #[error("the server is busy with other estimates and imports; try again in {} s", .retry_after.as_secs())]
    Busy {
        /// When to try again.
        retry_after: Duration,
    },
    /// The job panicked: a bug of ours, logged by the caller.
    #[error("the job stopped unexpectedly: {0}")]
    Failed(String),
}

impl CpuPool {
    /// `workers` jobs at once (at least one), and up to `queue` more waiting for a worker.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        CpuPool {
            running: Arc::new(Semaphore::new(workers)),
            admitted: Arc::new(Semaphore::new(workers + queue)),
            retry_after: Duration::from_secs(1),
        }
    }

    /// One worker per core.
    pub fn per_core(queue: usize) -> Self {
        CpuPool::new(std::thread::available_parallelism().map_or(2, |n| n.get()), queue)
    }

    /// Runs `job` on a blocking thread once a worker is free, or refuses it at once when the
    /// pool is full. The job keeps its place until it finishes, even if the request that asked
    /// for it is gone, so the pool never runs more than its workers.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, PoolError> {
        let admitted =
            self.admitted.clone().try_acquire_owned().map_err(|_| PoolError::Busy { retry_after: self.retry_after })?;
        let running = self.running.clone().acquire_owned().await.map_err(|e| PoolError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _places = (admitted, running);
            job()
        })
        .await
        .map_err(|e| PoolError::Failed(e.to_string()))
    }
}

/// The time a job must be done by, as the engine's [`tco_engine::limits::Stop`].
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Instant);

impl Deadline {
    /// `limit` from now.
    pub fn after(limit: Duration) -> Self {
        Deadline(Instant::now() + limit)
    }
}

impl tco_engine::limits::Stop for Deadline {
    fn now(&self) -> bool {
        Instant::now() >= self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_refuses_at_once_and_never_runs_more_than_its_workers() {
        let pool = CpuPool::new(1, 1);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Arc::new(std::sync::Mutex::new(wait));
        let job = |running: Arc<AtomicUsize>,
                   most: Arc<AtomicUsize>,
                   wait: Arc<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>| {
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                wait.lock().unwrap().recv().unwrap();
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let first = tokio::spawn({
            let pool = pool.clone();
            let j = job(running.clone(), most.clone(), wait.clone());
            async move { pool.run(j).await }
        });
        let second = tokio::spawn({
            let pool = pool.clone();
            let j = job(running.clone(), most.clone(), wait.clone());
            async move { pool.run(j).await }
        });
        // Both are admitted (one running, one queued); a third finds the pool full.
        while pool.admitted.available_permits() > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let third = pool.run(|| ()).await;
        assert_eq!(third, Err(PoolError::Busy { retry_after: Duration::from_secs(1) }));
        release.send(()).unwrap();
        release.send(()).unwrap();
        assert!(first.await.unwrap().is_ok() && second.await.unwrap().is_ok());
        assert_eq!(most.load(Ordering::SeqCst), 1, "one worker: never two jobs at once");
        assert!(pool.run(|| 7).await == Ok(7), "room again once they finish");
    }

    #[test]
    fn a_deadline_in_the_past_says_stop() {
        use tco_engine::limits::Stop;
        assert!(Deadline(Instant::now()).now());
        assert!(!Deadline::after(Duration::from_secs(60)).now());
    }
}
