//! Chinese conventions on Chinese pages: large numbers in 万 and 亿 where they are headlines,
//! times in the plan's time zone; English pages and downloads keep the exact figures.

use axum::http::{StatusCode, header};
use plantrack::domain::plan::Role;
use sqlx::PgPool;

use crate::harness::{Client, DEFAULT_PLAN, TestDb, get, get_with};

const ZH: &str = "zh-CN,zh;q=0.9";

/// A change of the science-and-technology enterprises' 2025 figure recorded at 17:30 UTC on
/// 1 January 2030: 01:30 on 2 January in Beijing.
async fn revision_at_a_known_time(pool: &PgPool) {
    let done = sqlx::query(
        "insert into revision (plan_id, entity, entity_id, indicator_id, year, kind, action,
                               actor_label, at, before, after, reason)
         select r.plan_id, r.entity, r.entity_id, r.indicator_id, r.year, r.kind, 'update',
                'zhou', '2030-01-01T17:30:00Z', r.after, r.after, 'checked against the bulletin'
           from revision r join indicator i using (indicator_id) join plan p on p.plan_id = r.plan_id
          where p.slug = $1 and i.code = 'st-enterprises' and r.entity = 'observation'
            and r.year = 2025
          order by r.revision_id desc limit 1",
    )
    .bind(DEFAULT_PLAN)
    .execute(pool)
    .await
    .unwrap();
    assert_eq!(done.rows_affected(), 1);
}

#[tokio::test]
async fn chinese_headlines_write_large_numbers_in_wan_while_english_and_tables_keep_the_digits() {
    let db = TestDb::seeded().await;
    let app = db.app();

    // The overview: 75,600 enterprises and the target of more than 45,000 read as the plan
    // writes them; a target of 500 in 亿元 gets no second unit and no padded decimals.
    let zh = get_with(
        &app,
        &format!("/plans/{DEFAULT_PLAN}"),
        header::ACCEPT_LANGUAGE,
        ZH,
    )
    .await;
    assert_eq!(zh.status, StatusCode::OK);
    let row = |page: &crate::harness::Page, code: &str, cell: &str| {
        page.text(&format!("#indicator-{code} {cell}"))
    };
    assert_eq!(row(&zh, "st-enterprises", "td.latest"), "7.56万家 (2025)");
    assert_eq!(
        row(&zh, "st-enterprises", "td:nth-of-type(3)"),
        "2025年 > 4.5万家"
    );
    assert_eq!(
        row(&zh, "industrial-rd-spending", "td:nth-of-type(3)"),
        "2025年 > 500亿元"
    );
    // Below 10,000 and percentages: the digits the plan published (2.6, not padded to 2.60).
    assert_eq!(
        row(&zh, "rd-intensity", "td:nth-of-type(3)"),
        "2025年 ≥ 2.6%"
    );

    // English keeps the exact figure with thousands separators.
    let en = get(&app, &format!("/plans/{DEFAULT_PLAN}")).await;
    assert_eq!(
        row(&en, "st-enterprises", "td.latest"),
        "75,600 enterprises (2025)"
    );
    assert_eq!(
        row(&en, "st-enterprises", "td:nth-of-type(3)"),
        "> 45,000 enterprises by 2025"
    );

    // A programme's target and latest count are headlines too.
    let programme = get_with(
        &app,
        &format!("/plans/{DEFAULT_PLAN}/programmes/st-enterprises"),
        header::ACCEPT_LANGUAGE,
        ZH,
    )
    .await;
    assert_eq!(programme.text("dd.latest"), "7.56万家 (2025)");

    // The indicator page's year table, where figures are compared, keeps every digit.
    let page = get_with(
        &app,
        &format!("/plans/{DEFAULT_PLAN}/indicators/st-enterprises"),
        header::ACCEPT_LANGUAGE,
        ZH,
    )
    .await;
    assert_eq!(
        page.text("table.years tr[data-year='2025'] td.actual"),
        "75,600"
    );

    // The feed, read by people in a feed reader, is worded with Chinese punctuation and keeps
    // the exact figure.
    let feed = get_with(
        &app,
        &format!("/plans/{DEFAULT_PLAN}/feed.atom"),
        header::ACCEPT_LANGUAGE,
        ZH,
    )
    .await;
    assert!(
        feed.body
            .contains("<title>科技型企业数量，2025年：75,600家</title>"),
        "{}",
        feed.body
    );

    // So does the download.
    let file = Client::new(app)
        .download(&format!("/plans/{DEFAULT_PLAN}/data/figures.csv"))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.text().contains(",2025,actual,75600,"),
        "{}",
        file.text()
    );
}

#[tokio::test]
async fn times_read_in_beijing_time_on_chinese_pages_and_with_the_offset_in_english() {
    let db = TestDb::seeded().await;
    revision_at_a_known_time(&db.pool).await;
    let mut official = db.signed_in("lin", Role::Official).await;

    let audit = official.get("/audit?user=zhou").await;
    assert_eq!(audit.status, StatusCode::OK);
    let first = audit.text("table.history tbody tr td:first-child");
    assert_eq!(first, "2030-01-02 01:30 (UTC+8)");

    official.get("/language?set=zh&next=/audit").await;
    let audit = official.get("/audit?user=zhou").await;
    assert_eq!(
        audit.text("table.history tbody tr td:first-child"),
        "2030-01-02 01:30（北京时间）"
    );
    // The indicator page's history says the same.
    let page = official
        .get(&format!("/plans/{DEFAULT_PLAN}/indicators/st-enterprises"))
        .await;
    assert!(
        page.texts("table.history td")
            .contains(&"2030-01-02 01:30（北京时间）".to_owned()),
        "{:?}",
        page.texts("table.history td")
    );
}

#[tokio::test]
async fn the_time_zone_is_a_setting() {
    let db = TestDb::seeded().await;
    revision_at_a_known_time(&db.pool).await;
    let config = plantrack::config::Config {
        time_zone: "-05:00".parse().unwrap(),
        ..plantrack::config::Config::default()
    };
    let app = plantrack::web::app(plantrack::web::AppState::new(db.pool.clone(), config));
    let password = db.user("lin", Role::Official).await;
    let mut official = Client::new(app);
    assert_eq!(
        official.login("lin", &password).await.status,
        StatusCode::SEE_OTHER
    );
    let audit = official.get("/audit?user=zhou").await;
    assert_eq!(
        audit.text("table.history tbody tr td:first-child"),
        "2030-01-01 12:30 (UTC−5)"
    );
}
