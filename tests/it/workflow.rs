//! The yearly cycle: analysts enter figures, officials review and publish, every change on record.

use axum::http::StatusCode;
use plantrack::domain::plan::Role;

use crate::harness::{DEFAULT_PLAN, TestDb, figures_and_history, get, indicator_id};

fn entry_uri(year: i32) -> String {
    format!("/plans/{DEFAULT_PLAN}/entry/{year}")
}

/// The value, source and note fields of one indicator's row.
async fn row_fields(db: &TestDb, code: &str) -> (String, String, String, String) {
    let id = indicator_id(&db.pool, code).await;
    (
        format!("value.i{id}"),
        format!("source.i{id}"),
        format!("note.i{id}"),
        format!("token.i{id}"),
    )
}

/// The hidden version token of a row, as the form carries it.
fn token(page: &crate::harness::Page, name: &str) -> String {
    let html = page.html();
    let sel = scraper::Selector::parse(&format!("input[name=\"{name}\"]")).unwrap();
    html.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

/// The action of the first form matching `selector` and its `version` field.
fn form_target(page: &crate::harness::Page, selector: &str) -> (String, String) {
    let html = page.html();
    let form = html
        .select(&scraper::Selector::parse(selector).unwrap())
        .next()
        .expect("the form");
    let version = form
        .select(&scraper::Selector::parse("input[name=version]").unwrap())
        .next()
        .unwrap();
    (
        form.value().attr("action").unwrap().to_owned(),
        version.value().attr("value").unwrap().to_owned(),
    )
}

fn input_value(page: &crate::harness::Page, id: &str) -> String {
    let html = page.html();
    let sel = scraper::Selector::parse(&format!("#{id}")).unwrap();
    html.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_else(|| panic!("no #{id}"))
        .to_owned()
}

#[tokio::test]
async fn an_analyst_enters_a_year_an_official_publishes_and_the_public_pages_change() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut official = db.signed_in("oli", Role::Official).await;
    let public = db.app();
    let (value, source, note, tok) = row_fields(&db, "rd-intensity").await;
    let (hv, hs, _, ht) = row_fields(&db, "high-tech-share").await;

    let form = analyst.get(&entry_uri(2024)).await;
    assert_eq!(form.status, StatusCode::OK);
    // Every input has a label naming the indicator.
    let rd_id = indicator_id(&db.pool, "rd-intensity").await;
    assert!(
        form.text(&format!("label[for=value-i{rd_id}]"))
            .starts_with("R&D expenditure as a share of regional GDP")
    );
    assert_eq!(
        form.texts("input[name^='value.']").len(),
        13 + 5,
        "13 indicators and 5 programme counts"
    );

    let t_rd = token(&form, &tok);
    let t_ht = token(&form, &ht);
    let saved = analyst
        .post(
            &entry_uri(2024),
            &[
                (&value, "2.57"),
                (&source, "Chongqing S&T funding bulletin 2024"),
                (&note, ""),
                (&tok, &t_rd),
                (&hv, "38.2%"),
                (&hs, "Statistics bureau"),
                (&ht, &t_ht),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}?saved=2", entry_uri(2024)));
    let confirmation = analyst.get(&saved.location).await;
    assert!(
        confirmation
            .text(".notice")
            .contains("Saved 2 figures as drafts")
    );

    // Drafts: invisible to the public and the API, visible and marked to signed-in users.
    let indicator = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    assert_eq!(
        get(&public, &indicator)
            .await
            .text("tr[data-year=\"2024\"] td.actual"),
        ""
    );
    let api = format!("/api/v1/plans/{DEFAULT_PLAN}/indicators/rd-intensity");
    assert!(!get(&public, &api).await.body.contains("2.57"));
    let seen = official.get(&indicator).await;
    assert_eq!(seen.text("tr[data-year=\"2024\"] td.actual"), "2.57 draft");

    // The official reviews: each draft with the published value it replaces.
    let review = official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    assert_eq!(review.status, StatusCode::OK);
    let rows = review.texts("table.review tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("2.57") && r.contains("none") && r.contains("ana")),
        "{rows:?}"
    );
    let done = official
        .post(
            &format!("/plans/{DEFAULT_PLAN}/review/publish-year"),
            &[("year", "2024")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        official
            .get(&done.location)
            .await
            .text(".notice")
            .contains("Published 2 figure(s)")
    );

    // Published: the public page, the overview and the API change.
    assert_eq!(
        get(&public, &indicator)
            .await
            .text("tr[data-year=\"2024\"] td.actual"),
        "2.57"
    );
    assert_eq!(
        get(&public, "/")
            .await
            .text("#indicator-rd-intensity td.latest"),
        "2.57% (2024)"
    );
    let json = get(&public, &api).await.json();
    assert!(
        json["observations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["year"] == 2024
                && o["value"].as_number().is_some_and(|n| n.as_str() == "2.57"))
    );
    // (2.57/2.11)^(1/4) - 1 = 5.05% a year against 4.27% needed: still on track.
    assert_eq!(json["progress"]["status"], "substantial_progress");
    assert!((json["progress"]["cagr"].as_f64().unwrap() - 0.05054).abs() < 1e-4);
    assert!(
        get(&public, "/")
            .await
            .text("#indicator-high-tech-share td.latest")
            .starts_with("38.2%")
    );
}

#[tokio::test]
async fn every_change_is_in_the_history_with_who_when_before_after_and_why() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let mut official = db.signed_in("oli", Role::Official).await;
    let revise = format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity/revise/2022");

    // A published figure needs a reason to be revised.
    let form = analyst.get(&revise).await;
    assert_eq!(form.status, StatusCode::OK);
    let tok = token(&form, "token");
    let refused = analyst
        .post(
            &revise,
            &[
                ("value", "2.35"),
                ("source", "Revised bulletin"),
                ("note", ""),
                ("reason", ""),
                ("token", &tok),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    assert!(
        refused
            .text(&format!("#reason-i{rd}-error"))
            .contains("already published")
    );
    assert_eq!(input_value(&refused, &format!("value-i{rd}")), "2.35");
    let saved = analyst
        .post(
            &revise,
            &[
                ("value", "2.35"),
                ("source", "Revised bulletin"),
                ("note", ""),
                ("reason", "GDP revised"),
                ("token", &tok),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // Sent back with a comment, corrected, then published.
    let review = official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    let (action, version) = form_target(&review, "form.send-back");
    let empty = official
        .post(&action, &[("version", &version), ("comment", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Say what needs changing"));
    let back = official
        .post(
            &action,
            &[("version", &version), ("comment", "Cite the table number")],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);

    let form = analyst.get(&revise).await;
    assert!(form.text(".returned").contains("Cite the table number"));
    let tok = token(&form, "token");
    let fixed = analyst
        .post(
            &revise,
            &[
                ("value", "2.35"),
                ("source", "Revised bulletin, table 3"),
                ("note", ""),
                ("reason", "GDP revised"),
                ("token", &tok),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
    let review = official.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    let (action, version) = form_target(&review, "form[action$='/publish']");
    assert_eq!(
        official
            .post(&action, &[("version", &version)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    type Line = (String, String, Option<String>, Option<String>, String);
    let history: Vec<Line> = sqlx::query_as(
        "select action, actor_label, (before ->> 'value'), (after ->> 'value'), reason from revision
         where year = 2022 and kind = 'actual' and actor_id is not null
           and indicator_id = (select indicator_id from indicator join plan using (plan_id) where is_default and code = 'rd-intensity')
         order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let shown: Vec<String> = history
        .iter()
        .map(|(a, who, b, c, r)| {
            format!(
                "{a} {who} {} -> {} {r}",
                b.as_deref().unwrap_or("-"),
                c.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "update ana 2.36 -> 2.35 GDP revised",
            "send_back oli 2.35 -> 2.35 Cite the table number",
            "update ana 2.35 -> 2.35 GDP revised",
            "publish oli 2.36 -> 2.35 ",
        ]
    );

    // The indicator page shows the history to signed-in users only; /audit filters it.
    let page = official
        .get(&format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity"))
        .await;
    assert!(page.texts("table.history tbody tr").len() >= 4);
    assert!(
        get(
            &db.app(),
            &format!("/plans/{DEFAULT_PLAN}/indicators/rd-intensity")
        )
        .await
        .texts("table.history")
        .is_empty()
    );
    let audit = official.get("/audit?user=ana&year=2022").await;
    assert_eq!(audit.status, StatusCode::OK);
    let actors = audit.texts("table.history tbody td.actor");
    assert_eq!(actors, ["ana", "ana"]);
    let bad = official.get("/audit?year=twenty").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(input_value(&bad, "year"), "twenty");
}

/// Each bad input: 422, a message at the field, the typed value kept, nothing saved.
#[tokio::test]
async fn bad_inputs_are_refused_at_their_field_and_nothing_is_saved() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let (value, source, note, tok) = row_fields(&db, "rd-intensity").await;
    let (cv, cs, _, ct) = row_fields(&db, "st-enterprises").await;
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let st = indicator_id(&db.pool, "st-enterprises").await;
    let long_source = "源".repeat(501);
    let cases: Vec<(&str, &str, &str, String, &str)> = vec![
        // (which row, value typed, source typed, field id with the error, message fragment)
        (
            "rd",
            "abc",
            "bulletin",
            format!("value-i{rd}"),
            "enter a number",
        ),
        ("rd", "NaN", "bulletin", format!("value-i{rd}"), "NaN"),
        ("rd", "inf", "bulletin", format!("value-i{rd}"), "infinity"),
        (
            "rd",
            "101",
            "bulletin",
            format!("value-i{rd}"),
            "between 0 and 100",
        ),
        ("rd", "-1", "bulletin", format!("value-i{rd}"), "negative"),
        (
            "rd",
            "2.555",
            "bulletin",
            format!("value-i{rd}"),
            "at most 2 decimal places",
        ),
        ("rd", "1e2", "bulletin", format!("value-i{rd}"), "in full"),
        ("rd", "2.5", "", format!("source-i{rd}"), "source"),
        (
            "rd",
            "2.5",
            &long_source,
            format!("source-i{rd}"),
            "at most 500",
        ),
        (
            "st",
            "12.5",
            "bulletin",
            format!("value-i{st}"),
            "whole number",
        ),
        (
            "st",
            "45,00",
            "bulletin",
            format!("value-i{st}"),
            "thousands separators",
        ),
        (
            "st",
            "12%",
            "bulletin",
            format!("value-i{st}"),
            "percent sign",
        ),
    ];
    for (row, typed, typed_source, field, fragment) in cases {
        let form = analyst.get(&entry_uri(2024)).await;
        let before = figures_and_history(&db.pool).await;
        let (v, s, t) = if row == "rd" {
            (&value, &source, &tok)
        } else {
            (&cv, &cs, &ct)
        };
        let t_val = token(&form, t);
        // A good row beside the bad one: it must not be saved either.
        let (gv, gs, gt) = if row == "rd" {
            (&cv, &cs, &ct)
        } else {
            (&value, &source, &tok)
        };
        let g_val = token(&form, gt);
        let good = if row == "rd" { "80000" } else { "2.6" };
        let page = analyst
            .post(
                &entry_uri(2024),
                &[
                    (v, typed),
                    (s, typed_source),
                    (&note, ""),
                    (t, &t_val),
                    (gv, good),
                    (gs, "bulletin"),
                    (gt, &g_val),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        let message = page.text(&format!("#{field}-error"));
        assert!(message.contains(fragment), "{typed:?}: {message}");
        assert!(
            page.text(".error-summary").contains(fragment),
            "{typed:?}: the summary names it"
        );
        assert_eq!(
            input_value(
                &page,
                &format!("value-i{}", if row == "rd" { rd } else { st })
            ),
            typed,
            "the typed value is kept"
        );
        assert_eq!(
            input_value(
                &page,
                &format!("value-i{}", if row == "rd" { st } else { rd })
            ),
            good,
            "the other row is kept"
        );
        let described = page
            .html()
            .select(&scraper::Selector::parse(&format!("#{field}")).unwrap())
            .next()
            .unwrap()
            .value()
            .attr("aria-describedby")
            .unwrap_or_default()
            .to_owned();
        assert!(
            described.contains(&format!("{field}-error")),
            "{typed:?}: the error is tied to its input"
        );
        assert_eq!(
            figures_and_history(&db.pool).await,
            before,
            "{typed:?}: nothing saved"
        );
    }
}

#[tokio::test]
async fn accepted_spellings_of_numbers_are_saved_exactly() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let (value, source, _, tok) = row_fields(&db, "rd-intensity").await;
    let (cv, cs, _, ct) = row_fields(&db, "st-enterprises").await;
    let (tv, ts, _, tt) = row_fields(&db, "tech-contract-turnover").await;
    // Its 2024 figure is published: the yearly form asks why it is revised (issue 13).
    let tr = tv.replace("value.", "reason.");
    // 80,000 enterprises and 1,234.5 for the turnover are far from the previous published
    // figures: the analyst confirms them, as the form asks.
    let cc = cv.replace("value.", "checked.");
    let tc = tv.replace("value.", "checked.");
    let form = analyst.get(&entry_uri(2024)).await;
    let page = analyst
        .post(
            &entry_uri(2024),
            &[
                (&tr, "Spelling check"),
                (&cc, "1"),
                (&tc, "1"),
                (&value, "２．５７％"),
                (&source, "b"),
                (&tok, &token(&form, &tok)),
                (&cv, "80,000"),
                (&cs, "b"),
                (&ct, &token(&form, &ct)),
                (&tv, "1,234.5"),
                (&ts, "b"),
                (&tt, &token(&form, &tt)),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let stored: Vec<String> = sqlx::query_scalar(
        "select value::text as v from observation where state = 'draft' and year = 2024 order by value",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(stored, ["2.57", "1234.5", "80000"]);
}

#[tokio::test]
async fn a_conflicting_edit_is_refused_for_its_row_and_shows_both_values() {
    let db = TestDb::seeded().await;
    let mut first = db.signed_in("ana", Role::Analyst).await;
    let mut second = db.signed_in("bo", Role::Analyst).await;
    let (value, source, _, tok) = row_fields(&db, "rd-intensity").await;
    let (cv, cs, _, ct) = row_fields(&db, "st-enterprises").await;

    let form_a = first.get(&entry_uri(2024)).await;
    let form_b = second.get(&entry_uri(2024)).await;
    let saved = first
        .post(
            &entry_uri(2024),
            &[
                (&value, "2.57"),
                (&source, "bulletin A"),
                (&tok, &token(&form_a, &tok)),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    // The second analyst started from the same state and types another value, plus another row.
    let page = second
        .post(
            &entry_uri(2024),
            &[
                (&value, "2.61"),
                (&source, "bulletin B"),
                (&tok, &token(&form_b, &tok)),
                (&cv, "80000"),
                (&cs, "bulletin B"),
                (&ct, &token(&form_b, &ct)),
                // Far from the 2023 figure: confirmed, as the form asks.
                (&cv.replace("value.", "checked."), "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    let rd = indicator_id(&db.pool, "rd-intensity").await;
    let conflict = page.text(&format!("#conflict-i{rd}"));
    assert!(
        conflict.contains("2.57") && conflict.contains("ana"),
        "{conflict}"
    );
    assert_eq!(
        input_value(&page, &format!("value-i{rd}")),
        "2.61",
        "what was typed is kept"
    );
    assert!(page.text(".notice").contains("Saved 1 figure(s)"));

    let drafts: Vec<(String, String)> = sqlx::query_as(
        "select i.code, o.value::text from observation o join indicator i using (indicator_id)
         where o.state = 'draft' order by i.code",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        drafts,
        [
            ("rd-intensity".into(), "2.57".into()),
            ("st-enterprises".into(), "80000".into())
        ]
    );

    // Submitting again deliberately keeps the second analyst's value.
    let again = second
        .post(
            &entry_uri(2024),
            &[
                (&value, "2.61"),
                (&source, "bulletin B"),
                (&tok, &token(&page, &tok)),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let value: String = sqlx::query_scalar(
        "select value::text from observation where state = 'draft' and indicator_id = $1",
    )
    .bind(rd)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(value, "2.61");
}

#[tokio::test]
async fn nobody_publishes_a_figure_they_entered_themselves() {
    let db = TestDb::seeded().await;
    let mut admin = db.signed_in("adm", Role::Admin).await;
    let (value, source, _, tok) = row_fields(&db, "rd-intensity").await;
    let form = admin.get(&entry_uri(2024)).await;
    admin
        .post(
            &entry_uri(2024),
            &[
                (&value, "2.57"),
                (&source, "b"),
                (&tok, &token(&form, &tok)),
            ],
        )
        .await;
    let review = admin.get(&format!("/plans/{DEFAULT_PLAN}/review")).await;
    assert!(
        review
            .text("p.own")
            .contains("another official must publish it")
    );
    assert!(review.texts("form[action$='/publish']").is_empty());
    let id: i64 =
        sqlx::query_scalar("select observation_id from observation where state = 'draft'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let forced = admin
        .post(
            &format!("/plans/{DEFAULT_PLAN}/review/{id}/publish"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(forced.status, StatusCode::SEE_OTHER);
    assert!(forced.location.ends_with("own=1"));
    let year = admin
        .post(
            &format!("/plans/{DEFAULT_PLAN}/review/publish-year"),
            &[("year", "2024")],
        )
        .await;
    assert!(
        year.location.ends_with("published=0&skipped=1"),
        "{}",
        year.location
    );
    let states: Vec<String> = sqlx::query_scalar(
        "select state from observation o join indicator i using (indicator_id) join plan using (plan_id)
         where is_default and i.code = 'rd-intensity' and o.year = 2024 and o.kind = 'actual'",
    )
    .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(states, ["draft"]);
}

#[tokio::test]
async fn a_year_outside_the_plan_or_an_unknown_row_is_refused_clearly() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let page = analyst.get(&entry_uri(2031)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("choose a year from 2020 to 2025"));
    analyst.get(&entry_uri(2024)).await;
    let before = figures_and_history(&db.pool).await;
    let page = analyst
        .post(
            &entry_uri(2024),
            &[("value.i999999", "1"), ("source.i999999", "x")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text(".error-summary").contains("not in this plan"));
    assert_eq!(figures_and_history(&db.pool).await, before);
}

#[tokio::test]
async fn the_entry_form_redirects_to_the_last_finished_year_within_the_plan() {
    let db = TestDb::seeded().await;
    let mut analyst = db.signed_in("ana", Role::Analyst).await;
    let page = analyst.get(&format!("/plans/{DEFAULT_PLAN}/entry")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let last = chrono::Datelike::year(&chrono::Utc::now()) - 1;
    assert_eq!(page.location, entry_uri(last.clamp(2020, 2025)));
}

/// Two first saves of a figure that has no row yet, at the same moment: one is saved, the other
/// is told the figure changed (409 on the form) and the one-draft rule holds; neither fails.
#[tokio::test]
async fn two_first_saves_of_the_same_figure_at_once_save_one_and_refuse_the_other() {
    use plantrack::store::figures::{self, Actor, Figure, NewFigure, Owner, SaveOutcome};

    let db = TestDb::seeded().await;
    let indicator = indicator_id(&db.pool, "high-tech-share").await;
    let plan: i64 = sqlx::query_scalar("select plan_id from plan where slug = $1")
        .bind(DEFAULT_PLAN)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let empty = Figure::default().token();
    let save = |value: &str, label: &'static str| {
        let pool = db.pool.clone();
        let empty = empty.clone();
        let value = value.parse().unwrap();
        async move {
            let mut tx = pool.begin().await.unwrap();
            let new = NewFigure {
                value,
                source: format!("bulletin read by {label}"),
                note: String::new(),
                commentary: String::new(),
                checked: false,
            };
            let actor = Actor { id: None, label };
            let at = figures::Slot {
                plan_id: plan,
                owner: Owner::Indicator(indicator),
                year: 2021,
            };
            let outcome = figures::save_draft_as(&mut tx, at, &new, &actor, &empty, "")
                .await
                .map(|o| matches!(o, SaveOutcome::Saved));
            // Hold the transaction a moment, so the other save arrives while this one is open.
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            tx.commit().await.unwrap();
            outcome
        }
    };
    let (a, b) = tokio::join!(save("30.5", "first"), save("31.5", "second"));
    let (a, b) = (a.expect("no database error"), b.expect("no database error"));
    assert!(a ^ b, "exactly one of the two saves is kept: {a} {b}");
    let drafts: i64 = sqlx::query_scalar(
        "select count(*) from observation where indicator_id = $1 and year = 2021 and state = 'draft'",
    )
    .bind(indicator)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(drafts, 1);
}
