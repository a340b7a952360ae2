//! A plan's definitions as one seed file, read from the database: what the site holds, in the
//! format of `seeds/*.toml`, so that the browser, the downloads and the files never disagree.
//! Edits made in the browser change this file and load it again with the seed loader, which
//! checks it with the seed file's rules and records every change.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::plan::{Confidence, ObservationKind};
use crate::domain::seed::{
    CountDef, FORMAT, GroupDef, IndicatorDef, ObservationDef, PlanDef, ProgrammeDef, SeedFile,
};
use crate::domain::target::{Target, TargetComparator, TargetFields, TargetKind};
use crate::domain::time_progress::Factors;
use crate::store::plans::{self, Plan};

/// A plan's definitions and published figures as a seed file. Figures entered on the site
/// without a confidence are written with `medium`, the seed format's "exact publication not
/// identified".
pub async fn seed_file(conn: &mut PgConnection, plan: &Plan) -> sqlx::Result<SeedFile> {
    let groups = plans::groups(conn, plan.plan_id).await?;
    let mut indicators = plans::indicators(conn, plan.plan_id).await?;
    // The file's order (display order within a heading is the same either way).
    let order = sqlx::query_scalar!(
        "select indicator_id from indicator where plan_id = $1 order by position, indicator_id",
        plan.plan_id
    )
    .fetch_all(&mut *conn)
    .await?;
    indicators.sort_by_key(|i| order.iter().position(|id| *id == i.indicator_id));
    let programmes = plans::programmes(conn, plan.plan_id).await?;
    // Items added on the site belong to the plan once published; drafts stay out of the file.
    let items = plans::items(conn, plan.plan_id, plans::Visibility::Published).await?;
    let figures = sqlx::query!(
        r#"select o.indicator_id as "indicator_id?", o.programme_id as "programme_id?",
                  o.year as "year!", o.kind as "kind!: ObservationKind", o.value as "value!",
                  o.source as "source!", o.confidence as "confidence?: Confidence",
                  o.note as "note!",
                  (select (r.after->>'value')::numeric from revision r
                   where r.entity = 'observation' and r.entity_id = o.observation_id
                     and r.action = 'create'
                   order by r.revision_id limit 1) as first_value
           from observation o
           where o.state = 'published'
             and (o.indicator_id in (select indicator_id from indicator where plan_id = $1)
                  or o.programme_id in (select programme_id from programme where plan_id = $1))
           order by o.year, o.kind"#,
        plan.plan_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());

    let indicator_defs = indicators
        .iter()
        .map(|i| IndicatorDef {
            observations: figures
                .iter()
                .filter(|f| f.indicator_id == Some(i.indicator_id))
                .map(|f| ObservationDef {
                    year: f.year,
                    value: f.value,
                    kind: f.kind,
                    source: f.source.clone(),
                    confidence: f.confidence.unwrap_or(Confidence::Medium),
                    note: opt(&f.note),
                    revised_from: f.first_value.filter(|v| *v != f.value),
                })
                .collect(),
            ..i.def.clone()
        })
        .collect();
    let programme_defs = programmes
        .iter()
        .map(|p| ProgrammeDef {
            counts: figures
                .iter()
                .filter(|f| p.count_from_items.is_none() && f.programme_id == Some(p.programme_id))
                .map(|f| CountDef {
                    year: f.year,
                    value: f.value,
                    source: f.source.clone(),
                    confidence: f.confidence.unwrap_or(Confidence::Medium),
                    note: opt(&f.note),
                })
                .collect(),
            items: items
                .iter()
                .filter(|it| it.programme_id == p.programme_id)
                .map(plans::Item::def)
                .collect(),
            ..p.def.clone()
        })
        .collect();
    Ok(SeedFile {
        format: FORMAT,
        plan: plan_def(plan),
        groups: groups
            .iter()
            .map(|g| GroupDef {
                code: g.code.clone(),
                name_zh: g.name_zh.clone(),
                name_en: g.name_en.clone(),
            })
            .collect(),
        indicators: indicator_defs,
        programmes: programme_defs,
    })
}

pub fn plan_def(plan: &Plan) -> PlanDef {
    PlanDef {
        slug: plan.slug.clone(),
        title_zh: plan.title_zh.clone(),
        title_en: plan.title_en.clone(),
        start_year: plan.start_year,
        end_year: plan.end_year,
        baseline_year: plan.baseline_year,
        vision_year: plan.vision_year,
        default: plan.is_default,
        issuer_zh: plan.issuer_zh.clone(),
        issuer_en: plan.issuer_en.clone(),
        document_number: plan.document_number.clone(),
        issued_on: plan.issued_on,
        published_on: plan.published_on,
        summary_zh: plan.summary_zh.clone(),
        summary_en: plan.summary_en.clone(),
        source: plan.source.clone(),
        confidence: plan.confidence,
        method: plan.method,
        ahead_factor: Some(plan.ahead_factor).filter(|f| *f != Factors::default().ahead),
        behind_factor: Some(plan.behind_factor).filter(|f| *f != Factors::default().behind),
    }
}

/// Problems a seed file has against the database: predecessors that do not exist.
pub async fn reference_problems(
    conn: &mut PgConnection,
    seed: &SeedFile,
) -> sqlx::Result<Vec<crate::domain::seed::Problem>> {
    use crate::domain::seed::{Place, Problem, Scope};
    let mut out = Vec::new();
    for i in &seed.indicators {
        let Some(p) = &i.predecessor else { continue };
        let found = sqlx::query_scalar!(
            r#"select exists (select 1 from indicator i join plan p using (plan_id)
                              where p.slug || '/' || i.code = $1) as "found!""#,
            p
        )
        .fetch_one(&mut *conn)
        .await?;
        if !found {
            out.push(Problem {
                place: Place {
                    scope: Scope::Indicator(i.code.clone()),
                    field: "predecessor",
                },
                text: crate::domain::seed::msg(
                    "seed-predecessor-missing",
                    &[
                        ("at", format!("indicator {:?}", i.code)),
                        ("predecessor", format!("{p:?}")),
                    ],
                ),
            });
        }
    }
    Ok(out)
}

/// A target an amendment replaced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EarlierTarget {
    pub indicator_id: i64,
    pub target: Target,
    pub replaced_at: DateTime<Utc>,
    pub replaced_by: String,
    /// As typed, or the argument of `reason_code` (see [`crate::store::revision::Reason`]).
    pub reason: String,
    pub reason_code: Option<String>,
}

/// The earlier targets of a plan's indicators, oldest first.
pub async fn earlier_targets(
    conn: &mut PgConnection,
    plan_id: i64,
) -> sqlx::Result<Vec<EarlierTarget>> {
    let rows = sqlx::query!(
        r#"select t.indicator_id, t.target_year, t.target_kind as "target_kind: TargetKind",
                  t.target_value, t.target_comparator as "target_comparator: TargetComparator",
                  t.target_min, t.target_max, t.target_indicator, t.target_tolerance,
                  t.target_every_year, t.target_wording_zh, t.target_wording_en,
                  t.target_source, t.target_confidence as "target_confidence: Confidence",
                  t.target_note, t.replaced_at, t.replaced_by_label, t.reason, t.reason_code
           from indicator_target t join indicator i using (indicator_id)
           where i.plan_id = $1
           order by t.replaced_at, t.indicator_target_id"#,
        plan_id
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let target = Target::try_from(TargetFields {
                year: r.target_year,
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
            .map_err(|e| sqlx::Error::Decode(format!("earlier target: {e}").into()))?;
            Ok(EarlierTarget {
                indicator_id: r.indicator_id,
                target,
                replaced_at: r.replaced_at,
                replaced_by: r.replaced_by_label,
                reason: r.reason,
                reason_code: r.reason_code,
            })
        })
        .collect()
}

/// The latest published actual value of an indicator, given as `plan-slug/code`, with its
/// year and the indicator's names: what a continuing indicator's baseline is proposed from.
pub struct LatestValue {
    pub year: i32,
    pub value: Decimal,
    pub source: String,
    pub name_en: String,
    pub plan_title_en: String,
}

pub async fn latest_published(
    conn: &mut PgConnection,
    reference: &str,
) -> sqlx::Result<Option<LatestValue>> {
    sqlx::query_as!(
        LatestValue,
        r#"select o.year, o.value, o.source, i.name_en, p.title_en as plan_title_en
           from indicator i join plan p using (plan_id)
           join observation o on o.indicator_id = i.indicator_id
           where p.slug || '/' || i.code = $1 and o.kind = 'actual' and o.state = 'published'
           order by o.year desc limit 1"#,
        reference
    )
    .fetch_optional(conn)
    .await
}

/// A seed file an administrator uploaded, waiting for confirmation.
pub struct SeedUpload {
    pub seed_upload_id: String,
    pub file_name: String,
    pub content: String,
    pub preview: serde_json::Value,
    pub expires_at: DateTime<Utc>,
}

/// Keeps an uploaded seed file and its preview for `minutes`; returns its id.
pub async fn keep_seed_upload(
    conn: &mut PgConnection,
    app_user_id: i64,
    file_name: &str,
    content: &str,
    preview: &serde_json::Value,
    minutes: i32,
) -> sqlx::Result<String> {
    sqlx::query!("delete from seed_upload where expires_at < now()")
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar!(
        "insert into seed_upload (app_user_id, file_name, content, preview, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5))
         returning seed_upload_id",
        app_user_id,
        file_name,
        content,
        preview,
        minutes
    )
    .fetch_one(conn)
    .await
}

/// The user's uploaded seed file `id`, unless it expired; locked when `lock`.
pub async fn seed_upload(
    conn: &mut PgConnection,
    id: &str,
    app_user_id: i64,
) -> sqlx::Result<Option<SeedUpload>> {
    sqlx::query_as!(
        SeedUpload,
        "select seed_upload_id, file_name, content, preview, expires_at from seed_upload
         where seed_upload_id = $1 and app_user_id = $2 and expires_at > now()
         for update",
        id,
        app_user_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn drop_seed_upload(
    conn: &mut PgConnection,
    id: &str,
    app_user_id: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from seed_upload where seed_upload_id = $1 and app_user_id = $2",
        id,
        app_user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes definition edits of one plan run one after another, until the transaction ends: also
/// for a plan not created yet, so two people creating the same slug cannot both succeed.
pub async fn lock_plan(conn: &mut PgConnection, slug: &str) -> sqlx::Result<()> {
    crate::store::lock::lock(conn, crate::store::lock::LockKey::Plan(slug)).await
}

/// One definition of a plan, by its identifier in the seed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record<'a> {
    Plan,
    Group(&'a str),
    Indicator(&'a str),
    Programme(&'a str),
}

/// The version of a stored definition (it goes up with every change its form shows, whoever
/// makes it); `None` when there is no such record.
pub async fn version(
    conn: &mut PgConnection,
    plan_id: i64,
    record: Record<'_>,
) -> sqlx::Result<Option<i32>> {
    match record {
        Record::Plan => {
            sqlx::query_scalar!("select version from plan where plan_id = $1", plan_id)
                .fetch_optional(conn)
                .await
        }
        Record::Group(code) => {
            sqlx::query_scalar!(
                "select version from indicator_group where plan_id = $1 and code = $2",
                plan_id,
                code
            )
            .fetch_optional(conn)
            .await
        }
        Record::Indicator(code) => {
            sqlx::query_scalar!(
                "select version from indicator where plan_id = $1 and code = $2",
                plan_id,
                code
            )
            .fetch_optional(conn)
            .await
        }
        Record::Programme(slug) => {
            sqlx::query_scalar!(
                "select version from programme where plan_id = $1 and slug = $2",
                plan_id,
                slug
            )
            .fetch_optional(conn)
            .await
        }
    }
}
