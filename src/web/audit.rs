//! The audit page: every recorded change, newest first, filterable by plan, indicator, year and
//! user. Signed-in users only.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::Session;

use super::layout::Layout;
use super::session::SignedIn;
use super::views::HistoryView;
use super::{AppError, AppState};
use crate::store::figures::{self, AuditFilter};
use crate::store::plans;

/// The most rows one page shows.
pub const LIMIT: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit))
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    user: String,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    layout: Layout,
    plans: Vec<(String, String)>,
    plan: String,
    indicator: String,
    year: String,
    user: String,
    year_error: Option<String>,
    rows: Vec<HistoryView>,
    limited: bool,
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

async fn audit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let all = plans::list(&mut conn).await?;
    let year = some(&q.year).map(|y| y.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)));
    let year_error = matches!(year, Some(None)).then(|| crate::i18n::t("audit-year-error"));
    let filter = AuditFilter {
        plan: some(&q.plan),
        indicator: some(&q.indicator),
        year: year.flatten(),
        user: some(&q.user).map(|u| u.to_lowercase()),
        indicator_id: None,
    };
    let rows = if year_error.is_some() {
        Vec::new()
    } else {
        figures::history(&mut conn, &filter, LIMIT).await?
    };
    let page = AuditPage {
        layout: Layout::new(&state, &session, Some(&user)).await?,
        plans: all
            .iter()
            .map(|p| (p.slug.clone(), p.title_en.clone()))
            .collect(),
        limited: rows.len() as i64 == LIMIT,
        rows: rows.iter().map(HistoryView::new).collect(),
        plan: q.plan,
        indicator: q.indicator,
        year: q.year,
        user: q.user,
        year_error,
    };
    let status = if page.year_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Html(page.render()?)).into_response())
}
