//! A plan's annual reports: the list of years, each year's report as a Word document (the
//! default) or a print-ready page (`?format=html`), and the officials' summary and
//! recommendations, drafted by one official and published by another on the review page.
//!
//! Officials and administrators read every year's report; everyone else reads a year's
//! report once its words are published.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{CurrentPlan, Path, Query};
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::reader::Reader;
use super::session::{CsrfForm, Reviewer};
use super::views::PlanHeader;
use super::{AppError, AppState};
use crate::annual::{self, AnnualReport, Kind};
use crate::domain::entry;
use crate::i18n::{self, Lang, t, t1};
use crate::store::plans::{Plan, Visibility};
use crate::store::report_words::{self, SaveOutcome, YearWords};

/// The most characters of each of the officials' texts.
pub const WORDS_MAX: usize = 4000;

/// The list and the reports (kept by the page cache for readers without a session).
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/reports", get(index))
        .route("/plans/{plan}/reports/{year}", get(report))
}

/// The officials' words.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/plans/{plan}/reports/{year}/edit",
        get(edit_form).post(edit_save),
    )
}

/// A year of the plan that has a report, else 404.
fn report_year(plan: &Plan, year: &str) -> Result<i32, AppError> {
    year.parse::<i32>()
        .ok()
        .filter(|y| annual::years(plan).contains(y))
        .ok_or(AppError::NotFound)
}

fn reviews(reader: &Reader) -> bool {
    reader.user.as_ref().is_some_and(|u| u.role.reviews())
}

/// The state of a year's words as officials see it.
fn words_state(w: Option<&YearWords>) -> (&'static str, String) {
    match w {
        Some(YearWords { draft: Some(d), .. }) if d.returned_at.is_some() => (
            "returned",
            i18n::t2(
                "item-sent-back-by",
                "name",
                d.returned_by_name.as_deref().unwrap_or("?"),
                "comment",
                &d.review_comment,
            ),
        ),
        Some(YearWords { draft: Some(_), .. }) => ("draft", t("report-state-draft")),
        Some(YearWords {
            published: Some(_), ..
        }) => ("published", t("report-state-published")),
        _ => ("none", t("report-state-none")),
    }
}

pub struct YearLine {
    pub year: i32,
    pub kind: String,
    pub state: &'static str,
    pub state_text: String,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct IndexPage {
    layout: Layout,
    plan: PlanHeader,
    years: Vec<YearLine>,
    writes: bool,
}

async fn index(
    State(state): State<AppState>,
    reader: Reader,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Html<String>, AppError> {
    let writes = reviews(&reader);
    let visibility = if writes {
        Visibility::WithDrafts
    } else {
        Visibility::Published
    };
    let words = {
        let mut conn = state.db.acquire().await?;
        report_words::for_plan(&mut conn, plan.plan_id, visibility).await?
    };
    let years = annual::years(&plan)
        .rev()
        .filter_map(|year| {
            let w = words.get(&year);
            let public = w.is_some_and(|w| w.published.is_some());
            let (state, state_text) = words_state(w);
            (writes || public).then(|| YearLine {
                year,
                kind: t(if year >= plan.end_year {
                    "report-kind-final"
                } else {
                    "report-kind-annual"
                }),
                state,
                state_text,
                public,
            })
        })
        .collect();
    Ok(Html(
        IndexPage {
            layout: reader.layout.with_plan(&plan.slug),
            plan: PlanHeader::new(&plan),
            years,
            writes,
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
pub struct FormatQuery {
    #[serde(default)]
    format: Option<String>,
}

/// What officials see above the report (never printed, never in the document).
pub struct OfficialsPanel {
    pub state: &'static str,
    pub state_text: String,
    pub draft_summary: String,
    pub draft_recommendations: String,
}

#[derive(Template)]
#[template(path = "reports/page.html")]
struct ReportPage {
    layout: Layout,
    plan: PlanHeader,
    r: AnnualReport,
    officials: Option<OfficialsPanel>,
}

/// The chart as an image the page can show: the SVG as a `data:` address.
impl annual::AttentionLine {
    pub fn chart_src(&self) -> Option<String> {
        self.chart_svg.as_deref().map(|svg| {
            format!(
                "data:image/svg+xml,{}",
                percent_encoding::utf8_percent_encode(svg, percent_encoding::NON_ALPHANUMERIC)
            )
        })
    }
}

impl AnnualReport {
    pub fn has_summary(&self) -> bool {
        self.words
            .as_ref()
            .is_some_and(|w| !w.summary_lines().is_empty())
    }
    pub fn has_recommendations(&self) -> bool {
        self.words
            .as_ref()
            .is_some_and(|w| !w.recommendation_lines().is_empty())
    }
}

impl annual::PublishedWords {
    pub fn summary_lines(&self) -> Vec<&str> {
        lines(&self.summary)
    }
    pub fn recommendation_lines(&self) -> Vec<&str> {
        lines(&self.recommendations)
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The file's name without its extension: `chongqing-sti-2021-2025-report-2024-zh`.
pub fn file_name(slug: &str, year: i32) -> String {
    format!("{slug}-report-{year}-{}", Lang::current().key())
}

/// `GET /plans/{plan}/reports/{year}`: the year's report as a Word document, or with
/// `?format=html` as a page to print.
async fn report(
    State(state): State<AppState>,
    reader: Reader,
    CurrentPlan(plan): CurrentPlan,
    Path((_, year)): Path<(String, String)>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let year = report_year(&plan, &year)?;
    let html = match q.format.as_deref().map(str::trim) {
        None | Some("" | "docx") => false,
        Some("html") => true,
        Some(other) => {
            return Err(AppError::Rejected {
                status: StatusCode::BAD_REQUEST,
                message: t1("report-format-bad", "value", other),
            });
        }
    };
    let writes = reviews(&reader);
    let mut conn = state.db.acquire().await?;
    let words = report_words::for_plan(
        &mut conn,
        plan.plan_id,
        if writes {
            Visibility::WithDrafts
        } else {
            Visibility::Published
        },
    )
    .await?
    .remove(&year);
    if !writes && words.as_ref().is_none_or(|w| w.published.is_none()) {
        return Err(AppError::NotFound);
    }
    let published = words.as_ref().and_then(|w| w.published.as_ref());
    let r = annual::load_with(&mut conn, plan.clone(), year, published).await?;
    drop(conn);
    let name = file_name(&plan.slug, year);
    if html {
        let officials = writes.then(|| {
            let (state, state_text) = words_state(words.as_ref());
            let draft = words.as_ref().and_then(|w| w.draft.as_ref());
            OfficialsPanel {
                state,
                state_text,
                draft_summary: draft.map(|d| d.summary.clone()).unwrap_or_default(),
                draft_recommendations: draft.map(|d| d.recommendations.clone()).unwrap_or_default(),
            }
        });
        let page = ReportPage {
            layout: reader.layout.with_plan(&plan.slug),
            plan: PlanHeader::new(&plan),
            r,
            officials,
        };
        return Ok(Html(page.render()?).into_response());
    }
    let docx = docx(&state, r).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.docx\""),
            ),
        ],
        docx,
    )
        .into_response())
}

/// The print page of `r` as a file that stands on its own (its stylesheet inside, no
/// officials' panel), for `plantrack report --format html`.
pub fn standalone_page(plan: &Plan, r: AnnualReport) -> Result<String, askama::Error> {
    let page = ReportPage {
        layout: Layout::default().with_plan(&plan.slug),
        plan: PlanHeader::new(plan),
        r,
        officials: None,
    };
    Ok(page.render()?.replacen(
        r#"<link rel="stylesheet" href="/static/style.css">"#,
        &format!("<style>{}</style>", super::public::STYLESHEET),
        1,
    ))
}

/// Writes the Word document off the async threads, one drawing at a time (its charts are
/// drawn as the chart images are).
async fn docx(state: &AppState, r: AnnualReport) -> Result<Vec<u8>, AppError> {
    let _turn = super::chart::DRAWING
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("the drawing queue closed: {e}"))?;
    let dir = state.config.font_dir.clone();
    let lang = Lang::current();
    let bytes = tokio::task::spawn_blocking(move || {
        lang.scope_sync(|| annual::docx::write(&r, crate::raster::Fonts::shared(&dir)))
    })
    .await
    .map_err(|e| anyhow::anyhow!("writing the report stopped: {e}"))?
    .map_err(anyhow::Error::from)?;
    Ok(bytes)
}

#[derive(Deserialize, Default)]
pub struct WordsForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    recommendations: String,
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "reports/edit.html")]
struct EditPage {
    layout: Layout,
    plan: PlanHeader,
    year: i32,
    kind: Kind,
    returned: String,
    published: Option<(String, String)>,
    summary: String,
    recommendations: String,
    token: String,
    errors: FieldErrors,
    /// The words stored meanwhile by someone else, shown beside what was typed.
    conflict: Option<(String, String)>,
}

impl EditPage {
    fn new(layout: Layout, plan: &Plan, year: i32, now: &YearWords, typed: WordsForm) -> EditPage {
        EditPage {
            layout: layout.with_plan(&plan.slug),
            plan: PlanHeader::new(plan),
            year,
            kind: if year >= plan.end_year {
                Kind::Final
            } else {
                Kind::Annual
            },
            returned: match words_state(Some(now)) {
                ("returned", text) => text,
                _ => String::new(),
            },
            published: now
                .published
                .as_ref()
                .map(|p| (p.summary.clone(), p.recommendations.clone())),
            summary: typed.summary,
            recommendations: typed.recommendations,
            token: typed.token,
            errors: FieldErrors::new(),
            conflict: None,
        }
    }

    pub fn is_final(&self) -> bool {
        self.kind == Kind::Final
    }
}

async fn current(state: &AppState, plan: &Plan, year: i32) -> Result<YearWords, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(
        report_words::for_plan(&mut conn, plan.plan_id, Visibility::WithDrafts)
            .await?
            .remove(&year)
            .unwrap_or_default(),
    )
}

async fn edit_form(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, year)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let year = report_year(&plan, &year)?;
    let now = current(&state, &plan, year).await?;
    let typed = WordsForm {
        summary: now.current().map(|w| w.summary.clone()).unwrap_or_default(),
        recommendations: now
            .current()
            .map(|w| w.recommendations.clone())
            .unwrap_or_default(),
        token: now.token(),
    };
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    form::ok(&EditPage::new(layout, &plan, year, &now, typed))
}

async fn edit_save(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, year)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<WordsForm>,
) -> Result<Response, AppError> {
    let year = report_year(&plan, &year)?;
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    let mut errors = FieldErrors::new();
    let mut read = |field: &'static str, text: &str| match entry::parse_text(text, WORDS_MAX) {
        Ok(t) => t,
        Err(e) => {
            errors.add(field, e.to_string());
            String::new()
        }
    };
    let summary = read("summary", &form.summary);
    let recommendations = read("recommendations", &form.recommendations);
    if errors.is_empty() && summary.is_empty() && recommendations.is_empty() {
        errors.add("summary", t("report-error-empty"));
    }
    if !errors.is_empty() {
        let now = current(&state, &plan, year).await?;
        let mut page = EditPage::new(layout, &plan, year, &now, form);
        page.errors = errors;
        return form::refused(&page);
    }
    let mut tx = state.db.begin().await?;
    let outcome = report_words::save_draft(
        &mut tx,
        plan.plan_id,
        year,
        &summary,
        &recommendations,
        &user,
        &form.token,
    )
    .await?;
    tx.commit().await?;
    match outcome {
        SaveOutcome::Saved | SaveOutcome::Unchanged => Ok(Redirect::to(&format!(
            "/plans/{}/reports/{year}?format=html",
            plan.slug
        ))
        .into_response()),
        SaveOutcome::Conflict(now) => {
            // Ours as typed, theirs as stored now; submitting again keeps ours.
            let theirs = now
                .current()
                .map(|w| (w.summary.clone(), w.recommendations.clone()))
                .unwrap_or_default();
            let typed = WordsForm {
                token: now.token(),
                ..form
            };
            let mut page = EditPage::new(layout, &plan, year, &now, typed);
            page.conflict = Some(theirs);
            form::conflict(&page)
        }
    }
}
