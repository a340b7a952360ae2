//! Accounts, sessions and who may do what.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plantrack::domain::plan::Role;

use crate::harness::{Client, DEFAULT_PLAN, TestDb, get, send};

/// Every POST route, with fields that would pass validation.
fn post_routes(draft: i64) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        (format!("/plans/{DEFAULT_PLAN}/entry/2024"), vec![]),
        (
            format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity/revise/2024"),
            vec![
                ("value", "2.5".into()),
                ("source", "b".into()),
                ("token", "0-0".into()),
            ],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/publish-year"),
            vec![("year", "2023".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/{draft}/publish"),
            vec![("version", "1".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/{draft}/send-back"),
            vec![("version", "1".into()), ("comment", "why".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories/items/new"),
            vec![
                ("name_zh", "实验室".into()),
                ("name_en", "A laboratory".into()),
                ("kind", "laboratory".into()),
                ("status", "operating".into()),
                ("year", "2024".into()),
                ("source", "b".into()),
            ],
        ),
        (
            format!(
                "/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories/items/life-health-sciences/status"
            ),
            vec![
                ("status", "operating".into()),
                ("year", "2024".into()),
                ("note", "opened".into()),
                ("version", "0".into()),
            ],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/items/0/publish"),
            vec![("version", "1".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/items/0/send-back"),
            vec![("version", "1".into()), ("comment", "why".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/item-statuses/0/publish"),
            vec![("version", "1".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/item-statuses/0/send-back"),
            vec![("version", "1".into()), ("comment", "why".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/assessment/rd-intensity/edit"),
            vec![("commentary", "why".into()), ("token", "0-0".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/assessment/0/publish"),
            vec![("version", "1".into())],
        ),
        (
            format!("/plans/{DEFAULT_PLAN}/review/assessment/0/send-back"),
            vec![("version", "1".into()), ("comment", "why".into())],
        ),
        (
            "/admin/users".into(),
            vec![
                ("username", "newbie".into()),
                ("role", "analyst".into()),
                ("password", "a long enough one".into()),
            ],
        ),
        ("/admin/users/someone/disable".into(), vec![]),
        ("/admin/users/someone/enable".into(), vec![]),
        ("/logout".into(), vec![]),
    ]
}

/// Which roles each route admits: (anonymous, official, analyst, admin).
const ALLOWED: [(bool, bool, bool, bool); 18] = [
    (false, false, true, true),  // entry
    (false, true, true, true),   // revise (an official: the commentary only)
    (false, true, false, true),  // publish a year
    (false, true, false, true),  // publish one
    (false, true, false, true),  // send back
    (false, false, true, true),  // add an item
    (false, false, true, true),  // change an item's status
    (false, true, false, true),  // publish an item
    (false, true, false, true),  // send an item back
    (false, true, false, true),  // publish a status change
    (false, true, false, true),  // send a status change back
    (false, true, false, true),  // write assessment commentary
    (false, true, false, true),  // publish assessment commentary
    (false, true, false, true),  // send assessment commentary back
    (false, false, false, true), // add a user
    (false, false, false, true), // disable
    (false, false, false, true), // enable
    (true, true, true, true),    // sign out: harmless for anyone with the form's token
];

#[tokio::test]
async fn every_post_route_admits_exactly_the_roles_it_should() {
    for (i, role) in [
        None,
        Some(Role::Official),
        Some(Role::Analyst),
        Some(Role::Admin),
    ]
    .into_iter()
    .enumerate()
    {
        for ((route, fields), allowed) in post_routes(0).into_iter().zip(ALLOWED) {
            // A fresh database each time, so one allowed action cannot change the next.
            let db = TestDb::seeded().await;
            db.user("someone", Role::Analyst).await;
            let draft: i64 = sqlx::query_scalar(
                "insert into observation (indicator_id, year, kind, state, value, source, entered_by)
                 select indicator_id, 2023, 'actual', 'draft', 2.5, 'b', (select app_user_id from app_user where username = 'someone')
                 from indicator join plan using (plan_id) where is_default and code = 'rd-intensity'
                 returning observation_id",
            )
            .fetch_one(&db.pool)
            .await
            .unwrap();
            let route = route.replace("/review/0/", &format!("/review/{draft}/"));
            let mut client = match role {
                Some(role) => db.signed_in("tester", role).await,
                None => {
                    let mut c = Client::new(db.app());
                    c.get("/login").await;
                    c
                }
            };
            client.get("/").await;
            let fields: Vec<(&str, &str)> = route_fields(&fields);
            let page = client.post(&route, &fields).await;
            let allowed = [allowed.0, allowed.1, allowed.2, allowed.3][i];
            let who = format!("{route} as {role:?}");
            // An official is let into the revision form, which refuses a new value from them.
            let commentary_only = role == Some(Role::Official) && route.contains("/revise/");
            if allowed {
                assert!(
                    page.status.is_redirection()
                        || page.status == StatusCode::OK
                        || commentary_only && page.status == StatusCode::UNPROCESSABLE_ENTITY,
                    "{who}: expected to be let in, got {} {}",
                    page.status,
                    page.body.chars().take(300).collect::<String>()
                );
            } else if role.is_none() {
                assert!(
                    page.status == StatusCode::SEE_OTHER && page.location.starts_with("/login")
                        || page.status == StatusCode::FORBIDDEN,
                    "{who}: {} {}",
                    page.status,
                    page.location
                );
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
            }
        }
    }
}

fn route_fields<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst
        .get(&format!("/plans/{DEFAULT_PLAN}/entry/2024"))
        .await;
    let id: i64 = sqlx::query_scalar("select indicator_id from indicator join plan using (plan_id) where is_default and code = 'rd-intensity'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    for csrf in ["", "forged-token"] {
        let body = format!("value.i{id}=2.5&source.i{id}=b&token.i{id}=1-0&csrf={csrf}");
        let page = analyst
            .post_raw(&format!("/plans/{DEFAULT_PLAN}/entry/2024"), body)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "csrf {csrf:?}");
        assert!(page.text("h1").contains("expired"));
    }
    let drafts: i64 = sqlx::query_scalar("select count(*) from observation where state = 'draft'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(drafts, 0);
}

#[tokio::test]
async fn signing_in_renews_the_session_and_signing_out_ends_it() {
    let db = TestDb::seeded().await;
    let password = db.user("ana", Role::Analyst).await;
    let mut client = Client::new(db.app());
    let login = client.get("/login").await;
    assert_eq!(login.text("label[for=username]"), "User name");
    assert_eq!(login.text("label[for=password]"), "Password");
    let before = client
        .cookie
        .clone()
        .expect("the sign-in form starts a session for its CSRF token");
    let page = client.login("ana", &password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let cookie = page.set_cookie.join("; ");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "not over https here");
    let after = client.cookie.clone().unwrap();
    assert_ne!(before, after, "a new session id at sign-in");

    // The old id does not sign anyone in.
    let mut stale = Client::new(db.app());
    stale.cookie = Some(before);
    assert_eq!(stale.get("/audit").await.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/audit").await.status, StatusCode::OK);

    client.get("/").await;
    let out = client.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let mut replay = Client::new(db.app());
    replay.cookie = Some(after);
    assert_eq!(
        replay.get("/audit").await.status,
        StatusCode::SEE_OTHER,
        "the session is gone from the store"
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_site_is_served_over_https() {
    let db = TestDb::seeded().await;
    let config = plantrack::config::Config {
        public_url: Some("https://plans.example.org".into()),
        ..Default::default()
    };
    let app = plantrack::web::app(plantrack::web::AppState::new(db.pool.clone(), config));
    let page = get(&app, "/login").await;
    assert!(page.set_cookie.join(";").contains("Secure"));
}

#[tokio::test]
async fn anonymous_readers_are_sent_to_sign_in_and_brought_back() {
    let db = TestDb::seeded().await;
    let password = db.user("oli", Role::Official).await;
    let mut client = Client::new(db.app());
    let target = format!("/plans/{DEFAULT_PLAN}/review");
    let page = client.get(&target).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location,
        format!("/login?next=/plans/{DEFAULT_PLAN}/review")
    );
    let form = client.get(&page.location).await;
    assert_eq!(
        form.html()
            .select(&scraper::Selector::parse("input[name=next]").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("value"),
        Some(target.as_str())
    );
    let signed = client
        .post(
            "/login",
            &[
                ("username", "oli"),
                ("password", &password),
                ("next", &target),
            ],
        )
        .await;
    assert_eq!(signed.location, target);
    assert_eq!(client.get(&target).await.status, StatusCode::OK);
    // Never to another site.
    client.get("/login").await;
}

#[tokio::test]
async fn repeated_failed_sign_ins_pause_the_user_name_without_revealing_it_exists() {
    let db = TestDb::seeded().await;
    let password = db.user("ana", Role::Analyst).await;
    let mut client = Client::new(db.app());
    let unknown = client.login("nobody", "whatever-password").await;
    let wrong = client.login("ana", "wrong-password-1").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.text(".error-summary"),
        wrong.text(".error-summary"),
        "the same message either way"
    );
    assert_eq!(crate::harness::texts(&wrong.html(), "#username").len(), 1);
    for _ in 0..4 {
        assert_eq!(
            client.login("ana", "wrong-password-x").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let paused = client.login("ana", &password).await;
    assert_eq!(
        paused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(paused.text(".error-summary").contains("15 minutes"));
    // Another user name is not affected.
    let other = db.user("bo", Role::Analyst).await;
    assert_eq!(
        client.login("bo", &other).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_or_keep_its_session() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut admin = db.signed_in("adm", Role::Admin).await;
    let users = admin.get("/admin/users").await;
    assert!(users.text("#user-ana").contains("active"));
    let off = admin.post("/admin/users/ana/disable", &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(analyst.get("/audit").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        analyst.login("ana", "ana-long-password").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_admin_page_adds_users_and_refuses_bad_ones_at_their_field() {
    let db = TestDb::seeded().await;
    let mut admin = db.signed_in("adm", Role::Admin).await;
    admin.get("/admin/users").await;
    let bad = admin
        .post(
            "/admin/users",
            &[
                ("username", "Li Wei"),
                ("role", ""),
                ("password", "short"),
                ("display_name", "Li Wei"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#new-username-error").contains("user name"));
    assert!(bad.text("#new-role-error").contains("Choose a role"));
    assert!(bad.text("#new-password-error").contains("at least 10"));
    assert_eq!(
        bad.html()
            .select(&scraper::Selector::parse("#new-username").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("value"),
        Some("Li Wei")
    );
    let common = admin
        .post(
            "/admin/users",
            &[
                ("username", "liwei"),
                ("role", "analyst"),
                ("password", "password123"),
            ],
        )
        .await;
    assert!(common.text("#new-password-error").contains("too common"));
    let ok = admin
        .post(
            "/admin/users",
            &[
                ("username", "liwei"),
                ("role", "analyst"),
                ("password", "a good long passphrase"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let mut li = Client::new(db.app());
    assert_eq!(
        li.login("liwei", "a good long passphrase").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_request_body_over_one_mebibyte_is_refused_with_413() {
    let db = TestDb::seeded().await;
    let body = "x=".to_owned() + &"a".repeat(1 << 20);
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        send(&db.app(), req).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn the_user_commands_add_list_and_disable_accounts() {
    let db = TestDb::seeded().await;
    let run = |args: &[&str], stdin: &str| db.run(args, stdin);
    let (ok, out) = run(
        &[
            "user",
            "add",
            "Ana",
            "--role",
            "analyst",
            "--password-stdin",
        ],
        "a long passphrase\n",
    );
    assert!(ok, "{out}");
    let (ok, out) = run(
        &[
            "user",
            "add",
            "bo",
            "--role",
            "official",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!ok && out.contains("at least 10"), "{out}");
    let (ok, out) = run(
        &["user", "add", "ana", "--role", "admin", "--password-stdin"],
        "another long one\n",
    );
    assert!(!ok && out.contains("taken"), "{out}");
    let (ok, out) = run(&["user", "list"], "");
    assert!(ok && out.contains("ana\tanalyst\tactive"), "{out}");
    assert!(run(&["user", "disable", "ana"], "").0);
    assert!(
        run(&["user", "list"], "")
            .1
            .contains("ana\tanalyst\tdisabled")
    );
    let mut client = Client::new(db.app());
    assert_eq!(
        client.login("ana", "a long passphrase").await.status,
        StatusCode::UNAUTHORIZED
    );
}
