//! Programme items, commentary on figures and the final assessment, used through HTTP the way
//! analysts and officials use them.

use axum::http::StatusCode;
use plantrack::domain::plan::Role;
use sqlx::PgPool;

use crate::harness::{DEFAULT_PLAN, Page, TestDb, get};

const PROGRAMME: &str = "national-key-laboratories";
const LAB_EN: &str = "National Key Laboratory of Ultrafast Optics";
const LAB_ZH: &str = "超快光学全国重点实验室";

fn programme_uri() -> String {
    format!("/plans/{DEFAULT_PLAN}/programmes/{PROGRAMME}")
}

fn attr(page: &Page, selector: &str, name: &str) -> String {
    let html = page.html();
    let sel = scraper::Selector::parse(selector).unwrap();
    html.select(&sel)
        .next()
        .unwrap_or_else(|| panic!("nothing matches {selector:?}"))
        .value()
        .attr(name)
        .unwrap_or_default()
        .to_owned()
}

/// The publish form of the review page's row `row`: its action and version.
fn publish_form(page: &Page, row: &str) -> (String, String) {
    (
        attr(page, &format!("#{row} form.inline"), "action"),
        attr(
            page,
            &format!("#{row} form.inline input[name=version]"),
            "value",
        ),
    )
}

/// The id of the review row (`item-…`, `assessment-…`) whose first cell names `what`.
fn review_row(page: &Page, section: &str, what: &str) -> String {
    let html = page.html();
    let sel = scraper::Selector::parse(&format!("#{section} tbody tr")).unwrap();
    html.select(&sel)
        .find(|tr| tr.text().collect::<String>().contains(what))
        .unwrap_or_else(|| panic!("no draft naming {what:?} in #{section}: {}", page.body))
        .value()
        .id()
        .unwrap()
        .to_owned()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

fn item_fields(year: &str) -> Vec<(&str, &str)> {
    vec![
        ("name_zh", LAB_ZH),
        ("name_en", LAB_EN),
        ("kind", "national key laboratory"),
        ("field", "optics"),
        ("host", "Chongqing University"),
        ("status", "operating"),
        ("year", year),
        ("source", "Municipal science bulletin, 2024"),
        ("note", "Approved in 2024"),
    ]
}

/// The user story: an analyst adds a laboratory, an official publishes it; an official writes
/// the final-assessment commentary and another publishes it; every page shows the result and
/// the history shows each step; a refused form keeps what was typed.
#[tokio::test]
async fn a_new_laboratory_and_the_final_assessment_go_from_draft_to_public() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut first = db.signed_in("off-one", Role::Official).await;
    let mut second = db.signed_in("off-two", Role::Official).await;
    let app = db.app();

    // The form, refused: a year after the plan's end. Everything typed comes back.
    let new_uri = format!("{}/items/new", programme_uri());
    assert_eq!(analyst.get(&new_uri).await.status, StatusCode::OK);
    let items_before = count(&db.pool, "select count(*) from programme_item").await;
    let history_before = count(&db.pool, "select count(*) from revision").await;
    let refused = analyst.post(&new_uri, &item_fields("2031")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(attr(&refused, "#item-name_en", "value"), LAB_EN);
    assert_eq!(attr(&refused, "#item-name_zh", "value"), LAB_ZH);
    assert_eq!(
        attr(&refused, "#item-host", "value"),
        "Chongqing University"
    );
    assert_eq!(attr(&refused, "#item-year", "value"), "2031");
    assert_eq!(attr(&refused, "#item-year", "aria-invalid"), "true");
    assert!(refused.text("#item-year-error").contains("1900 to 2025"));
    assert_eq!(refused.text("#item-note"), "Approved in 2024");
    assert_eq!(
        attr(&refused, "#item-status option[selected]", "value"),
        "operating"
    );
    assert!(!refused.texts(".error-summary li").is_empty());
    assert_eq!(
        count(&db.pool, "select count(*) from programme_item").await,
        items_before,
        "a refused form saves nothing"
    );
    assert_eq!(
        count(&db.pool, "select count(*) from revision").await,
        history_before
    );

    // Accepted: a draft, seen by signed-in readers only.
    let saved = analyst.post(&new_uri, &item_fields("2024")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        saved
            .location
            .starts_with(&format!("{}?added=1", programme_uri()))
    );
    let public = get(&app, &programme_uri()).await;
    assert!(
        !public.body.contains(LAB_EN),
        "the public never sees a draft"
    );
    let own = analyst.get(&programme_uri()).await;
    let row = own
        .texts("table.items tr.is-draft th")
        .into_iter()
        .find(|t| t.contains(LAB_EN))
        .expect("the draft, marked");
    assert!(row.contains("draft"));

    // The analyst cannot publish; the official sees it on the review page and publishes it.
    let review_uri = format!("/plans/{DEFAULT_PLAN}/review");
    assert_eq!(analyst.get(&review_uri).await.status, StatusCode::FORBIDDEN);
    let review = first.get(&review_uri).await;
    assert_eq!(review.status, StatusCode::OK);
    let row = review_row(&review, "review-items", LAB_EN);
    assert!(
        review
            .text(&format!("#{row} .draft-detail"))
            .contains("Chongqing University")
    );
    let (action, version) = publish_form(&review, &row);
    let published = first.post(&action, &[("version", &version)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(published.location, format!("{review_uri}?item_published=1"));
    let after = first.get(&published.location).await;
    assert!(after.text(".notice").contains("Published"));
    assert!(!after.body.contains(LAB_EN), "no longer waiting for review");

    // The public programme page lists it with its status history.
    let public = get(&app, &programme_uri()).await;
    let row = public
        .texts("table.items tbody tr")
        .into_iter()
        .find(|t| t.contains(LAB_EN))
        .expect("the published laboratory");
    assert!(row.contains("Operating (2024)"), "{row}");
    assert!(row.contains("Chongqing University"));
    assert!(!row.contains("draft"));
    let history = public.texts("table.items tbody tr:last-child .status-history li");
    assert!(
        history.iter().any(|h| h.contains("Operating (2024)")),
        "{history:?}"
    );

    // The final assessment: one official drafts the commentary of an indicator.
    let code = "rd-intensity";
    let edit_uri = format!("/plans/{DEFAULT_PLAN}/assessment/{code}/edit");
    let form = first.get(&edit_uri).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = attr(&form, "input[name=token]", "value");
    let empty = first
        .post(&edit_uri, &[("commentary", "   "), ("token", &token)])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.texts("#commentary-error").len() == 1);
    let text =
        "R&D intensity rose every year but fell short of 2.6%: <enterprise> spending lagged.";
    let drafted = first
        .post(&edit_uri, &[("commentary", text), ("token", &token)])
        .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    let assessment_uri = format!("/plans/{DEFAULT_PLAN}/assessment");
    let public = get(&app, &assessment_uri).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(!public.body.contains("fell short"), "drafts stay private");
    let own = first.get(&assessment_uri).await;
    assert!(
        own.text(&format!("#commentary-{code}"))
            .contains("fell short")
    );

    // Its author cannot publish it; the other official can.
    let review = first.get(&review_uri).await;
    let row = review_row(&review, "review-assessment", "R&D");
    assert!(
        review
            .text(&format!("#{row} .own"))
            .contains("another official")
    );
    let review = second.get(&review_uri).await;
    let (action, version) = publish_form(&review, &row);
    let published = second.post(&action, &[("version", &version)]).await;
    assert_eq!(
        published.location,
        format!("{review_uri}?assessment_published=1")
    );

    // The public assessment page shows the commentary (escaped), the verdicts and programmes.
    let public = get(&app, &assessment_uri).await;
    assert_eq!(
        public.text(&format!("#commentary-{code} .assessment-commentary")),
        text
    );
    assert!(
        !public.body.contains("<enterprise>"),
        "user text is escaped"
    );
    let verdict = public.text(&format!("#indicator-{code} td.verdict"));
    assert!(
        ["Achieved", "Not achieved", "No data"].contains(&verdict.as_str()),
        "{verdict}"
    );
    let operating = public.text(&format!("#programme-{PROGRAMME} .operating"));
    assert!(operating.starts_with("1 of "), "{operating}");
    let overview = get(&app, &format!("/plans/{DEFAULT_PLAN}")).await;
    assert!(
        overview
            .body
            .contains(&format!("href=\"{assessment_uri}\""))
    );

    // The history shows each step, with who took it.
    let audit = first.get(&format!("/audit?plan={DEFAULT_PLAN}")).await;
    let actions = audit.texts("table.history tbody tr");
    for (who, what) in [
        ("ana", "Item added (draft)"),
        ("off-one", "Item published"),
        ("off-one", "Assessment commentary drafted"),
        ("off-two", "Assessment commentary published"),
    ] {
        assert!(
            actions.iter().any(|a| a.contains(who) && a.contains(what)),
            "{who}: {what} missing from {actions:?}"
        );
    }
    let entities: Vec<String> = sqlx::query_scalar(
        "select entity || ':' || action from revision where actor_id is not null order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        entities,
        [
            "item:create",
            "item:publish",
            "assessment:create",
            "assessment:publish"
        ]
    );
}

/// A status change is a draft until another person publishes it; a send-back needs a comment
/// and comes back to the analyst; a programme that counts its items shows derived counts.
#[tokio::test]
async fn status_changes_are_reviewed_and_move_the_derived_counts() {
    use crate::harness::EXAMPLE_PLAN;
    let db = TestDb::seeded().await;
    sqlx::query("update programme set count_from_items = 'operating' where slug = 'incubators'")
        .execute(&db.pool)
        .await
        .unwrap();
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut official = db.signed_in("off", Role::Official).await;
    let app = db.app();
    let page_uri = format!("/plans/{EXAMPLE_PLAN}/programmes/incubators");
    // The count a programme page shows for a year.
    let count_in = |page: &Page, year: &str| -> String {
        let html = page.html();
        let rows = scraper::Selector::parse("table.counts-table tbody tr").unwrap();
        let th = scraper::Selector::parse("th").unwrap();
        let td = scraper::Selector::parse("td.num").unwrap();
        html.select(&rows)
            .find(|r| r.select(&th).any(|h| h.text().collect::<String>() == year))
            .and_then(|r| r.select(&td).next())
            .map(|c| c.text().collect::<String>())
            .unwrap_or_else(|| panic!("no count for {year}: {}", page.body))
    };
    let public = get(&app, &page_uri).await;
    assert!(public.text("p.derived").contains("Operating"));
    assert!(
        count_in(&public, "2021") == "0",
        "{}",
        count_in(&public, "2021")
    );
    assert!(
        count_in(&public, "2024") == "1",
        "{}",
        count_in(&public, "2024")
    );

    // Refused: no note. What was chosen and typed comes back; nothing is stored.
    let status_uri = format!("{page_uri}/items/north-park-incubator/status");
    assert_eq!(analyst.get(&status_uri).await.status, StatusCode::OK);
    let refused = analyst
        .post(
            &status_uri,
            &[
                ("status", "operating"),
                ("year", "2024"),
                ("note", ""),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        attr(&refused, "#status-status option[selected]", "value"),
        "operating"
    );
    assert_eq!(attr(&refused, "#status-year", "value"), "2024");
    assert_eq!(refused.texts("#status-note-error").len(), 1);
    assert_eq!(count(&db.pool, "select count(*) from item_status").await, 0);

    let note = "Opened in March 2024";
    let saved = analyst
        .post(
            &status_uri,
            &[
                ("status", "operating"),
                ("year", "2024"),
                ("note", note),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = get(&app, &page_uri).await;
    assert!(!public.body.contains(note), "the public never sees a draft");
    assert!(count_in(&public, "2024") == "1");

    // Sent back: a comment is required, and the typed comment survives a refusal.
    let review_uri = format!("/plans/{EXAMPLE_PLAN}/review");
    let review = official.get(&review_uri).await;
    let row = review_row(&review, "review-statuses", "North Park");
    let back_action = attr(&review, &format!("#{row} form.send-back"), "action");
    let version = attr(
        &review,
        &format!("#{row} form.send-back input[name=version]"),
        "value",
    );
    let refused = official
        .post(&back_action, &[("version", &version), ("comment", " ")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.texts(&format!("#comment-{row}-error")).len(), 1);
    let sent = official
        .post(
            &back_action,
            &[
                ("version", &version),
                ("comment", "Which bulletin says so?"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert!(!official.get(&review_uri).await.body.contains("North Park"));

    // The analyst sees why, corrects and saves again; the official publishes.
    let form = analyst.get(&status_uri).await;
    assert!(form.text(".returned").contains("Which bulletin says so?"));
    assert_eq!(attr(&form, "#status-year", "value"), "2024");
    let version = attr(&form, "input[name=version]", "value");
    let note = "Opened in March 2024 (district bulletin, April 2024)";
    let saved = analyst
        .post(
            &status_uri,
            &[
                ("status", "operating"),
                ("year", "2024"),
                ("note", note),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let review = official.get(&review_uri).await;
    let row = review_row(&review, "review-statuses", "North Park");
    let (action, version) = publish_form(&review, &row);
    let published = official.post(&action, &[("version", &version)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);

    let public = get(&app, &page_uri).await;
    let row = public
        .texts("table.items tbody tr")
        .into_iter()
        .find(|t| t.contains("North Park"))
        .unwrap();
    assert!(row.contains("Operating (2024)"), "{row}");
    assert!(
        row.contains("Being built (2023)"),
        "the history keeps where it started: {row}"
    );
    assert!(row.contains(note));
    assert!(count_in(&public, "2023") == "1");
    assert!(count_in(&public, "2024") == "2");
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from revision where entity = 'item' and actor_id is not null order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(actions, ["status", "send_back", "status", "publish"]);
}

/// A figure's commentary is entered with it, published with it, and shown on the indicator
/// page, in the downloads and in the API; the public never sees a draft's commentary.
#[tokio::test]
async fn commentary_is_published_with_its_figure() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut official = db.signed_in("off", Role::Official).await;
    let app = db.app();
    let uri = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity/revise/2023");
    let form = analyst.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK);
    let value = attr(&form, "input[name=value]", "value");
    let source = attr(&form, "input[name=source]", "value");
    let note = attr(&form, "input[name=note]", "value");
    let token = attr(&form, "input[name=token]", "value");
    let commentary = "Enterprise R&D grew fastest; universities held steady.";
    let long = "x".repeat(2001);
    let refused = analyst
        .post(
            &uri,
            &[
                ("value", &value),
                ("source", &source),
                ("note", &note),
                ("commentary", &long),
                ("reason", "Adding the commentary"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.texts("[id^=commentary-][id$=-error]").len(),
        1,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.text("textarea[name=commentary]").len(),
        2001,
        "the typed text is kept"
    );
    let saved = analyst
        .post(
            &uri,
            &[
                ("value", &value),
                ("source", &source),
                ("note", &note),
                ("commentary", commentary),
                ("reason", "Adding the commentary"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let indicator = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    assert!(!get(&app, &indicator).await.body.contains(commentary));

    let review_uri = format!("/plans/{DEFAULT_PLAN}/review");
    let review = official.get(&review_uri).await;
    let action = attr(
        &review,
        "table.review form.inline[action$='/publish']",
        "action",
    );
    let version = attr(
        &review,
        "table.review form.inline[action$='/publish'] input[name=version]",
        "value",
    );
    let published = official.post(&action, &[("version", &version)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);

    let page = get(&app, &indicator).await;
    assert!(page.texts("td.commentary").iter().any(|c| c == commentary));
    let csv = get(&app, &format!("{indicator}/data/figures.csv")).await;
    assert!(csv.body.lines().next().unwrap().ends_with(",commentary"));
    assert!(csv.body.contains(commentary));
    let json = get(
        &app,
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    let figures = json.json()["observations"].as_array().unwrap().clone();
    assert!(
        figures
            .iter()
            .any(|o| o["year"] == 2023 && o["commentary"] == commentary)
    );
}

/// A sent-back item comes back to its author with the comment, is corrected in the same form,
/// and nobody publishes an item they added themselves.
#[tokio::test]
async fn a_sent_back_item_is_corrected_and_nobody_publishes_their_own() {
    let db = TestDb::seeded().await;
    let mut admin = db.signed_in("adm", Role::Admin).await;
    let mut official = db.signed_in("off", Role::Official).await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let new_uri = format!("{}/items/new", programme_uri());
    admin.get(&new_uri).await;
    let saved = admin.post(&new_uri, &item_fields("2023")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    // Its author (an administrator, who also reviews) cannot publish it.
    let review_uri = format!("/plans/{DEFAULT_PLAN}/review");
    let review = admin.get(&review_uri).await;
    let row = review_row(&review, "review-items", LAB_EN);
    assert!(
        review
            .text(&format!("#{row} .own"))
            .contains("another official")
    );
    let version = attr(
        &review,
        &format!("#{row} form.send-back input[name=version]"),
        "value",
    );
    let id = row.trim_start_matches("item-");
    let own = admin
        .post(
            &format!("{review_uri}/items/{id}/publish"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(own.location, format!("{review_uri}?own=1"));
    // An analyst cannot publish at all.
    analyst.get(&programme_uri()).await;
    let refused = analyst
        .post(
            &format!("{review_uri}/items/{id}/publish"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let state: String = sqlx::query_scalar("select state from programme_item where name_en = $1")
        .bind(LAB_EN)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(state, "draft");

    // Sent back with a comment; the author corrects it in the same form.
    let review = official.get(&review_uri).await;
    let action = attr(&review, &format!("#{row} form.send-back"), "action");
    let sent = official
        .post(
            &action,
            &[
                ("version", &version),
                ("comment", "The host is not confirmed"),
            ],
        )
        .await;
    assert_eq!(sent.location, format!("{review_uri}?sent_back=1"));
    let page = admin.get(&programme_uri()).await;
    assert!(
        page.text(&format!("#{row} .returned"))
            .contains("The host is not confirmed")
    );
    let key: String = sqlx::query_scalar("select key from programme_item where name_en = $1")
        .bind(LAB_EN)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let edit_uri = format!("{}/items/{key}/edit", programme_uri());
    let form = admin.get(&edit_uri).await;
    assert_eq!(attr(&form, "#item-host", "value"), "Chongqing University");
    assert!(form.text(".returned").contains("The host is not confirmed"));
    let version = attr(&form, "input[name=version]", "value");
    let mut fields = item_fields("2023");
    fields.retain(|(k, _)| *k != "host");
    fields.push(("host", ""));
    fields.push(("version", &version));
    let saved = admin.post(&edit_uri, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let review = official.get(&review_uri).await;
    let row = review_row(&review, "review-items", LAB_EN);
    assert!(
        !review
            .text(&format!("#{row} .draft-detail"))
            .contains("Chongqing University")
    );
    let (action, version) = publish_form(&review, &row);
    let published = official.post(&action, &[("version", &version)]).await;
    assert_eq!(published.location, format!("{review_uri}?item_published=1"));
    let actions: Vec<String> = sqlx::query_scalar(
        "select actor_label || ':' || action from revision where entity = 'item' and actor_id is not null
         order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        ["adm:create", "off:send_back", "adm:update", "off:publish"]
    );
}

/// An official adds the commentary of a stored figure (never its value); another official
/// publishes it.
#[tokio::test]
async fn an_official_writes_a_figures_commentary_and_another_publishes_it() {
    let db = TestDb::seeded().await;
    let mut first = db.signed_in("off-one", Role::Official).await;
    let mut second = db.signed_in("off-two", Role::Official).await;
    let uri = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity/revise/2023");
    let form = first.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(attr(&form, "input[name=value]", "readonly"), "");
    let value = attr(&form, "input[name=value]", "value");
    let source = attr(&form, "input[name=source]", "value");
    let note = attr(&form, "input[name=note]", "value");
    let token = attr(&form, "input[name=token]", "value");
    let commentary = "Growth slowed as two large projects finished.";
    let changed = first
        .post(
            &uri,
            &[
                ("value", "9.99"),
                ("source", &source),
                ("note", &note),
                ("commentary", commentary),
                ("reason", "Commentary"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        changed
            .texts(".field-error")
            .iter()
            .any(|e| e.contains("commentary of a stored figure only")),
        "{}",
        changed.body
    );
    assert_eq!(changed.text("textarea[name=commentary]"), commentary);
    let saved = first
        .post(
            &uri,
            &[
                ("value", &value),
                ("source", &source),
                ("note", &note),
                ("commentary", commentary),
                ("reason", "Commentary"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let review_uri = format!("/plans/{DEFAULT_PLAN}/review");
    let review = second.get(&review_uri).await;
    let action = attr(
        &review,
        "table.review form.inline[action$='/publish']",
        "action",
    );
    let version = attr(
        &review,
        "table.review form.inline[action$='/publish'] input[name=version]",
        "value",
    );
    let published = second.post(&action, &[("version", &version)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let page = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert!(page.texts("td.commentary").iter().any(|c| c == commentary));
}

/// Two officials writing the same commentary at once: the second to save is shown the first's
/// text beside their own, which is kept; saving again keeps theirs.
#[tokio::test]
async fn a_commentary_saved_meanwhile_is_never_overwritten_unseen() {
    let db = TestDb::seeded().await;
    let mut first = db.signed_in("off-one", Role::Official).await;
    let mut second = db.signed_in("off-two", Role::Official).await;
    let uri = format!("/plans/{DEFAULT_PLAN}/assessment/rd-intensity/edit");
    let token = attr(&first.get(&uri).await, "input[name=token]", "value");
    let other = attr(&second.get(&uri).await, "input[name=token]", "value");
    let saved = second
        .post(
            &uri,
            &[("commentary", "The second's text"), ("token", &other)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let conflict = first
        .post(
            &uri,
            &[("commentary", "The first's text"), ("token", &token)],
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(
        conflict.text("textarea[name=commentary]"),
        "The first's text"
    );
    assert_eq!(conflict.text("#conflict .stored"), "The second's text");
    let stored: String = sqlx::query_scalar("select commentary from assessment")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "The second's text");
    let token = attr(&conflict, "input[name=token]", "value");
    let again = first
        .post(
            &uri,
            &[("commentary", "The first's text"), ("token", &token)],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let stored: String = sqlx::query_scalar("select commentary from assessment")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "The first's text");
}
