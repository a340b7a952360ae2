//! Reading plans, their definitions and figures.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgConnection;
use std::ops::Deref;

use crate::domain::plan::{
    Comparator, Confidence, Direction, ItemStatus, Method, Nature, ObservationKind,
    ObservationState, UnitKind,
};
use crate::domain::seed::{BaselineDef, IndicatorDef, ItemDef, ProgrammeDef, TargetDef};
use crate::domain::target::{Measure, Target, TargetComparator, TargetFields, TargetKind};
use crate::domain::time_progress::Factors;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub plan_id: i64,
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub start_year: i32,
    pub end_year: i32,
    pub baseline_year: i32,
    pub vision_year: Option<i32>,
    pub is_default: bool,
    pub issuer_zh: Option<String>,
    pub issuer_en: Option<String>,
    pub document_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub summary_zh: Option<String>,
    pub summary_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    /// The method that gives the headline status.
    pub method: Method,
    pub ahead_factor: Decimal,
    pub behind_factor: Decimal,
}

impl Plan {
    /// The time-progress method's two factors.
    pub fn factors(&self) -> Factors {
        Factors {
            ahead: self.ahead_factor,
            behind: self.behind_factor,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Group {
    pub indicator_group_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// An indicator as stored: its ids, and its definition in the one shape the seed file, the
/// export and the definition forms use. Its fields read through (`indicator.code`,
/// `indicator.target`): a stored indicator *is* its definition with a place in the database.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub indicator_id: i64,
    pub indicator_group_id: i64,
    /// The same indicator in an earlier plan, whose figures continue into this one's (also in
    /// `def.predecessor`, as `plan-slug/code`).
    pub predecessor_id: Option<i64>,
    /// `group` is the heading's code; `observations` is empty (figures are read apart).
    pub def: IndicatorDef,
}

impl Deref for Indicator {
    type Target = IndicatorDef;

    fn deref(&self) -> &IndicatorDef {
        &self.def
    }
}

#[derive(Debug, Clone)]
pub struct Observation {
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
    /// Why the figure moved and what is being done; public once published.
    pub commentary: String,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// A programme as stored: its ids, and its definition in the shape the seed file uses.
#[derive(Debug, Clone)]
pub struct Programme {
    pub programme_id: i64,
    /// The indicator whose figures are this programme's counts (also in `def.indicator`, as
    /// its code).
    pub indicator_id: Option<i64>,
    /// `counts` and `items` are empty (they are read apart).
    pub def: ProgrammeDef,
}

impl Deref for Programme {
    type Target = ProgrammeDef;

    fn deref(&self) -> &ProgrammeDef {
        &self.def
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub programme_item_id: i64,
    pub programme_id: i64,
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub field: Option<String>,
    pub host: Option<String>,
    pub status: Option<ItemStatus>,
    pub year: Option<i32>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
    /// Draft until an official publishes it (items from seed files are published).
    pub state: ObservationState,
    pub entered_by: Option<i64>,
    pub entered_by_name: Option<String>,
    pub entered_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub returned_by_name: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub review_comment: String,
    pub version: i32,
}

impl Item {
    /// The item's definition, as the seed file and the export write it.
    pub fn def(&self) -> ItemDef {
        ItemDef {
            key: self.key.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            kind: self.kind.clone(),
            field: self.field.clone(),
            host: self.host.clone(),
            status: self.status,
            year: self.year,
            source: self.source.clone(),
            confidence: self.confidence,
            note: self.note.clone(),
        }
    }
}

/// A change of an item's status, published or awaiting review.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub item_status_id: i64,
    pub programme_item_id: i64,
    pub status: ItemStatus,
    pub year: i32,
    pub note: String,
    pub state: ObservationState,
    pub entered_by: Option<i64>,
    pub entered_by_name: Option<String>,
    pub entered_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub returned_by_name: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub review_comment: String,
    pub version: i32,
}

/// Which figures a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Published figures only: the public, the API, the open data.
    Published,
    /// Published figures and drafts: signed-in users.
    WithDrafts,
}

impl Visibility {
    fn include_drafts(self) -> bool {
        self == Visibility::WithDrafts
    }
}

/// Plans, the default first, then the newest; all of them (from `offset`, at most `limit`), or
/// the one with `slug`.
async fn select(
    conn: &mut PgConnection,
    slug: Option<&str>,
    offset: i64,
    limit: Option<i64>,
) -> sqlx::Result<Vec<Plan>> {
    sqlx::query_as!(
        Plan,
        r#"select plan_id, slug, title_zh, title_en, start_year, end_year, baseline_year,
                  vision_year, is_default, issuer_zh, issuer_en, document_number, issued_on,
                  published_on, summary_zh, summary_en, source,
                  confidence as "confidence: Confidence", method as "method: Method",
                  ahead_factor, behind_factor
           from plan
           where $1::text is null or slug = $1
           order by is_default desc, start_year desc, slug
           offset $2 limit $3"#,
        slug,
        offset,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Every plan, in the order they are listed.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<Plan>> {
    select(conn, None, 0, None).await
}

/// At most `limit` plans from the `offset`th, in the order they are listed (an index keeps
/// this quick with tens of thousands of plans).
pub async fn page(conn: &mut PgConnection, offset: i64, limit: i64) -> sqlx::Result<Vec<Plan>> {
    select(conn, None, offset, Some(limit)).await
}

/// How many plans there are.
pub async fn count(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "count!" from plan"#)
        .fetch_one(conn)
        .await
}

pub async fn by_slug(conn: &mut PgConnection, slug: &str) -> sqlx::Result<Option<Plan>> {
    Ok(select(conn, Some(slug), 0, None).await?.pop())
}

/// The plan shown at the site's root: the one marked default, else the first listed.
pub async fn default_plan(conn: &mut PgConnection) -> sqlx::Result<Option<Plan>> {
    Ok(page(conn, 0, 1).await?.pop())
}

pub async fn groups(conn: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<Group>> {
    sqlx::query_as!(
        Group,
        "select indicator_group_id, code, name_zh, name_en
         from indicator_group where plan_id = $1 order by position, indicator_group_id",
        plan_id
    )
    .fetch_all(conn)
    .await
}

/// An indicator's columns as the queries read them; [`Indicator`] is what the code sees.
struct IndicatorRow {
    indicator_id: i64,
    indicator_group_id: i64,
    position: i32,
    group_code: String,
    code: String,
    name_zh: String,
    name_en: String,
    unit: UnitKind,
    unit_zh: String,
    unit_en: String,
    decimals: i16,
    direction: Direction,
    measure: Measure,
    nature: Option<Nature>,
    definition_zh: Option<String>,
    definition_en: Option<String>,
    source: Option<String>,
    confidence: Option<Confidence>,
    note: Option<String>,
    baseline_year: Option<i32>,
    baseline_value: Option<Decimal>,
    baseline_source: Option<String>,
    baseline_confidence: Option<Confidence>,
    baseline_note: Option<String>,
    plausible_min: Option<Decimal>,
    plausible_max: Option<Decimal>,
    target_year: Option<i32>,
    target_kind: TargetKind,
    target_value: Option<Decimal>,
    target_comparator: Option<TargetComparator>,
    target_min: Option<Decimal>,
    target_max: Option<Decimal>,
    target_indicator: Option<String>,
    target_tolerance: Option<Decimal>,
    target_every_year: bool,
    target_wording_zh: Option<String>,
    target_wording_en: Option<String>,
    target_source: Option<String>,
    target_confidence: Option<Confidence>,
    target_note: Option<String>,
    predecessor_id: Option<i64>,
    predecessor: Option<String>,
}

impl TryFrom<IndicatorRow> for Indicator {
    type Error = sqlx::Error;

    fn try_from(r: IndicatorRow) -> sqlx::Result<Indicator> {
        // The columns were written from a checked target, so a refusal here means the row was
        // changed by hand: say which indicator rather than show a wrong target.
        let target = match r.target_year {
            None => None,
            Some(year) => Some(
                Target::try_from(TargetFields {
                    year,
                    kind: r.target_kind,
                    value: r.target_value,
                    comparator: r.target_comparator,
                    min: r.target_min,
                    max: r.target_max,
                    indicator: r.target_indicator,
                    tolerance: r.target_tolerance,
                    every_year: r.target_every_year,
                    wording_zh: r.target_wording_zh,
                    wording_en: r.target_wording_en,
                    source: r.target_source,
                    confidence: r.target_confidence,
                    note: r.target_note,
                })
                .map_err(|e| {
                    sqlx::Error::Decode(format!("indicator {:?}: target: {e}", r.code).into())
                })?,
            ),
        };
        Ok(Indicator {
            indicator_id: r.indicator_id,
            indicator_group_id: r.indicator_group_id,
            predecessor_id: r.predecessor_id,
            def: IndicatorDef {
                code: r.code,
                group: r.group_code,
                name_zh: r.name_zh,
                name_en: r.name_en,
                unit: r.unit,
                unit_zh: r.unit_zh,
                unit_en: r.unit_en,
                decimals: u8::try_from(r.decimals).unwrap_or(0),
                direction: r.direction,
                measure: r.measure,
                nature: r.nature,
                definition_zh: r.definition_zh,
                definition_en: r.definition_en,
                source: r.source,
                confidence: r.confidence,
                note: r.note,
                predecessor: r.predecessor,
                plausible_min: r.plausible_min,
                plausible_max: r.plausible_max,
                baseline: r.baseline_year.map(|year| BaselineDef {
                    year,
                    value: r.baseline_value,
                    source: r.baseline_source,
                    confidence: r.baseline_confidence,
                    note: r.baseline_note,
                }),
                target,
                observations: Vec::new(),
            },
        })
    }
}

pub async fn indicators(conn: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<Indicator>> {
    let rows = sqlx::query_as!(
        IndicatorRow,
        r#"select i.indicator_id, i.indicator_group_id, i.position, g.code as group_code, i.code,
                  i.name_zh, i.name_en, i.unit as "unit: UnitKind", i.unit_zh, i.unit_en,
                  i.decimals, i.direction as "direction: Direction",
                  i.measure as "measure: Measure", i.nature as "nature: Nature",
                  i.definition_zh, i.definition_en, i.source,
                  i.confidence as "confidence: Confidence", i.note,
                  i.baseline_year, i.baseline_value, i.baseline_source,
                  i.baseline_confidence as "baseline_confidence: Confidence", i.baseline_note,
                  i.plausible_min, i.plausible_max,
                  i.target_year, i.target_kind as "target_kind: TargetKind", i.target_value,
                  i.target_comparator as "target_comparator: TargetComparator",
                  i.target_min, i.target_max, i.target_indicator, i.target_tolerance,
                  i.target_every_year, i.target_wording_zh, i.target_wording_en,
                  i.target_source, i.target_confidence as "target_confidence: Confidence",
                  i.target_note, i.predecessor_id,
                  (select pp.slug || '/' || pi.code from indicator pi join plan pp using (plan_id)
                   where pi.indicator_id = i.predecessor_id) as predecessor
           from indicator i
           join indicator_group g using (indicator_group_id)
           where i.plan_id = $1
           order by g.position, i.position, i.indicator_id"#,
        plan_id
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(Indicator::try_from).collect()
}

/// The indicator `code` of a plan with its position, locked until the transaction ends (the
/// seed loader compares it with a file's). The same columns as [`indicators`].
pub async fn indicator_for_update(
    conn: &mut PgConnection,
    plan_id: i64,
    code: &str,
) -> sqlx::Result<Option<(Indicator, i32)>> {
    let row = sqlx::query_as!(
        IndicatorRow,
        r#"select i.indicator_id, i.indicator_group_id, i.position, g.code as group_code, i.code,
                  i.name_zh, i.name_en, i.unit as "unit: UnitKind", i.unit_zh, i.unit_en,
                  i.decimals, i.direction as "direction: Direction",
                  i.measure as "measure: Measure", i.nature as "nature: Nature",
                  i.definition_zh, i.definition_en, i.source,
                  i.confidence as "confidence: Confidence", i.note,
                  i.baseline_year, i.baseline_value, i.baseline_source,
                  i.baseline_confidence as "baseline_confidence: Confidence", i.baseline_note,
                  i.plausible_min, i.plausible_max,
                  i.target_year, i.target_kind as "target_kind: TargetKind", i.target_value,
                  i.target_comparator as "target_comparator: TargetComparator",
                  i.target_min, i.target_max, i.target_indicator, i.target_tolerance,
                  i.target_every_year, i.target_wording_zh, i.target_wording_en,
                  i.target_source, i.target_confidence as "target_confidence: Confidence",
                  i.target_note, i.predecessor_id,
                  (select pp.slug || '/' || pi.code from indicator pi join plan pp using (plan_id)
                   where pi.indicator_id = i.predecessor_id) as predecessor
           from indicator i
           join indicator_group g using (indicator_group_id)
           where i.plan_id = $1 and i.code = $2
           for update of i"#,
        plan_id,
        code
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.position, Indicator::try_from(r)?)))
        .transpose()
        .map(|found| found.map(|(p, i)| (i, p)))
}

/// A target as its columns are written: the flat fields, with the codes as text.
pub struct TargetColumns {
    pub year: Option<i32>,
    pub kind: &'static str,
    pub value: Option<Decimal>,
    pub comparator: Option<&'static str>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub indicator: Option<String>,
    pub tolerance: Option<Decimal>,
    pub every_year: bool,
    pub wording_zh: Option<String>,
    pub wording_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<&'static str>,
    pub note: Option<String>,
}

impl TargetColumns {
    /// The columns of `target`; all empty (and `level`) without one.
    pub fn of(target: Option<&Target>) -> TargetColumns {
        let f = target.cloned().map(TargetFields::from);
        let f = f.as_ref();
        TargetColumns {
            year: f.map(|f| f.year),
            kind: f.map_or(TargetKind::Level, |f| f.kind).as_str(),
            value: f.and_then(|f| f.value),
            comparator: f.and_then(|f| f.comparator).map(TargetComparator::as_str),
            min: f.and_then(|f| f.min),
            max: f.and_then(|f| f.max),
            indicator: f.and_then(|f| f.indicator.clone()),
            tolerance: f.and_then(|f| f.tolerance),
            every_year: f.is_some_and(|f| f.every_year),
            wording_zh: f.and_then(|f| f.wording_zh.clone()),
            wording_en: f.and_then(|f| f.wording_en.clone()),
            source: f.and_then(|f| f.source.clone()),
            confidence: f.and_then(|f| f.confidence).map(Confidence::as_str),
            note: f.and_then(|f| f.note.clone()),
        }
    }
}

/// A target from its stored columns: none without both a year and a value.
fn target(
    year_value: Option<(i32, Decimal)>,
    comparator: Option<Comparator>,
    source: Option<String>,
    confidence: Option<Confidence>,
    note: Option<String>,
) -> Option<TargetDef> {
    year_value.map(|(year, value)| TargetDef {
        year,
        value,
        comparator,
        source,
        confidence,
        note,
    })
}

/// All figures of a plan's indicators and programmes that `visibility` allows, oldest year first.
pub async fn observations(
    conn: &mut PgConnection,
    plan_id: i64,
    visibility: Visibility,
) -> sqlx::Result<Vec<Observation>> {
    sqlx::query_as!(
        Observation,
        // Two index-backed halves (an OR across the two owners would scan every figure).
        r#"select o.observation_id as "observation_id!", o.indicator_id as "indicator_id?",
                  o.programme_id as "programme_id?", o.year as "year!",
                  o.kind as "kind!: ObservationKind", o.state as "state!: ObservationState",
                  o.value as "value!", o.source as "source!",
                  o.confidence as "confidence?: Confidence", o.note as "note!",
                  o.commentary as "commentary!",
                  o.published_at as "published_at?", o.version as "version!"
           from indicator i join observation o on o.indicator_id = i.indicator_id
           where i.plan_id = $1 and (o.state = 'published' or $2)
           union all
           select o.observation_id, o.indicator_id, o.programme_id, o.year, o.kind, o.state,
                  o.value, o.source, o.confidence, o.note, o.commentary, o.published_at, o.version
           from programme p join observation o on o.programme_id = p.programme_id
           where p.plan_id = $1 and (o.state = 'published' or $2)
           order by 4, 5, 6 desc"#,
        plan_id,
        visibility.include_drafts()
    )
    .fetch_all(conn)
    .await
}

/// A programme's columns as the queries read them; [`Programme`] is what the code sees.
struct ProgrammeRow {
    programme_id: i64,
    position: i32,
    slug: String,
    name_zh: String,
    name_en: String,
    description_zh: Option<String>,
    description_en: Option<String>,
    indicator_id: Option<i64>,
    indicator_code: Option<String>,
    unit_zh: String,
    unit_en: String,
    target_year: Option<i32>,
    target_value: Option<Decimal>,
    target_comparator: Option<Comparator>,
    target_source: Option<String>,
    target_confidence: Option<Confidence>,
    target_note: Option<String>,
    source: Option<String>,
    confidence: Option<Confidence>,
    count_from_items: Option<ItemStatus>,
}

impl From<ProgrammeRow> for Programme {
    fn from(r: ProgrammeRow) -> Programme {
        Programme {
            programme_id: r.programme_id,
            indicator_id: r.indicator_id,
            def: ProgrammeDef {
                slug: r.slug,
                name_zh: r.name_zh,
                name_en: r.name_en,
                description_zh: r.description_zh,
                description_en: r.description_en,
                indicator: r.indicator_code,
                unit_zh: r.unit_zh,
                unit_en: r.unit_en,
                target: target(
                    r.target_year.zip(r.target_value),
                    r.target_comparator,
                    r.target_source,
                    r.target_confidence,
                    r.target_note,
                ),
                source: r.source,
                confidence: r.confidence,
                count_from_items: r.count_from_items,
                counts: Vec::new(),
                items: Vec::new(),
            },
        }
    }
}

pub async fn programmes(conn: &mut PgConnection, plan_id: i64) -> sqlx::Result<Vec<Programme>> {
    let rows = sqlx::query_as!(
        ProgrammeRow,
        r#"select p.programme_id, p.position, p.slug, p.name_zh, p.name_en, p.description_zh,
                  p.description_en, p.indicator_id, i.code as "indicator_code?", p.unit_zh,
                  p.unit_en, p.target_year, p.target_value,
                  p.target_comparator as "target_comparator: Comparator", p.target_source,
                  p.target_confidence as "target_confidence: Confidence", p.target_note,
                  p.source, p.confidence as "confidence: Confidence",
                  p.count_from_items as "count_from_items: ItemStatus"
           from programme p left join indicator i using (indicator_id)
           where p.plan_id = $1 order by p.position, p.programme_id"#,
        plan_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Programme::from).collect())
}

/// The programme `slug` of a plan with its position (the seed loader compares it with a
/// file's). The same columns as [`programmes`].
pub async fn programme_by_slug(
    conn: &mut PgConnection,
    plan_id: i64,
    slug: &str,
) -> sqlx::Result<Option<(Programme, i32)>> {
    let row = sqlx::query_as!(
        ProgrammeRow,
        r#"select p.programme_id, p.position, p.slug, p.name_zh, p.name_en, p.description_zh,
                  p.description_en, p.indicator_id, i.code as "indicator_code?", p.unit_zh,
                  p.unit_en, p.target_year, p.target_value,
                  p.target_comparator as "target_comparator: Comparator", p.target_source,
                  p.target_confidence as "target_confidence: Confidence", p.target_note,
                  p.source, p.confidence as "confidence: Confidence",
                  p.count_from_items as "count_from_items: ItemStatus"
           from programme p left join indicator i using (indicator_id)
           where p.plan_id = $1 and p.slug = $2"#,
        plan_id,
        slug
    )
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|r| (r.position, Programme::from(r)))
        .map(|(p, g)| (g, p)))
}

/// The items of a plan's programmes that `visibility` allows.
pub async fn items(
    conn: &mut PgConnection,
    plan_id: i64,
    visibility: Visibility,
) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as!(
        Item,
        r#"select it.programme_item_id, it.programme_id, it.key, it.name_zh, it.name_en, it.kind,
                  it.field, it.host, it.status as "status: ItemStatus", it.year, it.source,
                  it.confidence as "confidence: Confidence", it.note,
                  it.state as "state: ObservationState", it.entered_by,
                  eu.username as "entered_by_name?", it.entered_at, it.published_at,
                  ru.username as "returned_by_name?", it.returned_at, it.review_comment,
                  it.version
           from programme_item it
           join programme p using (programme_id)
           left join app_user eu on eu.app_user_id = it.entered_by
           left join app_user ru on ru.app_user_id = it.returned_by
           where p.plan_id = $1 and (it.state = 'published' or $2)
           order by it.programme_id, it.position, it.programme_item_id"#,
        plan_id,
        visibility.include_drafts()
    )
    .fetch_all(conn)
    .await
}

/// The status changes of a plan's items that `visibility` allows, oldest first (drafts last).
pub async fn status_changes(
    conn: &mut PgConnection,
    plan_id: i64,
    visibility: Visibility,
) -> sqlx::Result<Vec<StatusChange>> {
    sqlx::query_as!(
        StatusChange,
        r#"select s.item_status_id, s.programme_item_id, s.status as "status: ItemStatus", s.year,
                  s.note, s.state as "state: ObservationState", s.entered_by,
                  eu.username as "entered_by_name?", s.entered_at, s.published_at,
                  ru.username as "returned_by_name?", s.returned_at, s.review_comment, s.version
           from item_status s
           join programme_item it using (programme_item_id)
           join programme p using (programme_id)
           left join app_user eu on eu.app_user_id = s.entered_by
           left join app_user ru on ru.app_user_id = s.returned_by
           where p.plan_id = $1 and (s.state = 'published' or $2)
             and (it.state = 'published' or $2)
           order by s.published_at nulls last, s.item_status_id"#,
        plan_id,
        visibility.include_drafts()
    )
    .fetch_all(conn)
    .await
}

/// The plan slug and code of an indicator, by id (for links across plans).
pub async fn indicator_ref(
    conn: &mut PgConnection,
    indicator_id: i64,
) -> sqlx::Result<Option<(String, String)>> {
    Ok(sqlx::query!(
        "select p.slug, i.code from indicator i join plan p using (plan_id)
         where i.indicator_id = $1",
        indicator_id
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.slug, r.code)))
}

/// The indicators of later plans that continue `indicator_id`, as (plan slug, code).
pub async fn successors(
    conn: &mut PgConnection,
    indicator_id: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    Ok(sqlx::query!(
        "select p.slug, i.code from indicator i join plan p using (plan_id)
         where i.predecessor_id = $1 order by p.start_year, p.slug",
        indicator_id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.slug, r.code))
    .collect())
}
