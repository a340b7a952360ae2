//! Sessions in PostgreSQL, so they survive a restart and every instance of the site shares them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::sync::Arc;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::web::cache::PageCache;

#[derive(Clone)]
pub struct PgSessionStore {
    pool: PgPool,
    /// Where sessions are kept in memory between changes, if anywhere.
    cache: Option<Arc<PageCache>>,
}

impl std::fmt::Debug for PgSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSessionStore").finish_non_exhaustive()
    }
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> Self {
        PgSessionStore { pool, cache: None }
    }

    /// The same store, keeping sessions read in `cache` until they change (a notification
    /// from the database tells every instance; see `web::cache`).
    pub fn kept_in(self, cache: Arc<PageCache>) -> Self {
        PgSessionStore {
            cache: Some(cache),
            ..self
        }
    }

    /// This instance changed or ended session `id`.
    fn changed(&self, id: &Id) {
        if let Some(cache) = &self.cache {
            cache.forget_session(&id.to_string());
        }
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> sqlx::Result<u64> {
        Ok(sqlx::query!("delete from session where expires_at < now()")
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}

/// Ends every session signed in as the user (the account was disabled, or its password
/// changed); returns how many.
pub async fn delete_for_user(conn: &mut sqlx::PgConnection, app_user_id: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "delete from session where data ->> 'user_id' = $1",
        app_user_id.to_string()
    )
    .execute(conn)
    .await?
    .rows_affected())
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// A failed query; when the database is unreachable the request is told so, to be answered
/// with a 503 rather than the session layer's bare 500.
fn query_failed(e: sqlx::Error) -> session_store::Error {
    if crate::web::error::is_outage(&e) {
        crate::web::error::note_session_store_down();
    }
    backend(e)
}

fn expires_at(record: &Record) -> session_store::Result<DateTime<Utc>> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0)
        .ok_or_else(|| backend("expiry out of range"))
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let expires = expires_at(record)?;
        // A new id until it is unique: never take over another session's row.
        loop {
            let inserted = sqlx::query!(
                "insert into session (session_id, data, expires_at) values ($1, $2, $3)
                 on conflict (session_id) do nothing",
                record.id.to_string(),
                data,
                expires
            )
            .execute(&self.pool)
            .await
            .map_err(query_failed)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query!(
            "insert into session (session_id, data, expires_at) values ($1, $2, $3)
             on conflict (session_id) do update set data = excluded.data, expires_at = excluded.expires_at",
            record.id.to_string(),
            data,
            expires_at(record)?
        )
        .execute(&self.pool)
        .await
        .map_err(query_failed)?;
        self.changed(&record.id);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match &self.cache {
            Some(cache) => cache.session(id.to_string(), self.read(id)).await,
            None => self.read(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query!("delete from session where session_id = $1", id.to_string())
            .execute(&self.pool)
            .await
            .map_err(query_failed)?;
        self.changed(id);
        Ok(())
    }
}

impl PgSessionStore {
    async fn read(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = sqlx::query!(
            "select data, expires_at from session where session_id = $1 and expires_at > now()",
            id.to_string()
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(query_failed)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_value(row.data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
                .map_err(backend)?,
        }))
    }
}
