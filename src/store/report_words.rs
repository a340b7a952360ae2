//! The officials' own words in a plan's annual report: a summary and recommendations per plan
//! and year. An official drafts them, another official publishes them or sends them back, like
//! commentary. At most one published and one draft row per plan and year; every change is
//! recorded in `revision` (entity `report`, with the year).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::domain::plan::ObservationState;
use crate::store::plans::Visibility;
use crate::store::review::{Placed, Published, Reviewed};
use crate::store::revision::{self, Action, Actor, Reason, Revision, Subject};
use crate::store::users::User;

/// One version of a year's words.
#[derive(Debug, Clone)]
pub struct Words {
    pub plan_report_id: i64,
    pub year: i32,
    pub state: ObservationState,
    pub summary: String,
    pub recommendations: String,
    pub entered_by: Option<i64>,
    pub entered_by_name: Option<String>,
    pub entered_at: DateTime<Utc>,
    pub published_by_name: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub returned_by_name: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub review_comment: String,
    pub version: i32,
}

impl Words {
    fn json(&self, state: &str) -> Value {
        json_of(&self.summary, &self.recommendations, state)
    }
}

/// A year's published and draft words.
#[derive(Debug, Clone, Default)]
pub struct YearWords {
    pub published: Option<Words>,
    pub draft: Option<Words>,
}

impl YearWords {
    /// Identifies this state: any save, publication or send-back changes it.
    pub fn token(&self) -> String {
        let v = |w: &Option<Words>| w.as_ref().map_or(0, |w| w.version);
        format!("{}-{}", v(&self.published), v(&self.draft))
    }

    /// What they read now for those who may see drafts.
    pub fn current(&self) -> Option<&Words> {
        self.draft.as_ref().or(self.published.as_ref())
    }
}

fn json_of(summary: &str, recommendations: &str, state: &str) -> Value {
    json!({ "summary": summary, "recommendations": recommendations, "state": state })
}

/// Every year's words of a plan that `visibility` allows, by year.
pub async fn for_plan(
    conn: &mut PgConnection,
    plan_id: i64,
    visibility: Visibility,
) -> sqlx::Result<HashMap<i32, YearWords>> {
    let rows = sqlx::query_as!(
        Words,
        r#"select r.plan_report_id, r.year, r.state as "state: ObservationState",
                  r.summary, r.recommendations, r.entered_by,
                  eu.username as "entered_by_name?", r.entered_at,
                  pu.username as "published_by_name?", r.published_at,
                  ru.username as "returned_by_name?", r.returned_at, r.review_comment, r.version
           from plan_report r
           left join app_user eu on eu.app_user_id = r.entered_by
           left join app_user pu on pu.app_user_id = r.published_by
           left join app_user ru on ru.app_user_id = r.returned_by
           where r.plan_id = $1 and (r.state = 'published' or $2)
           order by r.plan_report_id"#,
        plan_id,
        visibility == Visibility::WithDrafts
    )
    .fetch_all(conn)
    .await?;
    let mut map = HashMap::<i32, YearWords>::new();
    for row in rows {
        let entry = map.entry(row.year).or_default();
        match row.state {
            ObservationState::Published => entry.published = Some(row),
            ObservationState::Draft => entry.draft = Some(row),
        }
    }
    Ok(map)
}

/// The years of a plan whose report is published, oldest first.
pub async fn published_years(conn: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<i32>> {
    sqlx::query_scalar!(
        "select year from plan_report where plan_id = $1 and state = 'published' order by year",
        plan_id
    )
    .fetch_all(conn)
    .await
}

/// One year's words, their rows locked until the transaction ends.
async fn lock(conn: &mut PgConnection, plan_id: i64, year: i32) -> sqlx::Result<YearWords> {
    sqlx::query!(
        "select plan_report_id from plan_report where plan_id = $1 and year = $2 for update",
        plan_id,
        year
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(for_plan(conn, plan_id, Visibility::WithDrafts)
        .await?
        .remove(&year)
        .unwrap_or_default())
}

#[derive(Debug)]
pub enum SaveOutcome {
    Saved,
    /// Equal to what is stored: nothing written.
    Unchanged,
    /// Someone changed the words since `token` was read; nothing written.
    Conflict(Box<YearWords>),
}

/// Saves the year's words as a draft, if they are still as the official last saw them.
#[allow(clippy::too_many_arguments)]
pub async fn save_draft(
    conn: &mut PgConnection,
    plan_id: i64,
    year: i32,
    summary: &str,
    recommendations: &str,
    user: &User,
    token: &str,
) -> sqlx::Result<SaveOutcome> {
    let now = lock(conn, plan_id, year).await?;
    if now.token() != token {
        return Ok(SaveOutcome::Conflict(Box::new(now)));
    }
    if now
        .current()
        .is_some_and(|w| w.summary == summary && w.recommendations == recommendations)
    {
        return Ok(SaveOutcome::Unchanged);
    }
    let (id, action) = match &now.draft {
        Some(d) => {
            sqlx::query!(
                "update plan_report
                 set summary = $2, recommendations = $3, entered_by = $4, entered_at = now(),
                     returned_by = null, returned_at = null, review_comment = '',
                     version = version + 1, updated_at = now()
                 where plan_report_id = $1",
                d.plan_report_id,
                summary,
                recommendations,
                user.app_user_id
            )
            .execute(&mut *conn)
            .await?;
            (d.plan_report_id, Action::Update)
        }
        None => {
            let id = sqlx::query_scalar!(
                "insert into plan_report (plan_id, year, state, summary, recommendations, entered_by)
                 values ($1, $2, 'draft', $3, $4, $5)
                 returning plan_report_id",
                plan_id,
                year,
                summary,
                recommendations,
                user.app_user_id
            )
            .fetch_one(&mut *conn)
            .await?;
            let action = match now.published {
                Some(_) => Action::Update,
                None => Action::Create,
            };
            (id, action)
        }
    };
    let before = now.current().map(|w| w.json(w.state.as_str()));
    let revision = Revision {
        plan_id,
        subject: Subject::report(id),
        year: Some(year),
        kind: None,
        action,
        by: &Actor::user(user),
        before,
        after: Some(json_of(summary, recommendations, "draft")),
        reason: Reason::NONE,
    };
    revision::write(conn, revision).await?;
    Ok(SaveOutcome::Saved)
}

/// Report words under review: [`crate::store::review`] publishes or sends back a draft.
pub struct ReportWords;

fn locked(now: &YearWords) -> &Words {
    now.draft.as_ref().expect("a locked draft")
}

impl Reviewed for ReportWords {
    /// The year's words, their rows locked.
    type Draft = YearWords;

    async fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
    ) -> sqlx::Result<Option<YearWords>> {
        let year = sqlx::query_scalar!(
            "select year from plan_report
             where plan_report_id = $1 and plan_id = $2 and state = 'draft'",
            id,
            plan_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(year) = year else {
            return Ok(None);
        };
        let now = lock(conn, plan_id, year).await?;
        Ok(now
            .draft
            .as_ref()
            .is_some_and(|d| d.plan_report_id == id && d.version == version)
            .then_some(now))
    }

    fn author(now: &YearWords) -> Option<i64> {
        locked(now).entered_by
    }

    fn placed(now: &YearWords) -> Placed {
        let draft = locked(now);
        Placed {
            subject: Subject::report(draft.plan_report_id),
            year: Some(draft.year),
            kind: None,
        }
    }

    fn state(now: &YearWords) -> Value {
        locked(now).json("draft")
    }

    /// The draft's words replace the published ones, or are published.
    async fn publish(conn: &mut PgConnection, now: &YearWords, by: i64) -> sqlx::Result<Published> {
        let draft = locked(now);
        let id = match &now.published {
            Some(p) => {
                sqlx::query!(
                    "update plan_report
                     set summary = $2, recommendations = $3, entered_by = $4, entered_at = $5,
                         published_by = $6, published_at = now(), version = version + 1,
                         updated_at = now()
                     where plan_report_id = $1",
                    p.plan_report_id,
                    draft.summary,
                    draft.recommendations,
                    draft.entered_by,
                    draft.entered_at,
                    by
                )
                .execute(&mut *conn)
                .await?;
                sqlx::query!(
                    "delete from plan_report where plan_report_id = $1",
                    draft.plan_report_id
                )
                .execute(&mut *conn)
                .await?;
                p.plan_report_id
            }
            None => {
                sqlx::query!(
                    "update plan_report
                     set state = 'published', published_by = $2, published_at = now(),
                         version = version + 1, updated_at = now()
                     where plan_report_id = $1",
                    draft.plan_report_id,
                    by
                )
                .execute(&mut *conn)
                .await?;
                draft.plan_report_id
            }
        };
        Ok(Published {
            id,
            before: now.published.as_ref().map(|p| p.json("published")),
            after: draft.json("published"),
        })
    }

    async fn send_back(
        conn: &mut PgConnection,
        now: &YearWords,
        by: i64,
        comment: &str,
    ) -> sqlx::Result<()> {
        sqlx::query!(
            "update plan_report
             set returned_by = $2, returned_at = now(), review_comment = $3,
                 version = version + 1, updated_at = now()
             where plan_report_id = $1",
            locked(now).plan_report_id,
            by,
            comment
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
