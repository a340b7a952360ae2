//! Review: officials publish analysts' drafts or send them back with a comment. Nobody
//! publishes a figure they entered themselves.

use crate::i18n::{Lang, t, t1};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{CurrentPlan, Path, Query};
use super::layout::Layout;
use super::session::{CsrfForm, Reviewer};
use super::views::PlanHeader;
use super::views::item_status;
use super::{AppError, AppState, format};
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::plan::ObservationState;
use crate::report::PlanReport;
use crate::store::assessment::{self, Commentaries, IndicatorCommentary};
use crate::store::figures::{self, Figures, Owner, PendingDraft};
use crate::store::items::{Items, Statuses};
use crate::store::plans::{Plan, Visibility};
use crate::store::review::{self, ReviewOutcome};
use crate::store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/review", get(review))
        .route("/plans/{plan}/review/publish-year", post(publish_year))
        .route("/plans/{plan}/review/{draft}/publish", post(publish))
        .route("/plans/{plan}/review/{draft}/send-back", post(send_back))
        .route(
            "/plans/{plan}/review/{kind}/{id}/publish",
            post(publish_other),
        )
        .route(
            "/plans/{plan}/review/{kind}/{id}/send-back",
            post(send_back_other),
        )
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
    /// New programme items, status changes of items and final-assessment commentary.
    others: Vec<OtherSection>,
}

/// A draft that is not a figure: an item, a status change, an assessment commentary.
pub struct OtherDraft {
    /// Unique on the page: the row's id and the form's field ids.
    pub form: String,
    /// The address its decisions are posted to (`…/publish`, `…/send-back`).
    pub action: String,
    pub version: i32,
    pub what: String,
    pub link: String,
    pub detail: String,
    pub previous: String,
    pub entered: String,
    pub own: bool,
    pub comment: String,
    pub comment_error: Option<String>,
}

pub struct OtherSection {
    /// The message id of the section's heading.
    pub heading: &'static str,
    pub id: &'static str,
    pub drafts: Vec<OtherDraft>,
}

fn entered(name: &Option<String>, at: &chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{}, {}",
        name.as_deref()
            .map_or_else(|| t("entry-seed-file"), str::to_owned),
        at.format("%Y-%m-%d %H:%M UTC")
    )
}

/// The drafts other than figures that wait for review (none sent back).
fn others(
    report: &PlanReport,
    assessments: &std::collections::HashMap<i64, IndicatorCommentary>,
    user: &User,
) -> Vec<OtherSection> {
    let (items, statuses) = item_drafts(report, user);
    let commentary = commentary_drafts(report, assessments, user);
    [
        ("review-items-heading", "review-items", items),
        ("review-statuses-heading", "review-statuses", statuses),
        ("review-assessment-heading", "review-assessment", commentary),
    ]
    .into_iter()
    .filter(|(_, _, d)| !d.is_empty())
    .map(|(heading, id, drafts)| OtherSection {
        heading,
        id,
        drafts,
    })
    .collect()
}

/// New items and status changes of items that wait for review.
fn item_drafts(report: &PlanReport, user: &User) -> (Vec<OtherDraft>, Vec<OtherDraft>) {
    let slug = &report.plan.slug;
    let lang = crate::i18n::Lang::current();
    let mut items = Vec::new();
    let mut statuses = Vec::new();
    for p in &report.programmes {
        let link = format!("/plans/{slug}/programmes/{}", p.programme.slug);
        let programme = lang.pick(&p.programme.name_zh, &p.programme.name_en);
        for ir in &p.items {
            let i = &ir.item;
            let what = format!("{programme}: {}", lang.pick(&i.name_zh, &i.name_en));
            let link = format!("{link}#item-{}", i.programme_item_id);
            if i.state == ObservationState::Draft && i.returned_at.is_none() {
                items.push(item_draft(slug, i, what.clone(), link.clone(), user));
            }
            if let Some(c) = ir.draft_change().filter(|c| c.returned_at.is_none()) {
                let (now, year) = ir.current();
                statuses.push(OtherDraft {
                    form: format!("status-{}", c.item_status_id),
                    action: format!("/plans/{slug}/review/item-statuses/{}", c.item_status_id),
                    version: c.version,
                    what,
                    link,
                    detail: format!(
                        "{} ({}) · {}",
                        crate::i18n::t(item_status(Some(c.status))),
                        c.year,
                        c.note
                    ),
                    previous: format!(
                        "{} ({})",
                        crate::i18n::t(item_status(now)),
                        year.map(|y| y.to_string()).unwrap_or_default()
                    ),
                    entered: entered(&c.entered_by_name, &c.entered_at),
                    own: c.entered_by == Some(user.app_user_id),
                    comment: String::new(),
                    comment_error: None,
                });
            }
        }
    }
    (items, statuses)
}

fn item_draft(
    slug: &str,
    i: &crate::store::plans::Item,
    what: String,
    link: String,
    user: &User,
) -> OtherDraft {
    let mut detail = vec![format!("{} / {}", i.name_zh, i.name_en), i.kind.clone()];
    detail.extend(i.field.clone());
    detail.extend(i.host.clone());
    detail.push(format!(
        "{} ({})",
        crate::i18n::t(item_status(i.status)),
        i.year.map(|y| y.to_string()).unwrap_or_default()
    ));
    detail.extend(i.source.clone());
    detail.extend(i.note.clone());
    OtherDraft {
        form: format!("item-{}", i.programme_item_id),
        action: format!("/plans/{slug}/review/items/{}", i.programme_item_id),
        version: i.version,
        what,
        link,
        detail: detail.join(" · "),
        previous: String::new(),
        entered: entered(&i.entered_by_name, &i.entered_at),
        own: i.entered_by == Some(user.app_user_id),
        comment: String::new(),
        comment_error: None,
    }
}

/// Final-assessment commentary that waits for review.
fn commentary_drafts(
    report: &PlanReport,
    assessments: &std::collections::HashMap<i64, IndicatorCommentary>,
    user: &User,
) -> Vec<OtherDraft> {
    let slug = &report.plan.slug;
    let lang = crate::i18n::Lang::current();
    let mut commentary = Vec::new();
    for r in report.indicators() {
        let Some(c) = assessments.get(&r.indicator.indicator_id) else {
            continue;
        };
        let Some(d) = c.draft.as_ref().filter(|d| d.returned_at.is_none()) else {
            continue;
        };
        commentary.push(OtherDraft {
            form: format!("assessment-{}", d.assessment_id),
            action: format!("/plans/{slug}/review/assessment/{}", d.assessment_id),
            version: d.version,
            what: lang
                .pick(&r.indicator.name_zh, &r.indicator.name_en)
                .to_owned(),
            link: format!("/plans/{slug}/assessment#indicator-{}", r.indicator.code),
            detail: d.commentary.clone(),
            previous: c
                .published
                .as_ref()
                .map(|p| p.commentary.clone())
                .unwrap_or_default(),
            entered: entered(&d.entered_by_name, &d.entered_at),
            own: d.entered_by == Some(user.app_user_id),
            comment: String::new(),
            comment_error: None,
        });
    }
    commentary
}

/// A send-back comment, checked: it must say what needs changing.
fn check_comment(comment: &str) -> Result<String, String> {
    match entry::parse_text(comment, REASON_MAX) {
        Ok(c) if c.is_empty() => Err(t("review-comment-needed")),
        Ok(c) => Ok(c),
        Err(e) => Err(e.to_string()),
    }
}

/// The review page again, with the refused comment kept in the form `form` and its message.
async fn refused_comment(
    state: &AppState,
    session: &Session,
    user: &User,
    plan: Plan,
    form: &str,
    comment: &str,
    error: String,
) -> Result<Response, AppError> {
    let ctx = context(state, plan).await?;
    let mut others = others(&ctx.report, &ctx.assessments, user);
    for d in others
        .iter_mut()
        .flat_map(|s| s.drafts.iter_mut())
        .filter(|d| d.form == form)
    {
        d.comment = comment.to_owned();
        d.comment_error = Some(error.clone());
    }
    let page = ReviewPage {
        layout: Layout::new(state, session, Some(user))
            .await?
            .with_plan(&ctx.plan.slug),
        plan: PlanHeader::new(&ctx.plan),
        years: views(&ctx.report, &ctx.drafts, user),
        notice: Some(t("review-not-sent-back")),
        others,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

fn describe(report: &PlanReport, owner: Owner) -> (String, String, u32) {
    let slug = &report.plan.slug;
    match owner {
        Owner::Indicator(id) => report
            .indicators()
            .find(|r| r.indicator.indicator_id == id)
            .map(|r| {
                (
                    Lang::current()
                        .pick(&r.indicator.name_zh, &r.indicator.name_en)
                        .to_owned(),
                    format!("/plans/{slug}/indicators/{}", r.indicator.code),
                    u32::from(r.indicator.decimals),
                )
            })
            .unwrap_or_default(),
        Owner::Programme(id) => report
            .programmes
            .iter()
            .find(|p| p.programme.programme_id == id)
            .map(|p| {
                (
                    t1(
                        "entry-programme-count",
                        "name",
                        Lang::current().pick(&p.programme.name_zh, &p.programme.name_en),
                    ),
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
    assessments: std::collections::HashMap<i64, IndicatorCommentary>,
}

async fn context(state: &AppState, plan: Plan) -> Result<Context, AppError> {
    let mut conn = state.db.acquire().await?;
    let drafts = figures::pending(&mut conn, plan.plan_id).await?;
    let report = PlanReport::load(&mut conn, plan.clone(), Visibility::WithDrafts).await?;
    let assessments = assessment::for_plan(&mut conn, plan.plan_id, Visibility::WithDrafts).await?;
    Ok(Context {
        plan,
        report,
        drafts,
        assessments,
    })
}

#[derive(Deserialize)]
struct Outcome {
    published: Option<usize>,
    skipped: Option<usize>,
    sent_back: Option<usize>,
    changed: Option<usize>,
    own: Option<usize>,
    item_published: Option<usize>,
    assessment_published: Option<usize>,
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
        if self.item_published.is_some() {
            parts.push(crate::i18n::t("review-item-published"));
        }
        if self.assessment_published.is_some() {
            parts.push(crate::i18n::t("review-assessment-published"));
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
    Reviewer(user): Reviewer,
    session: Session,
    Query(outcome): Query<Outcome>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan).await?;
    let page = ReviewPage {
        layout: Layout::new(&state, &session, Some(&user))
            .await?
            .with_plan(&ctx.plan.slug),
        plan: PlanHeader::new(&ctx.plan),
        years: views(&ctx.report, &ctx.drafts, &user),
        notice: outcome.notice(),
        others: others(&ctx.report, &ctx.assessments, &user),
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub csrf: String,
}

async fn publish(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    Path((_, draft)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let outcome =
        review::publish::<Figures>(&mut tx, plan.plan_id, draft, form.version, &user).await?;
    tx.commit().await?;
    Ok(decided(&plan.slug, outcome, "published=1"))
}

/// Back to the review page, saying what came of a decision (`done` when it was carried out).
fn decided(slug: &str, outcome: ReviewOutcome, done: &str) -> Response {
    let query = match outcome {
        ReviewOutcome::Done => done,
        ReviewOutcome::OwnEntry => "own=1",
        ReviewOutcome::Changed => "changed=1",
    };
    Redirect::to(&format!("/plans/{slug}/review?{query}")).into_response()
}

/// The drafts other than figures that officials decide on the review page, named as in the
/// decision's address (`/plans/{plan}/review/{kind}/{id}/publish`).
#[derive(Clone, Copy)]
enum DraftKind {
    Item,
    ItemStatus,
    Assessment,
}

impl DraftKind {
    fn from_path(word: &str) -> Option<DraftKind> {
        match word {
            "items" => Some(DraftKind::Item),
            "item-statuses" => Some(DraftKind::ItemStatus),
            "assessment" => Some(DraftKind::Assessment),
            _ => None,
        }
    }

    /// The review page's form that decides draft `id`.
    fn form(self, id: i64) -> String {
        match self {
            DraftKind::Item => format!("item-{id}"),
            DraftKind::ItemStatus => format!("status-{id}"),
            DraftKind::Assessment => format!("assessment-{id}"),
        }
    }

    /// What the review page says once one is published.
    fn published(self) -> &'static str {
        match self {
            DraftKind::Item | DraftKind::ItemStatus => "item_published=1",
            DraftKind::Assessment => "assessment_published=1",
        }
    }

    async fn publish(
        self,
        conn: &mut sqlx::PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
        user: &User,
    ) -> sqlx::Result<ReviewOutcome> {
        match self {
            DraftKind::Item => review::publish::<Items>(conn, plan_id, id, version, user).await,
            DraftKind::ItemStatus => {
                review::publish::<Statuses>(conn, plan_id, id, version, user).await
            }
            DraftKind::Assessment => {
                review::publish::<Commentaries>(conn, plan_id, id, version, user).await
            }
        }
    }

    async fn send_back(
        self,
        conn: &mut sqlx::PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
        user: &User,
        comment: &str,
    ) -> sqlx::Result<ReviewOutcome> {
        match self {
            DraftKind::Item => {
                review::send_back::<Items>(conn, plan_id, id, version, user, comment).await
            }
            DraftKind::ItemStatus => {
                review::send_back::<Statuses>(conn, plan_id, id, version, user, comment).await
            }
            DraftKind::Assessment => {
                review::send_back::<Commentaries>(conn, plan_id, id, version, user, comment).await
            }
        }
    }
}

async fn publish_other(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    Path((_, kind, id)): Path<(String, String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let kind = DraftKind::from_path(&kind).ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let outcome = kind
        .publish(&mut tx, plan.plan_id, id, form.version, &user)
        .await?;
    tx.commit().await?;
    Ok(decided(&plan.slug, outcome, kind.published()))
}

async fn send_back_other(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, kind, id)): Path<(String, String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let kind = DraftKind::from_path(&kind).ok_or(AppError::NotFound)?;
    let comment = match check_comment(&form.comment) {
        Ok(c) => c,
        Err(error) => {
            return refused_comment(
                &state,
                &session,
                &user,
                plan,
                &kind.form(id),
                &form.comment,
                error,
            )
            .await;
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = kind
        .send_back(&mut tx, plan.plan_id, id, form.version, &user, &comment)
        .await?;
    tx.commit().await?;
    Ok(decided(&plan.slug, outcome, "sent_back=1"))
}

async fn send_back(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, draft)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan).await?;
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
            others: others(&ctx.report, &ctx.assessments, &user),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let comment = comment.unwrap_or_default();
    let mut tx = state.db.begin().await?;
    let outcome = review::send_back::<Figures>(
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
    Ok(Redirect::to(&format!("/plans/{}/review?{query}", ctx.plan.slug)).into_response())
}

#[derive(Deserialize)]
pub struct YearForm {
    #[serde(default)]
    year: i32,
}

/// Publishes every pending draft of one year that the official did not enter, in one transaction.
async fn publish_year(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    CsrfForm(form): CsrfForm<YearForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan).await?;
    let mut tx = state.db.begin().await?;
    let (mut published, mut skipped) = (0, 0);
    for p in ctx.drafts.iter().filter(|p| p.draft.year == form.year) {
        match review::publish::<Figures>(
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
        "/plans/{}/review?published={published}&skipped={skipped}",
        ctx.plan.slug
    ))
    .into_response())
}
