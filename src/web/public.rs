//! The public pages: what anyone may read without an account.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::extract::{AsOf, CurrentPlan, Path, Query};
use super::layout::Layout;
use super::reader::Reader;
use super::views::HistoryView;
use super::views::{
    self, AttentionItem, Figures, IndicatorRow, OverviewTable, PlanHeader, PlanSummary,
    ProgrammeView, StatusCount, StatusView, TableView, YearRow,
};
use super::{AppError, AppState, chart::Chart};
use crate::domain::plan::{Method, Role};
use crate::domain::time_progress::Status as TpStatus;
use crate::i18n::{t, t1};
use crate::report::{Headline, PlanReport};
use crate::store::plans::{self, Plan, Visibility};

/// The public pages (kept by the page cache for readers without a session).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/plans", get(plan_list))
        .route("/plans/{plan}", get(overview))
        .route("/plans/{plan}/indicators/{code}", get(indicator))
        .route(
            "/plans/{plan}/indicators/{code}/chart.svg",
            get(super::chart::download),
        )
        .route(
            "/plans/{plan}/indicators/{code}/chart.png",
            get(super::chart::download_png),
        )
        .route("/plans/{plan}/programmes", get(programmes))
        .route("/plans/{plan}/programmes/{slug}", get(programme))
        .route("/methodology", get(methodology))
        .route("/static/style.css", get(stylesheet))
}

/// The health check, never answered from a kept copy.
pub fn health_router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn report(
    state: &AppState,
    plan: Plan,
    visibility: Visibility,
) -> Result<std::sync::Arc<PlanReport>, AppError> {
    Ok(state.report(plan, visibility, None).await?)
}

crate::web::frame::pages!(
    OverviewPage,
    PlansPage,
    IndicatorPage,
    ProgrammesPage,
    ProgrammePage,
    MethodologyPage,
);

#[derive(Template)]
#[template(path = "public/overview.html")]
struct OverviewPage {
    layout: Layout,
    plan: PlanHeader,
    other_plans: Vec<PlanSummary>,
    /// All plans, for the link to the full list when not every other plan is shown.
    plan_count: usize,
    counts: Vec<StatusCount>,
    total: usize,
    /// The headline method's name, in the reader's language.
    method_name: String,
    /// The years the verdicts can be shown as of, newest first.
    as_of_years: Vec<i32>,
    /// The year asked for with `?as_of=`, if any.
    as_of_asked: Option<i32>,
    /// Indicators lagging, missing their target, or awaiting data or judgement.
    attention: Vec<AttentionItem>,
    /// The full table, narrowed and ordered as the query asks.
    table: OverviewTable,
    programmes: Vec<ProgrammeView>,
}

/// The overview's query: `?status=CODE&group=CODE&sort=status`. Empty values mean "all".
#[derive(serde::Deserialize, Default)]
struct TableQuery {
    status: Option<String>,
    group: Option<String>,
    sort: Option<String>,
    as_of: Option<String>,
}

impl TableQuery {
    /// The view of the table asked for; a value that names no status, heading or order of this
    /// plan is refused (400) with what was wrong, never silently ignored.
    fn view(self, report: &PlanReport) -> Result<TableView, AppError> {
        let given = |v: Option<String>| v.filter(|v| !v.is_empty());
        let refused = |id: &str, value: &str| AppError::Rejected {
            status: StatusCode::BAD_REQUEST,
            message: t1(id, "value", value),
        };
        let status = match given(self.status) {
            Some(v) => Some(
                Headline::parse(report.plan.method, &v)
                    .ok_or_else(|| refused("overview-filter-bad-status", &v))?,
            ),
            None => None,
        };
        let group = match given(self.group) {
            Some(v) if report.groups.iter().any(|g| g.group.code == v) => Some(v),
            Some(v) => return Err(refused("overview-filter-bad-group", &v)),
            None => None,
        };
        let worst_first = match given(self.sort).as_deref() {
            None | Some("plan") => false,
            Some("status") => true,
            Some(v) => return Err(refused("overview-filter-bad-sort", v)),
        };
        Ok(TableView {
            status,
            as_of: report.as_of_asked.then_some(report.as_of),
            group,
            worst_first,
        })
    }
}

/// Other plans listed on an overview; the rest are one link away, so that an overview costs
/// the same however many plans the site holds.
const OTHER_PLANS_SHOWN: usize = 8;

async fn overview_page(
    state: &AppState,
    reader: Reader,
    slug: Option<&str>,
    query: TableQuery,
) -> Result<Html<String>, AppError> {
    let visibility = reader.visibility();
    // Everything is looked up inside the builder: a signed-in reader whose page is kept asks
    // for nothing more.
    reader
        .render(state, async |layout| {
            // The first few other plans and how many there are: a country's plans are tens of
            // thousands.
            let front = state
                .cache
                .plans_front(&state.db, OTHER_PLANS_SHOWN as i64 + 1)
                .await?;
            let plan = match slug {
                Some(slug) => state.cache.plan(&state.db, slug).await?,
                None => front.default.clone(),
            }
            .ok_or(AppError::NotFound)?;
            let first = &front.first;
            let plan_count = usize::try_from(front.count).unwrap_or(usize::MAX);
            let as_of = AsOf {
                as_of: query.as_of.clone(),
            }
            .year(&plan)?;
            let report = state.report(plan, visibility, as_of).await?;
            let view = query.view(&report)?;
            Ok(OverviewPage {
                layout: layout.with_plan(&report.plan.slug),
                plan: PlanHeader::new(&report.plan),
                other_plans: first
                    .iter()
                    .filter(|p| p.plan_id != report.plan.plan_id)
                    .take(OTHER_PLANS_SHOWN)
                    .map(PlanSummary::new)
                    .collect(),
                plan_count,
                counts: views::status_counts(&report),
                total: report.indicators().count(),
                method_name: t(&format!("method-name-{}", report.plan.method)),
                as_of_years: (report.plan.start_year..=crate::report::this_year())
                    .rev()
                    .collect(),
                as_of_asked: report.as_of_asked.then_some(report.as_of),
                attention: views::attention(&report),
                table: views::overview_table(&report, &view),
                programmes: report.programmes.iter().map(ProgrammeView::new).collect(),
            })
        })
        .await
}

async fn home(
    State(state): State<AppState>,
    reader: Reader,
    Query(query): Query<TableQuery>,
) -> Result<Html<String>, AppError> {
    overview_page(&state, reader, None, query).await
}

async fn overview(
    State(state): State<AppState>,
    reader: Reader,
    Path(slug): Path<String>,
    Query(query): Query<TableQuery>,
) -> Result<Html<String>, AppError> {
    overview_page(&state, reader, Some(&slug), query).await
}

#[derive(Template)]
#[template(path = "public/plans.html")]
struct PlansPage {
    layout: Layout,
    plans: Vec<PlanSummary>,
    /// This page of the list (from 1) and how many there are.
    page: i64,
    pages: i64,
    total: i64,
}

/// Plans on one page of the list: a country's plans are tens of thousands.
const PLANS_PER_PAGE: i64 = 100;

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    page: Option<String>,
}

async fn plan_list(
    State(state): State<AppState>,
    reader: Reader,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let page = match query
        .page
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => 1,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or(AppError::NotFound)?,
    };
    reader
        .render(&state, async |layout| {
            let mut conn = state.db.acquire().await?;
            let total = plans::count(&mut conn).await?;
            let pages = ((total + PLANS_PER_PAGE - 1) / PLANS_PER_PAGE).max(1);
            if page > pages {
                return Err(AppError::NotFound);
            }
            let plans = plans::page(&mut conn, (page - 1) * PLANS_PER_PAGE, PLANS_PER_PAGE).await?;
            Ok(PlansPage {
                layout,
                plans: plans.iter().map(PlanSummary::new).collect(),
                page,
                pages,
                total,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "public/indicator.html")]
struct IndicatorPage {
    layout: Layout,
    plan: PlanHeader,
    group_en: String,
    group_zh: String,
    row: IndicatorRow,
    unit_en: String,
    unit_zh: String,
    decimals: i16,
    direction: String,
    nature: String,
    definition_en: String,
    definition_zh: String,
    provenance: Vec<(String, String)>,
    figures: Figures,
    years: Vec<YearRow>,
    chart: Option<Chart>,
    has_national: bool,
    has_required: bool,
    /// Whether any year has a commentary: the table's column is left out otherwise.
    has_commentary: bool,
    /// For signed-in readers: every change of this indicator's figures, newest first.
    history: std::sync::Arc<Vec<HistoryView>>,
    /// Years an analyst may add or revise a figure for.
    revise_years: Vec<i32>,
    /// Targets that amendments replaced, newest first; empty when the target was never amended.
    earlier_targets: Vec<views::EarlierTargetView>,
    /// The series continued from the same indicator in an earlier plan.
    across: Option<views::Across>,
    /// The time-progress method's working.
    time: views::TimeFigures,
    /// A target in words: officials' verdicts judge it.
    text_target: bool,
    verdicts: Vec<views::VerdictView>,
    /// The reader may record a verdict (an official).
    records_verdicts: bool,
    /// Just after recording one.
    verdict_saved: bool,
    /// Whether the plan's headline method is time progress (its working is shown first).
    time_first: bool,
    /// The headline method's name.
    method_name: String,
    /// The plan's own words for the target, in the reader's language where given.
    wording: Option<String>,
    /// Whether the target must hold every year.
    every_year: bool,
    measure: String,
    /// The same indicator in later plans.
    successors: Vec<(String, String)>,
    is_admin: bool,
}

#[derive(serde::Deserialize, Default)]
struct IndicatorQuery {
    verdict_saved: Option<String>,
}

async fn indicator(
    State(state): State<AppState>,
    reader: Reader,
    Path((_, code)): Path<(String, String)>,
    Query(query): Query<IndicatorQuery>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Html<String>, AppError> {
    let visibility = reader.visibility();
    let role = reader.user.as_ref().map(|u| u.role);
    reader
        .render(&state, async |layout| {
            let report = report(&state, plan, visibility).await?;
            let group = report
                .groups
                .iter()
                .find(|g| g.indicators.iter().any(|r| r.indicator.code == code))
                .ok_or(AppError::NotFound)?;
            let r = report.indicator(&code).ok_or(AppError::NotFound)?;
            let ind = &r.indicator;
            let chart = views::chart(r);
            let history = match role {
                Some(_) => {
                    state
                        .cache
                        .indicator_history(&state.db, &report.plan.slug, ind.indicator_id)
                        .await?
                }
                None => std::sync::Arc::default(),
            };
            let years = views::year_rows(r);
            Ok(IndicatorPage {
                layout: layout.with_plan(&report.plan.slug),
                time: views::TimeFigures::new(r),
                text_target: ind
                    .target
                    .as_ref()
                    .is_some_and(|t| t.rule == crate::domain::target::TargetRule::Text),
                verdicts: views::verdicts(r),
                records_verdicts: role.is_some_and(|r| r.reviews()),
                verdict_saved: role.is_some() && query.verdict_saved.is_some(),
                time_first: report.plan.method == crate::domain::plan::Method::TimeProgress,
                method_name: t(&format!("method-name-{}", report.plan.method)),
                wording: ind.target.as_ref().and_then(views::target_wording),
                every_year: ind.target.as_ref().is_some_and(|t| t.every_year),
                measure: t(&format!("measure-{}", ind.measure)),
                earlier_targets: views::earlier_targets(&report, r),
                across: across(&state, &report, r, visibility).await?,
                successors: successors(&state, &report.plan.slug, ind.indicator_id).await?,
                is_admin: role == Some(crate::domain::plan::Role::Admin),
                history,
                revise_years: revise_years(role, &report.plan),
                plan: PlanHeader::new(&report.plan),
                group_en: group.group.name_en.clone(),
                group_zh: group.group.name_zh.clone(),
                row: IndicatorRow::new(&report, r),
                unit_en: ind.unit_en.clone(),
                unit_zh: ind.unit_zh.clone(),
                decimals: i16::from(ind.decimals),
                direction: t(&format!("direction-{}", ind.direction.as_str())),
                nature: t(&format!(
                    "nature-{}",
                    ind.nature.map_or("none", |n| n.as_str())
                )),
                definition_en: ind.definition_en.clone().unwrap_or_default(),
                definition_zh: ind.definition_zh.clone().unwrap_or_default(),
                provenance: provenance(ind),
                figures: Figures::new(r),
                has_commentary: years.iter().any(|y| !y.commentary.is_empty()),
                years,
                has_national: chart.as_ref().is_some_and(|c| !c.national.is_empty()),
                has_required: chart.as_ref().is_some_and(|c| !c.required_path.is_empty()),
                chart,
            })
        })
        .await
}

/// The same indicator in later plans: each one's address and name.
async fn successors(
    state: &AppState,
    slug: &str,
    indicator_id: i64,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .cache
        .successors(&state.db, slug, indicator_id)
        .await?
        .iter()
        .map(|(slug, code)| {
            (
                format!("/plans/{slug}/indicators/{code}"),
                format!("{slug}/{code}"),
            )
        })
        .collect())
}

/// The years a reader may add or revise a figure for: none unless they enter or review figures.
fn revise_years(role: Option<Role>, plan: &Plan) -> Vec<i32> {
    match role {
        Some(r) if r.enters_figures() || r.reviews() => {
            (plan.baseline_year..=plan.end_year).collect()
        }
        _ => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "public/programmes.html")]
struct ProgrammesPage {
    layout: Layout,
    plan: PlanHeader,
    programmes: Vec<ProgrammeView>,
}

async fn programmes(
    State(state): State<AppState>,
    reader: Reader,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Html<String>, AppError> {
    let visibility = reader.visibility();
    reader
        .render(&state, async |layout| {
            let report = report(&state, plan, visibility).await?;
            Ok(ProgrammesPage {
                layout: layout.with_plan(&report.plan.slug),
                plan: PlanHeader::new(&report.plan),
                programmes: report.programmes.iter().map(ProgrammeView::new).collect(),
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "public/programme.html")]
struct ProgrammePage {
    layout: Layout,
    plan: PlanHeader,
    p: ProgrammeView,
    /// Whether the reader may add items and change their status (analysts).
    enters: bool,
    notice: Option<String>,
}

#[derive(serde::Deserialize)]
struct ItemSaved {
    added: Option<u8>,
    status_saved: Option<u8>,
}

async fn programme(
    State(state): State<AppState>,
    reader: Reader,
    Path((_, programme)): Path<(String, String)>,
    Query(saved): Query<ItemSaved>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Html<String>, AppError> {
    let visibility = reader.visibility();
    let role = reader.user.as_ref().map(|u| u.role);
    // The notices only for the signed-in analyst who saved (public pages stay the same for all).
    let notice = match (role, saved.added, saved.status_saved) {
        (Some(_), Some(_), _) => Some("item-added-notice"),
        (Some(_), None, Some(_)) => Some("item-status-saved-notice"),
        _ => None,
    };
    reader
        .render(&state, async |layout| {
            let report = report(&state, plan, visibility).await?;
            let p = report.programme(&programme).ok_or(AppError::NotFound)?;
            Ok(ProgrammePage {
                layout: layout.with_plan(&report.plan.slug),
                plan: PlanHeader::new(&report.plan),
                p: ProgrammeView::new(p),
                enters: role.is_some_and(|r| r.enters_figures()),
                notice: notice.map(crate::i18n::t),
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "public/methodology.html")]
struct MethodologyPage {
    layout: Layout,
    statuses: Vec<StatusView>,
    /// The time-progress statuses in the order the page's table names them.
    tp_statuses: Vec<StatusView>,
}

async fn methodology(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Html<String>, AppError> {
    reader
        .render(&state, async |layout| {
            Ok(MethodologyPage {
                layout,
                statuses: Headline::all(Method::OpenSdg)
                    .into_iter()
                    .map(views::status_view)
                    .collect(),
                tp_statuses: [
                    TpStatus::AchievedEarly,
                    TpStatus::Ahead,
                    TpStatus::OnSchedule,
                    TpStatus::Lagging,
                    TpStatus::Achieved,
                    TpStatus::NotAchieved,
                    TpStatus::AwaitingData,
                    TpStatus::AwaitingJudgement,
                    TpStatus::NotEnoughData,
                ]
                .into_iter()
                .map(|s| views::status_view(Headline::TimeProgress(s)))
                .collect(),
            })
        })
        .await
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar!("select 1 as \"one!\"")
        .fetch_one(&state.db)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::warn!("health check: database unavailable: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

pub(crate) const STYLESHEET: &str = include_str!("../../static/style.css");

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Where the indicator, its baseline and its target come from: a line each that has anything.
fn provenance(ind: &crate::store::plans::Indicator) -> Vec<(String, String)> {
    let mut provenance = Vec::new();
    let mut add = |what: String,
                   source: &Option<String>,
                   confidence: Option<crate::domain::plan::Confidence>,
                   note: &Option<String>| {
        let mut parts = Vec::new();
        if let Some(s) = source.as_deref().filter(|s| !s.is_empty()) {
            parts.push(s.to_owned());
        }
        if let Some(c) = confidence {
            parts.push(t1(
                "provenance-confidence",
                "level",
                t(&format!("confidence-{c}")),
            ));
        }
        if let Some(n) = note.as_deref().filter(|s| !s.is_empty()) {
            parts.push(n.to_owned());
        }
        if !parts.is_empty() {
            provenance.push((what, parts.join(" — ")));
        }
    };
    add(
        t("provenance-indicator"),
        &ind.source,
        ind.confidence,
        &ind.note,
    );
    if let Some(b) = &ind.baseline {
        add(t("provenance-baseline"), &b.source, b.confidence, &b.note);
    }
    if let Some(tg) = &ind.target {
        add(t("provenance-target"), &tg.source, tg.confidence, &tg.note);
    }
    provenance
}

/// The series continued from the same indicator in an earlier plan, if any.
async fn across(
    state: &AppState,
    report: &PlanReport,
    r: &crate::report::IndicatorReport,
    visibility: Visibility,
) -> Result<Option<views::Across>, AppError> {
    let ind = &r.indicator;
    let across = match ind.predecessor_id {
        Some(id) => match plans::indicator_ref(&mut *state.db.acquire().await?, id).await? {
            Some((plan_slug, code)) => match state.cache.plan(&state.db, &plan_slug).await? {
                Some(plan) => {
                    let earlier = state.report(plan.clone(), visibility, None).await?;
                    earlier
                        .indicator(&code)
                        .map(|e| views::Across::new((&earlier, e), (report, r)))
                }
                None => None,
            },
            None => None,
        },
        None => None,
    };
    Ok(across)
}
