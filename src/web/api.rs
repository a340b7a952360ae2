//! The read-only JSON API: published figures only. Decimal values are JSON numbers with their
//! exact digits; unknowns are null.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use rust_decimal::Decimal;
use serde::Serialize;

use super::AppState;
use super::error::{ApiError, AppError};
use crate::domain::plan::{Comparator, Direction, Nature, ObservationKind, UnitKind};
use crate::report::{IndicatorReport, PlanReport};
use crate::store::plans::{self, Plan, Visibility};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plan_list))
        .route("/plans/{plan}/indicators", get(indicator_list))
        .route("/plans/{plan}/indicators/{code}", get(indicator))
}

#[derive(Serialize)]
pub struct PlanJson {
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

#[derive(Serialize)]
pub struct ObservationJson {
    pub year: i32,
    pub value: Decimal,
    pub kind: ObservationKind,
    pub source: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct ProgressJson {
    pub status: &'static str,
    pub basis: Option<&'static str>,
    pub cagr: Option<f64>,
    pub required_rate: Option<f64>,
    pub ratio: Option<f64>,
    pub share_of_way: Option<f64>,
    pub projected_value: Option<f64>,
}

#[derive(Serialize)]
pub struct IndicatorJson {
    pub code: String,
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
    pub target_year: Option<i32>,
    pub target_value: Option<Decimal>,
    pub target_comparator: Option<Comparator>,
    pub observations: Vec<ObservationJson>,
    pub progress: ProgressJson,
}

/// Finite numbers only: JSON has no NaN.
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

impl From<&IndicatorReport> for IndicatorJson {
    fn from(r: &IndicatorReport) -> Self {
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
            decimals: i.decimals,
            direction: i.direction,
            nature: i.nature,
            baseline_year: i.baseline_year,
            baseline_value: i.baseline_value,
            target_year: i.target_year,
            target_value: i.target_value,
            target_comparator: i.target_comparator,
            observations: r
                .observations
                .iter()
                .filter(|o| o.state == crate::domain::plan::ObservationState::Published)
                .map(|o| ObservationJson {
                    year: o.year,
                    value: o.value.normalize(),
                    kind: o.kind,
                    source: o.source.clone(),
                    note: o.note.clone(),
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
        }
    }
}

async fn plan_list(State(state): State<AppState>) -> Result<Json<Vec<PlanJson>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let plans = plans::list(&mut conn).await?;
    Ok(Json(plans.iter().map(PlanJson::from).collect()))
}

async fn published_report(state: &AppState, slug: &str) -> Result<PlanReport, ApiError> {
    let mut conn = state.db.acquire().await?;
    let plan = plans::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PlanReport::load(&mut conn, plan, Visibility::Published).await?)
}

async fn indicator_list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<IndicatorJson>>, ApiError> {
    let report = published_report(&state, &slug).await?;
    Ok(Json(report.indicators().map(IndicatorJson::from).collect()))
}

async fn indicator(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Json<IndicatorJson>, ApiError> {
    let report = published_report(&state, &slug).await?;
    let r = report.indicator(&code).ok_or(AppError::NotFound)?;
    Ok(Json(IndicatorJson::from(r)))
}
