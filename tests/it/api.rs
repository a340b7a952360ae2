use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::harness::{DEFAULT_PLAN, TestDb, get};

#[tokio::test]
async fn the_plan_list_gives_each_plans_titles_and_years() {
    let db = TestDb::seeded().await;
    let page = get(&db.app(), "/api/v1/plans").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("application/json"));
    let plans = page.json();
    assert_eq!(plans.as_array().unwrap().len(), 2);
    assert_eq!(
        plans[0],
        json!({
            "slug": DEFAULT_PLAN,
            "title_en": plans[0]["title_en"],
            "title_zh": "重庆市科技创新“十四五”规划（2021—2025年）",
            "start_year": 2021,
            "end_year": 2025,
            "baseline_year": 2020
        })
    );
}

fn by_code<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no {code}"))
}

/// The status of each indicator, worked out by hand from the seeded figures with the method of
/// the design (base = baseline or earliest actual; achieved first; R or the trend thresholds).
#[tokio::test]
async fn every_status_equals_the_hand_computed_one() {
    let db = TestDb::seeded().await;
    let list = get(
        &db.app(),
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators"),
    )
    .await
    .json();
    assert_eq!(list.as_array().unwrap().len(), 13);
    let expected = [
        // (2.45/2.11)^(1/3)-1 = 0.05107; (2.6/2.11)^(1/5)-1 = 0.04265; R = 1.197
        ("rd-intensity", "substantial_progress"),
        ("high-value-patents", "not_available"), // no figures
        ("sei-share", "not_available"),          // no figures
        ("high-tech-share", "not_available"),    // no figures
        ("st-enterprises", "target_achieved"),   // 75,600 > 45,000
        ("new-rd-institutions", "not_available"), // no figures
        ("industrial-rd-spending", "not_available"), // baseline only
        ("enterprises-with-rd", "not_available"), // no figures
        ("high-tech-enterprises", "target_achieved"), // 9,123 >= 8,000
        ("tech-contract-turnover", "substantial_progress"), // (974.24/630.4)^(1/2)-1 = 24.3% a year, no target
        ("invention-patents", "substantial_progress"), // (16.14/11.32)^(1/2)-1 = 19.4% a year, no target
        ("science-literacy", "substantial_progress"), // (12.3/10.2)^(1/2)-1 = 9.8% a year, no target
        ("innovation-platforms", "not_available"),    // one value
    ];
    for (code, status) in expected {
        assert_eq!(by_code(&list, code)["progress"]["status"], status, "{code}");
    }
    // Indicators come heading by heading, as on the overview.
    let groups: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["group"].as_str().unwrap())
        .collect();
    let mut seen: Vec<&str> = groups.clone();
    seen.dedup();
    assert_eq!(
        seen,
        ["resources", "activity", "openness", "results", "leadership"]
    );

    let rd = &by_code(&list, "rd-intensity")["progress"];
    let close = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-4;
    assert!(close(&rd["cagr"], 0.05107), "{rd}");
    assert!(close(&rd["required_rate"], 0.04265), "{rd}");
    assert!(close(&rd["ratio"], 1.1973), "{rd}");
    assert!(close(&rd["share_of_way"], 0.6939), "{rd}");
    assert_eq!(rd["basis"], "target");
    let trend = &by_code(&list, "invention-patents")["progress"];
    assert!(close(&trend["cagr"], 0.19407), "{trend}");
    assert_eq!(trend["basis"], "trend_only");
    assert_eq!(trend["required_rate"], Value::Null);
}

#[tokio::test]
async fn an_indicator_has_exact_decimals_and_nulls_for_unknowns() {
    let db = TestDb::seeded().await;
    let page = get(
        &db.app(),
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    // Exact decimal digits as JSON numbers, not 2.6000000000000001.
    assert!(
        page.body.contains("\"baseline_value\":2.11"),
        "{}",
        page.body
    );
    assert!(page.body.contains("\"target_value\":2.6"), "{}", page.body);
    let rd = page.json();
    for field in [
        "code",
        "group",
        "name_en",
        "name_zh",
        "unit",
        "direction",
        "baseline_year",
        "target_year",
        "observations",
        "progress",
    ] {
        assert!(rd.get(field).is_some(), "missing {field}");
    }
    assert_eq!(rd["group"], "resources");
    assert_eq!(rd["direction"], "higher");
    assert_eq!(rd["unit"], "percent");
    let national_2021 = rd["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["year"] == 2021 && o["kind"] == "national_average")
        .unwrap();
    assert_eq!(national_2021["value"].to_string(), "2.43");
    assert!(national_2021["source"].as_str().unwrap().len() > 3);

    let patents = get(
        &db.app(),
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/high-value-patents"),
    )
    .await
    .json();
    assert_eq!(patents["baseline_value"], Value::Null);
    assert_eq!(patents["target_value"].to_string(), "12");
    assert_eq!(patents["progress"]["cagr"], Value::Null);
    assert_eq!(patents["observations"], json!([]));
}

#[tokio::test]
async fn drafts_are_not_in_the_api() {
    let db = TestDb::seeded().await;
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source)
         select indicator_id, 2024, 'actual', 'draft', 2.57, 'draft entry'
         from indicator where code = 'rd-intensity' and plan_id = (select plan_id from plan where is_default)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let rd = get(
        &db.app(),
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await
    .json();
    assert!(
        rd["observations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["year"] != 2024 || o["kind"] != "actual")
    );
    assert!(
        (rd["progress"]["cagr"].as_f64().unwrap() - 0.05107).abs() < 1e-4,
        "the draft does not move the status"
    );
}

#[tokio::test]
async fn unknown_plans_and_indicators_are_json_404s() {
    let db = TestDb::seeded().await;
    for uri in [
        "/api/v1/plans/nope/indicators",
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/nope"),
    ] {
        let page = get(&db.app(), uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(page.json()["error"]["status"], 404);
    }
}
