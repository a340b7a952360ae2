//! Programme items as people change them: an analyst adds an item or changes its status, both
//! as drafts that an official who is not the author publishes or sends back, like figures.
//! Every change is recorded in `revision` (entity `item`) in the same transaction.

use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::domain::plan::ItemStatus;
use crate::store::review::{Placed, Published, ReviewOutcome, Reviewed};
use crate::store::revision::{self, Action, Actor, Reason, Revision, Subject};
use crate::store::users::User;

/// An item as typed by an analyst, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub field: String,
    pub host: String,
    pub status: ItemStatus,
    pub year: i32,
    pub source: String,
    pub note: String,
}

impl NewItem {
    fn json(&self, state: &str) -> Value {
        json!({
            "name_zh": self.name_zh, "name_en": self.name_en, "kind": self.kind,
            "field": self.field, "host": self.host, "status": self.status, "year": self.year,
            "source": self.source, "note": self.note, "state": state,
        })
    }
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// A key for a new item: its English name as a slug, made unique in the programme.
async fn new_key(
    conn: &mut PgConnection,
    programme_id: i64,
    name_en: &str,
) -> sqlx::Result<String> {
    let mut base = String::new();
    for c in name_en.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let mut base: String = base.trim_end_matches('-').chars().take(60).collect();
    base = base.trim_end_matches('-').to_owned();
    if base.is_empty() {
        base = "item".into();
    }
    let taken: Vec<String> = sqlx::query_scalar!(
        "select key from programme_item where programme_id = $1 and key like $2 || '%'",
        programme_id,
        base
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    Ok(key)
}

/// Adds an item to a programme as a draft; returns its id.
pub async fn add(
    conn: &mut PgConnection,
    plan_id: i64,
    programme_id: i64,
    new: &NewItem,
    user: &User,
) -> sqlx::Result<i64> {
    // One writer at a time per programme, so two items never get the same key or position.
    sqlx::query!(
        "select programme_id from programme where programme_id = $1 for update",
        programme_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let key = new_key(conn, programme_id, &new.name_en).await?;
    let id = sqlx::query_scalar!(
        "insert into programme_item (programme_id, key, position, name_zh, name_en, kind, field,
                                     host, status, year, source, note, state, entered_by)
         values ($1, $2, (select coalesce(max(position), -1) + 1 from programme_item
                          where programme_id = $1),
                 $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12)
         returning programme_item_id",
        programme_id,
        key,
        new.name_zh,
        new.name_en,
        new.kind,
        opt(&new.field),
        opt(&new.host),
        new.status.as_str(),
        new.year,
        opt(&new.source),
        opt(&new.note),
        user.app_user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let revision = Revision {
        plan_id,
        subject: Subject::item(id, programme_id),
        year: Some(new.year),
        kind: None,
        action: Action::Create,
        by: &Actor::user(user),
        before: None,
        after: Some(new.json("draft")),
        reason: Reason::NONE,
    };
    revision::write(conn, revision).await?;
    Ok(id)
}

/// Saves a new version of a draft item (one sent back, typically), if it is still at `version`.
pub async fn update_draft(
    conn: &mut PgConnection,
    plan_id: i64,
    item_id: i64,
    version: i32,
    new: &NewItem,
    user: &User,
) -> sqlx::Result<ReviewOutcome> {
    let row = sqlx::query!(
        r#"select it.programme_id, it.name_zh, it.name_en, it.kind, it.field, it.host,
                  it.status as "status: ItemStatus", it.year, it.source, it.note
           from programme_item it join programme p using (programme_id)
           where it.programme_item_id = $1 and p.plan_id = $2 and it.state = 'draft'
             and it.version = $3
           for update of it"#,
        item_id,
        plan_id,
        version
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(ReviewOutcome::Changed);
    };
    let before = NewItem {
        name_zh: row.name_zh,
        name_en: row.name_en,
        kind: row.kind,
        field: row.field.unwrap_or_default(),
        host: row.host.unwrap_or_default(),
        status: row.status.unwrap_or(ItemStatus::Planned),
        year: row.year.unwrap_or_default(),
        source: row.source.unwrap_or_default(),
        note: row.note.unwrap_or_default(),
    };
    sqlx::query!(
        "update programme_item
         set name_zh = $2, name_en = $3, kind = $4, field = $5, host = $6, status = $7, year = $8,
             source = $9, note = $10, entered_by = $11, entered_at = now(), returned_by = null,
             returned_at = null, review_comment = '', version = version + 1, updated_at = now()
         where programme_item_id = $1",
        item_id,
        new.name_zh,
        new.name_en,
        new.kind,
        opt(&new.field),
        opt(&new.host),
        new.status.as_str(),
        new.year,
        opt(&new.source),
        opt(&new.note),
        user.app_user_id
    )
    .execute(&mut *conn)
    .await?;
    let revision = Revision {
        plan_id,
        subject: Subject::item(item_id, row.programme_id),
        year: Some(new.year),
        kind: None,
        action: Action::Update,
        by: &Actor::user(user),
        before: Some(before.json("draft")),
        after: Some(new.json("draft")),
        reason: Reason::NONE,
    };
    revision::write(conn, revision).await?;
    Ok(ReviewOutcome::Done)
}

/// Items under review: [`crate::store::review`] publishes or sends back a draft item.
pub struct Items;

/// A draft item, locked for a decision.
pub struct LockedItem {
    programme_item_id: i64,
    programme_id: i64,
    entered_by: Option<i64>,
    name_en: String,
    year: Option<i32>,
}

impl Reviewed for Items {
    type Draft = LockedItem;

    async fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        item_id: i64,
        version: i32,
    ) -> sqlx::Result<Option<LockedItem>> {
        sqlx::query_as!(
            LockedItem,
            "select it.programme_item_id, it.programme_id, it.entered_by, it.name_en, it.year
             from programme_item it join programme p using (programme_id)
             where it.programme_item_id = $1 and p.plan_id = $2 and it.state = 'draft'
               and it.version = $3
             for update of it",
            item_id,
            plan_id,
            version
        )
        .fetch_optional(conn)
        .await
    }

    fn author(item: &LockedItem) -> Option<i64> {
        item.entered_by
    }

    fn placed(item: &LockedItem) -> Placed {
        Placed {
            subject: Subject::item(item.programme_item_id, item.programme_id),
            year: item.year,
            kind: None,
        }
    }

    fn state(item: &LockedItem) -> Value {
        json!({ "name_en": item.name_en, "state": "draft" })
    }

    /// The public pages list the item from now on.
    async fn publish(
        conn: &mut PgConnection,
        item: &LockedItem,
        by: i64,
    ) -> sqlx::Result<Published> {
        sqlx::query!(
            "update programme_item
             set state = 'published', published_by = $2, published_at = now(),
                 version = version + 1, updated_at = now()
             where programme_item_id = $1",
            item.programme_item_id,
            by
        )
        .execute(conn)
        .await?;
        Ok(Published {
            id: item.programme_item_id,
            before: Some(Items::state(item)),
            after: json!({ "name_en": item.name_en, "state": "published" }),
        })
    }

    async fn send_back(
        conn: &mut PgConnection,
        item: &LockedItem,
        by: i64,
        comment: &str,
    ) -> sqlx::Result<()> {
        sqlx::query!(
            "update programme_item
             set returned_by = $2, returned_at = now(), review_comment = $3,
                 version = version + 1, updated_at = now()
             where programme_item_id = $1",
            item.programme_item_id,
            by,
            comment
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// A status change as typed by an analyst, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStatus {
    pub status: ItemStatus,
    pub year: i32,
    pub note: String,
}

impl NewStatus {
    fn json(&self, name_en: &str, state: &str) -> Value {
        json!({ "name_en": name_en, "status": self.status, "year": self.year, "note": self.note,
                "state": state })
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum StatusOutcome {
    Saved,
    /// The item is not a published item of the plan.
    NoItem,
    /// The draft change is not the one the analyst started from; nothing written.
    Conflict,
}

/// Saves a status change of a published item as its draft change (replacing an earlier draft),
/// if the draft is still the one `draft_version` (0: none) names.
pub async fn save_status(
    conn: &mut PgConnection,
    plan_id: i64,
    item_id: i64,
    draft_version: i32,
    new: &NewStatus,
    user: &User,
) -> sqlx::Result<StatusOutcome> {
    let item = sqlx::query!(
        "select it.programme_id, it.name_en
         from programme_item it join programme p using (programme_id)
         where it.programme_item_id = $1 and p.plan_id = $2 and it.state = 'published'
         for update of it",
        item_id,
        plan_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(item) = item else {
        return Ok(StatusOutcome::NoItem);
    };
    let draft = sqlx::query!(
        r#"select item_status_id, status as "status: ItemStatus", year, note, version
           from item_status where programme_item_id = $1 and state = 'draft'"#,
        item_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if draft.as_ref().map_or(0, |d| d.version) != draft_version {
        return Ok(StatusOutcome::Conflict);
    }
    let (_id, before) = match draft {
        Some(d) => {
            sqlx::query!(
                "update item_status
                 set status = $2, year = $3, note = $4, entered_by = $5, entered_at = now(),
                     returned_by = null, returned_at = null, review_comment = '',
                     version = version + 1, updated_at = now()
                 where item_status_id = $1",
                d.item_status_id,
                new.status.as_str(),
                new.year,
                new.note,
                user.app_user_id
            )
            .execute(&mut *conn)
            .await?;
            let before = NewStatus {
                status: d.status,
                year: d.year,
                note: d.note,
            };
            (d.item_status_id, Some(before.json(&item.name_en, "draft")))
        }
        None => {
            let id = sqlx::query_scalar!(
                "insert into item_status (programme_item_id, status, year, note, state, entered_by)
                 values ($1, $2, $3, $4, 'draft', $5)
                 returning item_status_id",
                item_id,
                new.status.as_str(),
                new.year,
                new.note,
                user.app_user_id
            )
            .fetch_one(&mut *conn)
            .await?;
            (id, None)
        }
    };
    let revision = Revision {
        plan_id,
        subject: Subject::item(item_id, item.programme_id),
        year: Some(new.year),
        kind: None,
        action: Action::Status,
        by: &Actor::user(user),
        before,
        after: Some(new.json(&item.name_en, "draft")),
        reason: Reason::Typed(&new.note),
    };
    revision::write(conn, revision).await?;
    Ok(StatusOutcome::Saved)
}

/// Status changes under review: [`crate::store::review`] publishes or sends back a draft
/// change of a published item's status.
pub struct Statuses;

/// A draft status change, locked for a decision.
pub struct LockedStatus {
    item_status_id: i64,
    programme_item_id: i64,
    programme_id: i64,
    name_en: String,
    entered_by: Option<i64>,
    status: ItemStatus,
    year: i32,
    note: String,
}

impl LockedStatus {
    fn json(&self, state: &str) -> Value {
        let new = NewStatus {
            status: self.status,
            year: self.year,
            note: self.note.clone(),
        };
        new.json(&self.name_en, state)
    }
}

impl Reviewed for Statuses {
    type Draft = LockedStatus;

    async fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        status_id: i64,
        version: i32,
    ) -> sqlx::Result<Option<LockedStatus>> {
        sqlx::query_as!(
            LockedStatus,
            r#"select s.item_status_id, s.programme_item_id, it.programme_id, it.name_en,
                      s.entered_by, s.status as "status: ItemStatus", s.year, s.note
               from item_status s
               join programme_item it using (programme_item_id)
               join programme p using (programme_id)
               where s.item_status_id = $1 and p.plan_id = $2 and s.state = 'draft'
                 and s.version = $3
               for update of s"#,
            status_id,
            plan_id,
            version
        )
        .fetch_optional(conn)
        .await
    }

    fn author(s: &LockedStatus) -> Option<i64> {
        s.entered_by
    }

    /// A status change is a change of its item.
    fn placed(s: &LockedStatus) -> Placed {
        Placed {
            subject: Subject::item(s.programme_item_id, s.programme_id),
            year: Some(s.year),
            kind: None,
        }
    }

    fn state(s: &LockedStatus) -> Value {
        s.json("draft")
    }

    /// The change becomes the item's status now.
    async fn publish(
        conn: &mut PgConnection,
        s: &LockedStatus,
        by: i64,
    ) -> sqlx::Result<Published> {
        sqlx::query!(
            "update item_status
             set state = 'published', published_by = $2, published_at = now(),
                 version = version + 1, updated_at = now()
             where item_status_id = $1",
            s.item_status_id,
            by
        )
        .execute(conn)
        .await?;
        Ok(Published {
            id: s.programme_item_id,
            before: Some(s.json("draft")),
            after: s.json("published"),
        })
    }

    async fn send_back(
        conn: &mut PgConnection,
        s: &LockedStatus,
        by: i64,
        comment: &str,
    ) -> sqlx::Result<()> {
        sqlx::query!(
            "update item_status
             set returned_by = $2, returned_at = now(), review_comment = $3,
                 version = version + 1, updated_at = now()
             where item_status_id = $1",
            s.item_status_id,
            by,
            comment
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
