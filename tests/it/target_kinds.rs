//! Real plans' targets: every target kind in a seed file, on the indicator page and in the
//! definition form; one time-progress judgement on the overview, the assessment, the API and
//! status.csv, for the latest view and as of a year.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{StatusCode, header};
use plantrack::domain::plan::Role;
use plantrack::domain::seed::SeedFile;
use scraper::Selector;
use serde_json::Value;

use crate::harness::{
    Client, DEFAULT_PLAN, Page, TestDb, field_value, get, get_with, seed, submit_form,
};

const CHINA_PLAN: &str = "china-outline-2021-2025";
const KINDS_PLAN: &str = "synthetic-kinds-2021-2025";

/// A synthetic plan whose figures are all invented: one indicator per target kind, and negative
/// yearly values of growth and reduction measures (output fell in 2022, energy intensity rose).
const KINDS_SEED: &str = r#"format = 1

[plan]
slug = "synthetic-kinds-2021-2025"
title_zh = "虚构规划：各类目标（2021—2025年）"
title_en = "Synthetic plan: every kind of target (2021–2025)"
start_year = 2021
end_year = 2025
baseline_year = 2020
method = "time-progress"
source = "Invented for a test; no real plan has these indicators or figures."
confidence = "low"

[[group]]
code = "all"
name_zh = "全部指标"
name_en = "All indicators"

[[indicator]]
code = "output-growth"
group = "all"
name_zh = "虚构产出增长"
name_en = "Synthetic output growth"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "higher"
measure = "growth"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 2.3, source = "Invented", confidence = "low" }
target = { kind = "text", year = 2025, wording_zh = "保持在合理区间", wording_en = "Kept within a reasonable range", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 6.0
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = -1.5
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator]]
code = "productivity-growth"
group = "all"
name_zh = "虚构劳动生产率增长"
name_en = "Synthetic productivity growth"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "higher"
measure = "growth"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 2.5, source = "Invented", confidence = "low" }
target = { kind = "relative", year = 2025, indicator = "output-growth", comparator = ">", wording_zh = "高于产出增长", wording_en = "Higher than output growth", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 6.5
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = -0.8
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator]]
code = "income-growth"
group = "all"
name_zh = "虚构收入增长"
name_en = "Synthetic income growth"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "higher"
measure = "growth"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 2.1, source = "Invented", confidence = "low" }
target = { kind = "relative", year = 2025, indicator = "output-growth", comparator = "≈", tolerance = 0.5, wording_zh = "与产出增长基本同步", wording_en = "In step with output growth", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 5.8
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = -1.2
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator]]
code = "price-growth"
group = "all"
name_zh = "虚构价格涨幅"
name_en = "Synthetic price growth"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "lower"
measure = "growth"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 2.5, source = "Invented", confidence = "low" }
target = { kind = "range", year = 2025, min = 2, max = 3, every_year = true, wording_zh = "2—3", wording_en = "2 to 3", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 2.5
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = -0.4
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator]]
code = "rd-growth"
group = "all"
name_zh = "虚构研发经费增长"
name_en = "Synthetic R&D spending growth"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "higher"
measure = "growth"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 10.3, source = "Invented", confidence = "low" }
target = { kind = "average", year = 2025, value = 7, comparator = ">", wording_zh = ">7", wording_en = "More than 7 a year", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 9.0
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = 7.5
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator]]
code = "energy-reduction"
group = "all"
name_zh = "虚构单位产出能耗降低"
name_en = "Synthetic reduction in energy intensity"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "higher"
measure = "reduction"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 0.1, source = "Invented", confidence = "low" }
target = { kind = "cumulative", year = 2025, value = 13.5, comparator = ">=", wording_zh = "〔13.5〕", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 3.0
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = -1.2
kind = "actual"
source = "Invented"
confidence = "low"
note = "Energy intensity rose."

[[indicator]]
code = "lifespan"
group = "all"
name_zh = "虚构预期寿命"
name_en = "Synthetic life expectancy"
unit = "amount"
unit_zh = "岁"
unit_en = "years"
decimals = 2
direction = "higher"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 77.3, source = "Invented", confidence = "low" }
target = { kind = "increase", year = 2025, value = 1, wording_zh = "〔1〕", wording_en = "Up 1 year", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 77.6
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator]]
code = "jobless-rate"
group = "all"
name_zh = "虚构失业率"
name_en = "Synthetic jobless rate"
unit = "percent"
unit_zh = "%"
unit_en = "%"
decimals = 1
direction = "lower"
source = "Invented"
confidence = "low"
baseline = { year = 2020, value = 5.2, source = "Invented", confidence = "low" }
target = { kind = "level", year = 2025, value = 5.5, comparator = "<", every_year = true, wording_zh = "<5.5", wording_en = "Below 5.5", source = "Invented", confidence = "low" }

[[indicator.observation]]
year = 2021
value = 5.1
kind = "actual"
source = "Invented"
confidence = "low"

[[indicator.observation]]
year = 2022
value = 5.6
kind = "actual"
source = "Invented"
confidence = "low"
"#;

fn kinds_seed() -> SeedFile {
    SeedFile::parse(KINDS_SEED).unwrap_or_else(|e| panic!("the synthetic seed: {e}"))
}

/// A copy of the shipped plans with the synthetic plan of every kind added.
async fn with_kinds_plan() -> TestDb {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[kinds_seed()])
        .await
        .unwrap();
    db
}

/// Sorts what a file may order freely, so two files compare by content.
fn normalised(mut seed: SeedFile) -> SeedFile {
    for i in &mut seed.indicators {
        i.observations.sort_by_key(|o| (o.year, o.kind.as_str()));
    }
    seed
}

fn by_code<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list}"))
}

async fn seed_download(db: &TestDb, slug: &str) -> String {
    let page = get(&db.app(), &format!("/plans/{slug}/seed.toml")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

#[tokio::test]
async fn a_seed_file_of_every_kind_loads_and_round_trips_byte_for_byte() {
    let first_db = TestDb::empty().await;
    plantrack::apply_seeds(&first_db.pool, &[kinds_seed()])
        .await
        .unwrap();

    // Loaded: each kind as written, and the negative yearly values kept.
    let list = get(
        &first_db.app(),
        &format!("/api/v1/plans/{KINDS_PLAN}/indicators"),
    )
    .await
    .json();
    let kinds: BTreeMap<String, String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_owned(),
                i["target"]["kind"].as_str().unwrap_or("none").to_owned(),
            )
        })
        .collect();
    let expected: BTreeMap<String, String> = [
        ("output-growth", "text"),
        ("productivity-growth", "relative"),
        ("income-growth", "relative"),
        ("price-growth", "range"),
        ("rd-growth", "average"),
        ("energy-reduction", "cumulative"),
        ("lifespan", "increase"),
        ("jobless-rate", "level"),
    ]
    .into_iter()
    .map(|(c, k)| (c.to_owned(), k.to_owned()))
    .collect();
    assert_eq!(kinds, expected);
    let energy = by_code(&list, "energy-reduction");
    assert_eq!(energy["measure"], "reduction");
    let fell = energy["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["year"] == 2022)
        .expect("the 2022 figure");
    assert_eq!(fell["value"].to_string(), "-1.2");
    let jobless = &by_code(&list, "jobless-rate")["target"];
    assert_eq!(jobless["comparator"], "<");
    assert_eq!(jobless["every_year"], true);
    let income = &by_code(&list, "income-growth")["target"];
    assert_eq!(income["comparator"], "≈");
    assert_eq!(income["tolerance"].to_string(), "0.5");
    assert_eq!(income["indicator"], "output-growth");

    // Downloaded, it says what the file said.
    let first = seed_download(&first_db, KINDS_PLAN).await;
    let parsed = SeedFile::parse(&first).unwrap_or_else(|e| panic!("{e}\n{first}"));
    assert_eq!(normalised(parsed), normalised(kinds_seed()), "{first}");
    assert!(first.contains("〔13.5〕"), "{first}");

    // Loaded into an empty database and downloaded again: the same bytes.
    let second_db = TestDb::empty().await;
    plantrack::apply_seeds(&second_db.pool, &[SeedFile::parse(&first).unwrap()])
        .await
        .unwrap();
    let second = seed_download(&second_db, KINDS_PLAN).await;
    assert!(
        first == second,
        "the second download differs:\n{first}\n----\n{second}"
    );

    // The JSON export, imported into an empty database, exports the same bytes.
    let dir = std::env::temp_dir().join(format!(
        "plantrack-target-kinds-{}-json",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("first.json"), dir.join("again.json"));
    let export = |db: &TestDb, to: &std::path::Path| {
        let (ok, out) = db.run(
            &[
                "export",
                "--plan",
                KINDS_PLAN,
                "--format",
                "json",
                "--output",
                to.to_str().unwrap(),
            ],
            "",
        );
        assert!(ok, "{out}");
    };
    export(&first_db, &a);
    let third_db = TestDb::empty().await;
    let (ok, out) = third_db.run(&["import", a.to_str().unwrap()], "");
    assert!(ok, "{out}");
    export(&third_db, &b);
    let (a_bytes, b_bytes) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    let a_text = String::from_utf8(a_bytes.clone()).unwrap();
    assert!(
        a_text.contains("cumulative") && a_text.contains("〔13.5〕"),
        "{a_text}"
    );
    assert!(
        a_bytes == b_bytes,
        "the second JSON export differs:\n{a_text}\n----\n{}",
        String::from_utf8_lossy(&b_bytes)
    );
    // And the imported plan keeps its kinds.
    let imported = get(
        &third_db.app(),
        &format!("/api/v1/plans/{KINDS_PLAN}/indicators/income-growth"),
    )
    .await
    .json();
    assert_eq!(imported["target"]["kind"], "relative");
    assert_eq!(imported["target"]["tolerance"].to_string(), "0.5");
}

async fn indicator_page(db: &TestDb, code: &str, lang: &str) -> Page {
    let page = get_with(
        &db.app(),
        &format!("/plans/{KINDS_PLAN}/indicators/{code}"),
        header::ACCEPT_LANGUAGE,
        lang,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{code} {lang}: {}", page.body);
    page
}

#[tokio::test]
async fn the_indicator_page_shows_the_plans_words_and_the_structured_target_in_both_languages() {
    let db = with_kinds_plan().await;

    // Cumulative: the plan wrote 〔13.5〕 in Chinese only, so both languages show those words.
    for (lang, over) in [("en", "cumulative"), ("zh", "累计")] {
        let page = indicator_page(&db, "energy-reduction", lang).await;
        assert_eq!(page.text("dd.target-wording"), "“〔13.5〕”", "{lang}");
        let structured = page.text("dd.target-structured");
        assert!(
            structured.contains("13.5") && structured.contains(over) && structured.contains("2021"),
            "{lang}: {structured}"
        );
        assert!(
            !structured.contains('〔'),
            "{lang}: structured, not the words: {structured}"
        );
    }

    // Relative: the other indicator is named by its name in the page's language, not its code.
    for (lang, words, name) in [
        (
            "en",
            "“Higher than output growth”",
            "Synthetic output growth",
        ),
        ("zh", "“高于产出增长”", "虚构产出增长"),
    ] {
        let page = indicator_page(&db, "productivity-growth", lang).await;
        assert_eq!(page.text("dd.target-wording"), words, "{lang}");
        let structured = page.text("dd.target-structured");
        assert!(
            structured.contains(name) && structured.contains('>'),
            "{lang}: {structured}"
        );
        assert!(
            !structured.contains("output-growth"),
            "{lang}: {structured}"
        );
    }
    for (lang, name) in [("en", "Synthetic output growth"), ("zh", "虚构产出增长")] {
        let page = indicator_page(&db, "income-growth", lang).await;
        let structured = page.text("dd.target-structured");
        assert!(
            structured.contains(name) && structured.contains("0.5"),
            "{lang}: {structured}"
        );
    }

    // A strict bound that must hold every year, and a range.
    let en = indicator_page(&db, "jobless-rate", "en").await;
    let structured = en.text("dd.target-structured");
    assert!(
        structured.contains("< 5.5") && structured.contains("every year"),
        "{structured}"
    );
    assert_eq!(en.text("dd.target-wording"), "“Below 5.5”");
    let zh = indicator_page(&db, "jobless-rate", "zh").await;
    assert!(zh.text("dd.target-structured").contains("每年"));
    assert_eq!(zh.text("dd.target-wording"), "“<5.5”");
    let range = indicator_page(&db, "price-growth", "en").await;
    assert!(
        range.text("dd.target-structured").contains("2.0–3.0")
            || range.text("dd.target-structured").contains("2–3"),
        "{}",
        range.text("dd.target-structured")
    );

    // A target in words only is shown in words, not as "no target published".
    for (lang, words) in [
        ("en", "Kept within a reasonable range"),
        ("zh", "保持在合理区间"),
    ] {
        let page = indicator_page(&db, "output-growth", lang).await;
        assert!(
            page.text("dd.target-structured").contains(words),
            "{lang}: {}",
            page.text("dd.target-structured")
        );
        assert!(!page.body.contains("未公布目标"), "{lang}");
    }
}

/// A range reads as one number format at both ends, in both languages ("2.0–3.0%" or "2–3%",
/// never "2.0–3%").
#[tokio::test]
async fn a_range_target_writes_both_ends_alike_in_both_languages() {
    let db = with_kinds_plan().await;
    for lang in ["en", "zh"] {
        let page = indicator_page(&db, "price-growth", lang).await;
        let structured = page.text("dd.target-structured");
        assert!(
            structured.contains("2.0–3.0%") || structured.contains("2–3%"),
            "{lang}: {structured}"
        );
    }
}

/// The real plan shipped today has no programmes; its downloaded file loads back unchanged.
#[tokio::test]
async fn the_national_outlines_downloaded_seed_file_loads_back_unchanged() {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    let text = seed_download(&db, CHINA_PLAN).await;
    let downloaded = SeedFile::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(normalised(downloaded), normalised(seed(CHINA_PLAN)));
}

async fn submit(client: &mut Client, form_uri: &str, changes: &[(&str, &str)]) -> Page {
    let form = client.get(form_uri).await;
    assert_eq!(form.status, StatusCode::OK, "{form_uri}: {}", form.body);
    submit_form(client, &form, "#definition-form", changes).await
}

async fn stored_target(db: &TestDb, code: &str) -> Value {
    get(
        &db.app(),
        &format!("/api/v1/plans/{KINDS_PLAN}/indicators/{code}"),
    )
    .await
    .json()["target"]
        .clone()
}

#[tokio::test]
async fn the_definition_form_edits_a_level_target_into_a_range_a_relative_and_a_text_target() {
    let db = with_kinds_plan().await;
    let mut admin = db.signed_in("adele", Role::Admin).await;
    let uri = format!("/admin/plans/{KINDS_PLAN}/indicators/jobless-rate");
    let form = admin.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(field_value(&form, "f-target--kind"), "level");
    assert_eq!(field_value(&form, "f-target--comparator"), "<");
    assert_eq!(field_value(&form, "f-target--every-year"), "true");
    let reason = ("reason", "Mid-term review");

    // Level → range.
    let saved = submit(
        &mut admin,
        &uri,
        &[
            ("target.kind", "range"),
            ("target.value", ""),
            ("target.comparator", ""),
            ("target.min", "4.5"),
            ("target.max", "5.5"),
            reason,
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let t = stored_target(&db, "jobless-rate").await;
    assert_eq!(t["kind"], "range", "{t}");
    assert_eq!(t["min"].to_string(), "4.5", "{t}");
    assert_eq!(t["max"].to_string(), "5.5", "{t}");
    assert_eq!(t["value"], Value::Null, "{t}");
    assert_eq!(t["comparator"], Value::Null, "{t}");

    // A range whose lowest value is above its highest is refused at `target.max`, what was
    // typed kept and nothing saved.
    let refused = submit(
        &mut admin,
        &uri,
        &[("target.min", "6"), ("target.max", "4"), reason],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.text("#f-target--max-error"),
        "⚠ The highest value must not be below the lowest."
    );
    assert_eq!(field_value(&refused, "f-target--min"), "6");
    assert_eq!(field_value(&refused, "f-target--max"), "4");
    assert_eq!(field_value(&refused, "f-target--kind"), "range");
    let t = stored_target(&db, "jobless-rate").await;
    assert_eq!(
        (t["min"].to_string(), t["max"].to_string()),
        ("4.5".into(), "5.5".into())
    );

    // Range → relative (≈, with a tolerance).
    let saved = submit(
        &mut admin,
        &uri,
        &[
            ("target.kind", "relative"),
            ("target.min", ""),
            ("target.max", ""),
            ("target.indicator", "price-growth"),
            ("target.comparator", "≈"),
            ("target.tolerance", "0.3"),
            reason,
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let t = stored_target(&db, "jobless-rate").await;
    assert_eq!(t["kind"], "relative", "{t}");
    assert_eq!(t["indicator"], "price-growth", "{t}");
    assert_eq!(t["comparator"], "≈", "{t}");
    assert_eq!(t["tolerance"].to_string(), "0.3", "{t}");
    assert_eq!(t["min"], Value::Null, "{t}");

    // Relative → words only.
    let saved = submit(
        &mut admin,
        &uri,
        &[
            ("target.kind", "text"),
            ("target.indicator", ""),
            ("target.comparator", ""),
            ("target.tolerance", ""),
            ("target.every_year", "false"),
            ("target.wording_zh", "保持总体稳定"),
            ("target.wording_en", "Kept broadly stable"),
            reason,
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let t = stored_target(&db, "jobless-rate").await;
    assert_eq!(t["kind"], "text", "{t}");
    assert_eq!(t["wording_zh"], "保持总体稳定", "{t}");
    assert_eq!(t["wording_en"], "Kept broadly stable", "{t}");
    assert_eq!(t["indicator"], Value::Null, "{t}");
    assert_eq!(t["every_year"], false, "{t}");
    let api = get(
        &db.app(),
        &format!("/api/v1/plans/{KINDS_PLAN}/indicators/jobless-rate"),
    )
    .await
    .json();
    assert_eq!(api["assessment"]["status"], "awaiting_judgement", "{api}");
    // The form shows the stored kind again.
    let form = admin.get(&uri).await;
    assert_eq!(field_value(&form, "f-target--kind"), "text");
}

/// The status class (`status-<code>`) of the first `span.status` in `el`.
fn status_in(el: scraper::ElementRef, selector: &str) -> Option<String> {
    el.select(&Selector::parse(selector).unwrap())
        .next()?
        .value()
        .classes()
        .find_map(|c| c.strip_prefix("status-").map(str::to_owned))
}

/// Code → status of every indicator row of a page (`cell` selects the status span in a row).
fn page_statuses(page: &Page, row: &str, cell: &str) -> BTreeMap<String, String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = page.html();
    html.select(&Selector::parse(row).unwrap())
        .filter_map(|tr| {
            let code = tr.value().id()?.strip_prefix("indicator-")?.to_owned();
            let status = status_in(tr, cell).unwrap_or_else(|| panic!("no status for {code}"));
            Some((code, status))
        })
        .collect()
}

async fn api_statuses(db: &TestDb, slug: &str, query: &str) -> BTreeMap<String, String> {
    let page = get(
        &db.app(),
        &format!("/api/v1/plans/{slug}/indicators{query}"),
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
                i["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn csv_statuses(db: &TestDb, slug: &str, query: &str) -> BTreeMap<String, String> {
    let page = get(&db.app(), &format!("/plans/{slug}/data/status.csv{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let text = page.body.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {headers:?}"))
    };
    let (code, status) = (column("indicator"), column("status"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[code].to_owned(), r[status].to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_overview_the_assessment_the_api_and_the_csv_give_one_status_per_indicator() {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    for slug in [CHINA_PLAN, DEFAULT_PLAN] {
        for as_of in [None, Some(2022), Some(2023), Some(2025)] {
            let query = as_of.map(|y| format!("?as_of={y}")).unwrap_or_default();
            let what = format!("{slug}{query}");
            let overview = page_statuses(
                &get(&db.app(), &format!("/plans/{slug}{query}")).await,
                "table.indicators tbody tr",
                "td.status-cell span.status",
            );
            let api = api_statuses(&db, slug, &query).await;
            let csv = csv_statuses(&db, slug, &query).await;
            assert_eq!(overview, api, "{what}: the overview and the API");
            assert_eq!(csv, api, "{what}: status.csv and the API");
            let distinct: BTreeSet<&String> = api.values().collect();
            assert!(distinct.len() > 1, "{what}: {api:?}");
            if slug == CHINA_PLAN {
                assert_eq!(api.len(), 20, "{what}");
            }
            // The assessment is as of the plan's end year unless asked: compared where it is as
            // of the same year as the others.
            let Some(year) = as_of else { continue };
            let assessment = page_statuses(
                &get(&db.app(), &format!("/plans/{slug}/assessment{query}")).await,
                "tr[id^='indicator-']",
                "td.headline-status span.status",
            );
            assert_eq!(assessment, api, "{what}: the assessment and the API");
            if year == 2025 {
                let unasked = page_statuses(
                    &get(&db.app(), &format!("/plans/{slug}/assessment")).await,
                    "tr[id^='indicator-']",
                    "td.headline-status span.status",
                );
                assert_eq!(unasked, api, "{slug}: the assessment as of its end year");
            }
        }
    }
}

#[tokio::test]
async fn time_progress_as_of_2022_matches_the_hand_computed_verdicts() {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    let list = get(
        &db.app(),
        &format!("/api/v1/plans/{CHINA_PLAN}/indicators?as_of=2022"),
    )
    .await
    .json();

    // Energy intensity fell 2.7 % in 2021 and 0.1 % in 2022 (the seed file's figures):
    // compounded, 1 − (1 − 0.027)(1 − 0.001) = 1 − 0.973 × 0.999 = 1 − 0.972027 = 2.7973 %.
    // Against 〔13.5〕 from a base of 0: p = 2.7973 ÷ 13.5 = 0.20721; t = (2022 − 2020) ÷
    // (2025 − 2020) = 0.4; p < 0.8 × 0.4 = 0.32, so lagging.
    let energy = by_code(&list, "energy-intensity-reduction");
    let a = &energy["assessment"];
    assert_eq!(energy["status"], "lagging", "{energy}");
    assert_eq!(a["status"], "lagging", "{a}");
    assert_eq!(a["as_of"], 2022, "{a}");
    assert_eq!(a["year"], 2022, "{a}");
    assert_eq!(a["base"], "zero", "{a}");
    let share = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("not a number: {a}"));
    assert!(
        (share(&a["progress_share"]) - 0.2072).abs() < 0.00005,
        "{a}"
    );
    assert!((share(&a["time_share"]) - 0.4).abs() < 0.00005, "{a}");

    // Unemployment must stay below 5.5 every year; 2022's figure is 5.6.
    let jobless = by_code(&list, "urban-unemployment-rate");
    assert_eq!(jobless["status"], "lagging", "{jobless}");
    assert_eq!(jobless["assessment"]["year"], 2022, "{jobless}");
    // GDP growth's target is in words: no official has judged it yet.
    let gdp = by_code(&list, "gdp-growth");
    assert_eq!(gdp["status"], "awaiting_judgement", "{gdp}");

    // The indicator page says the same.
    let page = get(
        &db.app(),
        &format!("/plans/{CHINA_PLAN}/indicators/energy-intensity-reduction"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.text("dd.target-wording"),
        "“13.5 cumulative over five years”"
    );

    // A year outside the plan is refused with the years that are allowed.
    let (from, to) = (2021, plantrack::report::this_year());
    for uri in [
        format!("/api/v1/plans/{CHINA_PLAN}/indicators?as_of=1999"),
        format!("/plans/{CHINA_PLAN}?as_of=1999"),
        format!("/plans/{CHINA_PLAN}/data/status.csv?as_of=1999"),
    ] {
        let page = get(&db.app(), &uri).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{uri}: {}", page.body);
        assert!(
            page.body.contains("1999")
                && page.body.contains(&from.to_string())
                && page.body.contains(&to.to_string()),
            "{uri}: {}",
            page.body
        );
    }
    let refused = get(
        &db.app(),
        &format!("/api/v1/plans/{CHINA_PLAN}/indicators?as_of=1999"),
    )
    .await
    .json();
    assert_eq!(refused["error"]["status"], 400);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("from {from} to {to}")),
        "{refused}"
    );
}

/// The overview's "needs attention" list says why in the time-progress method's terms: a
/// target year whose figure is not out yet, a target in words awaiting an official, a verdict
/// missed — never "one figure, a later one is needed" for a plan past its target year.
#[tokio::test]
async fn the_attention_list_gives_time_progress_reasons() {
    let db = TestDb::seeded().await;
    plantrack::apply_seeds(&db.pool, &[seed(CHINA_PLAN)])
        .await
        .unwrap();
    let page = get(&db.app(), &format!("/plans/{CHINA_PLAN}?as_of=2025")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let items = Selector::parse(".attention-list li").unwrap();
    let why: BTreeMap<String, String> = html
        .select(&items)
        .map(|li| {
            let attr = |name| li.value().attr(name).unwrap_or_default().to_owned();
            (attr("data-code"), attr("data-why"))
        })
        .collect();
    // 2025 is the target year: energy intensity's 2025 figure is not in the file.
    assert_eq!(why["energy-intensity-reduction"], "target_year_figure");
    assert_eq!(why["gdp-growth"], "verdict");
    // Unemployment was above 5.5 % in 2022: a target that must hold every year is missed.
    assert_eq!(why["urban-unemployment-rate"], "not_achieved");
    assert!(!why.values().any(|w| w == "one_figure"), "{why:?}");
    let zh = get_with(
        &db.app(),
        &format!("/plans/{CHINA_PLAN}?as_of=2025"),
        header::ACCEPT_LANGUAGE,
        "zh-CN",
    )
    .await;
    assert!(
        zh.texts(".attention-list li[data-code=gdp-growth] .reason")
            .iter()
            .any(|t| t.contains("定性表述")),
        "{:?}",
        zh.texts(".attention-list li .reason")
    );
}
