//! The definition forms: open one (empty, stored, or proposed from the indicator a new one
//! continues), and save it: 303 to the plan's page, 422 with every problem at its field, or 409
//! when the record's version moved on since the form was opened.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;

use super::super::auth::{CsrfForm, SignedIn};
use super::super::extract::{Path, Query};
use super::super::layout::Layout;
use super::super::{AppError, AppState};
use super::fields::{
    Field, Reason, SummaryItem, TARGET_FIELDS, Values, field_id, label, plain, put, spec, values_of,
};
use super::typed::{Typed, apply_typed};
use super::{Part, admin, token_of, urlencode, version_of};
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::seed::{FORMAT, PlanDef, Problem, SeedFile};
use crate::i18n::{t, t1, t2};
use crate::store::definitions;
use crate::store::figures::Actor;
use crate::store::plans::{self, Plan};
use crate::store::seed;
use crate::store::users::User;
use crate::web::form::Pairs;

#[derive(Template)]
#[template(path = "admin/definition_form.html")]
struct FormPage {
    layout: Layout,
    title: String,
    plan_slug: Option<String>,
    action: String,
    token: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
    conflict: bool,
    /// For a new indicator: the indicators of other plans it may continue.
    predecessors: Vec<(String, String)>,
    predecessor: String,
    reason: Reason,
}

/// Everything a form page needs besides the typed values.
struct FormContext {
    part: Part,
    plan: Option<Plan>,
    seed: Option<SeedFile>,
    key: Option<String>,
    /// The stored record's version (none for a record not created yet).
    version: Option<i32>,
}

impl FormContext {
    async fn load(
        state: &AppState,
        part: Part,
        slug: Option<&str>,
        key: Option<&str>,
    ) -> Result<FormContext, AppError> {
        let mut conn = state.db.acquire().await?;
        let (plan, seed) = match slug {
            Some(slug) => {
                let plan = plans::by_slug(&mut conn, slug)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let seed = definitions::seed_file(&mut conn, &plan).await?;
                (Some(plan), Some(seed))
            }
            None => (None, None),
        };
        if let (Some(key), Some(seed)) = (key, &seed)
            && part != Part::Plan
            && values_of(part, seed, key).is_none()
        {
            return Err(AppError::NotFound);
        }
        let version = version_of(&mut conn, plan.as_ref(), part, key).await?;
        Ok(FormContext {
            part,
            plan,
            seed,
            key: key.map(str::to_owned),
            version,
        })
    }

    fn stored(&self) -> Option<Values> {
        let seed = self.seed.as_ref()?;
        match self.part {
            Part::Plan => values_of(Part::Plan, seed, ""),
            _ => values_of(self.part, seed, self.key.as_deref()?),
        }
    }

    fn action(&self) -> String {
        let slug = self.plan.as_ref().map(|p| p.slug.as_str());
        match (self.part, slug, &self.key) {
            (Part::Plan, None, _) => "/admin/plans/new".into(),
            (Part::Plan, Some(s), _) => format!("/admin/plans/{s}/edit"),
            (part, Some(s), Some(k)) => format!("/admin/plans/{s}/{}/{k}", part.path()),
            (part, Some(s), None) => format!("/admin/plans/{s}/{}/new", part.path()),
            (_, None, _) => "/admin/plans".into(),
        }
    }

    fn title(&self) -> String {
        let what = match self.part {
            Part::Plan => "plan",
            Part::Group => "group",
            Part::Indicator => "indicator",
            Part::Programme => "programme",
        };
        match (&self.key, self.part, &self.plan) {
            (None, Part::Plan, None) => t("admin-new-plan"),
            (None, _, _) => t(&format!("admin-new-{what}")),
            (Some(_), Part::Plan, Some(p)) => t1("admin-edit-plan", "name", &p.slug),
            (Some(k), _, _) => t1(&format!("admin-edit-{what}"), "name", k),
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    session: &Session,
    user: &User,
    ctx: &FormContext,
    values: &Values,
    errors: &BTreeMap<String, String>,
    stored_now: Option<&Values>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
    hints: BTreeMap<String, String>,
) -> Result<FormPage, AppError> {
    let layout = Layout::new(state, session, Some(user)).await?;
    let fields = spec(ctx.part, ctx.seed.as_ref(), ctx.key.is_none())
        .into_iter()
        .filter(|(name, _, _)| *name != "reason")
        .map(|(name, kind, mut options)| {
            let value = values.get(name).cloned().unwrap_or_default();
            // A typed value that is not among the choices stays visible, to be corrected.
            if kind == "select" && !value.is_empty() && !options.iter().any(|o| o.0 == value) {
                options.push((value.clone(), value.clone()));
            }
            let stored = stored_now
                .map(|s| s.get(name).cloned().unwrap_or_default())
                .filter(|s| s.trim() != value.trim());
            Field {
                id: field_id(name),
                label: label(name),
                name: name.to_owned(),
                kind,
                value,
                options,
                hint: hints.get(name).cloned().or_else(|| {
                    matches!(name, "national_average" | "predecessor" | "decimals")
                        .then(|| t(&format!("admin-hint-{}", name.replace('_', "-"))))
                }),
                error: errors.get(name).cloned(),
                stored,
            }
        })
        .collect();
    let predecessors = if ctx.part == Part::Indicator && ctx.key.is_none() {
        let mut conn = state.db.acquire().await?;
        let own = ctx.plan.as_ref().map(|p| p.plan_id).unwrap_or_default();
        let mut out = Vec::new();
        for p in plans::list(&mut conn).await? {
            if p.plan_id == own {
                continue;
            }
            for i in plans::indicators(&mut conn, p.plan_id).await? {
                out.push((
                    format!("{}/{}", p.slug, i.code),
                    format!(
                        "{} — {}",
                        layout.pick(&p.title_zh, &p.title_en),
                        layout.pick(&i.name_zh, &i.name_en)
                    ),
                ));
            }
        }
        out
    } else {
        Vec::new()
    };
    Ok(FormPage {
        layout,
        title: ctx.title(),
        plan_slug: ctx.plan.as_ref().map(|p| p.slug.clone()),
        action: ctx.action(),
        token: token_of(ctx.version),
        fields,
        summary,
        notice,
        conflict: stored_now.is_some(),
        predecessor: values.get("predecessor").cloned().unwrap_or_default(),
        predecessors,
        reason: Reason {
            value: values.get("reason").cloned().unwrap_or_default(),
            error: errors.get("reason").cloned(),
        },
    })
}

async fn show_form(
    state: &AppState,
    session: &Session,
    user: &User,
    ctx: FormContext,
    values: Values,
    hints: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let page = form_page(
        state,
        session,
        user,
        &ctx,
        &values,
        &BTreeMap::new(),
        None,
        Vec::new(),
        None,
        hints,
    )
    .await?;
    Ok(Html(page.render()?).into_response())
}

pub(super) async fn new_plan_form(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let ctx = FormContext::load(&state, Part::Plan, None, None).await?;
    let mut values = Values::new();
    put(&mut values, "default", false);
    show_form(&state, &session, user, ctx, values, BTreeMap::new()).await
}

pub(super) async fn plan_form(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let ctx = FormContext::load(&state, Part::Plan, Some(&slug), Some(&slug)).await?;
    let values = ctx.stored().unwrap_or_default();
    show_form(&state, &session, user, ctx, values, BTreeMap::new()).await
}

#[derive(Deserialize)]
pub(super) struct NewQuery {
    predecessor: Option<String>,
}

pub(super) async fn new_part_form(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path((slug, entity)): Path<(String, String)>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    let ctx = FormContext::load(&state, part, Some(&slug), None).await?;
    let mut values = Values::new();
    let mut hints = BTreeMap::new();
    if part == Part::Indicator
        && let Some(reference) = q.predecessor.filter(|p| !p.is_empty())
    {
        propose_from_predecessor(&state, &reference, &mut values, &mut hints).await?;
    }
    show_form(&state, &session, user, ctx, values, hints).await
}

/// Fills a new indicator's form from the indicator it continues: its definition, and as
/// baseline that indicator's latest published value, with a note saying so.
async fn propose_from_predecessor(
    state: &AppState,
    reference: &str,
    values: &mut Values,
    hints: &mut BTreeMap<String, String>,
) -> Result<(), AppError> {
    let Some((plan_slug, code)) = reference.split_once('/') else {
        return Ok(());
    };
    let mut conn = state.db.acquire().await?;
    let Some(plan) = plans::by_slug(&mut conn, plan_slug).await? else {
        return Ok(());
    };
    let seed = definitions::seed_file(&mut conn, &plan).await?;
    let Some(mut proposed) = values_of(Part::Indicator, &seed, code) else {
        return Ok(());
    };
    // The definition carries over; the baseline, target, figures and heading are the new plan's.
    for name in [
        "group",
        "baseline.year",
        "baseline.value",
        "baseline.source",
        "baseline.confidence",
        "baseline.note",
        "national_average",
    ]
    .iter()
    .chain(TARGET_FIELDS.iter())
    {
        proposed.remove(*name);
    }
    put(&mut proposed, "predecessor", reference);
    if let Some(latest) = definitions::latest_published(&mut conn, reference).await? {
        put(&mut proposed, "baseline.year", latest.year);
        put(&mut proposed, "baseline.value", plain(latest.value));
        put(&mut proposed, "baseline.source", &latest.source);
        let note = t2(
            "admin-proposed-baseline-note",
            "indicator",
            format!("{} ({})", latest.name_en, latest.plan_title_en),
            "year",
            latest.year,
        );
        put(&mut proposed, "baseline.note", &note);
        hints.insert("baseline.value".into(), note);
    } else {
        hints.insert("baseline.value".into(), t("admin-proposed-baseline-none"));
    }
    *values = proposed;
    Ok(())
}

pub(super) async fn part_form(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path((slug, entity, key)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    let ctx = FormContext::load(&state, part, Some(&slug), Some(&key)).await?;
    let values = ctx.stored().unwrap_or_default();
    show_form(&state, &session, user, ctx, values, BTreeMap::new()).await
}

pub(super) async fn new_plan_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    save(&state, &session, user, Part::Plan, None, None, pairs).await
}

pub(super) async fn plan_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    save(
        &state,
        &session,
        user,
        Part::Plan,
        Some(&slug),
        Some(&slug),
        pairs,
    )
    .await
}

pub(super) async fn new_part_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path((slug, entity)): Path<(String, String)>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    save(&state, &session, user, part, Some(&slug), None, pairs).await
}

pub(super) async fn part_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path((slug, entity, key)): Path<(String, String, String)>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    save(&state, &session, user, part, Some(&slug), Some(&key), pairs).await
}

/// Checks and saves one form: 303 to the plan's page, 422 with every problem at its field, or
/// 409 when the record changed since the form was opened.
#[allow(clippy::too_many_arguments)]
async fn save(
    state: &AppState,
    session: &Session,
    user: &User,
    part: Part,
    slug: Option<&str>,
    key: Option<&str>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut values = Values::new();
    for (name, value) in pairs {
        if name != "csrf" {
            values.entry(name).or_insert(value);
        }
    }
    let token = values.remove("token").unwrap_or_default();
    let reason_typed = values.remove("reason").unwrap_or_default();

    let mut tx = state.db.begin().await?;
    if let Some(slug) = slug {
        definitions::lock_plan(&mut tx, slug).await?;
    }
    let ctx = {
        let (plan, seed) = match slug {
            Some(slug) => {
                let plan = plans::by_slug(&mut tx, slug)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let seed = definitions::seed_file(&mut tx, &plan).await?;
                (Some(plan), Some(seed))
            }
            None => (None, None),
        };
        let version = version_of(&mut tx, plan.as_ref(), part, key).await?;
        FormContext {
            part,
            plan,
            seed,
            key: key.map(str::to_owned),
            version,
        }
    };
    let stored = ctx.stored();
    if key.is_some() && stored.is_none() {
        return Err(AppError::NotFound);
    }

    let mut typed = Typed {
        values: &values,
        errors: BTreeMap::new(),
    };
    let reason = match entry::parse_text(&reason_typed, REASON_MAX) {
        Ok(r) => r,
        Err(e) => {
            typed.fail("reason", e.to_string());
            String::new()
        }
    };
    let mut seed = ctx.seed.clone().unwrap_or_else(|| SeedFile {
        format: FORMAT,
        plan: PlanDef {
            slug: String::new(),
            title_zh: String::new(),
            title_en: String::new(),
            start_year: 0,
            end_year: 0,
            baseline_year: 0,
            vision_year: None,
            default: false,
            issuer_zh: None,
            issuer_en: None,
            document_number: None,
            issued_on: None,
            published_on: None,
            summary_zh: None,
            summary_en: None,
            source: None,
            confidence: None,
        },
        groups: Vec::new(),
        indicators: Vec::new(),
        programmes: Vec::new(),
    });
    let before = seed.clone();
    let new_key = apply_typed(part, &mut seed, key, &mut typed).unwrap_or_default();
    let mut errors = typed.errors;

    // A new record's identifier must be free.
    if key.is_none() {
        if part == Part::Plan && !new_key.is_empty() {
            definitions::lock_plan(&mut tx, &new_key).await?;
        }
        let taken = match part {
            Part::Plan => plans::by_slug(&mut tx, &new_key).await?.is_some(),
            Part::Group => before.groups.iter().any(|g| g.code == new_key),
            Part::Indicator => before.indicator(&new_key).is_some(),
            Part::Programme => before.programmes.iter().any(|p| p.slug == new_key),
        };
        // Words of the administration's own addresses cannot name a plan or a record.
        let reserved = matches!(new_key.as_str(), "new" | "edit" | "upload" | "uploads");
        if (taken || reserved) && !new_key.is_empty() {
            errors
                .entry(part.key_field().to_owned())
                .or_insert_with(|| t("admin-err-taken"));
        }
    }

    // The seed file's own rules, the same as for files, each at its field.
    let mut summary = Vec::new();
    if errors.is_empty() {
        let mut problems: Vec<Problem> = seed.check();
        problems.extend(definitions::reference_problems(&mut tx, &seed).await?);
        let scope = part.scope(&new_key);
        for p in problems {
            let field = p.place.field;
            let known = spec(part, Some(&seed), key.is_none())
                .iter()
                .any(|(n, _, _)| *n == field);
            if p.place.scope == scope && known {
                errors.entry(field.to_owned()).or_insert(p.text);
            } else {
                summary.push(SummaryItem {
                    href: "#definition-form".into(),
                    text: p.text,
                });
            }
        }
    }

    // Amending the target of a published plan needs a reason, recorded with the earlier target.
    if part == Part::Indicator
        && seed.plan.published_on.is_some()
        && reason.is_empty()
        && let Some(earlier) = before.indicator(&new_key).and_then(|i| i.target.as_ref())
        && seed::amends(
            earlier,
            seed.indicator(&new_key).and_then(|i| i.target.as_ref()),
        )
    {
        errors.insert("reason".into(), t("admin-err-amend-reason"));
    }

    let changed_since = stored.is_some() && token_of(ctx.version) != token;
    if errors.is_empty() && summary.is_empty() && !changed_since {
        let actor = Actor::user(user);
        let reason_opt = (!reason.is_empty()).then_some(reason.as_str());
        let report = seed::apply_as(&mut tx, &seed, &actor, reason_opt).await?;
        tx.commit().await?;
        tracing::info!(user = %user.username, plan = %seed.plan.slug, record = %new_key,
            changed = report.changed_anything(), "plan definition saved");
        return Ok(Redirect::to(&format!(
            "/admin/plans/{}?saved={}",
            seed.plan.slug,
            urlencode(&new_key)
        ))
        .into_response());
    }
    drop(tx);

    for (name, message) in &errors {
        summary.push(SummaryItem {
            href: format!("#{}", field_id(name)),
            text: format!("{}: {message}", label(name)),
        });
    }
    let (status, notice, stored_now) = if errors.is_empty() && summary.is_empty() {
        (
            StatusCode::CONFLICT,
            Some(t("admin-conflict")),
            stored.as_ref(),
        )
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, None, None)
    };
    let mut shown = values.clone();
    shown.insert("reason".into(), reason_typed);
    let mut page = form_page(
        state,
        session,
        user,
        &ctx,
        &shown,
        &errors,
        stored_now,
        summary,
        notice,
        BTreeMap::new(),
    )
    .await?;
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        // The token stays the one the form was opened with: nothing was saved.
        page.token = token;
    }
    Ok((status, Html(page.render()?)).into_response())
}
