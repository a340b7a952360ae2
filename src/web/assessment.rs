//! A plan's final assessment: every indicator's final value against its target, the
//! programmes' results, and a commentary per indicator that an official drafts and another
//! official publishes. The page prints cleanly on A4.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{AsOf, CurrentPlan, Path, Query};
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::reader::Reader;
use super::session::{CsrfForm, Reviewer};
use super::views::{self, PlanHeader, target_text};
use super::{AppError, AppState, format};
use crate::domain::entry::{self, COMMENTARY_MAX};
use crate::domain::plan::{ItemStatus, ObservationState, UnitKind};
use crate::i18n;
use crate::report::{IndicatorReport, PlanReport, Verdict};
use crate::store::assessment::{self, IndicatorCommentary, SaveOutcome};
use crate::store::plans::{self, Indicator, Visibility};

/// The assessment page (kept by the page cache for readers without a session).
pub fn public_router() -> Router<AppState> {
    Router::new().route("/plans/{plan}/assessment", get(page))
}

/// The commentary form.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/plans/{plan}/assessment/{code}/edit",
        get(edit_form).post(edit_save),
    )
}

fn value_text(ind: &Indicator, v: rust_decimal::Decimal) -> String {
    let unit = if ind.unit == UnitKind::Percent {
        ""
    } else {
        i18n::Lang::current().pick(&ind.unit_zh, &ind.unit_en)
    };
    format::with_unit(&format::decimal(v), ind.unit, unit)
}

/// One indicator's line of the assessment.
pub struct ResultRow {
    pub code: String,
    pub name: String,
    pub baseline: String,
    pub final_value: String,
    pub final_year: String,
    pub target: String,
    pub verdict: &'static str,
    /// The message id of the verdict.
    pub verdict_label: &'static str,
    /// The headline status, by the plan's method: the same as on every other page.
    pub status: views::StatusView,
    pub share: String,
    pub source: String,
    /// The commentary the reader may see (a draft for signed-in readers, marked).
    pub commentary: String,
    pub commentary_draft: bool,
    pub commentary_returned: String,
}

pub struct ProgrammeResult {
    pub slug: String,
    pub name: String,
    pub final_count: String,
    pub target: String,
    pub operating: usize,
    pub items: usize,
}

pub struct VerdictCount {
    pub label: &'static str,
    pub code: &'static str,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "assessment/page.html")]
struct AssessmentPage {
    layout: Layout,
    plan: PlanHeader,
    end_year: i32,
    rows: Vec<ResultRow>,
    counts: Vec<VerdictCount>,
    programmes: Vec<ProgrammeResult>,
    /// Whether the reader may draft commentary (officials).
    writes: bool,
}

fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Achieved => "assessment-verdict-achieved",
        Verdict::NotAchieved => "assessment-verdict-not-achieved",
        Verdict::NoData => "assessment-verdict-no-data",
        Verdict::NoTarget => "assessment-verdict-no-target",
    }
}

async fn page(
    State(state): State<AppState>,
    reader: Reader,
    CurrentPlan(plan): CurrentPlan,
    Query(as_of): Query<AsOf>,
) -> Result<Html<String>, AppError> {
    let visibility = reader.visibility();
    let mut conn = state.db.acquire().await?;
    // The final assessment is as of the plan's end year unless another year is asked for.
    let as_of = as_of
        .year(&plan)?
        .or(Some(plan.end_year.min(crate::report::this_year())));
    let report = state.report(plan, visibility, as_of).await?;
    let commentary = assessment::for_plan(&mut conn, report.plan.plan_id, visibility).await?;
    drop(conn);
    let end_year = report.plan.end_year;
    let empty = IndicatorCommentary::default();
    let rows: Vec<(Verdict, ResultRow)> = report
        .indicators()
        .map(|r| {
            let c = commentary.get(&r.indicator.indicator_id).unwrap_or(&empty);
            let result = r.final_result(end_year);
            (result.verdict, ResultRow::new(&report, r, &result, c))
        })
        .collect();
    let counts = COUNTED
        .into_iter()
        .map(|v| VerdictCount {
            label: verdict_label(v),
            code: v.as_str(),
            count: rows.iter().filter(|(rv, _)| *rv == v).count(),
        })
        .collect();
    let programmes = report
        .programmes
        .iter()
        .map(|p| ProgrammeResult::new(p, end_year))
        .collect();
    let writes = reader.user.as_ref().is_some_and(|u| u.role.reviews());
    Ok(Html(
        AssessmentPage {
            layout: reader.layout.with_plan(&report.plan.slug),
            plan: PlanHeader::new(&report.plan),
            end_year,
            rows: rows.into_iter().map(|(_, r)| r).collect(),
            counts,
            programmes,
            writes,
        }
        .render()?,
    ))
}

/// The verdicts counted at the top of the page, in this order.
const COUNTED: [Verdict; 4] = [
    Verdict::Achieved,
    Verdict::NotAchieved,
    Verdict::NoData,
    Verdict::NoTarget,
];

/// "Sent back by … : …" for a commentary an official sent back, else nothing.
fn sent_back(c: &crate::store::assessment::Commentary) -> String {
    if c.returned_at.is_none() {
        return String::new();
    }
    i18n::t2(
        "item-sent-back-by",
        "name",
        c.returned_by_name.as_deref().unwrap_or("?"),
        "comment",
        &c.review_comment,
    )
}

impl ResultRow {
    fn new(
        report: &PlanReport,
        r: &IndicatorReport,
        result: &crate::report::FinalResult,
        c: &IndicatorCommentary,
    ) -> ResultRow {
        let ind = &r.indicator;
        let lang = i18n::Lang::current();
        // The public sees published commentary only (`for_plan` gave it nothing else).
        let shown = c.current();
        let dash = || "—".to_owned();
        ResultRow {
            code: ind.code.clone(),
            name: lang.pick(&ind.name_zh, &ind.name_en).to_owned(),
            baseline: match ind
                .baseline
                .as_ref()
                .and_then(|b| b.value.map(|v| (b.year, v)))
            {
                Some((y, v)) => format!("{} ({y})", value_text(ind, v)),
                _ => dash(),
            },
            final_value: result
                .final_value
                .map_or_else(dash, |o| value_text(ind, o.value)),
            final_year: result
                .final_value
                .map(|o| o.year.to_string())
                .unwrap_or_default(),
            target: match &ind.target {
                Some(_) => views::plan_target_text(report, ind, |i, v| value_text(i, *v)),
                _ => dash(),
            },
            verdict: result.verdict.as_str(),
            verdict_label: verdict_label(result.verdict),
            status: views::status_view(r.status),
            share: result
                .progress
                .share_of_way
                .map_or_else(dash, |s| format::percent(s, 0)),
            source: result
                .final_value
                .map(|o| o.source.clone())
                .unwrap_or_default(),
            commentary: shown.map(|c| c.commentary.clone()).unwrap_or_default(),
            commentary_draft: shown.is_some_and(|c| c.state == ObservationState::Draft),
            commentary_returned: shown.map(sent_back).unwrap_or_default(),
        }
    }
}

impl ProgrammeResult {
    fn new(p: &crate::report::ProgrammeReport, end_year: i32) -> ProgrammeResult {
        let lang = i18n::Lang::current();
        let g = &p.programme;
        let unit = lang.pick(&g.unit_zh, &g.unit_en);
        let with_unit = |n: String| {
            if unit.is_empty() {
                n
            } else {
                format!("{n} {unit}")
            }
        };
        let last_count = match &p.derived {
            Some(d) => d
                .iter()
                .rev()
                .find(|(y, _)| *y <= end_year)
                .map(|(y, n)| (*y, rust_decimal::Decimal::from(*n))),
            None => p
                .counts
                .iter()
                .rfind(|o| o.state == ObservationState::Published && o.year <= end_year)
                .map(|o| (o.year, o.value)),
        };
        ProgrammeResult {
            slug: g.slug.clone(),
            name: lang.pick(&g.name_zh, &g.name_en).to_owned(),
            final_count: last_count
                .map(|(y, v)| format!("{} ({y})", with_unit(format::decimal(v))))
                .unwrap_or_else(|| "—".into()),
            target: match &g.target {
                Some(tg) => target_text(
                    tg.comparator.map(Into::into),
                    with_unit(format::decimal(tg.value)),
                    tg.year,
                ),
                _ => "—".into(),
            },
            operating: p.items_in(ItemStatus::Operating),
            items: p
                .items
                .iter()
                .filter(|i| i.item.state == ObservationState::Published)
                .count(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CommentaryForm {
    #[serde(default)]
    commentary: String,
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "assessment/edit.html")]
struct EditPage {
    layout: Layout,
    plan: PlanHeader,
    code: String,
    name: String,
    published: String,
    returned: String,
    commentary: String,
    token: String,
    /// The message at `commentary`.
    errors: FieldErrors,
    /// The commentary stored meanwhile by someone else, shown beside what was typed.
    conflict: Option<String>,
}

struct EditContext {
    plan: crate::store::plans::Plan,
    indicator: Indicator,
}

async fn edit_context(
    state: &AppState,
    plan: crate::store::plans::Plan,
    code: &str,
) -> Result<EditContext, AppError> {
    let mut conn = state.db.acquire().await?;
    let indicator = plans::indicators(&mut conn, plan.plan_id)
        .await?
        .into_iter()
        .find(|i| i.code == code)
        .ok_or(AppError::NotFound)?;
    Ok(EditContext { plan, indicator })
}

/// What the commentary form shows: the text typed (or stored), its token, and what was wrong.
struct Typed {
    commentary: String,
    token: String,
    error: Option<String>,
    /// The commentary stored meanwhile by someone else.
    conflict: Option<String>,
}

impl EditPage {
    fn new(layout: Layout, ctx: &EditContext, now: &IndicatorCommentary, typed: Typed) -> EditPage {
        let lang = i18n::Lang::current();
        let mut errors = FieldErrors::new();
        if let Some(e) = typed.error {
            errors.add("commentary", e);
        }
        EditPage {
            layout: layout.with_plan(&ctx.plan.slug),
            plan: PlanHeader::new(&ctx.plan),
            code: ctx.indicator.code.clone(),
            name: lang
                .pick(&ctx.indicator.name_zh, &ctx.indicator.name_en)
                .to_owned(),
            published: now
                .published
                .as_ref()
                .map(|p| p.commentary.clone())
                .unwrap_or_default(),
            returned: now.draft.as_ref().map(sent_back).unwrap_or_default(),
            commentary: typed.commentary,
            token: typed.token,
            errors,
            conflict: typed.conflict,
        }
    }
}

async fn current(state: &AppState, ctx: &EditContext) -> Result<IndicatorCommentary, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(
        assessment::for_plan(&mut conn, ctx.plan.plan_id, Visibility::WithDrafts)
            .await?
            .remove(&ctx.indicator.indicator_id)
            .unwrap_or_default(),
    )
}

async fn edit_form(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let ctx = edit_context(&state, plan, &code).await?;
    let now = current(&state, &ctx).await?;
    let typed = Typed {
        commentary: now
            .current()
            .map(|c| c.commentary.clone())
            .unwrap_or_default(),
        token: now.token(),
        error: None,
        conflict: None,
    };
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    form::ok(&EditPage::new(layout, &ctx, &now, typed))
}

async fn edit_save(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, code)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<CommentaryForm>,
) -> Result<Response, AppError> {
    let ctx = edit_context(&state, plan, &code).await?;
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    let text = match entry::parse_text(&form.commentary, COMMENTARY_MAX) {
        Ok(t) if t.is_empty() => Err(i18n::t("assessment-error-empty")),
        Ok(t) => Ok(t),
        Err(e) => Err(e.to_string()),
    };
    let text = match text {
        Ok(t) => t,
        Err(error) => {
            let now = current(&state, &ctx).await?;
            let typed = Typed {
                commentary: form.commentary,
                token: form.token,
                error: Some(error),
                conflict: None,
            };
            return form::refused(&EditPage::new(layout, &ctx, &now, typed));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = assessment::save_draft(
        &mut tx,
        ctx.plan.plan_id,
        ctx.indicator.indicator_id,
        &text,
        &user,
        &form.token,
    )
    .await?;
    tx.commit().await?;
    match outcome {
        SaveOutcome::Saved | SaveOutcome::Unchanged => Ok(Redirect::to(&format!(
            "/plans/{}/assessment#indicator-{code}",
            ctx.plan.slug
        ))
        .into_response()),
        SaveOutcome::Conflict(now) => {
            // Ours as typed, theirs as stored now; submitting again keeps ours.
            let typed = Typed {
                commentary: form.commentary,
                token: now.token(),
                error: None,
                conflict: Some(
                    now.current()
                        .map(|c| c.commentary.clone())
                        .unwrap_or_default(),
                ),
            };
            form::conflict(&EditPage::new(layout, &ctx, &now, typed))
        }
    }
}
