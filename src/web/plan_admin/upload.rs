//! A seed file uploaded by an administrator: checked, previewed with what loading it would
//! change, then confirmed (with a reason where it amends a target) or cancelled.

use askama::Template;
use axum::extract::Multipart;
use axum::extract::State;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::super::auth::{self, CsrfForm, SignedIn};
use super::super::extract::Path;
use super::super::layout::Layout;
use super::super::{AppError, AppState};
use super::admin;
use super::pages::plans_page;
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::seed::{SeedError, SeedFile};
use crate::i18n::{t, t1};
use crate::store::definitions;
use crate::store::figures::Actor;
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

pub(super) async fn upload(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let refuse = |message: String, status: StatusCode| {
        let state = state.clone();
        let session = session.clone();
        async move {
            let page = plans_page(&state, &session, user, Some(message)).await?;
            Ok::<Response, AppError>((status, Html(page.render()?)).into_response())
        }
    };
    let Ok(mut multipart) = multipart else {
        return refuse(t("admin-upload-unreadable"), StatusCode::BAD_REQUEST).await;
    };
    let mut form = SeedUploadForm::default();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => form.csrf = field.text().await.unwrap_or_default(),
                Some("file") => {
                    form.file_name =
                        crate::opendata::limits::file_name(field.file_name().unwrap_or_default());
                    match field.bytes().await {
                        Ok(b) => form.bytes = b.to_vec(),
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return refuse(
                                t("admin-upload-too-large"),
                                StatusCode::PAYLOAD_TOO_LARGE,
                            )
                            .await;
                        }
                        Err(_) => {
                            return refuse(t("admin-upload-unreadable"), StatusCode::BAD_REQUEST)
                                .await;
                        }
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return refuse(t("admin-upload-too-large"), StatusCode::PAYLOAD_TOO_LARGE).await;
            }
            Err(_) => return refuse(t("admin-upload-unreadable"), StatusCode::BAD_REQUEST).await,
        }
    }
    auth::check_csrf(&session, &form.csrf).await?;
    if form.bytes.is_empty() {
        return refuse(t("admin-upload-choose"), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if form.bytes.len() > SEED_UPLOAD_LIMIT {
        return refuse(t("admin-upload-too-large"), StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    let Ok(text) = String::from_utf8(form.bytes) else {
        return refuse(t("admin-upload-not-utf8"), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let file_name = if form.file_name.is_empty() {
        "upload.toml".to_owned()
    } else {
        form.file_name
    };
    match preview_of(&state, user, &text).await? {
        Err(problems) => {
            let page = PreviewPage {
                layout: Layout::new(&state, &session, Some(user)).await?,
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
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
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

#[allow(clippy::too_many_arguments)]
async fn preview_response(
    state: &AppState,
    session: &Session,
    user: &User,
    id: Option<String>,
    file_name: String,
    plan: String,
    changes: &[Change],
    reason: String,
    reason_error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let views: Vec<ChangeView> = changes.iter().map(ChangeView::new).collect();
    let amended = views.iter().any(|c| c.outcome == "amended");
    let nothing = views
        .iter()
        .all(|c| matches!(c.outcome, "unchanged" | "kept"));
    let page = PreviewPage {
        layout: Layout::new(state, session, Some(user)).await?,
        file_name,
        plan,
        problems: Vec::new(),
        counts: counts(&views),
        changes: views,
        upload_id: id,
        amended,
        reason,
        reason_error,
        notice: notice.or_else(|| nothing.then(|| t("admin-upload-nothing"))),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(super) async fn upload_preview(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let mut conn = state.db.acquire().await?;
    let pending = definitions::seed_upload(&mut conn, &id, user.app_user_id)
        .await?
        .ok_or_else(gone)?;
    let changes: Vec<Change> = serde_json::from_value(pending.preview)
        .map_err(|e| anyhow::anyhow!("a stored seed upload cannot be read: {e}"))?;
    let plan = SeedFile::parse(&pending.content)
        .map(|s| s.plan.slug)
        .unwrap_or_default();
    preview_response(
        &state,
        &session,
        user,
        Some(pending.seed_upload_id),
        pending.file_name,
        plan,
        &changes,
        String::new(),
        None,
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    reason: String,
}

pub(super) async fn upload_confirm(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let mut tx = state.db.begin().await?;
    let pending = definitions::seed_upload(&mut tx, &id, user.app_user_id)
        .await?
        .ok_or_else(gone)?;
    let shown: Vec<Change> = serde_json::from_value(pending.preview.clone())
        .map_err(|e| anyhow::anyhow!("a stored seed upload cannot be read: {e}"))?;
    let seed = SeedFile::parse(&pending.content)
        .map_err(|e| anyhow::anyhow!("a stored seed upload no longer parses: {e}"))?;
    definitions::lock_plan(&mut tx, &seed.plan.slug).await?;
    let reason = entry::parse_text(&form.reason, REASON_MAX);
    let amends = shown.iter().any(|c| c.entity == "target");
    let reason_error = match &reason {
        Err(e) => Some(e.to_string()),
        Ok(r) if r.is_empty() && amends => Some(t("admin-err-amend-reason")),
        Ok(_) => None,
    };
    if let Some(error) = reason_error {
        drop(tx);
        return preview_response(
            &state,
            &session,
            user,
            Some(pending.seed_upload_id),
            pending.file_name,
            seed.plan.slug,
            &shown,
            form.reason,
            Some(error),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let reason = reason.unwrap_or_default();
    let file_reason = t1("admin-upload-reason", "file", &pending.file_name);
    let recorded = if reason.is_empty() {
        file_reason
    } else {
        format!("{reason} ({file_reason})")
    };
    let report = seed::apply_as(&mut tx, &seed, &Actor::user(user), Some(&recorded)).await?;
    if report.changes != shown {
        // Someone changed the plan after the preview: nothing is saved, the new preview shown.
        tx.rollback().await?;
        let mut conn = state.db.acquire().await?;
        let json = serde_json::to_value(&report.changes).map_err(|e| anyhow::anyhow!(e))?;
        definitions::drop_seed_upload(&mut conn, &id, user.app_user_id).await?;
        let new_id = definitions::keep_seed_upload(
            &mut conn,
            user.app_user_id,
            &pending.file_name,
            &pending.content,
            &json,
            SEED_UPLOAD_MINUTES,
        )
        .await?;
        return preview_response(
            &state,
            &session,
            user,
            Some(new_id),
            pending.file_name,
            seed.plan.slug,
            &report.changes,
            form.reason,
            None,
            Some(t("admin-upload-conflict")),
            StatusCode::CONFLICT,
        )
        .await;
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

pub(super) async fn upload_cancel(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<auth::CsrfOnly>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let mut conn = state.db.acquire().await?;
    definitions::drop_seed_upload(&mut conn, &id, user.app_user_id).await?;
    Ok(Redirect::to("/admin/plans").into_response())
}
