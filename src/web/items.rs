//! Programme items: an analyst adds an item (a new laboratory, an institution that starts
//! operating) or changes an item's status; both are drafts that an official who is not the
//! author publishes or sends back on the review page. A refused form comes back with every
//! value typed and a message at each field.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{CurrentPlan, Path};
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::session::{Analyst, CsrfForm};
use super::views::{PlanHeader, item_status};
use super::{AppError, AppState};
use crate::domain::entry::{self, NAME_MAX, NOTE_MAX, REASON_MAX, SOURCE_MAX};
use crate::domain::plan::{ItemStatus, ObservationState};
use crate::i18n;
use crate::report::{ItemReport, PlanReport};
use crate::store::items::{self, NewItem, NewStatus, StatusOutcome};
use crate::store::plans::{Plan, Visibility};
use crate::store::review::ReviewOutcome;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/plans/{plan}/programmes/{programme}/items/new",
            get(new_form).post(new_save),
        )
        .route(
            "/plans/{plan}/programmes/{programme}/items/{key}/edit",
            get(edit_form).post(edit_save),
        )
        .route(
            "/plans/{plan}/programmes/{programme}/items/{key}/status",
            get(status_form).post(status_save),
        )
}

/// The statuses an item may have, for the form's choice.
const STATUSES: [ItemStatus; 4] = [
    ItemStatus::Planned,
    ItemStatus::Building,
    ItemStatus::Operating,
    ItemStatus::Dropped,
];

/// A status as the form's choice shows it.
pub struct StatusChoice {
    pub code: &'static str,
    pub label: &'static str,
}

fn choices() -> Vec<StatusChoice> {
    STATUSES
        .iter()
        .map(|s| StatusChoice {
            code: s.as_str(),
            label: item_status(Some(*s)),
        })
        .collect()
}

struct Context {
    report: PlanReport,
    programme: usize,
}

impl Context {
    fn programme(&self) -> &crate::report::ProgrammeReport {
        &self.report.programmes[self.programme]
    }

    fn item(&self, key: &str) -> Option<&ItemReport> {
        self.programme().items.iter().find(|i| i.item.key == key)
    }

    /// The years an item's status may be given for.
    fn years(&self) -> (i32, i32) {
        (FIRST_YEAR, self.report.plan.end_year)
    }
}

/// The earliest year an item's status may be given for.
const FIRST_YEAR: i32 = 1900;

async fn context(state: &AppState, plan: Plan, programme: &str) -> Result<Context, AppError> {
    let mut conn = state.db.acquire().await?;
    let report = PlanReport::load(&mut conn, plan, Visibility::WithDrafts).await?;
    let programme = report
        .programmes
        .iter()
        .position(|p| p.programme.slug == programme)
        .ok_or(AppError::NotFound)?;
    Ok(Context { report, programme })
}

/// What an analyst typed into the item form.
#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: i32,
}

/// The text of input `id`, which must not be empty; a message at it otherwise.
fn required(errors: &mut FieldErrors, id: &str, input: &str, max: usize) -> String {
    let text = errors.check(id, entry::parse_text(input, max));
    if text.is_empty() {
        errors.add(id, i18n::t("item-error-required"));
    }
    text
}

/// The text of input `id`, possibly empty; a message at it when too long or not text.
fn optional(errors: &mut FieldErrors, id: &str, input: &str, max: usize) -> String {
    errors.check(id, entry::parse_text(input, max))
}

fn parse_status(errors: &mut FieldErrors, id: &str, input: &str) -> Option<ItemStatus> {
    let status = input.trim().parse::<ItemStatus>().ok();
    if status.is_none() {
        errors.add(id, i18n::t("item-error-status"));
    }
    status
}

fn parse_year(
    errors: &mut FieldErrors,
    id: &str,
    input: &str,
    (first, last): (i32, i32),
) -> Option<i32> {
    let text: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    match text.parse::<i32>() {
        Ok(y) if (first..=last).contains(&y) => Some(y),
        Ok(_) => {
            let message = i18n::t2("item-error-year-range", "first", first, "last", last);
            errors.add(id, message);
            None
        }
        Err(_) => {
            errors.add(
                id,
                i18n::t2("item-error-year", "first", first, "last", last),
            );
            None
        }
    }
}

/// Checks the item form: the item to save, or a message at each field refused.
fn check_item(form: &ItemForm, years: (i32, i32)) -> Result<NewItem, FieldErrors> {
    let mut e = FieldErrors::new();
    let name_zh = required(&mut e, "item-name_zh", &form.name_zh, NAME_MAX);
    let name_en = required(&mut e, "item-name_en", &form.name_en, NAME_MAX);
    let kind = required(&mut e, "item-kind", &form.kind, NAME_MAX);
    let field = optional(&mut e, "item-field", &form.field, NAME_MAX);
    let host = optional(&mut e, "item-host", &form.host, NAME_MAX);
    let status = parse_status(&mut e, "item-status", &form.status);
    let year = parse_year(&mut e, "item-year", &form.year, years);
    let source = required(&mut e, "item-source", &form.source, SOURCE_MAX);
    let note = optional(&mut e, "item-note", &form.note, NOTE_MAX);
    match (status, year) {
        (Some(status), Some(year)) if e.is_empty() => Ok(NewItem {
            name_zh,
            name_en,
            kind,
            field,
            host,
            status,
            year,
            source,
            note,
        }),
        _ => Err(e),
    }
}

#[derive(Template)]
#[template(path = "items/form.html")]
struct ItemPage {
    layout: Layout,
    plan: PlanHeader,
    programme_slug: String,
    programme_name: String,
    /// `None` for a new item; the key of the draft item being corrected otherwise.
    key: Option<String>,
    returned: String,
    form: ItemForm,
    errors: FieldErrors,
    statuses: Vec<StatusChoice>,
    first_year: i32,
    last_year: i32,
    conflict: bool,
}

async fn item_page(
    layout: Layout,
    ctx: &Context,
    key: Option<String>,
    returned: String,
    form: ItemForm,
    errors: FieldErrors,
    conflict: bool,
) -> Result<ItemPage, AppError> {
    let p = ctx.programme();
    let (first_year, last_year) = ctx.years();
    let lang = i18n::Lang::current();
    Ok(ItemPage {
        layout: layout.with_plan(&ctx.report.plan.slug),
        plan: PlanHeader::new(&ctx.report.plan),
        programme_slug: p.programme.slug.clone(),
        programme_name: lang
            .pick(&p.programme.name_zh, &p.programme.name_en)
            .to_owned(),
        key,
        returned,
        form,
        errors,
        statuses: choices(),
        first_year,
        last_year,
        conflict,
    })
}

async fn new_form(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, programme)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, &programme).await?;
    let form = ItemForm {
        status: ItemStatus::Operating.as_str().into(),
        ..ItemForm::default()
    };
    let page = item_page(
        Layout::new(&state, &session, Some(&user)).await?,
        &ctx,
        None,
        String::new(),
        form,
        FieldErrors::new(),
        false,
    )
    .await?;
    form::ok(&page)
}

/// The programme's page, where a saved item or status is shown.
fn programme_href(ctx: &Context) -> String {
    format!(
        "/plans/{}/programmes/{}",
        ctx.report.plan.slug,
        ctx.programme().programme.slug
    )
}

async fn new_save(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, programme)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, &programme).await?;
    match check_item(&form, ctx.years()) {
        Err(errors) => {
            let page = item_page(
                Layout::new(&state, &session, Some(&user)).await?,
                &ctx,
                None,
                String::new(),
                form,
                errors,
                false,
            )
            .await?;
            form::refused(&page)
        }
        Ok(new) => {
            let mut tx = state.db.begin().await?;
            let id = items::add(
                &mut tx,
                ctx.report.plan.plan_id,
                ctx.programme().programme.programme_id,
                &new,
                &user,
            )
            .await?;
            tx.commit().await?;
            Ok(
                Redirect::to(&format!("{}?added=1#item-{id}", programme_href(&ctx)))
                    .into_response(),
            )
        }
    }
}

/// The draft item `key`, which its form corrects (typically after it was sent back).
fn draft_item<'a>(ctx: &'a Context, key: &str) -> Result<&'a ItemReport, AppError> {
    let item = ctx.item(key).ok_or(AppError::NotFound)?;
    if item.item.state != ObservationState::Draft {
        return Err(AppError::Rejected {
            status: StatusCode::CONFLICT,
            message: i18n::t("item-error-published"),
        });
    }
    Ok(item)
}

fn returned_of(item: &ItemReport) -> String {
    let i = &item.item;
    match i.returned_at {
        Some(_) => i18n::t2(
            "item-sent-back-by",
            "name",
            i.returned_by_name.as_deref().unwrap_or("?"),
            "comment",
            &i.review_comment,
        ),
        None => String::new(),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, programme, key)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, &programme).await?;
    let item = draft_item(&ctx, &key)?;
    let i = &item.item;
    let form = ItemForm {
        name_zh: i.name_zh.clone(),
        name_en: i.name_en.clone(),
        kind: i.kind.clone(),
        field: i.field.clone().unwrap_or_default(),
        host: i.host.clone().unwrap_or_default(),
        status: i.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        year: i.year.map(|y| y.to_string()).unwrap_or_default(),
        source: i.source.clone().unwrap_or_default(),
        note: i.note.clone().unwrap_or_default(),
        version: i.version,
    };
    let returned = returned_of(item);
    let page = item_page(
        Layout::new(&state, &session, Some(&user)).await?,
        &ctx,
        Some(key),
        returned,
        form,
        FieldErrors::new(),
        false,
    )
    .await?;
    form::ok(&page)
}

async fn edit_save(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, programme, key)): Path<(String, String, String)>,
    CsrfForm(mut form): CsrfForm<ItemForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, &programme).await?;
    let item = draft_item(&ctx, &key)?;
    let returned = returned_of(item);
    let new = match check_item(&form, ctx.years()) {
        Ok(new) => new,
        Err(errors) => {
            let page = item_page(
                Layout::new(&state, &session, Some(&user)).await?,
                &ctx,
                Some(key),
                returned,
                form,
                errors,
                false,
            )
            .await?;
            return form::refused(&page);
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = items::update_draft(
        &mut tx,
        ctx.report.plan.plan_id,
        item.item.programme_item_id,
        form.version,
        &new,
        &user,
    )
    .await?;
    tx.commit().await?;
    if outcome == ReviewOutcome::Done {
        let id = item.item.programme_item_id;
        return Ok(
            Redirect::to(&format!("{}?added=1#item-{id}", programme_href(&ctx))).into_response(),
        );
    }
    // Changed meanwhile: keep what was typed, and submitting again saves it over the new state.
    form.version = item.item.version;
    let page = item_page(
        Layout::new(&state, &session, Some(&user)).await?,
        &ctx,
        Some(key),
        returned,
        form,
        FieldErrors::new(),
        true,
    )
    .await?;
    form::conflict(&page)
}

/// What an analyst typed into the status form.
#[derive(Deserialize, Default, Clone)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: i32,
}

#[derive(Template)]
#[template(path = "items/status.html")]
struct StatusPage {
    layout: Layout,
    plan: PlanHeader,
    programme_slug: String,
    programme_name: String,
    key: String,
    item_name: String,
    current: &'static str,
    current_year: String,
    returned: String,
    form: StatusForm,
    errors: FieldErrors,
    statuses: Vec<StatusChoice>,
    first_year: i32,
    last_year: i32,
    conflict: bool,
}

async fn status_page(
    layout: Layout,
    ctx: &Context,
    item: &ItemReport,
    form: StatusForm,
    errors: FieldErrors,
    conflict: bool,
) -> Result<StatusPage, AppError> {
    let p = ctx.programme();
    let (first_year, last_year) = ctx.years();
    let lang = i18n::Lang::current();
    let (status, year) = item.current();
    let returned = item
        .draft_change()
        .filter(|c| c.returned_at.is_some())
        .map(|c| {
            i18n::t2(
                "item-sent-back-by",
                "name",
                c.returned_by_name.as_deref().unwrap_or("?"),
                "comment",
                &c.review_comment,
            )
        })
        .unwrap_or_default();
    Ok(StatusPage {
        layout: layout.with_plan(&ctx.report.plan.slug),
        plan: PlanHeader::new(&ctx.report.plan),
        programme_slug: p.programme.slug.clone(),
        programme_name: lang
            .pick(&p.programme.name_zh, &p.programme.name_en)
            .to_owned(),
        key: item.item.key.clone(),
        item_name: lang.pick(&item.item.name_zh, &item.item.name_en).to_owned(),
        current: item_status(status),
        current_year: year.map(|y| y.to_string()).unwrap_or_default(),
        returned,
        form,
        errors,
        statuses: choices(),
        first_year,
        last_year,
        conflict,
    })
}

fn published_item<'a>(ctx: &'a Context, key: &str) -> Result<&'a ItemReport, AppError> {
    let item = ctx.item(key).ok_or(AppError::NotFound)?;
    if item.item.state != ObservationState::Published {
        return Err(AppError::Rejected {
            status: StatusCode::CONFLICT,
            message: i18n::t("item-error-not-published"),
        });
    }
    Ok(item)
}

async fn status_form(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, programme, key)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, &programme).await?;
    let item = published_item(&ctx, &key)?;
    let form = match item.draft_change() {
        Some(c) => StatusForm {
            status: c.status.as_str().into(),
            year: c.year.to_string(),
            note: c.note.clone(),
            version: c.version,
        },
        None => StatusForm::default(),
    };
    let page = status_page(
        Layout::new(&state, &session, Some(&user)).await?,
        &ctx,
        item,
        form,
        FieldErrors::new(),
        false,
    )
    .await?;
    form::ok(&page)
}

async fn status_save(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, programme, key)): Path<(String, String, String)>,
    CsrfForm(mut form): CsrfForm<StatusForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, &programme).await?;
    let item = published_item(&ctx, &key)?;
    let mut errors = FieldErrors::new();
    let status = parse_status(&mut errors, "status-status", &form.status);
    let year = parse_year(&mut errors, "status-year", &form.year, ctx.years());
    let note = required(&mut errors, "status-note", &form.note, REASON_MAX);
    let (Some(status), Some(year), true) = (status, year, errors.is_empty()) else {
        let page = status_page(
            Layout::new(&state, &session, Some(&user)).await?,
            &ctx,
            item,
            form,
            errors,
            false,
        )
        .await?;
        return form::refused(&page);
    };
    let mut tx = state.db.begin().await?;
    let outcome = items::save_status(
        &mut tx,
        ctx.report.plan.plan_id,
        item.item.programme_item_id,
        form.version,
        &NewStatus { status, year, note },
        &user,
    )
    .await?;
    tx.commit().await?;
    match outcome {
        StatusOutcome::Saved => Ok(Redirect::to(&format!(
            "{}?status_saved=1#item-{}",
            programme_href(&ctx),
            item.item.programme_item_id
        ))
        .into_response()),
        StatusOutcome::NoItem => Err(AppError::NotFound),
        StatusOutcome::Conflict => {
            form.version = item.draft_change().map_or(0, |c| c.version);
            let page = status_page(
                Layout::new(&state, &session, Some(&user)).await?,
                &ctx,
                item,
                form,
                FieldErrors::new(),
                true,
            )
            .await?;
            form::conflict(&page)
        }
    }
}
