//! Users and sign-in failures.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::plan::Role;

#[derive(Debug, Clone)]
pub struct User {
    pub app_user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// The name shown on pages: the display name, else the user name.
    pub fn shown_name(&self) -> &str {
        if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

/// Creates a user; `None` when the name is taken.
pub async fn create(
    conn: &mut PgConnection,
    username: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into app_user (username, display_name, role, password_hash)
         values ($1, $2, $3, $4)
         on conflict (username) do nothing
         returning app_user_id",
        username,
        display_name,
        role.as_str(),
        password_hash
    )
    .fetch_optional(conn)
    .await
}

pub async fn by_id(conn: &mut PgConnection, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        r#"select app_user_id, username, display_name, role as "role: Role", disabled, created_at
           from app_user where app_user_id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The user and password hash for a sign-in attempt.
pub async fn credentials(
    conn: &mut PgConnection,
    username: &str,
) -> sqlx::Result<Option<(User, String)>> {
    let row = sqlx::query!(
        r#"select app_user_id, username, display_name, role as "role: Role", disabled, created_at,
                  password_hash
           from app_user where username = $1"#,
        username
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        (
            User {
                app_user_id: r.app_user_id,
                username: r.username,
                display_name: r.display_name,
                role: r.role,
                disabled: r.disabled,
                created_at: r.created_at,
            },
            r.password_hash,
        )
    }))
}

pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<User>> {
    sqlx::query_as!(
        User,
        r#"select app_user_id, username, display_name, role as "role: Role", disabled, created_at
           from app_user order by username"#
    )
    .fetch_all(conn)
    .await
}

/// Disables or enables a user; false when there is no such user.
pub async fn set_disabled(
    conn: &mut PgConnection,
    username: &str,
    disabled: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update app_user set disabled = $2, updated_at = now() where username = $1",
        username,
        disabled
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Failed sign-ins for `username` since `since`.
pub async fn failures_since(
    conn: &mut PgConnection,
    username: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from login_failure where username = $1 and at > $2"#,
        username,
        since
    )
    .fetch_one(conn)
    .await
}

pub async fn record_failure(conn: &mut PgConnection, username: &str) -> sqlx::Result<()> {
    sqlx::query!("insert into login_failure (username) values ($1)", username)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn clear_failures(conn: &mut PgConnection, username: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from login_failure where username = $1", username)
        .execute(conn)
        .await?;
    Ok(())
}
