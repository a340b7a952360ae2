//! The final assessment's commentary per indicator: an official drafts it, another official
//! publishes it or sends it back, like figures. At most one published and one draft row per
//! indicator; every change is recorded in `revision` (entity `assessment`).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::domain::plan::ObservationState;
use crate::store::plans::Visibility;
use crate::store::review::{Placed, Published, Reviewed};
use crate::store::revision::{self, Action, Actor, Reason, Revision, Subject};
use crate::store::users::User;

#[derive(Debug, Clone)]
pub struct Commentary {
    pub assessment_id: i64,
    pub indicator_id: i64,
    pub state: ObservationState,
    pub commentary: String,
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

/// The published and draft commentary of one indicator.
#[derive(Debug, Clone, Default)]
pub struct IndicatorCommentary {
    pub published: Option<Commentary>,
    pub draft: Option<Commentary>,
}

impl IndicatorCommentary {
    /// Identifies this state: any save, publication or send-back changes it.
    pub fn token(&self) -> String {
        let v = |c: &Option<Commentary>| c.as_ref().map_or(0, |c| c.version);
        format!("{}-{}", v(&self.published), v(&self.draft))
    }

    /// What it reads now for those who may see drafts.
    pub fn current(&self) -> Option<&Commentary> {
        self.draft.as_ref().or(self.published.as_ref())
    }
}

fn json_of(text: &str, state: &str) -> Value {
    json!({ "commentary": text, "state": state })
}

/// Every commentary of a plan that `visibility` allows, by indicator.
pub async fn for_plan(
    conn: &mut PgConnection,
    plan_id: i64,
    visibility: Visibility,
) -> sqlx::Result<std::collections::HashMap<i64, IndicatorCommentary>> {
    let rows = sqlx::query_as!(
        Commentary,
        r#"select a.assessment_id, a.indicator_id, a.state as "state: ObservationState",
                  a.commentary, a.entered_by, eu.username as "entered_by_name?", a.entered_at,
                  pu.username as "published_by_name?", a.published_at,
                  ru.username as "returned_by_name?", a.returned_at, a.review_comment, a.version
           from assessment a
           left join app_user eu on eu.app_user_id = a.entered_by
           left join app_user pu on pu.app_user_id = a.published_by
           left join app_user ru on ru.app_user_id = a.returned_by
           where a.plan_id = $1 and (a.state = 'published' or $2)
           order by a.assessment_id"#,
        plan_id,
        visibility == Visibility::WithDrafts
    )
    .fetch_all(conn)
    .await?;
    let mut map = std::collections::HashMap::<i64, IndicatorCommentary>::new();
    for row in rows {
        let entry = map.entry(row.indicator_id).or_default();
        match row.state {
            ObservationState::Published => entry.published = Some(row),
            ObservationState::Draft => entry.draft = Some(row),
        }
    }
    Ok(map)
}

/// One indicator's commentary, its rows locked until the transaction ends.
async fn lock(
    conn: &mut PgConnection,
    plan_id: i64,
    indicator_id: i64,
) -> sqlx::Result<IndicatorCommentary> {
    sqlx::query!(
        "select assessment_id from assessment where indicator_id = $1 for update",
        indicator_id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(for_plan(conn, plan_id, Visibility::WithDrafts)
        .await?
        .remove(&indicator_id)
        .unwrap_or_default())
}

#[derive(Debug)]
pub enum SaveOutcome {
    Saved,
    /// Equal to what is stored: nothing written.
    Unchanged,
    /// Someone changed the commentary since `token` was read; nothing written.
    Conflict(Box<IndicatorCommentary>),
}

/// Saves `text` as the indicator's draft commentary, if it is still as the official last saw it.
pub async fn save_draft(
    conn: &mut PgConnection,
    plan_id: i64,
    indicator_id: i64,
    text: &str,
    user: &User,
    token: &str,
) -> sqlx::Result<SaveOutcome> {
    let now = lock(conn, plan_id, indicator_id).await?;
    if now.token() != token {
        return Ok(SaveOutcome::Conflict(Box::new(now)));
    }
    if now.current().is_some_and(|c| c.commentary == text) {
        return Ok(SaveOutcome::Unchanged);
    }
    let (id, action) = match &now.draft {
        Some(d) => {
            sqlx::query!(
                "update assessment
                 set commentary = $2, entered_by = $3, entered_at = now(), returned_by = null,
                     returned_at = null, review_comment = '', version = version + 1,
                     updated_at = now()
                 where assessment_id = $1",
                d.assessment_id,
                text,
                user.app_user_id
            )
            .execute(&mut *conn)
            .await?;
            (d.assessment_id, Action::Update)
        }
        None => {
            let id = sqlx::query_scalar!(
                "insert into assessment (plan_id, indicator_id, state, commentary, entered_by)
                 values ($1, $2, 'draft', $3, $4)
                 returning assessment_id",
                plan_id,
                indicator_id,
                text,
                user.app_user_id
            )
            .fetch_one(&mut *conn)
            .await?;
            (
                id,
                if now.published.is_some() {
                    Action::Update
                } else {
                    Action::Create
                },
            )
        }
    };
    let before = now
        .current()
        .map(|c| json_of(&c.commentary, c.state.as_str()));
    let revision = Revision {
        plan_id,
        subject: Subject::assessment(id, indicator_id),
        year: None,
        kind: None,
        action,
        by: &Actor::user(user),
        before,
        after: Some(json_of(text, "draft")),
        reason: Reason::NONE,
    };
    revision::write(conn, revision).await?;
    Ok(SaveOutcome::Saved)
}

/// Commentary under review: [`crate::store::review`] publishes or sends back a draft.
pub struct Commentaries;

fn locked(now: &IndicatorCommentary) -> &Commentary {
    now.draft.as_ref().expect("a locked draft")
}

impl Reviewed for Commentaries {
    /// The indicator's commentary, its rows locked.
    type Draft = IndicatorCommentary;

    async fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
    ) -> sqlx::Result<Option<IndicatorCommentary>> {
        let indicator_id = sqlx::query_scalar!(
            "select indicator_id from assessment
             where assessment_id = $1 and plan_id = $2 and state = 'draft'",
            id,
            plan_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(indicator_id) = indicator_id else {
            return Ok(None);
        };
        let now = lock(conn, plan_id, indicator_id).await?;
        Ok(now
            .draft
            .as_ref()
            .is_some_and(|d| d.assessment_id == id && d.version == version)
            .then_some(now))
    }

    fn author(now: &IndicatorCommentary) -> Option<i64> {
        locked(now).entered_by
    }

    fn placed(now: &IndicatorCommentary) -> Placed {
        let draft = locked(now);
        Placed {
            subject: Subject::assessment(draft.assessment_id, draft.indicator_id),
            year: None,
            kind: None,
        }
    }

    fn state(now: &IndicatorCommentary) -> Value {
        json_of(&locked(now).commentary, "draft")
    }

    /// The draft's text replaces the published commentary, or is published.
    async fn publish(
        conn: &mut PgConnection,
        now: &IndicatorCommentary,
        by: i64,
    ) -> sqlx::Result<Published> {
        let draft = locked(now);
        let id = match &now.published {
            Some(p) => {
                sqlx::query!(
                    "update assessment
                     set commentary = $2, entered_by = $3, entered_at = $4, published_by = $5,
                         published_at = now(), version = version + 1, updated_at = now()
                     where assessment_id = $1",
                    p.assessment_id,
                    draft.commentary,
                    draft.entered_by,
                    draft.entered_at,
                    by
                )
                .execute(&mut *conn)
                .await?;
                sqlx::query!(
                    "delete from assessment where assessment_id = $1",
                    draft.assessment_id
                )
                .execute(&mut *conn)
                .await?;
                p.assessment_id
            }
            None => {
                sqlx::query!(
                    "update assessment
                     set state = 'published', published_by = $2, published_at = now(),
                         version = version + 1, updated_at = now()
                     where assessment_id = $1",
                    draft.assessment_id,
                    by
                )
                .execute(&mut *conn)
                .await?;
                draft.assessment_id
            }
        };
        Ok(Published {
            id,
            before: now
                .published
                .as_ref()
                .map(|p| json_of(&p.commentary, "published")),
            after: json_of(&draft.commentary, "published"),
        })
    }

    async fn send_back(
        conn: &mut PgConnection,
        now: &IndicatorCommentary,
        by: i64,
        comment: &str,
    ) -> sqlx::Result<()> {
        sqlx::query!(
            "update assessment
             set returned_by = $2, returned_at = now(), review_comment = $3,
                 version = version + 1, updated_at = now()
             where assessment_id = $1",
            locked(now).assessment_id,
            by,
            comment
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
