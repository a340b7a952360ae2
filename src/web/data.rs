//! Open data on the site: the data page, downloads of a plan's or an indicator's figures as
//! CSV, XLSX and JSON, the analysts' upload (preview, confirm, cancel) and the Atom feed.

use crate::i18n::{Lang, t, t1, t2};
use crate::mail::Notice;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, OriginalUri, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{AsOf, CurrentPlan, Path, Query};
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::reader::Reader;
use super::session::{self, Analyst, CsrfForm, CsrfOnly, SignedIn};
use super::views::PlanHeader;
use super::{AppError, AppState, format};
use crate::domain::plan::{ObservationKind, UnitKind};
use crate::opendata::check::{self, Counts, Preview, PreviewRow, RowStatus, Scope};
use crate::opendata::export::ExportDocument;
use crate::opendata::import::{self, Contents, Saved, Unreadable};
use crate::opendata::limits::{self, Budget, StopOnDrop};
use crate::opendata::table::{self, FileError};
use crate::opendata::{
    self, Column, DEFINITION_COLUMNS, FIGURE_COLUMNS, FileFormat, atom, figure_rows,
};
use crate::report::PlanReport;
use crate::store::figures::{self, Actor};
use crate::store::opendata as store;
use crate::store::plans::{self, Plan, Visibility};
use crate::store::revision::{Reason, ReasonCode};
use crate::store::users::User;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// The largest file an upload accepts.
pub const UPLOAD_LIMIT: usize = 10 << 20;
/// The largest upload request: the file and the form around it.
pub const UPLOAD_BODY_LIMIT: usize = UPLOAD_LIMIT + (64 << 10);
/// How long a checked upload waits for its confirmation.
pub const UPLOAD_KEPT_MINUTES: i32 = 60;
/// Entries in a plan's feed.
pub const FEED_ENTRIES: i64 = 100;

/// The open data page, the downloads and the feed (kept by the page cache for readers
/// without a session).
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/data", get(data_page))
        .route("/plans/{plan}/data/{file}", get(plan_download))
        .route(
            "/plans/{plan}/indicators/{code}/data/{file}",
            get(indicator_download),
        )
        .route("/plans/{plan}/feed.atom", get(feed))
}

/// The upload form (in the signed-in entry area) and a checked upload: its preview,
/// confirmation and cancellation.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/entry/upload", get(upload_page))
        .route("/plans/{plan}/data/uploads/{id}", get(preview_page))
        .route("/plans/{plan}/data/uploads/{id}/confirm", post(confirm))
        .route("/plans/{plan}/data/uploads/{id}/cancel", post(cancel))
}

/// The upload, the one route that accepts a body larger than the site's 1 MiB.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/data/upload", post(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
}

pub struct IndicatorLink {
    pub code: String,
    pub name_en: String,
    name_zh: String,
}

#[derive(Template)]
#[template(path = "data/page.html")]
struct DataPage {
    layout: Layout,
    plan: PlanHeader,
    columns: &'static [Column],
    definition_columns: &'static [&'static str],
    indicators: Vec<IndicatorLink>,
    signed_in: bool,
    /// The page links the upload form (in the entry area) for those who enter figures.
    can_upload: bool,
    notice: Option<String>,
}

/// The upload form of the signed-in entry area: a spreadsheet in the layout of the download.
#[derive(Template)]
#[template(path = "entry/upload.html")]
struct UploadPage {
    layout: Layout,
    plan: PlanHeader,
    /// The message at the upload's `file` input.
    errors: FieldErrors,
}

impl UploadPage {
    fn new(layout: Layout, plan: &Plan) -> UploadPage {
        UploadPage {
            layout: layout.with_plan(&plan.slug),
            plan: PlanHeader::new(plan),
            errors: FieldErrors::new(),
        }
    }
}

async fn upload_page(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
) -> Result<Response, AppError> {
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    form::ok(&UploadPage::new(layout, &plan))
}

impl DataPage {
    async fn new(
        state: &AppState,
        layout: Layout,
        user: Option<&User>,
        plan: Plan,
    ) -> Result<DataPage, AppError> {
        let mut conn = state.db.acquire().await?;
        let indicators = plans::indicators(&mut conn, plan.plan_id)
            .await?
            .into_iter()
            .map(|i| IndicatorLink {
                code: i.def.code,
                name_en: i.def.name_en,
                name_zh: i.def.name_zh,
            })
            .collect();
        Ok(DataPage {
            layout: layout.with_plan(&plan.slug),
            plan: PlanHeader::new(&plan),
            columns: &FIGURE_COLUMNS,
            definition_columns: &DEFINITION_COLUMNS,
            indicators,
            signed_in: user.is_some(),
            can_upload: user.is_some_and(|u| u.role.enters_figures()),
            notice: None,
        })
    }
}

#[derive(Deserialize)]
struct DataQuery {
    saved: Option<usize>,
    cancelled: Option<u8>,
}

async fn data_page(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<DataQuery>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Html<String>, AppError> {
    let mut page = DataPage::new(&state, reader.layout, reader.user.as_ref(), plan).await?;
    page.notice = match (q.saved, q.cancelled) {
        (Some(n), _) => Some(t1("entry-saved", "count", n)),
        (None, Some(_)) => Some(t("upload-cancelled")),
        (None, None) => None,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct DownloadQuery {
    drafts: Option<String>,
    /// Figures up to this year only, and the verdicts as they stood then.
    as_of: Option<String>,
}

impl DownloadQuery {
    fn as_of(&self) -> AsOf {
        AsOf {
            as_of: self.as_of.clone(),
        }
    }

    fn with_drafts(&self) -> bool {
        self.drafts.as_deref() == Some("include")
    }
}

async fn plan_download(
    State(state): State<AppState>,
    reader: Reader,
    OriginalUri(uri): OriginalUri,
    Path((_, file)): Path<(String, String)>,
    Query(q): Query<DownloadQuery>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    download(&state, &reader, &uri, plan, None, &file, &q).await
}

async fn indicator_download(
    State(state): State<AppState>,
    reader: Reader,
    OriginalUri(uri): OriginalUri,
    Path((_, code, file)): Path<(String, String, String)>,
    Query(q): Query<DownloadQuery>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    download(&state, &reader, &uri, plan, Some(&code), &file, &q).await
}

/// A file of figures: `figures.csv`, `figures.xlsx` or `figures.json`, or the verdicts:
/// `status.csv`. Drafts only for signed-in readers who ask for them; a visitor who asks is
/// sent to sign in first. `?as_of=YEAR` keeps the figures up to YEAR and judges as of it.
async fn download(
    state: &AppState,
    reader: &Reader,
    uri: &axum::http::Uri,
    plan: Plan,
    only: Option<&str>,
    file: &str,
    query: &DownloadQuery,
) -> Result<Response, AppError> {
    let with_drafts = query.with_drafts();
    let as_of = query.as_of().year(&plan)?;
    let format = match file {
        "status.csv" => None,
        _ => Some(
            file.strip_prefix("figures.")
                .and_then(FileFormat::from_extension)
                .ok_or(AppError::NotFound)?,
        ),
    };
    if with_drafts && reader.user.is_none() {
        return Ok(session::sign_in_first(uri));
    }
    let visibility = if with_drafts {
        Visibility::WithDrafts
    } else {
        Visibility::Published
    };
    let mut conn = state.db.acquire().await?;
    let slug = plan.slug.clone();
    let report = PlanReport::load_as_of(&mut conn, plan, visibility, as_of).await?;
    if let Some(code) = only
        && report.indicator(code).is_none()
    {
        return Err(AppError::NotFound);
    }
    let Some(format) = format else {
        let bytes = table::write_cells_csv(
            &opendata::STATUS_COLUMNS,
            &opendata::status_rows(&report, only),
        );
        return Ok(file_response(
            FileFormat::Csv,
            &format!("{slug}-status-{}.csv", report.as_of),
            "no-cache",
            bytes,
        ));
    };
    let bytes = match format {
        FileFormat::Csv => table::write_csv(&figure_rows(&report, only)),
        FileFormat::Xlsx => table::write_xlsx(
            &figure_rows(&report, only),
            &opendata::definition_rows(&report, only),
        )
        .map_err(|e| anyhow::anyhow!("cannot write the workbook: {e}"))?,
        FileFormat::Json => ExportDocument::new(&report, with_drafts, only).to_bytes(),
    };
    let name = format!(
        "{slug}{}-figures{}{}.{}",
        only.map(|c| format!("-{c}")).unwrap_or_default(),
        if with_drafts { "-with-drafts" } else { "" },
        as_of.map(|y| format!("-as-of-{y}")).unwrap_or_default(),
        format.extension()
    );
    let cache = if with_drafts {
        "private, no-store"
    } else {
        "no-cache"
    };
    Ok(file_response(format, &name, cache, bytes))
}

/// A downloaded file, named for saving.
fn file_response(format: FileFormat, name: &str, cache: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The plan's newly published figures, newest first, as Atom.
async fn feed(
    State(state): State<AppState>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let slug = plan.slug.clone();
    let figures = store::recently_published(&mut conn, plan.plan_id, FEED_ENTRIES).await?;
    // From configuration only: the feed is cached and shared, so a request's Host header
    // must never reach its links.
    let base = state.config.base_url();
    let entries: Vec<atom::Entry> = figures
        .iter()
        .map(|f| feed_entry(f, &base, &slug))
        .collect();
    let feed = atom::Feed {
        id: format!("urn:plantrack:{slug}:figures"),
        title: t1(
            "feed-title",
            "plan",
            Lang::current().pick(&plan.title_zh, &plan.title_en),
        ),
        subtitle: Lang::current()
            .pick(&plan.title_en, &plan.title_zh)
            .to_owned(),
        updated: entries.first().map_or_else(chrono::Utc::now, |e| e.updated),
        self_link: format!("{base}/plans/{slug}/feed.atom"),
        alternate_link: format!("{base}/plans/{slug}"),
        entries,
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_xml(),
    )
        .into_response())
}

/// One published figure as an entry of the plan's feed.
fn feed_entry(f: &store::PublishedFigure, base: &str, slug: &str) -> atom::Entry {
    let unit = if f.percent {
        UnitKind::Percent
    } else {
        UnitKind::Amount
    };
    let value = format::with_unit(
        &format::decimal(f.value),
        unit,
        Lang::current().pick(&f.unit_zh, &f.unit_en),
    );
    let kind = match f.kind {
        ObservationKind::Actual => String::new(),
        kind => t1(
            "parenthetical",
            "text",
            t(&format!("kind-{}", kind.as_str())),
        ),
    };
    let link = match (&f.indicator_code, &f.programme_slug) {
        (Some(code), _) => format!("{base}/plans/{slug}/indicators/{code}"),
        (None, Some(p)) => format!("{base}/plans/{slug}/programmes/{p}"),
        (None, None) => format!("{base}/plans/{slug}"),
    };
    let name = Lang::current().pick(&f.name_zh, &f.name_en);
    let title = crate::i18n::tn(
        "feed-figure",
        &[
            ("name", &format!("{name}{kind}")),
            ("year", &f.year),
            ("value", &value),
        ],
    );
    let mut summary = format!(
        "{} {}",
        t1("sentence", "text", &title),
        t1(
            "feed-published",
            "date",
            Lang::current().date(crate::i18n::local_date(&f.published_at))
        )
    );
    if !f.source.is_empty() {
        summary.push_str(&format!(" {}", t1("feed-source", "source", &f.source)));
    }
    if !f.note.is_empty() {
        summary.push_str(&format!(" {}", t1("feed-note", "note", &f.note)));
    }
    atom::Entry {
        id: format!(
            "urn:plantrack:{slug}:figure:{}:{}",
            f.observation_id, f.version
        ),
        title,
        updated: f.published_at,
        link,
        summary,
    }
}

/// One row of the preview as the page shows it.
pub struct RowView {
    pub line: usize,
    pub indicator: String,
    pub name: String,
    pub year: String,
    pub kind: String,
    pub state: String,
    pub status: &'static str,
    pub old: String,
    pub new: String,
    pub what: String,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
    /// The published and the draft value stored now, grouped as on the pages ("" when none).
    pub published: String,
    pub draft: String,
}

/// A plain stored number ("75600.5") grouped as the pages write it ("75,600.5").
fn grouped(plain: &str) -> String {
    match plain.parse::<rust_decimal::Decimal>() {
        Ok(v) => super::format::decimal(v),
        Err(_) => plain.to_owned(),
    }
}

impl RowView {
    /// The order rows are read in: what must be fixed, what was questioned, what changes;
    /// unchanged rows are folded apart.
    fn rank(&self) -> u8 {
        match self.status {
            "refused" | "conflict" => 0,
            _ if !self.warnings.is_empty() => 1,
            "new" | "changed" => 2,
            _ => 3,
        }
    }

    fn new(r: &PreviewRow) -> RowView {
        RowView {
            line: r.line,
            indicator: r.indicator.clone(),
            name: r.name.clone(),
            year: r.year.clone(),
            kind: r.kind.clone(),
            state: r.state.clone(),
            status: r.status.as_str(),
            old: grouped(&r.old),
            new: grouped(&r.new),
            published: grouped(&r.published),
            draft: grouped(&r.draft),
            what: r.what.clone(),
            reasons: r.reasons.clone(),
            warnings: r
                .warnings
                .iter()
                .map(crate::domain::plausibility::Warning::message)
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "data/preview.html")]
struct PreviewPage {
    layout: Layout,
    plan: PlanHeader,
    file_name: String,
    problems: Vec<String>,
    /// Refused, warned, new and changed rows, in that order.
    rows: Vec<RowView>,
    /// Unchanged rows, folded into one line with their count.
    unchanged: Vec<RowView>,
    /// Rows with a plausibility warning.
    warned: usize,
    counts: Counts,
    /// Set when the upload is kept and may be confirmed.
    upload_id: Option<String>,
    notice: Option<String>,
}

async fn preview_response(
    layout: Layout,
    plan: &Plan,
    file_name: &str,
    preview: &Preview,
    upload_id: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut rows: Vec<RowView> = preview.rows.iter().map(RowView::new).collect();
    rows.sort_by_key(RowView::rank);
    let (unchanged, rows): (Vec<RowView>, Vec<RowView>) =
        rows.into_iter().partition(|r| r.status == "unchanged");
    let page = PreviewPage {
        layout: layout.with_plan(&plan.slug),
        plan: PlanHeader::new(plan),
        file_name: file_name.to_owned(),
        problems: preview.problems.clone(),
        rows,
        unchanged,
        warned: preview
            .rows
            .iter()
            .filter(|r| !r.warnings.is_empty())
            .count(),
        counts: preview.counts(),
        upload_id,
        notice,
    };
    form::respond(status, &page)
}

/// The upload form again with a message at the file input.
async fn refuse_file(
    state: &AppState,
    session: &Session,
    user: &User,
    plan: Plan,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let layout = Layout::new(state, session, Some(user)).await?;
    let mut page = UploadPage::new(layout, &plan);
    page.errors.add("file", refusal.message);
    form::respond(refusal.status, &page)
}

/// What the upload form sent.
#[derive(Default)]
struct UploadForm {
    csrf: String,
    file_name: String,
    bytes: Bytes,
}

/// Reads the form; `Err(true)` when it is larger than the limit, `Err(false)` when unreadable.
async fn read_upload(multipart: &mut Multipart) -> Result<UploadForm, bool> {
    let mut form = UploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(e.status() == StatusCode::PAYLOAD_TOO_LARGE),
        };
        match field.name() {
            Some("csrf") => {
                form.csrf = field
                    .text()
                    .await
                    .map_err(|e| e.status() == StatusCode::PAYLOAD_TOO_LARGE)?;
            }
            Some("file") => {
                form.file_name = limits::file_name(field.file_name().unwrap_or_default());
                form.bytes = field
                    .bytes()
                    .await
                    .map_err(|e| e.status() == StatusCode::PAYLOAD_TOO_LARGE)?;
            }
            _ => {}
        }
    }
    Ok(form)
}

/// Uploaded files being read at this moment, at most [`limits::PARSES_AT_ONCE`].
static PARSES: Semaphore = Semaphore::const_new(limits::PARSES_AT_ONCE);

/// Why a file gets no preview: a message for the file input, with its status.
struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: String) -> Refusal {
        Refusal { status, message }
    }

    fn file(e: &FileError) -> Refusal {
        Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
    }
}

/// Runs `work` on a blocking thread, holding `permit` until it ends; `None` when it has not
/// ended within the time of an upload (its budget stops it then).
async fn blocking<T: Send + 'static>(
    permit: &Arc<SemaphorePermit<'static>>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<Option<T>, AppError> {
    let permit = permit.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(limits::PARSE_TIME + Duration::from_secs(1), task).await {
        Ok(Ok(done)) => Ok(Some(done)),
        Ok(Err(e)) => Err(AppError::Internal(anyhow::anyhow!(
            "checking an upload failed: {e}"
        ))),
        Err(_) => Ok(None),
    }
}

/// Checks a file against the plan and the figures stored now, within the budget of
/// [`limits`]: a few files at a time (others wait briefly, then are refused as busy), read and
/// checked off the async threads, for at most [`limits::PARSE_TIME`], and stopped as soon as
/// nobody waits for the answer (the client left and this future was dropped).
async fn check_file(
    state: &AppState,
    plan: &Plan,
    format: FileFormat,
    bytes: Bytes,
) -> Result<Result<Preview, Refusal>, AppError> {
    let Ok(Ok(permit)) = tokio::time::timeout(limits::PARSE_WAIT, PARSES.acquire()).await else {
        return Ok(Err(Refusal {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: t("upload-busy"),
        }));
    };
    let permit = Arc::new(permit);
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_when_dropped = StopOnDrop(stop.clone());
    let budget = Budget::new(limits::PARSE_TIME, stop);
    let too_slow = FileError::TooSlow {
        seconds: limits::PARSE_TIME.as_secs(),
    };
    let lang = Lang::current();
    let read = blocking(&permit, move || {
        lang.scope_sync(|| match import::read(format, &bytes, &budget)? {
            Contents::Rows(records) => Ok(records),
            Contents::Document(doc) => Ok(import::records(&doc)),
        })
    })
    .await?;
    let records = match read {
        None => return Ok(Err(Refusal::file(&too_slow))),
        Some(Ok(records)) => records,
        Some(Err(Unreadable::File(e))) if e.is_limit() => return Ok(Err(Refusal::file(&e))),
        Some(Err(Unreadable::File(e))) => return Ok(Ok(Preview::refused(vec![e.to_string()]))),
        Some(Err(Unreadable::Layout(problems))) => return Ok(Ok(Preview::refused(problems))),
        Some(Err(Unreadable::Json(e))) => {
            return Ok(Ok(Preview::refused(vec![t1(
                "upload-unreadable-file",
                "error",
                e,
            )])));
        }
    };
    let mut conn = state.db.acquire().await?;
    let report = PlanReport::load(&mut conn, plan.clone(), Visibility::Published).await?;
    let stored = figures::for_plan(&mut conn, plan.plan_id).await?;
    drop(conn);
    let scope = Scope::new(&report);
    let preview = blocking(&permit, move || {
        lang.scope_sync(|| check::check(&scope, &stored, &records))
    })
    .await?;
    Ok(preview.ok_or_else(|| Refusal::file(&too_slow)))
}

/// The file's format and the name it is shown under, or why it is refused before reading it
/// (too large, empty, of no format the site reads).
fn accepted(form: &UploadForm) -> Result<(FileFormat, String), Refusal> {
    if form.bytes.len() > UPLOAD_LIMIT {
        return Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            t("upload-too-large"),
        ));
    }
    if form.bytes.is_empty() {
        let message = if form.file_name.is_empty() {
            t("upload-choose")
        } else {
            t("upload-empty")
        };
        return Err(Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, message));
    }
    let Some(format) = FileFormat::detect(&form.file_name, &form.bytes) else {
        return Err(Refusal::file(&FileError::Unknown));
    };
    let file_name = if form.file_name.is_empty() {
        format!("upload.{}", format.extension())
    } else {
        form.file_name.clone()
    };
    Ok((format, file_name))
}

/// Reads the upload form (its CSRF token checked) and the file in it, and checks the file
/// against the plan: its name and preview, or why the file input refuses it. A form that
/// cannot be read is refused before its token is looked at: nothing of the file is kept.
async fn read_and_check(
    state: &AppState,
    session: &Session,
    plan: &Plan,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Result<(String, Preview), Refusal>, AppError> {
    let mut multipart = multipart.map_err(|_| AppError::Rejected {
        status: StatusCode::BAD_REQUEST,
        message: t("upload-unreadable"),
    })?;
    let form = match read_upload(&mut multipart).await {
        Ok(form) => form,
        Err(true) => {
            let message = t("upload-too-large");
            return Ok(Err(Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, message)));
        }
        Err(false) => {
            let message = t("upload-unreadable");
            return Ok(Err(Refusal::new(StatusCode::BAD_REQUEST, message)));
        }
    };
    session::check_csrf(session, &form.csrf).await?;
    let (format, file_name) = match accepted(&form) {
        Ok(accepted) => accepted,
        Err(refusal) => return Ok(Err(refusal)),
    };
    Ok(check_file(state, plan, format, form.bytes)
        .await?
        .map(|preview| (file_name, preview)))
}

/// Why a checked file is shown but not kept for confirmation (rows refused, or nothing to
/// change), with the page's status; `None` when it is kept.
fn not_kept(preview: &Preview) -> Option<(StatusCode, String)> {
    if !preview.acceptable() {
        let notice = if preview.problems.is_empty() {
            t1("upload-rows-refused", "count", preview.counts().refused)
        } else {
            t("upload-bad-layout")
        };
        return Some((StatusCode::UNPROCESSABLE_ENTITY, notice));
    }
    if preview.changes().next().is_none() {
        return Some((StatusCode::OK, t("upload-nothing")));
    }
    None
}

async fn upload(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let (file_name, preview) = match read_and_check(&state, &session, &plan, multipart).await? {
        Ok(checked) => checked,
        Err(refusal) => return refuse_file(&state, &session, &user, plan, refusal).await,
    };
    if let Some((status, notice)) = not_kept(&preview) {
        let layout = Layout::new(&state, &session, Some(&user)).await?;
        return preview_response(
            layout,
            &plan,
            &file_name,
            &preview,
            None,
            Some(notice),
            status,
        )
        .await;
    }
    let mut conn = state.db.acquire().await?;
    let json = serde_json::to_value(&preview).map_err(|e| anyhow::anyhow!(e))?;
    let id = store::keep_upload(
        &mut conn,
        user.app_user_id,
        plan.plan_id,
        &file_name,
        &json,
        UPLOAD_KEPT_MINUTES,
    )
    .await?;
    Ok(Redirect::to(&format!("/plans/{}/data/uploads/{id}", plan.slug)).into_response())
}

fn gone() -> AppError {
    AppError::Rejected {
        status: StatusCode::NOT_FOUND,
        message: t("upload-gone"),
    }
}

fn stored_preview(value: serde_json::Value) -> Result<Preview, AppError> {
    serde_json::from_value(value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored upload cannot be read: {e}")))
}

async fn preview_page(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let pending = store::upload(&mut conn, &id, user.app_user_id, plan.plan_id)
        .await?
        .ok_or_else(gone)?;
    let preview = stored_preview(pending.preview)?;
    let c = preview.counts();
    let notice = Some(format!(
        "{} {}",
        t2("upload-confirm", "new", c.new, "changed", c.changed),
        t1(
            "upload-kept-until",
            "time",
            crate::i18n::clock(&pending.expires_at)
        )
    ));
    preview_response(
        Layout::new(&state, &session, Some(&user)).await?,
        &plan,
        &pending.file_name,
        &preview,
        Some(pending.upload_id),
        notice,
        StatusCode::OK,
    )
    .await
}

async fn confirm(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let slug = &plan.slug;
    let mut tx = state.db.begin().await?;
    let pending = store::lock_upload(&mut tx, &id, user.app_user_id, plan.plan_id)
        .await?
        .ok_or_else(gone)?;
    let mut preview = stored_preview(pending.preview)?;
    let reason = Reason::System(ReasonCode::Uploaded, &pending.file_name);
    match import::save_changes(
        &mut tx,
        plan.plan_id,
        &preview,
        &Actor::user(&user),
        reason,
        || {},
    )
    .await?
    {
        Saved::Done(n) => {
            store::drop_upload(&mut tx, &id, user.app_user_id).await?;
            tx.commit().await?;
            tracing::info!(user = %user.username, plan = %slug, saved = n, "upload saved");
            if n > 0 {
                let years = preview
                    .rows
                    .iter()
                    .filter(|r| matches!(r.status, RowStatus::New | RowStatus::Changed))
                    .filter_map(|r| r.year.trim().parse().ok())
                    .collect();
                state.notify(Notice::Submitted {
                    plan_id: plan.plan_id,
                    by: user.app_user_id,
                    years,
                    count: n,
                });
            }
            Ok(Redirect::to(&format!("/plans/{slug}/data?saved={n}")).into_response())
        }
        Saved::Conflicts(lines) => {
            tx.rollback().await?;
            let mut conn = state.db.acquire().await?;
            // The versions it was checked against are gone: it can only be uploaded again.
            store::drop_upload(&mut conn, &id, user.app_user_id).await?;
            for row in preview.rows.iter_mut().filter(|r| lines.contains(&r.line)) {
                row.status = RowStatus::Conflict;
                row.reasons = vec![t("upload-changed-since")];
            }
            let notice = Some(t1("upload-conflicts", "count", lines.len()));
            preview_response(
                Layout::new(&state, &session, Some(&user)).await?,
                &plan,
                &pending.file_name,
                &preview,
                None,
                notice,
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

async fn cancel(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    CurrentPlan(plan): CurrentPlan,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    store::drop_upload(&mut conn, &id, user.app_user_id).await?;
    let slug = &plan.slug;
    Ok(Redirect::to(&format!("/plans/{slug}/data?cancelled=1")).into_response())
}
