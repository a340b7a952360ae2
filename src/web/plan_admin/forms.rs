//! The definition forms: open one (empty, stored, or proposed from the indicator a new one
//! continues). Saving one is in [`super::save`], which shows the same page when it refuses.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;

use super::super::extract::{CurrentPlan, Path, Query};
use super::super::form::{self, SummaryItem};
use super::super::layout::Layout;
use super::super::session::Admin;
use super::super::{AppError, AppState};
use super::common::{Part, token_of, version_of};
use super::fields::{
    Field, INDICATOR_TARGET_FIELDS, Reason, Values, field_id, label, plain, put, spec, values_of,
};
use crate::domain::seed::SeedFile;
use crate::i18n::{t, t1, t2};
use crate::store::definitions;
use crate::store::plans::{self, Plan};
use crate::store::users::User;

#[derive(Template)]
#[template(path = "admin/definition_form.html")]
pub(super) struct FormPage {
    layout: Layout,
    title: String,
    plan_slug: Option<String>,
    action: String,
    pub(super) token: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
    conflict: bool,
    /// For a new indicator: the indicators of other plans it may continue.
    predecessors: Vec<(String, String)>,
    predecessor: String,
    reason: Reason,
}

/// The administrator a page is made for, and where.
#[derive(Clone, Copy)]
pub(super) struct Caller<'a> {
    pub(super) state: &'a AppState,
    pub(super) session: &'a Session,
    pub(super) user: &'a User,
}

/// Everything a form page needs besides the typed values.
pub(super) struct FormContext {
    pub(super) part: Part,
    plan: Option<Plan>,
    pub(super) seed: Option<SeedFile>,
    key: Option<String>,
    /// The stored record's version (none for a record not created yet).
    pub(super) version: Option<i32>,
}

impl FormContext {
    /// The form of record `key` (none for a new one) of `plan` (none for a new plan); 404 when
    /// there is no such record.
    pub(super) async fn read(
        conn: &mut sqlx::PgConnection,
        part: Part,
        plan: Option<Plan>,
        key: Option<&str>,
    ) -> Result<FormContext, AppError> {
        let seed = match &plan {
            Some(plan) => Some(definitions::seed_file(conn, plan).await?),
            None => None,
        };
        let version = version_of(conn, plan.as_ref(), part, key).await?;
        let ctx = FormContext {
            part,
            plan,
            seed,
            key: key.map(str::to_owned),
            version,
        };
        if ctx.key.is_some() && ctx.stored().is_none() {
            return Err(AppError::NotFound);
        }
        Ok(ctx)
    }

    async fn load(
        state: &AppState,
        part: Part,
        plan: Option<Plan>,
        key: Option<&str>,
    ) -> Result<FormContext, AppError> {
        let mut conn = state.db.acquire().await?;
        FormContext::read(&mut conn, part, plan, key).await
    }

    pub(super) fn stored(&self) -> Option<Values> {
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

/// What a form page shows besides its record: the values as typed (or stored), the messages,
/// and on a conflict the values stored now.
#[derive(Default)]
pub(super) struct Shown<'a> {
    pub(super) values: Values,
    pub(super) errors: BTreeMap<String, String>,
    pub(super) stored_now: Option<&'a Values>,
    pub(super) summary: Vec<SummaryItem>,
    pub(super) notice: Option<String>,
    pub(super) hints: BTreeMap<String, String>,
}

impl Shown<'_> {
    /// A form as opened: `values`, with `hints` under some fields.
    fn opened(values: Values, hints: BTreeMap<String, String>) -> Shown<'static> {
        Shown {
            values,
            hints,
            ..Shown::default()
        }
    }
}

/// The inputs of the form, with the shown values, messages and hints.
fn fields_of(ctx: &FormContext, shown: &Shown) -> Vec<Field> {
    spec(ctx.part, ctx.seed.as_ref(), ctx.key.is_none())
        .into_iter()
        .filter(|(name, _, _)| *name != "reason")
        .map(|(name, kind, mut options)| {
            let value = shown.values.get(name).cloned().unwrap_or_default();
            // A typed value that is not among the choices stays visible, to be corrected.
            if kind == "select" && !value.is_empty() && !options.iter().any(|o| o.0 == value) {
                options.push((value.clone(), value.clone()));
            }
            let stored = shown
                .stored_now
                .map(|s| s.get(name).cloned().unwrap_or_default())
                .filter(|s| s.trim() != value.trim());
            Field {
                id: field_id(name),
                label: label(name),
                name: name.to_owned(),
                kind,
                value,
                options,
                hint: shown.hints.get(name).cloned().or_else(|| {
                    matches!(name, "national_average" | "predecessor" | "decimals")
                        .then(|| t(&format!("admin-hint-{}", name.replace('_', "-"))))
                }),
                error: shown.errors.get(name).cloned(),
                stored,
            }
        })
        .collect()
}

/// For a new indicator: the indicators of the other plans it may continue.
async fn predecessors_of(
    state: &AppState,
    layout: &Layout,
    ctx: &FormContext,
) -> Result<Vec<(String, String)>, AppError> {
    if ctx.part != Part::Indicator || ctx.key.is_some() {
        return Ok(Vec::new());
    }
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
    Ok(out)
}

pub(super) async fn form_page(
    caller: Caller<'_>,
    ctx: &FormContext,
    shown: Shown<'_>,
) -> Result<FormPage, AppError> {
    let layout = Layout::new(caller.state, caller.session, Some(caller.user)).await?;
    let predecessors = predecessors_of(caller.state, &layout, ctx).await?;
    Ok(FormPage {
        layout,
        title: ctx.title(),
        plan_slug: ctx.plan.as_ref().map(|p| p.slug.clone()),
        action: ctx.action(),
        token: token_of(ctx.version),
        fields: fields_of(ctx, &shown),
        conflict: shown.stored_now.is_some(),
        predecessor: shown.values.get("predecessor").cloned().unwrap_or_default(),
        predecessors,
        reason: Reason {
            value: shown.values.get("reason").cloned().unwrap_or_default(),
            error: shown.errors.get("reason").cloned(),
        },
        summary: shown.summary,
        notice: shown.notice,
    })
}

async fn show_form(
    caller: Caller<'_>,
    ctx: FormContext,
    values: Values,
    hints: BTreeMap<String, String>,
) -> Result<Response, AppError> {
    let page = form_page(caller, &ctx, Shown::opened(values, hints)).await?;
    form::ok(&page)
}

pub(super) async fn new_plan_form(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let caller = Caller {
        state: &state,
        session: &session,
        user: &user,
    };
    let ctx = FormContext::load(&state, Part::Plan, None, None).await?;
    let mut values = Values::new();
    put(&mut values, "default", false);
    show_form(caller, ctx, values, BTreeMap::new()).await
}

pub(super) async fn plan_form(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let caller = Caller {
        state: &state,
        session: &session,
        user: &user,
    };
    let slug = plan.slug.clone();
    let ctx = FormContext::load(&state, Part::Plan, Some(plan), Some(&slug)).await?;
    let values = ctx.stored().unwrap_or_default();
    show_form(caller, ctx, values, BTreeMap::new()).await
}

#[derive(Deserialize)]
pub(super) struct NewQuery {
    predecessor: Option<String>,
}

pub(super) async fn new_part_form(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    CurrentPlan(plan): CurrentPlan,
    Path((_, entity)): Path<(String, String)>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let caller = Caller {
        state: &state,
        session: &session,
        user: &user,
    };
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    let ctx = FormContext::load(&state, part, Some(plan), None).await?;
    let mut values = Values::new();
    let mut hints = BTreeMap::new();
    if part == Part::Indicator
        && let Some(reference) = q.predecessor.filter(|p| !p.is_empty())
    {
        propose_from_predecessor(&state, &reference, &mut values, &mut hints).await?;
    }
    show_form(caller, ctx, values, hints).await
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
    .chain(
        INDICATOR_TARGET_FIELDS
            .iter()
            .filter(|f| f.starts_with("target.")),
    ) {
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
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    CurrentPlan(plan): CurrentPlan,
    Path((_, entity, key)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let caller = Caller {
        state: &state,
        session: &session,
        user: &user,
    };
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    let ctx = FormContext::load(&state, part, Some(plan), Some(&key)).await?;
    let values = ctx.stored().unwrap_or_default();
    show_form(caller, ctx, values, BTreeMap::new()).await
}
