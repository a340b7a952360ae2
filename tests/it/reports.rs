//! The annual monitoring report: an official writes the year's summary and recommendations,
//! another publishes them, and the year's report (a Word document, or a page to print) is
//! public from then on. The document is real Word structure, holds published figures only,
//! gives the statuses the API gives for that year, and opens in a real word processor.

use std::collections::HashMap;
use std::io::Read;

use axum::http::{StatusCode, header};
use plantrack::domain::plan::Role;
use plantrack::i18n::Lang;
use scraper::Selector;

use crate::harness::{Client, DEFAULT_PLAN, Page, TestDb, get, seed};

const PLAN: &str = "china-outline-2021-2025";
const YEAR: i32 = 2023;
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const SUMMARY: &str = "The economy recovered in 2023; most binding targets are on schedule.";
const ADVICE: &str = "Step up energy saving so that the intensity targets are met by 2025.";

/// A copy of the shipped plans with the national outline (a time-progress plan with lagging
/// indicators) added.
async fn with_plan() -> TestDb {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(PLAN)])
        .await
        .unwrap();
    db
}

fn report_uri(query: &str) -> String {
    format!("/plans/{PLAN}/reports/{YEAR}{query}")
}

fn edit_uri() -> String {
    format!("/plans/{PLAN}/reports/{YEAR}/edit")
}

/// Opens the words' form (for its token) and posts `summary` and `recommendations`.
async fn write_words(client: &mut Client, summary: &str, recommendations: &str) -> Page {
    let form = client.get(&edit_uri()).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = form.attr("input[name=token]", "value");
    client
        .post(
            &edit_uri(),
            &[
                ("summary", summary),
                ("recommendations", recommendations),
                ("token", &token),
            ],
        )
        .await
}

/// The parts of a Word document by name.
fn parts(docx: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a ZIP package");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_owned(), bytes)
        })
        .collect()
}

/// What a Word document's body holds, read from its XML.
#[derive(Default, Debug)]
struct Body {
    /// Each paragraph's style (empty for none) and text, in order, tables' cells included.
    paragraphs: Vec<(String, String)>,
    /// Each table: its rows, each row's cells' texts, and whether the row repeats as a header.
    tables: Vec<Vec<(Vec<String>, bool)>>,
    /// Each image's alternative text.
    image_alts: Vec<String>,
}

impl Body {
    fn text(&self) -> String {
        self.paragraphs
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn headings(&self, style: &str) -> Vec<&str> {
        self.paragraphs
            .iter()
            .filter(|(s, _)| s == style)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

fn read_body(xml: &[u8]) -> Body {
    use quick_xml::events::Event;
    let attr = |e: &quick_xml::events::BytesStart, name: &[u8]| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
            .unwrap_or_default()
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut body = Body::default();
    let (mut style, mut text, mut in_text) = (String::new(), String::new(), false);
    let mut cell = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut header = false;
    let mut tables: Vec<Vec<(Vec<String>, bool)>> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => match e.name().as_ref() {
                b"w:p" => (style, text) = (String::new(), String::new()),
                b"w:t" => in_text = true,
                b"w:tbl" => tables.push(Vec::new()),
                b"w:tr" => (row, header) = (Vec::new(), false),
                b"w:tc" => cell.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"w:pStyle" => style = attr(&e, b"w:val"),
                b"w:tblHeader" => header = true,
                b"wp:docPr" => body.image_alts.push(attr(&e, b"descr")),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content().unwrap()),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref().unwrap() {
                Some(c) => text.push(c),
                None => text.push_str(match r.decode().unwrap().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("an unexpected entity {other}"),
                }),
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    if !cell.is_empty() || !text.is_empty() {
                        cell.push_str(&text);
                    }
                    body.paragraphs.push((style.clone(), text.clone()));
                }
                b"w:tc" => row.push(std::mem::take(&mut cell)),
                b"w:tr" => tables
                    .last_mut()
                    .unwrap()
                    .push((std::mem::take(&mut row), header)),
                b"w:tbl" => body.tables.push(tables.pop().unwrap()),
                _ => {}
            },
            _ => {}
        }
    }
    body
}

/// The API's statuses of the plan's indicators as of `YEAR`, by code, with their names in
/// `lang`.
async fn api_statuses(db: &TestDb, lang: Lang) -> Vec<(String, String, String)> {
    statuses_of(db, PLAN, YEAR, lang).await
}

/// The API's statuses of `plan`'s indicators as of `year`, by code, with their names in `lang`.
async fn statuses_of(
    db: &TestDb,
    plan: &str,
    year: i32,
    lang: Lang,
) -> Vec<(String, String, String)> {
    let page = get(
        &db.app(),
        &format!("/api/v1/plans/{plan}/indicators?as_of={year}"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_owned(),
                i[if lang.is_zh() { "name_zh" } else { "name_en" }]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                i["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn status_label(lang: Lang, code: &str) -> String {
    plantrack::i18n::lookup(lang, &format!("status-{code}")).expect("a status label")
}

fn needs_attention(code: &str) -> bool {
    matches!(
        code,
        "lagging" | "not_achieved" | "moderate_progress" | "limited_progress" | "deterioration"
    )
}

#[tokio::test]
async fn a_year_report_is_public_once_another_official_publishes_its_words() {
    let db = with_plan().await;
    let public = db.app();
    // Nothing is public yet: no report listed, none served.
    let index = get(&public, &format!("/plans/{PLAN}/reports")).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index
            .html()
            .select(&Selector::parse("#no-reports").unwrap())
            .next()
            .is_some()
    );
    assert_eq!(
        get(&public, &report_uri("")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&public, &report_uri("?format=html")).await.status,
        StatusCode::NOT_FOUND
    );

    // An official writes the words; nothing typed is lost when the form refuses them.
    let mut writer = db.signed_in("writer", Role::Official).await;
    let empty = write_words(&mut writer, "  ", "").await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    assert!(
        empty
            .text("#summary-error")
            .contains("Write a summary or recommendations")
    );
    let too_long = "长".repeat(4001);
    let refused = write_words(&mut writer, &too_long, ADVICE).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!refused.text("#summary-error").is_empty());
    assert_eq!(refused.text("textarea#recommendations"), ADVICE);
    let saved = write_words(&mut writer, SUMMARY, ADVICE).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, report_uri("?format=html"));

    // Officials read the report with the draft beside it (not in it); the public still not.
    let page = writer.get(&report_uri("?format=html")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#words-state").contains("Draft awaiting review"));
    assert!(page.text("blockquote.draft-words").contains(SUMMARY));
    assert!(!page.text("#summary").contains(SUMMARY));
    assert_eq!(
        get(&public, &report_uri("")).await.status,
        StatusCode::NOT_FOUND
    );
    let draft_doc = writer.download(&report_uri("")).await;
    assert_eq!(draft_doc.status, StatusCode::OK);
    let text = read_body(&parts(&draft_doc.bytes)["word/document.xml"]).text();
    assert!(!text.contains(SUMMARY), "a draft is never in the document");
    assert!(text.contains("No summary of this year is published yet."));

    // The writer may not publish their own words; another official does, from the review page.
    let review = format!("/plans/{PLAN}/review");
    let own = writer.get(&review).await;
    assert!(
        own.text("#review-reports").contains(SUMMARY),
        "{}",
        own.body
    );
    let mut reviewer = db.signed_in("reviewer", Role::Official).await;
    let queue = reviewer.get(&review).await;
    let html = queue.html();
    let form = html
        .select(&Selector::parse("#review-reports form[action$='/publish']").unwrap())
        .next()
        .expect("a publish form for the report's words");
    let action = form.value().attr("action").unwrap().to_owned();
    let version = form
        .select(&Selector::parse("input[name=version]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    drop(html);
    let own_try = writer.post(&action, &[("version", &version)]).await;
    assert!(own_try.location.contains("own=1"), "{}", own_try.location);
    let published = reviewer.post(&action, &[("version", &version)]).await;
    assert!(
        published.location.contains("report_published=1"),
        "{}",
        published.location
    );

    // Now the public finds the year listed, the page and the document, with the words.
    let index = get(&public, &format!("/plans/{PLAN}/reports")).await;
    assert!(
        index
            .text(&format!("#report-{YEAR}"))
            .contains("Annual monitoring report")
    );
    let page = get(&public, &report_uri("?format=html")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#summary").contains(SUMMARY));
    assert!(page.text("#recommendations").contains(ADVICE));
    assert!(page.text("#recommendations").contains("reviewer"));
    let doc = crate::harness::download(
        &public,
        axum::http::Request::get(report_uri(""))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.header(header::CONTENT_TYPE), DOCX);
    assert_eq!(
        doc.header(header::CONTENT_DISPOSITION),
        format!("attachment; filename=\"{PLAN}-report-{YEAR}-en.docx\"")
    );
    let body = read_body(&parts(&doc.bytes)["word/document.xml"]);
    assert!(body.text().contains(SUMMARY) && body.text().contains(ADVICE));
    // A year outside the plan, or a format the report has not, is refused.
    assert_eq!(
        get(&public, &format!("/plans/{PLAN}/reports/2019"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let bad = get(&public, &report_uri("?format=pdf")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("docx or html"));
    // The history records the draft and its publication.
    let (drafted, publications): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where action = 'create'), count(*) filter (where action = 'publish')
         from revision where entity = 'report' and year = $1",
    )
    .bind(YEAR)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((drafted, publications), (1, 1));
}

#[tokio::test]
async fn the_word_document_has_headings_one_row_per_indicator_and_the_api_statuses() {
    let db = with_plan().await;
    // A draft figure of 2023 and a figure of a later year: neither may show in the report.
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source)
         select indicator_id, 2023, 'actual', 'draft', 987.654, 'draft entry'
         from indicator i join plan p using (plan_id)
         where p.slug = $1 and i.code = 'urbanization-rate'",
    )
    .bind(PLAN)
    .execute(&db.pool)
    .await
    .unwrap();
    let mut official = db.signed_in("official", Role::Official).await;
    for lang in [Lang::En, Lang::Zh] {
        official.lang = Some(format!("plantrack_lang={}", lang.key()));
        let doc = official.download(&report_uri("")).await;
        assert_eq!(doc.status, StatusCode::OK);
        let parts = parts(&doc.bytes);
        let styles = String::from_utf8(parts["word/styles.xml"].clone()).unwrap();
        for (id, name, level) in [("Heading1", "heading 1", 0), ("Heading2", "heading 2", 1)] {
            assert!(
                styles.contains(&format!(r#"w:styleId="{id}""#))
                    && styles.contains(&format!(r#"<w:name w:val="{name}" />"#))
                    && styles.contains(&format!(r#"<w:outlineLvl w:val="{level}" />"#)),
                "{id}: {styles}"
            );
        }
        let document = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
        // A4 portrait, and a footer with the page number.
        assert!(
            document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
            "{document}"
        );
        let footer = parts
            .iter()
            .filter(|(name, _)| name.starts_with("word/footer"))
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .collect::<String>();
        assert!(footer.contains("PAGE"), "{footer}");
        let body = read_body(&parts["word/document.xml"]);
        assert!(!body.text().contains("987.654") && !body.text().contains("987.65"));
        // The six parts, as headings in the plan offices' order.
        let h1 = body.headings("Heading1");
        assert_eq!(h1.len(), 6, "{h1:?}");
        if lang.is_zh() {
            assert_eq!(
                h1,
                [
                    "一、总体情况",
                    "二、主要指标完成情况",
                    "三、重大工程与项目进展",
                    "四、存在问题",
                    "五、下一步工作建议",
                    "附：评估方法与数据来源"
                ]
            );
        }
        // The main table: its header repeats on each page, and it has one row per indicator
        // (besides the rows naming the headings), each with the API's status for the year.
        let statuses = api_statuses(&db, lang).await;
        let main = body
            .tables
            .iter()
            .find(|t| t[0].0.len() == 10)
            .expect("the indicator table");
        assert!(main[0].1, "the header row repeats");
        assert!(main[1..].iter().all(|(_, header)| !header));
        let rows: Vec<&Vec<String>> = main[1..]
            .iter()
            .map(|(cells, _)| cells)
            .filter(|cells| cells.len() == 10)
            .collect();
        assert_eq!(rows.len(), statuses.len());
        for ((_, name, status), row) in statuses.iter().zip(&rows) {
            assert_eq!(&row[0], name);
            assert!(
                row[8].ends_with(&status_label(lang, status)),
                "{name}: {} against the API's {status}",
                row[8]
            );
        }
        // One chart per indicator needing attention, each with words for those who cannot
        // see it, and the images themselves in the package.
        let attention: Vec<&String> = statuses
            .iter()
            .filter(|(_, _, s)| needs_attention(s))
            .map(|(_, name, _)| name)
            .collect();
        assert!(
            !attention.is_empty(),
            "the outline has lagging indicators in {YEAR}"
        );
        assert_eq!(body.image_alts.len(), attention.len());
        for (alt, name) in body.image_alts.iter().zip(&attention) {
            assert!(alt.contains(name.as_str()), "{alt}");
        }
        assert_eq!(
            body.headings("Heading2")
                .iter()
                .filter(|h| attention.contains(&&h.to_string()))
                .count(),
            attention.len()
        );
        let images: Vec<&Vec<u8>> = parts
            .iter()
            .filter(|(k, _)| k.starts_with("word/media/") && !k.ends_with('/'))
            .map(|(_, bytes)| bytes)
            .collect();
        assert_eq!(images.len(), attention.len());
        assert!(images.iter().all(|png| png.starts_with(b"\x89PNG")));
        // The print page says the same, from the same judgement.
        let page = official.get(&report_uri("?format=html")).await;
        for (code, _, status) in &statuses {
            assert_eq!(
                &page.attr(
                    &format!("#indicator-{code} td.headline-status"),
                    "data-status"
                ),
                status
            );
        }
        assert_eq!(
            page.html()
                .select(&Selector::parse("figure.report-chart img[alt]").unwrap())
                .count(),
            attention.len()
        );
    }
}

/// The text of `pdf`, without any white space (a word processor wraps a table's cells where
/// it likes).
fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn the_command_writes_a_report_libreoffice_opens_in_both_languages() {
    let db = with_plan().await;
    let dir = std::env::temp_dir().join(format!("plantrack-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ok, out) = db.run(&["report", "--plan", PLAN, "--year", "2019"], "");
    assert!(!ok && out.contains("has reports for 2021–"), "{out}");
    // The default plan (no --plan) in its last year, and the outline's 2023 with its charts.
    let cases = [
        (
            None,
            DEFAULT_PLAN,
            2025,
            ["总结评估报告", "final assessment"],
        ),
        (
            Some(PLAN),
            PLAN,
            YEAR,
            ["年度监测报告", "annual monitoring report"],
        ),
    ];
    for (chosen, plan, year, titles) in cases {
        for lang in [Lang::Zh, Lang::En] {
            let name = format!("{plan}-{year}-{}", lang.key());
            let run = |format: &str, file: &std::path::Path| {
                let mut args = vec!["report".to_owned()];
                if let Some(p) = chosen {
                    args.extend(["--plan".to_owned(), p.to_owned()]);
                }
                args.extend(
                    [
                        "--year",
                        &year.to_string(),
                        "--lang",
                        lang.key(),
                        "--format",
                        format,
                        "--output",
                        file.to_str().unwrap(),
                    ]
                    .map(str::to_owned),
                );
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let (ok, out) = db.run(&args, "");
                assert!(ok, "{out}");
            };
            let file = dir.join(format!("{name}.docx"));
            run("docx", &file);
            // LibreOffice, with a profile of its own so that runs do not share one.
            let profile = dir.join(format!("profile-{name}"));
            let converted = std::process::Command::new("soffice")
                .arg(format!(
                    "-env:UserInstallation=file://{}",
                    profile.display()
                ))
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(&dir)
                .arg(&file)
                .output()
                .expect("LibreOffice (soffice) runs");
            assert!(converted.status.success(), "{converted:?}");
            let text = pdf_text(&file.with_extension("pdf"));
            // Every indicator's name, its value and its status as the print page gives them.
            let html = dir.join(format!("{name}.html"));
            run("html", &html);
            let page = scraper::Html::parse_document(&std::fs::read_to_string(&html).unwrap());
            assert!(
                page.select(&Selector::parse("head style").unwrap())
                    .next()
                    .is_some(),
                "the page carries its stylesheet"
            );
            let statuses = statuses_of(&db, plan, year, lang).await;
            assert!(!statuses.is_empty());
            for (code, name, status) in &statuses {
                let cell = |class: &str| {
                    page.select(&Selector::parse(&format!("#indicator-{code} td.{class}")).unwrap())
                        .next()
                        .map(|e| e.text().collect::<String>())
                        .unwrap_or_default()
                };
                let value = cell("value");
                assert!(!value.is_empty(), "{code}: no value cell");
                let label = status_label(lang, status);
                for expected in [name.as_str(), value.as_str(), label.as_str()] {
                    assert!(
                        text.contains(&squeezed(expected)),
                        "{plan} {year}, {code}: “{expected}” is not in the {} PDF",
                        lang.key()
                    );
                }
            }
            let title = titles[usize::from(!lang.is_zh())];
            assert!(text.contains(&squeezed(title)), "{name}: {title}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
