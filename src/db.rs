//! Opening the database: an existing server named by `DATABASE_URL`, or the embedded cluster.

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

use crate::config::Config;
use crate::embedded_pg::{self, Cluster, Supervisor};

/// The database the embedded cluster holds plantrack's data in.
pub const EMBEDDED_DATABASE: &str = "plantrack";

/// A connection pool, and the embedded cluster behind it when there is one.
pub struct Database {
    pub pool: PgPool,
    cluster: Option<Embedded>,
}

/// The embedded cluster, once [supervised](Database::supervise) or not.
enum Embedded {
    Started(Box<Cluster>),
    Supervised(Supervisor),
}

impl Database {
    /// Connects as `config` says, starting the embedded cluster when no URL is given, and
    /// brings the schema up to date.
    pub async fn open(config: &Config) -> anyhow::Result<Database> {
        let (options, cluster) = match &config.database_url {
            Some(url) => {
                let options = PgConnectOptions::from_str(url)
                    .context("DATABASE_URL is not a valid PostgreSQL URL")?;
                (options, None)
            }
            None => {
                let cluster =
                    Cluster::start(&config.data_dir, embedded_pg::Options::default()).await?;
                create_database_if_missing(&cluster, EMBEDDED_DATABASE).await?;
                let options = PgConnectOptions::from_str(&cluster.url(EMBEDDED_DATABASE))?;
                (options, Some(cluster))
            }
        };
        let pool = pool_options()
            .connect_with(
                session_settings(options).log_statements(tracing::log::LevelFilter::Trace),
            )
            .await
            .context("cannot connect to PostgreSQL")?;
        migrate(&pool).await?;
        Ok(Database {
            pool,
            cluster: cluster.map(|c| Embedded::Started(Box::new(c))),
        })
    }

    /// From now on, restarts the embedded cluster whenever its server dies (see
    /// [`Cluster::supervise`]); the pool's connections recover by themselves once it
    /// answers again. Does nothing with `DATABASE_URL`, whose server is someone else's.
    pub fn supervise(&mut self) {
        if let Some(Embedded::Started(cluster)) = self.cluster.take() {
            self.cluster = Some(Embedded::Supervised((*cluster).supervise()));
        }
    }

    /// Closes the pool and stops the embedded cluster if this process started it.
    pub async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        match self.cluster {
            Some(Embedded::Started(cluster)) => cluster.stop().await?,
            Some(Embedded::Supervised(supervisor)) => supervisor.stop().await?,
            None => {}
        }
        Ok(())
    }
}

/// The settings of the site's connections. A page runs a handful of small indexed queries; with
/// a whole country's figures (12 million) PostgreSQL's planner overestimates some of them (the
/// figures of one plan's programmes) and would start parallel workers and compile them with
/// JIT: 100 ms instead of 0.5 ms for one plan's figures. Neither pays for queries this small.
pub fn session_settings(options: PgConnectOptions) -> PgConnectOptions {
    options.options([("jit", "off"), ("max_parallel_workers_per_gather", "0")])
}

/// Pool settings: a request waits at most two seconds for a connection, so an unreachable
/// database gives a prompt 503 rather than a hanging page. Every connection is checked
/// before it is handed out, so those left broken by a restart of the server are replaced
/// (new ones are tried again within those two seconds while the server is starting).
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .test_before_acquire(true)
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::migrate!()
        .run(pool)
        .await
        .context("cannot bring the database schema up to date")
}

/// Creates `name` in the embedded cluster unless it exists.
pub async fn create_database_if_missing(cluster: &Cluster, name: &str) -> anyhow::Result<()> {
    let options = PgConnectOptions::from_str(&cluster.url("postgres"))?;
    let mut conn = sqlx::PgConnection::connect_with(&options)
        .await
        .context("cannot connect to the embedded cluster")?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        // Identifiers cannot be bound; `name` is a constant of this program or a test's own.
        sqlx::query(&format!("create database \"{name}\""))
            .execute(&mut conn)
            .await?;
    }
    conn.close().await?;
    Ok(())
}
