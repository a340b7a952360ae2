//! Saving a definition form: 303 to the plan's page, 422 with every problem at its field, or
//! 409 when the record's version moved on since the form was opened.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::BTreeMap;
use tower_sessions::Session;

use super::super::extract::Path;
use super::super::form::{self, Pairs, SummaryItem};
use super::super::link::query_value;
use super::super::session::{Admin, CsrfForm};
use super::super::{AppError, AppState};
use super::common::{Part, token_of};
use super::fields::{Values, field_id, label, spec};
use super::forms::{Caller, FormContext, Shown, form_page};
use super::typed::{Typed, apply_typed};
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::seed::{FORMAT, PlanDef, Problem, SeedFile};
use crate::i18n::t;
use crate::store::definitions;
use crate::store::figures::Actor;
use crate::store::plans;
use crate::store::revision::Reason;
use crate::store::seed;
use crate::store::users::User;

/// Which record a saved form is about, from its address: the plan (none for a new plan) and
/// the record's key (none for a new record).
struct Addressed {
    part: Part,
    slug: Option<String>,
    key: Option<String>,
}

pub(super) async fn new_plan_save(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let at = Addressed {
        part: Part::Plan,
        slug: None,
        key: None,
    };
    save(&state, &session, &user, at, pairs).await
}

pub(super) async fn plan_save(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let at = Addressed {
        part: Part::Plan,
        slug: Some(slug.clone()),
        key: Some(slug),
    };
    save(&state, &session, &user, at, pairs).await
}

pub(super) async fn new_part_save(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    Path((slug, entity)): Path<(String, String)>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    let at = Addressed {
        part,
        slug: Some(slug),
        key: None,
    };
    save(&state, &session, &user, at, pairs).await
}

pub(super) async fn part_save(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    Path((slug, entity, key)): Path<(String, String, String)>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    let at = Addressed {
        part,
        slug: Some(slug),
        key: Some(key),
    };
    save(&state, &session, &user, at, pairs).await
}

/// The form a save is about, read after locking its plan so that no other save interleaves.
async fn locked(tx: &mut sqlx::PgConnection, at: &Addressed) -> Result<FormContext, AppError> {
    let plan = match &at.slug {
        Some(slug) => {
            definitions::lock_plan(tx, slug).await?;
            let plan = plans::by_slug(tx, slug).await?;
            Some(plan.ok_or(AppError::NotFound)?)
        }
        None => None,
    };
    FormContext::read(tx, at.part, plan, at.key.as_deref()).await
}

/// A sent form: the record's values, the version token it was opened with, the reason typed.
struct Sent {
    values: Values,
    token: String,
    reason: String,
}

impl Sent {
    /// The first value of each field, without the CSRF token.
    fn read(pairs: Vec<(String, String)>) -> Sent {
        let mut values = Values::new();
        for (name, value) in pairs {
            if name != "csrf" {
                values.entry(name).or_insert(value);
            }
        }
        Sent {
            token: values.remove("token").unwrap_or_default(),
            reason: values.remove("reason").unwrap_or_default(),
            values,
        }
    }
}

/// What checking a form found: messages at its fields, and lines only for the summary.
#[derive(Default)]
struct Checked {
    errors: BTreeMap<String, String>,
    summary: Vec<SummaryItem>,
}

impl Checked {
    fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.summary.is_empty()
    }
}

/// The seed file a new plan's form is read into.
fn empty_seed() -> SeedFile {
    SeedFile {
        format: FORMAT,
        plan: <PlanDef as super::typed::Record>::blank(""),
        groups: Vec::new(),
        indicators: Vec::new(),
        programmes: Vec::new(),
    }
}

/// Checks and saves one form: 303 to the plan's page, 422 with every problem at its field, or
/// 409 when the record changed since the form was opened.
async fn save(
    state: &AppState,
    session: &Session,
    user: &User,
    at: Addressed,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let sent = Sent::read(pairs);
    let mut tx = state.db.begin().await?;
    let ctx = locked(&mut tx, &at).await?;
    let stored = ctx.stored();

    let mut typed = Typed {
        values: &sent.values,
        errors: BTreeMap::new(),
    };
    let reason = match entry::parse_text(&sent.reason, REASON_MAX) {
        Ok(r) => r,
        Err(e) => {
            typed.fail("reason", e.to_string());
            String::new()
        }
    };
    let mut seed = ctx.seed.clone().unwrap_or_else(empty_seed);
    let before = seed.clone();
    let new_key =
        apply_typed(at.part, &mut seed, at.key.as_deref(), &mut typed).unwrap_or_default();
    let mut checked = Checked {
        errors: typed.errors,
        summary: Vec::new(),
    };
    if at.key.is_none() {
        check_key_free(&mut tx, at.part, &before, &new_key, &mut checked).await?;
    }
    if checked.errors.is_empty() {
        check_seed_rules(&mut tx, &at, &seed, &new_key, &mut checked).await?;
    }
    if at.part == Part::Indicator && reason.is_empty() && amends_target(&before, &seed, &new_key) {
        checked
            .errors
            .insert("reason".into(), t("admin-err-amend-reason"));
    }

    let changed_since = stored.is_some() && token_of(ctx.version) != sent.token;
    if checked.is_empty() && !changed_since {
        let actor = Actor::user(user);
        let typed = Some(Reason::Typed(&reason));
        let report = seed::apply_as(&mut tx, &seed, &actor, typed).await?;
        tx.commit().await?;
        tracing::info!(user = %user.username, plan = %seed.plan.slug, record = %new_key,
            changed = report.changed_anything(), "plan definition saved");
        let to = format!(
            "/admin/plans/{}?saved={}",
            seed.plan.slug,
            query_value(&new_key)
        );
        return Ok(Redirect::to(&to).into_response());
    }
    drop(tx);
    let caller = Caller {
        state,
        session,
        user,
    };
    refuse(caller, &ctx, sent, checked, stored.as_ref()).await
}

/// A new record's identifier must be free, and not a word of the administration's addresses.
async fn check_key_free(
    tx: &mut sqlx::PgConnection,
    part: Part,
    before: &SeedFile,
    new_key: &str,
    checked: &mut Checked,
) -> Result<(), AppError> {
    if part == Part::Plan && !new_key.is_empty() {
        definitions::lock_plan(tx, new_key).await?;
    }
    let taken = match part {
        Part::Plan => plans::by_slug(tx, new_key).await?.is_some(),
        Part::Group => before.groups.iter().any(|g| g.code == new_key),
        Part::Indicator => before.indicator(new_key).is_some(),
        Part::Programme => before.programmes.iter().any(|p| p.slug == new_key),
    };
    // Words of the administration's own addresses cannot name a plan or a record.
    let reserved = matches!(new_key, "new" | "edit" | "upload" | "uploads");
    if (taken || reserved) && !new_key.is_empty() {
        checked
            .errors
            .entry(part.key_field().to_owned())
            .or_insert_with(|| t("admin-err-taken"));
    }
    Ok(())
}

/// The seed file's own rules, the same as for files: each problem at its field when the form
/// has it, else in the summary.
async fn check_seed_rules(
    tx: &mut sqlx::PgConnection,
    at: &Addressed,
    seed: &SeedFile,
    new_key: &str,
    checked: &mut Checked,
) -> Result<(), AppError> {
    let mut problems: Vec<Problem> = seed.check();
    problems.extend(definitions::reference_problems(tx, seed).await?);
    let scope = at.part.scope(new_key);
    let fields = spec(at.part, Some(seed), at.key.is_none());
    for p in problems {
        let field = p.place.field;
        let known = fields.iter().any(|(n, _, _)| *n == field);
        if p.place.scope == scope && known {
            checked.errors.entry(field.to_owned()).or_insert(p.text);
        } else {
            checked
                .summary
                .push(SummaryItem::to("definition-form", p.text));
        }
    }
    Ok(())
}

/// Whether the form amends the target of a published plan, which needs a reason, recorded
/// with the earlier target.
fn amends_target(before: &SeedFile, seed: &SeedFile, code: &str) -> bool {
    seed.plan.published_on.is_some()
        && before
            .indicator(code)
            .and_then(|i| i.target.as_ref())
            .is_some_and(|earlier| {
                seed::amends(
                    earlier,
                    seed.indicator(code).and_then(|i| i.target.as_ref()),
                )
            })
}

/// The form again with what was typed: 422 with the messages, or 409 beside the values stored
/// now when only the version moved on.
async fn refuse(
    caller: Caller<'_>,
    ctx: &FormContext,
    sent: Sent,
    mut checked: Checked,
    stored: Option<&Values>,
) -> Result<Response, AppError> {
    for (name, message) in &checked.errors {
        checked.summary.push(SummaryItem::to(
            &field_id(name),
            crate::i18n::labelled(label(name), message),
        ));
    }
    let conflict = checked.is_empty();
    let mut values = sent.values;
    values.insert("reason".into(), sent.reason);
    let shown = Shown {
        values,
        errors: checked.errors,
        stored_now: if conflict { stored } else { None },
        summary: checked.summary,
        notice: conflict.then(|| t("admin-conflict")),
        hints: BTreeMap::new(),
    };
    let mut page = form_page(caller, ctx, shown).await?;
    if conflict {
        form::conflict(&page)
    } else {
        // The token stays the one the form was opened with: nothing was saved.
        page.token = sent.token;
        form::refused(&page)
    }
}
