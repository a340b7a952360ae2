//! Review: officials publish analysts' drafts or send them back with a comment. Nobody
//! publishes a figure they entered themselves.

use crate::i18n::{t, t1};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::{CheckedForm, CsrfProtected, SignedIn};
use super::layout::Layout;
use super::views::PlanHeader;
use super::{AppError, AppState, format};
use crate::domain::entry::{self, REASON_MAX};
use crate::report::PlanReport;
use crate::store::figures::{self, Owner, PendingDraft, ReviewOutcome};
use crate::store::plans::{self, Plan, Visibility};
use crate::store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/review", get(review))
        .route("/plans/{plan}/review/publish-year", post(publish_year))
        .route("/plans/{plan}/review/{draft}/publish", post(publish))
        .route("/plans/{plan}/review/{draft}/send-back", post(send_back))
}

pub struct DraftView {
    pub id: i64,
    pub version: i32,
    pub name: String,
    pub link: String,
    pub year: i32,
    pub value: String,
    pub previous: String,
    pub entered: String,
    pub source: String,
    pub note: String,
    pub own: bool,
    pub comment: String,
    pub comment_error: Option<String>,
}

pub struct YearGroup {
    pub year: i32,
    pub drafts: Vec<DraftView>,
    pub publishable: usize,
}

#[derive(Template)]
#[template(path = "review/list.html")]
struct ReviewPage {
    layout: Layout,
    plan: PlanHeader,
    years: Vec<YearGroup>,
    notice: Option<String>,
}

fn describe(report: &PlanReport, owner: Owner) -> (String, String, u32) {
    let slug = &report.plan.slug;
    match owner {
        Owner::Indicator(id) => report
            .indicators()
            .find(|r| r.indicator.indicator_id == id)
            .map(|r| {
                (
                    r.indicator.name_en.clone(),
                    format!("/plans/{slug}/indicators/{}", r.indicator.code),
                    u32::try_from(r.indicator.decimals).unwrap_or(0),
                )
            })
            .unwrap_or_default(),
        Owner::Programme(id) => report
            .programmes
            .iter()
            .find(|p| p.programme.programme_id == id)
            .map(|p| {
                (
                    format!("{} (count)", p.programme.name_en),
                    format!("/plans/{slug}/programmes/{}", p.programme.slug),
                    0,
                )
            })
            .unwrap_or_default(),
    }
}

fn views(report: &PlanReport, drafts: &[PendingDraft], user: &User) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for p in drafts {
        let d = &p.draft;
        let (name, link, decimals) = describe(report, d.owner());
        let own = d.entered_by == Some(user.app_user_id);
        let view = DraftView {
            id: d.observation_id,
            version: d.version,
            name,
            link,
            year: d.year,
            value: format::decimal(d.value, decimals),
            previous: p
                .published
                .as_ref()
                .map(|x| format::decimal(x.value, decimals))
                .unwrap_or_else(|| t("entry-none")),
            entered: format!(
                "{}, {}",
                d.entered_by_name
                    .clone()
                    .unwrap_or_else(|| t("entry-seed-file")),
                d.entered_at.format("%Y-%m-%d %H:%M UTC")
            ),
            source: d.source.clone(),
            note: d.note.clone(),
            own,
            comment: String::new(),
            comment_error: None,
        };
        match years.iter_mut().find(|y| y.year == d.year) {
            Some(y) => {
                y.publishable += usize::from(!own);
                y.drafts.push(view);
            }
            None => years.push(YearGroup {
                year: d.year,
                publishable: usize::from(!own),
                drafts: vec![view],
            }),
        }
    }
    years
}

struct Context {
    plan: Plan,
    report: PlanReport,
    drafts: Vec<PendingDraft>,
}

async fn context(state: &AppState, user: &User, slug: &str) -> Result<Context, AppError> {
    if !user.role.reviews() {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    let plan = plans::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let drafts = figures::pending(&mut conn, plan.plan_id).await?;
    let report = PlanReport::load(&mut conn, plan.clone(), Visibility::WithDrafts).await?;
    Ok(Context {
        plan,
        report,
        drafts,
    })
}

#[derive(Deserialize)]
struct Outcome {
    published: Option<usize>,
    skipped: Option<usize>,
    sent_back: Option<usize>,
    changed: Option<usize>,
    own: Option<usize>,
}

impl Outcome {
    fn notice(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(n) = self.published {
            parts.push(t1("review-published", "count", n));
        }
        if let Some(n) = self.skipped.filter(|n| *n > 0) {
            parts.push(t1("review-skipped-own", "count", n));
        }
        if self.sent_back.is_some() {
            parts.push(t("review-sent-back"));
        }
        if self.changed.is_some() {
            parts.push(t("review-changed"));
        }
        if self.own.is_some() {
            parts.push(t("review-own"));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

async fn review(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    session: Session,
    Path(slug): Path<String>,
    Query(outcome): Query<Outcome>,
) -> Result<Response, AppError> {
    let ctx = context(&state, &user, &slug).await?;
    let page = ReviewPage {
        layout: Layout::new(&state, &session, Some(&user))
            .await?
            .with_plan(&ctx.plan.slug),
        plan: PlanHeader::new(&ctx.plan),
        years: views(&ctx.report, &ctx.drafts, &user),
        notice: outcome.notice(),
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    csrf: String,
}

impl CsrfProtected for DecisionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn publish(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((slug, draft)): Path<(String, i64)>,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, &user, &slug).await?;
    let mut tx = state.db.begin().await?;
    let outcome = figures::publish(&mut tx, ctx.plan.plan_id, draft, form.version, &user).await?;
    tx.commit().await?;
    let query = match outcome {
        ReviewOutcome::Done => "published=1",
        ReviewOutcome::OwnEntry => "own=1",
        ReviewOutcome::Changed => "changed=1",
    };
    Ok(Redirect::to(&format!("/plans/{slug}/review?{query}")).into_response())
}

async fn send_back(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    session: Session,
    Path((slug, draft)): Path<(String, i64)>,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, &user, &slug).await?;
    let comment = entry::parse_text(&form.comment, REASON_MAX);
    let error = match &comment {
        Ok(c) if c.is_empty() => Some(t("review-comment-needed")),
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    };
    if let Some(error) = error {
        let mut years = views(&ctx.report, &ctx.drafts, &user);
        for d in years
            .iter_mut()
            .flat_map(|y| y.drafts.iter_mut())
            .filter(|d| d.id == draft)
        {
            d.comment = form.comment.clone();
            d.comment_error = Some(error.clone());
        }
        let page = ReviewPage {
            layout: Layout::new(&state, &session, Some(&user))
                .await?
                .with_plan(&ctx.plan.slug),
            plan: PlanHeader::new(&ctx.plan),
            years,
            notice: Some(t("review-not-sent-back")),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let comment = comment.unwrap_or_default();
    let mut tx = state.db.begin().await?;
    let outcome = figures::send_back(
        &mut tx,
        ctx.plan.plan_id,
        draft,
        form.version,
        &user,
        &comment,
    )
    .await?;
    tx.commit().await?;
    let query = if outcome == ReviewOutcome::Done {
        "sent_back=1"
    } else {
        "changed=1"
    };
    Ok(Redirect::to(&format!("/plans/{slug}/review?{query}")).into_response())
}

#[derive(Deserialize)]
pub struct YearForm {
    #[serde(default)]
    year: i32,
    #[serde(default)]
    csrf: String,
}

impl CsrfProtected for YearForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Publishes every pending draft of one year that the official did not enter, in one transaction.
async fn publish_year(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(slug): Path<String>,
    CheckedForm(form): CheckedForm<YearForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, &user, &slug).await?;
    let mut tx = state.db.begin().await?;
    let (mut published, mut skipped) = (0, 0);
    for p in ctx.drafts.iter().filter(|p| p.draft.year == form.year) {
        match figures::publish(
            &mut tx,
            ctx.plan.plan_id,
            p.draft.observation_id,
            p.draft.version,
            &user,
        )
        .await?
        {
            ReviewOutcome::Done => published += 1,
            ReviewOutcome::OwnEntry | ReviewOutcome::Changed => skipped += 1,
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/plans/{slug}/review?published={published}&skipped={skipped}"
    ))
    .into_response())
}
