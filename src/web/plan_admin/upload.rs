//! A seed file uploaded by an administrator: checked, previewed with what loading it would
//! change, then confirmed (with a reason where it amends a target) or cancelled.

use askama::Template;
use axum::extract::Multipart;
use axum::extract::State;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::super::extract::Path;
use super::super::form;
use super::super::layout::Layout;
use super::super::session::{self, Admin, CsrfForm, CsrfOnly};
use super::super::{AppError, AppState};
use super::pages::plans_page;
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::seed::{SeedError, SeedFile};
use crate::i18n::t;
use crate::store::definitions::{self, SeedUpload};
use crate::store::figures::Actor;
use crate::store::revision::{Reason, ReasonCode};
use crate::store::seed::{self, Change, Outcome};
use crate::store::users::User;

/// The largest seed file an upload accepts.
pub const SEED_UPLOAD_LIMIT: usize = 2 << 20;
/// How long an uploaded seed file waits for its confirmation.
const SEED_UPLOAD_MINUTES: i32 = 60;

pub struct ChangeView {
    pub entity: String,
    pub entity_label: String,
    pub key: String,
    pub outcome: &'static str,
    pub fields: Vec<(String, String, String)>,
}

impl ChangeView {
    fn new(c: &Change) -> ChangeView {
        ChangeView {
            entity: c.entity.clone(),
            entity_label: t(&format!("admin-entity-{}", c.entity)),
            key: c.key.clone(),
            outcome: match c.outcome {
                Outcome::Created => "new",
                Outcome::Updated if c.entity == "target" => "amended",
                Outcome::Updated => "changed",
                Outcome::Unchanged => "unchanged",
                Outcome::Kept => "kept",
            },
            fields: c
                .fields
                .iter()
                .map(|f| (f.field.clone(), f.old.clone(), f.new.clone()))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/seed_preview.html")]
struct PreviewPage {
    layout: Layout,
    file_name: String,
    plan: String,
    problems: Vec<String>,
    changes: Vec<ChangeView>,
    counts: Vec<(&'static str, usize)>,
    upload_id: Option<String>,
    amended: bool,
    reason: String,
    reason_error: Option<String>,
    notice: Option<String>,
}

fn counts(changes: &[ChangeView]) -> Vec<(&'static str, usize)> {
    ["new", "changed", "amended", "unchanged", "kept"]
        .into_iter()
        .map(|o| (o, changes.iter().filter(|c| c.outcome == o).count()))
        .collect()
}

/// What loading `text` would change, without changing anything; `Err` lists why it is refused.
async fn preview_of(
    state: &AppState,
    user: &User,
    text: &str,
) -> Result<Result<(SeedFile, Vec<Change>, u32), Vec<String>>, AppError> {
    let seed = match SeedFile::parse(text) {
        Ok(seed) => seed,
        Err(SeedError::Syntax(e)) => return Ok(Err(vec![e])),
        Err(SeedError::Invalid(problems)) => return Ok(Err(problems)),
    };
    let mut tx = state.db.begin().await?;
    let problems = definitions::reference_problems(&mut tx, &seed).await?;
    if !problems.is_empty() {
        return Ok(Err(problems.into_iter().map(|p| p.text).collect()));
    }
    let report = seed::apply_as(&mut tx, &seed, &Actor::user(user), None).await?;
    tx.rollback().await?;
    Ok(Ok((seed, report.changes, report.amended_targets)))
}

#[derive(Default)]
struct SeedUploadForm {
    csrf: String,
    file_name: String,
    bytes: Vec<u8>,
}

/// Why an upload is refused before its file is read: a message key and the status.
type Unread = (&'static str, StatusCode);

const TOO_LARGE: Unread = ("admin-upload-too-large", StatusCode::PAYLOAD_TOO_LARGE);
const UNREADABLE: Unread = ("admin-upload-unreadable", StatusCode::BAD_REQUEST);

/// The upload form's CSRF token and file, as sent.
async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<SeedUploadForm, Unread> {
    let mut multipart = multipart.map_err(|_| UNREADABLE)?;
    let mut form = SeedUploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(form),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(TOO_LARGE),
            Err(_) => return Err(UNREADABLE),
        };
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                form.file_name =
                    crate::opendata::limits::file_name(field.file_name().unwrap_or_default());
                match field.bytes().await {
                    Ok(b) => form.bytes = b.to_vec(),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(TOO_LARGE);
                    }
                    Err(_) => return Err(UNREADABLE),
                }
            }
            _ => {}
        }
    }
}

/// The list of plans again, with `message` at the upload form.
async fn refuse_upload(
    state: &AppState,
    session: &Session,
    user: &User,
    (key, status): Unread,
) -> Result<Response, AppError> {
    let page = plans_page(state, session, user, Some(t(key))).await?;
    form::respond(status, &page)
}

pub(super) async fn upload(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let form = match read_upload(multipart).await {
        Ok(form) => form,
        Err(unread) => return refuse_upload(&state, &session, &user, unread).await,
    };
    session::check_csrf(&session, &form.csrf).await?;
    let unfit = if form.bytes.is_empty() {
        Some(("admin-upload-choose", StatusCode::UNPROCESSABLE_ENTITY))
    } else if form.bytes.len() > SEED_UPLOAD_LIMIT {
        Some(TOO_LARGE)
    } else {
        None
    };
    if let Some(unfit) = unfit {
        return refuse_upload(&state, &session, &user, unfit).await;
    }
    let Ok(text) = String::from_utf8(form.bytes) else {
        let unfit = ("admin-upload-not-utf8", StatusCode::UNPROCESSABLE_ENTITY);
        return refuse_upload(&state, &session, &user, unfit).await;
    };
    let file_name = if form.file_name.is_empty() {
        "upload.toml".to_owned()
    } else {
        form.file_name
    };
    match preview_of(&state, &user, &text).await? {
        Err(problems) => {
            let page = PreviewPage {
                layout: Layout::new(&state, &session, Some(&user)).await?,
                file_name,
                plan: String::new(),
                problems,
                changes: Vec::new(),
                counts: Vec::new(),
                upload_id: None,
                amended: false,
                reason: String::new(),
                reason_error: None,
                notice: Some(t("admin-upload-refused")),
            };
            form::refused(&page)
        }
        Ok((seed, changes, _)) => {
            let json = serde_json::to_value(&changes).map_err(|e| anyhow::anyhow!(e))?;
            let mut conn = state.db.acquire().await?;
            let id = definitions::keep_seed_upload(
                &mut conn,
                user.app_user_id,
                &file_name,
                &text,
                &json,
                SEED_UPLOAD_MINUTES,
            )
            .await?;
            tracing::info!(user = %user.username, plan = %seed.plan.slug, "seed file uploaded for preview");
            Ok(Redirect::to(&format!("/admin/plans/uploads/{id}")).into_response())
        }
    }
}

fn gone() -> AppError {
    AppError::Rejected {
        status: StatusCode::NOT_FOUND,
        message: t("admin-upload-gone"),
    }
}

/// A preview page of a kept upload: what loading it would change, the reason as typed.
struct Preview<'a> {
    id: String,
    file_name: String,
    plan: String,
    changes: &'a [Change],
    reason: String,
    reason_error: Option<String>,
    notice: Option<String>,
}

async fn preview_response(
    state: &AppState,
    session: &Session,
    user: &User,
    preview: Preview<'_>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let views: Vec<ChangeView> = preview.changes.iter().map(ChangeView::new).collect();
    let amended = views.iter().any(|c| c.outcome == "amended");
    let nothing = views
        .iter()
        .all(|c| matches!(c.outcome, "unchanged" | "kept"));
    let page = PreviewPage {
        layout: Layout::new(state, session, Some(user)).await?,
        file_name: preview.file_name,
        plan: preview.plan,
        problems: Vec::new(),
        counts: counts(&views),
        changes: views,
        upload_id: Some(preview.id),
        amended,
        reason: preview.reason,
        reason_error: preview.reason_error,
        notice: preview
            .notice
            .or_else(|| nothing.then(|| t("admin-upload-nothing"))),
    };
    form::respond(status, &page)
}

/// The changes an upload's preview showed.
fn shown_changes(pending: &SeedUpload) -> Result<Vec<Change>, AppError> {
    serde_json::from_value(pending.preview.clone())
        .map_err(|e| anyhow::anyhow!("a stored seed upload cannot be read: {e}").into())
}

pub(super) async fn upload_preview(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let pending = definitions::seed_upload(&mut conn, &id, user.app_user_id)
        .await?
        .ok_or_else(gone)?;
    let changes = shown_changes(&pending)?;
    let plan = SeedFile::parse(&pending.content)
        .map(|s| s.plan.slug)
        .unwrap_or_default();
    let preview = Preview {
        id: pending.seed_upload_id,
        file_name: pending.file_name,
        plan,
        changes: &changes,
        reason: String::new(),
        reason_error: None,
        notice: None,
    };
    preview_response(&state, &session, &user, preview, StatusCode::OK).await
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    reason: String,
}

/// The reason typed at the confirmation, refused when it is too long or missing where the
/// file amends a target.
fn confirmed_reason(typed: &str, shown: &[Change]) -> Result<String, String> {
    let amends = shown.iter().any(|c| c.entity == "target");
    match entry::parse_text(typed, REASON_MAX) {
        Err(e) => Err(e.to_string()),
        Ok(r) if r.is_empty() && amends => Err(t("admin-err-amend-reason")),
        Ok(r) => Ok(r),
    }
}

pub(super) async fn upload_confirm(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let pending = definitions::seed_upload(&mut tx, &id, user.app_user_id)
        .await?
        .ok_or_else(gone)?;
    let shown = shown_changes(&pending)?;
    let seed = SeedFile::parse(&pending.content)
        .map_err(|e| anyhow::anyhow!("a stored seed upload no longer parses: {e}"))?;
    definitions::lock_plan(&mut tx, &seed.plan.slug).await?;
    let reason = match confirmed_reason(&form.reason, &shown) {
        Ok(reason) => reason,
        Err(error) => {
            drop(tx);
            let preview = Preview {
                id: pending.seed_upload_id,
                file_name: pending.file_name,
                plan: seed.plan.slug,
                changes: &shown,
                reason: form.reason,
                reason_error: Some(error),
                notice: None,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return preview_response(&state, &session, &user, preview, status).await;
        }
    };
    // Without a typed reason the history says, in each reader's language, which file it was;
    // a typed reason keeps the file's name beside it.
    let typed = format!("{reason} ({})", pending.file_name);
    let recorded = if reason.is_empty() {
        Reason::System(ReasonCode::SeedUploaded, &pending.file_name)
    } else {
        Reason::Typed(&typed)
    };
    let report = seed::apply_as(&mut tx, &seed, &Actor::user(&user), Some(recorded)).await?;
    if report.changes != shown {
        // Someone changed the plan after the preview: nothing is saved, the new preview shown.
        tx.rollback().await?;
        let new_id = keep_again(&state, &user, &pending, &report.changes).await?;
        let preview = Preview {
            id: new_id,
            file_name: pending.file_name,
            plan: seed.plan.slug,
            changes: &report.changes,
            reason: form.reason,
            reason_error: None,
            notice: Some(t("admin-upload-conflict")),
        };
        return preview_response(&state, &session, &user, preview, StatusCode::CONFLICT).await;
    }
    definitions::drop_seed_upload(&mut tx, &id, user.app_user_id).await?;
    tx.commit().await?;
    let n = report.definitions.created
        + report.definitions.updated
        + report.figures.created
        + report.figures.updated;
    tracing::info!(user = %user.username, plan = %seed.plan.slug, changed = n, "seed file loaded");
    Ok(Redirect::to(&format!("/admin/plans/{}?uploaded={n}", seed.plan.slug)).into_response())
}

/// Keeps an upload again with the changes it would make now; the new upload's id.
async fn keep_again(
    state: &AppState,
    user: &User,
    pending: &SeedUpload,
    changes: &[Change],
) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    let json = serde_json::to_value(changes).map_err(|e| anyhow::anyhow!(e))?;
    definitions::drop_seed_upload(&mut conn, &pending.seed_upload_id, user.app_user_id).await?;
    let id = definitions::keep_seed_upload(
        &mut conn,
        user.app_user_id,
        &pending.file_name,
        &pending.content,
        &json,
        SEED_UPLOAD_MINUTES,
    )
    .await?;
    Ok(id)
}

pub(super) async fn upload_cancel(
    Admin(user): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    definitions::drop_seed_upload(&mut conn, &id, user.app_user_id).await?;
    Ok(Redirect::to("/admin/plans").into_response())
}
