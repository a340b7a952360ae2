//! The read-only JSON API: published figures only. Decimal values are JSON numbers with their
//! exact digits; unknowns are null.
//!
//! The API is described by an OpenAPI 3.1 document generated from these handlers and types
//! ([`openapi::ApiDoc`]), served at `/api/openapi.json` and shown as a page at `/api/docs`
//! ([`docs`]), so the description cannot drift from the code. The description depends on the
//! API, never the other way round.

pub mod docs;
pub mod openapi;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use super::AppState;
use super::error::{ApiError, AppError};
use super::extract::{AsOf, Path, Query};
use crate::domain::plan::{Direction, Nature, ObservationKind, UnitKind};
use crate::report::{IndicatorReport, PlanReport};
use crate::store::plans::{self, Plan, TargetColumns, Visibility};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plan_list))
        .route("/plans/{plan}/indicators", get(indicator_list))
        .route("/plans/{plan}/indicators/{code}", get(indicator))
}

/// A closed set of codes as a string schema listing them.
macro_rules! code_schema {
    ($($name:ident: $what:literal),+ $(,)?) => {$(
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($what))
                    .enum_values(Some($name::ALL.iter().map(|v| v.as_str())))
                    .into()
            }
        }
        impl ToSchema for $name {}
    )+};
}

code_schema!(
    Direction: "Which way is better: higher or lower.",
    Nature: "Expected (预期性) or binding (约束性), as the plan classifies the indicator.",
    ObservationKind: "actual: the plan area's own value; national_average and benchmark: comparison series.",
    UnitKind: "What kind of number the indicator holds: percent (0 to 100), count (whole), amount, rate.",
);

/// An error: under /api, errors are always JSON.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorJson {
    pub error: ErrorBody,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The HTTP status code.
    pub status: u16,
    /// A short heading, e.g. "Page not found".
    pub title: String,
    /// What happened and what to do, in a sentence or two.
    pub message: String,
}

/// A plan: its identifier, titles and years.
#[derive(Serialize, ToSchema)]
#[schema(as = Plan)]
pub struct PlanJson {
    /// The plan's identifier, as in its addresses.
    pub slug: String,
    pub title_en: String,
    pub title_zh: String,
    pub start_year: i32,
    pub end_year: i32,
    pub baseline_year: i32,
}

impl From<&Plan> for PlanJson {
    fn from(p: &Plan) -> Self {
        PlanJson {
            slug: p.slug.clone(),
            title_en: p.title_en.clone(),
            title_zh: p.title_zh.clone(),
            start_year: p.start_year,
            end_year: p.end_year,
            baseline_year: p.baseline_year,
        }
    }
}

/// A published figure of an indicator.
#[derive(Serialize, ToSchema)]
#[schema(as = Observation)]
pub struct ObservationJson {
    pub year: i32,
    pub value: Decimal,
    pub kind: ObservationKind,
    pub source: String,
    pub note: String,
    /// Why the figure moved and what is being done (empty when there is none).
    pub commentary: String,
}

/// The indicator's progress by the Open SDG method, judged on published actual figures.
#[derive(Serialize, ToSchema)]
#[schema(as = Progress)]
pub struct ProgressJson {
    /// One of target_achieved, substantial_progress, moderate_progress, limited_progress,
    /// deterioration, not_available.
    pub status: &'static str,
    /// `target` when judged against the target, `trend_only` when the plan gives none.
    pub basis: Option<&'static str>,
    pub cagr: Option<f64>,
    pub required_rate: Option<f64>,
    pub ratio: Option<f64>,
    pub share_of_way: Option<f64>,
    pub projected_value: Option<f64>,
}

/// An indicator with its definition, published figures and progress.
#[derive(Serialize, ToSchema)]
#[schema(as = Indicator)]
pub struct IndicatorJson {
    /// The indicator's identifier within its plan.
    pub code: String,
    /// The code of the heading it sits under.
    pub group: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: UnitKind,
    pub unit_en: String,
    pub unit_zh: String,
    pub decimals: i16,
    pub direction: Direction,
    pub nature: Option<Nature>,
    pub baseline_year: Option<i32>,
    pub baseline_value: Option<Decimal>,
    /// `level` (a stock or a share), `growth` or `reduction` (yearly rates in %, may be
    /// negative).
    pub measure: &'static str,
    pub target_year: Option<i32>,
    /// The value of a `level`, `average`, `cumulative` or `increase` target.
    pub target_value: Option<Decimal>,
    pub target_comparator: Option<&'static str>,
    /// The target in force with its kind and the plan's own words; null without one.
    pub target: Option<TargetJson>,
    pub observations: Vec<ObservationJson>,
    /// The headline status, by the plan's method (`method`): the status every page shows.
    pub status: &'static str,
    /// `time-progress` or `open-sdg`: the plan's headline method.
    pub method: &'static str,
    /// The time-progress method (时序进度), judged on published actual figures up to `as_of`.
    pub assessment: AssessmentJson,
    /// The Open SDG method, judged against the target in force where it is a level.
    pub progress: ProgressJson,
    /// Targets that amendments replaced (for example after a mid-term review), oldest first;
    /// empty when the target was never amended.
    pub target_history: Vec<TargetChangeJson>,
    /// The same indicator in an earlier plan, as `plan-slug/indicator-code`, whose figures
    /// continue into this one's; null when it continues none.
    pub predecessor: Option<String>,
}

/// A target as the plan sets it: its kind and fields, and the plan's own words.
#[derive(Serialize, ToSchema)]
#[schema(as = Target)]
pub struct TargetJson {
    pub year: i32,
    /// level, range, average, cumulative, increase, relative or text.
    pub kind: &'static str,
    pub value: Option<Decimal>,
    /// >=, >, <=, <, = or ≈.
    pub comparator: Option<&'static str>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// For a relative target: the code of the indicator it is compared with.
    pub indicator: Option<String>,
    pub tolerance: Option<Decimal>,
    pub every_year: bool,
    pub wording_zh: Option<String>,
    pub wording_en: Option<String>,
    pub source: Option<String>,
}

impl TargetJson {
    fn new(t: &crate::domain::target::Target) -> TargetJson {
        let c = TargetColumns::of(Some(t));
        TargetJson {
            year: t.year,
            kind: c.kind,
            value: c.value,
            comparator: c.comparator,
            min: c.min,
            max: c.max,
            indicator: c.indicator,
            tolerance: c.tolerance,
            every_year: c.every_year,
            wording_zh: c.wording_zh,
            wording_en: c.wording_en,
            source: c.source,
        }
    }
}

/// The time-progress verdict: the share of the way covered (`progress_share`, p) against the
/// share of the period elapsed (`time_share`, t).
#[derive(Serialize, ToSchema)]
#[schema(as = Assessment)]
pub struct AssessmentJson {
    /// Always `time-progress`.
    pub method: &'static str,
    /// achieved_early, ahead, on_schedule, lagging, achieved, not_achieved, awaiting_data,
    /// awaiting_judgement or not_enough_data.
    pub status: &'static str,
    /// The year the verdict is as of (`?as_of=`, else this year).
    pub as_of: i32,
    /// The year of the figure judged.
    pub year: Option<i32>,
    pub progress_share: Option<Decimal>,
    pub time_share: Option<Decimal>,
    /// `baseline`, or `baseline_year_figure` when the baseline value is unpublished and the
    /// baseline year's figure stood in, or `zero` (cumulative targets); null when unused.
    pub base: Option<&'static str>,
}

/// A target that an amendment replaced: what it was, when it was replaced and why.
#[derive(Serialize, ToSchema)]
#[schema(as = TargetChange)]
pub struct TargetChangeJson {
    pub target_year: i32,
    pub target_value: Option<Decimal>,
    pub target_comparator: Option<&'static str>,
    pub target_source: Option<String>,
    /// The replaced target with its kind and words.
    pub target: TargetJson,
    /// When the amendment replaced it (RFC 3339).
    pub replaced_at: String,
    /// Why, as recorded with the amendment.
    pub reason: String,
}

/// Finite numbers only: JSON has no NaN.
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

impl IndicatorJson {
    fn new(report: &PlanReport, r: &IndicatorReport) -> Self {
        let i = &r.indicator;
        let p = &r.progress;
        IndicatorJson {
            code: i.code.clone(),
            group: r.group_code.clone(),
            name_en: i.name_en.clone(),
            name_zh: i.name_zh.clone(),
            unit: i.unit,
            unit_en: i.unit_en.clone(),
            unit_zh: i.unit_zh.clone(),
            decimals: i16::from(i.decimals),
            direction: i.direction,
            nature: i.nature,
            baseline_year: i.baseline.as_ref().map(|b| b.year),
            baseline_value: i.baseline.as_ref().and_then(|b| b.value),
            measure: i.measure.as_str(),
            target_year: i.target.as_ref().map(|t| t.year),
            target_value: TargetColumns::of(i.target.as_ref()).value,
            target_comparator: TargetColumns::of(i.target.as_ref()).comparator,
            target: i.target.as_ref().map(TargetJson::new),
            status: r.status.code(),
            method: report.plan.method.as_str(),
            assessment: AssessmentJson {
                method: crate::domain::plan::Method::TimeProgress.as_str(),
                status: r.judgement.status.as_str(),
                as_of: report.as_of,
                year: r.judgement.year,
                progress_share: r
                    .judgement
                    .progress_share
                    .map(|d| d.round_dp(4).normalize()),
                time_share: r.judgement.time_share.map(|d| d.round_dp(4).normalize()),
                base: r.judgement.base.map(|b| b.as_str()),
            },
            observations: r
                .observations
                .iter()
                .filter(|o| o.state == crate::domain::plan::ObservationState::Published)
                .map(|o| ObservationJson {
                    year: o.year,
                    value: o.value,
                    kind: o.kind,
                    source: o.source.clone(),
                    note: o.note.clone(),
                    commentary: o.commentary.clone(),
                })
                .collect(),
            progress: ProgressJson {
                status: p.status.as_str(),
                basis: p.basis.map(|b| b.as_str()),
                cagr: finite(p.cagr),
                required_rate: finite(p.required_rate),
                ratio: finite(p.ratio),
                share_of_way: finite(p.share_of_way),
                projected_value: finite(p.projected_value),
            },
            target_history: r
                .earlier_targets
                .iter()
                .map(|e| TargetChangeJson {
                    target_year: e.target.year,
                    target_value: TargetColumns::of(Some(&e.target)).value,
                    target_comparator: TargetColumns::of(Some(&e.target)).comparator,
                    target_source: e.target.source.clone(),
                    target: TargetJson::new(&e.target),
                    replaced_at: e.replaced_at.to_rfc3339(),
                    reason: crate::web::views::reason_text(crate::store::revision::Reason::stored(
                        e.reason_code.as_deref(),
                        &e.reason,
                    )),
                })
                .collect(),
            predecessor: i.predecessor.clone(),
        }
    }
}

/// Every plan, the one shown at the site's root first.
#[utoipa::path(
    get,
    path = "/api/v1/plans",
    tag = "plans",
    responses(
        (status = 200, description = "Every plan", body = [PlanJson]),
        (status = 503, description = "The database cannot be reached", body = ErrorJson)
    )
)]
async fn plan_list(State(state): State<AppState>) -> Result<Json<Vec<PlanJson>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let plans = plans::list(&mut conn).await?;
    Ok(Json(plans.iter().map(PlanJson::from).collect()))
}

async fn published_report(
    state: &AppState,
    slug: &str,
    as_of: &AsOf,
) -> Result<std::sync::Arc<PlanReport>, ApiError> {
    let plan = state
        .cache
        .plan(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let year = as_of.year(&plan)?;
    Ok(state.report(plan, Visibility::Published, year).await?)
}

/// Every indicator of a plan, heading by heading, with its published figures and progress.
#[utoipa::path(
    get,
    path = "/api/v1/plans/{plan}/indicators",
    tag = "plans",
    params(
        ("plan" = String, Path, description = "The plan's identifier (slug)", example = "chongqing-sti-2021-2025"),
        ("as_of" = Option<i32>, Query, description = "Judge with figures up to this year only (the annual monitoring view)", example = 2023)
    ),
    responses(
        (status = 200, description = "The plan's indicators", body = [IndicatorJson]),
        (status = 400, description = "`as_of` is not a year of the plan", body = ErrorJson),
        (status = 404, description = "No plan has this identifier", body = ErrorJson),
        (status = 503, description = "The database cannot be reached", body = ErrorJson)
    )
)]
async fn indicator_list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(as_of): Query<AsOf>,
) -> Result<Json<Vec<IndicatorJson>>, ApiError> {
    let report = published_report(&state, &slug, &as_of).await?;
    Ok(Json(
        report
            .indicators()
            .map(|r| IndicatorJson::new(&report, r))
            .collect(),
    ))
}

/// One indicator of a plan, with its published figures and progress.
#[utoipa::path(
    get,
    path = "/api/v1/plans/{plan}/indicators/{code}",
    tag = "plans",
    params(
        ("plan" = String, Path, description = "The plan's identifier (slug)", example = "chongqing-sti-2021-2025"),
        ("code" = String, Path, description = "The indicator's code", example = "rd-intensity"),
        ("as_of" = Option<i32>, Query, description = "Judge with figures up to this year only", example = 2023)
    ),
    responses(
        (status = 200, description = "The indicator", body = IndicatorJson),
        (status = 404, description = "No such plan, or no such indicator in it", body = ErrorJson),
        (status = 503, description = "The database cannot be reached", body = ErrorJson)
    )
)]
async fn indicator(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    Query(as_of): Query<AsOf>,
) -> Result<Json<IndicatorJson>, ApiError> {
    let report = published_report(&state, &slug, &as_of).await?;
    let r = report.indicator(&code).ok_or(AppError::NotFound)?;
    Ok(Json(IndicatorJson::new(&report, r)))
}
