//! `plantrack backup` and `plantrack restore`: the whole database (figures, history, users,
//! sessions) as one pg_dump archive.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use tokio::process::Command;

use crate::config::Config;
use crate::db::{self, EMBEDDED_DATABASE};
use crate::embedded_pg::{self, Cluster};

/// A PostgreSQL client program: beside the server binaries when they are found, else on PATH.
fn program(name: &str) -> PathBuf {
    embedded_pg::find_binaries()
        .map(|dir| dir.join(name))
        .ok()
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// The database to work on, as a libpq URL, and the cluster started for it if any.
async fn target(config: &Config) -> anyhow::Result<(String, Option<Cluster>)> {
    match &config.database_url {
        Some(url) => Ok((url.clone(), None)),
        None => {
            let cluster = Cluster::start(&config.data_dir, embedded_pg::Options::default()).await?;
            db::create_database_if_missing(&cluster, EMBEDDED_DATABASE).await?;
            Ok((cluster.url(EMBEDDED_DATABASE), Some(cluster)))
        }
    }
}

async fn run(program: PathBuf, args: &[&str]) -> anyhow::Result<()> {
    let output = Command::new(&program)
        .args(args)
        .output()
        .await
        .with_context(|| {
            format!(
                "cannot run {}: install the PostgreSQL client programs",
                program.display()
            )
        })?;
    if !output.status.success() {
        bail!(
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Writes the database to `file` (pg_dump's custom format).
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<()> {
    let (url, cluster) = target(config).await?;
    let path = file.to_string_lossy().into_owned();
    let result = run(
        program("pg_dump"),
        &[
            "--format=custom",
            "--no-owner",
            "--file",
            &path,
            "--dbname",
            &url,
        ],
    )
    .await;
    if let Some(cluster) = cluster {
        cluster.stop().await?;
    }
    result
}

/// Restores `file` into an empty database (a new data directory, or an empty server database),
/// then brings its schema up to date.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(file.is_file(), "{} is not a file", file.display());
    let (url, cluster) = target(config).await?;
    let result = async {
        let pool = db::pool_options().connect(&url).await.context("cannot connect to PostgreSQL")?;
        let tables: i64 = sqlx::query_scalar(
            "select count(*) from information_schema.tables where table_schema = 'public'",
        )
        .fetch_one(&pool)
        .await?;
        pool.close().await;
        if tables > 0 {
            bail!(
                "the database is not empty; restore into a new data directory (--data-dir) or an empty database, \
                 so that nothing there is overwritten"
            );
        }
        let path = file.to_string_lossy().into_owned();
        run(
            program("pg_restore"),
            &["--no-owner", "--exit-on-error", "--single-transaction", "--dbname", &url, &path],
        )
        .await?;
        let pool = db::pool_options().connect(&url).await?;
        db::migrate(&pool).await?;
        pool.close().await;
        Ok(())
    }
    .await;
    if let Some(cluster) = cluster {
        cluster.stop().await?;
    }
    result
}
