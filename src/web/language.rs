//! Which language each request is served in, and the switch on every page.
//!
//! An explicit choice (the switch, remembered in a cookie for a year) wins; else the browser's
//! `Accept-Language`; else English. The choice is made once per request, before the page cache,
//! which keeps one copy of a page per language.

use axum::Router;
use axum::extract::{Query, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::cookie::time::Duration;
use tower_sessions::cookie::{Cookie, SameSite};

use super::AppState;
use super::link::{next_query, safe_next};
use crate::i18n::{COOKIE, Lang};

/// How long the choice is remembered.
const REMEMBERED_DAYS: i64 = 365;

tokio::task_local! {
    /// The path and query of the request being served, for the language switch's way back.
    static HERE: String;
}

/// The path and query of the current request ("/" outside a request).
pub fn here() -> String {
    HERE.try_with(Clone::clone)
        .unwrap_or_else(|_| "/".to_owned())
}

/// The reader's language from the request's headers.
pub fn chosen(headers: &HeaderMap) -> Lang {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE)
        .and_then(|c| Lang::from_tag(c.value()));
    cookie
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Serves the request in the reader's language, and says which it was.
pub async fn middleware(request: Request, next: Next) -> Response {
    let lang = chosen(request.headers());
    let here = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let mut response = lang.scope(HERE.scope(here, next.run(request))).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    headers.append(header::VARY, HeaderValue::from_static("cookie"));
    response
}

pub fn router() -> Router<AppState> {
    Router::new().route("/language", get(switch))
}

#[derive(Deserialize)]
struct Switch {
    set: String,
    next: Option<String>,
}

/// `GET /language?set=zh&next=/plans/…`: remembers the choice and goes back to the page.
async fn switch(Query(q): Query<Switch>) -> Response {
    let lang = Lang::from_tag(&q.set).unwrap_or_default();
    let next = safe_next(q.next.as_deref());
    let mut response = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&remembered(lang).to_string()) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The cookie remembering the choice of `lang`: on every page, for a year.
fn remembered(lang: Lang) -> Cookie<'static> {
    Cookie::build((COOKIE, lang.key()))
        .path("/")
        .max_age(Duration::days(REMEMBERED_DAYS))
        .same_site(SameSite::Lax)
        .build()
}

/// The switch's link to `lang` from the current page.
pub fn switch_href(lang: Lang) -> String {
    format!("/language?set={}&{}", lang.key(), next_query(&here()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_choice_wins_over_the_browser() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("zh-CN,zh"),
        );
        assert_eq!(chosen(&h), Lang::Zh);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; plantrack_lang=en"),
        );
        assert_eq!(chosen(&h), Lang::En);
        assert_eq!(chosen(&HeaderMap::new()), Lang::En);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("plantrack_lang=\"zh\"; x=y"),
        );
        assert_eq!(chosen(&h), Lang::Zh, "a quoted value is the same choice");
    }

    #[test]
    fn the_switch_remembers_the_choice_for_a_year_on_every_page() {
        let cookie = remembered(Lang::Zh).to_string();
        for part in [
            "plantrack_lang=zh",
            "Path=/",
            "Max-Age=31536000",
            "SameSite=Lax",
        ] {
            assert!(cookie.split("; ").any(|p| p == part), "{part} in {cookie}");
        }
    }
}
