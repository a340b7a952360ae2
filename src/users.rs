//! The `plantrack user` commands.

use anyhow::Context;

use crate::config::Config;
use crate::db::Database;
use crate::domain::account;
use crate::domain::plan::Role;
use crate::store::users::{self, User};

pub async fn add(
    config: &Config,
    name: &str,
    role: &str,
    display_name: &str,
    password: &str,
) -> anyhow::Result<()> {
    let username = account::username(name)?;
    let role: Role = role.parse()?;
    account::check_password(password, &username)?;
    let hash = account::hash_password(password)?;
    let db = Database::open(config).await?;
    let result = async {
        let mut conn = db.pool.acquire().await?;
        users::create(&mut conn, &username, display_name.trim(), role, &hash)
            .await?
            .with_context(|| format!("the user name {username} is taken; nothing was changed"))
    }
    .await;
    db.close().await?;
    result.map(|_| ())
}

pub async fn list(config: &Config) -> anyhow::Result<Vec<User>> {
    let db = Database::open(config).await?;
    let result = async { Ok(users::list(&mut *db.pool.acquire().await?).await?) }.await;
    db.close().await?;
    result
}

pub async fn disable(config: &Config, name: &str) -> anyhow::Result<()> {
    let username = account::username(name)?;
    let db = Database::open(config).await?;
    let result = async {
        let found = users::set_disabled(&mut *db.pool.acquire().await?, &username, true).await?;
        anyhow::ensure!(found, "there is no user {username}");
        Ok(())
    }
    .await;
    db.close().await?;
    result
}
