//! The review page lets an official judge a draft before it goes public: beside each draft its
//! unit, the published figure of the year before and the change from it, the target, the status
//! the indicator would have once it is published and the commentary it would make public. A
//! send-back without a comment is refused at its field; the queue narrows to a year or a heading.

use axum::http::StatusCode;
use plantrack::domain::plan::Role;
use sqlx::PgPool;

use crate::harness::{Client, DEFAULT_PLAN, Page, TestDb, figures_and_history, indicator_id};

const TURNOVER_COMMENTARY: &str = "Three very large contracts signed in December";

fn review_uri() -> String {
    format!("/plans/{DEFAULT_PLAN}/review")
}

/// The id of an indicator's draft for `year`.
async fn draft_id(pool: &PgPool, code: &str, year: i32) -> i64 {
    sqlx::query_scalar(
        "select observation_id from observation
         where indicator_id = $1 and year = $2 and kind = 'actual' and state = 'draft'",
    )
    .bind(indicator_id(pool, code).await)
    .bind(year)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn attr(page: &Page, selector: &str, name: &str) -> Option<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    page.html()
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("nothing matches {selector:?}"))
        .value()
        .attr(name)
        .map(str::to_owned)
}

/// The raw (untrimmed) text of the first element matching `selector`.
fn raw_text(page: &Page, selector: &str) -> String {
    let sel = scraper::Selector::parse(selector).unwrap();
    page.html()
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("nothing matches {selector:?}"))
        .text()
        .collect()
}

/// The analyst enters one value of `code` for `year` with a commentary, through the entry form.
async fn enter(
    db: &TestDb,
    analyst: &mut Client,
    code: &str,
    year: i32,
    value: &str,
    commentary: &str,
) {
    let uri = format!("/plans/{DEFAULT_PLAN}/entry/{year}");
    let form = analyst.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK);
    let id = indicator_id(&db.pool, code).await;
    let token = attr(&form, &format!("input[name=\"token.i{id}\"]"), "value").unwrap_or_default();
    let saved = analyst
        .post(
            &uri,
            &[
                (&format!("value.i{id}"), value),
                (&format!("source.i{id}"), "Municipal statistics bureau"),
                (&format!("note.i{id}"), ""),
                (&format!("commentary.i{id}"), commentary),
                (&format!("token.i{id}"), &token),
                // The drafts are far from their history on purpose: the analyst confirms them,
                // as the form asks for such values.
                (&format!("checked.i{id}"), "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

/// Two drafts far from their history: technology contract turnover for 2025, about ten times
/// its 2024 figure, and R&D intensity for 2024, half its 2023 figure.
async fn two_drafts(db: &TestDb) -> (i64, i64) {
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    enter(
        db,
        &mut analyst,
        "tech-contract-turnover",
        2025,
        "10120.5",
        TURNOVER_COMMENTARY,
    )
    .await;
    enter(db, &mut analyst, "rd-intensity", 2024, "1.2", "").await;
    (
        draft_id(&db.pool, "tech-contract-turnover", 2025).await,
        draft_id(&db.pool, "rd-intensity", 2024).await,
    )
}

/// The status a page shows inside `selector`: its class (naming the status) and its label.
fn status_label(page: &Page, selector: &str) -> (String, String) {
    let class = attr(page, &format!("{selector} .status"), "class").unwrap();
    let symbol = page.text(&format!("{selector} .status .symbol"));
    let text = page.text(&format!("{selector} .status"));
    let label = text
        .strip_prefix(&symbol)
        .unwrap_or(&text)
        .trim()
        .to_owned();
    (class, label)
}

#[tokio::test]
async fn each_draft_shows_what_an_official_needs_to_judge_it_and_the_status_it_would_give() {
    let db = TestDb::seeded().await;
    let (turnover, rd) = two_drafts(&db).await;
    let mut official = db.signed_in("oli", Role::Official).await;

    let page = official.get(&review_uri()).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = format!("#draft-{turnover}");
    // The value has its own element: the cell also says why it looks wrong.
    assert_eq!(page.text(&format!("{row} .draft-value .value")), "10,120.5");
    assert_eq!(page.text(&format!("{row} .unit")), "Unit: 100 million yuan");
    assert_eq!(page.text(&format!("{row} .previous-year")), "974.24 (2024)");
    // (10,120.5 − 974.24) / 974.24 = 938.8 %: the tenfold slip is plain to see.
    assert_eq!(page.text(&format!("{row} .change")), "+938.8%");
    assert_eq!(page.text(&format!("{row} .target")), "Not published");
    assert_eq!(
        page.text(&format!("{row} .commentary-text")),
        TURNOVER_COMMENTARY
    );

    let row_rd = format!("#draft-{rd}");
    assert_eq!(page.text(&format!("{row_rd} .unit")), "Unit: %");
    assert_eq!(
        page.text(&format!("{row_rd} .previous-year")),
        "2.45 (2023)"
    );
    assert_eq!(page.text(&format!("{row_rd} .change")), "−51.0%");
    // The target in the indicator page's own words.
    assert_eq!(page.text(&format!("{row_rd} .target")), "≥ 2.6% by 2025");
    let indicator = official
        .get(&format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"))
        .await;
    assert!(
        indicator.texts("dd").iter().any(|d| d == "≥ 2.6% by 2025"),
        "{:?}",
        indicator.texts("dd")
    );
    assert!(page.texts(&format!("{row_rd} .commentary-text")).is_empty());

    // The status each draft would give, and the overview's status now (before publishing).
    let overview = official.get(&format!("/plans/{DEFAULT_PLAN}")).await;
    let before = status_label(&overview, "#indicator-rd-intensity td.status-cell");
    let would_rd = status_label(&page, &format!("{row_rd} .would-be"));
    let would_turnover = status_label(&page, &format!("{row} .would-be"));
    assert_ne!(would_rd, before, "halving the figure changes the status");
    assert_eq!(
        page.text(&format!("{row_rd} .status-now")),
        format!("now: {}", before.1)
    );

    // Published, the overview shows exactly the status the review page announced.
    for year in ["2024", "2025"] {
        let done = official
            .post(&format!("{}/publish-year", review_uri()), &[("year", year)])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(done.location.contains("published=1"), "{}", done.location);
    }
    let overview = official.get(&format!("/plans/{DEFAULT_PLAN}")).await;
    assert_eq!(
        status_label(&overview, "#indicator-rd-intensity td.status-cell"),
        would_rd
    );
    assert_eq!(
        status_label(
            &overview,
            "#indicator-tech-contract-turnover td.status-cell"
        ),
        would_turnover
    );
}

#[tokio::test]
async fn the_review_page_reads_in_chinese_with_the_same_figures() {
    let db = TestDb::seeded().await;
    let (turnover, rd) = two_drafts(&db).await;
    let mut official = db.signed_in("oli", Role::Official).await;
    official.get("/language?set=zh&next=/").await;

    let page = official.get(&review_uri()).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = format!("#draft-{turnover}");
    assert_eq!(page.text(&format!("{row} .unit")), "单位：亿元");
    assert_eq!(page.text(&format!("{row} .previous-year")), "974.24 (2024)");
    assert_eq!(page.text(&format!("{row} .change")), "+938.8%");
    assert_eq!(page.text(&format!("{row} .target")), "未公布");
    assert!(
        page.text(&format!("{row} .commentary"))
            .starts_with("将公开的说明：")
    );
    let row_rd = format!("#draft-{rd}");
    let overview = official.get(&format!("/plans/{DEFAULT_PLAN}")).await;
    let before = status_label(&overview, "#indicator-rd-intensity td.status-cell");
    assert_eq!(
        page.text(&format!("{row_rd} .status-now")),
        format!("当前：{}", before.1)
    );
    assert!(
        page.texts("thead th").iter().any(|h| h == "发布后的状态"),
        "{:?}",
        page.texts("thead th")
    );
}

#[tokio::test]
async fn a_send_back_without_a_comment_is_refused_at_its_field_and_keeps_what_was_typed() {
    let db = TestDb::seeded().await;
    let (turnover, rd) = two_drafts(&db).await;
    let mut official = db.signed_in("oli", Role::Official).await;
    let page = official.get(&review_uri()).await;
    let action = attr(
        &page,
        &format!("#draft-{turnover} form.send-back"),
        "action",
    )
    .unwrap();
    let version = attr(
        &page,
        &format!("#draft-{turnover} form.send-back input[name=version]"),
        "value",
    )
    .unwrap();
    let before = figures_and_history(&db.pool).await;

    let refused = official
        .post(&action, &[("version", &version), ("comment", "   ")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = format!("comment-{turnover}");
    assert_eq!(
        attr(&refused, &format!("#{field}"), "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&refused, &format!("#{field}"), "aria-describedby"),
        Some(format!("{field}-error"))
    );
    assert!(
        refused
            .text(&format!("#{field}-error"))
            .contains("Say what needs changing")
    );
    assert_eq!(raw_text(&refused, &format!("#{field}")), "   ");
    // The summary at the top links to the field; no success box says anything.
    assert!(
        refused
            .text(&format!(".error-summary a[href='#{field}']"))
            .contains("Say what needs changing")
    );
    assert!(
        refused.texts(".notice").is_empty(),
        "{:?}",
        refused.texts(".notice")
    );
    // Only that row's field is marked.
    assert_eq!(
        attr(&refused, &format!("#comment-{rd}"), "aria-invalid"),
        None
    );
    assert_eq!(
        figures_and_history(&db.pool).await,
        before,
        "nothing changed"
    );

    // Too long a comment: refused at the field with every character kept.
    let long = "x".repeat(1001);
    let refused = official
        .post(&action, &[("version", &version), ("comment", &long)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(raw_text(&refused, &format!("#{field}")), long);
    assert!(!refused.text(&format!("#{field}-error")).is_empty());
    assert_eq!(
        figures_and_history(&db.pool).await,
        before,
        "nothing changed"
    );

    // In Chinese the message is Chinese, at the same field.
    official.get("/language?set=zh&next=/").await;
    let refused = official
        .post(&action, &[("version", &version), ("comment", "")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text(&format!("#{field}-error")),
        "⚠ 请说明需要修改之处，以便填报人处理。"
    );
    assert_eq!(
        figures_and_history(&db.pool).await,
        before,
        "nothing changed"
    );

    // With a comment it goes back to its author.
    let back = official
        .post(
            &action,
            &[("version", &version), ("comment", "Check the unit")],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(back.location, format!("{}?sent_back=1", review_uri()));
}

#[tokio::test]
async fn the_queue_narrows_to_one_year_or_one_heading_by_plain_links() {
    let db = TestDb::seeded().await;
    let (turnover, rd) = two_drafts(&db).await;
    let mut official = db.signed_in("oli", Role::Official).await;
    let rows = |page: &Page| -> Vec<String> {
        let sel = scraper::Selector::parse("table.review tbody tr").unwrap();
        page.html()
            .select(&sel)
            .map(|tr| tr.value().attr("id").unwrap().to_owned())
            .collect()
    };
    let all = official.get(&review_uri()).await;
    assert_eq!(
        rows(&all),
        [format!("draft-{rd}"), format!("draft-{turnover}")]
    );
    assert!(all.texts(".review-showing").is_empty());

    // The year links lead to one year; the heading links keep it.
    let year_link = attr(&all, "nav.review-filter a[href$='year=2025']", "href").unwrap();
    assert_eq!(year_link, format!("{}?year=2025", review_uri()));
    let year = official.get(&year_link).await;
    assert_eq!(year.status, StatusCode::OK);
    assert_eq!(rows(&year), [format!("draft-{turnover}")]);
    assert_eq!(
        year.text(".review-showing"),
        "Showing only drafts for 2025. Show every draft"
    );
    assert_eq!(
        attr(&year, ".review-showing a.clear-filter", "href"),
        Some(review_uri())
    );
    assert_eq!(year.text("nav.review-filter a[aria-current]"), "2025");

    let heading = official
        .get(&format!("{}?group=resources", review_uri()))
        .await;
    assert_eq!(heading.status, StatusCode::OK);
    assert_eq!(rows(&heading), [format!("draft-{rd}")]);
    assert_eq!(
        heading.text(".review-showing"),
        "Showing only drafts under the heading “Concentration of innovation resources”. Show every draft"
    );

    let none = official
        .get(&format!("{}?year=2025&group=resources", review_uri()))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(rows(&none).is_empty());
    assert_eq!(
        none.text(".review-empty"),
        "No draft waiting for review matches this narrowing."
    );

    // An empty value narrows nothing (a form's "all" choice).
    let blank = official
        .get(&format!("{}?year=&group=", review_uri()))
        .await;
    assert_eq!(rows(&blank).len(), 2);

    // Publishing a year while narrowed to a heading publishes only that heading's drafts.
    let narrowed = official
        .get(&format!("{}?group=openness", review_uri()))
        .await;
    assert_eq!(
        attr(
            &narrowed,
            "form[action$='/publish-year'] input[name=group]",
            "value"
        )
        .as_deref(),
        Some("openness")
    );

    // A decision taken in a narrowed queue comes back to it, refused or carried out.
    let form = format!("#draft-{turnover} form.send-back");
    let action = attr(&year, &form, "action").unwrap();
    let version = attr(&year, &format!("{form} input[name=version]"), "value").unwrap();
    let queue = attr(&year, &format!("{form} input[name=queue]"), "value").unwrap();
    assert_eq!(queue, "year=2025");
    let refused = official
        .post(
            &action,
            &[("version", &version), ("comment", ""), ("queue", &queue)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rows(&refused), [format!("draft-{turnover}")]);
    assert!(
        !refused
            .text(&format!("#comment-{turnover}-error"))
            .is_empty()
    );
    let back = official
        .post(
            &action,
            &[
                ("version", &version),
                ("comment", "Check the unit"),
                ("queue", &queue),
            ],
        )
        .await;
    assert_eq!(
        back.location,
        format!("{}?year=2025&sent_back=1", review_uri())
    );
    assert!(rows(&official.get(&back.location).await).is_empty());

    // Values the page cannot use are refused clearly, never with a server error.
    for (query, says) in [
        ("year=abc", "is not a year of this plan"),
        ("year=1999", "is not a year of this plan"),
        ("group=nowhere", "This plan has no heading “nowhere”"),
    ] {
        let bad = official.get(&format!("{}?{query}", review_uri())).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(bad.body.contains(says), "{query}: {}", bad.body);
    }
    official.get("/language?set=zh&next=/").await;
    let bad = official.get(&format!("{}?year=1999", review_uri())).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("“1999”不是本规划的年份"), "{}", bad.body);
    let year = official.get(&format!("{}?year=2025", review_uri())).await;
    assert_eq!(
        year.text(".review-showing"),
        "仅显示2025年的草稿。 显示全部草稿"
    );
}
