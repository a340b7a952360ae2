//! Password hashing within a fixed budget. An argon2 check takes about 19 MiB and a core for
//! a moment, so checks run on [`CHECKS_AT_ONCE`] worker threads of their own, each keeping its
//! memory for the next check: the process holds the same memory for one sign-in or for
//! thousands. A request that cannot get a worker within [`CHECK_WAIT`] is refused (429).

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, LazyLock, Mutex, mpsc};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

use crate::domain::account::HashMemory;

/// How many passwords are hashed at the same time (each holds about 19 MiB).
pub const CHECKS_AT_ONCE: usize = 2;

/// How long a sign-in waits for a free worker before it is refused with 429.
pub const CHECK_WAIT: Duration = Duration::from_secs(2);

/// No worker became free in time.
#[derive(Debug)]
pub struct Busy;

type Job = Box<dyn FnOnce(&mut HashMemory) + Send>;

struct Workers {
    permits: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
}

static WORKERS: LazyLock<Workers> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for i in 0..CHECKS_AT_ONCE {
        let queue = queue.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("password-{i}"))
            .spawn(move || {
                let mut memory = HashMemory::default();
                loop {
                    let job = match queue.lock() {
                        Ok(queue) => match queue.recv() {
                            Ok(job) => job,
                            Err(_) => return,
                        },
                        Err(_) => return,
                    };
                    // A panic in one check must not take a worker away.
                    if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
                        tracing::error!("a password check panicked");
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start a password worker: {e}");
        }
    }
    Workers {
        permits: Arc::new(Semaphore::new(CHECKS_AT_ONCE)),
        jobs,
    }
});

/// Runs `work` (a password hash or check) on a worker, waiting at most [`CHECK_WAIT`] for
/// one. The worker stays taken until `work` ends, even if the request is dropped meanwhile.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
) -> Result<T, Busy> {
    let workers = &*WORKERS;
    let permit = tokio::time::timeout(CHECK_WAIT, workers.permits.clone().acquire_owned())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move |memory| {
        let _permit = permit;
        let _ = tx.send(work(memory));
    });
    workers.jobs.send(job).map_err(|_| Busy)?;
    rx.await.map_err(|_| Busy)
}
