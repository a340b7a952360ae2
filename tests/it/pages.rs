use axum::http::StatusCode;

use crate::harness::{DEFAULT_PLAN, EXAMPLE_PLAN, TestDb, get};

#[tokio::test]
async fn the_home_page_shows_the_default_plan_with_all_thirteen_indicators_under_five_headings() {
    let db = TestDb::seeded().await;
    let page = get(&db.app(), "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    assert!(
        page.text("h1")
            .contains("Science and Technology Innovation"),
        "{}",
        page.text("h1")
    );

    let headings = page.texts("section.group h2");
    assert_eq!(headings.len(), 5, "{headings:?}");
    assert!(headings[0].contains("创新资源集聚度"), "{headings:?}");
    assert_eq!(page.texts("table.indicators tbody tr").len(), 13);

    // R&D intensity: baseline, latest published value and year, target, share of the way, status.
    let row = |cell: &str| page.text(&format!("#indicator-rd-intensity {cell}"));
    assert_eq!(row("td:nth-of-type(1)"), "2.11% (2020)");
    assert_eq!(row("td.latest"), "2.45% (2023)");
    assert_eq!(row("td:nth-of-type(3)"), "≥ 2.6% by 2025");
    assert_eq!(row("td.share"), "69%");
    assert!(row(".status").contains("On track"));
    // The status is a word and a symbol, not colour alone.
    assert!(row(".status .symbol").contains('↗'));

    // An indicator without a published target says so rather than inventing one.
    assert_eq!(
        page.text("#indicator-high-tech-share td:nth-of-type(3)"),
        "Not published"
    );
    assert!(
        page.text("#indicator-high-tech-share .status")
            .contains("Not enough data")
    );
}

#[tokio::test]
async fn the_overview_counts_statuses_lists_programmes_and_other_plans() {
    let db = TestDb::seeded().await;
    let page = get(&db.app(), "/").await;
    let counts = page.texts(".counts li");
    let count_of = |code: &str| page.text(&format!(".counts .count-{code} strong"));
    assert_eq!(counts.len(), 6, "{counts:?}");
    assert_eq!(count_of("target_achieved"), "2");
    assert_eq!(count_of("substantial_progress"), "4");
    assert_eq!(count_of("not_available"), "7");

    let programmes = page.texts(".programmes li");
    assert_eq!(programmes.len(), 7, "{programmes:?}");
    assert!(
        programmes
            .iter()
            .any(|p| p.contains("Chongqing laboratories") || p.contains("重庆实验室")),
        "{programmes:?}"
    );

    let others = page.texts(".other-plans li a");
    assert_eq!(others.len(), 1, "{others:?}");
    assert!(others[0].contains("Example district"), "{others:?}");
}

#[tokio::test]
async fn every_plan_has_its_own_overview_and_the_plan_list_links_them() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let page = get(&app, &format!("/plans/{EXAMPLE_PLAN}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("h1").contains("Example district"));
    assert_eq!(page.texts("table.indicators tbody tr").len(), 4);

    let list = get(&app, "/plans").await;
    let links: Vec<String> = list
        .html()
        .select(&scraper::Selector::parse(".plan-list a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(
        links,
        vec![
            format!("/plans/{DEFAULT_PLAN}"),
            format!("/plans/{EXAMPLE_PLAN}")
        ]
    );
}

#[tokio::test]
async fn with_a_countrys_plans_the_list_pages_and_the_overview_names_a_few() {
    let db = TestDb::seeded().await;
    // 248 more plans: with the two shipped, three pages of 100.
    sqlx::query(
        "insert into plan (slug, title_zh, title_en, start_year, end_year, baseline_year)
         select format('county-%s', lpad(n::text, 3, '0')), format('县级规划 %s', n),
                format('County plan %s', n), 2021, 2025, 2020
         from generate_series(1, 248) n",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let app = db.app();
    let first = get(&app, "/plans").await;
    assert_eq!(first.texts(".plan-list li").len(), 100);
    assert_eq!(first.text("#plan-count"), "250 plans");
    // The default plan first, as before.
    assert_eq!(
        first.attr(".plan-list li:first-child a", "href"),
        format!("/plans/{DEFAULT_PLAN}")
    );
    assert_eq!(first.attr("nav.pager a[rel=next]", "href"), "/plans?page=2");
    assert!(first.texts("nav.pager a[rel=prev]").is_empty());
    let last = get(&app, "/plans?page=3").await;
    assert_eq!(last.status, StatusCode::OK);
    assert_eq!(last.texts(".plan-list li").len(), 50);
    assert_eq!(last.text("nav.pager [aria-current=page]"), "Page 3 of 3");
    assert!(last.texts("nav.pager a[rel=next]").is_empty());
    // Every plan on exactly one page.
    let mut all = Vec::new();
    for page in 1..=3 {
        all.extend(
            get(&app, &format!("/plans?page={page}"))
                .await
                .texts(".plan-list li a"),
        );
    }
    let distinct: std::collections::HashSet<&String> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (250, 250));
    for beyond in ["/plans?page=4", "/plans?page=0", "/plans?page=x"] {
        assert_eq!(
            get(&app, beyond).await.status,
            StatusCode::NOT_FOUND,
            "{beyond}"
        );
    }
    // The overview names eight other plans and links the whole list.
    let overview = get(&app, "/").await;
    assert_eq!(overview.texts(".other-plans li").len(), 8);
    assert!(overview.text(".other-plans p a").contains("250"));
}

#[tokio::test]
async fn an_indicator_page_explains_its_status_with_the_figures_it_came_from() {
    let db = TestDb::seeded().await;
    let page = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.text("h1"),
        "R&D expenditure as a share of regional GDP"
    );
    assert!(page.text(".verdict .status").contains("On track"));

    let figure = |label: &str| {
        let html = page.html();
        let sel = scraper::Selector::parse(".figures div").unwrap();
        html.select(&sel)
            .find(|d| d.text().collect::<String>().contains(label))
            .map(|d| {
                d.select(&scraper::Selector::parse("dd").unwrap())
                    .next()
                    .unwrap()
                    .text()
                    .collect::<String>()
            })
            .unwrap_or_else(|| panic!("no figure {label:?}"))
    };
    // (2.45 / 2.11)^(1/3) - 1 = 5.107%; (2.6 / 2.11)^(1/5) - 1 = 4.265%; R = 1.197.
    assert_eq!(figure("CAGR"), "5.11%");
    assert_eq!(figure("target needs"), "4.26%");
    assert_eq!(figure("Ratio"), "1.20");
    assert_eq!(figure("Way from baseline"), "69.4%");
    // 2.11 × 1.05107^5 = 2.7075
    assert_eq!(figure("Projected"), "2.71%");

    // Year-by-year table: actual values and the national average with its revision applied.
    let year = |y: i32, col: &str| page.text(&format!("tr[data-year=\"{y}\"] td.{col}"));
    assert_eq!(year(2021, "actual"), "2.16");
    assert_eq!(
        year(2020, "national"),
        "2.40",
        "a series reads with its decimals"
    );
    assert_eq!(year(2021, "national"), "2.43");
    assert_eq!(year(2023, "national"), "2.58");
    assert_eq!(year(2024, "national"), "2.69");
    assert_eq!(year(2024, "actual"), "");
    assert!(
        page.text("tr[data-year=\"2023\"] td.note")
            .to_lowercase()
            .contains("estimate")
    );

    // The chart: three actual points, five national averages, the required path and the target.
    let html = page.html();
    let count = |sel: &str| html.select(&scraper::Selector::parse(sel).unwrap()).count();
    assert_eq!(count("svg circle.actual-point"), 3);
    assert_eq!(count("svg rect.national-point"), 5);
    assert_eq!(count("svg polyline.required"), 1);
    assert_eq!(count("svg path.target-point"), 1);
    assert_eq!(
        count("svg title"),
        1 + 3 + 5 + 1 + 1,
        "each mark has a text alternative"
    );
}

#[tokio::test]
async fn an_indicator_without_figures_says_so_and_keeps_its_provenance() {
    let db = TestDb::seeded().await;
    let page = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/high-value-patents"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text(".verdict .status").contains("Not enough data"));
    assert!(
        page.body
            .contains("No figures have been published for this indicator yet.")
    );
    let definition = page.texts("dl.definition dd").join(" | ");
    assert!(definition.contains("Higher is better"), "{definition}");
    assert!(definition.contains("confidence: medium"), "{definition}");
}

#[tokio::test]
async fn programme_pages_show_targets_counts_and_items() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let list = get(&app, &format!("/plans/{DEFAULT_PLAN}/programmes")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.texts("section.programme").len(), 7);

    let labs = get(
        &app,
        &format!("/plans/{DEFAULT_PLAN}/programmes/chongqing-laboratories"),
    )
    .await;
    assert_eq!(labs.status, StatusCode::OK);
    let items = labs.texts("table.items tbody tr");
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(
        items
            .iter()
            .any(|i| i.contains("Jinfeng") && i.contains("Operating")),
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .any(|i| i.contains("Guangyangwan") && i.contains("Planned")),
        "{items:?}"
    );

    // A programme whose counts are an indicator's figures shows them, and links the indicator.
    let firms = get(
        &app,
        &format!("/plans/{DEFAULT_PLAN}/programmes/st-enterprises"),
    )
    .await;
    assert_eq!(firms.text("dd.target"), "> 45,000 enterprises by 2025");
    assert_eq!(firms.text("dd.latest"), "75,600 enterprises (2025)");
    assert_eq!(firms.texts("table.counts-table tbody tr").len(), 3);
    assert!(
        firms
            .body
            .contains(&format!("/plans/{DEFAULT_PLAN}/indicators/st-enterprises"))
    );
}

#[tokio::test]
async fn the_methodology_page_states_every_rule() {
    let db = TestDb::seeded().await;
    let page = get(&db.app(), "/methodology").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("dl.statuses > div").len(), 6);
    for phrase in [
        "R ≥ 0.95",
        "0.6 ≤ R < 0.95",
        "1.5%",
        "0.001",
        "Statistics Canada",
    ] {
        assert!(
            page.body.contains(phrase)
                || page
                    .html()
                    .root_element()
                    .text()
                    .collect::<String>()
                    .contains(phrase),
            "missing {phrase}"
        );
    }
}

#[tokio::test]
async fn unknown_addresses_get_a_404_page_in_the_sites_style() {
    let db = TestDb::seeded().await;
    let app = db.app();
    for uri in [
        "/no-such-page",
        "/plans/no-such-plan",
        &format!("/plans/{DEFAULT_PLAN}/indicators/no-such-indicator"),
        &format!("/plans/{DEFAULT_PLAN}/programmes/no-such-programme"),
    ] {
        let page = get(&app, uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(page.text("h1"), "Page not found", "{uri}");
        assert_eq!(
            page.texts("header.site nav").len(),
            1,
            "{uri}: the page keeps the site's frame"
        );
    }
}

#[tokio::test]
async fn drafts_never_reach_the_public_pages() {
    let db = TestDb::seeded().await;
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source)
         select indicator_id, 2024, 'actual', 'draft', 2.57, 'draft entry'
         from indicator where code = 'rd-intensity' and plan_id = (select plan_id from plan where is_default)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let page = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert_eq!(page.text("tr[data-year=\"2024\"] td.actual"), "");
    assert!(!page.body.contains("2.57"));
    let overview = get(&db.app(), "/").await;
    assert_eq!(
        overview.text("#indicator-rd-intensity td.latest"),
        "2.45% (2023)"
    );
}

#[tokio::test]
async fn user_supplied_text_is_escaped() {
    let db = TestDb::seeded().await;
    sqlx::query("update indicator set name_en = '<script>alert(1)</script>' where code = 'rd-intensity' and plan_id = (select plan_id from plan where is_default)")
        .execute(&db.pool)
        .await
        .unwrap();
    let page = get(&db.app(), "/").await;
    assert!(!page.body.contains("<script>alert(1)</script>"));
    // The name reads as the text typed, and no script element reaches the document.
    assert_eq!(
        page.text("#indicator-rd-intensity th a"),
        "<script>alert(1)</script>"
    );
    assert!(page.texts("script").is_empty());
}

#[tokio::test]
async fn the_stylesheet_is_served() {
    let db = TestDb::seeded().await;
    let css = get(&db.app(), "/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains("@media print"));
}

#[tokio::test]
async fn health_reports_whether_the_database_answers() {
    let db = TestDb::seeded().await;
    let app = db.app();
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    db.pool.close().await;
    assert_eq!(
        get(&app, "/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.text("h1"), "Temporarily unavailable");
}

#[tokio::test]
async fn with_many_plans_the_overview_lists_a_few_and_links_to_all() {
    let db = TestDb::seeded().await;
    sqlx::query(
        "insert into plan (slug, title_zh, title_en, start_year, end_year, baseline_year)
         select format('district-%s', n), format('区规划 %s', n), format('District plan %s', n), 2021, 2025, 2020
         from generate_series(1, 12) n",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let page = get(&db.app(), "/").await;
    assert_eq!(page.texts(".other-plans li").len(), 8);
    assert_eq!(page.text(".other-plans p a"), "All 14 plans");
    assert_eq!(
        get(&db.app(), "/plans").await.texts(".plan-list li").len(),
        14
    );
}
