//! The search across every plan: by a part of a name, in either language, linked to what it
//! finds, published items only, wildcards taken literally, bounded input.

use axum::http::{StatusCode, header};

use crate::harness::{DEFAULT_PLAN, EXAMPLE_PLAN, TestDb, get, get_with};

#[tokio::test]
async fn a_part_of_a_chinese_or_english_name_finds_indicators_of_every_plan_with_working_links() {
    let db = TestDb::seeded().await;
    let app = db.app();

    // The plans page carries the search box.
    let plans = get(&app, "/plans").await;
    assert_eq!(
        plans.texts("form.search[action='/search'] label[for='search-q']"),
        vec!["Find an indicator, programme or item by a part of its name".to_owned()]
    );

    // Two Chinese characters (no word boundaries in Chinese) find the patent indicators of
    // both plans, the default plan's first.
    let zh = get(&app, "/search?q=%E4%B8%93%E5%88%A9").await;
    assert_eq!(zh.status, StatusCode::OK);
    let links: Vec<String> = zh
        .html()
        .select(&scraper::Selector::parse("ul.search-hits a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(
        links,
        vec![
            format!("/plans/{DEFAULT_PLAN}/indicators/high-value-patents"),
            format!("/plans/{DEFAULT_PLAN}/indicators/invention-patents"),
            format!("/plans/{EXAMPLE_PLAN}/indicators/patent-applications"),
        ]
    );
    assert_eq!(zh.text("p.search-summary"), "3 results for “专利”.");
    assert_eq!(zh.attr("#search-q", "value"), "专利");
    for link in &links {
        assert_eq!(get(&app, link).await.status, StatusCode::OK, "{link}");
    }

    // English, any case, finds the same indicators.
    let en = get(&app, "/search?q=PATENT").await;
    assert_eq!(en.texts("ul.search-hits a").len(), 3);
}

#[tokio::test]
async fn programmes_and_published_items_are_found_and_drafts_are_not() {
    let db = TestDb::seeded().await;
    let app = db.app();
    // A draft item (not yet published by an official) whose name also matches.
    sqlx::query(
        "insert into programme_item (programme_id, key, position, name_zh, name_en, state)
         select programme_id, 'draft-lab', 99, '草稿重点实验室', 'Draft key laboratory', 'draft'
         from programme where slug = 'national-key-laboratories'",
    )
    .execute(&db.pool)
    .await
    .unwrap();

    let page = get(&app, "/search?q=key+laborator").await;
    let headings = page.texts("section.search-group h2");
    assert!(headings[0].starts_with("Programmes ("), "{headings:?}");
    assert!(headings[1].starts_with("Programme items ("), "{headings:?}");
    let items = page.html();
    let hrefs: Vec<&str> = items
        .select(&scraper::Selector::parse("ul.search-hits a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(
            &format!("/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories").as_str()
        ),
        "{hrefs:?}"
    );
    let item_id: i64 = sqlx::query_scalar(
        "select programme_item_id from programme_item where key = 'life-health-sciences'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let item_link =
        format!("/plans/{DEFAULT_PLAN}/programmes/national-key-laboratories#item-{item_id}");
    assert!(hrefs.contains(&item_link.as_str()), "{hrefs:?}");
    let programme = get(&app, item_link.split('#').next().unwrap()).await;
    assert_eq!(programme.texts(&format!("tr#item-{item_id}")).len(), 1);
    assert!(
        !page.body.contains("Draft key laboratory") && !page.body.contains("草稿重点实验室"),
        "a draft item is not public"
    );
}

#[tokio::test]
async fn typed_wildcards_match_themselves_and_overlong_text_is_refused_at_the_field() {
    let db = TestDb::seeded().await;
    let app = db.app();

    // `%` and `_` are not patterns: nothing in the plans has them in its name.
    for q in ["%25", "_", "%25%25_"] {
        let page = get(&app, &format!("/search?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(page.texts("ul.search-hits li").is_empty(), "{q}");
        assert!(
            page.text("p.search-summary")
                .starts_with("Nothing in any plan"),
            "{q}"
        );
    }

    // An empty search shows the box and nothing else.
    let empty = get(&app, "/search?q=+").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.texts("p.search-summary").is_empty());

    // Too long: 400, the message at the field, the text kept.
    let long = "专".repeat(101);
    let refused = get(&app, &format!("/search?q={}", "%E4%B8%93".repeat(101))).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.text("#search-q-error"),
        "⚠ The search text is too long: at most 100 characters."
    );
    assert_eq!(refused.attr("#search-q", "value"), long);
    assert_eq!(refused.attr("#search-q", "aria-invalid"), "true");
}

#[tokio::test]
async fn the_search_speaks_chinese_to_chinese_readers() {
    let db = TestDb::seeded().await;
    let page = get_with(
        &db.app(),
        "/search?q=patent",
        header::ACCEPT_LANGUAGE,
        "zh-CN,zh",
    )
    .await;
    assert_eq!(page.text("h1"), "搜索");
    assert_eq!(
        page.text("p.search-summary"),
        "找到 3 项名称含“patent”的结果。"
    );
    assert_eq!(page.text("section.search-group h2"), "指标（3）");
    assert_eq!(
        page.texts("ul.search-hits a")[0],
        "每万人口高价值发明专利拥有量"
    );
}
