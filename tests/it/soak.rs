//! The busiest day: 100 readers and 8 analysts saving and revising at once against a real
//! server process for 60 s (SOAK_SECONDS to change it). No 5xx; afterwards every accepted save
//! is in the history and every stored value is the last accepted save of that value.

use plantrack::domain::plan::Role;
use scraper::{Html, Selector};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::{DEFAULT_PLAN, Http, Serve, TestDb, form_body};

fn attr(body: &str, selector: &str) -> String {
    let html = Html::parse_document(body);
    html.select(&Selector::parse(selector).unwrap())
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

/// What one analyst's accepted saves were: (indicator id, year) → values in the order accepted.
type Accepted = HashMap<(i64, i32), Vec<String>>;

#[tokio::test]
async fn a_minute_of_readers_and_analysts_loses_nothing_and_never_fails() {
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let db = TestDb::seeded().await;
    // Indicators that keep two decimals, so every value typed below is valid.
    let indicators: Vec<(i64, String)> = sqlx::query_as(
        "select indicator_id, code from indicator join plan using (plan_id)
         where is_default and code in ('rd-intensity', 'high-value-patents', 'industrial-rd-spending', 'invention-patents')
         order by indicator_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut passwords = Vec::new();
    for n in 0..8 {
        passwords.push(db.user(&format!("analyst{n}"), Role::Analyst).await);
    }

    let server = Serve::on(&db).start();
    let port = server.port;

    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let pages: Vec<String> = std::iter::once("/".to_owned())
        .chain(
            indicators
                .iter()
                .map(|(_, c)| format!("/plans/{DEFAULT_PLAN}/indicators/{c}")),
        )
        .chain([
            format!("/api/v1/plans/{DEFAULT_PLAN}/indicators"),
            format!("/plans/{DEFAULT_PLAN}/programmes"),
        ])
        .collect();

    let mut readers = Vec::new();
    for r in 0..100 {
        let (stop, requests, failures, pages) = (
            stop.clone(),
            requests.clone(),
            failures.clone(),
            pages.clone(),
        );
        readers.push(std::thread::spawn(move || {
            let mut conn = Http::connect(port).expect("the server accepts connections");
            let mut i = r;
            while !stop.load(Ordering::Relaxed) {
                let path = &pages[i % pages.len()];
                let status = conn.send("GET", path, None, None).status;
                requests.fetch_add(1, Ordering::Relaxed);
                if status >= 500 || status == 0 {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("GET {path}: {status}"));
                }
                i += 7;
                std::thread::sleep(Duration::from_millis(5));
            }
        }));
    }

    let mut analysts = Vec::new();
    for (n, password) in passwords.into_iter().enumerate() {
        let (stop, requests, failures, indicators) = (
            stop.clone(),
            requests.clone(),
            failures.clone(),
            indicators.clone(),
        );
        analysts.push(std::thread::spawn(move || -> Accepted {
            let mut conn = Http::connect(port).expect("the server accepts connections");
            let reply = conn.send("GET", "/login", None, None);
            let (status, cookie, body) = (reply.status, reply.cookie, reply.body);
            let cookie = cookie
                .unwrap_or_else(|| panic!("the sign-in form sets a cookie: {status} {body:.200}"));
            let login = form_body(&[
                ("username", &format!("analyst{n}")),
                ("password", &password),
                ("next", "/"),
                ("csrf", &attr(&body, "input[name=csrf]")),
            ]);
            let reply = conn.send("POST", "/login", Some(&cookie), Some(&login));
            let (status, renewed) = (reply.status, reply.cookie);
            assert_eq!(status, 303);
            let cookie = renewed
                .filter(|c| !c.starts_with("location:"))
                .unwrap_or(cookie);
            let mut accepted = Accepted::new();
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                // Analysts share years and indicators, so they collide and conflict on purpose.
                let year = 2021 + ((n as u64 + round) % 5) as i32;
                let (id, _) = &indicators[((n as u64 * 3 + round) % 4) as usize];
                let path = format!("/plans/{DEFAULT_PLAN}/entry/{year}");
                let reply = conn.send("GET", &path, Some(&cookie), None);
                let (status, form) = (reply.status, reply.body);
                requests.fetch_add(1, Ordering::Relaxed);
                if status != 200 {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("GET {path}: {status}"));
                    continue;
                }
                let value = format!("{}.{:02}", 1 + (round % 50), n * 10 + (round % 10) as usize);
                let fields = form_body(&[
                    (&format!("value.i{id}"), &value),
                    (&format!("source.i{id}"), &format!("soak analyst{n}")),
                    (&format!("note.i{id}"), ""),
                    // Most of these years are published: the yearly form asks why a published
                    // figure changes (it is only recorded for the others).
                    (&format!("reason.i{id}"), "soak revision"),
                    // The values are random, far from the series: confirmed, as the form asks.
                    (&format!("checked.i{id}"), "1"),
                    (
                        &format!("token.i{id}"),
                        &attr(&form, &format!("input[name='token.i{id}']")),
                    ),
                    ("csrf", &attr(&form, "input[name=csrf]")),
                ]);
                let reply = conn.send("POST", &path, Some(&cookie), Some(&fields));
                let (status, location) = (reply.status, reply.location);
                requests.fetch_add(1, Ordering::Relaxed);
                match status {
                    // saved=0 when the value typed equals the one stored: nothing to record.
                    303 if location.as_deref().is_some_and(|l| l.ends_with("saved=1")) => {
                        accepted.entry((*id, year)).or_default().push(value)
                    }
                    303 => {}
                    409 => {} // someone else saved first: refused for that row, shown, not lost
                    other => failures
                        .lock()
                        .unwrap()
                        .push(format!("POST {path}: {other}")),
                }
            }
            accepted
        }));
    }

    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    let results: Vec<Accepted> = analysts.into_iter().map(|a| a.join().unwrap()).collect();
    drop(server);

    let failures = std::mem::take(&mut *failures.lock().unwrap());
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.iter().take(5).collect::<Vec<_>>()
    );
    let total = requests.load(Ordering::Relaxed);
    let saves: usize = results.iter().flat_map(|r| r.values()).map(Vec::len).sum();
    assert!(
        total > 1000 && saves > 50,
        "{total} requests, {saves} saves: the load was too light to mean anything"
    );
    println!("soak: {seconds} s, {total} requests, 0 failures, {saves} accepted saves");

    // Every accepted save is in the history, and each draft holds the last accepted value.
    let history: Vec<(i64, i32, String, String)> = sqlx::query_as(
        "select indicator_id, year, actor_label, after ->> 'value' from revision
         where actor_label like 'analyst%' and action in ('create', 'update') order by revision_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(history.len(), saves, "one history row per accepted save");
    let decimal = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    let mut last: HashMap<(i64, i32), String> = HashMap::new();
    for (id, year, _, value) in &history {
        last.insert((*id, *year), value.clone());
    }
    for (n, accepted) in results.iter().enumerate() {
        for (key, values) in accepted {
            let mine: Vec<_> = history
                .iter()
                .filter(|(i, y, who, _)| (*i, *y) == *key && *who == format!("analyst{n}"))
                .map(|(_, _, _, v)| decimal(v))
                .collect();
            let wanted: Vec<_> = values.iter().map(|v| decimal(v)).collect();
            assert_eq!(
                mine, wanted,
                "analyst{n}'s accepted saves of {key:?} are in the history, in order"
            );
        }
    }
    let stored: Vec<(i64, i32, String)> = sqlx::query_as(
        "select indicator_id, year, value::text from observation where state = 'draft' and source like 'soak%'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(stored.len(), last.len());
    for (id, year, value) in stored {
        assert_eq!(
            decimal(&value),
            decimal(&last[&(id, year)]),
            "indicator {id} {year} holds the last accepted save"
        );
    }
}
