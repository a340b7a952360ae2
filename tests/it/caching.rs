//! Public pages served from memory, and dropped the moment anything changes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plantrack::config::Config;
use plantrack::domain::plan::Role;
use plantrack::web::{AppState, app};
use std::io::Read;
use std::time::{Duration, Instant};

use crate::harness::{Client, DEFAULT_PLAN, Page, TestDb, send};

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
    let (state, listener) = db.with_live_cache(Config::default()).await;
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

/// Which pages are kept follows the routers they belong to (the page cache is a layer on the
/// public ones): the public pages, the open data page, downloads and feed, the assessment, the
/// seed file, the API and its description are kept for readers without a session; sign-in,
/// forms, review, administration, the audit trail, the language switch and the health check
/// never are. (This replaces the unit test of the list of paths the cache used to match.)
#[tokio::test]
async fn the_public_routers_pages_are_kept_and_no_other_page_is() {
    let db = TestDb::seeded().await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let site = app(state.clone());
    let plan = format!("/plans/{DEFAULT_PLAN}");
    let public = [
        "/".to_owned(),
        "/plans".to_owned(),
        plan.clone(),
        format!("{plan}/indicators/rd-intensity"),
        format!("{plan}/programmes"),
        format!("{plan}/programmes/national-key-laboratories"),
        "/methodology".to_owned(),
        "/static/style.css".to_owned(),
        format!("{plan}/data"),
        format!("{plan}/data/figures.csv"),
        format!("{plan}/indicators/rd-intensity/data/figures.csv"),
        format!("{plan}/feed.atom"),
        format!("{plan}/assessment"),
        format!("{plan}/seed.toml"),
        "/api/v1/plans".to_owned(),
        format!("/api/v1{plan}/indicators/rd-intensity"),
        "/api/openapi.json".to_owned(),
        "/api/docs".to_owned(),
    ];
    for (kept, uri) in public.iter().enumerate() {
        let (page, _) = fetch(&site, uri, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(!etag(&page).is_empty(), "{uri} is served from the cache");
        assert_eq!(state.cache.len(), kept + 1, "{uri} is kept");
        let (again, _) = fetch(&site, uri, &[(header::IF_NONE_MATCH, &etag(&page))]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
    }
    // A kept download is still a download with its file name.
    let req = Request::get(format!("{plan}/data/figures.csv"))
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(site.clone(), req).await.unwrap();
    let disposition = response
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        disposition.contains(&format!("{DEFAULT_PLAN}-figures.csv")),
        "{disposition:?}"
    );

    let working = [
        "/login".to_owned(),
        "/healthz".to_owned(),
        "/audit".to_owned(),
        "/admin/users".to_owned(),
        "/admin/plans".to_owned(),
        format!("{plan}/entry/2024"),
        format!("{plan}/review"),
        format!("{plan}/indicators/rd-intensity/revise/2024"),
        format!("{plan}/assessment/rd-intensity/edit"),
        format!("{plan}/programmes/national-key-laboratories/items/new"),
        "/language?set=zh&next=/".to_owned(),
        "/no/such/page".to_owned(),
    ];
    for uri in &working {
        let (page, _) = fetch(&site, uri, &[]).await;
        assert!(
            etag(&page).is_empty(),
            "{uri} is never served from the cache"
        );
    }
    assert_eq!(state.cache.len(), public.len(), "no other page is kept");
    listener.abort();
}

/// A kept page is answered before routing and the site's layers (see `cache::FastPath`), yet
/// carries every header those layers give it: a HEAD of the same page (never answered early)
/// goes through all of them, and its headers are the GET's, in every language, every
/// encoding, over https (HSTS) too, and for a reader who asks again with the ETag.
#[tokio::test]
async fn a_kept_page_answered_early_carries_every_header_the_site_gives_it() {
    let db = TestDb::seeded().await;
    let config = Config {
        public_url: Some("https://plans.example.org".into()),
        ..Config::default()
    };
    let (state, listener) = db.with_live_cache(config).await;
    let site = app(state.clone());
    let headers_of = |request: Request<Body>| {
        let site = site.clone();
        async move {
            let response = tower::ServiceExt::oneshot(site, request).await.unwrap();
            let status = response.status();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                // Set from the body's length on the way out, by the server over the wire.
                .filter(|(name, _)| *name != header::CONTENT_LENGTH)
                .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
                .collect();
            let body = axum::body::to_bytes(response.into_body(), 16 << 20)
                .await
                .unwrap();
            (status, headers, body)
        }
    };
    let request = |method: &str, uri: &str, asks: &[(&str, &str)]| {
        let mut r = Request::builder().method(method).uri(uri);
        for (name, value) in asks {
            r = r.header(*name, *value);
        }
        r.body(Body::empty()).unwrap()
    };
    let plan = format!("/plans/{DEFAULT_PLAN}");
    let pages = [
        "/".to_owned(),
        format!("{plan}/indicators/rd-intensity"),
        format!("/api/v1{plan}/indicators"),
        format!("{plan}/data/figures.csv"),
    ];
    let readers: [&[(&str, &str)]; 3] = [
        &[],
        &[("accept-language", "zh-CN,zh;q=0.9")],
        &[("cookie", "plantrack_lang=zh"), ("accept-language", "en")],
    ];
    for uri in &pages {
        for reader in readers {
            // The first GET renders and keeps the page, through every layer.
            let (status, filled, first) = headers_of(request("GET", uri, reader)).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            for encoding in ["identity", "gzip", "br"] {
                let asks = [reader, &[("accept-encoding", encoding)]].concat();
                let (_, through_layers, _) = headers_of(request("HEAD", uri, &asks)).await;
                let (status, early, body) = headers_of(request("GET", uri, &asks)).await;
                assert_eq!(status, StatusCode::OK, "{uri} {asks:?}");
                assert_eq!(early, through_layers, "{uri} {asks:?}");
                for name in [
                    "content-language",
                    "strict-transport-security",
                    "content-security-policy",
                    "x-frame-options",
                    "etag",
                ] {
                    assert!(
                        early.iter().any(|(n, _)| n == name),
                        "{uri} {asks:?} carries {name}: {early:?}"
                    );
                }
                if encoding == "identity" {
                    assert_eq!(early, filled, "{uri} {asks:?}: as when it was rendered");
                    assert_eq!(body, first, "{uri} {asks:?}: the same page");
                }
            }
            let tag = filled.iter().find(|(n, _)| n == "etag").unwrap().1.clone();
            let asks = [reader, &[("if-none-match", tag.as_str())]].concat();
            let (status, early, _) = headers_of(request("GET", uri, &asks)).await;
            let (_, through_layers, _) = headers_of(request("HEAD", uri, &asks)).await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "{uri}");
            assert_eq!(early, through_layers, "{uri}: 304");
        }
    }
    // The Chinese reader's page is the Chinese one, whichever way the choice was made.
    let zh = |asks: &[(&str, &str)]| request("GET", "/", asks);
    let (_, by_browser, a) = headers_of(zh(readers[1])).await;
    let (_, by_cookie, b) = headers_of(zh(readers[2])).await;
    assert_eq!(a, b);
    assert!(by_browser.contains(&("content-language".into(), "zh-CN".into())));
    assert_eq!(by_browser, by_cookie);
    listener.abort();
}

/// Signed-in readers' pages are rendered for each of them, but from the plan's report kept in
/// memory between changes (see `PageCache::report`). The person who makes a change sees it on
/// the very next page, even before the database's notification of it arrives: here the
/// listener is stopped, so only the instance's own forgetting can show it.
#[tokio::test]
async fn a_signed_in_readers_own_change_shows_on_the_next_page_before_any_notification() {
    let db = TestDb::seeded().await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let site = app(state.clone());
    let password = db.user("ana", Role::Analyst).await;
    let mut ana = Client::new(site.clone());
    ana.login("ana", &password).await;
    let page = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    let before = ana.get(&page).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(!before.body.contains("2.91"), "no such figure yet");

    listener.abort();
    let _ = listener.await;
    assert!(state.cache.is_live(), "the stopped listener never said so");
    // A change this instance did not make (and, with no listener, never hears of) is not
    // shown: the report is the kept one.
    sqlx::query(
        "update observation set source = 'Changed behind the site' where year = 2021 and kind = 'actual'
           and indicator_id = (select indicator_id from indicator join plan using (plan_id) where is_default and code = 'rd-intensity')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    assert!(
        !ana.get(&page)
            .await
            .body
            .contains("Changed behind the site")
    );

    // Her own change shows at once.
    let revise = format!("{page}/revise/2022");
    let form = ana.get(&revise).await;
    let token = form
        .body
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let saved = ana
        .post(
            &revise,
            &[
                ("value", "2.91"),
                ("source", "Revised bulletin"),
                ("note", ""),
                ("reason", "GDP revised"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = ana.get(&page).await;
    assert!(after.body.contains("2.91"), "her draft is on the page");
    assert!(
        after.body.contains("Changed behind the site"),
        "read afresh"
    );
    // Readers without a session still see the published figures only.
    assert!(!fetch(&site, &page, &[]).await.0.body.contains("2.91"));
}

/// Polls `page` on `client` until `shows` holds for it, for at most a second.
async fn within_a_second(
    client: &mut Client,
    page: &str,
    what: &str,
    shows: impl Fn(&Page) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        if shows(&client.get(page).await) {
            return;
        }
        assert!(Instant::now() < deadline, "{what} within a second");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Each instance keeps the sessions, accounts and counts of waiting work its signed-in readers
/// use (see `web::cache::kept`). What another instance (or anyone else) changes shows within a
/// second: a draft saved elsewhere in the count, an account disabled behind the site, a sign-out.
#[tokio::test]
async fn sessions_accounts_and_counts_kept_on_one_instance_follow_changes_made_elsewhere() {
    let db = TestDb::seeded().await;
    let (a, listening_a) = db.with_live_cache(Config::default()).await;
    let (b, listening_b) = db.with_live_cache(Config::default()).await;
    db.user("ana", Role::Analyst).await;
    let password = db.user("oli", Role::Official).await;
    let mut on_a = Client::new(app(a.clone()));
    on_a.login("oli", &password).await;
    // The same browser, its next requests served by the other instance.
    let mut on_b = Client::new(app(b.clone()));
    on_b.cookie = on_a.cookie.clone();
    let overview = format!("/plans/{DEFAULT_PLAN}");
    let review = format!("{overview}/review");
    for _ in 0..2 {
        let page = on_b.get(&overview).await;
        assert!(page.body.contains("Sign out"), "signed in on b too");
        assert!(page.texts("#nav-waiting").is_empty(), "nothing waits");
    }

    crate::nav_counts::draft(&db, "ana", "rd-intensity", "2.7").await;
    within_a_second(&mut on_b, &overview, "the new draft counted", |p| {
        !p.texts("#nav-waiting").is_empty()
    })
    .await;

    // An account disabled behind the site's back (its sessions left in place): signed out.
    sqlx::query("update app_user set disabled = true where username = 'oli'")
        .execute(&db.pool)
        .await
        .unwrap();
    within_a_second(&mut on_b, &review, "the disabled account refused", |p| {
        p.status == StatusCode::SEE_OTHER
    })
    .await;
    sqlx::query("update app_user set disabled = false where username = 'oli'")
        .execute(&db.pool)
        .await
        .unwrap();
    within_a_second(&mut on_b, &review, "the enabled account admitted", |p| {
        p.status == StatusCode::OK
    })
    .await;

    // Signing out on a ends the session b keeps.
    assert_eq!(on_a.get(&review).await.status, StatusCode::OK);
    assert_eq!(
        on_a.post("/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    within_a_second(&mut on_b, &review, "the signed-out session refused", |p| {
        p.status == StatusCode::SEE_OTHER
    })
    .await;
    listening_a.abort();
    listening_b.abort();
}

/// What a signed-in overview lists of the other plans is kept too, and follows the plan table.
#[tokio::test]
async fn a_renamed_plan_shows_on_the_signed_in_overview_within_a_second() {
    let db = TestDb::seeded().await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let mut oli = Client::new(app(state.clone()));
    let password = db.user("oli", Role::Official).await;
    oli.login("oli", &password).await;
    assert!(!oli.get("/").await.body.contains("Renamed outline"));
    sqlx::query("update plan set title_en = 'Renamed outline' where not is_default")
        .execute(&db.pool)
        .await
        .unwrap();
    within_a_second(&mut oli, "/", "the new title", |p| {
        p.body.contains("Renamed outline")
    })
    .await;
    listener.abort();
}

/// The pages anyone may read are rendered once for all signed-in readers of one role in one
/// language (see `web::frame`) and kept like the rest of what their pages are made from. Each
/// reader still gets their own: their name, their form token (which signs them out), what
/// waits for them, what their role may do, their language; and a change shows within a second.
#[tokio::test]
async fn a_kept_signed_in_page_shows_each_reader_their_own_name_token_counts_and_role() {
    let db = TestDb::seeded().await;
    let roles = [
        ("oli", Role::Official),
        ("ola", Role::Official),
        ("ana", Role::Analyst),
        ("adm", Role::Admin),
    ];
    let mut passwords = Vec::new();
    for (name, role) in roles {
        passwords.push(db.user(name, role).await);
    }
    // Oli's own draft waits for the other official, not for him (saved before the instance
    // starts, so that its notification cannot arrive in the middle of the test).
    crate::nav_counts::draft(&db, "oli", "rd-intensity", "2.77").await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let site = app(state.clone());
    let mut people = Vec::new();
    for ((name, _), password) in roles.iter().zip(&passwords) {
        let mut client = Client::new(site.clone());
        assert_eq!(
            client.login(name, password).await.status,
            StatusCode::SEE_OTHER
        );
        people.push(client);
    }
    let [oli, ola, ana, adm] = &mut people[..] else {
        unreachable!()
    };
    let page = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    let review = format!("a[href=\"/plans/{DEFAULT_PLAN}/review\"]");
    let revise = format!("a[href=\"{page}/revise/2022\"]");
    let edit = format!("a[href=\"/admin/plans/{DEFAULT_PLAN}/indicators/rd-intensity\"]");
    let kept_before = state.cache.frames_kept();

    let seen_by_oli = oli.get(&page).await;
    assert_eq!(seen_by_oli.texts("li.who a"), ["oli"]);
    assert!(
        seen_by_oli.texts("#nav-waiting").is_empty(),
        "his own draft"
    );
    assert!(
        seen_by_oli.body.contains("2.77"),
        "drafts are shown signed in"
    );
    assert!(
        !seen_by_oli.texts(&review).is_empty(),
        "an official reviews"
    );
    assert!(!seen_by_oli.texts(&revise).is_empty(), "and revises");
    assert!(seen_by_oli.texts(&edit).is_empty(), "not an administrator");
    assert_eq!(
        state.cache.frames_kept(),
        kept_before + 1,
        "the page is kept"
    );

    let seen_by_ola = ola.get(&page).await;
    assert_eq!(state.cache.frames_kept(), kept_before + 1, "the same page");
    assert_eq!(seen_by_ola.texts("li.who a"), ["ola"]);
    assert!(
        !seen_by_ola.texts("header.site")[0].contains("oli"),
        "nothing of oli's in her navigation"
    );
    assert_eq!(
        seen_by_ola.texts("#nav-waiting").len(),
        1,
        "oli's draft waits"
    );
    assert_ne!(ola.csrf, oli.csrf);
    assert!(seen_by_ola.body.contains(&ola.csrf));
    assert!(!seen_by_ola.body.contains(&oli.csrf));
    // Apart from the navigation, the two officials read the same page.
    let without_nav = |p: &crate::harness::Page| {
        let start = p.body.find("<header class=\"site\">").unwrap();
        let end = p.body.find("</header>").unwrap();
        format!("{}{}", &p.body[..start], &p.body[end..])
    };
    assert_eq!(without_nav(&seen_by_oli), without_nav(&seen_by_ola));

    // What each role may do.
    let seen_by_ana = ana.get(&page).await;
    assert_eq!(seen_by_ana.texts("li.who a"), ["ana"]);
    assert!(!seen_by_ana.texts(&revise).is_empty(), "an analyst revises");
    assert!(seen_by_ana.texts(&review).is_empty(), "but does not review");
    assert!(seen_by_ana.texts(&edit).is_empty(), "nor edit definitions");
    let seen_by_adm = adm.get(&page).await;
    assert!(!seen_by_adm.texts(&edit).is_empty());
    assert_eq!(state.cache.frames_kept(), kept_before + 3, "one per role");

    // Her language, navigation included.
    ana.lang = Some("plantrack_lang=zh".into());
    let in_chinese = ana.get(&page).await;
    assert_eq!(in_chinese.attr("html", "lang"), "zh-CN");
    assert_eq!(in_chinese.texts("li.who a"), ["ana"]);
    assert_eq!(in_chinese.texts("li.lang a"), ["English"]);
    assert!(!in_chinese.texts(&revise).is_empty());

    // The token in the kept page's form is the reader's own: it signs her out.
    assert_eq!(ola.post("/logout", &[]).await.status, StatusCode::SEE_OTHER);
    let signed_out = ola.get(&page).await;
    assert!(signed_out.texts("li.who a").is_empty());
    assert!(!signed_out.body.contains("2.77"), "published figures only");
    assert_eq!(oli.get(&page).await.texts("li.who a"), ["oli"], "still in");

    // A change heard drops the kept page: the analyst's draft shows, and waits for oli.
    crate::nav_counts::draft(&db, "ana", "rd-intensity", "2.81").await;
    within_a_second(oli, &page, "the new draft and its count", |p| {
        p.body.contains("2.81") && p.texts("#nav-waiting").len() == 1
    })
    .await;
    listener.abort();
}
