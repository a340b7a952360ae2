//! Attention first: on a plan's overview the status counts lead to the indicators with that
//! status, a "needs attention" list comes before the plan's summary and the full table, and the
//! table can be narrowed by heading and status and sorted worst first, all by plain links.

use axum::http::{StatusCode, header};
use plantrack::config::Config;

use crate::harness::{DEFAULT_PLAN, EXAMPLE_PLAN, Page, TestDb, get, get_with};

/// The two languages, as a browser asks for them.
const LANGUAGES: [&str; 2] = ["en", "zh-CN"];

async fn open(app: &axum::Router, uri: &str, lang: &str) -> Page {
    // A link's fragment (`#indicators`) stays in the browser.
    let uri = uri.split('#').next().unwrap();
    get_with(app, uri, header::ACCEPT_LANGUAGE, lang).await
}

/// The full table's rows as shown: (indicator code, status code), top to bottom.
fn table(page: &Page) -> Vec<(String, String)> {
    let sel = scraper::Selector::parse("table.indicators tbody tr").unwrap();
    page.html()
        .select(&sel)
        .map(|tr| {
            let id = tr.value().attr("id").unwrap();
            (
                id.strip_prefix("indicator-").unwrap().to_owned(),
                tr.value().attr("data-status").unwrap().to_owned(),
            )
        })
        .collect()
}

/// Every (text, href) of the links matching `selector`.
fn links(page: &Page, selector: &str) -> Vec<(String, String)> {
    let sel = scraper::Selector::parse(selector).unwrap();
    page.html()
        .select(&sel)
        .map(|a| {
            (
                a.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                a.value().attr("href").unwrap().to_owned(),
            )
        })
        .collect()
}

/// The one link matching `selector` whose text contains `text`.
fn link(page: &Page, selector: &str, text: &str) -> String {
    let all = links(page, selector);
    all.iter()
        .find(|(t, _)| t.contains(text))
        .unwrap_or_else(|| panic!("no link {text:?} in {selector}: {all:?}"))
        .1
        .clone()
}

/// Publishes an actual figure directly, as if an official had published it.
async fn publish(db: &TestDb, plan_default: bool, code: &str, year: i32, value: &str) {
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source, published_at)
         select indicator_id, $3, 'actual', 'published', $4::numeric, 'test figure', now()
         from indicator join plan using (plan_id) where code = $1 and is_default = $2",
    )
    .bind(code)
    .bind(plan_default)
    .bind(year)
    .bind(value)
    .execute(&db.pool)
    .await
    .unwrap();
}

/// The seeded plans with a figure moving away from its target (R&D intensity below its 2020
/// baseline), one missing its target in the plan's end year, and one growing too slowly.
async fn with_lagging_figures() -> TestDb {
    let db = TestDb::seeded().await;
    // 2.11 % in 2020, target ≥ 2.60 % by 2025: 2.00 % in 2024 moves away from it.
    publish(&db, true, "rd-intensity", 2024, "2.00").await;
    // 12 days in 2020, target ≤ 5 by 2025, lower is better: 5.8 in the end year misses it.
    publish(&db, false, "contract-registration-days", 2025, "5.8").await;
    // 1.8 % in 2020, target ≥ 2.5 % by 2025: 1.85 % in 2024 is far too slow.
    publish(&db, false, "rd-intensity", 2024, "1.85").await;
    db
}

#[tokio::test]
async fn each_status_count_leads_to_exactly_the_indicators_with_that_status() {
    let db = with_lagging_figures().await;
    let app = db.app();
    for plan in [DEFAULT_PLAN, EXAMPLE_PLAN] {
        for lang in LANGUAGES {
            let overview = open(&app, &format!("/plans/{plan}"), lang).await;
            assert_eq!(overview.status, StatusCode::OK);
            let all = table(&overview);
            assert!(!all.is_empty());
            let counts = overview.texts(".counts li");
            assert_eq!(counts.len(), 6, "{counts:?}");
            let mut followed = 0;
            for status in [
                "target_achieved",
                "substantial_progress",
                "moderate_progress",
                "limited_progress",
                "deterioration",
                "not_available",
            ] {
                let expected: Vec<(String, String)> =
                    all.iter().filter(|(_, s)| s == status).cloned().collect();
                let count = overview.text(&format!(".counts .count-{status} strong"));
                assert_eq!(count, expected.len().to_string(), "{plan} {lang} {status}");
                let href = links(&overview, &format!(".counts .count-{status} a"));
                if expected.is_empty() {
                    assert!(href.is_empty(), "a count of 0 leads nowhere: {href:?}");
                    continue;
                }
                let href = &href[0].1;
                assert!(href.starts_with(&format!("/plans/{plan}?")), "{href}");
                let filtered = open(&app, href, lang).await;
                assert_eq!(filtered.status, StatusCode::OK, "{href}");
                assert_eq!(
                    table(&filtered),
                    expected,
                    "{plan} {lang}: {href} lists exactly the indicators with status {status}"
                );
                // The filter in force is said in words, with the way back to everything.
                // The status's word, without its symbol.
                let shown = filtered.text(&format!(".counts .count-{status} .status"));
                let label = shown.split_once(' ').unwrap().1;
                let active = filtered.text(".table-active");
                assert!(active.contains(label), "{active:?} names {label:?}");
                assert!(
                    active.contains(&expected.len().to_string()),
                    "{active:?} says how many are shown"
                );
                let clear = filtered.text(".table-active a");
                let back = link(&filtered, ".table-active a", &clear);
                assert_eq!(table(&open(&app, &back, lang).await), all, "{back}");
                followed += 1;
            }
            assert!(followed >= 3, "{plan}: several statuses to follow");
            // Unfiltered, nothing claims a filter.
            assert!(overview.texts(".table-active").is_empty());
        }
    }
}

#[tokio::test]
async fn the_attention_list_holds_the_lagging_and_unjudged_indicators_and_none_on_track() {
    let db = with_lagging_figures().await;
    let app = db.app();

    let en = get(&app, &format!("/plans/{DEFAULT_PLAN}")).await;
    let all = table(&en);
    let listed: Vec<(String, String)> = {
        let sel = scraper::Selector::parse(".attention-list li").unwrap();
        en.html()
            .select(&sel)
            .map(|li| {
                (
                    li.value().attr("data-code").unwrap().to_owned(),
                    li.value().attr("data-why").unwrap().to_owned(),
                )
            })
            .collect()
    };
    // Exactly the indicators moving away, too slow or without a judgement, as the table says.
    let mut lagging: Vec<&str> = all
        .iter()
        .filter(|(_, s)| {
            ["limited_progress", "deterioration", "not_available"].contains(&s.as_str())
        })
        .map(|(c, _)| c.as_str())
        .collect();
    let mut codes: Vec<&str> = listed.iter().map(|(c, _)| c.as_str()).collect();
    lagging.sort_unstable();
    codes.sort_unstable();
    assert_eq!(codes, lagging);
    assert!(codes.contains(&"rd-intensity"), "moving away: {codes:?}");
    // Worst first: moving away before awaiting data.
    assert_eq!(listed[0], ("rd-intensity".into(), "deterioration".into()));
    assert!(listed[1..].iter().all(|(_, why)| why != "deterioration"));
    for (_, status) in all.iter().filter(|(c, _)| codes.contains(&c.as_str())) {
        assert!(
            ![
                "substantial_progress",
                "target_achieved",
                "moderate_progress"
            ]
            .contains(&status.as_str()),
            "{status}"
        );
    }
    // Each item says why and leads to the indicator's page.
    let item = |code: &str| en.text(&format!(".attention-list li[data-code=\"{code}\"]"));
    assert!(
        item("rd-intensity").contains("Moving away from its target"),
        "{}",
        item("rd-intensity")
    );
    assert!(item("rd-intensity").contains("2.00% (2024)"));
    let no_figure = listed
        .iter()
        .find(|(_, why)| why == "no_figure")
        .expect("an indicator without any figure");
    assert!(item(&no_figure.0).contains("no figure published yet"));
    let href = link(
        &en,
        ".attention-list li a",
        "R&D expenditure as a share of regional GDP",
    );
    assert_eq!(
        href,
        format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity")
    );
    assert_eq!(get(&app, &href).await.status, StatusCode::OK);
    assert!(
        en.text("#attention-h")
            .contains(&format!("({})", listed.len()))
    );

    // Attention first: the counts and the list come before the plan's summary and the table.
    let at = |needle: &str| en.body.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("class=\"counts\"") < at("class=\"attention\""));
    assert!(at("class=\"attention\"") < at("class=\"summary\""));
    assert!(at("class=\"summary\"") < at("table class=\"indicators\""));

    // The example plan: a target missed in the end year and one far too slow; nothing on track.
    let example = get(&app, &format!("/plans/{EXAMPLE_PLAN}")).await;
    let why =
        |code: &str| example.text(&format!(".attention-list li[data-code=\"{code}\"] .reason"));
    assert_eq!(
        why("contract-registration-days"),
        "Target not reached by 2025"
    );
    assert_eq!(why("rd-intensity"), "Progressing too slowly for its target");
    let listed = example.texts(".attention-list li");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        listed[0].contains("Target not reached"),
        "the missed target first"
    );
    for (code, status) in table(&example) {
        let on_list = !example
            .texts(&format!(".attention-list li[data-code=\"{code}\"]"))
            .is_empty();
        if status == "substantial_progress" || status == "target_achieved" {
            assert!(!on_list, "{code} is on track");
        }
    }

    // In Chinese, the same list in Chinese.
    let zh = open(&app, &format!("/plans/{EXAMPLE_PLAN}"), "zh-CN").await;
    assert!(zh.text("#attention-h").starts_with("需要关注"));
    assert_eq!(
        zh.text(".attention-list li[data-code=\"contract-registration-days\"] .reason"),
        "2025年未实现目标"
    );
    assert_eq!(
        zh.text(".attention-list li[data-code=\"rd-intensity\"] .reason"),
        "进展过慢，难以实现目标"
    );
}

#[tokio::test]
async fn a_plan_with_nothing_lagging_says_so() {
    let db = TestDb::seeded().await;
    let page = get(&db.app(), &format!("/plans/{EXAMPLE_PLAN}")).await;
    assert!(page.texts(".attention-list li").is_empty());
    assert!(
        page.text(".attention p")
            .contains("No indicator needs attention"),
        "{}",
        page.text(".attention")
    );
}

#[tokio::test]
async fn the_table_filters_by_heading_and_status_and_sorts_worst_first() {
    let db = with_lagging_figures().await;
    let app = db.app();
    for lang in LANGUAGES {
        let overview = open(&app, "/", lang).await;
        let all = table(&overview);
        let headings = overview.texts("section.group h2");
        assert_eq!(headings.len(), 5);

        // By heading: the second heading's link shows that section alone, with its rows.
        let group_links = links(&overview, ".table-filters .filter-row:nth-of-type(1) a");
        assert_eq!(
            group_links.len(),
            6,
            "all, then each heading: {group_links:?}"
        );
        let (name, href) = &group_links[2];
        assert!(href.contains("group=activity"), "{href}");
        let activity = open(&app, href, lang).await;
        assert_eq!(activity.status, StatusCode::OK);
        let shown = activity.texts("section.group h2");
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(shown[0].starts_with(name.as_str()), "{shown:?} {name}");
        let rows = table(&activity);
        let group_section = {
            let sel = scraper::Selector::parse("section.group").unwrap();
            let html = overview.html();
            let section = html.select(&sel).nth(1).unwrap();
            let tr = scraper::Selector::parse("tbody tr").unwrap();
            section
                .select(&tr)
                .map(|r| r.value().attr("id").unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rows.iter()
                .map(|(c, _)| format!("indicator-{c}"))
                .collect::<Vec<_>>(),
            group_section
        );
        assert_eq!(
            activity.texts(".table-filters a[aria-current]"),
            vec![
                name.clone(),
                activity.text(".table-filters .filter-row:nth-of-type(2) a"),
                activity.text(".table-filters .filter-row:nth-of-type(3) a"),
            ],
            "the heading, all statuses and plan order are in force"
        );
        assert!(activity.text(".table-active").contains(name.as_str()));
        // The status choices count what the heading holds.
        let counted: usize = links(&activity, ".table-filters .filter-row:nth-of-type(2) a")
            .iter()
            .skip(1)
            .map(|(label, _)| {
                let digits: String = label.chars().filter(char::is_ascii_digit).collect();
                digits.parse::<usize>().unwrap()
            })
            .sum();
        assert_eq!(counted, rows.len(), "{lang}");

        // Worst first, keeping the heading: each heading's rows by status, every row kept.
        let sorted_href = link(&activity, ".table-filters .filter-row:nth-of-type(3) a", {
            if lang == "en" {
                "Worst status first"
            } else {
                "状态最差的在前"
            }
        });
        assert!(sorted_href.contains("group=activity") && sorted_href.contains("sort=status"));
        let everything_sorted = open(&app, &sorted_href.replace("group=activity&", ""), lang).await;
        let sorted = table(&everything_sorted);
        assert_eq!(sorted.len(), all.len());
        let rank = |s: &str| {
            [
                "deterioration",
                "limited_progress",
                "moderate_progress",
                "substantial_progress",
                "target_achieved",
                "not_available",
            ]
            .iter()
            .position(|x| *x == s)
            .unwrap()
        };
        let sel = scraper::Selector::parse("section.group").unwrap();
        let tr = scraper::Selector::parse("tbody tr").unwrap();
        for section in everything_sorted.html().select(&sel) {
            let ranks: Vec<usize> = section
                .select(&tr)
                .map(|r| rank(r.value().attr("data-status").unwrap()))
                .collect();
            assert!(ranks.is_sorted(), "worst first within a heading: {ranks:?}");
        }
        // Every row is still there, and sorting moved some (not enough data goes last).
        let mut same = sorted.clone();
        same.sort();
        let mut plan_order = all.clone();
        plan_order.sort();
        assert_eq!(same, plan_order);
        assert_ne!(sorted, all, "the order changed");
        assert!(
            everything_sorted
                .text(".table-active")
                .contains(if lang == "en" {
                    "worst status first"
                } else {
                    "状态最差的在前"
                })
        );

        // Heading and status together: only what both allow.
        let both = open(
            &app,
            &format!("/plans/{DEFAULT_PLAN}?status=not_available&group=resources"),
            lang,
        )
        .await;
        let resources: Vec<String> = {
            let html = overview.html();
            let section = html.select(&sel).next().unwrap();
            section
                .select(&tr)
                .filter(|r| r.value().attr("data-status") == Some("not_available"))
                .map(|r| r.value().attr("id").unwrap()["indicator-".len()..].to_owned())
                .collect()
        };
        assert_eq!(
            table(&both).into_iter().map(|(c, _)| c).collect::<Vec<_>>(),
            resources
        );
        // A heading with nothing of that status says so rather than showing an empty table.
        let none = open(
            &app,
            &format!("/plans/{DEFAULT_PLAN}?status=limited_progress"),
            lang,
        )
        .await;
        assert_eq!(none.status, StatusCode::OK);
        assert!(table(&none).is_empty());
        assert_eq!(none.texts(".table-empty").len(), 1);
    }
}

#[tokio::test]
async fn filter_values_that_name_nothing_are_refused_with_a_clear_400() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let plan = format!("/plans/{DEFAULT_PLAN}");
    for (query, says) in [
        ("status=on_track", "“on_track” is not a status"),
        ("group=nowhere", "no heading “nowhere”"),
        ("sort=name", "“name” is not an order"),
        ("status=%FF", "is not a status"),
    ] {
        for base in [plan.as_str(), "/"] {
            let page = get(&app, &format!("{base}?{query}")).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{base}?{query}");
            assert!(page.body.contains(says), "{base}?{query}: {}", page.body);
            assert_eq!(
                page.texts("header.site nav").len(),
                1,
                "the site's own page"
            );
        }
    }
    let zh = open(&app, &format!("{plan}?status=on_track"), "zh-CN").await;
    assert_eq!(zh.status, StatusCode::BAD_REQUEST);
    assert!(zh.body.contains("“on_track”不是一种状态"), "{}", zh.body);
    // Empty values and other parameters change nothing.
    let all = table(&get(&app, &plan).await);
    for query in ["status=&group=&sort=", "utm_source=mail", "sort=plan"] {
        let page = get(&app, &format!("{plan}?{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert_eq!(table(&page), all, "{query}");
        assert!(page.texts(".table-active").is_empty());
    }
}

#[tokio::test]
async fn filtered_pages_are_kept_apart_in_the_page_cache() {
    let db = TestDb::seeded().await;
    let (state, listener) = db.with_live_cache(Config::default()).await;
    let site = plantrack::web::app(state.clone());
    let plain = format!("/plans/{DEFAULT_PLAN}");
    let achieved = format!("{plain}?status=target_achieved");
    for _ in 0..2 {
        assert_eq!(table(&get(&site, &plain).await).len(), 13);
        let only = table(&get(&site, &achieved).await);
        assert_eq!(only.len(), 2, "{only:?}");
        assert!(only.iter().all(|(_, s)| s == "target_achieved"));
        // A refusal is never kept.
        assert_eq!(
            get(&site, &format!("{plain}?status=nope")).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(state.cache.len(), 2, "one copy each, no refusal kept");
    listener.abort();
}
