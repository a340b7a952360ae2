//! Signing in within a fixed budget: password checks bounded in number and memory, throttling
//! counted before the check (per user name, per client address), a pause no one can use to
//! keep an official out, bounded fields, no session before sign-in, and accounts whose
//! password can change and whose sessions end when disabled.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use plantrack::domain::plan::Role;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::harness::{Client, Http, Page, Serve, TestDb, form_body, get, send};

/// The sign-in form as a browser sees it: the cookies it sets (`name=value; …`) and the
/// token of its hidden field.
async fn sign_in_form(app: &Router) -> (String, String) {
    let page = get(app, "/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let cookies = page
        .set_cookie
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let token = page
        .html()
        .select(&scraper::Selector::parse("input[name=csrf]").unwrap())
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_owned))
        .expect("the form carries a token");
    (cookies, token)
}

/// Posts the sign-in form with `cookies`, as if from `from` when given.
async fn post_login(
    app: &Router,
    cookies: &str,
    token: &str,
    name: &str,
    password: &str,
    from: Option<SocketAddr>,
) -> Page {
    let body = form_body(&[
        ("username", name),
        ("password", password),
        ("next", "/"),
        ("csrf", token),
    ]);
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookies)
        .body(Body::from(body))
        .unwrap();
    if let Some(addr) = from {
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    send(app, req).await
}

/// The `name=value` pair of the cookie called `name` among a response's `Set-Cookie`s.
fn set_cookie(page: &Page, name: &str) -> Option<String> {
    page.set_cookie
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")) && !pair.ends_with('='))
}

async fn sessions(db: &TestDb) -> i64 {
    sqlx::query_scalar("select count(*) from session")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn forty_parallel_wrong_guesses_for_one_name_get_at_most_five_password_checks() {
    let db = TestDb::seeded().await;
    db.user("ana", Role::Analyst).await;
    let app = db.app();
    let (cookies, token) = sign_in_form(&app).await;
    // All at once, on one thread (the checks themselves run on the server's own workers).
    let local = tokio::task::LocalSet::new();
    let statuses = local
        .run_until(async {
            let guesses: Vec<_> = (0..40)
                .map(|i| {
                    let (app, cookies, token) = (app.clone(), cookies.clone(), token.clone());
                    tokio::task::spawn_local(async move {
                        let guess = format!("wrong guess {i}");
                        post_login(&app, &cookies, &token, "ana", &guess, None)
                            .await
                            .status
                    })
                })
                .collect();
            let mut statuses = Vec::new();
            for guess in guesses {
                statuses.push(guess.await.unwrap());
            }
            statuses
        })
        .await;
    let mut checked = 0;
    for status in statuses {
        match status {
            // A real password check that failed.
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        (1..=5).contains(&checked),
        "{checked} of 40 parallel guesses were checked"
    );
}

#[tokio::test]
async fn one_address_trying_many_names_is_slowed() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let (cookies, token) = sign_in_form(&app).await;
    let attacker: SocketAddr = "203.0.113.7:40000".parse().unwrap();
    let mut refused_at = None;
    for i in 0..40 {
        let page = post_login(
            &app,
            &cookies,
            &token,
            &format!("official{i}"),
            "Summer2026!",
            Some(attacker),
        )
        .await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(page.text(".error-summary").contains("network"));
            refused_at = Some(i);
            break;
        }
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        refused_at,
        Some(30),
        "the 31st failed attempt from one address is refused"
    );
    // Another port of the same address is the same client; another address is not held back.
    let same = post_login(
        &app,
        &cookies,
        &token,
        "someone",
        "x",
        Some("203.0.113.7:40001".parse().unwrap()),
    )
    .await;
    assert_eq!(same.status, StatusCode::TOO_MANY_REQUESTS);
    let other = post_login(
        &app,
        &cookies,
        &token,
        "someone",
        "x",
        Some("198.51.100.2:40000".parse().unwrap()),
    )
    .await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
    // Through a proxy on this machine, the address the proxy forwards is the client's.
    for (forwarded, expected) in [
        ("10.0.0.1, 203.0.113.7", StatusCode::TOO_MANY_REQUESTS),
        ("203.0.113.7, 198.51.100.9", StatusCode::UNAUTHORIZED),
    ] {
        let body = form_body(&[
            ("username", "someone"),
            ("password", "x"),
            ("next", "/"),
            ("csrf", &token),
        ]);
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookies)
            .header("x-forwarded-for", forwarded)
            .body(Body::from(body))
            .unwrap();
        req.extensions_mut().insert(ConnectInfo(
            "127.0.0.1:50000".parse::<SocketAddr>().unwrap(),
        ));
        assert_eq!(send(&app, req).await.status, expected, "{forwarded}");
    }
}

#[tokio::test]
async fn a_paused_name_still_signs_in_from_a_browser_that_signed_in_before() {
    let db = TestDb::seeded().await;
    let password = db.user("oli", Role::Official).await;
    let app = db.app();

    // The official's own browser signs in once and out again.
    let (cookies, token) = sign_in_form(&app).await;
    let first = post_login(&app, &cookies, &token, "oli", &password, None).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let device = set_cookie(&first, "plantrack_device").expect("the browser is remembered");
    assert!(
        first
            .set_cookie
            .iter()
            .any(|c| c.starts_with("plantrack_device=")
                && c.contains("HttpOnly")
                && c.contains("SameSite=Strict")),
        "{:?}",
        first.set_cookie
    );

    // Someone else makes the name pause with wrong guesses, for a known name and an unknown one
    // alike.
    let (theirs, their_token) = sign_in_form(&app).await;
    let mut messages = Vec::new();
    for name in ["oli", "nobody-at-all"] {
        for _ in 0..5 {
            let page = post_login(&app, &theirs, &their_token, name, "guess-guess", None).await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let paused = post_login(&app, &theirs, &their_token, name, &password, None).await;
        assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS, "{name}");
        let message = paused.text(".error-summary");
        assert!(message.contains("15 minutes"), "{message}");
        messages.push(message.replace(|c: char| c.is_ascii_digit(), ""));
    }
    assert_eq!(
        messages[0], messages[1],
        "the pause does not tell whether a name exists"
    );
    // As after many more failures: the pause has grown to its longest.
    sqlx::query(
        "update login_throttle set next_allowed = now() + interval '15 minutes',
             forget_at = now() + interval '30 minutes' where scope = 'name'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let still = post_login(&app, &theirs, &their_token, "oli", &password, None).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);

    // The official's browser is not held back by the pause.
    let (cookies, token) = sign_in_form(&app).await;
    let cookies = format!("{cookies}; {device}");
    let wrong = post_login(&app, &cookies, &token, "oli", "a typo in it", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    let again = post_login(&app, &cookies, &token, "oli", &password, None).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    // A remembered browser of someone else's name gets no pass.
    let (other, other_token) = sign_in_form(&app).await;
    let borrowed = post_login(
        &app,
        &format!("{other}; {device}"),
        &other_token,
        "nobody-at-all",
        "guess-guess",
        None,
    )
    .await;
    assert_eq!(borrowed.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_overlong_user_name_or_password_is_refused_at_its_field_with_422() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let (cookies, token) = sign_in_form(&app).await;
    let long_name = "a".repeat(9000);
    let page = post_login(&app, &cookies, &token, &long_name, "whatever it is", None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#username-error").contains("64"));
    assert_eq!(
        page.html()
            .select(&scraper::Selector::parse("#username").unwrap())
            .next()
            .and_then(|e| e.value().attr("aria-invalid")),
        Some("true")
    );
    let long_password = "p".repeat(5000);
    let page = post_login(&app, &cookies, &token, "ana", &long_password, None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#password-error").contains("1024"));
}

#[tokio::test]
async fn showing_the_sign_in_form_or_failing_to_sign_in_writes_no_session() {
    let db = TestDb::seeded().await;
    let password = db.user("ana", Role::Analyst).await;
    let app = db.app();
    for _ in 0..3 {
        get(&app, "/login").await;
    }
    assert_eq!(sessions(&db).await, 0);
    let (cookies, token) = sign_in_form(&app).await;
    let wrong = post_login(&app, &cookies, &token, "ana", "not the password", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sessions(&db).await, 0);
    // A form posted with another browser's token is refused.
    let (_, foreign) = sign_in_form(&app).await;
    let forged = post_login(&app, &cookies, &foreign, "ana", &password, None).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let ok = post_login(&app, &cookies, &token, "ana", &password, None).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(sessions(&db).await, 1, "the session starts at sign-in");
}

#[tokio::test]
async fn disabling_an_account_deletes_its_sessions_so_enabling_it_does_not_revive_them() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut admin = db.signed_in("adm", Role::Admin).await;
    assert_eq!(analyst.get("/audit").await.status, StatusCode::OK);
    admin.get("/admin/users").await;
    let off = admin.post("/admin/users/ana/disable", &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(sessions(&db).await, 1, "only the administrator's is left");
    admin.get("/admin/users").await;
    let on = admin.post("/admin/users/ana/enable", &[]).await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    assert_eq!(
        analyst.get("/audit").await.status,
        StatusCode::SEE_OTHER,
        "the old session stays ended"
    );
    assert_eq!(
        analyst.login("ana", "ana-long-password").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let db = TestDb::seeded().await;
    let mut here = db.signed_in("ana", Role::Analyst).await;
    let mut elsewhere = Client::new(db.app());
    assert_eq!(
        elsewhere.login("ana", "ana-long-password").await.status,
        StatusCode::SEE_OTHER
    );
    let home = here.get("/").await;
    assert_eq!(
        home.html()
            .select(&scraper::Selector::parse("li.who a").unwrap())
            .next()
            .and_then(|a| a.value().attr("href")),
        Some("/account/password"),
        "the account page is linked from the header"
    );
    let form = here.get("/account/password").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.text("label[for=current]"), "Current password");

    let new = "a fresh passphrase 2026";
    let wrong = here
        .post(
            "/account/password",
            &[("current", "not my password"), ("new", new), ("again", new)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text("#current-error")
            .contains("not your current password")
    );
    let differs = here
        .post(
            "/account/password",
            &[
                ("current", "ana-long-password"),
                ("new", new),
                ("again", "a fresh passphrase 2025"),
            ],
        )
        .await;
    assert_eq!(differs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(differs.text("#again-error").contains("differ"));
    let weak = here
        .post(
            "/account/password",
            &[
                ("current", "ana-long-password"),
                ("new", "short"),
                ("again", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text("#new-error").contains("at least 10"));

    let done = here
        .post(
            "/account/password",
            &[
                ("current", "ana-long-password"),
                ("new", new),
                ("again", new),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location, "/account/password?changed=1");
    let notice = here.get(&done.location).await;
    assert!(notice.text("#password-changed").contains("changed"));
    assert_eq!(here.get("/audit").await.status, StatusCode::OK);
    assert_eq!(
        elsewhere.get("/audit").await.status,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    let mut fresh = Client::new(db.app());
    assert_eq!(
        fresh.login("ana", "ana-long-password").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(fresh.login("ana", new).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_user_password_command_sets_a_new_password_and_ends_sessions() {
    let db = TestDb::seeded().await;
    let mut signed = db.signed_in("ana", Role::Analyst).await;
    let run = |args: &[&str], stdin: &str| db.run(args, stdin);
    let (ok, out) = run(&["user", "password", "ana", "--password-stdin"], "short\n");
    assert!(!ok && out.contains("at least 10"), "{out}");
    let (ok, out) = run(
        &["user", "password", "nobody", "--password-stdin"],
        "a long passphrase\n",
    );
    assert!(!ok && out.contains("no user nobody"), "{out}");
    assert_eq!(signed.get("/audit").await.status, StatusCode::OK);

    let (ok, out) = run(
        &["user", "password", "Ana", "--password-stdin"],
        "a brand new passphrase\n",
    );
    assert!(ok, "{out}");
    assert_eq!(
        signed.get("/audit").await.status,
        StatusCode::SEE_OTHER,
        "the session ended"
    );
    let mut client = Client::new(db.app());
    assert_eq!(
        client.login("ana", "ana-long-password").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client.login("ana", "a brand new passphrase").await.status,
        StatusCode::SEE_OTHER
    );
}

/// The high-water mark of a process's resident memory, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// Posts a form on a connection of its own as a proxy on this machine would, forwarding for
/// `from`; returns the status.
fn post_forwarded(port: u16, from: &str, cookie: &str, form: &str) -> u16 {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return 0;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let request = format!(
        "POST /login HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: {from}\r\n\
         Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return 0;
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn attr(body: &str, selector: &str, name: &str) -> String {
    scraper::Html::parse_document(body)
        .select(&scraper::Selector::parse(selector).unwrap())
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test]
async fn fifty_concurrent_sign_ins_keep_the_server_under_200_mb() {
    let db = TestDb::seeded().await;
    let server = Serve::on(&db).start();
    let (port, pid) = (server.port, server.pid());
    let before = peak_rss_kib(pid);

    let clients = 50;
    let start = std::sync::Arc::new(std::sync::Barrier::new(clients));
    let statuses = std::thread::scope(|s| {
        let threads: Vec<_> = (0..clients)
            .map(|n| {
                let start = start.clone();
                s.spawn(move || {
                    let mut conn = Http::connect(port).expect("the server accepts connections");
                    let form = conn.send("GET", "/login", None, None);
                    let cookie = form.cookie.expect("the sign-in form sets its cookie");
                    let token = attr(&form.body, "input[name=csrf]", "value");
                    let mut statuses = Vec::new();
                    start.wait();
                    // Each client keeps posting random names for a few seconds, all at once.
                    let until = Instant::now() + Duration::from_secs(4);
                    let mut round = 0;
                    while Instant::now() < until {
                        round += 1;
                        let login = form_body(&[
                            ("username", &format!("guess{n}x{round}")),
                            ("password", "Winter2026!"),
                            ("next", "/"),
                            ("csrf", &token),
                        ]);
                        // Each from an address of its own (through a proxy on this machine),
                        // so that no per-address limit spares the password checks.
                        let from = format!("10.{}.{}.{}", n, round / 250, round % 250 + 1);
                        statuses.push(post_forwarded(port, &from, &cookie, &login));
                    }
                    statuses
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect::<Vec<u16>>()
    });
    let peak = peak_rss_kib(pid);
    let checked = statuses.iter().filter(|s| **s == 401).count();
    eprintln!(
        "{} sign-in attempts, {checked} checked; peak RSS {} MiB (at start {} MiB)",
        statuses.len(),
        peak / 1024,
        before / 1024
    );
    assert!(
        checked >= 2,
        "some passwords were really checked: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "only refusals: {statuses:?}"
    );
    assert!(
        peak < 200 * 1024,
        "peak RSS {} MiB (from {} MiB) after {} attempts, {checked} checked",
        peak / 1024,
        before / 1024,
        statuses.len()
    );
    drop(server);
}
