//! The server's budgets and headers: links never taken from the request's Host, slow and silent
//! clients dropped, shutdown within a bound, signed-in pages never stored, HSTS over https,
//! and bad path values answered by the site's own error page.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::routing::get;
use plantrack::config::{Config, Limits};
use plantrack::domain::plan::Role;
use plantrack::web::{AppState, app};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::harness::{DEFAULT_PLAN, Serve, TestDb};

/// Status, headers and body of one request to the router.
async fn fetch(
    app: &Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let response = tower::ServiceExt::oneshot(app.clone(), req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 16 << 20)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn cache_control(headers: &HeaderMap) -> &str {
    headers
        .get(header::CACHE_CONTROL)
        .map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn a_foreign_host_header_never_reaches_the_cached_feed() {
    let db = TestDb::seeded().await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let site = app(state.clone());
    let feed = format!("/plans/{DEFAULT_PLAN}/feed.atom");
    let (status, _, _) = fetch(&site, &feed, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.cache.len(), 1, "the feed is kept for every reader");
    // A change empties the cache; the first reader after it sends a forged Host.
    sqlx::query("select pg_notify('plantrack_changed', '')")
        .execute(&db.pool)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !state.cache.is_empty() {
        assert!(Instant::now() < deadline, "the change is heard");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, _, forged) = fetch(&site, &feed, &[("host", "evil.example")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state.cache.len(), 1, "the forged request's feed is kept");
    let (_, _, later) = fetch(&site, &feed, &[("host", "localhost")]).await;
    for body in [&forged, &later] {
        assert!(!body.contains("evil.example"), "{body:.400}");
        assert!(
            body.contains(&format!(
                "href=\"http://127.0.0.1:8080/plans/{DEFAULT_PLAN}/indicators/"
            )),
            "links are built from the listening address: {body:.600}"
        );
    }
    listener.abort();

    // With a public address, links use it whatever the Host says.
    let config = Config {
        public_url: Some("https://plans.example.org/".into()),
        ..Config::default()
    };
    let site = app(AppState::new(db.pool.clone(), config));
    let (_, _, body) = fetch(&site, &feed, &[("host", "evil.example")]).await;
    assert!(!body.contains("evil.example"));
    assert!(body.contains(&format!(
        "href=\"https://plans.example.org/plans/{DEFAULT_PLAN}/feed.atom\""
    )));
}

#[tokio::test]
async fn signed_in_pages_are_never_stored_and_public_pages_keep_their_caching() {
    let db = TestDb::seeded().await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let site = app(state);
    let password = db.user("ada", Role::Admin).await;
    let mut ada = crate::harness::Client::new(site.clone());
    ada.login("ada", &password).await;
    let cookie = ada.cookie.clone().expect("a session cookie");
    for uri in [
        "/".to_owned(),
        "/audit".to_owned(),
        format!("/plans/{DEFAULT_PLAN}"),
        format!("/plans/{DEFAULT_PLAN}/entry/2024"),
        format!("/plans/{DEFAULT_PLAN}/review"),
        format!("/plans/{DEFAULT_PLAN}/data"),
        format!("/plans/{DEFAULT_PLAN}/data/figures.csv?drafts=1"),
        "/admin/users".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        let (status, headers, _) = fetch(&site, &uri, &[("cookie", &cookie)]).await;
        assert!(
            status.is_success() || status == StatusCode::NOT_FOUND,
            "{uri}: {status}"
        );
        assert_eq!(cache_control(&headers), "private, no-store", "{uri}");
    }
    // Anonymous readers of public pages: shared copies with their usual revalidation.
    for uri in ["/".to_owned(), format!("/plans/{DEFAULT_PLAN}")] {
        let (status, headers, _) = fetch(&site, &uri, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(cache_control(&headers), "no-cache", "{uri}");
    }
    listener.abort();
}

#[tokio::test]
async fn hsts_is_sent_on_every_response_only_when_the_site_is_served_over_https() {
    let db = TestDb::seeded().await;
    let https = Config {
        public_url: Some("https://plans.example.org".into()),
        ..Config::default()
    };
    let site = app(AppState::new(db.pool.clone(), https));
    for uri in ["/", "/login", "/healthz", "/no/such/page", "/api/v1/plans"] {
        let (_, headers, _) = fetch(&site, uri, &[]).await;
        assert_eq!(
            headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000"),
            "{uri}"
        );
    }
    for config in [
        Config::default(),
        Config {
            public_url: Some("http://plans.example.org".into()),
            ..Config::default()
        },
    ] {
        let site = app(AppState::new(db.pool.clone(), config));
        for uri in ["/", "/login"] {
            let (_, headers, _) = fetch(&site, uri, &[]).await;
            assert!(
                !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
                "{uri}"
            );
        }
    }
}

#[tokio::test]
async fn a_bad_path_value_gets_the_error_page_in_the_readers_language_or_the_apis_json() {
    let db = TestDb::seeded().await;
    let site = db.app();
    let password = db.user("ana", Role::Analyst).await;
    let mut ana = crate::harness::Client::new(site.clone());
    ana.login("ana", &password).await;
    let cookie = ana.cookie.clone().unwrap();
    for (uri, lang, title) in [
        (
            format!("/plans/{DEFAULT_PLAN}/entry/notayear"),
            "en",
            "Page not found",
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/entry/99999999999"),
            "zh-CN",
            "页面不存在",
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/indicators/%C3%28"),
            "en",
            "Page not found",
        ),
    ] {
        let (status, headers, body) = fetch(
            &site,
            &uri,
            &[("cookie", &cookie), ("accept-language", lang)],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{uri}"
        );
        let html = scraper::Html::parse_document(&body);
        assert_eq!(crate::harness::texts(&html, "h1"), [title], "{uri}");
        assert!(!body.contains("Failed to deserialize"), "{uri}");
    }
    // A query value that does not parse: the page's own 400, not a plain-text message.
    let (status, headers, body) = fetch(
        &site,
        &format!("/plans/{DEFAULT_PLAN}/entry/2024?saved=notanumber"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = scraper::Html::parse_document(&body);
    assert_eq!(crate::harness::texts(&html, "h1"), ["Request refused"]);
    // Under /api: the API's JSON error.
    let (status, headers, body) = fetch(
        &site,
        "/api/v1/plans/%FF/indicators",
        &[("accept-language", "zh")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"]["status"], 404);
    assert_eq!(json["error"]["title"], "页面不存在");
}

/// How long until the server closes `stream` (it reads to the end), at most `wait`; also what
/// it sent before closing.
fn time_until_closed(mut stream: TcpStream, wait: Duration) -> (Duration, String) {
    let start = Instant::now();
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
        if start.elapsed() >= wait {
            break;
        }
    }
    (start.elapsed(), String::from_utf8_lossy(&got).into_owned())
}

#[tokio::test]
async fn slow_and_silent_clients_are_dropped_within_the_timeouts() {
    let db = TestDb::seeded().await;
    let server = Serve::on(&db).start();
    let port = server.port;
    let limits = Limits::default();
    let connect = || TcpStream::connect(("127.0.0.1", port)).unwrap();

    // Half a header line, then nothing.
    let mut half = connect();
    half.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
    // Connected, silent.
    let silent = connect();
    // A header, then a body that stops after two bytes of a hundred.
    let mut stalled = connect();
    stalled
        .write_all(
            b"POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nus",
        )
        .unwrap();
    // A kept-alive connection that answered one request and then idles.
    let mut idle = connect();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();

    let bound = limits.header_read.max(limits.body_idle) + Duration::from_secs(4);
    let waits = [half, silent, stalled, idle].map(|stream| {
        std::thread::spawn(move || time_until_closed(stream, Duration::from_secs(40)))
    });
    let [half, silent, stalled, idle] = waits.map(|w| w.join().unwrap());
    assert!(
        half.0 < bound,
        "half a header held the connection {:?}",
        half.0
    );
    assert!(
        silent.0 < bound,
        "a silent client held the connection {:?}",
        silent.0
    );
    assert!(idle.0 < bound, "an idle connection was kept {:?}", idle.0);
    assert!(idle.1.starts_with("HTTP/1.1 200"), "{}", idle.1);
    assert!(
        stalled.0 < bound,
        "a stalled body held the connection {:?}",
        stalled.0
    );
    assert!(
        stalled.1.starts_with("HTTP/1.1 408"),
        "a stalled body is answered 408: {:.300}",
        stalled.1
    );
    assert!(stalled.1.contains("text/html"), "with the error page");

    // The server still answers, and builds its links from the address it listens on.
    let mut http = crate::harness::Http::connect(port).unwrap();
    assert_eq!(http.send("GET", "/healthz", None, None).status, 200);
    let feed = http.send(
        "GET",
        &format!("/plans/{DEFAULT_PLAN}/feed.atom"),
        None,
        None,
    );
    assert!(
        feed.body.contains(&format!(
            "href=\"http://127.0.0.1:{port}/plans/{DEFAULT_PLAN}"
        )),
        "{:.500}",
        feed.body
    );
}

#[tokio::test]
async fn sigterm_exits_within_the_shutdown_bound_while_slow_clients_hold_connections() {
    let db = TestDb::seeded().await;
    let mut server = Serve::on(&db).start();
    let port = server.port;
    let limits = Limits::default();
    // One client sends its header a byte at a time; another sends a body a byte at a time
    // (each fast enough for the idle timeouts, never finishing within the shutdown bound).
    let trickle = |head: &'static [u8], tail: &'static [u8]| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(head).unwrap();
        std::thread::spawn(move || {
            for b in tail.iter().cycle().take(120) {
                if stream.write_all(&[*b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    let _slow_header = trickle(
        b"GET / HTTP/1.1\r\n",
        b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    let _slow_body = trickle(
        b"POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
        b"x",
    );
    std::thread::sleep(Duration::from_millis(1500));
    server.sigterm();
    let status = server.exited_within(limits.shutdown_grace + Duration::from_secs(5));
    assert!(status.success(), "serve stops cleanly: {status}");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_and_each_request_knows_its_client_address() {
    let site = Router::new().route(
        "/",
        get(|ConnectInfo(from): ConnectInfo<SocketAddr>| async move { from.to_string() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let limits = Limits {
        max_connections: 2,
        shutdown_grace: Duration::from_millis(300),
        ..Limits::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(plantrack::web::server::serve_with_shutdown(
        listener,
        site,
        limits,
        async move {
            let _ = stopped.await;
        },
    ));
    let ask = |stream: &mut TcpStream| -> Option<String> {
        stream
            .set_read_timeout(Some(Duration::from_millis(1500)))
            .unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .ok()?;
        let mut buf = [0u8; 1024];
        let n = stream.read(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    };
    let answers = tokio::task::spawn_blocking(move || {
        let mut first = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut second = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let a = ask(&mut first).expect("the first connection is served");
        assert!(a.ends_with(&first.local_addr().unwrap().to_string()), "{a}");
        ask(&mut second).expect("the second connection is served");
        let mut third = TcpStream::connect(("127.0.0.1", port)).unwrap();
        assert!(ask(&mut third).is_none(), "a third connection waits");
        drop(first);
        let c = ask(&mut third).expect("served once a connection closed");
        assert!(c.starts_with("HTTP/1.1 200"), "{c}");
    });
    answers.await.unwrap();
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("shutdown is bounded")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_request_over_its_budget_gets_the_styled_503() {
    use plantrack::web::timeout::{Budget, middleware};
    let budget = Budget {
        request: Duration::from_millis(200),
        upload_request: Duration::from_secs(60),
        body_idle: Duration::from_secs(10),
    };
    let site = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        )
        .route("/quick", get(|| async { "quick" }))
        .layer(axum::middleware::from_fn_with_state(budget, middleware));
    let started = Instant::now();
    let (status, headers, body) = fetch(&site, "/slow", &[]).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = scraper::Html::parse_document(&body);
    assert_eq!(
        crate::harness::texts(&html, "h1"),
        ["Request refused"],
        "{body}"
    );
    let (status, _, body) = fetch(&site, "/quick", &[]).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "quick"));
}
