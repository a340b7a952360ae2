//! The interface in Simplified Chinese and English: chosen by the switch, the browser, or by
//! default, and kept apart in the page cache.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plantrack::domain::plan::Role;

use crate::harness::{Client, DEFAULT_PLAN, Page, TestDb, get, get_with, send};

fn html_lang(page: &Page) -> String {
    page.html()
        .select(&scraper::Selector::parse("html").unwrap())
        .next()
        .and_then(|e| e.value().attr("lang").map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_browser_asking_for_chinese_gets_the_interface_and_names_in_chinese() {
    let db = TestDb::seeded().await;
    let page = get_with(
        &db.app(),
        "/",
        header::ACCEPT_LANGUAGE,
        "zh-CN,zh;q=0.9,en;q=0.8",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(html_lang(&page), "zh-CN");
    assert_eq!(page.text("h1"), "重庆市科技创新“十四五”规划（2021—2025年）");
    // The English title follows, marked as English for screen readers.
    assert!(
        page.text("h1 + p.other-lang")
            .contains("Science and Technology Innovation")
    );
    assert_eq!(page.text("#summary-h"), "进展概况");
    assert!(page.texts("header.site nav a").contains(&"规划".to_owned()));
    // Statuses are words in the reader's language; figures read the same in both languages.
    let row = |cell: &str| page.text(&format!("#indicator-rd-intensity {cell}"));
    assert!(row(".status").contains("进展顺利"), "{}", row(".status"));
    assert_eq!(row("td.latest"), "2.45% (2023)");
    assert_eq!(row("td:nth-of-type(3)"), "2025年 ≥ 2.6%");

    let english = get(&db.app(), "/").await;
    assert_eq!(html_lang(&english), "en");
    assert_eq!(english.text("#summary-h"), "Progress at a glance");
    let french = get_with(&db.app(), "/", header::ACCEPT_LANGUAGE, "fr-FR,fr").await;
    assert_eq!(
        html_lang(&french),
        "en",
        "a language we lack falls back to English"
    );
}

#[tokio::test]
async fn the_switch_on_every_page_is_remembered_and_wins_over_the_browser() {
    let db = TestDb::seeded().await;
    let mut reader = Client::new(db.app());
    let page = reader.get("/methodology").await;
    let switch = page
        .html()
        .select(&scraper::Selector::parse("header.site a[hreflang]").unwrap())
        .next()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .expect("a language switch in the header");
    assert_eq!(switch, "/language?set=zh&next=/methodology");

    let moved = reader.get(&switch).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location, "/methodology");
    assert!(
        moved
            .set_cookie
            .iter()
            .any(|c| c.starts_with("plantrack_lang=zh;")
                && c.contains("Max-Age=31536000")
                && c.contains("Path=/")),
        "{:?}",
        moved.set_cookie
    );
    let page = reader.get("/methodology").await;
    assert_eq!(html_lang(&page), "zh-CN");
    assert_eq!(page.text("h1"), "如何评判进展");

    // The cookie wins over a browser that prefers English.
    let req = Request::get("/methodology")
        .header(header::COOKIE, reader.lang.clone().unwrap())
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    assert_eq!(html_lang(&send(&db.app(), req).await), "zh-CN");

    // The way back only leads to this site.
    let away = get(&db.app(), "/language?set=en&next=//elsewhere.example/").await;
    assert_eq!(away.location, "/");
}

#[tokio::test]
async fn each_language_has_its_own_copy_of_a_cached_page() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let uri = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    for _ in 0..2 {
        let zh = get_with(&app, &uri, header::ACCEPT_LANGUAGE, "zh").await;
        let en = get(&app, &uri).await;
        assert_eq!(zh.text("#progress-h"), "进展");
        assert_eq!(en.text("#progress-h"), "Progress");
    }
    let response = tower::ServiceExt::oneshot(app, Request::get(&uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let vary = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        vary.contains("accept-language") && vary.contains("cookie"),
        "{vary}"
    );
    assert_eq!(response.headers()[header::CONTENT_LANGUAGE], "en");
}

#[tokio::test]
async fn a_refused_value_is_explained_in_the_readers_language_and_kept() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get("/language?set=zh&next=/").await;
    let form = analyst
        .get(&format!("/plans/{DEFAULT_PLAN}/entry/2024"))
        .await;
    assert_eq!(form.text("h1"), "填报2024年数据");
    let key = form
        .html()
        .select(&scraper::Selector::parse("input[name^='value.']").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("name")
        .unwrap()
        .trim_start_matches("value.")
        .to_owned();
    let token = form
        .html()
        .select(&scraper::Selector::parse(&format!("input[name='token.{key}']")).unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    let page = analyst
        .post(
            &format!("/plans/{DEFAULT_PLAN}/entry/2024"),
            &[
                (&format!("value.{key}"), "2.4x5"),
                (&format!("source.{key}"), "统计公报"),
                (&format!("token.{key}"), &token),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text(".error-summary h2").contains("未保存任何内容"));
    assert!(
        page.text(&format!("#value-{key}-error"))
            .contains("请输入数字"),
        "{}",
        page.text(&format!("#value-{key}-error"))
    );
    let kept = page
        .html()
        .select(&scraper::Selector::parse(&format!("#value-{key}")).unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    assert_eq!(kept, "2.4x5");
}

#[tokio::test]
async fn a_download_in_chinese_has_chinese_headers_and_uploads_back_unchanged() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    analyst.get("/language?set=zh&next=/").await;
    analyst.get(&format!("/plans/{DEFAULT_PLAN}/data")).await;
    let csv = analyst
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.csv"))
        .await;
    let text = csv.text();
    let header = text.trim_start_matches('\u{FEFF}').lines().next().unwrap();
    assert!(
        header.starts_with("规划,指标代码,英文名称,中文名称,年份"),
        "{header}"
    );
    let page = analyst
        .post_file(
            &format!("/plans/{DEFAULT_PLAN}/data/upload"),
            "figures.csv",
            &csv.bytes,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let outcomes = page.texts("table.preview td.outcome");
    assert!(outcomes.len() >= 20);
    assert!(outcomes.iter().all(|o| o == "未变"), "{outcomes:?}");

    let english = Client::new(db.app())
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.csv"))
        .await
        .text();
    assert!(
        english
            .trim_start_matches('\u{FEFF}')
            .starts_with("plan,indicator,name_en,name_zh,year")
    );
}
