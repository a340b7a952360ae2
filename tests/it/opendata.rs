//! Open data: downloads, the spreadsheet upload, the import and export commands, the round
//! trips and the feed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use plantrack::domain::plan::Role;
use sqlx::PgPool;
use std::io::Cursor;

use crate::harness::{Client, DEFAULT_PLAN, TestDb, download, figures_and_history, get};

/// The columns of a file made before figures had a commentary: uploads of it still work.
const COLUMNS: &str = "plan,indicator,name_en,name_zh,year,kind,value,unit,state,source,note";
/// The columns of a download.
const DOWNLOAD_COLUMNS: &str =
    "plan,indicator,name_en,name_zh,year,kind,value,unit,state,source,note,commentary";

fn data_uri(file: &str) -> String {
    format!("/plans/{DEFAULT_PLAN}/data/{file}")
}

fn upload_uri() -> String {
    format!("/plans/{DEFAULT_PLAN}/data/upload")
}

/// Everything an upload could change: figures, history and kept uploads.
async fn snapshot(pool: &PgPool) -> (String, i64, i64) {
    let (figures, history) = figures_and_history(pool).await;
    let uploads: i64 = sqlx::query_scalar("select count(*) from upload")
        .fetch_one(pool)
        .await
        .unwrap();
    (figures, history, uploads)
}

/// Adds a draft of rd-intensity for 2024, as an analyst would have entered it.
async fn add_draft(pool: &PgPool) {
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source, note)
         select indicator_id, 2024, 'actual', 'draft', 2.57, 'draft entry', 'not reviewed'
         from indicator join plan using (plan_id) where is_default and code = 'rd-intensity'",
    )
    .execute(pool)
    .await
    .unwrap();
}

/// Gives a published figure a commentary, as an analyst and an official would have.
async fn add_commentary(pool: &PgPool) {
    let done = sqlx::query(
        "update observation set commentary = 'Enterprise spending grew; \"new\" labs opened.'
         where state = 'published' and kind = 'actual' and year = 2022 and indicator_id =
             (select indicator_id from indicator join plan using (plan_id)
              where is_default and code = 'rd-intensity')",
    )
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(done.rows_affected(), 1);
}

/// The lines of a CSV download after its header, split naively (the tests' values hold no
/// commas where they are compared).
fn csv_lines(text: &str) -> Vec<String> {
    text.lines().skip(1).map(str::to_owned).collect()
}

/// A cell as its text; numbers in their shortest form (2023, not 2023.0).
fn cell(d: &Data) -> String {
    d.to_string()
}

fn json_text(v: &serde_json::Value) -> String {
    v.to_string()
}

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX workbook")
}

/// What an analyst's spreadsheet program saves after editing the downloaded workbook: the
/// figures sheet with every cell as it was (numbers as numbers), except `edits`, which set
/// the value of (indicator, year, kind, state) to a number or a text.
fn edited_xlsx(original: &[u8], edits: &[(&str, &str, &str, &str, EditedValue)]) -> Vec<u8> {
    let mut book = workbook(original);
    let range = book.worksheet_range("figures").unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let sheet = out.add_worksheet();
    sheet.set_name("figures").unwrap();
    let mut applied = 0;
    for (r, row) in range.rows().enumerate() {
        let key: Vec<String> = [1, 4, 5, 8].iter().map(|i| row[*i].to_string()).collect();
        let edit = edits
            .iter()
            .find(|(code, year, kind, state, _)| key == [*code, *year, *kind, *state]);
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if c == 6
                && let Some((.., value)) = edit
            {
                match value {
                    EditedValue::Number(n) => sheet.write_number(r, c, *n).unwrap(),
                    EditedValue::Text(t) => sheet.write_string(r, c, *t).unwrap(),
                };
                applied += 1;
                continue;
            }
            match cell {
                Data::Float(f) => {
                    sheet.write_number(r, c, *f).unwrap();
                }
                Data::Int(i) => {
                    sheet.write_number(r, c, *i as f64).unwrap();
                }
                Data::String(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                Data::Empty => {}
                other => panic!("unexpected cell {other:?}"),
            }
        }
    }
    assert_eq!(applied, edits.len(), "every edit found its row");
    out.save_to_buffer().unwrap()
}

enum EditedValue {
    Number(f64),
    Text(&'static str),
}

/// The rows of a preview page: (status, indicator, year, old, new, reason).
fn preview_rows(
    page: &crate::harness::Page,
) -> Vec<(String, String, String, String, String, String)> {
    let html = page.html();
    let rows = scraper::Selector::parse("table.preview tbody tr").unwrap();
    let cell = |row: &scraper::ElementRef, sel: &str| {
        row.select(&scraper::Selector::parse(sel).unwrap())
            .next()
            .map(|e| e.text().collect::<String>().trim().to_owned())
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
                cell(&row, "td.year"),
                cell(&row, "td.old"),
                cell(&row, "td.new")
                    .trim_start_matches('→')
                    .trim()
                    .to_owned(),
                cell(&row, "td.reason"),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_csv_download_has_a_byte_order_mark_the_documented_columns_and_exact_values() {
    let db = TestDb::seeded().await;
    let mut public = Client::new(db.app());
    let file = public.download(&data_uri("figures.csv")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert!(
        file.header(header::CONTENT_DISPOSITION)
            .contains(&format!("{DEFAULT_PLAN}-figures.csv"))
    );
    assert!(file.bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark");
    let text = file.text();
    let text = text.trim_start_matches('\u{FEFF}');
    assert_eq!(text.lines().next().unwrap(), DOWNLOAD_COLUMNS);
    let lines = csv_lines(text);
    // Values exactly as published (2.40 keeps its zero, 630.4 gains none), Chinese names intact.
    for expected in [
        "rd-intensity,R&D expenditure as a share of regional GDP,全社会研发经费投入强度,2021,actual,2.16,%,published,",
        "rd-intensity,R&D expenditure as a share of regional GDP,全社会研发经费投入强度,2020,national_average,2.40,%,published,",
        ",2024,actual,974.24,",
        ",2022,actual,630.4,",
        "st-enterprises,",
        ",2025,actual,75600,",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(expected)),
            "no line with {expected:?}"
        );
    }
    let published: i64 = sqlx::query_scalar(
        "select count(*) from observation o join indicator i using (indicator_id)
         join plan p on p.plan_id = i.plan_id where p.is_default and o.state = 'published'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let programme_counts = lines.iter().filter(|l| l.contains(",programme:")).count();
    assert_eq!(lines.len() as i64, published + programme_counts as i64);

    // The data page documents every column of the header, and links the downloads.
    let page = get(&db.app(), &format!("/plans/{DEFAULT_PLAN}/data")).await;
    assert_eq!(page.status, StatusCode::OK);
    let documented: Vec<String> = page.texts("table.columns tbody th code");
    assert_eq!(documented.join(","), DOWNLOAD_COLUMNS);
    assert!(
        page.body
            .contains(&format!("href=\"{}\"", data_uri("figures.xlsx")))
    );
    // Every indicator page links its own downloads.
    let indicator = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    let one = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity/data/figures.csv");
    assert!(indicator.body.contains(&format!("href=\"{one}\"")));
    let only = public.download(&one).await.text();
    assert!(
        csv_lines(&only)
            .iter()
            .all(|l| l.contains(",rd-intensity,"))
    );
    assert_eq!(
        csv_lines(&only).len(),
        8,
        "4 actual figures and 4 national averages"
    );
}

#[tokio::test]
async fn the_xlsx_download_has_a_figures_sheet_and_a_definitions_sheet() {
    let db = TestDb::seeded().await;
    let file = Client::new(db.app())
        .download(&data_uri("figures.xlsx"))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.header(header::CONTENT_TYPE),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book = workbook(&file.bytes);
    assert_eq!(book.sheet_names(), ["figures", "indicators"]);
    let figures = book.worksheet_range("figures").unwrap();
    let header: Vec<String> = figures
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header.join(","), DOWNLOAD_COLUMNS);
    let rd_2023 = figures
        .rows()
        .find(|r| cell(&r[1]) == "rd-intensity" && cell(&r[4]) == "2023" && cell(&r[5]) == "actual")
        .unwrap();
    assert_eq!(rd_2023[6], Data::Float(2.45), "a number, not text");
    assert_eq!(rd_2023[3].to_string(), "全社会研发经费投入强度");

    let definitions = book.worksheet_range("indicators").unwrap();
    let head: Vec<String> = definitions
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rd = definitions
        .rows()
        .find(|r| cell(&r[col("indicator")]) == "rd-intensity")
        .unwrap();
    assert_eq!(rd[col("unit_kind")].to_string(), "percent");
    assert_eq!(rd[col("target_value")], Data::Float(2.6));
    assert_eq!(rd[col("target_comparator")].to_string(), ">=");
    assert_eq!(rd[col("baseline_value")], Data::Float(2.11));
    assert!(!rd[col("source")].to_string().is_empty(), "provenance");
    assert!(
        definitions
            .rows()
            .any(|r| r[col("indicator")].to_string().starts_with("programme:")),
        "programmes too"
    );
}

#[tokio::test]
async fn the_json_download_holds_the_definitions_and_the_published_figures() {
    let db = TestDb::seeded().await;
    add_draft(&db.pool).await;
    let file = Client::new(db.app())
        .download(&data_uri("figures.json"))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    let text = file.text();
    assert!(text.contains("\"value\": 2.45"), "exact digits");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "plantrack-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["figures"], "published");
    assert_eq!(doc["plan"]["slug"], DEFAULT_PLAN);
    assert_eq!(doc["indicators"].as_array().unwrap().len(), 13);
    assert_eq!(doc["groups"].as_array().unwrap().len(), 5);
    assert_eq!(doc["programmes"].as_array().unwrap().len(), 7);
    let rd = doc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "rd-intensity")
        .unwrap();
    assert_eq!(rd["target"]["value"].to_string(), "2.6");
    assert!(
        rd["figures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["state"] == "published" && json_text(&f["value"]) != "2.57"),
        "no draft for the public"
    );
}

#[tokio::test]
async fn drafts_are_downloaded_only_by_signed_in_users_and_marked_as_drafts() {
    let db = TestDb::seeded().await;
    add_draft(&db.pool).await;
    let mut public = Client::new(db.app());
    let draft_line = |text: &str| {
        csv_lines(text)
            .into_iter()
            .find(|l| l.contains(",rd-intensity,") && l.contains(",2024,actual,"))
    };
    let plain = public.download(&data_uri("figures.csv")).await.text();
    assert_eq!(draft_line(&plain), None, "the public never sees a draft");
    let asked = public
        .download(&format!("{}?drafts=include", data_uri("figures.csv")))
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert!(asked.header(header::LOCATION).starts_with("/login?next="));
    let json = public
        .download(&format!("{}?drafts=include", data_uri("figures.json")))
        .await;
    assert_eq!(json.status, StatusCode::SEE_OTHER);

    let mut official = db.signed_in("oli", Role::Official).await;
    let without = official.download(&data_uri("figures.csv")).await.text();
    assert_eq!(draft_line(&without), None, "drafts only when asked for");
    let with = official
        .download(&format!("{}?drafts=include", data_uri("figures.csv")))
        .await;
    assert_eq!(with.header(header::CACHE_CONTROL), "private, no-store");
    assert!(
        with.header(header::CONTENT_DISPOSITION)
            .contains("with-drafts")
    );
    let line = draft_line(&with.text()).expect("the draft");
    assert!(
        line.contains(",2.57,%,draft,draft entry,not reviewed"),
        "{line}"
    );
    let doc: serde_json::Value = serde_json::from_slice(
        &official
            .download(&format!("{}?drafts=include", data_uri("figures.json")))
            .await
            .bytes,
    )
    .unwrap();
    assert_eq!(doc["figures"], "all");
    let text = doc.to_string();
    assert!(text.contains("\"state\":\"draft\""), "{text}");
}

#[tokio::test]
async fn an_analyst_edits_three_values_in_the_xlsx_previews_exactly_three_changes_and_saves_three_drafts()
 {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let original = analyst
        .download(&format!("{}?drafts=include", data_uri("figures.xlsx")))
        .await;
    let edited = edited_xlsx(
        &original.bytes,
        &[
            (
                "rd-intensity",
                "2023",
                "actual",
                "published",
                EditedValue::Number(2.47),
            ),
            (
                "st-enterprises",
                "2022",
                "actual",
                "published",
                EditedValue::Number(42500.0),
            ),
            (
                "tech-contract-turnover",
                "2024",
                "actual",
                "published",
                EditedValue::Number(980.5),
            ),
        ],
    );
    let before = snapshot(&db.pool).await;
    let checked = analyst
        .post_file(&upload_uri(), "figures.xlsx", &edited)
        .await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER, "{}", checked.body);
    assert_eq!(
        snapshot(&db.pool).await.0,
        before.0,
        "nothing saved before confirming"
    );

    let preview = analyst.get(&checked.location).await;
    assert_eq!(preview.status, StatusCode::OK);
    let rows = preview_rows(&preview);
    let changed: Vec<_> = rows.iter().filter(|r| r.0 == "changed").collect();
    assert_eq!(changed.len(), 3, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.0 == "changed" || r.0 == "unchanged"),
        "{rows:?}"
    );
    let shown = |code: &str| {
        changed
            .iter()
            .find(|r| r.1 == code)
            .map(|r| (r.2.clone(), r.3.clone(), r.4.clone()))
            .unwrap()
    };
    // The value stored now is labelled (published, or draft), and numbers are grouped as on
    // the pages (issue 13).
    assert_eq!(
        shown("rd-intensity"),
        ("2023".into(), "published 2.45".into(), "2.47".into())
    );
    assert_eq!(
        shown("st-enterprises"),
        ("2022".into(), "published 42,000".into(), "42,500".into())
    );
    assert_eq!(
        shown("tech-contract-turnover"),
        ("2024".into(), "published 974.24".into(), "980.5".into())
    );

    let saved = analyst
        .post(&format!("{}/confirm", checked.location), &[])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location,
        format!("/plans/{DEFAULT_PLAN}/data?saved=3")
    );
    assert!(
        analyst
            .get(&saved.location)
            .await
            .text(".notice")
            .contains("Saved 3 figures as drafts")
    );

    let drafts: Vec<(String, String, String)> = sqlx::query_as(
        "select i.code, o.value::text, u.username from observation o
         join indicator i using (indicator_id) join app_user u on u.app_user_id = o.entered_by
         where o.state = 'draft' order by i.code",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        drafts,
        [
            ("rd-intensity".into(), "2.47".into(), "ana".into()),
            ("st-enterprises".into(), "42500".into(), "ana".into()),
            (
                "tech-contract-turnover".into(),
                "980.5".into(),
                "ana".into()
            ),
        ]
    );
    // The reason is the system's, so it is stored as a code with the file's name (rendered
    // "uploaded from figures.xlsx" in the reader's language) rather than as an English sentence.
    let history: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "select actor_label, reason_code, reason from revision where revision_id > (select max(revision_id) - 3 from revision)",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(history.len(), 3);
    assert!(history.iter().all(|(who, code, file)| who == "ana"
        && code.as_deref() == Some("uploaded")
        && file == "figures.xlsx"));
    assert_eq!(
        snapshot(&db.pool).await.1,
        before.1 + 3,
        "one history row each"
    );
    assert_eq!(snapshot(&db.pool).await.2, 0, "the kept upload is gone");
    // The drafts await review like any other.
    let mut official = db.signed_in("oli", Role::Official).await;
    let review = official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    assert_eq!(review.texts("table.review tbody tr").len(), 3);
}

fn csv_file(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("\u{FEFF}");
    for l in lines {
        text.push_str(l);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

#[tokio::test]
async fn a_malformed_file_is_refused_row_by_row_with_reasons_and_nothing_is_saved() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let plan = DEFAULT_PLAN;
    let good = format!("{plan},rd-intensity,,,2024,actual,2.55,%,draft,Bulletin 2024,");
    let original = analyst.download(&data_uri("figures.xlsx")).await.bytes;
    let text_in_number = edited_xlsx(
        &original,
        &[(
            "rd-intensity",
            "2023",
            "actual",
            "published",
            EditedValue::Text("about 2.5"),
        )],
    );
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "wrong columns",
            "figures.csv",
            csv_file(&[
                "plan,indicator,year,kind,valeur,state,source,note",
                &format!("{plan},rd-intensity,2024,actual,2.55,draft,b,"),
            ]),
            "The column “value” is missing",
        ),
        (
            "text in a number cell",
            "figures.xlsx",
            text_in_number,
            "enter a number such as 1234.5",
        ),
        (
            "an unknown indicator",
            "figures.csv",
            csv_file(&[
                COLUMNS,
                &good,
                &format!("{plan},gdp-growth,,,2024,actual,5.2,%,draft,b,"),
            ]),
            "There is no indicator or programme “gdp-growth” in this plan",
        ),
        (
            "a duplicate row",
            "figures.csv",
            csv_file(&[COLUMNS, &good, &good]),
            "Duplicate row: row 2 already gives this figure",
        ),
        (
            "a value the form refuses",
            "figures.csv",
            csv_file(&[
                COLUMNS,
                &format!("{plan},rd-intensity,,,2024,actual,101,%,draft,b,"),
            ]),
            "a percentage must be between 0 and 100",
        ),
        (
            "a national average",
            "figures.csv",
            csv_file(&[
                COLUMNS,
                &format!("{plan},rd-intensity,,,2024,national_average,2.7,%,published,b,"),
            ]),
            "National averages and benchmarks come from the plan's seed file",
        ),
    ];
    let before = snapshot(&db.pool).await;
    for (what, name, bytes, reason) in cases {
        let page = analyst.post_file(&upload_uri(), name, &bytes).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            page.body
        );
        let refusals = page.text("#error-summary");
        assert!(
            refusals.starts_with("Nothing can be saved"),
            "{what}: {refusals}"
        );
        assert!(refusals.contains(reason), "{what}: {refusals}");
        assert!(
            page.texts("form[action$='/confirm']").is_empty(),
            "{what}: no way to confirm"
        );
        if what != "wrong columns" {
            let refused: Vec<_> = preview_rows(&page)
                .into_iter()
                .filter(|r| r.0 == "refused")
                .collect();
            assert_eq!(refused.len(), 1, "{what}: exactly the bad row");
            assert!(refused[0].5.contains(reason), "{what}: {refused:?}");
        }
        assert_eq!(snapshot(&db.pool).await, before, "{what}: nothing saved");
    }

    // A file over 10 MiB is refused with a clear message at the file input.
    let big = vec![b'x'; (10 << 20) + 1];
    let page = analyst.post_file(&upload_uri(), "big.csv", &big).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.text("#file-error").contains("larger than 10 MiB"),
        "{}",
        page.body
    );
    let describedby = page.html();
    let input = describedby
        .select(&scraper::Selector::parse("input#file").unwrap())
        .next()
        .unwrap();
    assert!(
        input
            .value()
            .attr("aria-describedby")
            .unwrap()
            .contains("file-error")
    );
    assert_eq!(snapshot(&db.pool).await, before, "nothing saved");
}

#[tokio::test]
async fn only_the_upload_accepts_a_body_over_one_mebibyte() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    // A note too long to save, then blank lines that take the file over 1 MiB (one cell of
    // that size is refused before it is checked: see hostile_files.rs).
    let long_note = "n".repeat(3000);
    let mut file = csv_file(&[
        COLUMNS,
        &format!("{DEFAULT_PLAN},rd-intensity,,,2024,actual,2.55,%,draft,b,{long_note}"),
    ]);
    file.extend(std::iter::repeat_n(b'\n', 2 << 20));
    let page = analyst.post_file(&upload_uri(), "figures.csv", &file).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "read, then refused"
    );
    assert!(page.text("td.reason").contains("at most 2000"));
    let form = format!("csrf={}&x={}", analyst.csrf, "a".repeat(2 << 20));
    let req = Request::post(format!("/plans/{DEFAULT_PLAN}/entry/2024"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, form.len())
        .header(header::COOKIE, analyst.cookie.clone().unwrap())
        .body(Body::from(form))
        .unwrap();
    assert_eq!(
        download(&db.app(), req).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

/// Uploads a one-row change and returns the preview's address.
async fn upload_change(analyst: &mut Client) -> String {
    analyst.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let file = csv_file(&[
        COLUMNS,
        &format!("{DEFAULT_PLAN},rd-intensity,,,2024,actual,2.55,%,draft,Bulletin 2024,"),
        &format!("{DEFAULT_PLAN},science-literacy,,,2023,actual,13.1,%,draft,Survey 2023,"),
    ]);
    let page = analyst.post_file(&upload_uri(), "figures.csv", &file).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let preview = analyst.get(&page.location).await;
    let statuses: Vec<String> = preview_rows(&preview).into_iter().map(|r| r.0).collect();
    assert_eq!(statuses, ["new", "new"]);
    page.location
}

#[tokio::test]
async fn cancelling_an_upload_saves_nothing_and_it_cannot_be_confirmed_afterwards() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let before = snapshot(&db.pool).await;
    let preview = upload_change(&mut analyst).await;
    assert_eq!(
        snapshot(&db.pool).await.2,
        1,
        "kept until confirmed or cancelled"
    );
    let cancelled = analyst.post(&format!("{preview}/cancel"), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(
        cancelled.location,
        format!("/plans/{DEFAULT_PLAN}/data?cancelled=1")
    );
    assert!(
        analyst
            .get(&cancelled.location)
            .await
            .text(".notice")
            .contains("nothing was saved")
    );
    assert_eq!(snapshot(&db.pool).await, before);
    let late = analyst.post(&format!("{preview}/confirm"), &[]).await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    assert_eq!(snapshot(&db.pool).await, before);
}

#[tokio::test]
async fn an_upload_is_only_its_authors_and_only_analysts_upload() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let preview = upload_change(&mut analyst).await;
    let mut other = db.signed_in("bea", Role::Analyst).await;
    assert_eq!(other.get(&preview).await.status, StatusCode::NOT_FOUND);
    other.get("/").await;
    assert_eq!(
        other.post(&format!("{preview}/confirm"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let mut official = db.signed_in("oli", Role::Official).await;
    official.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let page = official
        .post_file(&upload_uri(), "figures.csv", &csv_file(&[COLUMNS]))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut public = Client::new(db.app());
    let page = public
        .post_file(&upload_uri(), "figures.csv", &csv_file(&[COLUMNS]))
        .await;
    assert!(page.status == StatusCode::SEE_OTHER && page.location.starts_with("/login"));
    // A forged token is refused before anything is read.
    analyst.csrf = "forged".into();
    let page = analyst
        .post_file(&upload_uri(), "figures.csv", &csv_file(&[COLUMNS]))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_figure_changed_after_the_preview_stops_the_whole_save() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let preview = upload_change(&mut analyst).await;
    // Someone enters science literacy for 2023 meanwhile.
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source)
         select indicator_id, 2023, 'actual', 'draft', 12.9, 'someone else'
         from indicator join plan using (plan_id) where is_default and code = 'science-literacy'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let before = snapshot(&db.pool).await;
    let page = analyst.post(&format!("{preview}/confirm"), &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text(".notice").contains("Nothing was saved"));
    let conflicts: Vec<_> = preview_rows(&page)
        .into_iter()
        .filter(|r| r.0 == "conflict")
        .map(|r| r.1)
        .collect();
    assert_eq!(conflicts, ["science-literacy"]);
    let after = snapshot(&db.pool).await;
    assert_eq!(
        (after.0, after.1),
        (before.0, before.1),
        "not even the other row"
    );
}

#[tokio::test]
async fn csv_and_xlsx_downloads_upload_back_as_all_unchanged() {
    let db = TestDb::seeded().await;
    add_draft(&db.pool).await;
    add_commentary(&db.pool).await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let before = snapshot(&db.pool).await;
    for file in ["figures.csv", "figures.xlsx"] {
        for query in ["", "?drafts=include"] {
            let bytes = analyst
                .download(&format!("{}{query}", data_uri(file)))
                .await
                .bytes;
            let page = analyst.post_file(&upload_uri(), file, &bytes).await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "{file}{query}: {:?}",
                preview_rows(&page)
                    .into_iter()
                    .filter(|r| r.0 != "unchanged")
                    .collect::<Vec<_>>()
            );
            let rows = preview_rows(&page);
            assert!(rows.len() >= 20, "{file}{query}: every figure");
            assert!(
                rows.iter().all(|r| r.0 == "unchanged"),
                "{file}{query}: {:?}",
                rows.iter()
                    .filter(|r| r.0 != "unchanged")
                    .collect::<Vec<_>>()
            );
            assert!(page.text(".notice").contains("nothing to save"));
            assert_eq!(snapshot(&db.pool).await, before, "{file}{query}");
        }
    }
}

/// Runs the binary against `db`; returns whether it succeeded, stdout and stderr.
fn plantrack(db: &TestDb, args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"))
        .args(args)
        .env("DATABASE_URL", db.url())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A directory of a test's own, removed when the test ends.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("plantrack-opendata-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn the_export_and_import_commands_check_every_row_and_dry_run_saves_nothing() {
    let db = TestDb::seeded().await;
    add_draft(&db.pool).await;
    let dir = TempDir::new("commands");
    let csv = dir.file("export.csv");
    let (ok, _, err) = plantrack(
        &db,
        &[
            "export",
            "--plan",
            DEFAULT_PLAN,
            "--format",
            "csv",
            "--output",
            csv.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(",2.57,%,draft,"),
        "the command exports drafts too"
    );
    let (ok, stdout, err) = plantrack(&db, &["export", "--format", "json"]);
    assert!(ok, "{err}");
    assert!(
        String::from_utf8(stdout)
            .unwrap()
            .contains("\"figures\": \"all\"")
    );

    let edited = text.replace(
        ",2023,actual,2.45,%,published,",
        ",2023,actual,2.48,%,published,",
    );
    assert_ne!(edited, text);
    std::fs::write(&csv, &edited).unwrap();
    let before = snapshot(&db.pool).await;
    let (ok, stdout, err) = plantrack(&db, &["import", csv.to_str().unwrap(), "--dry-run"]);
    let stdout = String::from_utf8(stdout).unwrap();
    assert!(ok, "{err}");
    assert!(
        stdout.contains("changed rd-intensity 2023 (actual, published): 2.45 -> 2.48"),
        "{stdout}"
    );
    assert!(stdout.contains("0 new, 1 changed,"), "{stdout}");
    assert!(stdout.contains("dry run: nothing was saved"), "{stdout}");
    assert_eq!(snapshot(&db.pool).await, before);

    let (ok, stdout, err) = plantrack(&db, &["import", csv.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        String::from_utf8(stdout)
            .unwrap()
            .contains("1 figure(s) saved as drafts")
    );
    let draft: String = sqlx::query_scalar(
        "select value::text from observation where state = 'draft' and year = 2023",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(draft, "2.48");

    // A refused row: the command fails, names it, and saves nothing.
    std::fs::write(&csv, edited.replace(",2.48,%,", ",2.4x,%,")).unwrap();
    let before = snapshot(&db.pool).await;
    let (ok, _, err) = plantrack(&db, &["import", csv.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("refused rd-intensity 2023"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(snapshot(&db.pool).await, before);
}

#[tokio::test]
async fn a_json_export_imported_into_an_empty_database_exports_the_same_bytes() {
    let source = TestDb::seeded().await;
    add_draft(&source.pool).await;
    add_commentary(&source.pool).await;
    // A programme whose counts are derived from its items exports and imports as such.
    sqlx::query("update programme set count_from_items = 'operating' where slug = 'incubators'")
        .execute(&source.pool)
        .await
        .unwrap();
    let empty = TestDb::empty().await;
    let dir = TempDir::new("round-trip");
    for plan in [DEFAULT_PLAN, crate::harness::EXAMPLE_PLAN] {
        let first = dir.file(&format!("{plan}-first.json"));
        let again = dir.file(&format!("{plan}-again.json"));
        let (ok, _, err) = plantrack(
            &source,
            &[
                "export",
                "--plan",
                plan,
                "--format",
                "json",
                "--output",
                first.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        let (ok, stdout, err) = plantrack(&empty, &["import", first.to_str().unwrap()]);
        assert!(ok, "{err}");
        assert!(String::from_utf8(stdout).unwrap().contains("plan created"));
        let (ok, _, err) = plantrack(
            &empty,
            &[
                "export",
                "--plan",
                plan,
                "--format",
                "json",
                "--output",
                again.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        let (a, b) = (
            std::fs::read(&first).unwrap(),
            std::fs::read(&again).unwrap(),
        );
        assert!(a.len() > 1000);
        assert!(a == b, "{plan}: the second export differs from the first");
    }
    let drafts: i64 = sqlx::query_scalar("select count(*) from observation where state = 'draft'")
        .fetch_one(&empty.pool)
        .await
        .unwrap();
    assert_eq!(drafts, 1, "the draft came along, still a draft");
    let commentary: i64 =
        sqlx::query_scalar("select count(*) from observation where commentary like 'Enterprise%'")
            .fetch_one(&empty.pool)
            .await
            .unwrap();
    assert_eq!(commentary, 1, "the commentary came along");
    let derived: Option<String> =
        sqlx::query_scalar("select count_from_items from programme where slug = 'incubators'")
            .fetch_one(&empty.pool)
            .await
            .unwrap();
    assert_eq!(derived.as_deref(), Some("operating"));
    // Imported again, the same file changes nothing.
    let before = snapshot(&empty.pool).await;
    let first = dir.file(&format!("{DEFAULT_PLAN}-first.json"));
    let (ok, stdout, err) = plantrack(&empty, &["import", first.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        String::from_utf8(stdout)
            .unwrap()
            .contains("0 new, 0 changed")
    );
    assert_eq!(snapshot(&empty.pool).await, before);
}

#[tokio::test]
async fn the_feed_lists_published_figures_newest_first_and_never_drafts() {
    let db = TestDb::seeded().await;
    add_draft(&db.pool).await;
    // One figure published later than the seeded ones.
    sqlx::query(
        "update observation set published_at = now() + interval '1 hour'
         where state = 'published' and year = 2023 and kind = 'actual'
           and indicator_id = (select indicator_id from indicator join plan using (plan_id)
                               where is_default and code = 'rd-intensity')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let feed = Client::new(db.app())
        .download(&format!("/plans/{DEFAULT_PLAN}/feed.atom"))
        .await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.header(header::CONTENT_TYPE)
            .starts_with("application/atom+xml")
    );
    // Well-formed XML, read element by element.
    let mut reader = quick_xml::Reader::from_reader(feed.bytes.as_slice());
    let mut buf = Vec::new();
    let (mut path, mut entries): (Vec<String>, Vec<(String, String, String)>) = (vec![], vec![]);
    let mut links = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if name == "entry" {
                    entries.push(Default::default());
                }
                path.push(name);
            }
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == b"link" => {
                let href = e
                    .try_get_attribute("href")
                    .unwrap()
                    .unwrap()
                    .decoded_and_normalized_value(
                        quick_xml::XmlVersion::default(),
                        reader.decoder(),
                    )
                    .unwrap()
                    .into_owned();
                if path.last().map(String::as_str) == Some("entry") {
                    links.push(href);
                }
            }
            quick_xml::events::Event::Text(t) => {
                let text = t.decode().unwrap().into_owned();
                if let (Some(e), Some(tag)) = (entries.last_mut(), path.last()) {
                    match tag.as_str() {
                        "id" => e.0 = text,
                        "title" => e.1.push_str(&text),
                        "updated" => e.2 = text,
                        _ => {}
                    }
                }
            }
            quick_xml::events::Event::GeneralRef(r) => {
                let text = match &*r {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    _ => "'",
                };
                if let (Some(e), Some("title")) =
                    (entries.last_mut(), path.last().map(String::as_str))
                {
                    e.1.push_str(text);
                }
            }
            quick_xml::events::Event::End(_) => {
                path.pop();
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let published: i64 = sqlx::query_scalar(
        "select count(*) from observation o
         left join indicator i using (indicator_id) left join programme p using (programme_id)
         where o.state = 'published'
           and coalesce(i.plan_id, p.plan_id) = (select plan_id from plan where is_default)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(entries.len() as i64, published);
    assert_eq!(
        entries[0].1,
        "R&D expenditure as a share of regional GDP, 2023: 2.45%"
    );
    assert_eq!(
        links[0],
        // Built from the listening address (no public address is configured), never the Host.
        format!("http://127.0.0.1:8080/plans/{DEFAULT_PLAN}/indicators/rd-intensity")
    );
    assert!(entries.iter().all(|e| !e.1.contains("2.57")), "no draft");
    let ids: std::collections::HashSet<&String> = entries.iter().map(|e| &e.0).collect();
    assert_eq!(ids.len(), entries.len(), "every entry has its own id");
    assert!(entries.windows(2).all(|w| w[0].2 >= w[1].2), "newest first");

    // The plan's pages point feed readers at it.
    let page = get(&db.app(), &format!("/plans/{DEFAULT_PLAN}")).await;
    let html = page.html();
    let link = html
        .select(
            &scraper::Selector::parse("link[rel=alternate][type='application/atom+xml']").unwrap(),
        )
        .next()
        .expect("a feed link");
    assert_eq!(
        link.value().attr("href"),
        Some(format!("/plans/{DEFAULT_PLAN}/feed.atom").as_str())
    );
}
