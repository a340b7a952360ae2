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
    /// Where mail to them goes, if anywhere.
    pub email: Option<String>,
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
        r#"select app_user_id, username, display_name, role as "role: Role", disabled, created_at,
                  email
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
                  email, password_hash
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
                email: r.email,
            },
            r.password_hash,
        )
    }))
}

pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<User>> {
    sqlx::query_as!(
        User,
        r#"select app_user_id, username, display_name, role as "role: Role", disabled, created_at,
                  email
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

/// Sets a user's password hash; false when there is no such user.
pub async fn set_password(
    conn: &mut PgConnection,
    username: &str,
    password_hash: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update app_user set password_hash = $2, updated_at = now() where username = $1",
        username,
        password_hash
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets or clears a user's e-mail address (already checked); false when there is no such user.
pub async fn set_email(
    conn: &mut PgConnection,
    username: &str,
    email: Option<&str>,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update app_user set email = $2, updated_at = now() where username = $1",
        username,
        email
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user a name belongs to, if any.
pub async fn id_of(conn: &mut PgConnection, username: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select app_user_id from app_user where username = $1",
        username
    )
    .fetch_optional(conn)
    .await
}

/// Whether the browser holding the token with this SHA-256 has signed in as `username` before.
pub async fn is_known_device(
    conn: &mut PgConnection,
    username: &str,
    token_hash: &str,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (
               select 1 from known_device join app_user using (app_user_id)
               where username = $1 and token_hash = $2 and not disabled
           ) as "known!""#,
        username,
        token_hash
    )
    .fetch_one(conn)
    .await
}

/// How many browsers are remembered per user; the least recently used beyond it are forgotten.
pub const KNOWN_DEVICES_PER_USER: i64 = 20;

/// Remembers that the browser holding the token with this SHA-256 signed in as the user.
pub async fn remember_device(
    conn: &mut PgConnection,
    app_user_id: i64,
    token_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into known_device (app_user_id, token_hash) values ($1, $2)
         on conflict (app_user_id, token_hash) do update set last_used_at = now()",
        app_user_id,
        token_hash
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from known_device where app_user_id = $1 and known_device_id not in (
             select known_device_id from known_device where app_user_id = $1
             order by last_used_at desc limit $2)",
        app_user_id,
        KNOWN_DEVICES_PER_USER
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What a throttle counts attempts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A user name typed on the sign-in form (whether or not it exists).
    Name,
    /// A client address (an IPv4 address or an IPv6 /64).
    Address,
    /// A browser that has signed in as the named user before.
    Device,
    /// A signed-in user checking their current password to change it.
    Change,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Name => "name",
            Scope::Address => "address",
            Scope::Device => "device",
            Scope::Change => "change",
        }
    }
}

/// A growing delay: the first `free - 1` attempts go through at once; from the `free`-th on,
/// each attempt must wait 2, 4, 8 … seconds after the one before (at most `cap_seconds`). A
/// key untried for `forget_seconds` after its wait ended starts again from nothing.
#[derive(Debug, Clone, Copy)]
pub struct Delay {
    pub free: i32,
    pub cap_seconds: i32,
    pub forget_seconds: i32,
}

/// Counts an attempt for `key` before the password is checked, in one statement (so parallel
/// attempts cannot all see the same count): `Ok(())` when it may go ahead, else the seconds
/// to wait.
pub async fn reserve_delayed(
    conn: &mut PgConnection,
    scope: Scope,
    key: &str,
    delay: Delay,
) -> sqlx::Result<Result<(), i64>> {
    let reserved = sqlx::query_scalar!(
        "insert into login_throttle as t (scope, throttle_key, attempts, next_allowed, forget_at)
         values ($1, $2, 1, now() + login_throttle_delay(1, $3, $4),
                 now() + login_throttle_delay(1, $3, $4) + make_interval(secs => $5))
         on conflict (scope, throttle_key) do update set
             attempts = case when t.forget_at <= now() then 1 else t.attempts + 1 end,
             next_allowed = now() + login_throttle_delay(
                 case when t.forget_at <= now() then 1 else t.attempts + 1 end, $3, $4),
             forget_at = now() + login_throttle_delay(
                 case when t.forget_at <= now() then 1 else t.attempts + 1 end, $3, $4)
                 + make_interval(secs => $5)
         where t.forget_at <= now() or t.next_allowed <= now()
         returning attempts",
        scope.as_str(),
        key,
        delay.free,
        delay.cap_seconds,
        f64::from(delay.forget_seconds)
    )
    .fetch_optional(&mut *conn)
    .await?;
    if reserved.is_some() {
        return Ok(Ok(()));
    }
    let wait = sqlx::query_scalar!(
        r#"select greatest(ceil(extract(epoch from next_allowed - now())), 1)::bigint as "wait!"
           from login_throttle where scope = $1 and throttle_key = $2"#,
        scope.as_str(),
        key
    )
    .fetch_optional(conn)
    .await?;
    Ok(Err(wait.unwrap_or(1)))
}

/// Counts an attempt for `key` in a fixed window: at most `max` within `window_seconds`.
/// `Ok(())` when it may go ahead, else the seconds until the window ends.
pub async fn reserve_windowed(
    conn: &mut PgConnection,
    scope: Scope,
    key: &str,
    max: i32,
    window_seconds: i32,
) -> sqlx::Result<Result<(), i64>> {
    let reserved = sqlx::query_scalar!(
        "insert into login_throttle as t (scope, throttle_key, attempts, next_allowed, forget_at)
         values ($1, $2, 1, now(), now() + make_interval(secs => $4))
         on conflict (scope, throttle_key) do update set
             attempts = case when t.forget_at <= now() then 1 else t.attempts + 1 end,
             forget_at = case when t.forget_at <= now() then now() + make_interval(secs => $4)
                         else t.forget_at end
         where t.forget_at <= now() or t.attempts < $3
         returning attempts",
        scope.as_str(),
        key,
        max,
        f64::from(window_seconds)
    )
    .fetch_optional(&mut *conn)
    .await?;
    if reserved.is_some() {
        return Ok(Ok(()));
    }
    let wait = sqlx::query_scalar!(
        r#"select greatest(ceil(extract(epoch from forget_at - now())), 1)::bigint as "wait!"
           from login_throttle where scope = $1 and throttle_key = $2"#,
        scope.as_str(),
        key
    )
    .fetch_optional(conn)
    .await?;
    Ok(Err(wait.unwrap_or(1)))
}

/// Gives back an attempt that was counted but never made (no password was checked) or that
/// succeeded: the count goes down by one and no wait is left from it.
pub async fn refund(conn: &mut PgConnection, scope: Scope, key: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update login_throttle set attempts = greatest(attempts - 1, 0),
             next_allowed = least(next_allowed, now())
         where scope = $1 and throttle_key = $2",
        scope.as_str(),
        key
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets every attempt counted for `key` (after a successful sign-in).
pub async fn clear(conn: &mut PgConnection, scope: Scope, key: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from login_throttle where scope = $1 and throttle_key = $2",
        scope.as_str(),
        key
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the counts whose time has passed; returns how many.
pub async fn prune_throttle(conn: &mut PgConnection) -> sqlx::Result<u64> {
    Ok(
        sqlx::query!("delete from login_throttle where forget_at < now()")
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
