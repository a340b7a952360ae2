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
use plantrack::domain::plan::Role;
use plantrack::domain::seed::SeedFile;
use plantrack::embedded_pg::{self, Cluster};
use plantrack::web::{AppState, app};
use scraper::{Html, Selector};
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{ConnectOptions, Connection, PgConnection};
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

pub const DEFAULT_PLAN: &str = "chongqing-sti-2021-2025";
pub const EXAMPLE_PLAN: &str = "example-district-2021-2025";

struct Server {
    /// The server's `postgres` database; tests' databases are named on these options.
    admin: PgConnectOptions,
    /// The same as a URL, for commands run as separate processes.
    url: String,
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
        let server = Server {
            admin,
            url,
            template,
        };
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
            // plantrack-test-<pid> or plantrack-test-<pid>-<what>: only a finished run's.
            if let Some(pid) = name
                .strip_prefix("plantrack-test-")
                .and_then(|rest| rest.split('-').next())
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

    /// A URL of this database, for running the `plantrack` binary against it.
    pub fn url(&self) -> String {
        let url = &server().url;
        let (base, query) = url
            .split_once('?')
            .map_or((url.as_str(), None), |(b, q)| (b, Some(q)));
        let (host, _) = base.rsplit_once('/').expect("a URL with a database");
        match query {
            Some(q) => format!("{host}/{}?{q}", self.name),
            None => format!("{host}/{}", self.name),
        }
    }

    /// Runs the `plantrack` binary against this database with `stdin` as its input; whether it
    /// succeeded, and what it printed (standard output, then standard error).
    pub fn run(&self, args: &[&str], stdin: &str) -> (bool, String) {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"))
            .args(args)
            .env("DATABASE_URL", self.url())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }

    /// The site's state with a page cache whose change listener is connected (pages are kept
    /// only then), and the listener's task, to abort at the end of the test.
    pub async fn with_live_cache(
        &self,
        config: plantrack::config::Config,
    ) -> (plantrack::web::AppState, tokio::task::JoinHandle<()>) {
        let state = plantrack::web::AppState::new(self.pool.clone(), config);
        let listener =
            plantrack::web::cache::spawn_listener(self.pool.clone(), state.cache.clone());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !state.cache.is_live() {
            assert!(
                std::time::Instant::now() < deadline,
                "the listener connects"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        (state, listener)
    }

    /// Creates a user with `role`; the password is `<name>-long-password`.
    pub async fn user(&self, name: &str, role: Role) -> String {
        let password = format!("{name}-long-password");
        let hash = plantrack::domain::account::hash_password(&password).unwrap();
        let mut conn = self.pool.acquire().await.unwrap();
        plantrack::store::users::create(&mut conn, name, "", role, &hash)
            .await
            .unwrap()
            .unwrap();
        password
    }

    /// A browser-like client of this database's site, signed in as a new user with `role`.
    pub async fn signed_in(&self, name: &str, role: Role) -> Client {
        let password = self.user(name, role).await;
        let mut client = Client::new(self.app());
        let page = client.login(name, &password).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "signing in as {name}: {}",
            page.body
        );
        client
    }

    pub fn app(&self) -> Router {
        app(AppState::new(self.pool.clone(), Config::default()))
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
    pub location: String,
    pub set_cookie: Vec<String>,
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

    /// The attribute `name` of the first element matching `selector` (empty when it has none).
    pub fn attr(&self, selector: &str, name: &str) -> String {
        let sel = Selector::parse(selector).unwrap();
        let html = self.html();
        let element = html
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("nothing matches {selector:?}"));
        element.value().attr(name).unwrap_or_default().to_owned()
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
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The id of the default plan's indicator `code`.
pub async fn indicator_id(pool: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar(
        "select indicator_id from indicator join plan using (plan_id) where is_default and code = $1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Everything a form or a review could change: every figure's state (value, source, note,
/// commentary, version, review) and the number of history rows.
pub async fn figures_and_history(pool: &PgPool) -> (String, i64) {
    let figures: String = sqlx::query_scalar(
        "select coalesce(string_agg(row(observation_id, value, state, source, note, commentary,
                                         version, returned_at, review_comment)::text, ';'
                                    order by observation_id), '') from observation",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let history: i64 = sqlx::query_scalar("select count(*) from revision")
        .fetch_one(pool)
        .await
        .unwrap();
    (figures, history)
}

/// A GET with one request header (e.g. `Accept-Language`).
pub async fn get_with(app: &Router, uri: &str, name: header::HeaderName, value: &str) -> Page {
    send(
        app,
        Request::get(uri)
            .header(name, value)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

pub async fn send(app: &Router, request: Request<Body>) -> Page {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let location = header(header::LOCATION);
    let set_cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let content_type = header(header::CONTENT_TYPE);
    let bytes = axum::body::to_bytes(response.into_body(), 16 << 20)
        .await
        .unwrap();
    Page {
        status,
        content_type,
        location,
        set_cookie,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// A downloaded file.
pub struct Download {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).unwrap()
    }
}

pub async fn download(app: &Router, request: Request<Body>) -> Download {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap()
        .to_vec();
    Download {
        status,
        headers,
        bytes,
    }
}

/// Form-encodes `fields`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A browser: keeps the session cookie and the CSRF token of the last page with a form.
pub struct Client {
    pub app: Router,
    /// The session cookie.
    pub cookie: Option<String>,
    /// The language cookie the switch sets.
    pub lang: Option<String>,
    pub csrf: String,
}

impl Client {
    pub fn new(app: Router) -> Client {
        Client {
            app,
            cookie: None,
            lang: None,
            csrf: String::new(),
        }
    }

    /// The `Cookie` header a browser would send.
    fn cookies(&self) -> Option<String> {
        let all: Vec<&str> = [&self.cookie, &self.lang]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        (!all.is_empty()).then(|| all.join("; "))
    }

    fn remember(&mut self, page: &Page) {
        for c in &page.set_cookie {
            let pair = c.split(';').next().unwrap().to_owned();
            if pair.starts_with("plantrack_lang=") {
                self.lang = Some(pair);
                continue;
            }
            let expired = c.contains("Max-Age=0") || pair.ends_with('=');
            self.cookie = if expired { None } else { Some(pair) };
        }
        if page.content_type.starts_with("text/html")
            && let Some(token) = page
                .html()
                .select(&Selector::parse("input[name=csrf]").unwrap())
                .next()
                .and_then(|e| e.value().attr("value").map(str::to_owned))
        {
            self.csrf = token;
        }
    }

    pub async fn get(&mut self, uri: &str) -> Page {
        let mut req = Request::get(uri);
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let page = send(&self.app, req.body(Body::empty()).unwrap()).await;
        self.remember(&page);
        page
    }

    /// Posts a form with the current CSRF token added.
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all = fields.to_vec();
        all.push(("csrf", &csrf));
        self.post_raw(uri, form_body(&all)).await
    }

    pub async fn post_raw(&mut self, uri: &str, body: String) -> Page {
        let mut req =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let page = send(&self.app, req.body(Body::from(body)).unwrap()).await;
        self.remember(&page);
        page
    }

    /// Downloads a file: the status, the headers and the body's bytes.
    pub async fn download(&mut self, uri: &str) -> Download {
        let mut req = Request::get(uri);
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        download(&self.app, req.body(Body::empty()).unwrap()).await
    }

    /// Posts a file as a browser's upload form does, with the current CSRF token.
    pub async fn post_file(&mut self, uri: &str, file_name: &str, bytes: &[u8]) -> Page {
        let boundary = "plantrack-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
                self.csrf
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(uri)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let page = send(&self.app, req.body(Body::from(body)).unwrap()).await;
        self.remember(&page);
        page
    }

    pub async fn login(&mut self, name: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post(
            "/login",
            &[("username", name), ("password", password), ("next", "/")],
        )
        .await
    }
}

/// What a plantrack process answered over a real socket.
pub struct Reply {
    pub status: u16,
    /// The `Set-Cookie` name=value pair, if any.
    pub cookie: Option<String>,
    pub location: Option<String>,
    pub body: String,
}

/// A keep-alive HTTP/1.1 connection to a plantrack process (for tests of the real server).
pub struct Http {
    reader: std::io::BufReader<std::net::TcpStream>,
    port: u16,
}

impl Http {
    /// `None` while nothing listens on `port`.
    pub fn connect(port: u16) -> Option<Http> {
        let stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .ok()?;
        Some(Http {
            reader: std::io::BufReader::new(stream),
            port,
        })
    }

    /// Waits up to `timeout` for each answer instead of 30 seconds.
    pub fn with_read_timeout(self, timeout: std::time::Duration) -> Http {
        self.reader
            .get_ref()
            .set_read_timeout(Some(timeout))
            .expect("a read timeout");
        self
    }

    /// Sends one request; reconnects once if the server had closed the connection.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
    ) -> Reply {
        let body = form.map(|f| ("application/x-www-form-urlencoded", f));
        self.send_body(method, path, cookie, body)
    }

    /// Sends one request with a body of the given content type (`(content_type, body)`).
    pub fn send_body(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: Option<(&str, &str)>,
    ) -> Reply {
        if let Some(reply) = self.try_send(method, path, cookie, body) {
            return reply;
        }
        *self = Http::connect(self.port).expect("the server accepts connections");
        self.try_send(method, path, cookie, body).unwrap_or(Reply {
            status: 0,
            cookie: None,
            location: None,
            body: String::new(),
        })
    }

    fn try_send(
        &mut self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        typed_body: Option<(&str, &str)>,
    ) -> Option<Reply> {
        use std::io::{BufRead, Read, Write};
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
        if let Some(c) = cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        let body = typed_body.map_or("", |(_, b)| b);
        if let Some((content_type, _)) = typed_body {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        self.reader.get_mut().write_all(head.as_bytes()).ok()?;
        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line).ok()? == 0 {
            return None;
        }
        let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
        let (mut length, mut cookie, mut location) = (0usize, None, None);
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().ok()?,
                "set-cookie" => cookie = Some(value.trim().split(';').next()?.to_owned()),
                "location" => location = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).ok()?;
        Some(Reply {
            status,
            cookie,
            location,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

/// `plantrack serve` as a test starts it, on a port of its own; see [`Served`].
pub struct Serve {
    cmd: std::process::Command,
    /// How long it may take to answer `/healthz`.
    within: std::time::Duration,
}

impl Serve {
    /// Against the test's database; it answers within 30 s.
    pub fn on(db: &TestDb) -> Serve {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"));
        cmd.env("DATABASE_URL", db.url());
        Serve::command(cmd, std::time::Duration::from_secs(30))
    }

    /// On its own embedded cluster in `data_dir`, as a person runs it; it answers within 90 s
    /// (the first start creates the cluster).
    pub fn on_own_cluster(data_dir: &std::path::Path) -> Serve {
        Serve::command(
            own_cluster_command(data_dir),
            std::time::Duration::from_secs(90),
        )
    }

    fn command(mut cmd: std::process::Command, within: std::time::Duration) -> Serve {
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        Serve { cmd, within }
    }

    /// Allows `within` for the first answer of `/healthz` instead.
    pub fn answering_within(mut self, within: std::time::Duration) -> Serve {
        self.within = within;
        self
    }

    /// With the environment variable `key` set to `value` (a setting such as
    /// `PLANTRACK_SMTP_URL`).
    pub fn env(mut self, key: &str, value: &str) -> Serve {
        self.cmd.env(key, value);
        self
    }

    /// Where its standard error (its log) goes; nowhere unless told.
    pub fn stderr(mut self, to: impl Into<std::process::Stdio>) -> Serve {
        self.cmd.stderr(to);
        self
    }

    /// Starts it and waits until `/healthz` answers 200; panics if it exits first or does not
    /// answer in time.
    pub fn start(mut self) -> Served {
        let port = free_port();
        let child = self
            .cmd
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .spawn()
            .expect("plantrack serve starts");
        let mut served = Served { child, port };
        let started = std::time::Instant::now();
        loop {
            let healthy = Http::connect(port).is_some_and(|http| {
                http.with_read_timeout(std::time::Duration::from_secs(10))
                    .send("GET", "/healthz", None, None)
                    .status
                    == 200
            });
            if healthy {
                return served;
            }
            if let Some(status) = served.child.try_wait().unwrap() {
                panic!("plantrack serve on port {port} exited before answering: {status}");
            }
            assert!(
                started.elapsed() < self.within,
                "plantrack serve on port {port} did not answer /healthz within {:?}",
                self.within
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// A running `plantrack serve`, killed when the test ends, also when it fails.
pub struct Served {
    pub child: std::process::Child,
    pub port: u16,
}

impl Served {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Asks it to stop, as a service manager does.
    pub fn sigterm(&self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
    }

    /// Its exit status; panics if it still runs `within` from now.
    pub fn exited_within(&mut self, within: std::time::Duration) -> std::process::ExitStatus {
        let asked = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                asked.elapsed() < within,
                "serve still running {:?} after SIGTERM",
                asked.elapsed()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// SIGTERM, and the exit status within 60 s.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        self.sigterm();
        self.exited_within(std::time::Duration::from_secs(60))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `plantrack` binary on its own embedded cluster in `data_dir` (no `DATABASE_URL`), its
/// log at info.
pub fn own_cluster_command(data_dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plantrack"));
    cmd.env_remove("DATABASE_URL")
        .env("PLANTRACK_DATA_DIR", data_dir)
        .env("RUST_LOG", "plantrack=info");
    cmd
}

/// A port nothing listens on now, for a server a test starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The pid of the embedded cluster's postmaster under `data_dir`, while it runs.
pub fn postmaster_pid(data_dir: &std::path::Path) -> Option<i32> {
    std::fs::read_to_string(data_dir.join("postgres/postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

/// What a browser sends when the form `form` (a selector) of `page` is submitted untouched:
/// every named field, a select's chosen option and the ticked boxes (the client adds the CSRF
/// token itself).
pub fn form_fields(page: &Page, form: &str) -> Vec<(String, String)> {
    let html = page.html();
    let form_el = html
        .select(&Selector::parse(form).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {form} in {}", page.body));
    let mut out = Vec::new();
    for el in form_el.select(&Selector::parse("input, textarea, select").unwrap()) {
        let v = el.value();
        let Some(name) = v.attr("name") else { continue };
        if name == "csrf" || (v.attr("type") == Some("checkbox") && v.attr("checked").is_none()) {
            continue;
        }
        out.push((name.to_owned(), shown_value(el)));
    }
    out
}

/// A field's value as shown: a text box's value, a text area's text or a select's chosen option.
fn shown_value(el: scraper::ElementRef) -> String {
    match el.value().name() {
        "textarea" => el.text().collect(),
        "select" => el
            .select(&Selector::parse("option[selected]").unwrap())
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("")
            .to_owned(),
        _ => el.value().attr("value").unwrap_or("").to_owned(),
    }
}

/// The value shown by the field `#id` of `page`.
pub fn field_value(page: &Page, id: &str) -> String {
    let html = page.html();
    let el = html
        .select(&Selector::parse(&format!("#{id}")).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no #{id} in {}", page.body));
    shown_value(el)
}

/// A form's fields with some of them set to other values (or added).
pub fn with_changes(
    fields: &[(String, String)],
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut out = fields.to_vec();
    for (name, value) in changes {
        match out.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => out.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    out
}

/// Fields as the client posts them.
pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Submits the form `form` of `page` to its action as a browser would, with `changes`.
pub async fn submit_form(
    client: &mut Client,
    page: &Page,
    form: &str,
    changes: &[(&str, &str)],
) -> Page {
    let action = page.attr(form, "action");
    let fields = with_changes(&form_fields(page, form), changes);
    client.post(&action, &pairs(&fields)).await
}
