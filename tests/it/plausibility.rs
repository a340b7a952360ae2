//! Plausibility checks that warn, not refuse: a value far from the indicator's own history (more
//! than 50 % from the previous published year) or outside the bounds its definition gives is
//! saved only once the person entering it confirms it ("I checked this value"); the
//! confirmation is kept with the draft and in the history, the review page shows the warning,
//! and the same checks run on uploads (a warning column in the preview) and on `import`
//! (listed, saved only with `--accept-warnings`).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plantrack::domain::plan::Role;
use scraper::Selector;
use sqlx::PgPool;

use crate::harness::{
    Client, DEFAULT_PLAN, Page, TestDb, figures_and_history, form_body, form_fields, indicator_id,
    pairs, send, submit_form, with_changes,
};

/// Published for 2022 (630.4) and 2024 (974.24) in the seed; 2025 has no figure yet.
const TURNOVER: &str = "tech-contract-turnover";
/// 1,012.05 typed with the decimal point one place too far to the right.
const TENFOLD: &str = "10120.5";
/// (10,120.5 − 974.24) ÷ 974.24 = +938.8 %, said as +939 %.
const TENFOLD_WARNING: &str =
    "+939 % from 2024 (974.24): more than 50 % away from the previous published figure.";
const CHECK_AGAIN: &str = "If it is right, tick “I checked this value” and save again.";

fn entry_uri(year: i32) -> String {
    format!("/plans/{DEFAULT_PLAN}/entry/{year}")
}

fn revise_uri(code: &str, year: i32) -> String {
    format!("/plans/{DEFAULT_PLAN}/indicators/{code}/revise/{year}")
}

fn review_uri() -> String {
    format!("/plans/{DEFAULT_PLAN}/review")
}

fn upload_uri() -> String {
    format!("/plans/{DEFAULT_PLAN}/data/upload")
}

/// Posts a form as a browser asking for `lang` (`Accept-Language`) does, with the client's
/// session and CSRF token.
async fn post_in(client: &Client, lang: &str, uri: &str, fields: &[(&str, &str)]) -> Page {
    let mut all = fields.to_vec();
    all.push(("csrf", &client.csrf));
    let mut req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_LANGUAGE, lang);
    if let Some(c) = &client.cookie {
        req = req.header(header::COOKIE, c);
    }
    send(&client.app, req.body(Body::from(form_body(&all))).unwrap()).await
}

fn attr(page: &Page, selector: &str, name: &str) -> Option<String> {
    page.html()
        .select(&Selector::parse(selector).unwrap())
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_owned))
}

fn exists(page: &Page, selector: &str) -> bool {
    page.html()
        .select(&Selector::parse(selector).unwrap())
        .next()
        .is_some()
}

/// The draft of an indicator's actual figure for `year`: its value and whether it was confirmed
/// after a warning.
async fn draft(pool: &PgPool, code: &str, year: i32) -> Option<(String, bool)> {
    sqlx::query_as(
        "select value::text, value_checked from observation
         where indicator_id = $1 and year = $2 and kind = 'actual' and state = 'draft'",
    )
    .bind(indicator_id(pool, code).await)
    .bind(year)
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// The `after` of the newest history row of an indicator's actual figure for `year`.
async fn last_history(pool: &PgPool, code: &str, year: i32) -> serde_json::Value {
    let after: String = sqlx::query_scalar(
        "select after::text from revision
         where indicator_id = $1 and year = $2 and kind = 'actual'
         order by revision_id desc limit 1",
    )
    .bind(indicator_id(pool, code).await)
    .bind(year)
    .fetch_one(pool)
    .await
    .unwrap();
    serde_json::from_str(&after).unwrap()
}

/// The analyst types `value` (and a source) for `code` in the yearly form of `year` and saves.
async fn enter(db: &TestDb, analyst: &mut Client, code: &str, year: i32, value: &str) -> Page {
    let form = analyst.get(&entry_uri(year)).await;
    assert_eq!(form.status, StatusCode::OK);
    let id = indicator_id(&db.pool, code).await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{id}"), value),
            (&format!("source.i{id}"), "Municipal statistics bureau"),
        ],
    );
    analyst.post(&entry_uri(year), &pairs(&fields)).await
}

/// The analyst enters the tenfold value for 2025, is warned, ticks the box and saves.
async fn enter_confirmed(db: &TestDb, analyst: &mut Client) {
    let warned = enter(db, analyst, TURNOVER, 2025, TENFOLD).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = indicator_id(&db.pool, TURNOVER).await;
    let fields = with_changes(
        &form_fields(&warned, "form#entry-form"),
        &[(&format!("checked.i{id}"), "1")],
    );
    let saved = analyst.post(&entry_uri(2025), &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn a_tenfold_value_is_questioned_kept_as_typed_and_saved_once_the_analyst_confirms_it() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let id = indicator_id(&db.pool, TURNOVER).await;
    let key = format!("i{id}");

    // The 2025 form, untouched, saves nothing and asks nothing, though its published figures
    // (75,600 after 42,000 enterprises) are far from the years before: stored values stand.
    let form = analyst.get(&entry_uri(2025)).await;
    assert!(!exists(&form, "input[type=checkbox][name^='checked.']"));
    let untouched = analyst
        .post(
            &entry_uri(2025),
            &pairs(&form_fields(&form, "form#entry-form")),
        )
        .await;
    assert_eq!(
        untouched.status,
        StatusCode::SEE_OTHER,
        "{}",
        untouched.body
    );
    assert_eq!(untouched.location, format!("{}?saved=0", entry_uri(2025)));

    let before = figures_and_history(&db.pool).await;
    let form = analyst.get(&entry_uri(2025)).await;
    // An ordinary value typed in another row of the same form (2.6 after 2.45).
    let rd = format!("i{}", indicator_id(&db.pool, "rd-intensity").await);
    let typed = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.{rd}"), "2.6"),
            (&format!("source.{rd}"), "Municipal statistics bureau"),
            (&format!("value.{key}"), TENFOLD),
            (&format!("source.{key}"), "Municipal statistics bureau"),
            (
                &format!("commentary.{key}"),
                "Three very large contracts signed in December",
            ),
        ],
    );
    let warned = analyst.post(&entry_uri(2025), &pairs(&typed)).await;
    assert_eq!(
        warned.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        warned.body
    );
    // The message at the value, read out with it.
    assert_eq!(
        warned.text(&format!("#value-{key}-error")),
        format!("⚠ Check this value: {TENFOLD_WARNING} {CHECK_AGAIN}")
    );
    let described = attr(&warned, &format!("#value-{key}"), "aria-describedby").unwrap();
    assert!(
        described.contains(&format!("value-{key}-error")),
        "{described}"
    );
    // The box to tick, unticked, for this row only.
    assert_eq!(
        attr(&warned, &format!("#checked-{key}"), "name").as_deref(),
        Some(format!("checked.{key}").as_str())
    );
    assert!(attr(&warned, &format!("#checked-{key}"), "checked").is_none());
    assert_eq!(
        warned.texts("input[type=checkbox][name^='checked.']").len(),
        1,
        "only the questioned row asks"
    );
    assert!(
        warned
            .text(&format!("label[for=checked-{key}]"))
            .ends_with("I checked this value")
    );
    // Everything typed is kept; nothing is saved.
    assert_eq!(
        attr(&warned, &format!("#value-{key}"), "value").as_deref(),
        Some(TENFOLD)
    );
    assert_eq!(
        warned.text(&format!("#commentary-{key}")),
        "Three very large contracts signed in December"
    );
    assert_eq!(
        attr(&warned, &format!("#value-{rd}"), "value").as_deref(),
        Some("2.6")
    );
    assert!(warned.texts(&format!("#value-{rd}-error")).is_empty());
    assert_eq!(figures_and_history(&db.pool).await, before);
    assert_eq!(draft(&db.pool, TURNOVER, 2025).await, None);
    assert_eq!(draft(&db.pool, "rd-intensity", 2025).await, None);

    // Sent again without ticking the box: still questioned, still nothing saved.
    let again = analyst
        .post(
            &entry_uri(2025),
            &pairs(&form_fields(&warned, "form#entry-form")),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(figures_and_history(&db.pool).await, before);

    // Ticked: saved as a draft, the confirmation kept with it and in the history.
    let confirmed = with_changes(
        &form_fields(&again, "form#entry-form"),
        &[(&format!("checked.{key}"), "1")],
    );
    let saved = analyst.post(&entry_uri(2025), &pairs(&confirmed)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=2", entry_uri(2025)));
    assert_eq!(
        draft(&db.pool, TURNOVER, 2025).await,
        Some((TENFOLD.to_owned(), true))
    );
    let history = last_history(&db.pool, TURNOVER, 2025).await;
    assert_eq!(history["checked"], serde_json::json!(true), "{history}");
    // Only the questioned value is marked as confirmed.
    assert_eq!(
        draft(&db.pool, "rd-intensity", 2025).await.map(|d| d.1),
        Some(false)
    );
    let history = last_history(&db.pool, "rd-intensity", 2025).await;
    assert!(history.get("checked").is_none(), "{history}");
    assert_eq!(figures_and_history(&db.pool).await.1, before.1 + 2);

    // The stored draft is not questioned again when the form is saved untouched.
    let form = analyst.get(&entry_uri(2025)).await;
    assert_eq!(
        attr(&form, &format!("#value-{key}"), "value").as_deref(),
        Some(TENFOLD)
    );
    let untouched = analyst
        .post(
            &entry_uri(2025),
            &pairs(&form_fields(&form, "form#entry-form")),
        )
        .await;
    assert_eq!(
        untouched.status,
        StatusCode::SEE_OTHER,
        "{}",
        untouched.body
    );
    assert_eq!(untouched.location, format!("{}?saved=0", entry_uri(2025)));
}

#[tokio::test]
async fn an_ordinary_value_is_saved_at_once_without_asking() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let id = indicator_id(&db.pool, TURNOVER).await;
    // 1,012.05 after 974.24: +3.9 %.
    let saved = enter(&db, &mut analyst, TURNOVER, 2025, "1012.05").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=1", entry_uri(2025)));
    assert_eq!(
        draft(&db.pool, TURNOVER, 2025).await,
        Some(("1012.05".to_owned(), false))
    );
    let history = last_history(&db.pool, TURNOVER, 2025).await;
    assert!(history.get("checked").is_none(), "{history}");
    let form = analyst.get(&saved.location).await;
    assert!(!exists(&form, &format!("#checked-i{id}")));
    assert!(form.texts(&format!("#value-i{id}-error")).is_empty());
}

#[tokio::test]
async fn the_revision_form_questions_a_far_value_and_saves_it_once_confirmed() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let id = indicator_id(&db.pool, TURNOVER).await;
    let uri = revise_uri(TURNOVER, 2024);
    let form = analyst.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!exists(&form, "input#checked"));
    let token = attr(&form, "input[name=token]", "value").unwrap_or_default();
    let source = attr(&form, "input[name=source]", "value").unwrap_or_default();

    // The published 974.24 is itself +54.5 % from 2022 (630.4), but a stored value is never
    // questioned: revising only the commentary saves at once.
    let commentary_only = analyst
        .post(
            &uri,
            &[
                ("value", "974.24"),
                ("source", source.as_str()),
                ("note", ""),
                ("commentary", "Growth driven by the western science city"),
                ("reason", "Commentary added"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(
        commentary_only.status,
        StatusCode::SEE_OTHER,
        "{}",
        commentary_only.body
    );
    assert_eq!(
        draft(&db.pool, TURNOVER, 2024).await,
        Some(("974.24".to_owned(), false))
    );

    // 9,742.4 for 974.24: questioned, with the box to tick, the typed value kept.
    let form = analyst.get(&uri).await;
    let token = attr(&form, "input[name=token]", "value").unwrap_or_default();
    let before = figures_and_history(&db.pool).await;
    let typed = [
        ("value", "9742.4"),
        ("source", source.as_str()),
        ("note", ""),
        ("commentary", "Growth driven by the western science city"),
        ("reason", "Final figure"),
        ("token", token.as_str()),
    ];
    let warned = analyst.post(&uri, &typed).await;
    assert_eq!(
        warned.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        warned.body
    );
    assert_eq!(
        warned.text(&format!("#value-i{id}-error")),
        format!(
            "⚠ Check this value: +1445 % from 2022 (630.4): more than 50 % away from the previous published figure. {CHECK_AGAIN}"
        )
    );
    assert_eq!(
        attr(&warned, "input#checked", "name").as_deref(),
        Some("checked")
    );
    assert_eq!(warned.text("label[for=checked]"), "I checked this value");
    assert_eq!(
        attr(&warned, &format!("#value-i{id}"), "value").as_deref(),
        Some("9742.4")
    );
    assert_eq!(figures_and_history(&db.pool).await, before);

    let mut confirmed = typed.to_vec();
    confirmed.push(("checked", "1"));
    let saved = analyst.post(&uri, &confirmed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        draft(&db.pool, TURNOVER, 2024).await,
        Some(("9742.4".to_owned(), true))
    );
    let history = last_history(&db.pool, TURNOVER, 2024).await;
    assert_eq!(history["checked"], serde_json::json!(true), "{history}");
}

/// An admin gives rd-intensity plausible bounds on the indicator's definition form.
async fn set_bounds(db: &TestDb, min: &str, max: &str) {
    let mut admin = db.signed_in("adele", Role::Admin).await;
    let uri = format!("/admin/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    let form = admin.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let bounds = [("plausible_min", min), ("plausible_max", max)];
    let saved = submit_form(&mut admin, &form, "#definition-form", &bounds).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let again = admin.get(&uri).await;
    assert_eq!(
        attr(&again, "input[name=plausible_max]", "value").as_deref(),
        Some(max)
    );
}

#[tokio::test]
async fn bounds_from_the_definition_question_a_value_in_both_languages() {
    let db = TestDb::seeded().await;
    set_bounds(&db, "2.4", "2.5").await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let id = indicator_id(&db.pool, "rd-intensity").await;
    let before = figures_and_history(&db.pool).await;

    // 2.57 after 2.45 is only +4.9 %, but above the definition's 2.5.
    let above = enter(&db, &mut analyst, "rd-intensity", 2024, "2.57").await;
    assert_eq!(
        above.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        above.body
    );
    assert_eq!(
        above.text(&format!("#value-i{id}-error")),
        format!("⚠ Check this value: Above the highest plausible value, 2.5. {CHECK_AGAIN}")
    );
    // 2.3 is below 2.4.
    let below = enter(&db, &mut analyst, "rd-intensity", 2024, "2.3").await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        below.text(&format!("#value-i{id}-error")),
        format!("⚠ Check this value: Below the lowest plausible value, 2.4. {CHECK_AGAIN}")
    );
    assert_eq!(figures_and_history(&db.pool).await, before);

    // In Chinese, as the browser asks for it.
    let form = analyst.get(&entry_uri(2024)).await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{id}"), "2.57"),
            (&format!("source.i{id}"), "市统计局"),
        ],
    );
    let zh = post_in(
        &analyst,
        "zh-CN,zh;q=0.9",
        &entry_uri(2024),
        &pairs(&fields),
    )
    .await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zh.body);
    assert_eq!(
        zh.text(&format!("#value-i{id}-error")),
        "⚠ 请核实此数值：高于合理上限2.5。如确认无误，请勾选“我已核实此数值”后再次保存。"
    );
    assert!(
        zh.text(&format!("label[for=checked-i{id}]"))
            .ends_with("我已核实此数值")
    );
    assert_eq!(figures_and_history(&db.pool).await, before);

    // Within the bounds: saved at once.
    let within = enter(&db, &mut analyst, "rd-intensity", 2024, "2.47").await;
    assert_eq!(within.status, StatusCode::SEE_OTHER, "{}", within.body);
    assert_eq!(
        draft(&db.pool, "rd-intensity", 2024).await,
        Some(("2.47".to_owned(), false))
    );
}

#[tokio::test]
async fn the_review_page_shows_the_warning_and_whether_it_was_confirmed() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    enter_confirmed(&db, &mut analyst).await;
    let ordinary = enter(&db, &mut analyst, "rd-intensity", 2024, "2.47").await;
    assert_eq!(ordinary.status, StatusCode::SEE_OTHER, "{}", ordinary.body);
    let turnover: i64 = sqlx::query_scalar(
        "select observation_id from observation where indicator_id = $1 and year = 2025 and state = 'draft'",
    )
    .bind(indicator_id(&db.pool, TURNOVER).await)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let rd: i64 = sqlx::query_scalar(
        "select observation_id from observation where indicator_id = $1 and year = 2024 and state = 'draft'",
    )
    .bind(indicator_id(&db.pool, "rd-intensity").await)
    .fetch_one(&db.pool)
    .await
    .unwrap();

    let mut official = db.signed_in("oli", Role::Official).await;
    let page = official.get(&review_uri()).await;
    assert_eq!(page.status, StatusCode::OK);
    let cell = format!("#draft-{turnover} td.draft-value.warned");
    assert_eq!(
        page.text(&format!("{cell} p.plausibility-warning")),
        format!("⚠ {TENFOLD_WARNING} Confirmed by the person who entered it.")
    );
    assert_eq!(
        page.text(&format!("{cell} .confirmed")),
        "Confirmed by the person who entered it."
    );
    // An ordinary draft is not marked.
    assert!(!exists(
        &page,
        &format!("#draft-{rd} td.draft-value.warned")
    ));
    assert!(
        page.texts(&format!("#draft-{rd} .plausibility-warning"))
            .is_empty()
    );

    // Bounds set after the draft was entered: it is marked, not as confirmed.
    sqlx::query("update indicator set plausible_max = 2.4 where indicator_id = $1")
        .bind(indicator_id(&db.pool, "rd-intensity").await)
        .execute(&db.pool)
        .await
        .unwrap();
    let page = official.get(&review_uri()).await;
    assert_eq!(
        page.text(&format!(
            "#draft-{rd} td.draft-value.warned p.plausibility-warning"
        )),
        "⚠ Above the highest plausible value, 2.4."
    );
    assert!(page.texts(&format!("#draft-{rd} .confirmed")).is_empty());

    // In Chinese.
    official.get("/language?set=zh&next=/").await;
    let zh = official.get(&review_uri()).await;
    assert_eq!(
        zh.text(&format!("{cell} p.plausibility-warning")),
        "⚠ 较2024年（974.24）变化+939%：与上一个已发布数值相差超过50%。 填报人已确认。"
    );
}

/// A CSV file as a spreadsheet program saves it: a byte-order mark, CRLF line ends.
fn csv_file(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("\u{FEFF}");
    for l in lines {
        text.push_str(l);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// The rows of the preview in the order shown: (status, indicator, warning).
fn preview_rows(page: &Page) -> Vec<(String, String, String)> {
    let html = page.html();
    let rows = Selector::parse("table.preview tbody tr").unwrap();
    let cell = |row: &scraper::ElementRef, sel: &str| {
        row.select(&Selector::parse(sel).unwrap())
            .next()
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    html.select(&rows)
        .map(|row| {
            (
                row.value()
                    .attr("data-status")
                    .unwrap_or_default()
                    .to_owned(),
                cell(&row, "td.indicator code"),
                cell(&row, "td.warning"),
            )
        })
        .collect()
}

/// Uploads the downloaded figures with one of them changed a little (R&D intensity 2023, 2.45
/// to 2.47) and the tenfold 2025 turnover added at the end; the upload's answer.
async fn upload_with_tenfold(analyst: &mut Client) -> Page {
    analyst
        .get(&format!("/plans/{DEFAULT_PLAN}/entry/upload"))
        .await;
    let original = analyst
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.csv"))
        .await
        .text();
    let mut text = original.replace(
        ",2023,actual,2.45,%,published,",
        ",2023,actual,2.47,%,published,",
    );
    assert_ne!(text, original);
    if !text.ends_with('\n') {
        text.push_str("\r\n");
    }
    text.push_str(&format!(
        "{DEFAULT_PLAN},{TURNOVER},,,2025,actual,{TENFOLD},,draft,Municipal statistics bureau,,\r\n"
    ));
    let checked = analyst
        .post_file(&upload_uri(), "figures.csv", text.as_bytes())
        .await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER, "{}", checked.body);
    checked
}

/// The Chinese preview: the column, the warning and the folded line in Chinese.
fn assert_chinese_preview(zh: &Page) {
    assert_eq!(zh.status, StatusCode::OK);
    assert!(
        zh.texts("table.preview thead th")
            .iter()
            .any(|h| h == "提示")
    );
    let unchanged = zh.texts("details.unchanged-rows tbody tr").len();
    assert_eq!(
        zh.text("details.unchanged-rows > summary"),
        format!("{unchanged}行未变化")
    );
    assert_eq!(
        preview_rows(zh)[0].2,
        "⚠ 较2024年（974.24）变化+939%：与上一个已发布数值相差超过50%。"
    );
}

#[tokio::test]
async fn an_upload_made_in_chinese_warns_in_chinese() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get("/language?set=zh&next=/").await;
    let checked = upload_with_tenfold(&mut analyst).await;
    assert_chinese_preview(&analyst.get(&checked.location).await);
}

/// The preview is read again after the upload (its address is kept until confirmed): in the
/// language the reader has now, the warning included.
#[tokio::test]
async fn the_preview_warning_follows_a_language_switch_after_the_upload() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let checked = upload_with_tenfold(&mut analyst).await;
    assert!(
        analyst
            .get(&checked.location)
            .await
            .text("td.warning")
            .contains("+939 % from 2024")
    );
    analyst
        .get(&format!("/language?set=zh&next={}", checked.location))
        .await;
    assert_chinese_preview(&analyst.get(&checked.location).await);
}

#[tokio::test]
async fn an_upload_shows_the_warning_first_folds_the_unchanged_rows_and_confirming_saves_it_checked()
 {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let before = figures_and_history(&db.pool).await;
    let checked = upload_with_tenfold(&mut analyst).await;
    assert_eq!(
        figures_and_history(&db.pool).await,
        before,
        "nothing saved yet"
    );

    let preview = analyst.get(&checked.location).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview
            .texts("table.preview thead th")
            .iter()
            .any(|h| h == "Warning")
    );
    let rows = preview_rows(&preview);
    // The warned row first (though last in the file), then the change, then the rest.
    assert_eq!(
        rows[0],
        (
            "new".to_owned(),
            TURNOVER.to_owned(),
            format!("⚠ {TENFOLD_WARNING}")
        ),
        "{rows:?}"
    );
    assert_eq!(
        rows[1],
        (
            "changed".to_owned(),
            "rd-intensity".to_owned(),
            String::new()
        )
    );
    assert!(
        rows[2..]
            .iter()
            .all(|r| r.0 == "unchanged" && r.2.is_empty())
    );
    assert_eq!(preview.text(".count-warned"), "1 to check");
    // The unchanged rows folded into one line with their count.
    let unchanged = preview.texts("details.unchanged-rows tbody tr").len();
    assert!(unchanged > 10, "{unchanged}");
    assert_eq!(unchanged, rows.len() - 2);
    assert_eq!(
        preview.text("details.unchanged-rows > summary"),
        format!("{unchanged} unchanged rows")
    );
    assert!(
        attr(&preview, "details.unchanged-rows", "open").is_none(),
        "folded"
    );
    assert_eq!(
        preview.text(".count-unchanged strong"),
        unchanged.to_string()
    );
    // Confirm at the top and at the bottom.
    let confirm = Selector::parse("form[action$='/confirm']").unwrap();
    assert_eq!(preview.html().select(&confirm).count(), 2);
    let first = preview.body.find("/confirm\"").unwrap();
    let last = preview.body.rfind("/confirm\"").unwrap();
    assert!(first < preview.body.find("<table class=\"preview\"").unwrap());
    assert!(last > preview.body.find("class=\"unchanged-rows\"").unwrap());

    let saved = analyst
        .post(&format!("{}/confirm", checked.location), &[])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location,
        format!("/plans/{DEFAULT_PLAN}/data?saved=2")
    );
    assert_eq!(
        draft(&db.pool, TURNOVER, 2025).await,
        Some((TENFOLD.to_owned(), true))
    );
    assert_eq!(
        draft(&db.pool, "rd-intensity", 2023).await,
        Some(("2.47".to_owned(), false))
    );
    let history = last_history(&db.pool, TURNOVER, 2025).await;
    assert_eq!(history["checked"], serde_json::json!(true), "{history}");
}

#[tokio::test]
async fn in_an_upload_warned_rows_come_right_after_refused_ones() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst
        .get(&format!("/plans/{DEFAULT_PLAN}/entry/upload"))
        .await;
    let columns = "plan,indicator,name_en,name_zh,year,kind,value,unit,state,source,note";
    let file = csv_file(&[
        columns,
        &format!("{DEFAULT_PLAN},rd-intensity,,,2024,actual,2.47,%,draft,Bulletin 2024,"),
        &format!("{DEFAULT_PLAN},{TURNOVER},,,2025,actual,{TENFOLD},,draft,Bulletin 2025,"),
        &format!("{DEFAULT_PLAN},gdp-growth,,,2024,actual,5.2,%,draft,b,"),
    ]);
    let before = figures_and_history(&db.pool).await;
    let page = analyst.post_file(&upload_uri(), "figures.csv", &file).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let order: Vec<(String, String)> = preview_rows(&page)
        .into_iter()
        .map(|(status, code, _)| (status, code))
        .collect();
    assert_eq!(
        order,
        [
            ("refused".to_owned(), "gdp-growth".to_owned()),
            ("new".to_owned(), TURNOVER.to_owned()),
            ("new".to_owned(), "rd-intensity".to_owned()),
        ]
    );
    assert_eq!(figures_and_history(&db.pool).await, before);
}

#[tokio::test]
async fn import_lists_warned_rows_and_saves_them_only_with_accept_warnings() {
    let db = TestDb::seeded().await;
    let path = std::env::temp_dir().join(format!(
        "plantrack-plausibility-{}-import.csv",
        std::process::id()
    ));
    let file = csv_file(&[
        "plan,indicator,name_en,name_zh,year,kind,value,unit,state,source,note",
        &format!("{DEFAULT_PLAN},{TURNOVER},,,2025,actual,{TENFOLD},,draft,Bulletin 2025,"),
    ]);
    std::fs::write(&path, file).unwrap();
    let path_text = path.to_str().unwrap().to_owned();

    let before = figures_and_history(&db.pool).await;
    let (ok, out) = db.run(&["import", &path_text], "");
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "row 2: warning {TURNOVER} 2025 (actual, draft): {TENFOLD_WARNING}"
        )),
        "{out}"
    );
    assert!(out.contains("nothing was imported"), "{out}");
    assert!(out.contains("--accept-warnings"), "{out}");
    assert_eq!(figures_and_history(&db.pool).await, before);

    let (ok, out) = db.run(&["import", &path_text, "--accept-warnings"], "");
    let _ = std::fs::remove_file(&path);
    assert!(ok, "{out}");
    assert!(out.contains("row 2: warning"), "still listed: {out}");
    assert!(out.contains("1 figure(s) saved as drafts"), "{out}");
    assert_eq!(
        draft(&db.pool, TURNOVER, 2025).await,
        Some((TENFOLD.to_owned(), true))
    );
    let history = last_history(&db.pool, TURNOVER, 2025).await;
    assert_eq!(history["checked"], serde_json::json!(true), "{history}");
}
