use plantrack::domain::target::{TargetComparator, TargetRule};
use plantrack::store::seed::{SeedReport, Tally};
use sqlx::PgPool;

use crate::harness::{DEFAULT_PLAN, EXAMPLE_PLAN, TestDb, get, seed};

async fn revisions(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from revision")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn snapshot(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select string_agg(t::text, E'\\n' order by t::text) from (
             select row(plan_id, slug, title_en, updated_at)::text as t from plan
             union all select row(indicator_id, code, name_en, target_value, updated_at)::text from indicator
             union all select row(observation_id, value, state, version, updated_at)::text from observation
             union all select row(programme_item_id, key, status, updated_at)::text from programme_item
         ) s",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn seeding_an_empty_database_loads_the_whole_plan() {
    let db = TestDb::empty().await;
    let reports = plantrack::apply_seeds(&db.pool, &[seed(DEFAULT_PLAN)])
        .await
        .unwrap();
    let r = &reports[0];
    // 1 plan + 5 headings + 13 indicators + 7 programmes + their items.
    let items: i64 = sqlx::query_scalar("select count(*) from programme_item")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(r.definitions.created as i64, 1 + 5 + 13 + 7 + items);
    let figures: i64 =
        sqlx::query_scalar("select count(*) from observation where state = 'published'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(r.figures.created as i64, figures);
    assert!(figures >= 20, "{figures}");
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let db = TestDb::seeded().await;
    let before = (snapshot(&db.pool).await, revisions(&db.pool).await);
    let reports = plantrack::apply_seeds(&db.pool, &[seed(DEFAULT_PLAN), seed(EXAMPLE_PLAN)])
        .await
        .unwrap();
    for r in &reports {
        assert!(!r.changed_anything(), "{r}");
        assert_eq!(r.figures_kept, 0);
    }
    assert_eq!(
        (snapshot(&db.pool).await, revisions(&db.pool).await),
        before
    );
}

#[tokio::test]
async fn a_revised_figure_keeps_its_first_published_value_in_the_history() {
    let db = TestDb::seeded().await;
    let history: Vec<(String, Option<serde_json::Value>, serde_json::Value)> = sqlx::query_as(
        "select r.action, r.before -> 'value', r.after -> 'value'
         from revision r join indicator i on i.indicator_id = r.indicator_id
         where i.code = 'rd-intensity' and i.plan_id = (select plan_id from plan where is_default)
           and r.year = 2021 and r.kind = 'national_average'
         order by r.revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let shown: Vec<String> = history
        .iter()
        .map(|(a, b, c)| {
            format!(
                "{a} {} -> {c}",
                b.as_ref().map_or("none".into(), |b| b.to_string())
            )
        })
        .collect();
    assert_eq!(shown, ["create none -> 2.44", "update 2.44 -> 2.43"]);
}

#[tokio::test]
async fn an_edited_seed_updates_definitions_and_never_overrides_figures_entered_on_the_site() {
    let db = TestDb::seeded().await;
    // A figure entered through the site (by a user) and one left as the seed loaded it.
    sqlx::query(
        "insert into app_user (username, role, password_hash) values ('ana', 'analyst', 'x')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "update observation set value = 2.17, entered_by = (select app_user_id from app_user), version = version + 1
         where year = 2021 and kind = 'actual' and indicator_id =
             (select indicator_id from indicator join plan using (plan_id) where code = 'rd-intensity' and is_default)",
    )
    .execute(&db.pool)
    .await
    .unwrap();

    let mut edited = seed(DEFAULT_PLAN);
    let rd = edited
        .indicators
        .iter_mut()
        .find(|i| i.code == "rd-intensity")
        .unwrap();
    rd.name_en = "R&D intensity".into();
    rd.target.as_mut().unwrap().rule = TargetRule::Level {
        value: "2.7".parse().unwrap(),
        comparator: Some(TargetComparator::Ge),
    };
    rd.observations
        .iter_mut()
        .find(|o| o.year == 2021)
        .unwrap()
        .value = "2.20".parse().unwrap();
    rd.observations
        .iter_mut()
        .find(|o| o.year == 2022)
        .unwrap()
        .value = "2.37".parse().unwrap();
    let before = revisions(&db.pool).await;

    let report: SeedReport = plantrack::apply_seeds(&db.pool, &[edited])
        .await
        .unwrap()
        .remove(0);
    assert_eq!(report.definitions.updated, 1, "{report}");
    assert_eq!(
        report.figures,
        Tally {
            created: 0,
            updated: 1,
            unchanged: report.figures.unchanged
        }
    );
    assert_eq!(report.figures_kept, 1, "{report}");
    // The definition, the figure, and the amended target of this published plan.
    assert_eq!(report.amended_targets, 1, "{report}");
    assert_eq!(
        revisions(&db.pool).await,
        before + 3,
        "one history row per change"
    );
    // The reason is the system's, so it is kept as a code (no longer the English sentence
    // "seed file changed") and the indicator page renders it in the reader's language.
    let earlier: (String, Option<String>) = sqlx::query_as(
        "select t.target_value::text, t.reason_code from indicator_target t join indicator i using (indicator_id)
         where i.code = 'rd-intensity'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(earlier, ("2.6".into(), Some("seed-changed".into())));
    let page = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    for (lang, reason) in [("en", "the seed file changed"), ("zh", "种子文件已更改")] {
        let request = axum::http::Request::get(&page)
            .header(axum::http::header::ACCEPT_LANGUAGE, lang)
            .body(axum::body::Body::empty())
            .unwrap();
        let shown = crate::harness::send(&db.app(), request).await;
        assert_eq!(
            shown.text("table.target-history td.reason"),
            reason,
            "{lang}"
        );
    }

    let api = get(
        &db.app(),
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await
    .json();
    assert_eq!(api["name_en"], "R&D intensity");
    assert_eq!(api["target_value"].to_string(), "2.7");
    let actual = |year: i64| {
        api["observations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["year"] == year && o["kind"] == "actual")
            .unwrap()["value"]
            .to_string()
    };
    assert_eq!(actual(2021), "2.17", "the site's figure is kept");
    assert_eq!(
        actual(2022),
        "2.37",
        "the seed's own figure follows the file"
    );
}

#[tokio::test]
async fn a_bad_seed_file_changes_nothing_and_names_every_problem() {
    let text = std::fs::read_to_string(format!(
        "{}/seeds/{EXAMPLE_PLAN}.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replacen("decimals = ", "decimals = 9 # ", 1);
    let err = plantrack::domain::seed::SeedFile::parse(&text)
        .unwrap_err()
        .to_string();
    assert!(err.contains("decimals must be between 0 and 6"), "{err}");
}

/// A programme may derive its counts from its items; such a seed loads once, then changes
/// nothing.
#[tokio::test]
async fn a_programme_counting_its_items_loads_idempotently() {
    use plantrack::domain::plan::ItemStatus;
    let db = TestDb::seeded().await;
    let mut edited = seed(EXAMPLE_PLAN);
    let p = edited
        .programmes
        .iter_mut()
        .find(|p| p.slug == "incubators")
        .unwrap();
    p.count_from_items = Some(ItemStatus::Operating);
    p.counts.clear();
    let first = plantrack::apply_seeds(&db.pool, &[edited.clone()])
        .await
        .unwrap();
    assert!(first[0].changed_anything());
    let before = (snapshot(&db.pool).await, revisions(&db.pool).await);
    let again = plantrack::apply_seeds(&db.pool, &[edited]).await.unwrap();
    assert!(!again[0].changed_anything(), "{}", again[0]);
    assert_eq!(
        (snapshot(&db.pool).await, revisions(&db.pool).await),
        before
    );
    let page = get(
        &db.app(),
        &format!("/plans/{EXAMPLE_PLAN}/programmes/incubators"),
    )
    .await;
    assert!(
        page.text("p.derived").contains("Operating"),
        "{}",
        page.body
    );
}
