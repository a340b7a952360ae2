//! Public pages and JSON at static-file speed.
//!
//! What a visitor without a session reads is rendered once, compressed once (gzip and brotli)
//! and kept in memory with an ETag, so later readers get the bytes directly (or a 304). Any
//! change of a plan's definitions or figures makes PostgreSQL notify every instance (a trigger
//! on the tables, `LISTEN plantrack_changed`, naming the plan), and each instance drops at once
//! that plan's pages, those of the plans linked to it (an indicator continued from one plan to
//! the next shows both plans' series), the home page when the default plan is among them, and
//! any page that is not one plan's (the methodology, the API's documents); the lists of plans
//! stay, as they show only what the plan table holds: a busy plan's edits leave every other
//! plan's pages kept. A change without a plan (a plan's own title or status, a truncate) drops
//! them all. While no listener runs (or its connection was lost) nothing is cached, so a page is
//! never older than the last change. Signed-in readers are never served from the cache.
//!
//! The cache is a layer ([`middleware`]) on the routers whose pages are public (see `app` in
//! `web/mod.rs`): it runs inside the session layer, and only on the routes of those routers.
//! In front of the whole site, [`FastPath`] answers a GET of a page already kept before routing
//! and before any layer, with the headers the layers gave it when it was kept.
//!
//! Signed-in readers' pages are made from what is kept here under the same notifications
//! (plans, reports, sessions, accounts …; see [`kept`]); the pages anyone may read are kept
//! rendered for each role and language, with each reader's navigation and form token filled in
//! (see `web::frame`). A request that may
//! change data forgets them on its own instance ([`forget_kept_after_changes`]), so its
//! reader's next page shows the change before the notification arrives. The names of the
//! people beside verdicts come from accounts, whose names never change once made.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{DefaultHasher, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;
use tower_sessions::Session;

mod kept;
pub use kept::PEOPLE_CHANNEL;

/// The channel the database notifies on every change of published data or definitions.
pub const CHANNEL: &str = "plantrack_changed";

/// The most bytes (all encodings together) kept before the oldest pages are dropped.
const BUDGET: usize = 32 << 20;
/// The largest response kept.
const LARGEST: usize = 4 << 20;

/// One cached response in every encoding.
struct Entry {
    content_type: HeaderValue,
    /// A download's file name.
    content_disposition: Option<HeaderValue>,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
    /// The headers the site's outer layers added to this page (its language, `Vary`, the
    /// security headers), recorded from a response that went through them, so that
    /// [`FastPath`] can answer later readers with the same headers without running the layers.
    frame: OnceLock<HeaderMap>,
}

impl Entry {
    fn size(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.br.len()
    }
}

#[derive(Default)]
struct Pages {
    by_path: HashMap<String, Arc<Entry>>,
    order: VecDeque<String>,
    bytes: usize,
}

/// A lock per key, for one render or load of each thing at a time: whoever holds a key's lock
/// makes it, and those asking meanwhile wait and take what was kept.
struct Flights<K>(std::sync::Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>);

impl<K> Default for Flights<K> {
    fn default() -> Self {
        Flights(std::sync::Mutex::new(HashMap::new()))
    }
}

impl<K: std::hash::Hash + Eq> Flights<K> {
    /// The lock whose holder makes `key`.
    fn lock_for(&self, key: K) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // Forget locks nobody holds, so the map stays as small as the set of keys in use.
        if locks.len() > 1024 {
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        locks.entry(key).or_default().clone()
    }
}

/// The page cache of one instance.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<Pages>,
    /// One render at a time per page: readers arriving during a render wait for its result
    /// instead of all querying the database at once (after each change, say).
    renders: Flights<String>,
    /// Bumped at every invalidation, so a page rendered across a change is not kept.
    generation: AtomicU64,
    /// True while a listener is connected and changes will be heard.
    live: AtomicBool,
    /// What signed-in readers' pages are made from ([`kept`]).
    kept: kept::Kept,
}

impl PageCache {
    pub fn new() -> Arc<PageCache> {
        Arc::new(PageCache::default())
    }

    /// Forgets every page.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        *pages = Pages::default();
        drop(pages);
        self.kept.forget_data();
    }

    /// Forgets every report, plan, session and account kept (not the pages): this instance has
    /// just changed something, and its own reader's next page (after the redirect) must show it
    /// even before the database's notification of the change arrives.
    pub fn forget_kept(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.kept.forget_data();
        self.kept.forget_people();
    }

    /// Forgets the pages of the plans `slugs`, the home page when `home` (the default plan is
    /// among them), and every page that shows more than one plan's figures or definitions.
    /// Pages that list plans (their titles and periods) stay: those change only with the plan
    /// table, whose notification drops everything.
    pub fn drop_plans(&self, slugs: &HashSet<String>, home: bool) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        let stale = |key: &str| belongs(key).changed_by(slugs, home);
        let Pages {
            by_path,
            order,
            bytes,
        } = &mut *pages;
        by_path.retain(|key, entry| {
            let keep = !stale(key);
            if !keep {
                *bytes -= entry.size();
            }
            keep
        });
        order.retain(|key| by_path.contains_key(key));
        drop(pages);
        self.kept.drop_plans(slugs, home);
    }

    /// Whether a page is kept (for tests and diagnostics).
    pub fn contains(&self, key: &str) -> bool {
        self.pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_path
            .contains_key(key)
    }

    /// Whether pages are being kept (a listener is connected).
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::SeqCst)
    }

    /// Going live forgets every page, since changes may have been missed meanwhile. Losing the
    /// listener keeps the pages but stops serving them as current: they answer only for a
    /// page that cannot be rendered, while the database is unreachable (see [`middleware`]).
    fn set_live(&self, live: bool) {
        if live {
            self.clear();
            self.kept.forget_people();
        } else {
            // A page rendered across the loss is not kept.
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        self.live.store(live, Ordering::SeqCst);
    }

    fn render_lock(&self, path: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.renders.lock_for(path.to_owned())
    }

    fn get(&self, path: &str) -> Option<Arc<Entry>> {
        self.pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_path
            .get(path)
            .cloned()
    }

    fn put(&self, path: String, entry: Entry, generation: u64) {
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        // Checked under the lock: a change heard since rendering began means the page may be stale.
        if !self.is_live() || self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let size = entry.size();
        if let Some(old) = pages.by_path.insert(path.clone(), Arc::new(entry)) {
            pages.bytes -= old.size();
        } else {
            pages.order.push_back(path);
        }
        pages.bytes += size;
        while pages.bytes > BUDGET {
            let Some(oldest) = pages.order.pop_front() else {
                break;
            };
            if let Some(gone) = pages.by_path.remove(&oldest) {
                pages.bytes -= gone.size();
            }
        }
    }

    /// How many pages are kept (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.pages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_path
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Listens for changes until the process ends, dropping pages at each one. While the
/// connection is down, pages are rendered afresh (the kept ones answer only for a page that
/// cannot be rendered), and nothing new is kept.
pub fn spawn_listener(pool: PgPool, cache: Arc<PageCache>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match listen(&pool, &cache).await {
                Ok(()) => {}
                Err(e) => tracing::warn!("page cache listener: {e}; retrying"),
            }
            cache.set_live(false);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
}

async fn listen(pool: &PgPool, cache: &PageCache) -> sqlx::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([CHANNEL, PEOPLE_CHANNEL]).await?;
    // Pages rendered before the listener was connected may have missed a change.
    cache.set_live(true);
    loop {
        let Some(note) = listener.try_recv().await? else {
            // The connection was lost and re-established: changes may have been missed.
            return Ok(());
        };
        if note.channel() == PEOPLE_CHANNEL {
            cache.kept.heard_of_people(note.payload());
            continue;
        }
        match note.payload().parse::<i64>() {
            Ok(plan_id) => match linked_plans(pool, plan_id).await {
                Ok((slugs, home)) => cache.drop_plans(&slugs, home),
                Err(e) => {
                    tracing::warn!("page cache: cannot read the plans linked to {plan_id}: {e}");
                    cache.clear();
                }
            },
            // No plan named: every page.
            Err(_) => cache.clear(),
        }
    }
}

/// The slugs of `plan_id` and of every plan linked to it through continued indicators (either
/// way, however far): their pages show each other's series; and whether the default plan (the
/// home page's) is among them.
async fn linked_plans(pool: &PgPool, plan_id: i64) -> sqlx::Result<(HashSet<String>, bool)> {
    let plans = sqlx::query!(
        r#"with recursive linked(plan_id) as (
               select $1::bigint
               union
               select j.plan_id
               from linked l
               join indicator i on i.plan_id = l.plan_id
               join indicator j on j.indicator_id = i.predecessor_id
                                or j.predecessor_id = i.indicator_id
           )
           select p.slug, p.is_default from plan p join linked using (plan_id)"#,
        plan_id
    )
    .fetch_all(pool)
    .await?;
    let home = plans.iter().any(|p| p.is_default);
    Ok((plans.into_iter().map(|p| p.slug).collect(), home))
}

/// What a kept page shows, which decides the changes that drop it.
#[derive(Debug, PartialEq, Eq)]
enum Belongs<'a> {
    /// `/plans/{slug}…` and `/api/v1/plans/{slug}…`: one plan's.
    Plan(&'a str),
    /// `/`: the default plan's overview, with the first few plans' titles.
    Home,
    /// `/plans` and `/api/v1/plans`: the plans' titles and periods only.
    Listing,
    /// Anything else (site-wide downloads, the feed, search): any change may show.
    Everything,
}

impl Belongs<'_> {
    /// Whether a change of the plans `slugs` (the default plan among them when `home`) may
    /// show on the page.
    fn changed_by(&self, slugs: &HashSet<String>, home: bool) -> bool {
        match self {
            Belongs::Plan(slug) => slugs.contains(*slug),
            Belongs::Home => home,
            Belongs::Listing => false,
            Belongs::Everything => true,
        }
    }
}

/// What the page of `key` (the language, a space, then the path and query) shows.
fn belongs(key: &str) -> Belongs<'_> {
    belongs_path(key.split_once(' ').map_or(key, |(_, path)| path))
}

/// What the page at `path` (with its query) shows.
fn belongs_path(path: &str) -> Belongs<'_> {
    let (path, _) = path.split_once('?').unwrap_or((path, ""));
    if path == "/" {
        return Belongs::Home;
    }
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    if path == "/plans" {
        return Belongs::Listing;
    }
    match path
        .strip_prefix("/plans/")
        .and_then(|rest| rest.split('/').next())
    {
        Some(slug) if !slug.is_empty() => Belongs::Plan(slug),
        _ => Belongs::Everything,
    }
}

pub(super) fn has_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.contains(super::SESSION_COOKIE))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The best encoding the reader accepts (a `q=0` refuses one).
fn negotiate(headers: &HeaderMap) -> Encoding {
    let accepted = |name: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                v.split(',').any(|part| {
                    let mut bits = part.split(';').map(str::trim);
                    let refused = |p: &str| {
                        p.strip_prefix("q=")
                            .and_then(|q| q.trim().parse::<f32>().ok())
                            == Some(0.0)
                    };
                    bits.next().is_some_and(|n| n.eq_ignore_ascii_case(name)) && !bits.any(refused)
                })
            })
    };
    if accepted("br") {
        Encoding::Br
    } else if accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(tag) = etag.to_str().ok() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*")
}

fn respond(entry: &Entry, headers: &HeaderMap) -> Response {
    let mut response = if matches_etag(headers, &entry.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = match negotiate(headers) {
            Encoding::Br => (entry.br.clone(), Some("br")),
            Encoding::Gzip => (entry.gzip.clone(), Some("gzip")),
            Encoding::Identity => (entry.identity.clone(), None),
        };
        let mut r = Response::new(Body::from(body));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, entry.content_type.clone());
        if let Some(d) = &entry.content_disposition {
            r.headers_mut()
                .insert(header::CONTENT_DISPOSITION, d.clone());
        }
        if let Some(e) = encoding {
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
        }
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, entry.etag.clone());
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // The language comes from these (see `language`), which adds them to every response.
    // Readers may keep a copy but must ask (cheaply, with the ETag) before using it.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn compress(identity: &[u8]) -> std::io::Result<(Bytes, Bytes)> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(identity)?;
    let gzip = gz.finish()?;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 9, 22);
        w.write_all(identity)?;
    }
    Ok((Bytes::from(gzip), Bytes::from(br)))
}

/// After any request that may change data (not a GET or HEAD), forgets what signed-in pages
/// are made from ([`kept`]), so that the next page of the person who made the change shows it
/// at once; other instances (and other pages) follow the database's notifications.
pub async fn forget_kept_after_changes(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.run(request).await;
    if changes {
        cache.forget_kept();
    }
    response
}

/// Serves GETs of readers without a session from memory, filling the cache on a miss. A layer
/// on the public routers only (`route_layer`), inside the session layer.
pub async fn middleware(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    // Kept by language, path and query: a page that reads its query is never confused with
    // another, nor one language's page with the other's. Not by host: no page reads the
    // request's Host (absolute links come from the configured address, `Config::base_url`),
    // so a forged Host can never put its own links into a page kept for everyone.
    let path = format!(
        "{} {}",
        crate::i18n::Lang::current().key(),
        request.uri().path_and_query().map_or("/", |p| p.as_str())
    );
    let shared =
        matches!(*request.method(), Method::GET | Method::HEAD) && !has_session(request.headers());
    if !shared {
        return next.run(request).await;
    }
    if !cache.is_live() {
        // Changes cannot be heard, so a kept page may be out of date: render afresh, and fall
        // back on the kept copy only when the page cannot be rendered (the database is down),
        // so public readers keep the last published figures through an outage.
        let headers = request.headers().clone();
        let response = next.run(request).await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE
            && let Some(entry) = cache.get(&path)
        {
            return respond(&entry, &headers);
        }
        return response;
    }
    if let Some(entry) = cache.get(&path) {
        return kept(respond(&entry, request.headers()), path);
    }
    let render_lock = cache.render_lock(&path);
    let _rendering = render_lock.lock().await;
    // Another reader may have rendered the page while this one waited.
    if let Some(entry) = cache.get(&path) {
        return kept(respond(&entry, request.headers()), path);
    }
    let headers = request.headers().clone();
    // The session layer runs outside: a page that started a session (and would carry its
    // cookie, added on the way out) is the reader's own, never kept for everyone.
    let session = request.extensions().get::<Session>().cloned();
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !session.is_some_and(|s| s.is_modified())
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING);
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, LARGEST).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!("cannot buffer {path} for the cache: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
    let mut hasher = DefaultHasher::new();
    hasher.write(&identity);
    let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
        .expect("hex is a valid header");
    let body = identity.clone();
    let compressed = tokio::task::spawn_blocking(move || compress(&body)).await;
    let Ok(Ok((gzip, br))) = compressed else {
        tracing::warn!("cannot compress {path}");
        return Response::from_parts(parts, Body::from(identity));
    };
    let entry = Entry {
        content_type,
        content_disposition: parts.headers.get(header::CONTENT_DISPOSITION).cloned(),
        etag,
        identity,
        gzip,
        br,
        frame: OnceLock::new(),
    };
    let response = respond(&entry, &headers);
    cache.put(path.clone(), entry, generation);
    kept(response, path)
}

/// Marks a response served from the cache's page `key`, for [`FastPath`] to record its frame.
#[derive(Clone)]
struct Kept(String);

fn kept(mut response: Response, key: String) -> Response {
    response.extensions_mut().insert(Kept(key));
    response
}

/// The headers [`respond`] sets itself for each reader (the encoding, the validator); the rest
/// of a kept page's headers are its frame.
fn is_framed(name: &header::HeaderName, value: &HeaderValue) -> bool {
    let own = [
        header::CONTENT_TYPE,
        header::CONTENT_DISPOSITION,
        header::CONTENT_ENCODING,
        header::CONTENT_LENGTH,
        header::ETAG,
        header::CACHE_CONTROL,
    ];
    let own_vary = name == header::VARY && value == "accept-encoding";
    !own.contains(name) && !own_vary
}

/// The site in front of its own router: a GET of a kept page by a reader without a session
/// is answered from memory before routing and before any layer runs (as a static file server
/// answers), with the very headers the layers gave that page when it was served through them.
/// Anything else (a page not kept yet, or whose frame is not recorded yet, a signed-in reader,
/// a HEAD, a listener that is down) goes through the router as before.
#[derive(Clone)]
pub struct FastPath {
    cache: Arc<PageCache>,
    site: axum::Router,
}

impl FastPath {
    pub fn new(cache: Arc<PageCache>, site: axum::Router) -> FastPath {
        FastPath { cache, site }
    }

    fn answer(&self, request: &Request) -> Option<Response> {
        if request.method() != Method::GET
            || !self.cache.is_live()
            || has_session(request.headers())
        {
            return None;
        }
        let key = format!(
            "{} {}",
            super::language::chosen(request.headers()).key(),
            request.uri().path_and_query().map_or("/", |p| p.as_str())
        );
        let entry = self.cache.get(&key)?;
        let frame = entry.frame.get()?;
        let mut response = respond(&entry, request.headers());
        let headers = response.headers_mut();
        for (name, value) in frame {
            headers.append(name, value.clone());
        }
        Some(response)
    }
}

impl tower::Service<Request> for FastPath {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, Self::Error>> + Send>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if let Some(response) = self.answer(&request) {
            return Box::pin(std::future::ready(Ok(response)));
        }
        let cache = self.cache.clone();
        let site = self.site.clone();
        Box::pin(async move {
            let Ok(response) = tower::ServiceExt::oneshot(site, request).await;
            if let Some(Kept(key)) = response.extensions().get::<Kept>()
                && let Some(entry) = cache.get(key)
                && entry.frame.get().is_none()
            {
                let frame = response
                    .headers()
                    .iter()
                    .filter(|(name, value)| is_framed(name, value))
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect();
                let _ = entry.frame.set(frame);
            }
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        assert_eq!(
            negotiate(&headers(&[("accept-encoding", "gzip, deflate, br")])),
            Encoding::Br
        );
        assert_eq!(
            negotiate(&headers(&[("accept-encoding", "gzip")])),
            Encoding::Gzip
        );
        assert_eq!(
            negotiate(&headers(&[("accept-encoding", "br;q=0, gzip")])),
            Encoding::Gzip
        );
        assert_eq!(
            negotiate(&headers(&[("accept-encoding", "br;q=0.5")])),
            Encoding::Br
        );
        assert_eq!(negotiate(&headers(&[])), Encoding::Identity);
    }

    #[test]
    fn if_none_match_recognises_the_tag_in_a_list() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(matches_etag(
            &headers(&[("if-none-match", "\"x\", \"abc\"")]),
            &tag
        ));
        assert!(matches_etag(
            &headers(&[("if-none-match", "W/\"abc\"")]),
            &tag
        ));
        assert!(!matches_etag(
            &headers(&[("if-none-match", "\"abd\"")]),
            &tag
        ));
    }

    #[test]
    fn a_page_belongs_to_the_plan_its_path_names() {
        assert_eq!(belongs("en /plans/cq/indicators/rd"), Belongs::Plan("cq"));
        assert_eq!(belongs("zh /plans/cq"), Belongs::Plan("cq"));
        assert_eq!(belongs("zh /plans/cq?as_of=2023"), Belongs::Plan("cq"));
        assert_eq!(
            belongs("en /api/v1/plans/cq/indicators"),
            Belongs::Plan("cq")
        );
        assert_eq!(belongs("en /plans"), Belongs::Listing);
        assert_eq!(belongs("en /plans?page=2"), Belongs::Listing);
        assert_eq!(belongs("en /api/v1/plans"), Belongs::Listing);
        assert_eq!(belongs("en /"), Belongs::Home);
        assert_eq!(belongs("zh /?status=lagging"), Belongs::Home);
        assert_eq!(belongs("en /plans/"), Belongs::Everything);
        assert_eq!(belongs("en /methodology"), Belongs::Everything);
    }

    fn entry() -> Entry {
        Entry {
            content_type: HeaderValue::from_static("text/html"),
            content_disposition: None,
            etag: HeaderValue::from_static("\"1\""),
            identity: Bytes::from_static(b"page"),
            gzip: Bytes::new(),
            br: Bytes::new(),
            frame: OnceLock::new(),
        }
    }

    #[test]
    fn a_change_to_one_plan_drops_its_pages_and_the_shared_ones_only() {
        let cache = PageCache::default();
        cache.set_live(true);
        let keys = [
            "en /plans/a",
            "zh /plans/a/indicators/x",
            "en /api/v1/plans/a/indicators",
            "en /plans/b",
            "en /plans/b/indicators/y",
            "en /",
            "en /plans",
        ];
        for key in keys {
            cache.put(key.into(), entry(), cache.generation.load(Ordering::SeqCst));
        }
        cache.put(
            "en /methodology".into(),
            entry(),
            cache.generation.load(Ordering::SeqCst),
        );
        // A plan that is not the home page's: its pages and the site-wide ones go.
        cache.drop_plans(&HashSet::from(["a".to_owned()]), false);
        let kept: Vec<_> = keys.into_iter().filter(|k| cache.contains(k)).collect();
        assert_eq!(
            kept,
            [
                "en /plans/b",
                "en /plans/b/indicators/y",
                "en /",
                "en /plans"
            ]
        );
        assert!(!cache.contains("en /methodology"));
        assert_eq!(cache.pages.read().unwrap().bytes, 4 * entry().size());
        assert_eq!(cache.pages.read().unwrap().order.len(), 4);
        // The home page's plan: the home page goes too; the list of plans stays.
        cache.drop_plans(&HashSet::from(["b".to_owned()]), true);
        let kept: Vec<_> = keys.into_iter().filter(|k| cache.contains(k)).collect();
        assert_eq!(kept, ["en /plans"]);
    }

    #[test]
    fn a_page_rendered_across_a_change_is_not_kept() {
        let cache = PageCache::default();
        cache.set_live(true);
        let before = cache.generation.load(Ordering::SeqCst);
        cache.clear();
        cache.put("/".into(), entry(), before);
        assert!(cache.is_empty());
        cache.put("/".into(), entry(), cache.generation.load(Ordering::SeqCst));
        assert_eq!(cache.len(), 1);
        let during = cache.generation.load(Ordering::SeqCst);
        cache.set_live(false);
        assert_eq!(
            cache.len(),
            1,
            "losing the listener keeps the page, to answer while the database is down"
        );
        cache.put("/a".into(), entry(), during);
        cache.put(
            "/b".into(),
            entry(),
            cache.generation.load(Ordering::SeqCst),
        );
        assert_eq!(
            cache.len(),
            1,
            "nothing new is kept while changes cannot be heard"
        );
        cache.set_live(true);
        assert!(
            cache.is_empty(),
            "hearing changes again drops the pages, which may have missed one"
        );
    }
}
