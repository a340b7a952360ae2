//! The yearly form helps the analyst: last year's published value and the target beside each
//! value, save buttons at the top and the bottom, a reason asked when a published figure is
//! revised, the published note not carried to a new value unless kept, and the spreadsheet
//! upload in the signed-in entry area instead of the public Open data page.

use axum::http::StatusCode;
use plantrack::domain::plan::Role;
use scraper::Selector;
use sqlx::PgPool;

use crate::harness::{
    Client, DEFAULT_PLAN, Page, TestDb, figures_and_history, form_fields, get, indicator_id, pairs,
    with_changes,
};

/// A year whose figures are published in the seed, with notes, and whose year before is too.
const YEAR: i32 = 2022;

fn entry_uri(year: i32) -> String {
    format!("/plans/{DEFAULT_PLAN}/entry/{year}")
}

async fn submit(client: &mut Client, year: i32, fields: &[(String, String)]) -> Page {
    client.post(&entry_uri(year), &pairs(fields)).await
}

fn attr(page: &Page, selector: &str, name: &str) -> Option<String> {
    page.html()
        .select(&Selector::parse(selector).unwrap())
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_owned))
}

/// The draft of an indicator's actual figure for a year: its value, note and the reason of its
/// last revision.
async fn draft(pool: &PgPool, id: i64, year: i32) -> Option<(String, String, String)> {
    sqlx::query_as(
        "select o.value::text, o.note,
                (select r.reason from revision r where r.indicator_id = o.indicator_id
                   and r.year = o.year and r.kind = 'actual' order by r.revision_id desc limit 1)
         from observation o
         where o.indicator_id = $1 and o.year = $2 and o.kind = 'actual' and o.state = 'draft'",
    )
    .bind(id)
    .bind(year)
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// The notes of every published figure, in order.
async fn published_notes(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select coalesce(string_agg(note, ';' order by observation_id), '') from observation
         where state = 'published'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn each_value_shows_last_years_published_figure_and_the_target_beside_it() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let form = analyst.get(&entry_uri(YEAR)).await;
    assert_eq!(form.status, StatusCode::OK);
    // Formatted as the pages write it, with its year; the target in the pages' words.
    assert_eq!(
        form.text(&format!("#context-i{rd} .last-year")),
        "Published for 2021: 2.16%"
    );
    assert_eq!(
        form.text(&format!("#context-i{rd} .target")),
        "Target: ≥ 2.6% by 2025"
    );
    // Read out with the value field.
    let described = attr(&form, &format!("#value-i{rd}"), "aria-describedby").unwrap();
    assert!(described.contains(&format!("context-i{rd}")), "{described}");
    // Every value has it, a programme count too; a year with nothing before says so.
    assert_eq!(
        form.texts(".entry-context .last-year").len(),
        form.texts("input[name^='value.']").len()
    );
    let first = analyst.get(&entry_uri(2020)).await;
    assert_eq!(
        first.text(&format!("#context-i{rd} .last-year")),
        "Published for 2019: none"
    );
    // In Chinese too.
    analyst.get("/language?set=zh&next=/").await;
    let zh = analyst.get(&entry_uri(YEAR)).await;
    assert!(
        zh.text(&format!("#context-i{rd} .last-year"))
            .starts_with("2021年已发布："),
        "{}",
        zh.text(&format!("#context-i{rd}"))
    );
}

#[tokio::test]
async fn the_form_has_a_save_button_at_the_top_and_at_the_bottom_submitting_the_same_form() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let form = analyst.get(&entry_uri(2024)).await;
    let html = form.html();
    let buttons: Vec<_> = html
        .select(&Selector::parse("main button[type=submit]").unwrap())
        .collect();
    assert_eq!(buttons.len(), 2, "{:?}", form.texts("main button"));
    let [top, bottom] = [buttons[0], buttons[1]];
    // The top one stands before the first row and names the form; the bottom one is in it.
    assert_eq!(top.value().attr("form"), Some("entry-form"));
    let top_at = form.body.find("id=\"save-top\"").unwrap();
    let first_row = form.body.find("class=\"entry-group\"").unwrap();
    assert!(top_at < first_row, "the top button comes before the rows");
    assert_eq!(
        form.texts("form#entry-form button[type=submit]").len(),
        1,
        "the bottom button is inside the form"
    );
    assert_eq!(
        top.text().collect::<String>(),
        bottom.text().collect::<String>()
    );
    // Submitting (with either: the same form) saves.
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{rd}"), "2.57"),
            (
                &format!("source.i{rd}"),
                "Chongqing S&T funding bulletin 2024",
            ),
        ],
    );
    let saved = submit(&mut analyst, 2024, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=1", entry_uri(2024)));
}

#[tokio::test]
async fn a_published_figure_changed_in_the_yearly_form_without_a_reason_is_refused_at_its_reason() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let form = analyst.get(&entry_uri(YEAR)).await;
    // A published row asks for a reason; an untouched form saves nothing and asks nothing.
    assert!(attr(&form, &format!("input#reason-i{rd}"), "name").is_some());
    let untouched = submit(&mut analyst, YEAR, &form_fields(&form, "form#entry-form")).await;
    assert_eq!(
        untouched.status,
        StatusCode::SEE_OTHER,
        "{}",
        untouched.body
    );
    assert_eq!(untouched.location, format!("{}?saved=0", entry_uri(YEAR)));

    let before = figures_and_history(&db.pool).await;
    let form = analyst.get(&entry_uri(YEAR)).await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{rd}"), "2.35"),
            (
                &format!("commentary.i{rd}"),
                "GDP was revised after the census.",
            ),
        ],
    );
    let refused = submit(&mut analyst, YEAR, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The indicator page's message, at this row's reason, linked from the summary.
    assert!(
        refused
            .text(&format!("#reason-i{rd}-error"))
            .contains("already published"),
        "{}",
        refused.text(".error-summary")
    );
    assert_eq!(
        attr(&refused, &format!("#reason-i{rd}"), "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        refused
            .html()
            .select(&Selector::parse(&format!(".error-summary a[href='#reason-i{rd}']")).unwrap())
            .next()
            .is_some()
    );
    // Everything typed kept; nothing saved.
    assert_eq!(
        attr(&refused, &format!("#value-i{rd}"), "value").as_deref(),
        Some("2.35")
    );
    assert_eq!(
        refused.text(&format!("#commentary-i{rd}")),
        "GDP was revised after the census."
    );
    assert_eq!(figures_and_history(&db.pool).await, before);
}

#[tokio::test]
async fn with_a_reason_the_revision_is_a_draft_and_the_reason_is_in_the_history() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let form = analyst.get(&entry_uri(YEAR)).await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{rd}"), "2.35"),
            (&format!("reason.i{rd}"), "GDP revised after the census"),
        ],
    );
    let saved = submit(&mut analyst, YEAR, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=1", entry_uri(YEAR)));
    let (value, _, reason) = draft(&db.pool, rd, YEAR).await.expect("a draft");
    assert_eq!(value, "2.35");
    assert_eq!(reason, "GDP revised after the census");
    // The public still reads the published figure; the history shows why it is revised.
    let public = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert_eq!(public.text("tr[data-year=\"2022\"] td.actual"), "2.36");
    let page = analyst
        .get(&format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"))
        .await;
    assert!(
        page.texts("table.history td.reason")
            .iter()
            .any(|r| r == "GDP revised after the census"),
        "{:?}",
        page.texts("table.history td.reason")
    );
}

#[tokio::test]
async fn the_published_note_is_shown_as_such_and_goes_with_a_new_value_only_when_kept() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let st = indicator_id(&db.pool, "st-enterprises").await;
    let form = analyst.get(&entry_uri(YEAR)).await;
    // The note field starts empty; the published note is shown beside it, named as such.
    assert_eq!(
        attr(&form, &format!("#note-i{rd}"), "value").as_deref(),
        Some("")
    );
    assert_eq!(
        form.text(&format!("#note-i{rd}-hint")),
        "From the published figure: R&D spending 686.6 (100 million yuan); first time in the national top 10."
    );
    assert!(
        attr(&form, &format!("#keep-note-i{st}"), "checked").is_none(),
        "not kept unless ticked"
    );
    let notes_before = published_notes(&db.pool).await;
    assert!(notes_before.contains("first time in the national top 10"));
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{rd}"), "2.35"),
            (&format!("reason.i{rd}"), "GDP revised"),
            (&format!("value.i{st}"), "43000"),
            (&format!("reason.i{st}"), "Final count"),
            (&format!("keep_note.i{st}"), "1"),
        ],
    );
    let saved = submit(&mut analyst, YEAR, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=2", entry_uri(YEAR)));
    // Not kept: the new value has no note. Kept on purpose: the published note goes with it.
    let (_, note, _) = draft(&db.pool, rd, YEAR).await.unwrap();
    assert_eq!(note, "");
    let (value, note, _) = draft(&db.pool, st, YEAR).await.unwrap();
    assert_eq!(value, "43000");
    assert_eq!(note, "reported as more than 42,000");
    // The published figures, their notes included, are as they were (and only two drafts).
    assert_eq!(published_notes(&db.pool).await, notes_before);
    // A note typed anew is what is saved.
    let form = analyst.get(&entry_uri(2021)).await;
    let fields = with_changes(
        &form_fields(&form, "form#entry-form"),
        &[
            (&format!("value.i{rd}"), "2.17"),
            (&format!("note.i{rd}"), "Census revision"),
            (&format!("reason.i{rd}"), "GDP revised"),
        ],
    );
    let saved = submit(&mut analyst, 2021, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        draft(&db.pool, rd, 2021).await.unwrap().1,
        "Census revision"
    );
}

#[tokio::test]
async fn the_upload_is_in_the_entry_area_and_no_longer_on_the_public_data_page() {
    let db = TestDb::seeded().await;
    let upload = format!("/plans/{DEFAULT_PLAN}/entry/upload");
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    // The entry page links it near the top.
    let form = analyst.get(&entry_uri(2024)).await;
    assert_eq!(attr(&form, "a#upload-link", "href"), Some(upload.clone()));
    let link_at = form.body.find("id=\"upload-link\"").unwrap();
    assert!(link_at < form.body.find("id=\"entry-form\"").unwrap());
    // The upload form is there and posts where it always did.
    let page = analyst.get(&upload).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        attr(&page, "main form[enctype='multipart/form-data']", "action"),
        Some(format!("/plans/{DEFAULT_PLAN}/data/upload"))
    );
    assert!(attr(&page, "input#file[type=file]", "name").is_some());
    // The Open data page: no upload form; a link for analysts, nothing for the public.
    let data = format!("/plans/{DEFAULT_PLAN}/data");
    let signed_in = analyst.get(&data).await;
    assert!(signed_in.texts("input#file").is_empty());
    assert_eq!(
        attr(&signed_in, "#upload-link a", "href"),
        Some(upload.clone())
    );
    assert_eq!(
        signed_in.text("#upload-link"),
        "Signed-in analysts: upload a spreadsheet"
    );
    let public = get(&db.app(), &data).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.texts("input#file").is_empty());
    assert!(public.texts("#upload-link").is_empty());
    assert!(!public.body.contains("/data/upload"));
    // The form itself is for signed-in analysts.
    let visitor = get(&db.app(), &upload).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(visitor.location.starts_with("/login"));
    // A refused file comes back on the upload form, with its message at the file input.
    analyst.get(&upload).await;
    let refused = analyst
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            "figures.txt",
            b"",
        )
        .await;
    assert!(!refused.text("#file-error").is_empty(), "{}", refused.body);
    assert_eq!(refused.text("h1"), "Upload figures from a spreadsheet");
}

#[tokio::test]
async fn a_value_keeps_the_decimals_it_was_published_with() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let sei = indicator_id(&db.pool, "sei-share").await;
    let year = 2025;
    let form = analyst.get(&entry_uri(year)).await;
    let typed = |rd_value: &str| {
        with_changes(
            &form_fields(&form, "form#entry-form"),
            &[
                (&format!("value.i{rd}"), rd_value),
                (&format!("source.i{rd}"), "Statistical bulletin 2025"),
                (&format!("value.i{sei}"), "35"),
                (&format!("source.i{sei}"), "Statistical bulletin 2025"),
            ],
        )
    };
    // More digits than the indicator accepts (two) are refused at the field …
    let refused = submit(&mut analyst, year, &typed("2.505")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !refused.text(&format!("#value-i{rd}-error")).is_empty(),
        "{}",
        refused.text(".error-summary")
    );
    // … fewer are kept as published: 2.50 stays 2.50, 35 stays 35 (one decimal allowed).
    let saved = submit(&mut analyst, year, &typed("2.50")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(draft(&db.pool, rd, year).await.unwrap().0, "2.50");
    assert_eq!(draft(&db.pool, sei, year).await.unwrap().0, "35");
    let again = analyst.get(&entry_uri(year)).await;
    assert_eq!(
        attr(&again, &format!("#value-i{rd}"), "value").as_deref(),
        Some("2.50")
    );
    assert_eq!(
        attr(&again, &format!("#value-i{sei}"), "value").as_deref(),
        Some("35")
    );
    // The official judging it reads the same digits.
    let mut official = db.signed_in("oli", Role::Official).await;
    let review = official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    let values = review.texts(".draft-value .value");
    assert!(values.iter().any(|v| v == "2.50"), "{values:?}");
    assert!(values.iter().any(|v| v == "35"), "{values:?}");
}
