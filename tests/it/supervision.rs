//! The embedded cluster kept running: when its postmaster is killed outright (as the kernel's
//! out-of-memory killer would), `plantrack serve` reaps it, starts it again and serves
//! normally within seconds, without a restart of its own; meanwhile every page says the
//! database is unavailable in the site's style, never with a blank 500.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get as get_route;
use plantrack::config::Config;
use plantrack::web::{AppState, app};
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tower_sessions::Session;

use crate::harness::{DEFAULT_PLAN, Serve, Served, get, postmaster_pid};

fn test_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plantrack-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An answer read off the real socket.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn page(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    fn has(&self, selector: &str) -> bool {
        let selector = scraper::Selector::parse(selector).unwrap();
        self.page().select(&selector).next().is_some()
    }

    fn h1(&self) -> String {
        crate::harness::texts(&self.page(), "h1")
            .into_iter()
            .next()
            .unwrap_or_default()
    }
}

/// A minimal HTTP/1.1 GET (English pages), so the test talks to the real process.
fn http_get(port: u16, path: &str) -> Option<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    // Bodies of pages are small enough to come in one chunk, or without chunking.
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Some(Answer {
        status,
        head: head.to_owned(),
        body,
    })
}

fn dechunk(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        body.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    body
}

/// `plantrack serve` on its own embedded cluster in `dir/data`, its log in `dir/serve.log`.
fn serve(dir: &Path) -> Served {
    let log = File::create(dir.join("serve.log")).unwrap();
    Serve::on_own_cluster(&dir.join("data")).stderr(log).start()
}

/// What the test asks of the running process.
trait Site {
    fn get(&self, path: &str) -> Answer;
    fn zombie_children(&self) -> Vec<u32>;
}

impl Site for Served {
    fn get(&self, path: &str) -> Answer {
        http_get(self.port, path).unwrap_or_else(|| panic!("no answer to GET {path}"))
    }

    /// The children of the plantrack process that are zombies (exited, never reaped).
    fn zombie_children(&self) -> Vec<u32> {
        let parent = self.pid();
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                    return false;
                };
                // "pid (name) state ppid …"; the name may hold spaces and parentheses.
                let fields: Vec<&str> = stat
                    .rsplit_once(')')
                    .map_or("", |(_, rest)| rest)
                    .split_whitespace()
                    .collect();
                fields.first() == Some(&"Z") && fields.get(1) == Some(&parent.to_string().as_str())
            })
            .collect()
    }
}

fn alive(pid: i32) -> bool {
    // SAFETY: kill(2) with signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// The styled "unavailable" page, or (should the page need no database at all) the sign-in
/// form itself; never a bare 500 or an empty page.
fn assert_unavailable_or_form(answer: &Answer, what: &str) {
    match answer.status {
        503 => assert_eq!(answer.h1(), "Temporarily unavailable", "{what}"),
        200 => assert!(
            answer.has("input[name='password']"),
            "{what}: {}",
            answer.body
        ),
        status => panic!(
            "{what}: {status}, not the styled 503\n{}\n{}",
            answer.head, answer.body
        ),
    }
}

#[test]
fn a_killed_postmaster_is_reaped_and_restarted_and_pages_come_back_without_a_restart() {
    let dir = test_dir("supervision");
    let served = serve(&dir);
    let plans = format!("/plans/{DEFAULT_PLAN}");
    for path in ["/", plans.as_str(), "/login"] {
        assert_eq!(served.get(path).status, 200, "{path} before the kill");
    }
    // Read again, so the public pages are kept in the page cache.
    assert_eq!(served.get("/").status, 200);
    let postmaster = postmaster_pid(&dir.join("data")).expect("the cluster runs");
    let cluster_dir = std::fs::canonicalize(dir.join("data/postgres")).unwrap();

    // A leftover server process of the killed postmaster that is slow to exit (its backends
    // exit once they notice; until then PostgreSQL must not be started on the same files).
    // It keeps the database down for three seconds, long enough to see the outage.
    let mut leftover = Command::new("sleep")
        .arg0("postgres: leftover backend")
        .arg("30")
        .current_dir(&cluster_dir)
        .spawn()
        .unwrap();

    // SAFETY: kill(2) on the postmaster's pid, read from its own pid file.
    unsafe { libc::kill(postmaster, libc::SIGKILL) };
    let killed = Instant::now();

    // While it is down (the page cache has heard of it), the sign-in page, the API and the
    // health check say so, each within the 2 s the README promises, the pages in style.
    std::thread::sleep(Duration::from_millis(300));
    let port = served.port;
    let probes: Vec<_> = ["/login", "/api/v1/plans", "/healthz"]
        .into_iter()
        .map(|path| {
            std::thread::spawn(move || {
                let asked = Instant::now();
                let answer = http_get(port, path).unwrap_or_else(|| panic!("no answer to {path}"));
                (path, answer, asked.elapsed())
            })
        })
        .collect();
    for probe in probes {
        let (path, answer, took) = probe.join().unwrap();
        assert!(
            took < Duration::from_millis(2600),
            "GET {path} took {took:?} during the outage"
        );
        match path {
            "/login" => assert_unavailable_or_form(&answer, "GET /login during the outage"),
            // A copy kept in memory may still be served; otherwise the API's JSON error.
            "/api/v1/plans" if answer.status == 200 => {}
            "/api/v1/plans" => {
                assert_eq!(answer.status, 503, "{path}: {}", answer.body);
                let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
                assert_eq!(json["error"]["status"], 503);
            }
            _ => assert_eq!(answer.status, 503, "{path}: {}", answer.body),
        }
    }

    // The dead postmaster has been reaped: no zombie child of plantrack.
    assert_eq!(
        served.zombie_children(),
        Vec::<u32>::new(),
        "a dead postmaster left as a zombie child of plantrack"
    );
    assert!(!alive(postmaster), "the killed postmaster is gone");

    // The leftover process exits; PostgreSQL is started again by plantrack itself, and every
    // page answers 200 again within 10 s of the kill.
    leftover.kill().unwrap();
    leftover.wait().unwrap();
    loop {
        let statuses: Vec<u16> = ["/", plans.as_str(), "/login", "/api/v1/plans", "/healthz"]
            .iter()
            .map(|path| served.get(path).status)
            .collect();
        if statuses.iter().all(|&s| s == 200) {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(10),
            "pages still answer {statuses:?} 10 s after the postmaster was killed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let restarted = postmaster_pid(&dir.join("data")).expect("the cluster runs again");
    assert_ne!(restarted, postmaster);
    assert!(alive(restarted));
    assert!(served.get("/api/v1/plans").body.contains(DEFAULT_PLAN));
    assert_eq!(served.zombie_children(), Vec::<u32>::new());

    // Killed once more, it comes back again (the supervision goes on).
    // SAFETY: as above.
    unsafe { libc::kill(restarted, libc::SIGKILL) };
    let killed = Instant::now();
    while served.get("/healthz").status != 200
        || postmaster_pid(&dir.join("data")) == Some(restarted)
    {
        assert!(
            killed.elapsed() < Duration::from_secs(10),
            "not back within 10 s of the second kill"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let third = postmaster_pid(&dir.join("data")).unwrap();

    // SIGTERM stops the site and the restarted cluster cleanly.
    let status = served.terminate();
    assert!(status.success(), "serve exited with {status}");
    assert!(!alive(third), "the restarted postmaster was stopped");
    assert!(
        !dir.join("data/postgres/postmaster.pid").exists(),
        "the cluster was shut down cleanly"
    );
    let log = std::fs::read_to_string(dir.join("serve.log")).unwrap();
    assert_eq!(
        log.matches("PostgreSQL exited unexpectedly").count(),
        2,
        "each death is logged:\n{log}"
    );
    assert_eq!(
        log.matches("PostgreSQL is running again").count(),
        2,
        "each restart is logged:\n{log}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A pool whose server cannot be reached at all.
fn unreachable_pool() -> sqlx::PgPool {
    let dir = std::env::temp_dir().join(format!("plantrack-test-{}-nowhere", std::process::id()));
    plantrack::db::pool_options()
        .connect_lazy(&format!(
            "postgres://postgres@localhost/plantrack?host={}&port=5432",
            dir.display()
        ))
        .unwrap()
}

#[tokio::test]
async fn a_session_that_cannot_be_saved_during_an_outage_gives_the_styled_503_never_a_blank_500() {
    let state = AppState::new(unreachable_pool(), Config::default());

    // The site itself: the sign-in page during an outage.
    let site = app(state.clone());
    let started = Instant::now();
    let login = get(&site, "/login").await;
    assert!(started.elapsed() < Duration::from_secs(3));
    match login.status {
        StatusCode::SERVICE_UNAVAILABLE => {
            assert_eq!(login.text("h1"), "Temporarily unavailable");
            assert!(login.content_type.starts_with("text/html"));
        }
        StatusCode::OK => assert!(!login.texts("input[name='password']").is_empty()),
        status => panic!("GET /login during an outage: {status} {:?}", login.body),
    }

    // Any page that changes its session, as the sign-in page does, behind the site's own
    // session layers.
    let touched = Router::new()
        .route(
            "/touch",
            get_route(|session: Session| async move {
                session.insert("seen", true).await.unwrap();
                "fine"
            }),
        )
        .route(
            "/api/v1/touch",
            get_route(|session: Session| async move {
                session.insert("seen", true).await.unwrap();
                "fine"
            }),
        )
        .layer(plantrack::web::session_layer(&state))
        .layer(axum::middleware::from_fn(
            plantrack::web::error::session_outage,
        ));
    let page = get(&touched, "/touch").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.text("h1"), "Temporarily unavailable");
    assert!(
        page.set_cookie.is_empty(),
        "no cookie for a session never saved"
    );
    let api = get(&touched, "/api/v1/touch").await;
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.json()["error"]["status"], 503);
}
