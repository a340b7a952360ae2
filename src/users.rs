//! The `plantrack user` commands.

use anyhow::Context;

use crate::config::Config;
use crate::db::Database;
use crate::domain::account;
use crate::domain::plan::Role;
use crate::i18n::Lang;
use crate::store::sessions;
use crate::store::users::{self, User};

/// A new account as `plantrack user add` describes it.
pub struct NewAccount<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    /// Where mail to them goes; `None` or empty for no mail.
    pub email: Option<&'a str>,
    /// The language of their mails until they first sign in (then the one they sign in with).
    pub language: Option<Lang>,
}

pub async fn add(config: &Config, new: NewAccount<'_>) -> anyhow::Result<()> {
    let username = account::username(new.name)?;
    let role: Role = new.role.parse()?;
    account::check_password(new.password, &username)?;
    let email = account::email(new.email.unwrap_or(""))
        .map_err(|e| anyhow::anyhow!("--email: {e}; nothing was changed"))?;
    let hash = account::hash_password(new.password)?;
    let db = Database::open(config).await?;
    let result = async {
        let mut tx = db.pool.begin().await?;
        let id = users::create(&mut tx, &username, new.display_name.trim(), role, &hash)
            .await?
            .with_context(|| format!("the user name {username} is taken; nothing was changed"))?;
        users::set_email(&mut tx, &username, email.as_deref()).await?;
        if let Some(lang) = new.language {
            crate::store::mail::set_language(&mut tx, id, lang).await?;
        }
        tx.commit().await?;
        Ok(id)
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

/// Disables an account and ends its sessions (so enabling it later does not revive them);
/// returns how many sessions ended.
pub async fn disable(config: &Config, name: &str) -> anyhow::Result<u64> {
    let username = account::username(name)?;
    let db = Database::open(config).await?;
    let result = async {
        let mut tx = db.pool.begin().await?;
        let id = users::id_of(&mut tx, &username)
            .await?
            .with_context(|| format!("there is no user {username}"))?;
        users::set_disabled(&mut tx, &username, true).await?;
        let ended = sessions::delete_for_user(&mut tx, id).await?;
        tx.commit().await?;
        Ok(ended)
    }
    .await;
    db.close().await?;
    result
}

/// Sets a new password (under the same rules as a new account's) and ends the account's
/// sessions; returns how many ended.
pub async fn password(config: &Config, name: &str, password: &str) -> anyhow::Result<u64> {
    let username = account::username(name)?;
    account::check_password(password, &username)?;
    let hash = account::hash_password(password)?;
    let db = Database::open(config).await?;
    let result = async {
        let mut tx = db.pool.begin().await?;
        let id = users::id_of(&mut tx, &username)
            .await?
            .with_context(|| format!("there is no user {username}; nothing was changed"))?;
        users::set_password(&mut tx, &username, &hash).await?;
        let ended = sessions::delete_for_user(&mut tx, id).await?;
        tx.commit().await?;
        Ok(ended)
    }
    .await;
    db.close().await?;
    result
}
