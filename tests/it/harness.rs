//! The test harness: one real PostgreSQL server per test run and one database per test.
//!
//! Without `DATABASE_URL` the harness starts plantrack's own embedded cluster in a throw-away
//! directory (removed by the next run); with it, tests use that server. Each test's database is
//! a copy of a template that holds the schema and both shipped seed files, and is dropped when
//! the test ends.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plantrack::config::Config;
use plantrack::domain::seed::SeedFile;
use plantrack::embedded_pg::{self, Cluster};
use plantrack::web::{AppState, app};
use scraper::{Html, Selector};
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{ConnectOptions, Connection, PgConnection};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub const DEFAULT_PLAN: &str = "chongqing-sti-2021-2025";
pub const EXAMPLE_PLAN: &str = "example-district-2021-2025";

struct Server {
    /// A URL of the server without a database name; tests append theirs.
    admin: PgConnectOptions,
    template: String,
}

fn seed_text(name: &str) -> String {
    std::fs::read_to_string(format!("{}/seeds/{name}.toml", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn seed(name: &str) -> SeedFile {
    SeedFile::parse(&seed_text(name)).unwrap()
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let url = match std::env::var("DATABASE_URL") {
            Ok(url) => url,
            Err(_) => start_private_cluster(),
        };
        let admin = PgConnectOptions::from_str(&url)
            .expect("a valid DATABASE_URL")
            .database("postgres");
        let template = format!("plantrack_tpl_{}", std::process::id());
        let server = Server { admin, template };
        // Build the template on a runtime of its own: the tests each run on theirs.
        std::thread::scope(|s| {
            s.spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(build_template(&server))
            })
            .join()
            .unwrap()
        });
        server
    })
}

/// Starts the embedded cluster from a thread that lives as long as the test process, so the
/// cluster (started with die_with_parent) ends with the process.
fn start_private_cluster() -> String {
    let tmp = std::env::temp_dir();
    // Clusters of earlier runs whose process has ended.
    if let Ok(entries) = std::fs::read_dir(&tmp) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("plantrack-test-")
                && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let dir = tmp.join(format!("plantrack-test-{}", std::process::id()));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let started = rt.block_on(Cluster::start(
            &dir,
            embedded_pg::Options {
                durable: false,
                die_with_parent: true,
            },
        ));
        match started {
            Ok(cluster) => {
                tx.send(Ok(cluster.url("postgres"))).unwrap();
                // Keep the cluster, its runtime and this thread alive until the process exits.
                let _keep = (cluster, rt);
                loop {
                    std::thread::park();
                }
            }
            Err(e) => tx.send(Err(e.to_string())).unwrap(),
        }
    });
    match rx.recv().unwrap() {
        Ok(url) => url,
        Err(e) => panic!("cannot start the test PostgreSQL cluster: {e}"),
    }
}

async fn build_template(server: &Server) {
    let mut conn = PgConnection::connect_with(&server.admin)
        .await
        .expect("connect to the test server");
    sqlx::query(&format!(
        "drop database if exists {} with (force)",
        server.template
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(&format!("create database {}", server.template))
        .execute(&mut conn)
        .await
        .unwrap();
    let pool = PgPool::connect_with(server.admin.clone().database(&server.template))
        .await
        .unwrap();
    plantrack::db::migrate(&pool).await.unwrap();
    plantrack::apply_seeds(&pool, &[seed(DEFAULT_PLAN), seed(EXAMPLE_PLAN)])
        .await
        .unwrap();
    pool.close().await;
}

/// A database of a test's own, dropped when the test ends.
pub struct TestDb {
    pub pool: PgPool,
    pub name: String,
}

impl TestDb {
    /// The schema and both shipped plans.
    pub async fn seeded() -> TestDb {
        Self::copy_of(&server().template).await
    }

    /// The schema only, no plan.
    pub async fn empty() -> TestDb {
        let db = Self::copy_of("template1").await;
        plantrack::db::migrate(&db.pool).await.unwrap();
        db
    }

    async fn copy_of(template: &str) -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let server = server();
        let name = format!(
            "plantrack_t_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = PgConnection::connect_with(&server.admin).await.unwrap();
        sqlx::query(&format!("create database {name} template {template}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let options = server
            .admin
            .clone()
            .database(&name)
            .log_statements(tracing::log::LevelFilter::Trace);
        let pool = plantrack::db::pool_options()
            .min_connections(0)
            .connect_with(options)
            .await
            .unwrap();
        TestDb { pool, name }
    }

    pub fn app(&self) -> Router {
        app(AppState {
            db: self.pool.clone(),
            config: Arc::new(Config::default()),
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let admin = server().admin.clone();
        let name = self.name.clone();
        // Dropping runs outside any async context the test may have left.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join()
        .ok();
    }
}

/// A response as a test reads it.
pub struct Page {
    pub status: StatusCode,
    pub content_type: String,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The trimmed text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        texts(&self.html(), selector)
    }

    pub fn text(&self, selector: &str) -> String {
        let all = self.texts(selector);
        assert!(!all.is_empty(), "nothing matches {selector:?}");
        all.into_iter().next().unwrap()
    }
}

pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub async fn get(app: &Router, uri: &str) -> Page {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), 16 << 20)
        .await
        .unwrap();
    Page {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}
