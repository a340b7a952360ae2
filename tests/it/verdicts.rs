//! Officials' verdicts on targets in words (GDP growth "保持在合理区间"): one official records a
//! verdict for a year with its reason, another publishes it from the review page or sends it
//! back; until one is published the indicator awaits judgement, and then the verdict is its
//! status for that year on, everywhere.

use axum::http::StatusCode;
use plantrack::domain::plan::Role;
use scraper::Selector;
use serde_json::Value;

use crate::harness::{Client, Page, TestDb, get, seed};

const CHINA_PLAN: &str = "china-outline-2021-2025";
const TEXT_INDICATOR: &str = "gdp-growth";
const REASON: &str =
    "Growth of 5.2 % in 2023 was within the range the government work report set (about 5 %).";

/// A copy of the shipped plans with the national outline added.
async fn with_china_plan() -> TestDb {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    db
}

fn verdict_uri(code: &str) -> String {
    format!("/plans/{CHINA_PLAN}/indicators/{code}/verdict")
}

fn indicator_uri(code: &str) -> String {
    format!("/plans/{CHINA_PLAN}/indicators/{code}")
}

fn review_uri() -> String {
    format!("/plans/{CHINA_PLAN}/review")
}

/// Opens the verdict form of `code` (for its token) and posts `fields`.
async fn record(client: &mut Client, code: &str, fields: &[(&str, &str)]) -> Page {
    let form = client.get(&verdict_uri(code)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    client.post(&verdict_uri(code), fields).await
}

/// Records a verdict that the form accepts, and checks where it leads.
async fn record_ok(client: &mut Client, year: &str, status: &str, reason: &str) {
    let saved = record(
        client,
        TEXT_INDICATOR,
        &[("year", year), ("status", status), ("reason", reason)],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location,
        format!(
            "{}?verdict_saved=1#verdicts-h",
            indicator_uri(TEXT_INDICATOR)
        )
    );
}

/// The headline status the public API gives gdp-growth (the list, `query` e.g. `?as_of=2023`).
async fn api_status(db: &TestDb, query: &str) -> String {
    let page = get(
        &db.app(),
        &format!("/api/v1/plans/{CHINA_PLAN}/indicators{query}"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    let list = page.json();
    let gdp = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == TEXT_INDICATOR)
        .unwrap_or_else(|| panic!("no {TEXT_INDICATOR} in {list}"))
        .clone();
    assert_eq!(
        gdp["status"], gdp["assessment"]["status"],
        "{query}: the headline is the time-progress status: {gdp}"
    );
    gdp["status"].as_str().unwrap_or_default().to_owned()
}

/// The status the public overview shows in gdp-growth's row.
async fn overview_status(db: &TestDb, query: &str) -> String {
    let page = get(&db.app(), &format!("/plans/{CHINA_PLAN}{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    let row = format!("tr#indicator-{TEXT_INDICATOR}");
    let class = page.attr(&format!("{row} td.status-cell span.status"), "class");
    assert!(
        class.contains(&format!("status-{}", page.attr(&row, "data-status"))),
        "{class}"
    );
    page.attr(&row, "data-status")
}

/// The verdicts a page lists: (year, draft?, text of the row).
fn verdict_rows(page: &Page) -> Vec<(String, bool, String)> {
    let html = page.html();
    html.select(&Selector::parse("section.verdicts table.verdicts tr.verdict-row").unwrap())
        .map(|tr| {
            let v = tr.value();
            (
                v.attr("data-year").unwrap_or_default().to_owned(),
                v.classes().any(|c| c == "draft"),
                tr.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect()
}

/// The first verdict stored: its id, version and state.
async fn the_verdict(db: &TestDb) -> (i64, i32, String) {
    sqlx::query_as(
        "select target_verdict_id, version, state from target_verdict order by target_verdict_id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// The action and version of the first form matching `selector` on the page.
fn form_target(page: &Page, selector: &str) -> Option<(String, String)> {
    let html = page.html();
    let form = html.select(&Selector::parse(selector).unwrap()).next()?;
    let version = form
        .select(&Selector::parse("input[name=version]").unwrap())
        .next()?;
    Some((
        form.value().attr("action")?.to_owned(),
        version.value().attr("value")?.to_owned(),
    ))
}

#[tokio::test]
async fn a_verdict_drafted_by_one_official_and_published_by_another_becomes_the_status() {
    let db = with_china_plan().await;
    let mut oli = db.signed_in("oli", Role::Official).await;
    let mut pat = db.signed_in("pat", Role::Official).await;

    // Before: the target in words awaits judgement, and officials are offered to record one.
    assert_eq!(api_status(&db, "").await, "awaiting_judgement");
    let page = oli.get(&indicator_uri(TEXT_INDICATOR)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attr("section.verdicts a[href$='/verdict']", "href"),
        verdict_uri(TEXT_INDICATOR)
    );
    let form = oli.get(&verdict_uri(TEXT_INDICATOR)).await;
    let statuses: Vec<String> = form
        .html()
        .select(&Selector::parse("select#status option").unwrap())
        .filter_map(|o| o.value().attr("value").filter(|v| !v.is_empty()))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        statuses,
        [
            "achieved_early",
            "ahead",
            "on_schedule",
            "lagging",
            "achieved",
            "not_achieved"
        ]
    );

    record_ok(&mut oli, "2023", "on_schedule", REASON).await;
    let (id, version, state) = the_verdict(&db).await;
    assert_eq!(state, "draft");

    // The author sees the draft, marked, with the notice that it was saved.
    let page = oli
        .get(&format!(
            "{}?verdict_saved=1",
            indicator_uri(TEXT_INDICATOR)
        ))
        .await;
    assert!(page.text("section.verdicts p.notice").contains("draft"));
    let rows = verdict_rows(&page);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0].0.as_str(), rows[0].1), ("2023", true), "{rows:?}");
    assert!(rows[0].2.contains(REASON), "{rows:?}");

    // A draft counts for nothing in public.
    for query in ["", "?as_of=2023"] {
        assert_eq!(
            api_status(&db, query).await,
            "awaiting_judgement",
            "{query}"
        );
        assert_eq!(
            overview_status(&db, query).await,
            "awaiting_judgement",
            "{query}"
        );
    }
    let public = get(&db.app(), &indicator_uri(TEXT_INDICATOR)).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        verdict_rows(&public).is_empty(),
        "{:?}",
        verdict_rows(&public)
    );
    assert!(!public.body.contains(REASON));

    // The other official is told a draft waits in the plan; its author is not.
    let overview = format!("/plans/{CHINA_PLAN}");
    assert_eq!(
        pat.get(&overview).await.text("#nav-waiting"),
        "(1 draft waiting)"
    );
    assert!(oli.get(&overview).await.texts("#nav-waiting").is_empty());

    // Its author cannot publish it: no button, and a forced post changes nothing.
    let review = oli.get(&review_uri()).await;
    assert_eq!(review.status, StatusCode::OK);
    let row = format!("#review-verdicts tr#verdict-{id}");
    assert!(
        review
            .text(&format!("{row} p.own"))
            .contains("another official must publish it")
    );
    assert!(
        form_target(&review, &format!("{row} form[action$='/publish']")).is_none(),
        "the author is offered to publish"
    );
    let forced = oli
        .post(
            &format!("/plans/{CHINA_PLAN}/review/verdicts/{id}/publish"),
            &[("version", &version.to_string())],
        )
        .await;
    assert_eq!(forced.status, StatusCode::SEE_OTHER, "{}", forced.body);
    assert!(forced.location.ends_with("own=1"), "{}", forced.location);
    assert_eq!(the_verdict(&db).await.2, "draft");
    assert_eq!(api_status(&db, "").await, "awaiting_judgement");

    // Another official sees it on the review page, with the verdict and the reason, and
    // publishes it.
    let review = pat.get(&review_uri()).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review
            .text("#review-verdicts h2")
            .starts_with("Verdicts on targets in words"),
        "{}",
        review.text("#review-verdicts h2")
    );
    let detail = review.text(&format!("{row} .draft-detail"));
    assert!(
        detail.contains("On schedule") && detail.contains(REASON),
        "{detail}"
    );
    assert!(review.text(&format!("{row} th")).contains("2023"));
    let (action, shown_version) =
        form_target(&review, &format!("{row} form[action$='/publish']")).expect("a publish form");
    assert_eq!(
        action,
        format!("/plans/{CHINA_PLAN}/review/verdicts/{id}/publish")
    );
    let published = pat.post(&action, &[("version", &shown_version)]).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(
        published.location.contains("verdict_published=1"),
        "{}",
        published.location
    );
    assert_eq!(the_verdict(&db).await.2, "published");
    let review = pat.get(&review_uri()).await;
    assert!(
        review.texts("#review-verdicts").is_empty(),
        "nothing left to review"
    );
    assert!(pat.get(&overview).await.texts("#nav-waiting").is_empty());

    // Now it is the indicator's status from 2023 on, not before.
    assert_eq!(api_status(&db, "").await, "on_schedule");
    assert_eq!(api_status(&db, "?as_of=2023").await, "on_schedule");
    assert_eq!(api_status(&db, "?as_of=2022").await, "awaiting_judgement");
    assert_eq!(overview_status(&db, "").await, "on_schedule");
    assert_eq!(overview_status(&db, "?as_of=2023").await, "on_schedule");
    assert_eq!(
        overview_status(&db, "?as_of=2022").await,
        "awaiting_judgement"
    );
    let one: Value = get(
        &db.app(),
        &format!("/api/v1/plans/{CHINA_PLAN}/indicators/{TEXT_INDICATOR}"),
    )
    .await
    .json();
    assert_eq!(one["status"], "on_schedule", "{one}");

    // The public indicator page lists the verdict with its reason and who published it.
    let public = get(&db.app(), &indicator_uri(TEXT_INDICATOR)).await;
    let rows = verdict_rows(&public);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0].0.as_str(), rows[0].1), ("2023", false), "{rows:?}");
    assert!(
        rows[0].2.contains(REASON) && rows[0].2.contains("On schedule"),
        "{rows:?}"
    );
    assert!(rows[0].2.contains("published by pat"), "{rows:?}");
    assert!(
        public.text("section.verdict .big").contains("On schedule"),
        "{}",
        public.text("section.verdict .big")
    );

    // Both steps are in the history.
    let history: Vec<HistoryRow> = sqlx::query_as(
        "select action, actor_label, year, (after ->> 'status'), (after ->> 'state')
             from revision where entity = 'verdict' order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let actions: Vec<(&str, &str, Option<i32>)> = history
        .iter()
        .map(|(a, who, y, ..)| (a.as_str(), who.as_str(), *y))
        .collect();
    assert_eq!(
        actions,
        [
            ("create", "oli", Some(2023)),
            ("publish", "pat", Some(2023))
        ],
        "{history:?}"
    );
    assert_eq!(history[0].3.as_deref(), Some("on_schedule"), "{history:?}");
}

#[tokio::test]
async fn a_verdict_without_a_reason_or_a_status_is_refused_at_its_fields() {
    let db = with_china_plan().await;
    let mut oli = db.signed_in("oli", Role::Official).await;

    let refused = record(
        &mut oli,
        TEXT_INDICATOR,
        &[("year", "2023"), ("status", ""), ("reason", "   ")],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.text("#status-error"), "⚠ Choose a verdict.");
    assert_eq!(
        refused.text("#reason-error"),
        "⚠ Give the reason for the verdict."
    );
    assert!(refused.texts("#year-error").is_empty(), "the year was fine");
    // Each message is tied to its field.
    assert_eq!(refused.attr("select#status", "aria-invalid"), "true");
    assert_eq!(
        refused.attr("select#status", "aria-describedby"),
        "status-error"
    );
    assert!(
        refused
            .attr("textarea#reason", "aria-describedby")
            .contains("reason-error")
    );
    // The year typed is kept.
    assert_eq!(
        refused.attr("select#year option[selected]", "value"),
        "2023"
    );

    // A year outside the plan, and a status that is not a verdict, are refused too.
    let refused = record(
        &mut oli,
        TEXT_INDICATOR,
        &[
            ("year", "2019"),
            ("status", "awaiting_judgement"),
            ("reason", REASON),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#year-error").contains("Choose a year"));
    assert_eq!(refused.text("#status-error"), "⚠ Choose a verdict.");
    assert_eq!(
        refused.text("textarea#reason"),
        REASON,
        "the reason is kept"
    );

    let (verdicts, history): (i64, i64) = sqlx::query_as(
        "select (select count(*) from target_verdict),
                (select count(*) from revision where entity = 'verdict')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((verdicts, history), (0, 0));
    assert_eq!(api_status(&db, "").await, "awaiting_judgement");
}

#[tokio::test]
async fn a_verdict_sent_back_shows_the_comment_and_recording_again_replaces_the_draft() {
    let db = with_china_plan().await;
    let mut oli = db.signed_in("oli", Role::Official).await;
    let mut pat = db.signed_in("pat", Role::Official).await;
    const COMMENT: &str = "Cite the statistical communiqué for 2022";
    const BETTER: &str =
        "Growth of 3.0 % in 2022 was below the target of about 5.5 % (2022 communiqué).";

    record_ok(&mut oli, "2022", "on_schedule", "Growth was fine.").await;
    let (id, _, _) = the_verdict(&db).await;
    let review = pat.get(&review_uri()).await;
    let row = format!("#review-verdicts tr#verdict-{id}");
    let (action, version) =
        form_target(&review, &format!("{row} form.send-back")).expect("a send-back form");
    // Posted to the review page itself, so that a refusal keeps the page's address.
    assert_eq!(
        action,
        format!("/plans/{CHINA_PLAN}/review?draft=verdicts/{id}")
    );
    let back = pat
        .post(&action, &[("version", &version), ("comment", COMMENT)])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert!(back.location.contains("sent_back=1"), "{}", back.location);

    // Sent back: off the review queue, and the author sees why on the indicator page.
    let review = pat.get(&review_uri()).await;
    assert!(review.texts("#review-verdicts").is_empty());
    let page = oli.get(&indicator_uri(TEXT_INDICATOR)).await;
    let returned = page.text("section.verdicts tr.verdict-row.draft[data-year='2022'] .returned");
    assert!(
        returned.contains(COMMENT) && returned.contains("pat"),
        "{returned}"
    );
    let overview = format!("/plans/{CHINA_PLAN}");
    assert!(pat.get(&overview).await.texts("#nav-waiting").is_empty());
    // The public sees nothing of it.
    let public = get(&db.app(), &indicator_uri(TEXT_INDICATOR)).await;
    assert!(!public.body.contains(COMMENT));
    assert!(verdict_rows(&public).is_empty());

    // Recorded again: the same draft, replaced, back on the queue without the comment.
    record_ok(&mut oli, "2022", "lagging", BETTER).await;
    let stored: Vec<(i64, String, String, String, bool)> = sqlx::query_as(
        "select target_verdict_id, status, reason, state, returned_at is null
         from target_verdict where year = 2022",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        [(
            id,
            "lagging".to_owned(),
            BETTER.to_owned(),
            "draft".to_owned(),
            true
        )]
    );
    let page = oli.get(&indicator_uri(TEXT_INDICATOR)).await;
    let rows = verdict_rows(&page);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].1 && rows[0].2.contains(BETTER), "{rows:?}");
    assert!(
        page.texts("section.verdicts .returned").is_empty(),
        "the old comment is gone from the verdict: {rows:?}"
    );
    assert_eq!(
        pat.get(&overview).await.text("#nav-waiting"),
        "(1 draft waiting)"
    );
    let review = pat.get(&review_uri()).await;
    let detail = review.text(&format!("{row} .draft-detail"));
    assert!(
        detail.contains("Behind schedule") && detail.contains(BETTER),
        "{detail}"
    );
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from revision where entity = 'verdict' order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(actions, ["create", "send_back", "update"]);

    // Analysts do not give verdicts; a target with a number has none to give.
    let mut ana = db.signed_in("ana", Role::Analyst).await;
    let page = ana.get(&indicator_uri(TEXT_INDICATOR)).await;
    assert!(
        page.texts("section.verdicts a[href$='/verdict']")
            .is_empty()
    );
    assert_eq!(
        ana.get(&verdict_uri(TEXT_INDICATOR)).await.status,
        StatusCode::FORBIDDEN
    );
    ana.get(&indicator_uri(TEXT_INDICATOR)).await;
    let posted = ana
        .post(
            &verdict_uri(TEXT_INDICATOR),
            &[("year", "2023"), ("status", "ahead"), ("reason", "x")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let anonymous = get(&db.app(), &verdict_uri(TEXT_INDICATOR)).await;
    assert!(
        anonymous.status == StatusCode::SEE_OTHER && anonymous.location.starts_with("/login")
            || anonymous.status == StatusCode::FORBIDDEN,
        "{} {}",
        anonymous.status,
        anonymous.location
    );
    for code in ["energy-intensity-reduction", "no-such-indicator"] {
        assert_eq!(
            oli.get(&verdict_uri(code)).await.status,
            StatusCode::NOT_FOUND,
            "{code}"
        );
    }
    let page = oli.get(&indicator_uri("energy-intensity-reduction")).await;
    assert!(page.texts("section.verdicts").is_empty());
    oli.get(&indicator_uri(TEXT_INDICATOR)).await;
    let posted = oli
        .post(
            &verdict_uri("energy-intensity-reduction"),
            &[("year", "2023"), ("status", "ahead"), ("reason", "x")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let count: i64 = sqlx::query_scalar("select count(*) from target_verdict")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

/// Sends the only draft verdict on the review page back, as `reviewer`.
async fn send_back(db: &TestDb, reviewer: &mut Client, comment: &str) {
    let (id, _, _) = sqlx::query_as::<_, (i64, i32, String)>(
        "select target_verdict_id, version, state from target_verdict
         where state = 'draft' and returned_at is null",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let review = reviewer.get(&review_uri()).await;
    let (action, version) = form_target(
        &review,
        &format!("#review-verdicts tr#verdict-{id} form.send-back"),
    )
    .expect("a send-back form");
    let back = reviewer
        .post(&action, &[("version", &version), ("comment", comment)])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
}

#[tokio::test]
async fn the_author_of_a_verdict_sent_back_is_told_in_the_navigation() {
    let db = with_china_plan().await;
    let mut adm = db.signed_in("adm", Role::Admin).await;
    let mut oli = db.signed_in("oli", Role::Official).await;
    let mut pat = db.signed_in("pat", Role::Official).await;
    let overview = format!("/plans/{CHINA_PLAN}");

    // An administrator's verdict, sent back: counted among what was sent back to them.
    record_ok(&mut adm, "2021", "ahead", "Growth of 8.1 % in 2021.").await;
    assert_eq!(
        pat.get(&overview).await.text("#nav-waiting"),
        "(1 draft waiting)"
    );
    send_back(&db, &mut pat, "Which range was set for 2021?").await;
    assert_eq!(
        adm.get(&overview).await.text("#nav-sent-back"),
        "(1 sent back to you)"
    );

    // An official's verdict, sent back: only officials and administrators give verdicts, so
    // the official must be told too.
    record_ok(&mut oli, "2022", "lagging", "Growth of 3.0 % in 2022.").await;
    send_back(&db, &mut pat, "Cite the communiqué").await;
    let page = oli.get(&overview).await;
    assert_eq!(
        page.texts("#nav-sent-back"),
        ["(1 sent back to you)"],
        "an official whose verdict was sent back is not told in the navigation"
    );
}

/// A history row of a verdict: action, who, year, and the status and state after it.
type HistoryRow = (String, String, Option<i32>, Option<String>, Option<String>);
