//! Public pages served from memory, and dropped the moment anything changes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plantrack::config::Config;
use plantrack::domain::plan::Role;
use plantrack::web::{AppState, app};
use std::io::Read;
use std::time::{Duration, Instant};

use crate::harness::{Client, Page, TestDb, send};

async fn fetch(
    app: &axum::Router,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> (Page, Vec<u8>) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    let response = tower::ServiceExt::oneshot(app.clone(), req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let h = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 16 << 20)
        .await
        .unwrap()
        .to_vec();
    let get = |n: header::HeaderName| {
        h.get(n)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let page = Page {
        status,
        content_type: format!(
            "{}|{}|{}",
            get(header::CONTENT_TYPE),
            get(header::CONTENT_ENCODING),
            get(header::ETAG)
        ),
        location: String::new(),
        set_cookie: Vec::new(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    (page, bytes)
}

fn etag(page: &Page) -> String {
    page.content_type.rsplit('|').next().unwrap().to_owned()
}

#[tokio::test]
async fn anonymous_pages_are_served_compressed_from_memory_with_etags_and_dropped_on_change() {
    let db = TestDb::seeded().await;
    let state = AppState::new(db.pool.clone(), Config::default());
    let listener = plantrack::web::cache::spawn_listener(db.pool.clone(), state.cache.clone());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !state.cache.is_live() {
        assert!(Instant::now() < deadline, "the listener connects");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let site = app(state.clone());

    let (plain, plain_bytes) = fetch(&site, "/", &[]).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(state.cache.len(), 1, "the overview is kept");
    let (br, br_bytes) = fetch(&site, "/", &[(header::ACCEPT_ENCODING, "gzip, br")]).await;
    assert!(br.content_type.contains("|br|"), "{}", br.content_type);
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&br_bytes[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain_bytes, "the same page, compressed");
    assert!(
        br_bytes.len() * 4 < plain_bytes.len(),
        "brotli shrinks the page"
    );
    let (gz, gz_bytes) = fetch(&site, "/", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert!(gz.content_type.contains("|gzip|"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz_bytes[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain_bytes);
    assert_eq!(etag(&plain), etag(&br));

    let tag = etag(&plain);
    let (not_modified, body) = fetch(&site, "/", &[(header::IF_NONE_MATCH, &tag)]).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    // Signed-in readers get live pages of their own, never the shared copy.
    let password = db.user("ana", Role::Analyst).await;
    let mut ana = Client::new(site.clone());
    ana.login("ana", &password).await;
    assert!(ana.get("/").await.body.contains("Sign out"));
    assert!(!fetch(&site, "/", &[]).await.0.body.contains("Sign out"));

    // A change anywhere: every kept page goes, and the next reader sees the new figure.
    let changed = Instant::now();
    sqlx::query(
        "update observation set value = 2.50 where year = 2023 and kind = 'actual' and state = 'published'
           and indicator_id = (select indicator_id from indicator join plan using (plan_id) where is_default and code = 'rd-intensity')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    loop {
        let (page, _) = fetch(&site, "/", &[]).await;
        if page.text("#indicator-rd-intensity td.latest") == "2.50% (2023)" {
            assert_ne!(etag(&page), tag, "a new page, a new tag");
            break;
        }
        assert!(
            changed.elapsed() < Duration::from_secs(1),
            "the change shows within a second"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    listener.abort();
}

#[tokio::test]
async fn nothing_is_cached_while_changes_cannot_be_heard() {
    let db = TestDb::seeded().await;
    let state = AppState::new(db.pool.clone(), Config::default());
    let site = app(state.clone());
    assert_eq!(fetch(&site, "/", &[]).await.0.status, StatusCode::OK);
    assert_eq!(state.cache.len(), 0);
    let req = Request::get("/healthz").body(Body::empty()).unwrap();
    assert_eq!(send(&site, req).await.status, StatusCode::OK);
}
