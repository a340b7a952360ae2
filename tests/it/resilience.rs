//! Faults and hostile input: a database outage, backup and restore, shutdown, and requests
//! meant to break things. Nothing is lost and nothing answers with a 5xx it should not.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use plantrack::config::Config;
use plantrack::domain::plan::Role;
use plantrack::embedded_pg::{self, Cluster};
use plantrack::web::{AppState, app};
use sqlx::PgPool;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{Client, DEFAULT_PLAN, Serve, TestDb, get, seed, send};

/// Everything a request could change: definitions, figures, history, users.
async fn snapshot(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select concat_ws('|',
            (select count(*) from plan), (select count(*) from indicator),
            (select string_agg(row(observation_id, value, state, source, note, version)::text, ';' order by observation_id) from observation),
            (select count(*) from revision), (select count(*) from app_user),
            (select string_agg(row(app_user_id, disabled)::text, ';' order by app_user_id) from app_user))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("plantrack-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn a_database_outage_gives_clear_503s_keeps_what_was_typed_and_heals_by_itself() {
    // A cluster of this test's own, so stopping it troubles no other test.
    let dir = scratch_dir("outage");
    let options = embedded_pg::Options {
        durable: false,
        die_with_parent: true,
    };
    let cluster = Cluster::start(&dir, options).await.unwrap();
    plantrack::db::create_database_if_missing(&cluster, "plantrack")
        .await
        .unwrap();
    let url = cluster.url("plantrack");
    let pool = plantrack::db::pool_options().connect(&url).await.unwrap();
    plantrack::db::migrate(&pool).await.unwrap();
    plantrack::apply_seeds(&pool, &[seed(DEFAULT_PLAN)])
        .await
        .unwrap();
    let hash = plantrack::domain::account::hash_password("ana-long-password").unwrap();
    plantrack::store::users::create(
        &mut pool.acquire().await.unwrap(),
        "ana",
        "",
        Role::Analyst,
        &hash,
    )
    .await
    .unwrap();
    let state = AppState::new(pool.clone(), Config::default());
    let listener = plantrack::web::cache::spawn_listener(pool.clone(), state.cache.clone());
    let site = app(state.clone());
    let mut ana = Client::new(site.clone());
    assert_eq!(
        ana.login("ana", "ana-long-password").await.status,
        StatusCode::SEE_OTHER
    );
    let form = ana.get(&format!("/plans/{DEFAULT_PLAN}/entry/2024")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(get(&site, "/").await.status, StatusCode::OK);

    let overview = get(&site, "/").await.text("h1");

    cluster.stop().await.unwrap();
    let down = Instant::now();
    // The overview, read before the outage, keeps answering with its last published figures
    // throughout: before the listener notices from the cache, after it from the kept copy.
    while down.elapsed() < Duration::from_secs(3) {
        let started = Instant::now();
        let page = get(&site, "/").await;
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(page.status, StatusCode::OK, "the kept overview");
        assert_eq!(page.text("h1"), overview);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for uri in [
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
        "/api/v1/plans",
    ] {
        // Every page that was not kept says so, within the 2 s a connection is waited for.
        let started = Instant::now();
        let page = get(&site, uri).await;
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{uri} answered in {:?}",
            started.elapsed()
        );
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        if uri.starts_with("/api") {
            assert_eq!(page.json()["error"]["status"], 503);
        } else {
            assert_eq!(page.text("h1"), "Temporarily unavailable", "{uri}");
        }
    }
    assert_eq!(
        get(&site, "/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert!(down.elapsed() < Duration::from_secs(10));

    // The analyst's form, posted during the outage, comes back with every typed value.
    let id = "i1";
    let posted = ana
        .post(
            &format!("/plans/{DEFAULT_PLAN}/entry/2024"),
            &[
                (&format!("value.{id}"), "2.57"),
                (&format!("source.{id}"), "bulletin 2024"),
                (&format!("token.{id}"), "0-0"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(posted.text("h1").contains("Not saved yet"));
    let html = posted.html();
    let value = |name: &str| {
        html.select(&scraper::Selector::parse(&format!("input[name='{name}']")).unwrap())
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_owned))
    };
    assert_eq!(value(&format!("value.{id}")).as_deref(), Some("2.57"));
    assert_eq!(
        value(&format!("source.{id}")).as_deref(),
        Some("bulletin 2024")
    );
    assert!(
        value("csrf").is_some_and(|c| !c.is_empty()),
        "the token is kept for the retry"
    );

    // The database comes back: pages and sign-ins work again without a restart.
    let cluster = Cluster::start(&dir, options).await.unwrap();
    let back = Instant::now();
    loop {
        if get(&site, "/").await.status == StatusCode::OK
            && get(&site, "/healthz").await.status == StatusCode::OK
        {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "still unavailable 5 s after the database returned"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    listener.abort();
    pool.close().await;
    cluster.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

fn plantrack(data_dir: &Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("PLANTRACK_DATA_DIR", data_dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

async fn cluster_snapshot(dir: &Path) -> String {
    let cluster = Cluster::start(dir, embedded_pg::Options::default())
        .await
        .unwrap();
    let pool = PgPool::connect(&cluster.url("plantrack")).await.unwrap();
    let all = format!(
        "{}|{}",
        snapshot(&pool).await,
        sqlx::query_scalar::<_, String>(
            "select string_agg(row(revision_id, action, actor_label, before, after, reason)::text, ';' order by revision_id) from revision"
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    );
    pool.close().await;
    cluster.stop().await.unwrap();
    all
}

#[tokio::test]
async fn a_backup_restored_into_a_new_data_directory_holds_every_figure_and_history_row() {
    let (from, to) = (scratch_dir("backup-from"), scratch_dir("backup-to"));
    let file = scratch_dir("backup-file");
    std::fs::create_dir_all(&file).unwrap();
    let archive = file.join("plantrack.dump");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/");
    let (ok, out) = plantrack(
        &from,
        &[
            "seed",
            &format!("{seeds}chongqing-sti-2021-2025.toml"),
            &format!("{seeds}example-district-2021-2025.toml"),
        ],
    );
    assert!(ok, "{out}");
    let add_user = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args([
            "user",
            "add",
            "ana",
            "--role",
            "analyst",
            "--password-stdin",
        ])
        .env_remove("DATABASE_URL")
        .env("PLANTRACK_DATA_DIR", &from)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"a long passphrase\n")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(
        add_user.status.success(),
        "{}",
        String::from_utf8_lossy(&add_user.stderr)
    );

    let (ok, out) = plantrack(&from, &["backup", archive.to_str().unwrap()]);
    assert!(ok, "{out}");
    let (ok, out) = plantrack(&to, &["restore", archive.to_str().unwrap()]);
    assert!(ok, "{out}");
    let (original, restored) = (cluster_snapshot(&from).await, cluster_snapshot(&to).await);
    assert!(original.contains("2.43"), "the snapshot covers the figures");
    assert_eq!(
        restored, original,
        "every figure, history row and user came back"
    );

    // Restoring over existing data is refused rather than overwriting it.
    let (ok, out) = plantrack(&to, &["restore", archive.to_str().unwrap()]);
    assert!(!ok && out.contains("not empty"), "{out}");
    for dir in [from, to, file] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let db = TestDb::seeded().await;
    let req = Request::get("/").body(Body::empty()).unwrap();
    let response = tower::ServiceExt::oneshot(db.app(), req).await.unwrap();
    let h = response.headers();
    let csp = h
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "same-origin");
    assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    // No inline script anywhere the policy would have to allow.
    let page = get(&db.app(), "/").await;
    assert!(page.texts("script").is_empty() && !page.body.contains(" style=\""));
}

/// Requests meant to break the site: each gets a 4xx with a message, never a 5xx, and the
/// database is unchanged.
#[tokio::test]
async fn hostile_requests_get_4xx_and_change_nothing() {
    let db = TestDb::seeded().await;
    let password = db.user("ana", Role::Analyst).await;
    let mut ana = Client::new(db.app());
    ana.login("ana", &password).await;
    let entry = format!("/plans/{DEFAULT_PLAN}/entry/2024");
    ana.get(&entry).await;
    let csrf = ana.csrf.clone();
    let before = snapshot(&db.pool).await;
    let injection = "'; drop table observation; --";
    let script = "<script>alert(1)</script>";
    let long = "9".repeat(100_000);

    // Path segments: SQL and script injection, over-long, escapes from static/.
    for path in [
        format!("/plans/{}", urlencode(injection)),
        format!("/plans/{DEFAULT_PLAN}/indicators/{}", urlencode(script)),
        format!("/plans/{DEFAULT_PLAN}/indicators/{}", "x".repeat(5000)),
        format!("/plans/{DEFAULT_PLAN}/entry/99999999999"),
        format!("/plans/{DEFAULT_PLAN}/entry/-1"),
        "/static/../Cargo.toml".to_owned(),
        "/static/%2e%2e/Cargo.toml".to_owned(),
        "/static/%2e%2e%2fsrc%2fmain.rs".to_owned(),
        "/api/v1/plans/%00".to_owned(),
        format!("/audit?year={}", urlencode(injection)),
    ] {
        let page = ana.get(&path).await;
        assert!(page.status.is_client_error(), "{path}: {}", page.status);
    }
    // Path and query values that do not parse get the site's error page, never the
    // framework's plain-text rejection naming a Rust type.
    for path in [
        format!("/plans/{DEFAULT_PLAN}/entry/notayear"),
        format!("/plans/{DEFAULT_PLAN}/entry/{}", "9".repeat(40)),
        format!("/plans/{DEFAULT_PLAN}/data/uploads/not-a-number"),
        "/plans/%FF%FE/indicators/x".to_owned(),
    ] {
        let page = ana.get(&path).await;
        assert!(page.status.is_client_error(), "{path}: {}", page.status);
        assert!(
            !page.texts("main h1").is_empty()
                && !page.body.contains("Cannot parse")
                && !page.body.contains("Invalid URL"),
            "{path}: the error page, not {:?}",
            &page.body[..page.body.len().min(120)]
        );
    }
    // Sign-in fields beyond their bounds are refused at the field, not with a 500.
    let mut visitor = Client::new(db.app());
    let page = visitor.login(&"a".repeat(9_000), "whatever-password").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = visitor.login("ana", &"p".repeat(100_000)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Form fields: injection, scripts, huge numbers, malformed UTF-8, duplicates, missing fields.
    let rd = "i1";
    let bodies = [
        format!(
            "value.{rd}={}&source.{rd}=b&token.{rd}=0-0&csrf={csrf}",
            urlencode(injection)
        ),
        format!(
            "value.{rd}=2.5&source.{rd}={}&token.{rd}=0-0&csrf={csrf}",
            urlencode(&script.repeat(200))
        ),
        format!("value.{rd}={long}&source.{rd}=b&token.{rd}=0-0&csrf={csrf}"),
        format!("value.{rd}=1e309&source.{rd}=b&token.{rd}=0-0&csrf={csrf}"),
        format!("value.{rd}=%FF%FE&source.{rd}=b&token.{rd}=0-0&csrf={csrf}"),
        format!("value.{rd}=2.5&value.{rd}=2.6&source.{rd}=b&token.{rd}=0-0&csrf={csrf}"),
        format!("source.{rd}=only+a+source&csrf={csrf}"),
        format!("value.{rd}=2.5&source.{rd}=b&token.{rd}=0-0"),
        format!("value.{rd}=2.5&source.{rd}=b&token.{rd}=0-0&csrf=forged"),
        "%%%&&&===".to_owned(),
    ];
    for body in bodies {
        let page = ana.post_raw(&entry, body.clone()).await;
        assert!(
            page.status.is_client_error(),
            "{}: {}",
            &body[..body.len().min(80)],
            page.status
        );
        assert!(!page.body.is_empty(), "a message comes with the refusal");
    }

    // Wrong methods, someone else's or an expired session.
    for (method, path) in [
        (Method::PUT, "/login"),
        (Method::DELETE, "/"),
        (Method::PATCH, entry.as_str()),
    ] {
        let req = Request::builder()
            .method(method.clone())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            send(&db.app(), req).await.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
    }
    let mut stranger = Client::new(db.app());
    stranger.cookie = Some("plantrack_session=bm90LWEtcmVhbC1zZXNzaW9u".into());
    assert_eq!(stranger.get(&entry).await.status, StatusCode::SEE_OTHER);
    sqlx::query("update session set expires_at = now() - interval '1 minute'")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        ana.get(&entry).await.status,
        StatusCode::SEE_OTHER,
        "an expired session signs nobody in"
    );
    let page = ana
        .post_raw(
            &entry,
            format!("value.{rd}=2.5&source.{rd}=b&token.{rd}=0-0&csrf={csrf}"),
        )
        .await;
    assert!(
        page.status.is_client_error()
            || page.status == StatusCode::SEE_OTHER && page.location.starts_with("/login"),
        "{}",
        page.status
    );

    assert_eq!(
        snapshot(&db.pool).await,
        before,
        "the database is unchanged"
    );
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever is typed into the annual update form, the answer is a save, a refusal with
        /// the form kept, or a conflict: never a server error, and a refusal saves nothing.
        #[test]
        fn any_typed_form_gets_a_save_a_refusal_or_a_conflict(
            value in prop_oneof![
                any::<String>(),
                "[0-9０-９,.%％ -]{0,12}",
                (0u64..10_000_000).prop_map(|n| n.to_string()),
            ],
            source in any::<String>(),
            note in ".{0,40}",
            token in prop_oneof![Just("0-0".to_owned()), Just("1-0".to_owned()), any::<String>()],
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let db = TestDb::seeded().await;
                let password = db.user("ana", Role::Analyst).await;
                let mut ana = Client::new(db.app());
                ana.login("ana", &password).await;
                let entry = format!("/plans/{DEFAULT_PLAN}/entry/2024");
                ana.get(&entry).await;
                let before = snapshot(&db.pool).await;
                let page = ana.post(&entry, &[("value.i1", &value), ("source.i1", &source), ("note.i1", &note), ("token.i1", &token)]).await;
                prop_assert!(
                    [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY, StatusCode::CONFLICT].contains(&page.status),
                    "{value:?} {source:?}: {}", page.status
                );
                if page.status == StatusCode::UNPROCESSABLE_ENTITY {
                    prop_assert_eq!(snapshot(&db.pool).await, before);
                }
                Ok(())
            })?;
        }
    }
}

#[tokio::test]
async fn on_sigterm_a_save_in_flight_is_either_stored_or_reported_as_not_saved() {
    use std::io::{Read, Write};
    let db = TestDb::seeded().await;
    let password = db.user("ana", Role::Analyst).await;
    for delay_ms in [0u64, 1, 3, 10] {
        let mut served = Serve::on(&db).start();
        let port = served.port;
        // Sign in and read the form in-process (same database), then post to the process.
        let mut ana = Client::new(db.app());
        ana.login("ana", &password).await;
        let form = ana.get(&format!("/plans/{DEFAULT_PLAN}/entry/2024")).await;
        let token = form
            .html()
            .select(&scraper::Selector::parse("input[name='token.i1']").unwrap())
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_owned))
            .unwrap();
        let value = format!("2.{}", 11 + delay_ms);
        let typed: rust_decimal::Decimal = value.parse().unwrap();
        let body = crate::harness::form_body(&[
            ("value.i1", &value),
            ("source.i1", "bulletin"),
            ("token.i1", &token),
            ("csrf", &ana.csrf),
        ]);
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "POST /plans/{DEFAULT_PLAN}/entry/2024 HTTP/1.0\r\nHost: localhost\r\nCookie: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            ana.cookie.as_deref().unwrap(),
            body.len()
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        served.sigterm();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        let status = served.child.wait().unwrap();
        assert!(status.success(), "serve stops cleanly on SIGTERM");
        let stored: Option<rust_decimal::Decimal> = sqlx::query_scalar(
            "select value from observation where indicator_id = 1 and year = 2024 and state = 'draft'",
        )
        .fetch_optional(&db.pool)
        .await
        .unwrap();
        if answer.starts_with("HTTP/1.0 303") || answer.starts_with("HTTP/1.1 303") {
            assert_eq!(stored, Some(typed), "reported saved, so stored");
        } else {
            assert_ne!(
                stored,
                Some(typed),
                "not reported saved, so not stored: {answer:.60}"
            );
        }
    }
}
