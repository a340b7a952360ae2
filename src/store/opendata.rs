//! SQL of the open-data features: uploads awaiting confirmation, the feed of published figures,
//! and figures written by an import.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::plan::{Confidence, ObservationKind, ObservationState};
use crate::store::figures::Owner;

/// An upload kept between its preview and the analyst's confirmation.
#[derive(Debug, Clone)]
pub struct PendingUpload {
    pub upload_id: String,
    pub app_user_id: i64,
    pub plan_id: i64,
    pub file_name: String,
    pub preview: Value,
    pub expires_at: DateTime<Utc>,
}

/// Keeps a checked upload for `minutes`, dropping every expired one on the way; returns its id.
pub async fn keep_upload(
    conn: &mut PgConnection,
    app_user_id: i64,
    plan_id: i64,
    file_name: &str,
    preview: &Value,
    minutes: i32,
) -> sqlx::Result<String> {
    sqlx::query!("delete from upload where expires_at < now()")
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar!(
        "insert into upload (app_user_id, plan_id, file_name, preview, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5))
         returning upload_id",
        app_user_id,
        plan_id,
        file_name,
        preview,
        minutes
    )
    .fetch_one(conn)
    .await
}

/// The user's upload `upload_id` for plan `plan_id`, unless it expired.
pub async fn upload(
    conn: &mut PgConnection,
    upload_id: &str,
    app_user_id: i64,
    plan_id: i64,
) -> sqlx::Result<Option<PendingUpload>> {
    sqlx::query_as!(
        PendingUpload,
        "select upload_id, app_user_id, plan_id, file_name, preview, expires_at
         from upload
         where upload_id = $1 and app_user_id = $2 and plan_id = $3 and expires_at >= now()",
        upload_id,
        app_user_id,
        plan_id
    )
    .fetch_optional(conn)
    .await
}

/// [`upload`], locked until the transaction ends; an upload being confirmed by another request
/// is not found, so one upload is saved at most once.
pub async fn lock_upload(
    conn: &mut PgConnection,
    upload_id: &str,
    app_user_id: i64,
    plan_id: i64,
) -> sqlx::Result<Option<PendingUpload>> {
    sqlx::query_as!(
        PendingUpload,
        "select upload_id, app_user_id, plan_id, file_name, preview, expires_at
         from upload
         where upload_id = $1 and app_user_id = $2 and plan_id = $3 and expires_at >= now()
         for update skip locked",
        upload_id,
        app_user_id,
        plan_id
    )
    .fetch_optional(conn)
    .await
}

/// Forgets an upload (confirmed or cancelled). True if it was there.
pub async fn drop_upload(
    conn: &mut PgConnection,
    upload_id: &str,
    app_user_id: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "delete from upload where upload_id = $1 and app_user_id = $2",
        upload_id,
        app_user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A published figure as the feed shows it.
#[derive(Debug, Clone)]
pub struct PublishedFigure {
    pub observation_id: i64,
    pub version: i32,
    pub year: i32,
    pub kind: ObservationKind,
    pub value: Decimal,
    pub source: String,
    pub note: String,
    pub published_at: DateTime<Utc>,
    pub indicator_code: Option<String>,
    pub programme_slug: Option<String>,
    pub name_en: String,
    pub name_zh: String,
    pub unit_en: String,
    pub unit_zh: String,
    pub percent: bool,
    pub decimals: i16,
}

/// A plan's published figures, the most recently published first, at most `limit`.
pub async fn recently_published(
    conn: &mut PgConnection,
    plan_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<PublishedFigure>> {
    sqlx::query_as!(
        PublishedFigure,
        r#"select o.observation_id, o.version, o.year, o.kind as "kind: ObservationKind", o.value,
                  o.source, o.note, o.published_at as "published_at!",
                  i.code as "indicator_code?", p.slug as "programme_slug?",
                  coalesce(i.name_en, p.name_en) as "name_en!",
                  coalesce(i.name_zh, p.name_zh) as "name_zh!",
                  coalesce(i.unit_en, p.unit_en) as "unit_en!",
                  coalesce(i.unit_zh, p.unit_zh) as "unit_zh!",
                  coalesce(i.unit = 'percent', false) as "percent!",
                  coalesce(i.decimals, 0::smallint) as "decimals!"
           from observation o
           left join indicator i on i.indicator_id = o.indicator_id
           left join programme p on p.programme_id = o.programme_id
           where o.state = 'published' and o.published_at is not null
             and (i.plan_id = $1 or p.plan_id = $1)
           order by o.published_at desc, o.observation_id desc
           limit $2"#,
        plan_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// The ids of a plan's indicators and programmes by code and slug.
pub async fn owners(
    conn: &mut PgConnection,
    plan_id: i64,
) -> sqlx::Result<std::collections::HashMap<String, Owner>> {
    let rows = sqlx::query!(
        r#"select 'indicator' as "what!", indicator_id as "id!", code as "key!"
           from indicator where plan_id = $1
           union all
           select 'programme', programme_id, slug from programme where plan_id = $1"#,
        plan_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let owner = if r.what == "indicator" {
                Owner::Indicator(r.id)
            } else {
                Owner::Programme(r.id)
            };
            let key = if r.what == "indicator" {
                r.key
            } else {
                format!("programme:{}", r.key)
            };
            (key, owner)
        })
        .collect())
}

/// A figure written by an import, exactly as the file gives it.
pub struct ImportedFigure<'a> {
    pub owner: Owner,
    pub year: i32,
    pub kind: ObservationKind,
    pub state: ObservationState,
    pub value: Decimal,
    pub source: &'a str,
    pub confidence: Option<Confidence>,
    pub note: &'a str,
    pub published_at: Option<DateTime<Utc>>,
}

/// Inserts an imported figure (no account entered it); returns its id.
pub async fn insert_figure(conn: &mut PgConnection, f: &ImportedFigure<'_>) -> sqlx::Result<i64> {
    let (indicator_id, programme_id) = f.owner.ids();
    let published_at = match f.state {
        ObservationState::Published => Some(f.published_at.unwrap_or_else(Utc::now)),
        ObservationState::Draft => None,
    };
    sqlx::query_scalar!(
        "insert into observation (indicator_id, programme_id, year, kind, state, value, source,
                                  confidence, note, published_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         returning observation_id",
        indicator_id,
        programme_id,
        f.year,
        f.kind.as_str(),
        f.state.as_str(),
        f.value,
        f.source,
        f.confidence.map(Confidence::as_str),
        f.note,
        published_at
    )
    .fetch_one(conn)
    .await
}

/// Whether some plan is the one shown at the site's root.
pub async fn has_default_plan(conn: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar!("select exists (select 1 from plan where is_default) as \"any!\"")
        .fetch_one(conn)
        .await
}

/// The id of the plan `slug`, if the database holds it.
pub async fn plan_id(conn: &mut PgConnection, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select plan_id from plan where slug = $1", slug)
        .fetch_optional(conn)
        .await
}
