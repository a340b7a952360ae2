//! Loading a seed file: definitions are created or brought up to date, figures are added.
//!
//! Idempotent: a second load of the same file writes nothing. Nothing is deleted, and a figure
//! that was entered or changed through the site is never touched; a figure that came from a seed
//! file and that nobody has edited since follows the file. Every write has its revision row.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::plan::{Comparator, Confidence, ItemStatus, ObservationKind, ObservationState};
use crate::domain::seed::{
    BaselineDef, GroupDef, IndicatorDef, ItemDef, PlanDef, ProgrammeDef, SeedFile, TargetDef,
};
use crate::store::figures::{self, Actor, Owner, figure_json};

const SEED_ACTOR: &str = Actor::SEED.label;
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

/// Applies `seed` inside the caller's transaction.
pub async fn apply(conn: &mut PgConnection, seed: &SeedFile) -> sqlx::Result<SeedReport> {
    let mut report = SeedReport {
        plan: seed.plan.slug.clone(),
        ..Default::default()
    };
    let plan_id = upsert_plan(conn, &seed.plan, &mut report.definitions).await?;

    for (position, group) in seed.groups.iter().enumerate() {
        upsert_group(
            conn,
            plan_id,
            position as i32,
            group,
            &mut report.definitions,
        )
        .await?;
    }
    for (position, indicator) in seed.indicators.iter().enumerate() {
        let indicator_id = upsert_indicator(
            conn,
            plan_id,
            position as i32,
            indicator,
            &mut report.definitions,
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
            };
            add_figure(conn, plan_id, &figure, &mut report).await?;
        }
    }
    for (position, programme) in seed.programmes.iter().enumerate() {
        let programme_id = upsert_programme(
            conn,
            plan_id,
            position as i32,
            programme,
            &mut report.definitions,
        )
        .await?;
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
            };
            add_figure(conn, plan_id, &figure, &mut report).await?;
        }
        for (position, item) in programme.items.iter().enumerate() {
            upsert_item(
                conn,
                plan_id,
                programme_id,
                position as i32,
                item,
                &mut report.definitions,
            )
            .await?;
        }
    }
    Ok(report)
}

/// Records one change in the append-only history.
#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut PgConnection,
    plan_id: i64,
    entity: &str,
    entity_id: i64,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into revision (plan_id, entity, entity_id, action, actor_label, before, after, reason)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        plan_id,
        entity,
        entity_id,
        action,
        SEED_ACTOR,
        before,
        after,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts the outcome of comparing a stored definition with the file's, recording the change.
#[allow(clippy::too_many_arguments)]
async fn settle<T: Serialize + PartialEq>(
    conn: &mut PgConnection,
    plan_id: i64,
    entity: &str,
    entity_id: i64,
    before: Option<T>,
    after: &T,
    tally: &mut Tally,
) -> sqlx::Result<bool> {
    let after_json = serde_json::to_value(after).ok();
    match before {
        None => {
            tally.created += 1;
            record(
                conn,
                plan_id,
                entity,
                entity_id,
                "create",
                None,
                after_json,
                "loaded from seed file",
            )
            .await?;
            Ok(true)
        }
        Some(b) if b == *after => {
            tally.unchanged += 1;
            Ok(false)
        }
        Some(b) => {
            tally.updated += 1;
            let before_json = serde_json::to_value(&b).ok();
            record(
                conn,
                plan_id,
                entity,
                entity_id,
                "update",
                before_json,
                after_json,
                "seed file changed",
            )
            .await?;
            Ok(true)
        }
    }
}

async fn upsert_plan(
    conn: &mut PgConnection,
    def: &PlanDef,
    tally: &mut Tally,
) -> sqlx::Result<i64> {
    let existing = sqlx::query!(
        r#"select plan_id, slug, title_zh, title_en, start_year, end_year, baseline_year,
                  vision_year, is_default, issuer_zh, issuer_en, document_number, issued_on,
                  published_on, summary_zh, summary_en, source,
                  confidence as "confidence: Confidence"
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
            }),
        ),
        None => (None, None),
    };
    if before.as_ref() == Some(def) {
        tally.unchanged += 1;
        return Ok(plan_id.expect("an existing plan has an id"));
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
                           summary_zh, summary_en, source, confidence)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         on conflict (slug) do update set
             title_zh = excluded.title_zh, title_en = excluded.title_en,
             start_year = excluded.start_year, end_year = excluded.end_year,
             baseline_year = excluded.baseline_year, vision_year = excluded.vision_year,
             is_default = excluded.is_default, issuer_zh = excluded.issuer_zh,
             issuer_en = excluded.issuer_en, document_number = excluded.document_number,
             issued_on = excluded.issued_on, published_on = excluded.published_on,
             summary_zh = excluded.summary_zh, summary_en = excluded.summary_en,
             source = excluded.source, confidence = excluded.confidence, updated_at = now()
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
    )
    .fetch_one(&mut *conn)
    .await?;
    settle(conn, plan_id, "plan", plan_id, before, def, tally).await?;
    Ok(plan_id)
}

async fn upsert_group(
    conn: &mut PgConnection,
    plan_id: i64,
    position: i32,
    def: &GroupDef,
    tally: &mut Tally,
) -> sqlx::Result<()> {
    let existing = sqlx::query!(
        "select indicator_group_id, code, name_zh, name_en, position
         from indicator_group where plan_id = $1 and code = $2",
        plan_id,
        def.code
    )
    .fetch_optional(&mut *conn)
    .await?;
    let before = existing.as_ref().map(|r| {
        (
            GroupDef {
                code: r.code.clone(),
                name_zh: r.name_zh.clone(),
                name_en: r.name_en.clone(),
            },
            r.position,
        )
    });
    if before.as_ref() == Some(&(def.clone(), position)) {
        tally.unchanged += 1;
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
        plan_id,
        "group",
        id,
        before,
        &(def.clone(), position),
        tally,
    )
    .await?;
    Ok(())
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
    tally: &mut Tally,
) -> sqlx::Result<i64> {
    use crate::domain::plan::{Direction, Nature, UnitKind};
    let r = sqlx::query!(
        r#"select i.indicator_id, i.position, g.code as group_code, i.name_zh, i.name_en,
                  i.unit as "unit: UnitKind", i.unit_zh, i.unit_en, i.decimals,
                  i.direction as "direction: Direction", i.nature as "nature: Nature",
                  i.definition_zh, i.definition_en, i.source,
                  i.confidence as "confidence: Confidence", i.note,
                  i.baseline_year, i.baseline_value, i.baseline_source,
                  i.baseline_confidence as "baseline_confidence: Confidence", i.baseline_note,
                  i.target_year, i.target_value,
                  i.target_comparator as "target_comparator: Comparator",
                  i.target_source, i.target_confidence as "target_confidence: Confidence",
                  i.target_note
           from indicator i join indicator_group g using (indicator_group_id)
           where i.plan_id = $1 and i.code = $2"#,
        plan_id,
        def.code
    )
    .fetch_optional(&mut *conn)
    .await?;
    let wanted = IndicatorRecord {
        position,
        def: IndicatorDef {
            observations: Vec::new(),
            ..def.clone()
        },
    };
    let existing_id = r.as_ref().map(|r| r.indicator_id);
    let before = r.map(|r| IndicatorRecord {
        position: r.position,
        def: IndicatorDef {
            code: def.code.clone(),
            group: r.group_code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            unit: r.unit,
            unit_zh: r.unit_zh,
            unit_en: r.unit_en,
            decimals: r.decimals as u8,
            direction: r.direction,
            nature: r.nature,
            definition_zh: r.definition_zh,
            definition_en: r.definition_en,
            source: r.source,
            confidence: r.confidence,
            note: r.note,
            baseline: r.baseline_year.map(|year| BaselineDef {
                year,
                value: r.baseline_value,
                source: r.baseline_source,
                confidence: r.baseline_confidence,
                note: r.baseline_note,
            }),
            target: r
                .target_year
                .zip(r.target_value)
                .map(|(year, value)| TargetDef {
                    year,
                    value,
                    comparator: r.target_comparator,
                    source: r.target_source,
                    confidence: r.target_confidence,
                    note: r.target_note,
                }),
            observations: Vec::new(),
        },
    });
    if let (Some(id), Some(b)) = (existing_id, &before)
        && *b == wanted
    {
        tally.unchanged += 1;
        return Ok(id);
    }
    let baseline = def.baseline.as_ref();
    let target = def.target.as_ref();
    let id = sqlx::query_scalar!(
        "insert into indicator (plan_id, indicator_group_id, code, position, name_zh, name_en, unit,
                                unit_zh, unit_en, decimals, direction, nature, definition_zh,
                                definition_en, source, confidence, note, baseline_year, baseline_value,
                                baseline_source, baseline_confidence, baseline_note, target_year,
                                target_value, target_comparator, target_source, target_confidence,
                                target_note)
         values ($1, (select indicator_group_id from indicator_group where plan_id = $1 and code = $2),
                 $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                 $21, $22, $23, $24, $25, $26, $27, $28)
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
             target_note = excluded.target_note, updated_at = now()
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
        target.map(|t| t.year),
        target.map(|t| t.value),
        target.and_then(|t| t.comparator).map(Comparator::as_str),
        target.and_then(|t| t.source.clone()),
        target.and_then(|t| t.confidence).map(Confidence::as_str),
        target.and_then(|t| t.note.clone()),
    )
    .fetch_one(&mut *conn)
    .await?;
    settle(conn, plan_id, "indicator", id, before, &wanted, tally).await?;
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

async fn upsert_programme(
    conn: &mut PgConnection,
    plan_id: i64,
    position: i32,
    def: &ProgrammeDef,
    tally: &mut Tally,
) -> sqlx::Result<i64> {
    let wanted = ProgrammeRecord {
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
    };
    let existing = sqlx::query!(
        r#"select p.programme_id, p.position, p.slug, p.name_zh, p.name_en, p.description_zh,
                  p.description_en, i.code as "indicator?", p.unit_zh, p.unit_en, p.target_year,
                  p.target_value, p.target_comparator as "target_comparator: Comparator",
                  p.target_source, p.target_confidence as "target_confidence: Confidence",
                  p.target_note, p.source, p.confidence as "confidence: Confidence",
                  p.count_from_items as "count_from_items: ItemStatus"
           from programme p left join indicator i using (indicator_id)
           where p.plan_id = $1 and p.slug = $2"#,
        plan_id,
        def.slug
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (existing_id, before) = match existing {
        Some(r) => (
            Some(r.programme_id),
            Some(ProgrammeRecord {
                position: r.position,
                slug: r.slug,
                name_zh: r.name_zh,
                name_en: r.name_en,
                description_zh: r.description_zh,
                description_en: r.description_en,
                indicator: r.indicator,
                unit_zh: r.unit_zh,
                unit_en: r.unit_en,
                target: r
                    .target_year
                    .zip(r.target_value)
                    .map(|(year, value)| TargetDef {
                        year,
                        value,
                        comparator: r.target_comparator,
                        source: r.target_source,
                        confidence: r.target_confidence,
                        note: r.target_note,
                    }),
                source: r.source,
                confidence: r.confidence,
                count_from_items: r.count_from_items,
            }),
        ),
        None => (None, None),
    };
    if let Some(id) = existing_id
        && before.as_ref() == Some(&wanted)
    {
        tally.unchanged += 1;
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
    settle(conn, plan_id, "programme", id, before, &wanted, tally).await?;
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
    tally: &mut Tally,
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
    if existing_id.is_some() && before.as_ref() == Some(&wanted) {
        tally.unchanged += 1;
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
    settle(conn, plan_id, "item", id, before, &wanted, tally).await?;
    Ok(())
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
}

async fn add_figure(
    conn: &mut PgConnection,
    plan_id: i64,
    f: &Figure<'_>,
    report: &mut SeedReport,
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
    let seeded_published = existing
        .iter()
        .find(|r| r.state == "published" && r.entered_by.is_none());
    if existing.is_empty() {
        let first_value = f.revised_from.unwrap_or(f.value);
        let id = sqlx::query_scalar!(
            "insert into observation (indicator_id, programme_id, year, kind, state, value, source,
                                      confidence, note, published_at)
             values ($1, $2, $3, $4, 'published', $5, $6, $7, $8, now())
             returning observation_id",
            indicator_id,
            programme_id,
            f.year,
            f.kind.as_str(),
            f.value,
            f.source,
            f.confidence.as_str(),
            f.note
        )
        .fetch_one(&mut *conn)
        .await?;
        let first = figure_json(first_value, PUBLISHED, f.source, Some(f.confidence), f.note);
        record_figure(
            conn,
            plan_id,
            id,
            f,
            "create",
            None,
            first,
            "loaded from seed file",
        )
        .await?;
        if let Some(first) = f.revised_from {
            // The value as first published stays on record; the revision replaces it.
            let before = figure_json(first, PUBLISHED, f.source, Some(f.confidence), f.note);
            let reason = if f.note.is_empty() {
                "revised by the publisher"
            } else {
                f.note
            };
            record_figure(conn, plan_id, id, f, "update", Some(before), after, reason).await?;
        }
        report.figures.created += 1;
        return Ok(());
    }
    let Some(row) = seeded_published.filter(|_| existing.len() == 1) else {
        // Entered or changed through the site, or a draft is pending: the site's data wins.
        let same = existing
            .iter()
            .any(|r| r.state == "published" && r.value == f.value);
        if same {
            report.figures.unchanged += 1
        } else {
            report.figures_kept += 1
        }
        return Ok(());
    };
    if row.value == f.value
        && row.source == f.source
        && row.confidence == Some(f.confidence)
        && row.note == f.note
    {
        report.figures.unchanged += 1;
        return Ok(());
    }
    let before = figure_json(row.value, PUBLISHED, &row.source, row.confidence, &row.note);
    sqlx::query!(
        "update observation set value = $2, source = $3, confidence = $4, note = $5,
                version = version + 1, updated_at = now()
         where observation_id = $1",
        row.observation_id,
        f.value,
        f.source,
        f.confidence.as_str(),
        f.note
    )
    .execute(&mut *conn)
    .await?;
    record_figure(
        conn,
        plan_id,
        row.observation_id,
        f,
        "update",
        Some(before),
        after,
        "seed file changed",
    )
    .await?;
    report.figures.updated += 1;
    Ok(())
}

/// Records a change of a seeded figure.
#[allow(clippy::too_many_arguments)]
async fn record_figure(
    conn: &mut PgConnection,
    plan_id: i64,
    observation_id: i64,
    f: &Figure<'_>,
    action: &str,
    before: Option<Value>,
    after: Value,
    reason: &str,
) -> sqlx::Result<()> {
    figures::record(
        conn,
        plan_id,
        observation_id,
        f.owner,
        f.year,
        f.kind,
        action,
        &Actor::SEED,
        before,
        Some(after),
        reason,
    )
    .await
}
