//! The review lifecycle, written once: a draft is locked, its author may not publish it, an
//! official publishes it or sends it back with a comment, and the decision is recorded in the
//! history in the same transaction.
//!
//! Each kind of reviewed record (figures, items, items' status changes, assessment commentary, verdicts, report words)
//! implements [`Reviewed`] beside its table, with its SQL checked by `query!`; the flow below
//! is the same for all of them.

use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::plan::ObservationKind;
use crate::store::revision::{self, Action, Actor, Reason, Revision, Subject};
use crate::store::users::User;

/// What came of a decision on a draft.
#[derive(Debug, PartialEq, Eq)]
pub enum ReviewOutcome {
    Done,
    /// Nobody publishes a draft they entered themselves.
    OwnEntry,
    /// The draft changed (or went) since the reviewer saw it.
    Changed,
}

/// Where a draft belongs in the history.
pub struct Placed {
    pub subject: Subject<'static>,
    pub year: Option<i32>,
    pub kind: Option<ObservationKind>,
}

/// What publishing a draft wrote: the row that is now the published record (the draft's own,
/// or the earlier published row it replaced) and the states the history records.
pub struct Published {
    pub id: i64,
    pub before: Option<Value>,
    pub after: Value,
}

/// A kind of record that goes from draft to published, or back to its author.
pub trait Reviewed {
    /// A draft as locked for a decision.
    type Draft: Send + Sync;

    /// Draft `id` of plan `plan_id`, locked until the transaction ends, if it is still at
    /// `version` (else `None`: it changed or went since the reviewer saw it).
    fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
    ) -> impl Future<Output = sqlx::Result<Option<Self::Draft>>> + Send;

    /// Who entered the draft (nobody, for one loaded by a command on the server).
    fn author(draft: &Self::Draft) -> Option<i64>;

    /// Where the draft's revisions go.
    fn placed(draft: &Self::Draft) -> Placed;

    /// The draft as the history shows it.
    fn state(draft: &Self::Draft) -> Value;

    /// Makes the draft the published record.
    fn publish(
        conn: &mut PgConnection,
        draft: &Self::Draft,
        by: i64,
    ) -> impl Future<Output = sqlx::Result<Published>> + Send;

    /// Marks the draft as sent back by `by` with `comment`.
    fn send_back(
        conn: &mut PgConnection,
        draft: &Self::Draft,
        by: i64,
        comment: &str,
    ) -> impl Future<Output = sqlx::Result<()>> + Send;
}

/// An official's decision on a draft.
#[derive(Debug, Clone, Copy)]
pub enum Decision<'a> {
    Publish,
    SendBack { comment: &'a str },
}

/// Carries out `decision` on draft `id` (at `version`) of plan `plan_id`, with its history row.
pub async fn decide<K: Reviewed>(
    conn: &mut PgConnection,
    plan_id: i64,
    id: i64,
    version: i32,
    user: &User,
    decision: Decision<'_>,
) -> sqlx::Result<ReviewOutcome> {
    let Some(draft) = K::lock_draft(conn, plan_id, id, version).await? else {
        return Ok(ReviewOutcome::Changed);
    };
    let Placed {
        mut subject,
        year,
        kind,
    } = K::placed(&draft);
    let (action, before, after, reason) = match decision {
        Decision::Publish => {
            if K::author(&draft) == Some(user.app_user_id) {
                return Ok(ReviewOutcome::OwnEntry);
            }
            let published = K::publish(conn, &draft, user.app_user_id).await?;
            subject.id = published.id;
            let after = Some(published.after);
            (Action::Publish, published.before, after, Reason::NONE)
        }
        Decision::SendBack { comment } => {
            K::send_back(conn, &draft, user.app_user_id, comment).await?;
            let state = K::state(&draft);
            let reason = Reason::Typed(comment);
            (Action::SendBack, Some(state.clone()), Some(state), reason)
        }
    };
    revision::write(
        conn,
        Revision {
            plan_id,
            subject,
            year,
            kind,
            action,
            by: &Actor::user(user),
            before,
            after,
            reason,
        },
    )
    .await?;
    Ok(ReviewOutcome::Done)
}

/// Publishes draft `id`: it becomes the published record; nobody publishes their own.
pub async fn publish<K: Reviewed>(
    conn: &mut PgConnection,
    plan_id: i64,
    id: i64,
    version: i32,
    user: &User,
) -> sqlx::Result<ReviewOutcome> {
    decide::<K>(conn, plan_id, id, version, user, Decision::Publish).await
}

/// Sends draft `id` back to its author with the reviewer's comment.
pub async fn send_back<K: Reviewed>(
    conn: &mut PgConnection,
    plan_id: i64,
    id: i64,
    version: i32,
    user: &User,
    comment: &str,
) -> sqlx::Result<ReviewOutcome> {
    let decision = Decision::SendBack { comment };
    decide::<K>(conn, plan_id, id, version, user, decision).await
}

/// What waits for one person in one plan: drafts others entered that they may review, and
/// their own drafts an official sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWork {
    pub plan: String,
    pub waiting: i64,
    pub sent_back: i64,
}

/// For each plan with drafts: how many drafts of every kind (figures, items, status changes,
/// commentary) wait for review by someone other than their author `user_id`, and how many of
/// `user_id`'s drafts were sent back. One query, over the drafts only (partial indexes).
pub async fn work_for(conn: &mut PgConnection, user_id: i64) -> sqlx::Result<Vec<PlanWork>> {
    sqlx::query_as!(
        PlanWork,
        r#"with drafts as (
               select i.plan_id, o.entered_by, o.returned_at
               from observation o join indicator i using (indicator_id) where o.state = 'draft'
               union all
               select g.plan_id, o.entered_by, o.returned_at
               from observation o join programme g using (programme_id) where o.state = 'draft'
               union all
               select g.plan_id, it.entered_by, it.returned_at
               from programme_item it join programme g using (programme_id)
               where it.state = 'draft'
               union all
               select g.plan_id, s.entered_by, s.returned_at
               from item_status s join programme_item it using (programme_item_id)
               join programme g using (programme_id)
               where s.state = 'draft'
               union all
               select a.plan_id, a.entered_by, a.returned_at from assessment a
               where a.state = 'draft'
               union all
               select v.plan_id, v.entered_by, v.returned_at from target_verdict v
               where v.state = 'draft'
               union all
               select r.plan_id, r.entered_by, r.returned_at from plan_report r
               where r.state = 'draft'
           )
           select p.slug as "plan!",
                  count(*) filter (where d.returned_at is null
                                     and d.entered_by is distinct from $1) as "waiting!",
                  count(*) filter (where d.returned_at is not null
                                     and d.entered_by = $1) as "sent_back!"
           from drafts d join plan p using (plan_id)
           group by p.slug
           order by p.slug"#,
        user_id
    )
    .fetch_all(conn)
    .await
}
