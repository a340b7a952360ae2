//! plantrack: tracks multi-year government plans — indicators with a baseline, a target and
//! yearly figures, and the programmes that deliver them — and publishes their progress.
//!
//! The binary's commands are thin wrappers around the functions here; the site itself is
//! [`web::app`], a router that tests drive without a socket.

pub mod annual;
pub mod backup;
pub mod config;
pub mod db;
pub mod domain;
pub mod embedded_pg;
pub mod i18n;
pub mod mail;
pub mod opendata;
pub mod raster;
pub mod report;
pub mod store;
pub mod transfer;
pub mod users;
pub mod web;

use anyhow::Context;
use sqlx::PgPool;
use std::path::PathBuf;

use crate::config::Config;
use crate::db::Database;
use crate::domain::seed::SeedFile;
use crate::store::seed::SeedReport;

/// The default plan, loaded by `serve` into a database that holds no plan.
pub const DEFAULT_SEED: &str = include_str!("../seeds/chongqing-sti-2021-2025.toml");

/// Runs the site until SIGINT or SIGTERM, then stops the embedded cluster if it started it.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    // Bind first: a port already in use is reported before anything else starts.
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let mut db = Database::open(&config).await?;
    // An embedded server that dies (killed for lack of memory, say) is started again.
    db.supervise();
    let result = async {
        if let Some(report) = load_default_plan_if_empty(&db.pool).await? {
            tracing::info!("loaded the default plan: {report}");
        }
        let addr = listener.local_addr()?;
        tracing::info!("plantrack is serving on http://{addr}");
        // The address actually bound (port 0 picks one): links are built from it when no
        // public address is configured.
        let config = Config { addr, ..config };
        let mut state = web::AppState::new(db.pool.clone(), config);
        let background = [
            web::cache::spawn_listener(db.pool.clone(), state.cache.clone()),
            spawn_session_sweeper(db.pool.clone()),
        ];
        // Without a mail server there is no queue and no task.
        let mut mail_task = None;
        if let Some((mailer, task)) = mail::Mailer::start(db.pool.clone(), &state.config) {
            state = state.with_mailer(mailer);
            mail_task = Some(task);
        }
        let served = web::serve(listener, state)
            .await
            .context("the server stopped with an error");
        for task in background {
            task.abort();
        }
        if let Some(task) = mail_task {
            mail::drain(task).await;
        }
        served
    }
    .await;
    db.close().await?;
    result
}

/// Deletes expired sessions every ten minutes (each instance takes part; it is idempotent).
fn spawn_session_sweeper(pool: PgPool) -> tokio::task::JoinHandle<()> {
    let store = store::sessions::PgSessionStore::new(pool);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!("cannot delete expired sessions: {e}");
            }
        }
    })
}

/// Brings the database schema up to date.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    Database::open(config).await?.close().await
}

/// Loads the default plan when the database holds no plan at all.
pub async fn load_default_plan_if_empty(pool: &PgPool) -> anyhow::Result<Option<SeedReport>> {
    let mut tx = pool.begin().await?;
    // One loader at a time, so two instances starting together load the plan once.
    store::lock::lock(&mut tx, store::lock::LockKey::DefaultPlan).await?;
    let any = sqlx::query_scalar!("select exists (select 1 from plan) as \"any!\"")
        .fetch_one(&mut *tx)
        .await?;
    if any {
        return Ok(None);
    }
    let seed = SeedFile::parse(DEFAULT_SEED).context("the built-in default plan is invalid")?;
    let report = store::seed::apply(&mut tx, &seed).await?;
    tx.commit().await?;
    Ok(Some(report))
}

/// Loads seed files in one transaction: either every file is applied or none is.
pub async fn seed(config: &Config, files: &[PathBuf]) -> anyhow::Result<Vec<SeedReport>> {
    let mut seeds = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        match SeedFile::parse(&text) {
            Ok(seed) => seeds.push(seed),
            Err(e) => problems.push(format!(
                "{}:\n  {}",
                path.display(),
                e.to_string().replace('\n', "\n  ")
            )),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "nothing was loaded; fix these problems first:\n{}",
            problems.join("\n")
        );
    }
    let db = Database::open(config).await?;
    let result = apply_seeds(&db.pool, &seeds).await;
    db.close().await?;
    result
}

/// Applies parsed seed files in one transaction.
pub async fn apply_seeds(pool: &PgPool, seeds: &[SeedFile]) -> anyhow::Result<Vec<SeedReport>> {
    let mut tx = pool.begin().await?;
    let mut reports = Vec::new();
    for seed in seeds {
        // Checked here, after the files before it: a file may continue a plan loaded with it.
        let problems = store::definitions::reference_problems(&mut tx, seed).await?;
        if !problems.is_empty() {
            let list: Vec<String> = problems.into_iter().map(|p| p.text).collect();
            anyhow::bail!("{}: {}", seed.plan.slug, list.join("\n"));
        }
        reports.push(store::seed::apply(&mut tx, seed).await?);
    }
    tx.commit().await?;
    Ok(reports)
}
