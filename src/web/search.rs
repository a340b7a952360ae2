//! The search across every plan: `/search?q=…` finds indicators, programmes and items by a
//! part of their Chinese or English name. The results depend on what is typed, so the page is
//! not kept in the page cache (anyone could fill it with searches).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::extract::Query;
use super::layout::Layout;
use super::reader::Reader;
use super::{AppError, AppState};
use crate::i18n::{t, t1, t2};
use crate::store::search::{self, Hit, HitKind, MAX_HITS};

/// The most characters a search may hold.
pub const MAX_CHARS: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search_page))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// A hit as the page shows it.
pub struct HitView {
    pub href: String,
    pub name_zh: String,
    pub name_en: String,
    pub plan_zh: String,
    pub plan_en: String,
}

/// The hits of one kind, under its heading.
pub struct HitGroup {
    pub heading: String,
    pub hits: Vec<HitView>,
}

#[derive(Template)]
#[template(path = "public/search.html")]
struct SearchPage {
    layout: Layout,
    text: String,
    /// The message at the search field.
    error: Option<String>,
    /// What was found, or why nothing is listed; empty before a search.
    summary: String,
    groups: Vec<HitGroup>,
    /// Said when only the first hits are listed.
    more: Option<String>,
}

impl HitView {
    fn new(hit: Hit) -> HitView {
        let href = match hit.kind {
            HitKind::Indicator => format!("/plans/{}/indicators/{}", hit.plan_slug, hit.key),
            HitKind::Programme => format!("/plans/{}/programmes/{}", hit.plan_slug, hit.key),
            HitKind::Item => format!(
                "/plans/{}/programmes/{}#item-{}",
                hit.plan_slug,
                hit.key,
                hit.item_id.unwrap_or_default()
            ),
        };
        HitView {
            href,
            name_zh: hit.name_zh,
            name_en: hit.name_en,
            plan_zh: hit.plan_title_zh,
            plan_en: hit.plan_title_en,
        }
    }
}

/// The hits grouped by kind, indicators first; kinds without hits are left out.
fn groups(hits: Vec<Hit>) -> Vec<HitGroup> {
    [
        (HitKind::Indicator, "search-kind-indicator"),
        (HitKind::Programme, "search-kind-programme"),
        (HitKind::Item, "search-kind-item"),
    ]
    .into_iter()
    .filter_map(|(kind, id)| {
        let of_kind: Vec<HitView> = hits
            .iter()
            .filter(|h| h.kind == kind)
            .cloned()
            .map(HitView::new)
            .collect();
        (!of_kind.is_empty()).then(|| HitGroup {
            heading: t1(id, "count", of_kind.len()),
            hits: of_kind,
        })
    })
    .collect()
}

async fn search_page(
    State(state): State<AppState>,
    reader: Reader,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let text = query.q.trim().to_owned();
    let mut page = SearchPage {
        layout: reader.layout,
        text,
        error: None,
        summary: String::new(),
        groups: Vec::new(),
        more: None,
    };
    let status = if page.text.chars().count() > MAX_CHARS {
        page.error = Some(t1("search-too-long", "max", MAX_CHARS));
        StatusCode::BAD_REQUEST
    } else if page.text.is_empty() {
        StatusCode::OK
    } else {
        let mut tx = state.db.begin().await?;
        match search::find(&mut tx, &page.text).await {
            Ok(mut hits) => {
                tx.commit().await?;
                if hits.len() > MAX_HITS {
                    hits.truncate(MAX_HITS);
                    page.more = Some(t1("search-more", "max", MAX_HITS));
                }
                page.summary = match hits.len() {
                    0 => t1("search-none", "text", &page.text),
                    n => t2("search-found", "count", n, "text", &page.text),
                };
                page.groups = groups(hits);
                StatusCode::OK
            }
            Err(e) if search::is_over_budget(&e) => {
                page.error = Some(t("search-over-budget"));
                StatusCode::SERVICE_UNAVAILABLE
            }
            Err(e) => return Err(e.into()),
        }
    };
    Ok((status, Html(page.render()?)).into_response())
}
