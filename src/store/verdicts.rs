//! Officials' verdicts on targets the method cannot judge by itself (targets in words): for a
//! year, a time-progress status and the reason for it. An official drafts one, another
//! official publishes it or sends it back ([`crate::store::review`]), like a figure. At most one
//! published and one draft verdict per indicator and year; every change is in `revision`
//! (entity `verdict`), so the verdicts a later one replaced stay in the history.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::domain::plan::ObservationState;
use crate::domain::time_progress::Status;
use crate::store::plans::Visibility;
use crate::store::review::{Placed, Published, Reviewed};
use crate::store::revision::{self, Action, Actor, Reason, Revision, Subject};
use crate::store::users::User;

/// The statuses an official may give: the method's own verdicts, never "awaiting".
pub const GIVEN: [Status; 6] = [
    Status::AchievedEarly,
    Status::Ahead,
    Status::OnSchedule,
    Status::Lagging,
    Status::Achieved,
    Status::NotAchieved,
];

#[derive(Debug, Clone)]
pub struct TargetVerdict {
    pub target_verdict_id: i64,
    pub indicator_id: i64,
    pub year: i32,
    pub status: Status,
    pub reason: String,
    pub state: ObservationState,
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

fn json_of(year: i32, status: Status, reason: &str, state: &str) -> Value {
    json!({ "year": year, "status": status.as_str(), "reason": reason, "state": state })
}

impl TargetVerdict {
    fn json(&self) -> Value {
        json_of(self.year, self.status, &self.reason, self.state.as_str())
    }
}

/// Every verdict of a plan that `visibility` allows, oldest year first (drafts after the
/// published verdict of their year).
pub async fn for_plan(
    conn: &mut PgConnection,
    plan_id: i64,
    visibility: Visibility,
) -> sqlx::Result<Vec<TargetVerdict>> {
    sqlx::query_as!(
        TargetVerdict,
        r#"select v.target_verdict_id, v.indicator_id, v.year, v.status as "status: Status",
                  v.reason, v.state as "state: ObservationState", v.entered_by,
                  eu.username as "entered_by_name?", v.entered_at,
                  pu.username as "published_by_name?", v.published_at,
                  ru.username as "returned_by_name?", v.returned_at, v.review_comment, v.version
           from target_verdict v
           left join app_user eu on eu.app_user_id = v.entered_by
           left join app_user pu on pu.app_user_id = v.published_by
           left join app_user ru on ru.app_user_id = v.returned_by
           where v.plan_id = $1 and (v.state = 'published' or $2)
           order by v.year, v.state desc, v.target_verdict_id"#,
        plan_id,
        visibility == Visibility::WithDrafts
    )
    .fetch_all(conn)
    .await
}

/// The published and draft verdicts of one indicator for one year, locked until the
/// transaction ends.
async fn lock(
    conn: &mut PgConnection,
    plan_id: i64,
    indicator_id: i64,
    year: i32,
) -> sqlx::Result<(Option<TargetVerdict>, Option<TargetVerdict>)> {
    sqlx::query!(
        "select target_verdict_id from target_verdict
         where indicator_id = $1 and year = $2 for update",
        indicator_id,
        year
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut published = None;
    let mut draft = None;
    for v in for_plan(conn, plan_id, Visibility::WithDrafts)
        .await?
        .into_iter()
        .filter(|v| v.indicator_id == indicator_id && v.year == year)
    {
        match v.state {
            ObservationState::Published => published = Some(v),
            ObservationState::Draft => draft = Some(v),
        }
    }
    Ok((published, draft))
}

/// What saving a verdict came to.
#[derive(Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved,
    /// The same verdict and reason as the one that stands: nothing written.
    Unchanged,
}

/// A verdict as an official gives it.
pub struct Given<'a> {
    pub plan_id: i64,
    pub indicator_id: i64,
    pub year: i32,
    pub status: Status,
    pub reason: &'a str,
}

/// Saves `given` as the draft verdict of its indicator and year (replacing an earlier draft of
/// that year, even one sent back), with its history row.
pub async fn save_draft(
    conn: &mut PgConnection,
    given: Given<'_>,
    user: &User,
) -> sqlx::Result<SaveOutcome> {
    let Given {
        plan_id,
        indicator_id,
        year,
        status,
        reason,
    } = given;
    let (published, draft) = lock(conn, plan_id, indicator_id, year).await?;
    let standing = draft.as_ref().or(published.as_ref());
    if standing.is_some_and(|v| v.status == status && v.reason == reason && v.returned_at.is_none())
    {
        return Ok(SaveOutcome::Unchanged);
    }
    let id = match &draft {
        Some(d) => {
            sqlx::query!(
                "update target_verdict
                 set status = $2, reason = $3, entered_by = $4, entered_at = now(),
                     returned_by = null, returned_at = null, review_comment = '',
                     version = version + 1, updated_at = now()
                 where target_verdict_id = $1",
                d.target_verdict_id,
                status.as_str(),
                reason,
                user.app_user_id
            )
            .execute(&mut *conn)
            .await?;
            d.target_verdict_id
        }
        None => {
            sqlx::query_scalar!(
                "insert into target_verdict (plan_id, indicator_id, year, status, reason, state,
                                             entered_by)
                 values ($1, $2, $3, $4, $5, 'draft', $6)
                 returning target_verdict_id",
                plan_id,
                indicator_id,
                year,
                status.as_str(),
                reason,
                user.app_user_id
            )
            .fetch_one(&mut *conn)
            .await?
        }
    };
    let action = if standing.is_some() {
        Action::Update
    } else {
        Action::Create
    };
    let revision = Revision {
        plan_id,
        subject: Subject::verdict(id, indicator_id),
        year: Some(year),
        kind: None,
        action,
        by: &Actor::user(user),
        before: standing.map(TargetVerdict::json),
        after: Some(json_of(year, status, reason, "draft")),
        reason: Reason::NONE,
    };
    revision::write(conn, revision).await?;
    Ok(SaveOutcome::Saved)
}

/// Verdicts under review: [`crate::store::review`] publishes or sends back a draft.
pub struct Verdicts;

/// A draft verdict as locked for a decision, with the published verdict of its year.
pub struct Locked {
    draft: TargetVerdict,
    published: Option<TargetVerdict>,
}

impl Reviewed for Verdicts {
    type Draft = Locked;

    async fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
    ) -> sqlx::Result<Option<Locked>> {
        let found = sqlx::query!(
            "select indicator_id, year from target_verdict
             where target_verdict_id = $1 and plan_id = $2 and state = 'draft'",
            id,
            plan_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(found) = found else {
            return Ok(None);
        };
        let (published, draft) = lock(conn, plan_id, found.indicator_id, found.year).await?;
        Ok(draft
            .filter(|d| d.target_verdict_id == id && d.version == version)
            .map(|draft| Locked { draft, published }))
    }

    fn author(locked: &Locked) -> Option<i64> {
        locked.draft.entered_by
    }

    fn placed(locked: &Locked) -> Placed {
        let d = &locked.draft;
        Placed {
            subject: Subject::verdict(d.target_verdict_id, d.indicator_id),
            year: Some(d.year),
            kind: None,
        }
    }

    fn state(locked: &Locked) -> Value {
        locked.draft.json()
    }

    /// The draft replaces the published verdict of its year, or is published.
    async fn publish(conn: &mut PgConnection, locked: &Locked, by: i64) -> sqlx::Result<Published> {
        let draft = &locked.draft;
        let id = match &locked.published {
            Some(p) => {
                sqlx::query!(
                    "update target_verdict
                     set status = $2, reason = $3, entered_by = $4, entered_at = $5,
                         published_by = $6, published_at = now(), version = version + 1,
                         updated_at = now()
                     where target_verdict_id = $1",
                    p.target_verdict_id,
                    draft.status.as_str(),
                    draft.reason,
                    draft.entered_by,
                    draft.entered_at,
                    by
                )
                .execute(&mut *conn)
                .await?;
                sqlx::query!(
                    "delete from target_verdict where target_verdict_id = $1",
                    draft.target_verdict_id
                )
                .execute(&mut *conn)
                .await?;
                p.target_verdict_id
            }
            None => {
                sqlx::query!(
                    "update target_verdict
                     set state = 'published', published_by = $2, published_at = now(),
                         version = version + 1, updated_at = now()
                     where target_verdict_id = $1",
                    draft.target_verdict_id,
                    by
                )
                .execute(&mut *conn)
                .await?;
                draft.target_verdict_id
            }
        };
        Ok(Published {
            id,
            before: locked.published.as_ref().map(TargetVerdict::json),
            after: json_of(draft.year, draft.status, &draft.reason, "published"),
        })
    }

    async fn send_back(
        conn: &mut PgConnection,
        locked: &Locked,
        by: i64,
        comment: &str,
    ) -> sqlx::Result<()> {
        sqlx::query!(
            "update target_verdict
             set returned_by = $2, returned_at = now(), review_comment = $3,
                 version = version + 1, updated_at = now()
             where target_verdict_id = $1",
            locked.draft.target_verdict_id,
            by,
            comment
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
