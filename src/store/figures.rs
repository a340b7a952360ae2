//! Yearly figures as people change them: drafts, review, publication, and their history.
//!
//! A figure (an indicator's or a programme's value for a year) has at most one published row
//! and one draft row. Each change is checked against the version the person started from, so
//! nobody silently overwrites another's work, and is recorded in `revision` in the same
//! transaction.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::domain::plan::{Confidence, ObservationKind, ObservationState};
use crate::store::lock::{self, LockKey};
use crate::store::review::{Placed, Published, Reviewed};
pub use crate::store::revision::Actor;
use crate::store::revision::{self, Action, Reason, Revision, Subject};
use crate::store::users::User;

/// Whose figure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Indicator(i64),
    Programme(i64),
}

impl Owner {
    pub fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            Owner::Indicator(id) => (Some(id), None),
            Owner::Programme(id) => (None, Some(id)),
        }
    }

    fn of(indicator_id: Option<i64>, programme_id: Option<i64>) -> Option<Owner> {
        indicator_id
            .map(Owner::Indicator)
            .or(programme_id.map(Owner::Programme))
    }
}

/// A figure's state as the history records it.
pub fn figure_json(
    value: Decimal,
    state: ObservationState,
    source: &str,
    confidence: Option<Confidence>,
    note: &str,
) -> Value {
    json!({ "value": value, "state": state, "source": source, "confidence": confidence, "note": note })
}

/// [`figure_json`] with the figure's public commentary, when it has one.
pub fn with_commentary(mut v: Value, commentary: &str) -> Value {
    if !commentary.is_empty()
        && let Some(map) = v.as_object_mut()
    {
        map.insert("commentary".into(), Value::from(commentary));
    }
    v
}

/// One stored row of a figure, with the names of the people involved.
#[derive(Debug, Clone)]
pub struct Stored {
    pub observation_id: i64,
    pub indicator_id: Option<i64>,
    pub programme_id: Option<i64>,
    pub year: i32,
    pub kind: ObservationKind,
    pub state: ObservationState,
    pub value: Decimal,
    pub source: String,
    pub confidence: Option<Confidence>,
    pub note: String,
    pub commentary: String,
    pub version: i32,
    pub entered_by: Option<i64>,
    pub entered_by_name: Option<String>,
    pub entered_at: DateTime<Utc>,
    pub published_by_name: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub returned_by_name: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub review_comment: String,
    /// The person who entered it confirmed it after a plausibility warning.
    pub value_checked: bool,
}

impl Stored {
    pub fn owner(&self) -> Owner {
        Owner::of(self.indicator_id, self.programme_id).expect("a figure has an owner")
    }

    fn json(&self) -> Value {
        with_commentary(
            figure_json(
                self.value,
                self.state,
                &self.source,
                self.confidence,
                &self.note,
            ),
            &self.commentary,
        )
    }
}

/// The published and draft rows of one figure.
#[derive(Debug, Clone, Default)]
pub struct Figure {
    pub published: Option<Stored>,
    pub draft: Option<Stored>,
}

impl Figure {
    /// What the figure reads now for those who may see drafts.
    pub fn current(&self) -> Option<&Stored> {
        self.draft.as_ref().or(self.published.as_ref())
    }

    /// Identifies this state of the figure: any save, publication or send-back changes it.
    pub fn token(&self) -> String {
        let v = |s: &Option<Stored>| s.as_ref().map_or(0, |s| s.version);
        format!("{}-{}", v(&self.published), v(&self.draft))
    }

    fn push(&mut self, row: Stored) {
        match row.state {
            ObservationState::Published => self.published = Some(row),
            ObservationState::Draft => self.draft = Some(row),
        }
    }
}

macro_rules! select_stored {
    ($where:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Stored,
            r#"select o.observation_id as "observation_id!", o.indicator_id as "indicator_id?",
                      o.programme_id as "programme_id?", o.year as "year!",
                      o.kind as "kind!: ObservationKind", o.state as "state!: ObservationState",
                      o.value as "value!", o.source as "source!",
                      o.confidence as "confidence?: Confidence", o.note as "note!",
                      o.commentary as "commentary!", o.version as "version!", o.entered_by as "entered_by?",
                      eu.username as "entered_by_name?", o.entered_at as "entered_at!",
                      pu.username as "published_by_name?", o.published_at as "published_at?",
                      ru.username as "returned_by_name?", o.returned_at as "returned_at?",
                      o.review_comment as "review_comment!", o.value_checked as "value_checked!"
               from observation o
               left join app_user eu on eu.app_user_id = o.entered_by
               left join app_user pu on pu.app_user_id = o.published_by
               left join app_user ru on ru.app_user_id = o.returned_by
               "# + $where,
            $($arg),*
        )
    };
}

/// The actual figures of every indicator and programme of a plan for one year.
pub async fn for_year(
    conn: &mut PgConnection,
    plan_id: i64,
    year: i32,
) -> sqlx::Result<std::collections::HashMap<Owner, Figure>> {
    let rows = select_stored!(
        "where o.observation_id = any(array(
                select x.observation_id from indicator i join observation x using (indicator_id)
                where i.plan_id = $1 and x.year = $2 and x.kind = 'actual'
                union all
                select x.observation_id from programme p join observation x using (programme_id)
                where p.plan_id = $1 and x.year = $2 and x.kind = 'actual'))",
        plan_id,
        year
    )
    .fetch_all(conn)
    .await?;
    let mut map = std::collections::HashMap::<Owner, Figure>::new();
    for row in rows {
        map.entry(row.owner()).or_default().push(row);
    }
    Ok(map)
}

/// One figure as it stands.
pub async fn get(
    conn: &mut PgConnection,
    owner: Owner,
    year: i32,
    kind: ObservationKind,
) -> sqlx::Result<Figure> {
    let (indicator_id, programme_id) = owner.ids();
    let rows = select_stored!(
        "where o.indicator_id is not distinct from $1 and o.programme_id is not distinct from $2
           and o.year = $3 and o.kind = $4",
        indicator_id,
        programme_id,
        year,
        kind.as_str()
    )
    .fetch_all(conn)
    .await?;
    let mut figure = Figure::default();
    for row in rows {
        figure.push(row);
    }
    Ok(figure)
}

/// One figure, its rows locked until the transaction ends.
pub async fn lock(
    conn: &mut PgConnection,
    owner: Owner,
    year: i32,
    kind: ObservationKind,
) -> sqlx::Result<Figure> {
    let (indicator_id, programme_id) = owner.ids();
    // A figure that has no row yet has nothing to lock: two first saves would both insert a
    // draft, and the second would break the one-draft rule. A lock on the figure's identity,
    // held to the end of the transaction, makes the second wait and then see the first's draft.
    lock::lock(&mut *conn, LockKey::Figure { owner, year, kind }).await?;
    // Lock the rows (rows of an outer join cannot be locked), then read them with the names.
    sqlx::query!(
        "select observation_id from observation
         where indicator_id is not distinct from $1 and programme_id is not distinct from $2
           and year = $3 and kind = $4
         for update",
        indicator_id,
        programme_id,
        year,
        kind.as_str()
    )
    .fetch_all(&mut *conn)
    .await?;
    get(conn, owner, year, kind).await
}

/// A figure as typed by a person, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFigure {
    pub value: Decimal,
    pub source: String,
    pub note: String,
    /// Why the figure moved and what is being done; public once published.
    pub commentary: String,
    /// Confirmed by the person who entered it after a plausibility warning ("I checked this
    /// value"); kept with the draft and in the history, and shown to the reviewer.
    pub checked: bool,
}

impl NewFigure {
    /// Whether `stored` already says exactly this.
    pub fn same_as(&self, stored: &Stored) -> bool {
        stored.value == self.value
            && stored.source == self.source
            && stored.note == self.note
            && stored.commentary == self.commentary
    }
}

#[derive(Debug)]
pub enum SaveOutcome {
    Saved,
    /// Equal to what is stored: nothing written.
    Unchanged,
    /// Someone changed the figure since `token` was read; nothing written.
    Conflict(Box<Figure>),
}

/// Where a yearly figure belongs: its plan, its indicator or programme, and its year.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub plan_id: i64,
    pub owner: Owner,
    pub year: i32,
}

/// Saves `new` as the figure's draft, if the figure is still as the person last saw it.
pub async fn save_draft(
    conn: &mut PgConnection,
    at: Slot,
    new: &NewFigure,
    user: &User,
    token: &str,
    reason: &str,
) -> sqlx::Result<SaveOutcome> {
    let actor = Actor::user(user);
    save_draft_as(conn, at, new, &actor, token, Reason::Typed(reason)).await
}

/// [`save_draft`] for any actor: a user, or a command run on the server (no account, so the
/// draft has no `entered_by` and anyone who reviews may publish it).
pub async fn save_draft_as(
    conn: &mut PgConnection,
    at: Slot,
    new: &NewFigure,
    actor: &Actor<'_>,
    token: &str,
    reason: impl Into<Reason<'_>>,
) -> sqlx::Result<SaveOutcome> {
    let Slot {
        plan_id,
        owner,
        year,
    } = at;
    let kind = ObservationKind::Actual;
    let figure = lock(conn, owner, year, kind).await?;
    if figure.token() != token {
        return Ok(SaveOutcome::Conflict(Box::new(figure)));
    }
    let current = figure.current();
    if current.is_some_and(|c| new.same_as(c)) {
        return Ok(SaveOutcome::Unchanged);
    }
    let (indicator_id, programme_id) = owner.ids();
    let (id, action) =
        match &figure.draft {
            Some(draft) => {
                sqlx::query!(
                    "update observation
                 set value = $2, source = $3, note = $4, entered_by = $5, entered_at = now(),
                     commentary = $6, returned_by = null, returned_at = null, review_comment = '',
                     value_checked = $7, version = version + 1, updated_at = now()
                 where observation_id = $1",
                    draft.observation_id,
                    new.value,
                    new.source,
                    new.note,
                    actor.id,
                    new.commentary,
                    new.checked
                )
                .execute(&mut *conn)
                .await?;
                (draft.observation_id, Action::Update)
            }
            None => {
                let id =
                    sqlx::query_scalar!(
                "insert into observation (indicator_id, programme_id, year, kind, state, value,
                                          source, confidence, note, entered_by, commentary,
                                          value_checked)
                 values ($1, $2, $3, 'actual', 'draft', $4, $5, $6, $7, $8, $9, $10)
                 returning observation_id",
                indicator_id,
                programme_id,
                year,
                new.value,
                new.source,
                figure.published.as_ref().and_then(|p| p.confidence).map(Confidence::as_str),
                new.note,
                actor.id,
                new.commentary,
                new.checked
            )
                    .fetch_one(&mut *conn)
                    .await?;
                (
                    id,
                    if figure.published.is_some() {
                        Action::Update
                    } else {
                        Action::Create
                    },
                )
            }
        };
    let mut after = with_commentary(
        figure_json(
            new.value,
            ObservationState::Draft,
            &new.source,
            None,
            &new.note,
        ),
        &new.commentary,
    );
    // The history keeps that the value was confirmed after a warning.
    if new.checked
        && let Some(map) = after.as_object_mut()
    {
        map.insert("checked".into(), Value::from(true));
    }
    let revision = Revision {
        plan_id,
        subject: Subject::figure(id, owner),
        year: Some(year),
        kind: Some(kind),
        action,
        by: actor,
        before: current.map(Stored::json),
        after: Some(after),
        reason: reason.into(),
    };
    revision::write(conn, revision).await?;
    Ok(SaveOutcome::Saved)
}

/// A draft awaiting review, with the published value it would replace.
#[derive(Debug, Clone)]
pub struct PendingDraft {
    pub draft: Stored,
    pub published: Option<Stored>,
}

/// Drafts of a plan that nobody has sent back, oldest year first.
pub async fn pending(conn: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<PendingDraft>> {
    let rows = select_stored!(
        "where o.observation_id = any(array(
                select x.observation_id from indicator i join observation x using (indicator_id)
                where i.plan_id = $1
                union all
                select x.observation_id from programme p join observation x using (programme_id)
                where p.plan_id = $1))
           and (o.state = 'published' or o.returned_at is null)
           and exists (select 1 from observation d
                       where d.state = 'draft' and d.returned_at is null and d.year = o.year
                         and d.kind = o.kind
                         and d.indicator_id is not distinct from o.indicator_id
                         and d.programme_id is not distinct from o.programme_id)
         order by o.year, o.observation_id",
        plan_id
    )
    .fetch_all(conn)
    .await?;
    let mut figures: Vec<((Owner, i32, ObservationKind), Figure)> = Vec::new();
    for row in rows {
        let key = (row.owner(), row.year, row.kind);
        match figures.iter_mut().find(|(k, _)| *k == key) {
            Some((_, f)) => f.push(row),
            None => {
                let mut f = Figure::default();
                f.push(row);
                figures.push((key, f));
            }
        }
    }
    Ok(figures
        .into_iter()
        .filter_map(|(_, f)| {
            Some(PendingDraft {
                draft: f.draft?,
                published: f.published,
            })
        })
        .collect())
}

/// Figures under review: [`crate::store::review`] publishes or sends back their drafts.
pub struct Figures;

fn locked(figure: &Figure) -> &Stored {
    figure.draft.as_ref().expect("a locked draft")
}

impl Reviewed for Figures {
    /// The figure, its draft and published rows locked.
    type Draft = Figure;

    async fn lock_draft(
        conn: &mut PgConnection,
        plan_id: i64,
        draft_id: i64,
        version: i32,
    ) -> sqlx::Result<Option<Figure>> {
        let key = sqlx::query!(
            r#"select o.indicator_id, o.programme_id, o.year, o.kind as "kind: ObservationKind"
               from observation o
               where o.observation_id = $1 and o.state = 'draft'
                 and (o.indicator_id in (select indicator_id from indicator where plan_id = $2)
                      or o.programme_id in (select programme_id from programme where plan_id = $2))"#,
            draft_id,
            plan_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(key) = key else { return Ok(None) };
        let Some(owner) = Owner::of(key.indicator_id, key.programme_id) else {
            return Ok(None);
        };
        let figure = lock(conn, owner, key.year, key.kind).await?;
        Ok(figure
            .draft
            .as_ref()
            .is_some_and(|d| d.observation_id == draft_id && d.version == version)
            .then_some(figure))
    }

    fn author(figure: &Figure) -> Option<i64> {
        locked(figure).entered_by
    }

    fn placed(figure: &Figure) -> Placed {
        let draft = locked(figure);
        Placed {
            subject: Subject::figure(draft.observation_id, draft.owner()),
            year: Some(draft.year),
            kind: Some(draft.kind),
        }
    }

    fn state(figure: &Figure) -> Value {
        locked(figure).json()
    }

    /// The draft's value replaces the published one (kept in the history), or is published.
    async fn publish(conn: &mut PgConnection, figure: &Figure, by: i64) -> sqlx::Result<Published> {
        let draft = locked(figure);
        let id = match &figure.published {
            Some(published) => {
                sqlx::query!(
                    "update observation p
                     set value = d.value, source = d.source, note = d.note,
                         entered_by = d.entered_by, commentary = d.commentary,
                         entered_at = d.entered_at, published_by = $3, published_at = now(),
                         version = p.version + 1, updated_at = now()
                     from observation d
                     where p.observation_id = $1 and d.observation_id = $2",
                    published.observation_id,
                    draft.observation_id,
                    by
                )
                .execute(&mut *conn)
                .await?;
                sqlx::query!(
                    "delete from observation where observation_id = $1",
                    draft.observation_id
                )
                .execute(&mut *conn)
                .await?;
                published.observation_id
            }
            None => {
                sqlx::query!(
                    "update observation
                     set state = 'published', published_by = $2, published_at = now(),
                         version = version + 1, updated_at = now()
                     where observation_id = $1",
                    draft.observation_id,
                    by
                )
                .execute(&mut *conn)
                .await?;
                draft.observation_id
            }
        };
        let after = with_commentary(
            figure_json(
                draft.value,
                ObservationState::Published,
                &draft.source,
                figure.published.as_ref().and_then(|p| p.confidence),
                &draft.note,
            ),
            &draft.commentary,
        );
        Ok(Published {
            id,
            before: figure.published.as_ref().map(Stored::json),
            after,
        })
    }

    async fn send_back(
        conn: &mut PgConnection,
        figure: &Figure,
        by: i64,
        comment: &str,
    ) -> sqlx::Result<()> {
        sqlx::query!(
            "update observation
             set returned_by = $2, returned_at = now(), review_comment = $3,
                 version = version + 1, updated_at = now()
             where observation_id = $1",
            locked(figure).observation_id,
            by,
            comment
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// One line of the history, as the indicator and audit pages show it.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub revision_id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub plan_slug: String,
    pub entity: String,
    pub indicator_code: Option<String>,
    pub indicator_name: Option<String>,
    pub programme_slug: Option<String>,
    pub programme_name: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// As typed, or the argument of `reason_code` (see [`HistoryRow::reason`]).
    pub reason: String,
    pub reason_code: Option<String>,
}

impl HistoryRow {
    /// Why the change was made, typed by a person or given by the system.
    pub fn reason(&self) -> Reason<'_> {
        Reason::stored(self.reason_code.as_deref(), &self.reason)
    }
}

/// What the audit page filters on; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub plan: Option<String>,
    pub indicator: Option<String>,
    pub year: Option<i32>,
    pub user: Option<String>,
    pub indicator_id: Option<i64>,
}

/// Changes matching `filter`, newest first, at most `limit`.
pub async fn history(
    conn: &mut PgConnection,
    filter: &AuditFilter,
    limit: i64,
) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as!(
        HistoryRow,
        r#"select r.revision_id, r.at, r.actor_label as actor, r.action, p.slug as plan_slug, r.entity,
                  i.code as "indicator_code?", i.name_en as "indicator_name?",
                  g.slug as "programme_slug?", g.name_en as "programme_name?",
                  r.year, r.kind, r.before, r.after, r.reason, r.reason_code
           from revision r
           join plan p using (plan_id)
           left join indicator i on i.indicator_id = r.indicator_id
           left join programme g on g.programme_id = r.programme_id
           where ($1::text is null or p.slug = $1)
             and ($2::text is null or i.code = $2)
             and ($3::int is null or r.year = $3)
             and ($4::text is null or r.actor_label = $4)
             and ($5::bigint is null or r.indicator_id = $5)
           order by r.at desc, r.revision_id desc
           limit $6"#,
        filter.plan,
        filter.indicator,
        filter.year,
        filter.user,
        filter.indicator_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Every figure of a plan, of every kind and state, by whose figure it is, its year and kind.
pub async fn for_plan(
    conn: &mut PgConnection,
    plan_id: i64,
) -> sqlx::Result<std::collections::HashMap<(Owner, i32, ObservationKind), Figure>> {
    let rows = select_stored!(
        "where o.indicator_id in (select indicator_id from indicator where plan_id = $1)
            or o.programme_id in (select programme_id from programme where plan_id = $1)",
        plan_id
    )
    .fetch_all(conn)
    .await?;
    let mut map = std::collections::HashMap::<(Owner, i32, ObservationKind), Figure>::new();
    for row in rows {
        map.entry((row.owner(), row.year, row.kind))
            .or_default()
            .push(row);
    }
    Ok(map)
}
