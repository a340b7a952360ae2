//! Who needs to act is told: the navigation shows an official how many drafts of others wait
//! in the plan, and an analyst how many of their drafts were sent back.

use axum::http::StatusCode;
use plantrack::domain::plan::{ObservationKind, Role};
use plantrack::store::figures::{self, Actor, NewFigure, Owner, SaveOutcome, Slot};
use plantrack::store::users;

use crate::harness::{DEFAULT_PLAN, EXAMPLE_PLAN, TestDb};

/// Saves a 2025 draft of `code` in the default plan as `username`.
pub(crate) async fn draft(db: &TestDb, username: &str, code: &str, value: &str) {
    let mut tx = db.pool.begin().await.unwrap();
    let id = users::id_of(&mut tx, username).await.unwrap().unwrap();
    let user = users::by_id(&mut tx, id).await.unwrap().unwrap();
    let (plan_id, indicator_id): (i64, i64) = sqlx::query_as(
        "select plan_id, indicator_id from indicator join plan using (plan_id)
         where is_default and code = $1",
    )
    .bind(code)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let at = Slot {
        plan_id,
        owner: Owner::Indicator(indicator_id),
        year: 2025,
    };
    let new = NewFigure {
        value: value.parse().unwrap(),
        source: "Municipal statistics bureau".into(),
        note: String::new(),
        commentary: String::new(),
        checked: false,
    };
    let current = figures::get(&mut tx, at.owner, at.year, ObservationKind::Actual)
        .await
        .unwrap();
    let outcome =
        figures::save_draft_as(&mut tx, at, &new, &Actor::user(&user), &current.token(), "")
            .await
            .unwrap();
    assert!(matches!(outcome, SaveOutcome::Saved), "{outcome:?}");
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn officials_see_the_drafts_waiting_and_analysts_what_was_sent_back() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut official = db.signed_in("oli", Role::Official).await;
    let overview = format!("/plans/{DEFAULT_PLAN}");

    // Nothing waits: no count anywhere.
    let page = official.get(&overview).await;
    assert!(page.texts("#nav-waiting").is_empty());

    draft(&db, "ana", "rd-intensity", "2.7").await;
    draft(&db, "ana", "high-value-patents", "12.5").await;
    // An official's own draft waits for another official, not for them.
    draft(&db, "oli", "tech-contract-turnover", "1200").await;

    let page = official.get(&overview).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#nav-waiting"), "(2 drafts waiting)");
    assert_eq!(
        page.attr("a:has(#nav-waiting)", "href"),
        format!("/plans/{DEFAULT_PLAN}/review")
    );
    // The count belongs to the page's plan.
    let other = official.get(&format!("/plans/{EXAMPLE_PLAN}")).await;
    assert!(other.texts("#nav-waiting").is_empty());
    // Analysts do not review, and nothing of theirs was sent back yet.
    let page = analyst.get(&overview).await;
    assert!(page.texts("#nav-waiting").is_empty());
    assert!(page.texts("#nav-sent-back").is_empty());

    // An official sends one back: the analyst is told, the official's count drops.
    let review = official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    let html = review.html();
    let form = html
        .select(&scraper::Selector::parse("form.send-back").unwrap())
        .next()
        .expect("a send-back form");
    let action = form.value().attr("action").unwrap().to_owned();
    let version = form
        .select(&scraper::Selector::parse("input[name=version]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    let back = official
        .post(
            &action,
            &[
                ("version", &version),
                ("comment", "Cite the bulletin's table"),
            ],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);

    let page = analyst.get(&overview).await;
    assert_eq!(page.text("#nav-sent-back"), "(1 sent back to you)");
    assert_eq!(
        page.attr("a:has(#nav-sent-back)", "href"),
        format!("/plans/{DEFAULT_PLAN}/entry")
    );
    let page = official.get(&overview).await;
    assert_eq!(page.text("#nav-waiting"), "(1 draft waiting)");

    // In Chinese too.
    analyst.lang = Some("plantrack_lang=zh".into());
    let page = analyst.get(&overview).await;
    assert_eq!(page.text("#nav-sent-back"), "（1 项被退回）");
}
