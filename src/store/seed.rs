//! Loading a seed file: definitions are created or brought up to date, figures are added.
//!
//! Idempotent: a second load of the same file writes nothing. Nothing is deleted, and a figure
//! that was entered or changed through the site is never touched; a figure that came from a seed
//! file and that nobody has edited since follows the file. Every write has its revision row.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::plan::{
    Comparator, Confidence, ItemStatus, Method, ObservationKind, ObservationState,
};
use crate::domain::seed::{
    GroupDef, IndicatorDef, ItemDef, PlanDef, ProgrammeDef, SeedFile, TargetDef,
};
use crate::domain::target::Target;
use crate::domain::time_progress::Factors;
use crate::store::figures::{Owner, figure_json};
use crate::store::plans::{self, TargetColumns};
use crate::store::revision::{self, Action, Actor, Reason, ReasonCode, Revision, Subject};

const PUBLISHED: ObservationState = ObservationState::Published;

/// What a load changed, by kind of record.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SeedReport {
    pub plan: String,
    pub definitions: Tally,
    pub figures: Tally,
    /// Figures the file would change but that were edited through the site, so were kept.
    pub figures_kept: u32,
    /// Targets of a published plan that the file changes: each earlier one is kept.
    pub amended_targets: u32,
    /// Every record of the file and what loading it did, in the file's order.
    pub changes: Vec<Change>,
}

/// What loading a seed file did to one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Change {
    /// `plan`, `group`, `indicator`, `programme`, `item` or `figure`.
    pub entity: String,
    /// The record's identifier in the file, e.g. `rd-intensity` or `rd-intensity 2023 actual`.
    pub key: String,
    pub outcome: Outcome,
    /// For an update: each field that changes, with its value before and after.
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// A figure entered or changed through the site, which a seed file never overrides.
    Kept,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Who loads a file and why: a seed file (the command line), or a person on the site.
pub struct Load<'a> {
    pub actor: &'a Actor<'a>,
    /// Why definitions change; also the reason recorded for an amended target.
    pub reason: Option<Reason<'a>>,
    report: SeedReport,
}

impl SeedReport {
    pub fn changed_anything(&self) -> bool {
        self.definitions.created
            + self.definitions.updated
            + self.figures.created
            + self.figures.updated
            > 0
    }
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (d, o) = (self.definitions, self.figures);
        write!(
            f,
            "{}: definitions {} created, {} updated, {} unchanged; figures {} created, {} updated, {} unchanged",
            self.plan, d.created, d.updated, d.unchanged, o.created, o.updated, o.unchanged
        )?;
        if self.figures_kept > 0 {
            write!(
                f,
                "; {} figures edited on the site were kept",
                self.figures_kept
            )?;
        }
        Ok(())
    }
}

/// Applies `seed` inside the caller's transaction, as loaded from a file by the command line.
pub async fn apply(conn: &mut PgConnection, seed: &SeedFile) -> sqlx::Result<SeedReport> {
    apply_as(conn, seed, &Actor::SEED, None).await
}

/// Applies `seed` inside the caller's transaction, recording `actor` and `reason` in the
/// history. Figures entered on the site are never changed, whoever loads the file.
pub async fn apply_as(
    conn: &mut PgConnection,
    seed: &SeedFile,
    actor: &Actor<'_>,
    reason: Option<Reason<'_>>,
) -> sqlx::Result<SeedReport> {
    let mut load = Load {
        actor,
        reason,
        report: SeedReport {
            plan: seed.plan.slug.clone(),
            ..Default::default()
        },
    };
    let plan_id = upsert_plan(conn, &seed.plan, &mut load).await?;
    let published_plan = seed.plan.published_on.is_some();

    for (position, group) in seed.groups.iter().enumerate() {
        upsert_group(conn, plan_id, position as i32, group, &mut load).await?;
    }
    for (position, indicator) in seed.indicators.iter().enumerate() {
        let indicator_id = upsert_indicator(
            conn,
            plan_id,
            position as i32,
            indicator,
            published_plan,
            &mut load,
        )
        .await?;
        for o in &indicator.observations {
            let figure = Figure {
                owner: Owner::Indicator(indicator_id),
                year: o.year,
                kind: o.kind,
                value: o.value,
                source: &o.source,
                confidence: o.confidence,
                note: o.note.as_deref().unwrap_or(""),
                revised_from: o.revised_from,
                key: format!("{} {} {}", indicator.code, o.year, o.kind),
            };
            add_figure(conn, plan_id, &figure, &mut load).await?;
        }
    }
    for (position, programme) in seed.programmes.iter().enumerate() {
        let programme_id =
            upsert_programme(conn, plan_id, position as i32, programme, &mut load).await?;
        for c in &programme.counts {
            let figure = Figure {
                owner: Owner::Programme(programme_id),
                year: c.year,
                kind: ObservationKind::Actual,
                value: c.value,
                source: &c.source,
                confidence: c.confidence,
                note: c.note.as_deref().unwrap_or(""),
                revised_from: None,
                key: format!("{} {}", programme.slug, c.year),
            };
            add_figure(conn, plan_id, &figure, &mut load).await?;
        }
        for (position, item) in programme.items.iter().enumerate() {
            upsert_item(
                conn,
                plan_id,
                programme_id,
                position as i32,
                item,
                &format!("{} {}", programme.slug, item.key),
                &mut load,
            )
            .await?;
        }
    }
    Ok(load.report)
}

/// A definition's change (`entity` is `plan`, `indicator`, `target`, …) for the history.
fn definition_change<'a>(
    plan_id: i64,
    subject: Subject<'a>,
    action: Action,
    load: &'a Load<'a>,
    (before, after): (Option<Value>, Option<Value>),
    reason: Reason<'a>,
) -> Revision<'a> {
    Revision {
        plan_id,
        subject,
        year: None,
        kind: None,
        action,
        by: load.actor,
        before,
        after,
        reason,
    }
}

/// The reason recorded for a change of a definition: the one given, else the system's own
/// when a seed file is loaded from the command line.
fn definition_reason<'a>(load: &Load<'a>, by_seed: ReasonCode) -> Reason<'a> {
    match load.reason.filter(|r| !r.is_blank()) {
        Some(r) => r,
        None if load.actor.id.is_none() => Reason::code(by_seed),
        None => Reason::NONE,
    }
}

/// A stored definition a file is compared with: its plan, what it is, its id and its key (code,
/// slug or item key) as the file names it.
#[derive(Clone, Copy)]
struct Record<'a> {
    plan_id: i64,
    entity: &'a str,
    id: i64,
    key: &'a str,
}

impl<'a> Record<'a> {
    fn new(plan_id: i64, entity: &'a str, id: i64, key: &'a str) -> Self {
        Record {
            plan_id,
            entity,
            id,
            key,
        }
    }
}

/// Counts the outcome of comparing a stored definition with the file's, recording the change.
async fn settle<T: Serialize + PartialEq>(
    conn: &mut PgConnection,
    record: Record<'_>,
    before: Option<T>,
    after: &T,
    load: &mut Load<'_>,
) -> sqlx::Result<bool> {
    let Record {
        plan_id,
        entity,
        id: entity_id,
        key,
    } = record;
    let after_json = serde_json::to_value(after).ok();
    let subject = Subject {
        entity,
        id: entity_id,
        indicator_id: (entity == "indicator").then_some(entity_id),
        programme_id: None,
    };
    match before {
        None => {
            load.report.definitions.created += 1;
            load.report.changes.push(Change {
                entity: entity.into(),
                key: key.into(),
                outcome: Outcome::Created,
                fields: Vec::new(),
            });
            let reason = definition_reason(load, ReasonCode::SeedLoaded);
            let states = (None, after_json);
            let revision =
                definition_change(plan_id, subject, Action::Create, load, states, reason);
            revision::write(conn, revision).await?;
            Ok(true)
        }
        Some(b) if b == *after => {
            load.report.definitions.unchanged += 1;
            load.report.changes.push(Change {
                entity: entity.into(),
                key: key.into(),
                outcome: Outcome::Unchanged,
                fields: Vec::new(),
            });
            Ok(false)
        }
        Some(b) => {
            load.report.definitions.updated += 1;
            let before_json = serde_json::to_value(&b).ok();
            load.report.changes.push(Change {
                entity: entity.into(),
                key: key.into(),
                outcome: Outcome::Updated,
                fields: field_changes(before_json.as_ref(), after_json.as_ref()),
            });
            let reason = definition_reason(load, ReasonCode::SeedChanged);
            let states = (before_json, after_json);
            let revision =
                definition_change(plan_id, subject, Action::Update, load, states, reason);
            revision::write(conn, revision).await?;
            Ok(true)
        }
    }
}

/// The fields that differ between two recorded states, as `old → new` text.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    fn flatten(prefix: &str, v: &Value, out: &mut std::collections::BTreeMap<String, String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flatten(&key, v, out);
                }
            }
            Value::Null => {}
            Value::String(s) => {
                out.insert(prefix.to_owned(), s.clone());
            }
            other => {
                out.insert(prefix.to_owned(), other.to_string());
            }
        }
    }
    let (mut old, mut new) = Default::default();
    if let Some(b) = before {
        flatten("", b, &mut old);
    }
    if let Some(a) = after {
        flatten("", a, &mut new);
    }
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            old: old.get(k).cloned().unwrap_or_default(),
            new: new.get(k).cloned().unwrap_or_default(),
        })
        .collect()
}

async fn upsert_plan(
    conn: &mut PgConnection,
    def: &PlanDef,
    load: &mut Load<'_>,
) -> sqlx::Result<i64> {
    let existing = sqlx::query!(
        r#"select plan_id, slug, title_zh, title_en, start_year, end_year, baseline_year,
                  vision_year, is_default, issuer_zh, issuer_en, document_number, issued_on,
                  published_on, summary_zh, summary_en, source,
                  confidence as "confidence: Confidence", method as "method: Method",
                  ahead_factor, behind_factor
           from plan where slug = $1 for update"#,
        def.slug
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (plan_id, before) = match existing {
        Some(r) => (
            Some(r.plan_id),
            Some(PlanDef {
                slug: r.slug,
                title_zh: r.title_zh,
                title_en: r.title_en,
                start_year: r.start_year,
                end_year: r.end_year,
                baseline_year: r.baseline_year,
                vision_year: r.vision_year,
                default: r.is_default,
                issuer_zh: r.issuer_zh,
                issuer_en: r.issuer_en,
                document_number: r.document_number,
                issued_on: r.issued_on,
                published_on: r.published_on,
                summary_zh: r.summary_zh,
                summary_en: r.summary_en,
                source: r.source,
                confidence: r.confidence,
                method: r.method,
                // The defaults are stored as numbers; the file leaves them out.
                ahead_factor: Some(r.ahead_factor).filter(|f| *f != Factors::default().ahead),
                behind_factor: Some(r.behind_factor).filter(|f| *f != Factors::default().behind),
            }),
        ),
        None => (None, None),
    };
    if before.as_ref() == Some(def) {
        let plan_id = plan_id.expect("an existing plan has an id");
        settle(
            conn,
            Record::new(plan_id, "plan", plan_id, &def.slug),
            before,
            def,
            load,
        )
        .await?;
        return Ok(plan_id);
    }
    if def.default {
        // Only one plan is the default: the file that claims it takes it over.
        sqlx::query!("update plan set is_default = false, updated_at = now() where is_default and slug <> $1", def.slug)
            .execute(&mut *conn)
            .await?;
    }
    let plan_id = sqlx::query_scalar!(
        "insert into plan (slug, title_zh, title_en, start_year, end_year, baseline_year, vision_year,
                           is_default, issuer_zh, issuer_en, document_number, issued_on, published_on,
                           summary_zh, summary_en, source, confidence, method, ahead_factor,
                           behind_factor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20)
         on conflict (slug) do update set
             title_zh = excluded.title_zh, title_en = excluded.title_en,
             start_year = excluded.start_year, end_year = excluded.end_year,
             baseline_year = excluded.baseline_year, vision_year = excluded.vision_year,
             is_default = excluded.is_default, issuer_zh = excluded.issuer_zh,
             issuer_en = excluded.issuer_en, document_number = excluded.document_number,
             issued_on = excluded.issued_on, published_on = excluded.published_on,
             summary_zh = excluded.summary_zh, summary_en = excluded.summary_en,
             source = excluded.source, confidence = excluded.confidence,
             method = excluded.method, ahead_factor = excluded.ahead_factor,
             behind_factor = excluded.behind_factor, updated_at = now()
         returning plan_id",
        def.slug,
        def.title_zh,
        def.title_en,
        def.start_year,
        def.end_year,
        def.baseline_year,
        def.vision_year,
        def.default,
        def.issuer_zh,
        def.issuer_en,
        def.document_number,
        def.issued_on,
        def.published_on,
        def.summary_zh,
        def.summary_en,
        def.source,
        def.confidence.map(Confidence::as_str),
        def.method.as_str(),
        def.factors().ahead,
        def.factors().behind,
    )
    .fetch_one(&mut *conn)
    .await?;
    settle(
        conn,
        Record::new(plan_id, "plan", plan_id, &def.slug),
        before,
        def,
        load,
    )
    .await?;
    Ok(plan_id)
}

async fn upsert_group(
    conn: &mut PgConnection,
    plan_id: i64,
    position: i32,
    def: &GroupDef,
    load: &mut Load<'_>,
) -> sqlx::Result<()> {
    let existing = sqlx::query!(
        "select indicator_group_id, code, name_zh, name_en, position
         from indicator_group where plan_id = $1 and code = $2",
        plan_id,
        def.code
    )
    .fetch_optional(&mut *conn)
    .await?;
    let before = existing.as_ref().map(|r| GroupRecord {
        position: r.position,
        def: GroupDef {
            code: r.code.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
        },
    });
    let wanted = GroupRecord {
        position,
        def: def.clone(),
    };
    if let Some(r) = &existing
        && before.as_ref() == Some(&wanted)
    {
        let id = r.indicator_group_id;
        settle(
            conn,
            Record::new(plan_id, "group", id, &def.code),
            before,
            &wanted,
            load,
        )
        .await?;
        return Ok(());
    }
    let id = sqlx::query_scalar!(
        "insert into indicator_group (plan_id, code, position, name_zh, name_en)
         values ($1, $2, $3, $4, $5)
         on conflict (plan_id, code) do update set
             position = excluded.position, name_zh = excluded.name_zh, name_en = excluded.name_en,
             updated_at = now()
         returning indicator_group_id",
        plan_id,
        def.code,
        position,
        def.name_zh,
        def.name_en
    )
    .fetch_one(&mut *conn)
    .await?;
    settle(
        conn,
        Record::new(plan_id, "group", id, &def.code),
        before,
        &wanted,
        load,
    )
    .await?;
    Ok(())
}

/// A heading as compared and recorded: its position and the file's fields.
#[derive(Debug, PartialEq, Serialize)]
struct GroupRecord {
    position: i32,
    #[serde(flatten)]
    def: GroupDef,
}

/// An indicator's definition as compared and recorded: the file's fields less its figures.
#[derive(Debug, PartialEq, Serialize)]
struct IndicatorRecord {
    position: i32,
    #[serde(flatten)]
    def: IndicatorDef,
}

async fn upsert_indicator(
    conn: &mut PgConnection,
    plan_id: i64,
    position: i32,
    def: &IndicatorDef,
    published_plan: bool,
    load: &mut Load<'_>,
) -> sqlx::Result<i64> {
    let stored = plans::indicator_for_update(conn, plan_id, &def.code).await?;
    let wanted = IndicatorRecord {
        position,
        def: IndicatorDef {
            observations: Vec::new(),
            ..def.clone()
        },
    };
    let existing_id = stored.as_ref().map(|(i, _)| i.indicator_id);
    let before = stored.map(|(i, position)| IndicatorRecord {
        position,
        def: i.def,
    });
    if let (Some(id), Some(b)) = (existing_id, &before)
        && *b == wanted
    {
        settle(
            conn,
            Record::new(plan_id, "indicator", id, &def.code),
            before,
            &wanted,
            load,
        )
        .await?;
        return Ok(id);
    }
    let earlier_target = before.as_ref().and_then(|b| b.def.target.clone());
    let baseline = def.baseline.as_ref();
    let target = TargetColumns::of(def.target.as_ref());
    let id = sqlx::query_scalar!(
        "insert into indicator (plan_id, indicator_group_id, code, position, name_zh, name_en, unit,
                                unit_zh, unit_en, decimals, direction, nature, definition_zh,
                                definition_en, source, confidence, note, baseline_year, baseline_value,
                                baseline_source, baseline_confidence, baseline_note, target_year,
                                target_value, target_comparator, target_source, target_confidence,
                                target_note, predecessor_id, measure, target_kind, target_min,
                                target_max, target_indicator, target_tolerance, target_every_year,
                                target_wording_zh, target_wording_en, plausible_min, plausible_max)
         values ($1, (select indicator_group_id from indicator_group where plan_id = $1 and code = $2),
                 $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                 $21, $22, $23, $24, $25, $26, $27, $28,
                 (select pi.indicator_id from indicator pi join plan pp using (plan_id)
                  where pp.slug || '/' || pi.code = $29),
                 $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40)
         on conflict (plan_id, code) do update set
             indicator_group_id = excluded.indicator_group_id, position = excluded.position,
             name_zh = excluded.name_zh, name_en = excluded.name_en, unit = excluded.unit,
             unit_zh = excluded.unit_zh, unit_en = excluded.unit_en, decimals = excluded.decimals,
             direction = excluded.direction, nature = excluded.nature,
             definition_zh = excluded.definition_zh, definition_en = excluded.definition_en,
             source = excluded.source, confidence = excluded.confidence, note = excluded.note,
             baseline_year = excluded.baseline_year, baseline_value = excluded.baseline_value,
             baseline_source = excluded.baseline_source,
             baseline_confidence = excluded.baseline_confidence,
             baseline_note = excluded.baseline_note, target_year = excluded.target_year,
             target_value = excluded.target_value, target_comparator = excluded.target_comparator,
             target_source = excluded.target_source, target_confidence = excluded.target_confidence,
             target_note = excluded.target_note, predecessor_id = excluded.predecessor_id,
             measure = excluded.measure, target_kind = excluded.target_kind,
             target_min = excluded.target_min, target_max = excluded.target_max,
             target_indicator = excluded.target_indicator,
             target_tolerance = excluded.target_tolerance,
             target_every_year = excluded.target_every_year,
             target_wording_zh = excluded.target_wording_zh,
             target_wording_en = excluded.target_wording_en,
             plausible_min = excluded.plausible_min, plausible_max = excluded.plausible_max,
             updated_at = now()
         returning indicator_id",
        plan_id,
        def.group,
        def.code,
        position,
        def.name_zh,
        def.name_en,
        def.unit.as_str(),
        def.unit_zh,
        def.unit_en,
        i16::from(def.decimals),
        def.direction.as_str(),
        def.nature.map(|n| n.as_str()),
        def.definition_zh,
        def.definition_en,
        def.source,
        def.confidence.map(Confidence::as_str),
        def.note,
        baseline.map(|b| b.year),
        baseline.and_then(|b| b.value),
        baseline.and_then(|b| b.source.clone()),
        baseline.and_then(|b| b.confidence).map(Confidence::as_str),
        baseline.and_then(|b| b.note.clone()),
        target.year,
        target.value,
        target.comparator,
        target.source,
        target.confidence,
        target.note,
        def.predecessor,
        def.measure.as_str(),
        target.kind,
        target.min,
        target.max,
        target.indicator,
        target.tolerance,
        target.every_year,
        target.wording_zh,
        target.wording_en,
        def.plausible_min,
        def.plausible_max,
    )
    .fetch_one(&mut *conn)
    .await?;
    if published_plan
        && let Some(earlier) = earlier_target
        && amends(&earlier, def.target.as_ref())
    {
        amend_target(
            conn,
            Record::new(plan_id, "indicator", id, &def.code),
            &earlier,
            def.target.as_ref(),
            load,
        )
        .await?;
    }
    settle(
        conn,
        Record::new(plan_id, "indicator", id, &def.code),
        before,
        &wanted,
        load,
    )
    .await?;
    Ok(id)
}

#[derive(Debug, PartialEq, Serialize)]
struct ProgrammeRecord {
    position: i32,
    slug: String,
    name_zh: String,
    name_en: String,
    description_zh: Option<String>,
    description_en: Option<String>,
    indicator: Option<String>,
    unit_zh: String,
    unit_en: String,
    target: Option<TargetDef>,
    source: Option<String>,
    confidence: Option<Confidence>,
    count_from_items: Option<ItemStatus>,
}

impl ProgrammeRecord {
    /// The programme's definition without its counts and items (recorded apart).
    fn new(position: i32, def: &ProgrammeDef) -> Self {
        ProgrammeRecord {
            position,
            slug: def.slug.clone(),
            name_zh: def.name_zh.clone(),
            name_en: def.name_en.clone(),
            description_zh: def.description_zh.clone(),
            description_en: def.description_en.clone(),
            indicator: def.indicator.clone(),
            unit_zh: def.unit_zh.clone(),
            unit_en: def.unit_en.clone(),
            target: def.target.clone(),
            source: def.source.clone(),
            confidence: def.confidence,
            count_from_items: def.count_from_items,
        }
    }
}

async fn upsert_programme(
    conn: &mut PgConnection,
    plan_id: i64,
    position: i32,
    def: &ProgrammeDef,
    load: &mut Load<'_>,
) -> sqlx::Result<i64> {
    let wanted = ProgrammeRecord::new(position, def);
    let stored = plans::programme_by_slug(conn, plan_id, &def.slug).await?;
    let existing_id = stored.as_ref().map(|(p, _)| p.programme_id);
    let before = stored.map(|(p, position)| ProgrammeRecord::new(position, &p.def));
    if let Some(id) = existing_id
        && before.as_ref() == Some(&wanted)
    {
        settle(
            conn,
            Record::new(plan_id, "programme", id, &def.slug),
            before,
            &wanted,
            load,
        )
        .await?;
        return Ok(id);
    }
    let target = def.target.as_ref();
    let id = sqlx::query_scalar!(
        "insert into programme (plan_id, slug, position, name_zh, name_en, description_zh,
                                description_en, indicator_id, unit_zh, unit_en, target_year,
                                target_value, target_comparator, target_source, target_confidence,
                                target_note, source, confidence, count_from_items)
         values ($1, $2, $3, $4, $5, $6, $7,
                 (select indicator_id from indicator where plan_id = $1 and code = $8),
                 $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         on conflict (plan_id, slug) do update set
             position = excluded.position, name_zh = excluded.name_zh, name_en = excluded.name_en,
             description_zh = excluded.description_zh, description_en = excluded.description_en,
             indicator_id = excluded.indicator_id, unit_zh = excluded.unit_zh,
             unit_en = excluded.unit_en, target_year = excluded.target_year,
             target_value = excluded.target_value, target_comparator = excluded.target_comparator,
             target_source = excluded.target_source, target_confidence = excluded.target_confidence,
             target_note = excluded.target_note, source = excluded.source,
             confidence = excluded.confidence, count_from_items = excluded.count_from_items,
             updated_at = now()
         returning programme_id",
        plan_id,
        def.slug,
        position,
        def.name_zh,
        def.name_en,
        def.description_zh,
        def.description_en,
        def.indicator,
        def.unit_zh,
        def.unit_en,
        target.map(|t| t.year),
        target.map(|t| t.value),
        target.and_then(|t| t.comparator).map(Comparator::as_str),
        target.and_then(|t| t.source.clone()),
        target.and_then(|t| t.confidence).map(Confidence::as_str),
        target.and_then(|t| t.note.clone()),
        def.source,
        def.confidence.map(Confidence::as_str),
        def.count_from_items.map(|s| s.as_str()),
    )
    .fetch_one(&mut *conn)
    .await?;
    settle(
        conn,
        Record::new(plan_id, "programme", id, &def.slug),
        before,
        &wanted,
        load,
    )
    .await?;
    Ok(id)
}

#[derive(Debug, PartialEq, Serialize)]
struct ItemRecord {
    position: i32,
    #[serde(flatten)]
    def: ItemDef,
}

async fn upsert_item(
    conn: &mut PgConnection,
    plan_id: i64,
    programme_id: i64,
    position: i32,
    def: &ItemDef,
    key: &str,
    load: &mut Load<'_>,
) -> sqlx::Result<()> {
    let existing = sqlx::query!(
        r#"select programme_item_id, position, key, name_zh, name_en, kind, field, host,
                  status as "status: ItemStatus", year, source,
                  confidence as "confidence: Confidence", note
           from programme_item where programme_id = $1 and key = $2"#,
        programme_id,
        def.key
    )
    .fetch_optional(&mut *conn)
    .await?;
    let wanted = ItemRecord {
        position,
        def: def.clone(),
    };
    let (existing_id, before) = match existing {
        Some(r) => (
            Some(r.programme_item_id),
            Some(ItemRecord {
                position: r.position,
                def: ItemDef {
                    key: r.key,
                    name_zh: r.name_zh,
                    name_en: r.name_en,
                    kind: r.kind,
                    field: r.field,
                    host: r.host,
                    status: r.status,
                    year: r.year,
                    source: r.source,
                    confidence: r.confidence,
                    note: r.note,
                },
            }),
        ),
        None => (None, None),
    };
    if let Some(id) = existing_id
        && before.as_ref() == Some(&wanted)
    {
        settle(
            conn,
            Record::new(plan_id, "item", id, key),
            before,
            &wanted,
            load,
        )
        .await?;
        return Ok(());
    }
    let id = sqlx::query_scalar!(
        "insert into programme_item (programme_id, key, position, name_zh, name_en, kind, field, host,
                                     status, year, source, confidence, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (programme_id, key) do update set
             position = excluded.position, name_zh = excluded.name_zh, name_en = excluded.name_en,
             kind = excluded.kind, field = excluded.field, host = excluded.host,
             status = excluded.status, year = excluded.year, source = excluded.source,
             confidence = excluded.confidence, note = excluded.note, updated_at = now()
         returning programme_item_id",
        programme_id,
        def.key,
        position,
        def.name_zh,
        def.name_en,
        def.kind,
        def.field,
        def.host,
        def.status.map(|s| s.as_str()),
        def.year,
        def.source,
        def.confidence.map(Confidence::as_str),
        def.note,
    )
    .fetch_one(&mut *conn)
    .await?;
    settle(
        conn,
        Record::new(plan_id, "item", id, key),
        before,
        &wanted,
        load,
    )
    .await?;
    Ok(())
}

/// Whether a new target replaces `earlier` rather than only correcting its notes: its year,
/// value or wording changes, or it is withdrawn.
pub fn amends(earlier: &Target, new: Option<&Target>) -> bool {
    new.is_none_or(|t| {
        t.year != earlier.year || t.rule != earlier.rule || t.every_year != earlier.every_year
    })
}

/// Keeps the target an amendment replaces (of the indicator `record`), with who replaced it,
/// when and why.
async fn amend_target(
    conn: &mut PgConnection,
    record: Record<'_>,
    earlier: &Target,
    new: Option<&Target>,
    load: &mut Load<'_>,
) -> sqlx::Result<()> {
    let Record {
        plan_id,
        id: indicator_id,
        key: code,
        ..
    } = record;
    let reason = match load.reason.filter(|r| !r.is_blank()) {
        Some(r) => r,
        None if load.actor.id.is_none() => Reason::code(ReasonCode::SeedChanged),
        None => Reason::code(ReasonCode::Amended),
    };
    let (reason_code, reason_text) = reason.columns();
    let columns = TargetColumns::of(Some(earlier));
    let id = sqlx::query_scalar!(
        "insert into indicator_target (indicator_id, target_year, target_value, target_comparator,
                                       target_source, target_confidence, target_note, replaced_by,
                                       replaced_by_label, reason, reason_code, target_kind,
                                       target_min, target_max, target_indicator, target_tolerance,
                                       target_every_year, target_wording_zh, target_wording_en)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19)
         returning indicator_target_id",
        indicator_id,
        earlier.year,
        columns.value,
        columns.comparator,
        columns.source,
        columns.confidence,
        columns.note,
        load.actor.id,
        load.actor.label,
        reason_text,
        reason_code,
        columns.kind,
        columns.min,
        columns.max,
        columns.indicator,
        columns.tolerance,
        columns.every_year,
        columns.wording_zh,
        columns.wording_en,
    )
    .fetch_one(&mut *conn)
    .await?;
    load.report.amended_targets += 1;
    load.report.changes.push(Change {
        entity: "target".into(),
        key: code.into(),
        outcome: Outcome::Updated,
        fields: field_changes(
            serde_json::to_value(earlier).ok().as_ref(),
            new.and_then(|t| serde_json::to_value(t).ok()).as_ref(),
        ),
    });
    let subject = Subject {
        entity: "target",
        id,
        indicator_id: Some(indicator_id),
        programme_id: None,
    };
    let states = (
        serde_json::to_value(earlier).ok(),
        new.and_then(|t| serde_json::to_value(t).ok()),
    );
    let revision = definition_change(plan_id, subject, Action::Amend, load, states, reason);
    revision::write(conn, revision).await
}

struct Figure<'a> {
    owner: Owner,
    year: i32,
    kind: ObservationKind,
    value: Decimal,
    source: &'a str,
    confidence: Confidence,
    note: &'a str,
    revised_from: Option<Decimal>,
    key: String,
}

async fn add_figure(
    conn: &mut PgConnection,
    plan_id: i64,
    f: &Figure<'_>,
    load: &mut Load<'_>,
) -> sqlx::Result<()> {
    let (indicator_id, programme_id) = f.owner.ids();
    // Any stored row of this figure, published or draft, site-entered or seeded.
    let existing = sqlx::query!(
        r#"select observation_id, value, source, confidence as "confidence: Confidence", note,
                  entered_by, state
           from observation
           where indicator_id is not distinct from $1 and programme_id is not distinct from $2
             and year = $3 and kind = $4
           order by state desc
           for update"#,
        indicator_id,
        programme_id,
        f.year,
        f.kind.as_str()
    )
    .fetch_all(&mut *conn)
    .await?;

    let after = figure_json(f.value, PUBLISHED, f.source, Some(f.confidence), f.note);
    let mut note_change = |outcome: Outcome, fields: Vec<FieldChange>| {
        load.report.changes.push(Change {
            entity: "figure".into(),
            key: f.key.clone(),
            outcome,
            fields,
        })
    };
    // A comparison series (a national average) that an administrator set on the site is a
    // definition of the plan, which the administrator may change again on the site.
    let site_definition = load.actor.id.is_some() && f.kind != ObservationKind::Actual;
    let updatable = existing
        .iter()
        .find(|r| r.state == "published" && (r.entered_by.is_none() || site_definition));
    if existing.is_empty() {
        note_change(Outcome::Created, Vec::new());
        let first_value = f.revised_from.unwrap_or(f.value);
        let id = sqlx::query_scalar!(
            "insert into observation (indicator_id, programme_id, year, kind, state, value, source,
                                      confidence, note, published_at, entered_by, published_by)
             values ($1, $2, $3, $4, 'published', $5, $6, $7, $8, now(), $9, $9)
             returning observation_id",
            indicator_id,
            programme_id,
            f.year,
            f.kind.as_str(),
            f.value,
            f.source,
            f.confidence.as_str(),
            f.note,
            load.actor.id,
        )
        .fetch_one(&mut *conn)
        .await?;
        let first = figure_json(first_value, PUBLISHED, f.source, Some(f.confidence), f.note);
        let reason = definition_reason(load, ReasonCode::SeedLoaded);
        let revision = Revision {
            after: Some(first),
            ..figure_change(plan_id, id, f, load, reason)
        };
        revision::write(conn, revision).await?;
        if let Some(first) = f.revised_from {
            // The value as first published stays on record; the revision replaces it.
            let before = figure_json(first, PUBLISHED, f.source, Some(f.confidence), f.note);
            let reason = if f.note.is_empty() {
                Reason::code(ReasonCode::SeedRevised)
            } else {
                Reason::Typed(f.note)
            };
            let revision = Revision {
                action: Action::Update,
                before: Some(before),
                after: Some(after),
                ..figure_change(plan_id, id, f, load, reason)
            };
            revision::write(conn, revision).await?;
        }
        load.report.figures.created += 1;
        return Ok(());
    }
    let Some(row) = updatable.filter(|_| existing.len() == 1) else {
        // Entered or changed through the site, or a draft is pending: the site's data wins.
        let same = existing
            .iter()
            .any(|r| r.state == "published" && r.value == f.value);
        if same {
            note_change(Outcome::Unchanged, Vec::new());
            load.report.figures.unchanged += 1
        } else {
            note_change(Outcome::Kept, Vec::new());
            load.report.figures_kept += 1
        }
        return Ok(());
    };
    if row.value == f.value
        && row.source == f.source
        && row.confidence == Some(f.confidence)
        && row.note == f.note
    {
        note_change(Outcome::Unchanged, Vec::new());
        load.report.figures.unchanged += 1;
        return Ok(());
    }
    let before = figure_json(row.value, PUBLISHED, &row.source, row.confidence, &row.note);
    note_change(Outcome::Updated, field_changes(Some(&before), Some(&after)));
    sqlx::query!(
        "update observation set value = $2, source = $3, confidence = $4, note = $5,
                entered_by = coalesce($6, entered_by), version = version + 1, updated_at = now()
         where observation_id = $1",
        row.observation_id,
        f.value,
        f.source,
        f.confidence.as_str(),
        f.note,
        load.actor.id,
    )
    .execute(&mut *conn)
    .await?;
    let reason = definition_reason(load, ReasonCode::SeedChanged);
    let revision = Revision {
        action: Action::Update,
        before: Some(before),
        after: Some(after),
        ..figure_change(plan_id, row.observation_id, f, load, reason)
    };
    revision::write(conn, revision).await?;
    load.report.figures.updated += 1;
    Ok(())
}

/// The creation of a seeded figure, for the history; a change sets `action`, `before`, `after`.
fn figure_change<'a>(
    plan_id: i64,
    observation_id: i64,
    f: &Figure<'_>,
    load: &'a Load<'a>,
    reason: Reason<'a>,
) -> Revision<'a> {
    Revision {
        plan_id,
        subject: Subject::figure(observation_id, f.owner),
        year: Some(f.year),
        kind: Some(f.kind),
        action: Action::Create,
        by: load.actor,
        before: None,
        after: None,
        reason,
    }
}
