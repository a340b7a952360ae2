//! Mail to the people who need to act, received by a real SMTP server on loopback: officials
//! hear once when an analyst submits a year's drafts, the analyst hears when an official sends
//! a figure back (with the comment) or publishes it; each mail in the recipient's language
//! (the one they signed in with) with a link to where they act. Without `--smtp-url` nothing is
//! sent and everything works; a mail server that is down costs no request anything.

use axum::Router;
use axum::http::StatusCode;
use plantrack::config::Config;
use plantrack::domain::plan::Role;
use plantrack::mail::{MailConfig, Mailer};
use plantrack::store::users;
use plantrack::web::{AppState, app};

use crate::harness::{
    Client, DEFAULT_PLAN, Http, Page, Serve, TestDb, form_body, form_fields, free_port,
    indicator_id, pairs, with_changes,
};
use crate::smtp::SmtpReceiver;

const PUBLIC: &str = "https://plans.example.org";

/// Every link of a mail's body, as the path the site answers (the part after [`PUBLIC`]).
fn links(body: &str) -> Vec<String> {
    body.split_whitespace()
        // A Chinese sentence sets no space before the link: `退回：https://…`.
        .filter_map(|w| w.find(PUBLIC).map(|at| &w[at + PUBLIC.len()..]))
        .map(str::to_owned)
        .collect()
}

/// Each link of `body` opens a page for the person it was sent to.
async fn follow_links(reader: &mut Client, body: &str) {
    let links = links(body);
    assert!(!links.is_empty(), "a mail with a link: {body}");
    for link in links {
        let page = reader.get(&link).await;
        assert_eq!(page.status, StatusCode::OK, "{link}");
    }
}
const COMMENT: &str = "Check the unit: the bulletin gives 2.45.\nPlease correct or explain.";

/// The site as `serve --smtp-url URL --public-url https://plans.example.org` runs it, with its
/// mail task.
fn mailing_app(db: &TestDb, smtp_url: &str) -> (Router, tokio::task::JoinHandle<()>) {
    let config = Config {
        public_url: Some(PUBLIC.into()),
        mail: Some(MailConfig {
            smtp: smtp_url.parse().unwrap(),
            from: "Plan office <plans@example.org>".parse().unwrap(),
        }),
        ..Config::default()
    };
    let (mailer, task) = Mailer::start(db.pool.clone(), &config).expect("mail is configured");
    let state = AppState::new(db.pool.clone(), config).with_mailer(mailer);
    (app(state), task)
}

/// A user with `role` and, if given, an e-mail address, signed in on `app` in `lang`.
async fn person(
    db: &TestDb,
    app: &Router,
    name: &str,
    role: Role,
    email: Option<&str>,
    lang: &str,
) -> Client {
    let password = db.user(name, role).await;
    let mut conn = db.pool.acquire().await.unwrap();
    assert!(users::set_email(&mut conn, name, email).await.unwrap());
    let mut client = Client::new(app.clone());
    client.get(&format!("/language?set={lang}&next=/")).await;
    let page = client.login(name, &password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{name}: {}", page.body);
    client
}

fn entry_uri() -> String {
    format!("/plans/{DEFAULT_PLAN}/entry/2025")
}

/// The analyst saves two 2025 figures in one go through the year's form.
/// Wang, an official who reads the site in Chinese, and Ana, an analyst who reads it in
/// English, both with an address.
async fn wang_and_ana(db: &TestDb, app: &Router) -> (Client, Client) {
    let wang = person(
        db,
        app,
        "wang",
        Role::Official,
        Some("wang@cq.example"),
        "zh",
    )
    .await;
    let ana = person(db, app, "ana", Role::Analyst, Some("ana@cq.example"), "en").await;
    (wang, ana)
}

async fn submit_two(db: &TestDb, analyst: &mut Client) -> Page {
    let rd = format!("i{}", indicator_id(&db.pool, "rd-intensity").await);
    let patents = format!("i{}", indicator_id(&db.pool, "high-value-patents").await);
    let form = analyst.get(&entry_uri()).await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.{rd}"), "2.6"),
            (&format!("source.{rd}"), "Municipal statistics bureau"),
            (&format!("value.{patents}"), "12.5"),
            (
                &format!("source.{patents}"),
                "Municipal intellectual property office",
            ),
        ],
    );
    let saved = analyst.post(&entry_uri(), &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=2", entry_uri()));
    saved
}

/// The 2025 draft of `code`: its id and version.
async fn draft(db: &TestDb, code: &str) -> (i64, i32) {
    sqlx::query_as(
        "select observation_id, version from observation
         where indicator_id = $1 and year = 2025 and state = 'draft'",
    )
    .bind(indicator_id(&db.pool, code).await)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

async fn send_back(official: &mut Client, db: &TestDb, code: &str, comment: &str) -> Page {
    let (id, version) = draft(db, code).await;
    official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    official
        .post(
            &format!("/plans/{DEFAULT_PLAN}/review/{id}/send-back"),
            &[("version", &version.to_string()), ("comment", comment)],
        )
        .await
}

async fn publish(official: &mut Client, db: &TestDb, code: &str) -> Page {
    let (id, version) = draft(db, code).await;
    official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    official
        .post(
            &format!("/plans/{DEFAULT_PLAN}/review/{id}/publish"),
            &[("version", &version.to_string())],
        )
        .await
}

#[tokio::test]
async fn officials_hear_of_a_submission_and_analysts_of_a_send_back_each_in_their_language() {
    let smtp = SmtpReceiver::start().await;
    let db = TestDb::seeded().await;
    let (app, mail_task) = mailing_app(&db, &smtp.url());
    // An official who reads the site in Chinese, one without an address, and an analyst who
    // reads it in English.
    let mut wang = person(
        &db,
        &app,
        "wang",
        Role::Official,
        Some("wang@cq.example"),
        "zh",
    )
    .await;
    let _zhou = person(&db, &app, "zhou", Role::Official, None, "zh").await;
    let mut ana = person(
        &db,
        &app,
        "ana",
        Role::Analyst,
        Some("ana@cq.example"),
        "en",
    )
    .await;

    // Two figures saved in one go: one mail, to the official with an address, in Chinese.
    submit_two(&db, &mut ana).await;
    let mails = smtp.wait_for(1).await;
    let submitted = &mails[0];
    assert_eq!(submitted.to, ["wang@cq.example"]);
    assert_eq!(submitted.from, "plans@example.org");
    assert_eq!(
        submitted.header("From"),
        "\"Plan office\" <plans@example.org>"
    );
    assert_eq!(submitted.header("Auto-Submitted"), "auto-generated");
    assert!(
        submitted.header("Message-ID").ends_with("@example.org>"),
        "{}",
        submitted.header("Message-ID")
    );
    assert_eq!(
        submitted.subject(),
        "重庆市科技创新“十四五”规划（2021—2025年）：2025年有2项数据待审核"
    );
    let body = submitted.body();
    assert!(body.contains("ana提交了"), "{body}");
    assert!(
        body.contains(&format!(
            "审核、发布或退回：{PUBLIC}/plans/{DEFAULT_PLAN}/review?year=2025"
        )),
        "{body}"
    );

    follow_links(&mut wang, &body).await;

    // The official sends one back: the analyst gets the comment, in English, with a link to
    // the year's form.
    let sent = send_back(&mut wang, &db, "rd-intensity", COMMENT).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let mails = smtp.wait_for(2).await;
    let returned = &mails[1];
    assert_eq!(returned.to, ["ana@cq.example"]);
    assert_eq!(
        returned.subject(),
        "Chongqing 14th Five-Year Plan for Science and Technology Innovation (2021–2025): \
         R&D expenditure as a share of regional GDP for 2025 was sent back"
    );
    let body = returned.body();
    assert!(
        body.contains(
            "wang sent back your figure for R&D expenditure as a share of regional GDP, 2025"
        ),
        "{body}"
    );
    assert!(
        body.contains("> Check the unit: the bulletin gives 2.45.\n> Please correct or explain."),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "Correct it in the year's form: {PUBLIC}/plans/{DEFAULT_PLAN}/entry/2025"
        )),
        "{body}"
    );
    follow_links(&mut ana, &body).await;

    // Publishing the other figure tells the analyst too, with its public page.
    let published = publish(&mut wang, &db, "high-value-patents").await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let mails = smtp.wait_for(3).await;
    let told = &mails[2];
    assert_eq!(told.to, ["ana@cq.example"]);
    assert!(
        told.subject().ends_with(": your figure was published"),
        "{}",
        told.subject()
    );
    assert!(
        told.body().contains(&format!(
            "- High-value invention patents per 10,000 population, 2025: \
             {PUBLIC}/plans/{DEFAULT_PLAN}/indicators/high-value-patents"
        )),
        "{}",
        told.body()
    );
    follow_links(&mut ana, &told.body()).await;

    // Nobody else was mailed: not the official without an address, not twice for two figures.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.mails().len(), 3, "{:#?}", smtp.mails());
    mail_task.abort();
}

#[tokio::test]
async fn publishing_a_year_mails_each_analyst_once_with_their_figures() {
    let smtp = SmtpReceiver::start().await;
    let db = TestDb::seeded().await;
    let (app, mail_task) = mailing_app(&db, &smtp.url());
    let mut oli = person(&db, &app, "oli", Role::Official, None, "en").await;
    let mut ana = person(
        &db,
        &app,
        "ana",
        Role::Analyst,
        Some("ana@cq.example"),
        "zh",
    )
    .await;
    submit_two(&db, &mut ana).await;

    oli.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    let published = oli
        .post(
            &format!("/plans/{DEFAULT_PLAN}/review/publish-year"),
            &[("year", "2025")],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(
        published.location.contains("published=2"),
        "{}",
        published.location
    );
    let mails = smtp.wait_for(1).await;
    let told = &mails[0];
    assert_eq!(told.to, ["ana@cq.example"]);
    assert_eq!(
        told.subject(),
        "重庆市科技创新“十四五”规划（2021—2025年）：您填报的2项数据已发布"
    );
    let body = told.body();
    for line in [
        format!(
            "- 全社会研发经费投入强度（2025年）：{PUBLIC}/plans/{DEFAULT_PLAN}/indicators/rd-intensity"
        ),
        format!(
            "- 每万人口高价值发明专利拥有量（2025年）：{PUBLIC}/plans/{DEFAULT_PLAN}/indicators/high-value-patents"
        ),
    ] {
        assert!(body.contains(&line), "{line} in {body}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.mails().len(), 1, "{:#?}", smtp.mails());
    mail_task.abort();
}

#[tokio::test]
async fn a_confirmed_upload_is_one_submission_naming_its_years() {
    let smtp = SmtpReceiver::start().await;
    let db = TestDb::seeded().await;
    let (app, mail_task) = mailing_app(&db, &smtp.url());
    let _oli = person(
        &db,
        &app,
        "oli",
        Role::Official,
        Some("oli@cq.example"),
        "en",
    )
    .await;
    let mut ana = person(&db, &app, "ana", Role::Analyst, None, "en").await;

    // The downloaded figures with two of them changed a little, in two years.
    ana.get(&format!("/plans/{DEFAULT_PLAN}/entry/upload"))
        .await;
    let original = ana
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.csv"))
        .await
        .text();
    let text = original
        .replace(
            ",2023,actual,2.45,%,published,",
            ",2023,actual,2.47,%,published,",
        )
        .replace(",2024,actual,974.24,", ",2024,actual,980.5,");
    assert_eq!(
        text.matches(",published,").count(),
        original.matches(",published,").count()
    );
    assert_ne!(text, original);
    let checked = ana
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            "figures.csv",
            text.as_bytes(),
        )
        .await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER, "{}", checked.body);
    // Nothing is mailed before the figures are saved.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(smtp.mails().is_empty());
    let saved = ana
        .post(&format!("{}/confirm", checked.location), &[])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location,
        format!("/plans/{DEFAULT_PLAN}/data?saved=2")
    );

    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0].to, ["oli@cq.example"]);
    assert!(
        mails[0]
            .subject()
            .ends_with(": 2 figures for 2023, 2024 await review"),
        "{}",
        mails[0].subject()
    );
    // More than one year: the whole queue.
    assert!(
        mails[0]
            .body()
            .contains(&format!("{PUBLIC}/plans/{DEFAULT_PLAN}/review\n")),
        "{}",
        mails[0].body()
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.mails().len(), 1);
    mail_task.abort();
}

#[tokio::test]
async fn without_a_mail_server_nothing_is_sent_and_the_work_goes_on() {
    let smtp = SmtpReceiver::start().await;
    let db = TestDb::seeded().await;
    let app = db.app();
    let (mut wang, mut ana) = wang_and_ana(&db, &app).await;

    submit_two(&db, &mut ana).await;
    let sent = send_back(&mut wang, &db, "rd-intensity", COMMENT).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let published = publish(&mut wang, &db, "high-value-patents").await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.connections(), 0);
    assert!(smtp.mails().is_empty());
}

#[tokio::test]
async fn a_mail_server_that_is_down_costs_the_analyst_nothing() {
    let db = TestDb::seeded().await;
    // Nothing listens there.
    let (app, mail_task) = mailing_app(&db, &format!("smtp://127.0.0.1:{}", free_port()));
    let (_wang, mut ana) = wang_and_ana(&db, &app).await;

    let started = std::time::Instant::now();
    submit_two(&db, &mut ana).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let (drafts,): (i64,) =
        sqlx::query_as("select count(*) from observation where state = 'draft' and year = 2025")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(drafts, 2);
    mail_task.abort();
}

#[tokio::test]
async fn serve_refuses_a_mail_server_address_it_cannot_use() {
    let db = TestDb::empty().await;
    for (url, says) in [
        (
            "smtps://mail.example.org",
            "smtps:// (TLS) is not supported",
        ),
        ("mail.example.org:25", "expected smtp://HOST[:PORT]"),
        (
            "smtp://user:secret@mail.example.org",
            "password is not supported",
        ),
    ] {
        let (ok, out) = db.run(&["serve", "--smtp-url", url], "");
        assert!(!ok, "{url}: {out}");
        assert!(out.contains("--smtp-url"), "{url}: {out}");
        assert!(out.contains(says), "{url}: {out}");
    }
    let (ok, out) = db.run(
        &[
            "serve",
            "--smtp-url",
            "smtp://127.0.0.1:25",
            "--mail-from",
            "not an address",
        ],
        "",
    );
    assert!(!ok, "{out}");
    assert!(out.contains("--mail-from"), "{out}");
}

#[tokio::test]
async fn user_add_records_the_address_and_refuses_a_malformed_one() {
    let db = TestDb::empty().await;
    let (ok, out) = db.run(
        &[
            "user",
            "add",
            "wang",
            "--role",
            "official",
            "--email",
            " wang@cq.example ",
            "--language",
            "zh",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(ok, "{out}");
    let (email, language): (Option<String>, Option<String>) =
        sqlx::query_as("select email, language from app_user where username = 'wang'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(email.as_deref(), Some("wang@cq.example"));
    assert_eq!(language.as_deref(), Some("zh"));

    let (ok, out) = db.run(
        &[
            "user",
            "add",
            "li",
            "--role",
            "analyst",
            "--email",
            "li at cq",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(!ok, "{out}");
    assert!(out.contains("--email: enter an e-mail address"), "{out}");
    let (users,): (i64,) = sqlx::query_as("select count(*) from app_user where username = 'li'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "nothing was added");
}

#[tokio::test]
async fn an_administrator_sets_an_address_and_a_malformed_one_comes_back_at_its_field() {
    let db = TestDb::seeded().await;
    db.user("ana", Role::Analyst).await;
    let mut admin = db.signed_in("root", Role::Admin).await;
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);

    let refused = admin
        .post("/admin/users/ana/email", &[("email", "ana at cq")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.attr("#email-ana", "value"), "ana at cq");
    assert_eq!(refused.attr("#email-ana", "aria-invalid"), "true");
    assert_eq!(
        refused.attr("#email-ana", "aria-describedby"),
        "email-ana-error"
    );
    assert!(
        refused
            .text("#email-ana-error")
            .contains("enter an e-mail address"),
        "{}",
        refused.text("#email-ana-error")
    );

    let saved = admin
        .post("/admin/users/ana/email", &[("email", " ana@cq.example ")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = admin.get("/admin/users").await;
    assert_eq!(page.attr("#email-ana", "value"), "ana@cq.example");

    // A new account with a malformed address keeps everything typed, the message at the field.
    let refused = admin
        .post(
            "/admin/users",
            &[
                ("username", "li"),
                ("display_name", "Li Wei"),
                ("role", "analyst"),
                ("email", "li@"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.attr("#new-email", "value"), "li@");
    assert_eq!(refused.attr("#new-username", "value"), "li");
    assert!(!refused.text("#new-email-error").is_empty());

    let added = admin
        .post(
            "/admin/users",
            &[
                ("username", "li"),
                ("role", "analyst"),
                ("email", "li@cq.example"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = admin.get("/admin/users").await;
    assert_eq!(page.attr("#email-li", "value"), "li@cq.example");
}

/// One request over a connection of its own to a `plantrack serve`: (status, Set-Cookie, body).
fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (u16, Option<String>, String) {
    let reply = Http::connect(port)
        .expect("serve listens")
        .send(method, path, cookie, form);
    (reply.status, reply.cookie, reply.body)
}

fn csrf(body: &str) -> String {
    let html = scraper::Html::parse_document(body);
    html.select(&scraper::Selector::parse("input[name=csrf]").unwrap())
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_with_plantrack_smtp_url_mails_and_sends_what_is_queued_before_it_stops() {
    // A mail server slow to answer: the mail is still on its way when serve is told to stop.
    let smtp = SmtpReceiver::slow(std::time::Duration::from_secs(1)).await;
    let db = TestDb::seeded().await;
    db.user("oli", Role::Official).await;
    let password = db.user("ana", Role::Analyst).await;
    let mut conn = db.pool.acquire().await.unwrap();
    users::set_email(&mut conn, "oli", Some("oli@cq.example"))
        .await
        .unwrap();
    drop(conn);
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let served = Serve::on(&db)
        .env("PLANTRACK_SMTP_URL", &smtp.url())
        .env("PLANTRACK_PUBLIC_URL", PUBLIC)
        .start();
    let port = served.port;

    let (_, cookie, body) = request(port, "GET", "/login", None, None);
    let cookie = cookie.expect("a sign-in cookie");
    let form = form_body(&[
        ("username", "ana"),
        ("password", &password),
        ("next", "/"),
        ("csrf", &csrf(&body)),
    ]);
    let (status, renewed, _) = request(port, "POST", "/login", Some(&cookie), Some(&form));
    assert_eq!(status, 303);
    let cookie = renewed.unwrap_or(cookie);
    let (_, _, page) = request(port, "GET", &entry_uri(), Some(&cookie), None);
    let html = scraper::Html::parse_document(&page);
    let token = html
        .select(&scraper::Selector::parse(&format!("input[name='token.i{rd}']")).unwrap())
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned();
    let fields = form_body(&[
        (&format!("value.i{rd}"), "2.6"),
        (&format!("source.i{rd}"), "Municipal statistics bureau"),
        (&format!("token.i{rd}"), &token),
        ("csrf", &csrf(&page)),
    ]);
    let (status, _, _) = request(port, "POST", &entry_uri(), Some(&cookie), Some(&fields));
    assert_eq!(status, 303);

    let status = served.terminate();
    assert!(status.success(), "serve exited with {status}");
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0].to, ["oli@cq.example"]);
    assert!(
        mails[0]
            .subject()
            .ends_with(": a figure for 2025 awaits review"),
        "{}",
        mails[0].subject()
    );
    assert!(
        mails[0]
            .body()
            .contains(&format!("{PUBLIC}/plans/{DEFAULT_PLAN}/review?year=2025")),
        "{}",
        mails[0].body()
    );
}
