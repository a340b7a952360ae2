//! A private PostgreSQL cluster, used when no `DATABASE_URL` is configured.
//!
//! [`Cluster::start`] runs the system's own PostgreSQL server binaries
//! (`initdb` and `postgres`, see [`find_binaries`]) on a cluster kept inside
//! the application's data directory `D`:
//!
//! | path | contents |
//! | --- | --- |
//! | `D/postgres/` | the cluster, created by `initdb` on first start; also holds the Unix socket `.s.PGSQL.5432` |
//! | `D/postgres.log` | the server's output (stdout and stderr), appended to across runs |
//!
//! The server listens on its Unix socket only (`listen_addresses=''`, no TCP),
//! with `trust` authentication for the `postgres` superuser: whoever can reach
//! the socket can connect, so access is governed by the permissions of the
//! cluster directory (`0700`). The port number only names the socket file.
//!
//! PostgreSQL refuses to run as root. When this process runs as root, `initdb`
//! and `postgres` run as the `postgres` system user instead: the cluster
//! directory is handed to that user, and `D` and its ancestors are made
//! traversable for it where they are not (see [`Cluster::start`]).
//!
//! The postmaster runs in a process group of its own, so a terminal's Ctrl-C
//! reaches only this process, which is expected to call [`Cluster::stop`] as
//! part of its own orderly shutdown. Dropping a [`Cluster`] does **not** stop
//! the server: it keeps running, and the next [`Cluster::start`] on the same
//! directory attaches to it.
//!
//! When another process (for example a second `plantrack` command next to a
//! running `serve`) already runs the cluster, [`Cluster::start`] attaches to
//! that server instead of starting a second one. Such a cluster is not
//! [owned](Cluster::owned), and [`Cluster::stop`] leaves it running.
//!
//! A long-running process hands its cluster to [`Cluster::supervise`]: the
//! postmaster is then waited on (so one that dies is reaped, never left a
//! zombie), and one that dies, say killed for lack of memory, is started again
//! with a growing wait between attempts. Starting again follows PostgreSQL's
//! own rules for a killed server: its `postmaster.pid` and socket lock name a
//! dead process, and its leftover backends exit once they notice their
//! postmaster is gone, so the start is retried until they have.
//!
//! This module relies on Linux (`/proc`, `prctl`).

use std::ffi::{CString, OsStr, OsString};
use std::fs::{self, DirBuilder, File, Metadata, OpenOptions, Permissions};
use std::io::{self, Read, Seek, SeekFrom};
use std::mem::MaybeUninit;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use std::{env, ptr};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep, timeout};
use tracing::{debug, info, warn};

/// The port the server is configured with. Without a TCP listener it only
/// names the socket file (`.s.PGSQL.5432`).
pub const PORT: u16 = 5432;

/// The database superuser created by `initdb`, and the user of [`Cluster::url`].
pub const SUPERUSER: &str = "postgres";

/// The system user PostgreSQL runs as when this process runs as root.
const SYSTEM_USER: &str = "postgres";
/// The cluster's directory, inside the application's data directory.
const CLUSTER_DIR: &str = "postgres";
/// The server's log file, inside the application's data directory.
const LOG_FILE: &str = "postgres.log";
/// The postmaster's lock file, inside the cluster directory.
const PID_FILE: &str = "postmaster.pid";
/// Where Debian-style packages install one directory per major version.
const VERSIONED_ROOT: &str = "/usr/lib/postgresql";

/// How long the server may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a fast shutdown may take before an immediate shutdown is requested.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an immediate shutdown may take before the postmaster is killed.
const KILL_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the leftover processes of a crashed postmaster may take to exit.
const ORPHAN_TIMEOUT: Duration = Duration::from_secs(10);
/// How often lock files and processes are polled.
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// How many times a lock file that is being written is read again.
const INCOMPLETE_RETRIES: usize = 10;
/// How many lines of the log an error shows.
const LOG_TAIL_LINES: usize = 20;
/// The longest Unix socket path: `sun_path` holds 108 bytes including the NUL.
const MAX_SOCKET_PATH_LEN: usize = 107;

/// How [`Cluster::start`] runs a server it starts itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Whether committed data must survive a crash of the machine. `false`
    /// turns off `fsync`, `synchronous_commit` and `full_page_writes` (and
    /// syncing in `initdb`): much faster, and fit only for throw-away clusters
    /// such as those of tests.
    pub durable: bool,
    /// Whether the server shuts down (fast) when the thread that started it
    /// exits, for example when a test process dies without stopping it.
    ///
    /// This uses Linux's parent-death signal, which fires when the spawning
    /// *thread* exits, not only when the whole process does: start such a
    /// cluster from a long-lived thread (the main thread, or a runtime worker
    /// thread), never from a short-lived one such as a `spawn_blocking` thread
    /// that exits once idle.
    pub die_with_parent: bool,
}

impl Default for Options {
    /// A durable cluster that outlives its starter.
    fn default() -> Self {
        Self {
            durable: true,
            die_with_parent: false,
        }
    }
}

/// Why a cluster could not be found, started or stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No PostgreSQL server binaries were found.
    #[error(
        "PostgreSQL server binaries (initdb, postgres) were not found on PATH, via pg_config \
         or under {VERSIONED_ROOT}/*/bin: install PostgreSQL (apt-get install postgresql) \
         or set DATABASE_URL to use an existing server"
    )]
    NotInstalled,

    /// Running as root, but there is no system user to run PostgreSQL as.
    #[error(
        "running as root, but the `{user}` system user that PostgreSQL must run as does not \
         exist (PostgreSQL refuses to run as root): create it (apt-get install postgresql \
         does), run as an unprivileged user, or set DATABASE_URL to use an existing server"
    )]
    NoSystemUser {
        /// The missing user's name.
        user: String,
    },

    /// The socket's path does not fit in a Unix socket address.
    #[error(
        "the PostgreSQL socket path {} is {len} bytes long, over the {MAX_SOCKET_PATH_LEN} \
         bytes a Unix socket path may have: use a data directory with a shorter path",
        path.display()
    )]
    SocketPathTooLong {
        /// The socket file's path.
        path: PathBuf,
        /// Its length in bytes.
        len: usize,
    },

    /// A directory on the way to the cluster cannot be traversed by the
    /// PostgreSQL system user, and belongs to someone else.
    #[error(
        "{} cannot be traversed by the `{user}` system user that PostgreSQL runs as, and \
         belongs to another user: allow it (chmod o+x) or use another data directory",
        path.display()
    )]
    NotTraversable {
        /// The directory.
        path: PathBuf,
        /// The system user.
        user: String,
    },

    /// A file system or process operation failed.
    #[error("{context}: {error}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        error: io::Error,
    },

    /// `initdb` failed; `output` is what it printed.
    #[error("initdb failed ({status}) for {}:\n{output}", dir.display())]
    InitDb {
        /// The cluster directory.
        dir: PathBuf,
        /// How `initdb` exited.
        status: ExitStatus,
        /// Its stdout and stderr.
        output: String,
    },

    /// The server exited before it accepted connections.
    #[error("PostgreSQL failed to start: {reason}; last lines of {}:\n{tail}", log.display())]
    StartFailed {
        /// What happened.
        reason: String,
        /// The server's log file.
        log: PathBuf,
        /// The last lines the server logged.
        tail: String,
    },

    /// The server did not accept connections in time.
    #[error(
        "PostgreSQL (pid {pid}) did not become ready within {} s; last lines of {}:\n{tail}",
        READY_TIMEOUT.as_secs(),
        log.display()
    )]
    Timeout {
        /// The postmaster's process id.
        pid: u32,
        /// The server's log file.
        log: PathBuf,
        /// The last lines the server logged.
        tail: String,
    },

    /// Processes of a crashed postmaster still use the cluster.
    #[error(
        "processes {pids:?} still use {} after its postmaster died: stop them before \
         starting PostgreSQL again",
        dir.display()
    )]
    InUse {
        /// The cluster directory.
        dir: PathBuf,
        /// The processes' ids.
        pids: Vec<u32>,
    },

    /// The server ignored both a fast and an immediate shutdown request, and
    /// was killed.
    #[error(
        "PostgreSQL (pid {pid}) did not exit after a fast and an immediate shutdown request, \
         and was killed"
    )]
    StopTimeout {
        /// The postmaster's process id.
        pid: u32,
    },
}

/// Adds a description of the failed operation to an I/O error.
trait IoContext<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error> {
        self.map_err(|error| Error::Io {
            context: context(),
            error,
        })
    }
}

/// A running PostgreSQL server on the cluster of an application data directory.
///
/// Obtained from [`Cluster::start`]. The server is stopped only by
/// [`Cluster::stop`]; dropping a `Cluster` leaves it running.
#[derive(Debug)]
pub struct Cluster {
    /// The cluster directory, which is also the socket directory.
    dir: PathBuf,
    /// The server's log file.
    log: PathBuf,
    /// The postmaster's process id.
    pid: u32,
    /// The postmaster, when this process started it.
    child: Option<Child>,
    /// How the server is run, kept to start it again.
    options: Options,
}

impl Cluster {
    /// Starts the cluster of the application data directory `data_dir`, or
    /// attaches to it when another process already runs it.
    ///
    /// `data_dir` is created if missing, and the cluster in it (`postgres/`)
    /// is initialised on first start. A `postmaster.pid` left behind by a
    /// crashed server is removed, once no process of that server remains.
    /// When running as root, the cluster directory is given to the `postgres`
    /// system user, `data_dir` is made `0755` and each root-owned ancestor
    /// gains `o+x` if that user could not otherwise traverse them.
    ///
    /// Returns once the server accepts connections, or fails after 60 s.
    pub async fn start(data_dir: &Path, options: Options) -> Result<Cluster, Error> {
        let data_dir = data_dir.to_owned();
        let layout = match tokio::task::spawn_blocking(move || Layout::prepare(&data_dir)).await {
            Ok(layout) => layout?,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => {
                return Err(Error::Io {
                    context: "could not prepare the PostgreSQL cluster".to_owned(),
                    error: io::Error::other(error),
                });
            }
        };

        if !layout.dir.join("PG_VERSION").exists() {
            layout.initdb(options).await?;
        }

        let pid_file = layout.dir.join(PID_FILE);
        let mut state = read_lock_state(&pid_file, &layout.dir).await?;
        if let LockState::Live { pid, .. } = state {
            if let Some(cluster) = layout.attach(pid, options).await? {
                return Ok(cluster);
            }
            state = read_lock_state(&pid_file, &layout.dir).await?;
        }
        if !matches!(state, LockState::Absent) {
            layout.remove_stale_pid_file(&pid_file).await?;
        }
        layout.remove_stale_socket_lock().await?;

        layout.start(options).await
    }

    /// The absolute directory of the server's Unix socket (the cluster directory).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The server's port, which names its socket file in [`socket_dir`](Self::socket_dir).
    pub fn port(&self) -> u16 {
        PORT
    }

    /// The server's log file.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Whether this process started the server. `false` when attached to a
    /// server another process started; [`stop`](Self::stop) then does nothing.
    pub fn owned(&self) -> bool {
        self.child.is_some()
    }

    /// The postmaster's process id, also when attached to a server another
    /// process started.
    pub fn pid(&self) -> Option<u32> {
        Some(self.pid)
    }

    /// A connection URL for `database` as the `postgres` superuser, through
    /// the Unix socket, for example
    /// `postgres://postgres@localhost/plantrack?host=/srv/data/postgres&port=5432`.
    ///
    /// The `host` query parameter (a directory, as it starts with `/`) takes
    /// precedence over the URL's host, both for sqlx and for libpq (`psql`).
    /// libpq reads a comma in it as a list of hosts, so `psql` cannot use a
    /// socket directory whose path has a comma; sqlx can.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost/{}?host={}&port={PORT}",
            percent_encode(database.as_bytes(), false),
            percent_encode(self.dir.as_os_str().as_bytes(), true),
        )
    }

    /// Stops a server this process started: requests a fast shutdown
    /// (`SIGINT`), which rolls back open transactions and disconnects
    /// clients, and waits for it. After 30 s an immediate shutdown (`SIGQUIT`)
    /// is requested, and after 5 more seconds the postmaster is killed.
    ///
    /// Does nothing when attached to a server another process started.
    pub async fn stop(mut self) -> Result<(), Error> {
        let pid = self.pid;
        let Some(mut child) = self.child.take() else {
            debug!(
                pid,
                "PostgreSQL was started by another process; leaving it running"
            );
            return Ok(());
        };
        let waiting = || format!("could not wait for PostgreSQL (pid {pid})");
        if let Some(status) = child.try_wait().context(waiting)? {
            warn!(pid, %status, "PostgreSQL had already exited");
            return Ok(());
        }

        info!(pid, "stopping PostgreSQL");
        send_signal(pid, libc::SIGINT)
            .context(|| format!("could not stop PostgreSQL (pid {pid})"))?;
        if let Some(status) = wait_for(&mut child, STOP_TIMEOUT).await.context(waiting)? {
            info!(pid, %status, "PostgreSQL stopped");
            return Ok(());
        }

        warn!(
            pid,
            "PostgreSQL did not stop within {} s; requesting an immediate shutdown",
            STOP_TIMEOUT.as_secs()
        );
        send_signal(pid, libc::SIGQUIT)
            .context(|| format!("could not stop PostgreSQL (pid {pid})"))?;
        if let Some(status) = wait_for(&mut child, KILL_TIMEOUT).await.context(waiting)? {
            warn!(pid, %status, "PostgreSQL stopped by an immediate shutdown");
            return Ok(());
        }

        warn!(pid, "PostgreSQL ignored an immediate shutdown; killing it");
        child
            .start_kill()
            .context(|| format!("could not kill PostgreSQL (pid {pid})"))?;
        child.wait().await.context(waiting)?;
        Err(Error::StopTimeout { pid })
    }
}

impl Cluster {
    /// Waits until the server is gone, and reaps it when this process started it (so no
    /// zombie is left). `None` when it was started by another process, which reaps it.
    async fn exited(&mut self) -> Option<ExitStatus> {
        if let Some(child) = &mut self.child {
            match child.wait().await {
                Ok(status) => return Some(status),
                Err(error) => {
                    warn!(pid = self.pid, %error, "could not wait for PostgreSQL; watching it");
                }
            }
        }
        while is_postmaster_of(self.pid, &self.dir) {
            sleep(WATCH_INTERVAL).await;
        }
        None
    }

    /// The application data directory the cluster lives in.
    fn data_dir(&self) -> PathBuf {
        self.dir.parent().unwrap_or(&self.dir).to_owned()
    }

    /// Keeps the server running from now on: when its postmaster dies (killed for lack of
    /// memory, say), it is reaped, the death is logged, and the server is started again,
    /// waiting 0.5 s before the first attempt and twice as long before each further one, up
    /// to 10 s (see [`Supervisor`]).
    ///
    /// Start it from a long-lived thread (a runtime worker) when
    /// [`Options::die_with_parent`] is set: restarted servers are spawned by the task.
    pub fn supervise(self) -> Supervisor {
        let pid = Arc::new(AtomicU32::new(self.pid));
        let restarts = Arc::new(AtomicU32::new(0));
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(supervise(self, stopped, pid.clone(), restarts.clone()));
        Supervisor {
            stop,
            task,
            pid,
            restarts,
        }
    }
}

/// The shortest wait before starting a server that died.
pub const RESTART_BACKOFF_MIN: Duration = Duration::from_millis(500);
/// The longest wait between two attempts to start a server that died.
pub const RESTART_BACKOFF_MAX: Duration = Duration::from_secs(10);
/// A server that ran at least this long before it died is retried after the shortest wait
/// again; one that dies sooner keeps the growing wait, so a crash loop is not a busy loop.
const STABLE_UPTIME: Duration = Duration::from_secs(60);
/// How often a server started by another process is checked.
const WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// A cluster kept running by a background task: see [`Cluster::supervise`].
#[derive(Debug)]
pub struct Supervisor {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), Error>>,
    pid: Arc<AtomicU32>,
    restarts: Arc<AtomicU32>,
}

impl Supervisor {
    /// The current postmaster's process id.
    pub fn pid(&self) -> u32 {
        self.pid.load(Ordering::SeqCst)
    }

    /// How many times the server has been started again after it died.
    pub fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::SeqCst)
    }

    /// Ends the supervision and stops the server as [`Cluster::stop`] does. A start in
    /// progress is finished first, so that no server is left behind.
    pub async fn stop(self) -> Result<(), Error> {
        // The task may have ended already (it ends only by this request or by a panic).
        let _ = self.stop.send(());
        match self.task.await {
            Ok(result) => result,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => Err(Error::Io {
                context: "the PostgreSQL supervisor was cancelled".to_owned(),
                error: io::Error::other(error),
            }),
        }
    }
}

/// The supervisor's task: waits for the server to die, starts it again with a growing
/// wait, and stops it when asked.
async fn supervise(
    mut cluster: Cluster,
    mut stop: oneshot::Receiver<()>,
    current: Arc<AtomicU32>,
    restarts: Arc<AtomicU32>,
) -> Result<(), Error> {
    let mut delay = RESTART_BACKOFF_MIN;
    loop {
        let started = Instant::now();
        let status = tokio::select! {
            _ = &mut stop => return cluster.stop().await,
            status = cluster.exited() => status,
        };
        let pid = cluster.pid;
        match status {
            Some(status) => warn!(
                pid,
                %status,
                "PostgreSQL exited unexpectedly; starting it again (log: {})",
                cluster.log.display()
            ),
            None => warn!(
                pid,
                "PostgreSQL, started by another process, has gone; starting it again"
            ),
        }
        if started.elapsed() >= STABLE_UPTIME {
            delay = RESTART_BACKOFF_MIN;
        }
        let (data_dir, options) = (cluster.data_dir(), cluster.options);
        let mut attempt = 1u32;
        cluster = loop {
            tokio::select! {
                _ = &mut stop => return Ok(()),
                () = sleep(delay) => {}
            }
            // Not raced against `stop`: a server being started is stopped once it runs.
            let result = Cluster::start(&data_dir, options).await;
            delay = (delay * 2).min(RESTART_BACKOFF_MAX);
            match result {
                Ok(cluster) => {
                    info!(pid = cluster.pid, attempt, "PostgreSQL is running again");
                    break cluster;
                }
                Err(error) => warn!(
                    attempt,
                    "PostgreSQL could not be started again; next attempt in {:.1} s: {error}",
                    delay.as_secs_f32()
                ),
            }
            attempt += 1;
        };
        current.store(cluster.pid, Ordering::SeqCst);
        restarts.fetch_add(1, Ordering::SeqCst);
    }
}

/// Finds the directory holding the PostgreSQL server binaries `initdb` and
/// `postgres`: the first `PATH` entry that has both, else `pg_config
/// --bindir` (with `pg_config` found on `PATH`), else the highest version's
/// `bin` under `/usr/lib/postgresql`.
pub fn find_binaries() -> Result<PathBuf, Error> {
    find_binaries_in(env::var_os("PATH").as_deref(), Path::new(VERSIONED_ROOT))
}

/// [`find_binaries`] with the search path and the versioned root given.
fn find_binaries_in(search_path: Option<&OsStr>, versioned_root: &Path) -> Result<PathBuf, Error> {
    let path_dirs = || {
        search_path
            .into_iter()
            .flat_map(env::split_paths)
            .filter(|dir| dir.is_absolute())
    };
    let on_path = || path_dirs().find(|dir| is_bindir(dir));
    let via_pg_config = || {
        path_dirs()
            .map(|dir| dir.join("pg_config"))
            .find(|file| is_executable(file))
            .and_then(|pg_config| bindir_from_pg_config(&pg_config))
    };
    on_path()
        .or_else(via_pg_config)
        .or_else(|| highest_versioned_bindir(versioned_root))
        .ok_or(Error::NotInstalled)
}

/// Whether `dir` holds both server binaries.
fn is_bindir(dir: &Path) -> bool {
    is_executable(&dir.join("initdb")) && is_executable(&dir.join("postgres"))
}

/// Whether `file` is an executable regular file (following symbolic links).
fn is_executable(file: &Path) -> bool {
    fs::metadata(file).is_ok_and(|meta| meta.is_file() && meta.mode() & 0o111 != 0)
}

/// The binaries directory `pg_config --bindir` reports, if it has both binaries.
fn bindir_from_pg_config(pg_config: &Path) -> Option<PathBuf> {
    let output = std::process::Command::new(pg_config)
        .arg("--bindir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())?;
    let dir = OsStr::from_bytes(output.stdout.trim_ascii());
    let dir = PathBuf::from(dir);
    is_bindir(&dir).then_some(dir)
}

/// The `bin` directory of the highest version under `root` (`root/15/bin`,
/// `root/9.6/bin`, …) that has both binaries.
fn highest_versioned_bindir(root: &Path) -> Option<PathBuf> {
    fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = parse_version(entry.file_name().to_str()?)?;
            let bindir = entry.path().join("bin");
            is_bindir(&bindir).then_some((version, bindir))
        })
        .max()
        .map(|(_, bindir)| bindir)
}

/// Parses a version directory's name such as `15` or `9.6`.
fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

/// A system user's ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SystemUser {
    uid: u32,
    gid: u32,
}

impl SystemUser {
    /// Looks a user up by name.
    fn lookup(name: &str) -> io::Result<Option<SystemUser>> {
        let name = CString::new(name).map_err(io::Error::other)?;
        let mut buffer = vec![0 as libc::c_char; 1024];
        loop {
            let mut entry = MaybeUninit::<libc::passwd>::uninit();
            let mut result: *mut libc::passwd = ptr::null_mut();
            // SAFETY: `name` is NUL-terminated, `entry` and `result` are valid
            // for writes, and `buffer` is valid for `buffer.len()` bytes; all
            // outlive the call.
            let code = unsafe {
                libc::getpwnam_r(
                    name.as_ptr(),
                    entry.as_mut_ptr(),
                    buffer.as_mut_ptr(),
                    buffer.len(),
                    &mut result,
                )
            };
            match code {
                0 if result.is_null() => return Ok(None),
                0 => {
                    // SAFETY: a zero return with a non-null result means
                    // getpwnam_r filled in `entry`.
                    let entry = unsafe { entry.assume_init() };
                    return Ok(Some(SystemUser {
                        uid: entry.pw_uid,
                        gid: entry.pw_gid,
                    }));
                }
                libc::ERANGE if buffer.len() < 1 << 20 => buffer.resize(buffer.len() * 2, 0),
                libc::ENOENT | libc::ESRCH | libc::EBADF | libc::EPERM => return Ok(None),
                code => return Err(io::Error::from_raw_os_error(code)),
            }
        }
    }

    /// Whether this user can traverse a directory with metadata `meta`.
    /// Supplementary groups are ignored, as they are dropped when a command
    /// is run as this user.
    fn can_traverse(&self, meta: &Metadata) -> bool {
        let mode = meta.mode();
        if meta.uid() == self.uid {
            mode & 0o100 != 0
        } else if meta.gid() == self.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        }
    }
}

/// Whether this process runs as root.
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Where a cluster lives and how its server is run.
#[derive(Debug)]
struct Layout {
    /// The directory of the server binaries.
    bindir: PathBuf,
    /// The cluster directory (absolute and canonical), also the socket directory.
    dir: PathBuf,
    /// The server's log file.
    log: PathBuf,
    /// The user to run the server as, when running as root.
    run_as: Option<SystemUser>,
}

impl Layout {
    /// Finds the binaries and creates the directories of the cluster of the
    /// application data directory `data_dir`, with the ownership and
    /// permissions the server needs.
    fn prepare(data_dir: &Path) -> Result<Layout, Error> {
        let bindir = find_binaries()?;
        debug!(bindir = %bindir.display(), "found the PostgreSQL server binaries");

        fs::create_dir_all(data_dir)
            .context(|| format!("could not create data directory {}", data_dir.display()))?;
        let data_dir = fs::canonicalize(data_dir)
            .context(|| format!("could not resolve data directory {}", data_dir.display()))?;
        let dir = data_dir.join(CLUSTER_DIR);
        check_socket_path(&dir)?;

        let run_as = if is_root() {
            let user = SystemUser::lookup(SYSTEM_USER)
                .context(|| format!("could not look up the `{SYSTEM_USER}` system user"))?
                .ok_or_else(|| Error::NoSystemUser {
                    user: SYSTEM_USER.to_owned(),
                })?;
            make_traversable(&data_dir, user)?;
            Some(user)
        } else {
            None
        };
        create_cluster_dir(&dir, run_as)?;

        Ok(Layout {
            bindir,
            dir,
            log: data_dir.join(LOG_FILE),
            run_as,
        })
    }

    /// A command running one of the server binaries in the cluster directory,
    /// as the system user when running as root.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bindir.join(program));
        command.current_dir(&self.dir).stdin(Stdio::null());
        if let Some(user) = self.run_as {
            command.uid(user.uid).gid(user.gid);
        }
        command
    }

    /// Initialises the cluster with `initdb`.
    async fn initdb(&self, options: Options) -> Result<(), Error> {
        info!("initialising PostgreSQL cluster in {}", self.dir.display());
        let mut command = self.command("initdb");
        command
            .arg("-D")
            .arg(&self.dir)
            .args(["-U", SUPERUSER, "--auth=trust", "-E", "UTF8"])
            .arg(if c_utf8_locale_available() {
                "--locale=C.UTF-8"
            } else {
                "--no-locale"
            });
        if !options.durable {
            command.arg("--no-sync");
        }
        let output = command
            .output()
            .await
            .context(|| format!("could not run {}", self.bindir.join("initdb").display()))?;
        let text = [output.stdout, output.stderr]
            .map(|bytes| String::from_utf8_lossy(&bytes).trim_end().to_owned())
            .join("\n");
        if !output.status.success() {
            return Err(Error::InitDb {
                dir: self.dir.clone(),
                status: output.status,
                output: text,
            });
        }
        debug!(output = %text, "initdb succeeded");
        Ok(())
    }

    /// Waits for the server another process runs (as postmaster `pid`) to
    /// accept connections. `None` if that server goes away meanwhile.
    async fn attach(&self, pid: u32, options: Options) -> Result<Option<Cluster>, Error> {
        info!(
            pid,
            "PostgreSQL is already running in {}; attaching to it",
            self.dir.display()
        );
        let pid_file = self.dir.join(PID_FILE);
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match read_lock_state(&pid_file, &self.dir).await? {
                LockState::Live { pid, ready: true } => {
                    info!(pid, "PostgreSQL ready (started by another process)");
                    return Ok(Some(self.cluster(pid, None, options)));
                }
                LockState::Live { .. } => {}
                LockState::Absent | LockState::Stale | LockState::Incomplete => return Ok(None),
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    pid,
                    log: self.log.clone(),
                    tail: log_tail(&self.log, 0),
                });
            }
            sleep(POLL_INTERVAL).await;
        }
    }

    /// Removes the lock file a crashed postmaster left, once none of its
    /// processes use the cluster any more.
    async fn remove_stale_pid_file(&self, pid_file: &Path) -> Result<(), Error> {
        let deadline = Instant::now() + ORPHAN_TIMEOUT;
        loop {
            let pids = processes_in(&self.dir);
            if pids.is_empty() {
                break;
            }
            if Instant::now() >= deadline {
                return Err(Error::InUse {
                    dir: self.dir.clone(),
                    pids,
                });
            }
            debug!(
                ?pids,
                "waiting for the processes of a crashed PostgreSQL to exit"
            );
            sleep(POLL_INTERVAL).await;
        }
        info!("removing stale {}", pid_file.display());
        remove_if_exists(pid_file)
    }

    /// Removes the socket's lock file unless a postmaster of this cluster holds it.
    async fn remove_stale_socket_lock(&self) -> Result<(), Error> {
        let lock = self.dir.join(format!(".s.PGSQL.{PORT}.lock"));
        match read_lock_state(&lock, &self.dir).await? {
            LockState::Absent | LockState::Live { .. } => Ok(()),
            LockState::Stale | LockState::Incomplete => {
                info!("removing stale {}", lock.display());
                remove_if_exists(&lock)
            }
        }
    }

    /// Starts the server and waits until it accepts connections.
    async fn start(&self, options: Options) -> Result<Cluster, Error> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o640)
            .open(&self.log)
            .context(|| format!("could not open {}", self.log.display()))?;
        let log_start = log
            .metadata()
            .context(|| format!("could not read {}", self.log.display()))?
            .len();
        let stdout = log
            .try_clone()
            .context(|| format!("could not open {}", self.log.display()))?;

        let mut socket_dirs = OsString::from("\"");
        socket_dirs.push(OsStr::from_bytes(&quote_list_item(
            self.dir.as_os_str().as_bytes(),
        )));
        socket_dirs.push("\"");

        let mut command = self.command("postgres");
        command
            .arg("-D")
            .arg(&self.dir)
            .args(["-p", &PORT.to_string()])
            .arg("-k")
            .arg(socket_dirs)
            .args(["-c", "listen_addresses="])
            .stdout(stdout)
            .stderr(log)
            .process_group(0);
        if !options.durable {
            command.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        }
        if options.die_with_parent {
            set_parent_death_signal(&mut command);
        }

        info!(
            "starting PostgreSQL in {} (log: {})",
            self.dir.display(),
            self.log.display()
        );
        let postgres = self.bindir.join("postgres");
        let mut child = command
            .spawn()
            .context(|| format!("could not run {}", postgres.display()))?;
        let pid = child.id().ok_or_else(|| Error::StartFailed {
            reason: "postgres exited at once".to_owned(),
            log: self.log.clone(),
            tail: log_tail(&self.log, log_start),
        })?;

        let pid_file = self.dir.join(PID_FILE);
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let exited = child
                .try_wait()
                .context(|| format!("could not wait for PostgreSQL (pid {pid})"))?;
            if let Some(status) = exited {
                // Another process may have started the server in the meantime.
                if let LockState::Live { pid: other, .. } =
                    read_lock_state(&pid_file, &self.dir).await?
                    && let Some(cluster) = self.attach(other, options).await?
                {
                    return Ok(cluster);
                }
                return Err(Error::StartFailed {
                    reason: format!("postgres exited ({status})"),
                    log: self.log.clone(),
                    tail: log_tail(&self.log, log_start),
                });
            }
            if let Ok(text) = fs::read_to_string(&pid_file) {
                let lock = LockFile::parse(&text);
                if lock.pid == Some(pid) && lock.status.as_deref() == Some("ready") {
                    info!(pid, "PostgreSQL ready on socket {}", self.dir.display());
                    return Ok(self.cluster(pid, Some(child), options));
                }
            }
            if Instant::now() >= deadline {
                abort(&mut child, pid).await;
                return Err(Error::Timeout {
                    pid,
                    log: self.log.clone(),
                    tail: log_tail(&self.log, log_start),
                });
            }
            sleep(POLL_INTERVAL).await;
        }
    }

    /// A handle on the server `pid`, owned when `child` is given.
    fn cluster(&self, pid: u32, child: Option<Child>, options: Options) -> Cluster {
        Cluster {
            dir: self.dir.clone(),
            log: self.log.clone(),
            pid,
            child,
            options,
        }
    }
}

/// Fails if the socket file in `dir` would have too long a path.
fn check_socket_path(dir: &Path) -> Result<(), Error> {
    let path = dir.join(format!(".s.PGSQL.{PORT}"));
    let len = path.as_os_str().len();
    if len > MAX_SOCKET_PATH_LEN {
        return Err(Error::SocketPathTooLong { path, len });
    }
    Ok(())
}

/// Makes `data_dir` (`0755`) and its ancestors (`o+x`) traversable by `user`
/// where they are not and belong to this process's user.
fn make_traversable(data_dir: &Path, user: SystemUser) -> Result<(), Error> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let own_uid = unsafe { libc::geteuid() };
    for (depth, dir) in data_dir.ancestors().enumerate() {
        let meta = fs::metadata(dir).context(|| format!("could not read {}", dir.display()))?;
        if user.can_traverse(&meta) {
            continue;
        }
        if meta.uid() != own_uid {
            return Err(Error::NotTraversable {
                path: dir.to_owned(),
                user: SYSTEM_USER.to_owned(),
            });
        }
        let mode = meta.mode() & 0o7777;
        let mode = if depth == 0 {
            mode | 0o755
        } else {
            mode | 0o001
        };
        info!(
            "making {} traversable for the `{SYSTEM_USER}` user (mode {mode:o})",
            dir.display()
        );
        fs::set_permissions(dir, Permissions::from_mode(mode))
            .context(|| format!("could not change the permissions of {}", dir.display()))?;
    }
    Ok(())
}

/// Creates the cluster directory (`0700`) if missing, and gives it to the
/// system user, if any, when it belongs to someone else.
fn create_cluster_dir(dir: &Path, run_as: Option<SystemUser>) -> Result<(), Error> {
    let meta = match fs::metadata(dir) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            DirBuilder::new()
                .mode(0o700)
                .create(dir)
                .context(|| format!("could not create {}", dir.display()))?;
            fs::metadata(dir).context(|| format!("could not read {}", dir.display()))?
        }
        Err(error) => {
            return Err(Error::Io {
                context: format!("could not read {}", dir.display()),
                error,
            });
        }
    };
    if !meta.is_dir() {
        return Err(Error::Io {
            context: format!("could not use {}", dir.display()),
            error: io::Error::new(io::ErrorKind::AlreadyExists, "not a directory"),
        });
    }
    let Some(user) = run_as.filter(|user| meta.uid() != user.uid) else {
        return Ok(());
    };
    info!(
        "giving {} to the `{SYSTEM_USER}` system user",
        dir.display()
    );
    chown_recursive(dir, user)
        .context(|| format!("could not change the owner of {}", dir.display()))
}

/// Gives `path` and, for a directory, everything in it to `user`, without
/// following symbolic links.
fn chown_recursive(path: &Path, user: SystemUser) -> io::Result<()> {
    std::os::unix::fs::lchown(path, Some(user.uid), Some(user.gid))?;
    if fs::symlink_metadata(path)?.is_dir() {
        for entry in fs::read_dir(path)? {
            chown_recursive(&entry?.path(), user)?;
        }
    }
    Ok(())
}

/// Whether the `C.UTF-8` locale exists on this system.
fn c_utf8_locale_available() -> bool {
    // SAFETY: the name is NUL-terminated and a null base locale is allowed.
    let locale =
        unsafe { libc::newlocale(libc::LC_ALL_MASK, c"C.UTF-8".as_ptr(), ptr::null_mut()) };
    if locale.is_null() {
        return false;
    }
    // SAFETY: `locale` was returned by newlocale, is not in use and is freed once.
    unsafe { libc::freelocale(locale) };
    true
}

/// Makes `command`'s process receive `SIGINT` when the spawning thread exits.
fn set_parent_death_signal(command: &mut Command) {
    // The pid of this process, which the child checks is still its parent.
    let parent = libc::pid_t::try_from(std::process::id()).unwrap_or(libc::pid_t::MAX);
    let set = move || {
        // SAFETY: PR_SET_PDEATHSIG takes a signal number and changes only
        // this process's own attributes.
        if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT as libc::c_ulong) } == -1 {
            return Err(io::Error::last_os_error());
        }
        // The parent may have exited before the signal was requested.
        // SAFETY: getppid has no preconditions and cannot fail.
        if unsafe { libc::getppid() } != parent {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        Ok(())
    };
    // SAFETY: the closure runs between fork and exec, after the user and group
    // are changed (so the setting survives that change); it only makes the
    // async-signal-safe prctl and getppid calls and does not allocate.
    unsafe {
        command.pre_exec(set);
    }
}

/// Doubles the double quotes of a socket directory, which is then given
/// between double quotes as an item of `unix_socket_directories`.
fn quote_list_item(bytes: &[u8]) -> Vec<u8> {
    let mut quoted = Vec::with_capacity(bytes.len());
    for &byte in bytes {
        if byte == b'"' {
            quoted.push(b'"');
        }
        quoted.push(byte);
    }
    quoted
}

/// The lines of a PostgreSQL lock file (`postmaster.pid` or a socket's
/// `.lock`) that matter here.
#[derive(Debug, Default, PartialEq, Eq)]
struct LockFile {
    /// Line 1: the postmaster's pid (negative for a single-user backend).
    pid: Option<u32>,
    /// Line 2: the cluster directory.
    data_dir: Option<PathBuf>,
    /// Line 8 of `postmaster.pid`: `starting`, `stopping`, `ready` or `standby`.
    status: Option<String>,
}

impl LockFile {
    fn parse(text: &str) -> LockFile {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        LockFile {
            pid: lines
                .first()
                .and_then(|line| line.parse::<i64>().ok())
                .and_then(|pid| u32::try_from(pid.unsigned_abs()).ok())
                .filter(|&pid| pid > 0),
            data_dir: lines
                .get(1)
                .filter(|line| !line.is_empty())
                .map(PathBuf::from),
            status: lines
                .get(7)
                .filter(|line| !line.is_empty())
                .map(|line| (*line).to_owned()),
        }
    }
}

/// What a lock file says about the cluster's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LockState {
    /// There is no lock file.
    Absent,
    /// A postmaster of this cluster is alive; `ready` when it accepts connections.
    Live { pid: u32, ready: bool },
    /// The lock file has no pid (yet): it may be being written.
    Incomplete,
    /// The lock file's process is gone, or is not a postmaster of this cluster.
    Stale,
}

/// Reads the lock file `lock` of the cluster `dir`, rereading it for a while
/// when it is incomplete.
async fn read_lock_state(lock: &Path, dir: &Path) -> Result<LockState, Error> {
    for _ in 0..INCOMPLETE_RETRIES {
        match lock_state(lock, dir).context(|| format!("could not read {}", lock.display()))? {
            LockState::Incomplete => sleep(POLL_INTERVAL).await,
            state => return Ok(state),
        }
    }
    Ok(LockState::Incomplete)
}

/// Reads the lock file `lock` of the cluster `dir` once.
fn lock_state(lock: &Path, dir: &Path) -> io::Result<LockState> {
    let text = match fs::read_to_string(lock) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(LockState::Absent),
        Err(error) => return Err(error),
    };
    let lock = LockFile::parse(&text);
    let Some(pid) = lock.pid else {
        return Ok(LockState::Incomplete);
    };
    let same_dir = lock
        .data_dir
        .is_some_and(|data_dir| same_path(&data_dir, dir));
    if same_dir && is_postmaster_of(pid, dir) {
        Ok(LockState::Live {
            pid,
            ready: lock.status.as_deref() == Some("ready"),
        })
    } else {
        Ok(LockState::Stale)
    }
}

/// Whether process `pid` is alive and is a postmaster of the cluster `dir`:
/// its program is `postgres` (backends rename themselves `postgres: …`), and
/// its working directory, or else its `-D` argument, is `dir`.
fn is_postmaster_of(pid: u32, dir: &Path) -> bool {
    if !process_alive(pid) {
        return false;
    }
    let Ok(cmdline) = fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let args: Vec<&[u8]> = cmdline
        .split(|&byte| byte == 0)
        .filter(|arg| !arg.is_empty())
        .collect();
    let Some((program, args)) = args.split_first() else {
        return false;
    };
    if Path::new(OsStr::from_bytes(program)).file_name() != Some(OsStr::new("postgres")) {
        return false;
    }
    if fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == dir) {
        return true;
    }
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let value = if arg == b"-D" {
            args.next().copied()
        } else {
            arg.strip_prefix(b"-D")
        };
        if let Some(value) = value {
            return same_path(Path::new(OsStr::from_bytes(value)), dir);
        }
    }
    false
}

/// Whether process `pid` exists (owned by any user).
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists and may be
    // signalled; nothing is sent. `pid` is positive, so it names one process.
    let code = unsafe { libc::kill(pid, 0) };
    code == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Sends `signal` to process `pid`; a process that is already gone is fine.
fn send_signal(pid: u32, signal: libc::c_int) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid)
        .ok()
        .filter(|&pid| pid > 0)
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `pid` is positive, so exactly that process is signalled.
    if unsafe { libc::kill(pid, signal) } == 0 {
        return Ok(());
    }
    let error = io::Error::last_os_error();
    if error.raw_os_error() == Some(libc::ESRCH) {
        Ok(())
    } else {
        Err(error)
    }
}

/// Waits up to `limit` for `child` to exit.
async fn wait_for(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    match timeout(limit, child.wait()).await {
        Ok(status) => status.map(Some),
        Err(_) => Ok(None),
    }
}

/// Stops a postmaster that failed to become ready: immediate shutdown, then kill.
async fn abort(child: &mut Child, pid: u32) {
    if let Err(error) = send_signal(pid, libc::SIGQUIT) {
        warn!(pid, %error, "could not stop PostgreSQL");
    }
    if !matches!(wait_for(child, KILL_TIMEOUT).await, Ok(Some(_))) {
        if let Err(error) = child.start_kill() {
            warn!(pid, %error, "could not kill PostgreSQL");
        }
        let _ = child.wait().await;
    }
}

/// The PostgreSQL processes whose working directory is `dir`: a postmaster's
/// processes all work in its cluster directory, and are all named `postgres`
/// (`postgres: checkpointer`, …), unlike, say, a shell visiting it.
fn processes_in(dir: &Path) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut pids: Vec<u32> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != std::process::id())
        .filter(|pid| fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == dir))
        .filter(|pid| {
            fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
                let program = cmdline.split(|&byte| byte == 0).next().unwrap_or_default();
                Path::new(OsStr::from_bytes(program))
                    .file_name()
                    .is_some_and(|name| name.as_bytes().starts_with(b"postgres"))
            })
        })
        .collect();
    pids.sort_unstable();
    pids
}

/// Whether `path` names the canonical directory `dir`.
fn same_path(path: &Path, dir: &Path) -> bool {
    path == dir || fs::canonicalize(path).is_ok_and(|path| path == dir)
}

/// Removes `file`, which may already be gone.
fn remove_if_exists(file: &Path) -> Result<(), Error> {
    match fs::remove_file(file) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(Error::Io {
            context: format!("could not remove {}", file.display()),
            error,
        }),
        _ => Ok(()),
    }
}

/// The last lines of the log written from byte `from` on.
fn log_tail(log: &Path, from: u64) -> String {
    const MAX_BYTES: u64 = 64 * 1024;
    let read = || -> io::Result<Vec<u8>> {
        let mut file = File::open(log)?;
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(from.max(len.saturating_sub(MAX_BYTES))))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    match read() {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n");
            if tail.trim().is_empty() {
                "(nothing was logged)".to_owned()
            } else {
                tail
            }
        }
        Err(error) => format!("(the log could not be read: {error})"),
    }
}

/// Encoded in a URL's path segment or query value: everything but RFC 3986's unreserved
/// characters.
const URL_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The same, keeping slashes: a directory given as a query value.
const URL_PATH_VALUE: &AsciiSet = &URL_VALUE.remove(b'/');

/// Percent-encodes `bytes` for a URL, keeping unreserved characters and,
/// when `keep_slash`, slashes.
fn percent_encode(bytes: &[u8], keep_slash: bool) -> String {
    let set = if keep_slash {
        URL_PATH_VALUE
    } else {
        URL_VALUE
    };
    percent_encoding::percent_encode(bytes, set).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = env::temp_dir().join(format!("embedded-pg-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes an executable shell script.
    fn script(path: &Path, body: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(path, Permissions::from_mode(0o755)).unwrap();
    }

    fn fake_bindir(dir: &Path) {
        script(&dir.join("initdb"), "exit 0");
        script(&dir.join("postgres"), "exit 0");
    }

    #[test]
    fn missing_binaries_give_one_clear_error() {
        let root = scratch("missing");
        // A version directory with only one of the binaries does not count.
        script(&root.join("16/bin/initdb"), "exit 0");
        let error = find_binaries_in(None, &root).unwrap_err();
        assert!(matches!(error, Error::NotInstalled));
        let message = error.to_string();
        assert!(message.contains("were not found on PATH"), "{message}");
        assert!(message.contains("DATABASE_URL"), "{message}");
        let error = find_binaries_in(Some(OsStr::new("")), &root.join("absent")).unwrap_err();
        assert!(matches!(error, Error::NotInstalled));
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn highest_version_wins() {
        let root = scratch("versions");
        for version in ["9.6", "10", "15", "devel"] {
            fake_bindir(&root.join(version).join("bin"));
        }
        fs::create_dir_all(root.join("17/bin")).unwrap();
        assert_eq!(find_binaries_in(None, &root).unwrap(), root.join("15/bin"));
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn path_comes_first_then_pg_config() {
        let root = scratch("path");
        fake_bindir(&root.join("versions/15/bin"));
        let on_path = root.join("on-path");
        fake_bindir(&on_path);
        let reported = root.join("reported");
        fake_bindir(&reported);
        let config_dir = root.join("config");
        script(
            &config_dir.join("pg_config"),
            &format!("echo '{}'", reported.display()),
        );
        let search = env::join_paths([&config_dir, &on_path]).unwrap();
        assert_eq!(
            find_binaries_in(Some(&search), &root.join("versions")).unwrap(),
            on_path
        );
        assert_eq!(
            find_binaries_in(Some(config_dir.as_os_str()), &root.join("versions")).unwrap(),
            reported
        );
        let nothing = root.join("nothing");
        assert_eq!(
            find_binaries_in(Some(nothing.as_os_str()), &root.join("versions")).unwrap(),
            root.join("versions/15/bin")
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn lock_file_lines() {
        let text = "1234\n/srv/data/postgres\n1700000000\n5432\n/srv/data/postgres\n\n  \
                    1234567         3\nready   \n";
        assert_eq!(
            LockFile::parse(text),
            LockFile {
                pid: Some(1234),
                data_dir: Some(PathBuf::from("/srv/data/postgres")),
                status: Some("ready".to_owned()),
            }
        );
        assert_eq!(LockFile::parse(""), LockFile::default());
        assert_eq!(LockFile::parse("-77\n/x\n").pid, Some(77));
        assert_eq!(LockFile::parse("0\n").pid, None);
    }

    #[test]
    fn lock_of_unrelated_process_is_stale() {
        let dir = scratch("lock");
        let lock = dir.join(PID_FILE);
        assert_eq!(lock_state(&lock, &dir).unwrap(), LockState::Absent);
        fs::write(&lock, "").unwrap();
        assert_eq!(lock_state(&lock, &dir).unwrap(), LockState::Incomplete);
        let own = std::process::id();
        fs::write(&lock, format!("{own}\n{}\n", dir.display())).unwrap();
        assert_eq!(lock_state(&lock, &dir).unwrap(), LockState::Stale);
        fs::write(&lock, format!("1\n{}\n", dir.display())).unwrap();
        assert_eq!(lock_state(&lock, &dir).unwrap(), LockState::Stale);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn urls_encode_what_they_must() {
        assert_eq!(
            percent_encode(b"/srv/my data/pg", true),
            "/srv/my%20data/pg"
        );
        assert_eq!(percent_encode(b"a/b&c?d#e%", false), "a%2Fb%26c%3Fd%23e%25");
        let cluster = Cluster {
            dir: PathBuf::from("/srv/plan track/postgres"),
            log: PathBuf::from("/srv/plan track/postgres.log"),
            pid: 1,
            child: None,
            options: Options::default(),
        };
        assert_eq!(
            cluster.url("plantrack"),
            "postgres://postgres@localhost/plantrack?host=/srv/plan%20track/postgres&port=5432"
        );
        assert!(!cluster.owned());
    }

    #[test]
    fn socket_dirs_are_quoted() {
        assert_eq!(quote_list_item(br#"/a "b",c"#), br#"/a ""b"",c"#.to_vec());
    }

    #[test]
    fn long_socket_paths_are_refused() {
        let dir = PathBuf::from(format!("/{}", "d".repeat(100)));
        let error = check_socket_path(&dir).unwrap_err();
        assert!(
            matches!(error, Error::SocketPathTooLong { len: 115, .. }),
            "{error}"
        );
        assert!(check_socket_path(Path::new("/srv/data/postgres")).is_ok());
    }
}
