//! An official's verdict on a target in words ("保持在合理区间"): the form that records one for
//! a year, with its reason, as a draft another official publishes from the review page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{CurrentPlan, Path};
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::session::{CsrfForm, Reviewer};
use super::views::{self, PlanHeader};
use super::{AppError, AppState};
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::target::TargetRule;
use crate::domain::time_progress::Status;
use crate::i18n::{self, t};
use crate::report::PlanReport;
use crate::store::plans::{Plan, Visibility};
use crate::store::verdicts::{self, GIVEN, Given};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/plans/{plan}/indicators/{code}/verdict",
        get(form_page).post(save),
    )
}

#[derive(Deserialize, Default)]
pub struct VerdictForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "verdicts/form.html")]
struct VerdictPage {
    layout: Layout,
    plan: PlanHeader,
    code: String,
    name: String,
    /// The target in the plan's words and as structured.
    target: String,
    wording: String,
    /// The years a verdict can be given for, newest first, the one typed marked.
    years: Vec<(i32, bool)>,
    /// (code, label, chosen).
    statuses: Vec<(&'static str, String, bool)>,
    reason: String,
    /// The verdicts given so far, newest year first.
    given: Vec<views::VerdictView>,
    errors: FieldErrors,
}

/// The plan's report and the indicator `code`, which must have a target in words.
async fn context(
    state: &AppState,
    plan: Plan,
    code: &str,
) -> Result<(PlanReport, usize), AppError> {
    let mut conn = state.db.acquire().await?;
    let report = PlanReport::load(&mut conn, plan, Visibility::WithDrafts).await?;
    let position = report
        .indicators()
        .position(|r| {
            r.indicator.code == code
                && r.indicator
                    .target
                    .as_ref()
                    .is_some_and(|t| t.rule == TargetRule::Text)
        })
        .ok_or(AppError::NotFound)?;
    Ok((report, position))
}

impl VerdictPage {
    fn new(
        layout: Layout,
        report: &PlanReport,
        position: usize,
        typed: &VerdictForm,
        errors: FieldErrors,
    ) -> VerdictPage {
        let lang = i18n::Lang::current();
        let r = report.indicators().nth(position).expect("found above");
        let ind = &r.indicator;
        let plan = &report.plan;
        let last = plan.end_year.min(crate::report::this_year());
        VerdictPage {
            layout: layout.with_plan(&plan.slug),
            plan: PlanHeader::new(plan),
            code: ind.code.clone(),
            name: lang.pick(&ind.name_zh, &ind.name_en).to_owned(),
            target: views::plan_target_text(report, ind, views::value_text),
            wording: ind
                .target
                .as_ref()
                .and_then(views::target_wording)
                .unwrap_or_default(),
            years: (plan.start_year..=last)
                .rev()
                .map(|y| (y, typed.year == y.to_string()))
                .collect(),
            statuses: GIVEN
                .iter()
                .map(|s| {
                    let code = s.as_str();
                    (code, t(&format!("status-{code}")), typed.status == code)
                })
                .collect(),
            reason: typed.reason.clone(),
            given: views::verdicts(r),
            errors,
        }
    }
}

async fn form_page(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (report, position) = context(&state, plan, &code).await?;
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    let typed = VerdictForm {
        year: report
            .plan
            .end_year
            .min(crate::report::this_year())
            .to_string(),
        ..VerdictForm::default()
    };
    form::ok(&VerdictPage::new(
        layout,
        &report,
        position,
        &typed,
        FieldErrors::new(),
    ))
}

async fn save(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, code)): Path<(String, String)>,
    CsrfForm(typed): CsrfForm<VerdictForm>,
) -> Result<Response, AppError> {
    let (report, position) = context(&state, plan, &code).await?;
    let plan = &report.plan;
    let mut errors = FieldErrors::new();
    let last = plan.end_year.min(crate::report::this_year());
    let year = match typed.year.trim().parse::<i32>() {
        Ok(y) if (plan.start_year..=last).contains(&y) => Some(y),
        _ => {
            errors.add("year", t("verdict-error-year"));
            None
        }
    };
    let status = match typed.status.parse::<Status>() {
        Ok(s) if GIVEN.contains(&s) => Some(s),
        _ => {
            errors.add("status", t("verdict-error-status"));
            None
        }
    };
    let reason = match entry::parse_text(&typed.reason, REASON_MAX) {
        Ok(r) if !r.is_empty() => Some(r),
        Ok(_) => {
            errors.add("reason", t("verdict-error-reason"));
            None
        }
        Err(e) => {
            errors.add("reason", e.to_string());
            None
        }
    };
    let (Some(year), Some(status), Some(reason)) = (year, status, reason) else {
        let layout = Layout::new(&state, &session, Some(&user)).await?;
        return form::refused(&VerdictPage::new(layout, &report, position, &typed, errors));
    };
    let indicator_id = report
        .indicators()
        .nth(position)
        .expect("found above")
        .indicator
        .indicator_id;
    let mut tx = state.db.begin().await?;
    verdicts::save_draft(
        &mut tx,
        Given {
            plan_id: plan.plan_id,
            indicator_id,
            year,
            status,
            reason: &reason,
        },
        &user,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/plans/{}/indicators/{code}?verdict_saved=1#verdicts-h",
        plan.slug
    ))
    .into_response())
}
