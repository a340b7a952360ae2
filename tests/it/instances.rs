//! Two plantrack processes on one database: a figure published through one shows on the
//! other within a second, and neither serves an older page after that.

use plantrack::domain::plan::Role;
use scraper::{Html, Selector};
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::harness::{Client, DEFAULT_PLAN, EXAMPLE_PLAN, Http, Serve, TestDb, form_body, get};

/// One request on a connection of its own: (status, Set-Cookie pair, body); status 0 when
/// nothing listens yet.
fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (u16, Option<String>, String) {
    match Http::connect(port) {
        Some(mut conn) => {
            let reply = conn.send(method, path, cookie, form);
            (reply.status, reply.cookie, reply.body)
        }
        None => (0, None, String::new()),
    }
}

fn input(body: &str, selector: &str) -> String {
    let html = Html::parse_document(body);
    html.select(&Selector::parse(selector).unwrap())
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

/// Signs in on `port`; returns the session cookie.
fn sign_in(port: u16, name: &str, password: &str) -> String {
    let (_, cookie, body) = request(port, "GET", "/login", None, None);
    let cookie = cookie.expect("the sign-in form sets a session cookie");
    let form = form_body(&[
        ("username", name),
        ("password", password),
        ("next", "/"),
        ("csrf", &input(&body, "input[name=csrf]")),
    ]);
    let (status, renewed, _) = request(port, "POST", "/login", Some(&cookie), Some(&form));
    assert_eq!(status, 303, "signing in as {name}");
    renewed.unwrap_or(cookie)
}

#[tokio::test]
async fn a_figure_published_through_one_instance_shows_on_the_other_within_a_second() {
    let db = TestDb::seeded().await;
    let analyst = db.user("ana", Role::Analyst).await;
    let official = db.user("oli", Role::Official).await;
    let rd: i64 = sqlx::query_scalar("select indicator_id from indicator join plan using (plan_id) where is_default and code = 'rd-intensity'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (a, b) = (Serve::on(&db).start(), Serve::on(&db).start());
    let page = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    // Both instances keep the page in memory before the change.
    for port in [a.port, b.port] {
        for _ in 0..3 {
            let (status, _, body) = request(port, "GET", &page, None, None);
            assert_eq!(status, 200);
            assert!(!body.contains("2.57"));
        }
    }

    // Through instance A: the analyst saves a draft, the official publishes it.
    let cookie = sign_in(a.port, "ana", &analyst);
    let (_, _, form) = request(
        a.port,
        "GET",
        &format!("/plans/{DEFAULT_PLAN}/entry/2024"),
        Some(&cookie),
        None,
    );
    let fields = form_body(&[
        (&format!("value.i{rd}"), "2.57"),
        (&format!("source.i{rd}"), "bulletin"),
        (
            &format!("token.i{rd}"),
            &input(&form, &format!("input[name='token.i{rd}']")),
        ),
        ("csrf", &input(&form, "input[name=csrf]")),
    ]);
    let (status, _, _) = request(
        a.port,
        "POST",
        &format!("/plans/{DEFAULT_PLAN}/entry/2024"),
        Some(&cookie),
        Some(&fields),
    );
    assert_eq!(status, 303);
    let cookie = sign_in(a.port, "oli", &official);
    let (_, _, review) = request(
        a.port,
        "GET",
        &format!("/plans/{DEFAULT_PLAN}/review"),
        Some(&cookie),
        None,
    );
    let publish = form_body(&[
        ("year", "2024"),
        ("csrf", &input(&review, "input[name=csrf]")),
    ]);
    let (status, _, _) = request(
        a.port,
        "POST",
        &format!("/plans/{DEFAULT_PLAN}/review/publish-year"),
        Some(&cookie),
        Some(&publish),
    );
    assert_eq!(status, 303);
    let published = Instant::now();

    // Instance B shows it within a second, and from then on neither shows an older page.
    loop {
        let (_, _, body) = request(b.port, "GET", &page, None, None);
        if body.contains("<td class=\"num actual\">2.57") {
            break;
        }
        assert!(
            published.elapsed() < Duration::from_secs(1),
            "instance B still serves the old page"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for _ in 0..20 {
        for port in [a.port, b.port] {
            let (_, _, body) = request(port, "GET", &page, None, None);
            assert!(
                body.contains("<td class=\"num actual\">2.57"),
                "an instance served a page older than the publication"
            );
        }
    }
}

/// Sets the published 2023 figure of `rd-intensity` in `plan`, as the site's own writes do
/// (the database notifies the instances), or behind the site's back (`notify` false: triggers
/// off for this connection, so only a page rendered afresh can show it).
async fn set_rd_2023(db: &TestDb, plan: &str, value: &str, notify: bool) {
    let mut conn = db.pool.acquire().await.unwrap();
    if !notify {
        sqlx::query("set session_replication_role = replica")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let updated = sqlx::query(
        "update observation set value = $1::numeric
         where year = 2023 and kind = 'actual' and state = 'published'
           and indicator_id = (select indicator_id from indicator join plan using (plan_id)
                               where slug = $2 and code = 'rd-intensity')",
    )
    .bind(value)
    .bind(plan)
    .execute(&mut *conn)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(updated, 1);
    if !notify {
        sqlx::query("reset session_replication_role")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_change_to_one_plan_leaves_another_plans_kept_pages_kept_on_both_instances() {
    let db = TestDb::seeded().await;
    // A next plan whose first indicator continues the default plan's: its page shows the
    // default plan's series, so it is linked to that plan.
    let mut next = crate::harness::seed(EXAMPLE_PLAN);
    next.plan.slug = "example-district-2026-2030".into();
    next.plan.default = false;
    next.indicators[0].predecessor = Some(format!("{DEFAULT_PLAN}/rd-intensity"));
    let continued = format!(
        "/plans/example-district-2026-2030/indicators/{}",
        next.indicators[0].code
    );
    plantrack::apply_seeds(&db.pool, &[next]).await.unwrap();
    let password = db.user("oli", Role::Official).await;
    let config = plantrack::config::Config::default;
    let (one, l1) = db.with_live_cache(config()).await;
    let (two, l2) = db.with_live_cache(config()).await;
    let instances = [
        (one.cache.clone(), plantrack::web::app(one)),
        (two.cache.clone(), plantrack::web::app(two)),
    ];
    // An official reads the same pages on both instances (one session): signed-in readers'
    // pages are kept per role (`PageCache::frame_kept`) and dropped by the same changes.
    let mut oli = Client::new(instances[0].1.clone());
    oli.login("oli", &password).await;
    let mut on_two = Client::new(instances[1].1.clone());
    on_two.cookie = oli.cookie.clone();
    let mut signed_in = [oli, on_two];
    let changed = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    let other = format!("/plans/{EXAMPLE_PLAN}/indicators/rd-intensity");
    let other_overview = format!("/plans/{EXAMPLE_PLAN}");
    for ((cache, app), oli) in instances.iter().zip(&mut signed_in) {
        for page in [
            &changed,
            &other,
            &other_overview,
            &continued,
            &"/plans".to_owned(),
            &"/".to_owned(),
        ] {
            assert_eq!(get(app, page).await.status, StatusCode::OK);
            assert!(cache.contains(&format!("en {page}")), "{page} is kept");
            let seen = oli.get(page).await;
            assert_eq!(seen.texts("li.who a"), ["oli"], "{page} signed in");
            assert!(cache.frame_kept(page), "{page} is kept signed in");
        }
        assert!(get(app, &other).await.body.contains("2.21%"));
        assert!(oli.get(&other).await.body.contains("2.21%"));
    }

    // The other plan's figure changes unannounced: a kept page still shows the old one.
    set_rd_2023(&db, EXAMPLE_PLAN, "2.99", false).await;
    // The default plan's figure changes as publishing does: both instances hear it.
    set_rd_2023(&db, DEFAULT_PLAN, "2.46", true).await;
    for ((cache, app), oli) in instances.iter().zip(&mut signed_in) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while cache.contains(&format!("en {changed}")) || cache.frame_kept(&changed) {
            assert!(Instant::now() < deadline, "the change is heard");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(get(app, &changed).await.body.contains("2.46%"));
        assert!(oli.get(&changed).await.body.contains("2.46%"));
        // The home page shows the default plan, and the linked plan shows the changed plan's
        // series: both dropped too. The list of plans shows only their titles: kept.
        assert!(!cache.contains("en /"));
        assert!(!cache.contains(&format!("en {continued}")));
        assert!(cache.contains("en /plans"));
        assert!(!cache.frame_kept("/"));
        assert!(!cache.frame_kept(&continued));
        assert!(cache.frame_kept("/plans"));
        // The other plan's pages stay kept: still the bytes from before.
        assert!(cache.contains(&format!("en {other}")));
        assert!(cache.contains(&format!("en {other_overview}")));
        assert!(cache.frame_kept(&other));
        assert!(cache.frame_kept(&other_overview));
        let page = get(app, &other).await.body;
        assert!(page.contains("2.21%") && !page.contains("2.99%"));
        let page = oli.get(&other).await.body;
        assert!(page.contains("2.21%") && !page.contains("2.99%"));
    }

    // A change to that plan itself is heard, and its pages show the new figure.
    set_rd_2023(&db, EXAMPLE_PLAN, "2.98", true).await;
    for ((cache, app), oli) in instances.iter().zip(&mut signed_in) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while cache.contains(&format!("en {other}")) || cache.frame_kept(&other) {
            assert!(Instant::now() < deadline, "the change is heard");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(get(app, &other).await.body.contains("2.98%"));
        assert!(oli.get(&other).await.body.contains("2.98%"));
        // Neither the home page (the default plan's) nor the list of plans is dropped by it.
        assert_eq!(get(app, "/").await.status, StatusCode::OK);
    }
    set_rd_2023(&db, EXAMPLE_PLAN, "2.97", true).await;
    for (cache, _) in &instances {
        let deadline = Instant::now() + Duration::from_secs(5);
        while cache.contains(&format!("en {other}")) {
            assert!(Instant::now() < deadline, "the change is heard");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(cache.contains("en /"), "the home page is kept");
        assert!(cache.contains("en /plans"), "the list of plans is kept");
    }
    l1.abort();
    l2.abort();
}
