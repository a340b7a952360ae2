//! Plan administration in the browser: a new plan set up as officials do at the turn of a plan,
//! a target amended mid-way, seed files downloaded and uploaded, concurrent edits.

use axum::http::StatusCode;
use plantrack::domain::plan::Role;
use plantrack::domain::seed::SeedFile;
use plantrack::i18n::Lang;
use scraper::Selector;

use crate::harness::{Client, DEFAULT_PLAN, Page, TestDb, field_value, get, seed, submit_form};

const NEXT_PLAN: &str = "chongqing-sti-2026-2030";

async fn submit(client: &mut Client, form_uri: &str, changes: &[(&str, &str)]) -> Page {
    let form = client.get(form_uri).await;
    assert_eq!(form.status, StatusCode::OK, "{form_uri}: {}", form.body);
    submit_page(client, &form, changes).await
}

async fn submit_page(client: &mut Client, form: &Page, changes: &[(&str, &str)]) -> Page {
    submit_form(client, form, "#definition-form", changes).await
}

async fn revisions(db: &TestDb, entity: &str, action: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select actor_label, reason from revision where entity = $1 and action = $2 order by revision_id",
    )
    .bind(entity)
    .bind(action)
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_admin_sets_up_the_next_plan_with_continuing_indicators_and_amends_a_target() {
    let db = TestDb::seeded().await;
    let mut admin = db.signed_in("adele", Role::Admin).await;
    let public = db.app();

    // The navigation leads to the plans' administration.
    let home = admin.get("/").await;
    assert!(
        home.texts("header nav a[href='/admin/plans']")
            .contains(&"Plan definitions".to_owned())
    );
    let list = admin.get("/admin/plans").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text(&format!("#plan-{DEFAULT_PLAN}"))
            .contains("2021–2025")
    );

    // A refused form keeps what was typed, with a message at the field.
    let new_plan = [
        ("slug", NEXT_PLAN),
        ("title_zh", "重庆市科技创新“十五五”规划（2026—2030年）"),
        (
            "title_en",
            "Chongqing 15th Five-Year Plan for Science and Technology Innovation",
        ),
        ("start_year", "20x6"),
        ("end_year", "2030"),
        ("baseline_year", "2025"),
    ];
    let refused = submit(&mut admin, "/admin/plans/new", &new_plan).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text("#f-start-year-error"),
        "⚠ Type a year, e.g. 2025."
    );
    assert_eq!(field_value(&refused, "f-start-year"), "20x6");
    assert_eq!(field_value(&refused, "f-title-zh"), new_plan[1].1);
    assert!(refused.text(".error-summary").contains("First year"));
    let plans: i64 = sqlx::query_scalar("select count(*) from plan")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(plans, 2, "nothing saved");

    // Fixed: the plan is created.
    let created = submit_page(&mut admin, &refused, &[("start_year", "2026")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert!(
        created
            .location
            .starts_with(&format!("/admin/plans/{NEXT_PLAN}?saved="))
    );
    // The seed file's rules apply: a baseline year after the start is refused at its field.
    let bad = submit(
        &mut admin,
        &format!("/admin/plans/{NEXT_PLAN}/edit"),
        &[("baseline_year", "2027")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text("#f-baseline-year-error")
            .contains("baseline_year must come before start_year")
    );

    let group = submit(
        &mut admin,
        &format!("/admin/plans/{NEXT_PLAN}/groups/new"),
        &[
            ("code", "resources"),
            ("name_zh", "创新资源集聚度"),
            ("name_en", "Concentration of innovation resources"),
        ],
    )
    .await;
    assert_eq!(group.status, StatusCode::SEE_OTHER, "{}", group.body);

    // A continuing indicator: its definition and baseline are proposed from the 14th plan's.
    let proposed = admin
        .get(&format!(
            "/admin/plans/{NEXT_PLAN}/indicators/new?predecessor={DEFAULT_PLAN}/rd-intensity"
        ))
        .await;
    assert_eq!(proposed.status, StatusCode::OK);
    assert_eq!(field_value(&proposed, "f-code"), "rd-intensity");
    assert_eq!(field_value(&proposed, "f-baseline--value"), "2.45");
    assert_eq!(field_value(&proposed, "f-baseline--year"), "2023");
    assert_eq!(
        field_value(&proposed, "f-predecessor"),
        format!("{DEFAULT_PLAN}/rd-intensity")
    );
    assert!(
        proposed
            .text("#f-baseline--value-hint")
            .contains("Proposed from the latest published value of R&D expenditure")
    );
    // A bad target value is refused at its field, the proposal and the typed values kept.
    let refused = submit_page(
        &mut admin,
        &proposed,
        &[
            ("group", "resources"),
            ("target.year", "2030"),
            ("target.value", "3,1x"),
            ("target.comparator", ">="),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#f-target--value-error").starts_with("⚠"));
    assert_eq!(field_value(&refused, "f-target--value"), "3,1x");
    assert_eq!(field_value(&refused, "f-baseline--value"), "2.45");
    let saved = submit_page(&mut admin, &refused, &[("target.value", "3.1")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let proposed = admin
        .get(&format!(
            "/admin/plans/{NEXT_PLAN}/indicators/new?predecessor={DEFAULT_PLAN}/high-tech-enterprises"
        ))
        .await;
    assert_eq!(field_value(&proposed, "f-baseline--value"), "9123");
    let saved = submit_page(&mut admin, &proposed, &[("group", "resources")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let definition = admin.get(&format!("/admin/plans/{NEXT_PLAN}")).await;
    assert_eq!(definition.texts("ol.indicators li").len(), 2);
    assert!(
        definition
            .text("#indicator-rd-intensity")
            .contains(&format!("continues {DEFAULT_PLAN}/rd-intensity"))
    );

    // The 14th plan's target is amended: a reason is required, and nothing typed is lost.
    let amend_uri = format!("/admin/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    let no_reason = submit(&mut admin, &amend_uri, &[("target.value", "2.7")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .text("#f-reason-error")
            .contains("say why its target is amended")
    );
    assert_eq!(field_value(&no_reason, "f-target--value"), "2.7");
    let amended = submit_page(
        &mut admin,
        &no_reason,
        &[("reason", "Mid-term review raised the target")],
    )
    .await;
    assert_eq!(amended.status, StatusCode::SEE_OTHER, "{}", amended.body);

    // The indicator page: the target in force, the earlier one with its date and reason.
    let page = get(
        &public,
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    // The page writes dates in the site's time zone (Beijing by default), not UTC's.
    let today = chrono::Utc::now()
        .with_timezone(&plantrack::i18n::TimeZone::default().offset())
        .date_naive();
    let date = format!("{} {}", today.format("%-d %B"), today.format("%Y"));
    assert_eq!(
        page.text("#target-amended"),
        format!(
            "Measured against the target as amended on {date}: ≥ 2.7% by 2025. Earlier targets"
        )
    );
    assert_eq!(
        page.text("table.target-history td.earlier-target"),
        "≥ 2.6% by 2025"
    );
    assert_eq!(
        page.text("table.target-history td.reason"),
        "Mid-term review raised the target"
    );
    // The API: the fields as before, the target in force, and its history.
    let json = get(
        &public,
        &format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await
    .json();
    assert_eq!(json["target_value"].to_string(), "2.7");
    assert_eq!(json["target_year"], 2025);
    assert_eq!(json["target_history"][0]["target_value"].to_string(), "2.6");
    assert_eq!(
        json["target_history"][0]["reason"],
        "Mid-term review raised the target"
    );
    assert!(json["observations"].as_array().unwrap().len() > 3);
    // Judged against 2.7: (2.45/2.11)^(1/3)-1 = 5.1% against (2.7/2.11)^(1/5)-1 = 5.06%.
    assert!((json["progress"]["required_rate"].as_f64().unwrap() - 0.05057).abs() < 1e-4);

    // The continuing indicator's page shows both plans' series, baselines and targets.
    let page = get(
        &public,
        &format!("/plans/{NEXT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let spans = page.texts("ul.plan-spans li");
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert!(spans[0].contains("2.11% (2020)") && spans[0].contains("≥ 2.7% by 2025"));
    assert!(spans[1].contains("2.45% (2023)") && spans[1].contains("≥ 3.1% by 2030"));
    assert_eq!(
        page.text("table.across-years tr[data-year='2021'] td.actual"),
        "2.16%"
    );
    assert_eq!(
        page.text("table.across-years tr[data-year='2021'] td.plan"),
        "2021–2025"
    );
    assert!(page.body.contains("class=\"baseline-point earlier\""));
    assert!(page.body.contains("class=\"target-point earlier\""));
    let json = get(
        &public,
        &format!("/api/v1/plans/{NEXT_PLAN}/indicators/rd-intensity"),
    )
    .await
    .json();
    assert_eq!(json["predecessor"], format!("{DEFAULT_PLAN}/rd-intensity"));
    // The new plan is listed and its overview shows both indicators.
    assert!(
        get(&public, "/plans")
            .await
            .body
            .contains(&format!("/plans/{NEXT_PLAN}"))
    );
    let overview = get(&public, &format!("/plans/{NEXT_PLAN}")).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("id=\"indicator-rd-intensity\""));
    assert!(
        overview
            .body
            .contains("id=\"indicator-high-tech-enterprises\"")
    );
    // Its indicator's history (for signed-in readers) shows who created it.
    let history = admin
        .get(&format!("/plans/{NEXT_PLAN}/indicators/rd-intensity"))
        .await
        .texts("table.history tbody tr");
    assert!(history.iter().any(|r| r.contains("adele")), "{history:?}");
    // And the earlier one links forward.
    let earlier = get(
        &public,
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert!(
        earlier
            .text("p.successors")
            .contains(&format!("{NEXT_PLAN}/rd-intensity"))
    );

    // The history records each step: who, why, before and after.
    assert_eq!(
        revisions(&db, "target", "amend").await,
        vec![("adele".into(), "Mid-term review raised the target".into())]
    );
    let created: Vec<(String, String)> = revisions(&db, "indicator", "create")
        .await
        .into_iter()
        .filter(|(who, _)| who == "adele")
        .collect();
    assert_eq!(created.len(), 2);
    assert_eq!(
        revisions(&db, "plan", "create")
            .await
            .iter()
            .filter(|(who, _)| who == "adele")
            .count(),
        1
    );
    let audit = admin.get("/audit?user=adele").await;
    let rows = audit.texts("table.history tbody tr");
    assert!(
        rows.iter()
            .any(|r| r.contains("target amended") && r.contains("Mid-term review")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("target.value: 2.6") && r.contains("target.value: 2.7")),
        "{rows:?}"
    );
    assert!(rows.len() >= 5, "{rows:?}");
    let history = admin
        .get(&format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"))
        .await
        .texts("#history-h ~ div table.history tbody tr");
    assert!(
        history.iter().any(|r| r.contains("target amended")),
        "{history:?}"
    );
}

#[tokio::test]
async fn a_definition_changed_meanwhile_gives_409_with_both_values_and_keeps_the_typed_one() {
    let db = TestDb::seeded().await;
    let mut first = db.signed_in("ada", Role::Admin).await;
    let mut second = db.signed_in("bea", Role::Admin).await;
    let uri = format!("/admin/plans/{DEFAULT_PLAN}/groups/resources");
    let first_form = first.get(&uri).await;
    let second_form = second.get(&uri).await;
    let saved = submit_page(
        &mut first,
        &first_form,
        &[("name_en", "Innovation resources")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    let conflict = submit_page(
        &mut second,
        &second_form,
        &[("name_en", "Concentration of resources")],
    )
    .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(
        field_value(&conflict, "f-name-en"),
        "Concentration of resources"
    );
    assert_eq!(
        conflict.text("#f-name-en-stored"),
        "Stored now: Innovation resources"
    );
    let name: String = sqlx::query_scalar(
        "select name_en from indicator_group where code = 'resources' and plan_id = (select plan_id from plan where is_default)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(name, "Innovation resources");
    // Submitting again keeps the second admin's value.
    let again = submit_page(&mut second, &conflict, &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);

    // Non-admins get no access.
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    assert_eq!(analyst.get(&uri).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        analyst.get("/admin/plans").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Whether a definition changed is told by its version, as for figures and items, not by its
/// values: a record changed and changed back meanwhile is still a conflict, so the second admin
/// sees that someone else worked on it.
#[tokio::test]
async fn a_definition_changed_and_changed_back_meanwhile_still_gives_409() {
    let db = TestDb::seeded().await;
    let mut first = db.signed_in("ada", Role::Admin).await;
    let mut second = db.signed_in("bea", Role::Admin).await;
    let uri = format!("/admin/plans/{DEFAULT_PLAN}/groups/resources");
    let second_form = second.get(&uri).await;
    let original = field_value(&second_form, "f-name-en");
    for name in ["Interim name", original.as_str()] {
        let form = first.get(&uri).await;
        let saved = submit_page(&mut first, &form, &[("name_en", name)]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let conflict = submit_page(&mut second, &second_form, &[("name_zh", "创新资源")]).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(field_value(&conflict, "f-name-zh"), "创新资源");
}

/// Sorts what a file may order freely, so two files compare by content.
fn normalised(mut seed: SeedFile) -> SeedFile {
    for i in &mut seed.indicators {
        i.observations.sort_by_key(|o| (o.year, o.kind.as_str()));
    }
    for p in &mut seed.programmes {
        p.counts.sort_by_key(|c| c.year);
    }
    seed
}

#[tokio::test]
async fn the_downloaded_seed_file_is_the_shipped_one_and_uploading_it_changes_nothing() {
    let db = TestDb::seeded().await;
    let public = db.app();
    // A draft waiting for review is never in the file anyone can download.
    sqlx::query(
        "insert into observation (indicator_id, year, kind, state, value, source)
         select indicator_id, 2024, 'actual', 'draft', 2.99, 'draft source' from indicator
         where code = 'rd-intensity' and plan_id = (select plan_id from plan where is_default)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let file = crate::harness::download(
        &public,
        axum::http::Request::get(format!("/plans/{DEFAULT_PLAN}/seed.toml"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(file.status, StatusCode::OK);
    let text = file.text();
    assert!(!text.contains("2.99") && !text.contains("draft source"));
    let downloaded = SeedFile::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let (downloaded, shipped) = (normalised(downloaded), normalised(seed(DEFAULT_PLAN)));
    assert_eq!(downloaded.plan, shipped.plan);
    assert_eq!(downloaded.groups, shipped.groups);
    assert_eq!(downloaded.indicators.len(), shipped.indicators.len());
    for (d, s) in downloaded.indicators.iter().zip(&shipped.indicators) {
        assert_eq!(d, s);
    }
    assert_eq!(downloaded.programmes, shipped.programmes);
    assert_eq!(downloaded, shipped);

    let mut admin = db.signed_in("adele", Role::Admin).await;
    admin.get("/admin/plans").await;
    let before: i64 = sqlx::query_scalar("select count(*) from revision")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let uploaded = admin
        .post_file("/admin/plans/upload", "plan.toml", text.as_bytes())
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let preview = admin.get(&uploaded.location).await;
    let statuses = preview.html();
    let rows: Vec<String> = statuses
        .select(&Selector::parse("table.seed-preview tbody tr").unwrap())
        .map(|r| r.value().attr("data-status").unwrap().to_owned())
        .collect();
    assert!(rows.len() > 30, "{}", rows.len());
    assert!(rows.iter().all(|s| s == "unchanged"), "{rows:?}");
    assert!(preview.text(".notice").contains("would change nothing"));
    let after: i64 = sqlx::query_scalar("select count(*) from revision")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(before, after, "a preview writes nothing");

    // A changed file previews its changes, and loads them only when confirmed.
    let changed = text.replace(
        "name_en = \"Concentration of innovation resources\"",
        "name_en = \"Innovation resources\"",
    );
    assert_ne!(changed, text);
    let uploaded = admin
        .post_file("/admin/plans/upload", "plan.toml", changed.as_bytes())
        .await;
    let preview = admin.get(&uploaded.location).await;
    let row = preview.text("tr[data-entity='group'][data-key='resources']");
    assert!(
        row.contains("name_en: Concentration of innovation resources → Innovation resources"),
        "{row}"
    );
    let confirm = preview
        .html()
        .select(&Selector::parse("#confirm-form").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("action")
        .unwrap()
        .to_owned();
    let done = admin.post(&confirm, &[("reason", "")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // The history keeps the reason as a code with the file's name, so that each reader sees
    // it in their own language.
    assert_eq!(
        revisions(&db, "group", "update").await,
        vec![("adele".into(), "plan.toml".into())]
    );
    let code: Option<String> = sqlx::query_scalar(
        "select reason_code from revision where entity = 'group' and action = 'update'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let reason = plantrack::store::revision::Reason::stored(code.as_deref(), "plan.toml");
    for (lang, text) in [
        (Lang::En, "loaded from the seed file plan.toml"),
        (Lang::Zh, "由种子文件 plan.toml 载入"),
    ] {
        assert_eq!(
            lang.scope_sync(|| plantrack::web::views::reason_text(reason)),
            text
        );
    }

    // A file amending a target of this published plan needs a reason, kept with the old target.
    let amending = text.replace("value = 2.6\n", "value = 2.8\n");
    assert_ne!(
        amending, text,
        "the file writes the target as `value = 2.6`"
    );
    let uploaded = admin
        .post_file("/admin/plans/upload", "plan.toml", amending.as_bytes())
        .await;
    let preview = admin.get(&uploaded.location).await;
    assert_eq!(
        preview.text("tr[data-entity='target'][data-key='rd-intensity'] td.outcome"),
        "target amended"
    );
    let confirm = preview
        .html()
        .select(&Selector::parse("#confirm-form").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("action")
        .unwrap()
        .to_owned();
    let refused = admin.post(&confirm, &[("reason", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#f-reason-error").contains("say why"));
    let done = admin
        .post(&confirm, &[("reason", "Mid-term review, 2024")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let reason: String = sqlx::query_scalar(
        "select t.reason from indicator_target t join indicator i using (indicator_id) where i.code = 'rd-intensity'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(reason, "Mid-term review, 2024 (plan.toml)");

    // A file with a mistake is refused with the reason, nothing kept.
    let broken = text.replace("decimals = 2", "decimals = 9");
    let refused = admin
        .post_file("/admin/plans/upload", "plan.toml", broken.as_bytes())
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("ul.problems")
            .contains("decimals must be between 0 and 6")
    );
}

#[tokio::test]
async fn national_averages_and_programmes_are_edited_in_the_browser_with_the_files_rules() {
    let db = TestDb::seeded().await;
    let mut admin = db.signed_in("adele", Role::Admin).await;
    let uri = format!("/admin/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    let form = admin.get(&uri).await;
    let series = field_value(&form, "f-national-average");
    assert!(
        series
            .starts_with("2020 | 2.40 | National S&T funding statistical bulletins (China) | high"),
        "{series}"
    );

    // A line that cannot be read is refused with its number; the text stays as typed.
    let typed = format!("{series}\n2025 | 2,7x | National bulletin 2025 | high");
    let refused = submit_page(&mut admin, &form, &[("national_average", &typed)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#f-national-average-error").contains("Line 6"));
    assert_eq!(field_value(&refused, "f-national-average"), typed);

    let typed = format!("{series}\n2025 | 2.77 | National bulletin 2025 | high");
    let saved = submit_page(&mut admin, &refused, &[("national_average", &typed)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"),
    )
    .await;
    assert_eq!(page.text("tr[data-year='2025'] td.national"), "2.77");

    // A programme's target must be a count, as in the files.
    let uri = format!("/admin/plans/{DEFAULT_PLAN}/programmes/chongqing-laboratories");
    let refused = submit(
        &mut admin,
        &uri,
        &[
            ("target.year", "2025"),
            ("target.value", "4.5"),
            ("target.comparator", ">="),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("#f-target--value-error")
            .contains("whole number"),
        "{}",
        refused.text("#f-target--value-error")
    );
    let saved = submit_page(&mut admin, &refused, &[("target.value", "5")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = get(
        &db.app(),
        &format!("/plans/{DEFAULT_PLAN}/programmes/chongqing-laboratories"),
    )
    .await;
    assert!(page.body.contains("2025"));
    assert_eq!(revisions(&db, "programme", "update").await.len(), 1);
}

#[tokio::test]
async fn a_seed_file_may_continue_an_indicator_of_a_plan_on_the_site_only() {
    let db = TestDb::seeded().await;
    let mut next = seed(crate::harness::EXAMPLE_PLAN);
    next.plan.slug = "example-district-2026-2030".into();
    next.plan.default = false;
    next.indicators[0].predecessor = Some(format!("{DEFAULT_PLAN}/no-such-indicator"));
    let err = plantrack::apply_seeds(&db.pool, &[next.clone()])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not an indicator of a plan on this site"),
        "{err}"
    );

    next.indicators[0].predecessor = Some(format!("{DEFAULT_PLAN}/rd-intensity"));
    plantrack::apply_seeds(&db.pool, &[next.clone()])
        .await
        .unwrap();
    let linked: String = sqlx::query_scalar(
        "select p.code from indicator i join indicator p on p.indicator_id = i.predecessor_id
         join plan on plan.plan_id = i.plan_id where i.code = $1 and plan.slug = $2",
    )
    .bind(&next.indicators[0].code)
    .bind("example-district-2026-2030")
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(linked, "rd-intensity");
    // Loading it again changes nothing.
    let report = plantrack::apply_seeds(&db.pool, &[next])
        .await
        .unwrap()
        .remove(0);
    assert!(!report.changed_anything(), "{report}");
}
