//! The plan administration's pages: the list of plans, one plan's definitions, and the seed
//! file download.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::super::extract::{CurrentPlan, Query};
use super::super::form;
use super::super::layout::Layout;
use super::super::session::Admin;
use super::super::{AppError, AppState};
use crate::domain::seed::{GroupDef, IndicatorDef, PlanDef, ProgrammeDef};
use crate::i18n::{t, t1, t2};
use crate::store::definitions;
use crate::store::plans;
use crate::store::users::User;

/// A plan's definitions and published figures as a seed file: public, since both are.
pub(super) async fn seed_download(
    State(state): State<AppState>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let slug = &plan.slug;
    let mut conn = state.db.acquire().await?;
    let seed = definitions::seed_file(&mut conn, &plan).await?;
    let text = format!(
        "# {}\n# Downloaded from plantrack: the plan's definitions and published figures in the format of\n# seeds/README.md. Load it with `plantrack seed FILE` or upload it at /admin/plans.\n\n{}",
        plan.title_en,
        seed.to_toml()
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}.toml\""),
            ),
        ],
        text,
    )
        .into_response())
}

pub struct PlanLink {
    pub slug: String,
    pub title: String,
    pub period: String,
    pub indicators: usize,
}

#[derive(Template)]
#[template(path = "admin/plans.html")]
pub(super) struct PlansPage {
    layout: Layout,
    plans: Vec<PlanLink>,
    file_error: Option<String>,
}

pub(super) async fn plans_page(
    state: &AppState,
    session: &Session,
    user: &User,
    file_error: Option<String>,
) -> Result<PlansPage, AppError> {
    let layout = Layout::new(state, session, Some(user)).await?;
    let mut conn = state.db.acquire().await?;
    let mut out = Vec::new();
    for p in plans::list(&mut conn).await? {
        let indicators = plans::indicators(&mut conn, p.plan_id).await?.len();
        out.push(PlanLink {
            title: layout.pick(&p.title_zh, &p.title_en).to_owned(),
            period: format!("{}–{}", p.start_year, p.end_year),
            slug: p.slug,
            indicators,
        });
    }
    Ok(PlansPage {
        layout,
        plans: out,
        file_error,
    })
}

pub(super) async fn plan_list(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let page = plans_page(&state, &session, &user, None).await?;
    form::ok(&page)
}

pub struct PartRow {
    pub key: String,
    pub name: String,
    pub detail: String,
    pub edit: String,
}

#[derive(Template)]
#[template(path = "admin/plan.html")]
struct PlanDefinitionPage {
    layout: Layout,
    slug: String,
    title: String,
    facts: Vec<(String, String)>,
    groups: Vec<PartRow>,
    indicators: Vec<PartRow>,
    programmes: Vec<PartRow>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Notice {
    saved: Option<String>,
    uploaded: Option<u32>,
}

pub(super) async fn plan_page(
    Admin(user): Admin,
    State(state): State<AppState>,
    session: Session,
    CurrentPlan(plan): CurrentPlan,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    let mut conn = state.db.acquire().await?;
    let seed = definitions::seed_file(&mut conn, &plan).await?;
    let slug = &plan.slug;
    let notice = match (notice.saved, notice.uploaded) {
        (Some(what), _) => Some(t1("admin-saved", "what", what)),
        (None, Some(n)) => Some(t1("admin-uploaded", "count", n)),
        _ => None,
    };
    let page = PlanDefinitionPage {
        title: layout
            .pick(&seed.plan.title_zh, &seed.plan.title_en)
            .to_owned(),
        facts: facts_of(&layout, &seed.plan),
        groups: seed
            .groups
            .iter()
            .map(|g| group_row(&layout, slug, g))
            .collect(),
        indicators: seed
            .indicators
            .iter()
            .map(|i| indicator_row(&layout, slug, i))
            .collect(),
        programmes: seed
            .programmes
            .iter()
            .map(|p| programme_row(&layout, slug, p))
            .collect(),
        layout,
        slug: slug.clone(),
        notice,
    };
    form::ok(&page)
}

/// The plan's period, baseline year, and when known its publication date and document number.
fn facts_of(layout: &Layout, p: &PlanDef) -> Vec<(String, String)> {
    let mut facts = vec![
        (
            t("admin-field-period"),
            format!("{}–{}", p.start_year, p.end_year),
        ),
        (t("admin-field-baseline-year"), p.baseline_year.to_string()),
    ];
    if let Some(d) = p.published_on {
        facts.push((t("admin-field-published-on"), layout.date(&d)));
    }
    if let Some(n) = &p.document_number {
        facts.push((t("admin-field-document-number"), n.clone()));
    }
    facts
}

fn group_row(layout: &Layout, slug: &str, g: &GroupDef) -> PartRow {
    PartRow {
        key: g.code.clone(),
        name: layout.pick(&g.name_zh, &g.name_en).to_owned(),
        detail: String::new(),
        edit: format!("/admin/plans/{slug}/groups/{}", g.code),
    }
}

/// An indicator with its baseline, target and the indicator it continues.
fn indicator_row(layout: &Layout, slug: &str, i: &IndicatorDef) -> PartRow {
    let mut detail = Vec::new();
    if let Some(b) = &i.baseline {
        detail.push(t2(
            "admin-baseline-is",
            "year",
            b.year,
            "value",
            b.value.map(|v| v.to_string()).unwrap_or("—".into()),
        ));
    }
    if let Some(tg) = &i.target {
        let fields = crate::domain::target::TargetFields::from(tg.clone());
        let value = match (fields.value, fields.min, fields.max, &fields.indicator) {
            (Some(v), ..) => v.to_string(),
            (None, Some(min), Some(max), _) => format!("{min}–{max}"),
            (None, _, _, Some(code)) => code.clone(),
            _ => views_wording(tg),
        };
        detail.push(t2(
            "admin-target-is",
            "year",
            tg.year,
            "value",
            format!(
                "{} {}{}",
                fields.kind,
                fields.comparator.map(|c| c.as_str()).unwrap_or(""),
                value
            ),
        ));
    }
    if let Some(p) = &i.predecessor {
        detail.push(t1("admin-continues", "predecessor", p));
    }
    PartRow {
        key: i.code.clone(),
        name: layout.pick(&i.name_zh, &i.name_en).to_owned(),
        detail: detail.join(" · "),
        edit: format!("/admin/plans/{slug}/indicators/{}", i.code),
    }
}

fn programme_row(layout: &Layout, slug: &str, p: &ProgrammeDef) -> PartRow {
    PartRow {
        key: p.slug.clone(),
        name: layout.pick(&p.name_zh, &p.name_en).to_owned(),
        detail: p
            .indicator
            .as_ref()
            .map(|c| t1("admin-counts-from", "indicator", c))
            .unwrap_or_default(),
        edit: format!("/admin/plans/{slug}/programmes/{}", p.slug),
    }
}

/// A textual target's words, for the definitions list.
fn views_wording(tg: &crate::domain::target::Target) -> String {
    crate::web::views::target_wording(tg).unwrap_or_default()
}
