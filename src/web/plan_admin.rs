//! Plan administration for admins: create a plan, edit its headings, indicators (with their
//! national averages) and programmes in the browser, and load or download a whole plan as a
//! seed file with a preview.
//!
//! Every edit changes the plan's seed file as read from the database and loads it again with
//! the seed loader, so the browser, `plantrack seed` and the uploaded files share one set of
//! rules ([`SeedFile::check`]) and one way of recording changes. A refused form comes back
//! with 422, every typed value and a message at each field; a form whose record someone else
//! changed meanwhile comes back with 409, the typed values kept beside the stored ones.

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use tower_sessions::Session;

use super::auth::{self, CheckedForm, CsrfProtected, SignedIn};
use super::entry::Pairs;
use super::extract::{Path, Query};
use super::layout::Layout;
use super::{AppError, AppState};
use crate::domain::entry::{self, NOTE_MAX, REASON_MAX, SOURCE_MAX};
use crate::domain::plan::{
    Comparator, Confidence, Direction, Nature, ObservationKind, Role, UnitKind,
};
use crate::domain::seed::{
    BaselineDef, FORMAT, GroupDef, IndicatorDef, ObservationDef, PlanDef, Problem, ProgrammeDef,
    Scope, SeedError, SeedFile, TargetDef,
};
use crate::i18n::{t, t1, t2};
use crate::store::definitions;
use crate::store::figures::Actor;
use crate::store::plans::{self, Plan};
use crate::store::seed::{self, Change, Outcome};
use crate::store::users::User;

/// The largest seed file an upload accepts.
pub const SEED_UPLOAD_LIMIT: usize = 2 << 20;
/// How long an uploaded seed file waits for its confirmation.
const SEED_UPLOAD_MINUTES: i32 = 60;
/// Longest single-line text of a definition.
const LINE_MAX: usize = 500;
/// Longest multi-line text of a definition.
const TEXT_MAX: usize = 5000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/plans", get(plan_list))
        .route("/admin/plans/new", get(new_plan_form).post(new_plan_save))
        .route("/admin/plans/uploads/{id}", get(upload_preview))
        .route("/admin/plans/uploads/{id}/confirm", post(upload_confirm))
        .route("/admin/plans/uploads/{id}/cancel", post(upload_cancel))
        .route("/admin/plans/{plan}", get(plan_page))
        .route("/admin/plans/{plan}/edit", get(plan_form).post(plan_save))
        .route(
            "/admin/plans/{plan}/{entity}/new",
            get(new_part_form).post(new_part_save),
        )
        .route(
            "/admin/plans/{plan}/{entity}/{key}",
            get(part_form).post(part_save),
        )
        .route("/plans/{plan}/seed.toml", get(seed_download))
}

/// The seed upload, which takes bodies larger than a form's.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/admin/plans/upload", post(upload))
        .layer(DefaultBodyLimit::max(SEED_UPLOAD_LIMIT + (64 << 10)))
}

fn admin(signed: &SignedIn) -> Result<&User, AppError> {
    signed.require(|r| r == Role::Admin)
}

async fn plan_by_slug(state: &AppState, slug: &str) -> Result<Plan, AppError> {
    let mut conn = state.db.acquire().await?;
    plans::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------
// The seed file download.

/// A plan's definitions and published figures as a seed file: public, since both are.
async fn seed_download(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let plan = plan_by_slug(&state, &slug).await?;
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

// ---------------------------------------------------------------------------------------
// The list of plans and the definition page of one.

pub struct PlanLink {
    pub slug: String,
    pub title: String,
    pub period: String,
    pub indicators: usize,
}

#[derive(Template)]
#[template(path = "admin/plans.html")]
struct PlansPage {
    layout: Layout,
    plans: Vec<PlanLink>,
    file_error: Option<String>,
}

async fn plans_page(
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

async fn plan_list(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let page = plans_page(&state, &session, user, None).await?;
    Ok(Html(page.render()?).into_response())
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
struct Notice {
    saved: Option<String>,
    uploaded: Option<u32>,
}

async fn plan_page(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(slug): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let plan = plan_by_slug(&state, &slug).await?;
    let layout = Layout::new(&state, &session, Some(user)).await?;
    let mut conn = state.db.acquire().await?;
    let seed = definitions::seed_file(&mut conn, &plan).await?;
    let p = &seed.plan;
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
    let groups = seed
        .groups
        .iter()
        .map(|g| PartRow {
            key: g.code.clone(),
            name: layout.pick(&g.name_zh, &g.name_en).to_owned(),
            detail: String::new(),
            edit: format!("/admin/plans/{slug}/groups/{}", g.code),
        })
        .collect();
    let indicators = seed
        .indicators
        .iter()
        .map(|i| {
            let mut detail = Vec::new();
            if let Some(b) = &i.baseline {
                detail.push(t2(
                    "admin-baseline-is",
                    "year",
                    b.year,
                    "value",
                    b.value
                        .map(|v| v.normalize().to_string())
                        .unwrap_or("—".into()),
                ));
            }
            if let Some(tg) = &i.target {
                detail.push(t2(
                    "admin-target-is",
                    "year",
                    tg.year,
                    "value",
                    format!(
                        "{}{}",
                        tg.comparator.map(|c| c.as_str()).unwrap_or(""),
                        tg.value.normalize()
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
        })
        .collect();
    let programmes = seed
        .programmes
        .iter()
        .map(|p| PartRow {
            key: p.slug.clone(),
            name: layout.pick(&p.name_zh, &p.name_en).to_owned(),
            detail: p
                .indicator
                .as_ref()
                .map(|c| t1("admin-counts-from", "indicator", c))
                .unwrap_or_default(),
            edit: format!("/admin/plans/{slug}/programmes/{}", p.slug),
        })
        .collect();
    let notice = match (notice.saved, notice.uploaded) {
        (Some(what), _) => Some(t1("admin-saved", "what", what)),
        (None, Some(n)) => Some(t1("admin-uploaded", "count", n)),
        _ => None,
    };
    let page = PlanDefinitionPage {
        title: layout.pick(&p.title_zh, &p.title_en).to_owned(),
        layout,
        slug: slug.clone(),
        facts,
        groups,
        indicators,
        programmes,
        notice,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------
// The forms: one template for every kind of definition, fields named as in the seed file.

/// Which record a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Plan,
    Group,
    Indicator,
    Programme,
}

impl Part {
    fn from_path(s: &str) -> Option<Part> {
        match s {
            "groups" => Some(Part::Group),
            "indicators" => Some(Part::Indicator),
            "programmes" => Some(Part::Programme),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Part::Plan => "edit",
            Part::Group => "groups",
            Part::Indicator => "indicators",
            Part::Programme => "programmes",
        }
    }

    /// The field holding the record's identifier.
    fn key_field(self) -> &'static str {
        match self {
            Part::Plan | Part::Programme => "slug",
            Part::Group | Part::Indicator => "code",
        }
    }

    fn scope(self, key: &str) -> Scope {
        match self {
            Part::Plan => Scope::Plan,
            Part::Group => Scope::Group(key.to_owned()),
            Part::Indicator => Scope::Indicator(key.to_owned()),
            Part::Programme => Scope::Programme(key.to_owned()),
        }
    }
}

/// What a person typed, by field name.
type Values = BTreeMap<String, String>;

/// One input of a form as the template shows it.
pub struct Field {
    pub name: String,
    pub id: String,
    pub label: String,
    /// `text`, `textarea`, `select` or `fixed` (shown, not editable: an identifier).
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// On a conflict: the value stored now, where it differs from the typed one.
    pub stored: Option<String>,
}

pub struct SummaryItem {
    pub href: String,
    pub text: String,
}

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

pub struct Reason {
    pub value: String,
    pub error: Option<String>,
}

/// A field's name as an identifier: `baseline.year` → `baseline--year`, `title_zh` → `title-zh`.
fn ident(name: &str) -> String {
    name.replace('_', "-").replace('.', "--")
}

fn field_id(name: &str) -> String {
    format!("f-{}", ident(name))
}

fn label(name: &str) -> String {
    t(&format!("admin-field-{}", ident(name)))
}

fn options_of(codes: &[&str], optional: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if optional {
        out.push((String::new(), t("admin-option-none")));
    }
    out.extend(codes.iter().map(|c| (c.to_string(), c.to_string())));
    out
}

/// Choices whose codes have words in the catalogue (`{prefix}-{code}`): the word in the reader's
/// language, then the code the seed file uses.
fn labelled_options(codes: &[&str], optional: bool, prefix: &str) -> Vec<(String, String)> {
    let lang = crate::i18n::Lang::current();
    options_of(codes, optional)
        .into_iter()
        .map(|(code, label)| {
            match crate::i18n::lookup(lang, &format!("{prefix}-{code}"))
                .filter(|_| !code.is_empty())
            {
                Some(word) => (code.clone(), format!("{word} ({code})")),
                None => (code, label),
            }
        })
        .collect()
}

const TARGET_FIELDS: [&str; 6] = [
    "target.year",
    "target.value",
    "target.comparator",
    "target.source",
    "target.confidence",
    "target.note",
];

/// One input of a form: its name, kind and choices.
type FieldSpec = (&'static str, &'static str, Vec<(String, String)>);

/// The inputs of a form for `part`, in order.
fn spec(part: Part, seed: Option<&SeedFile>, new: bool) -> Vec<FieldSpec> {
    let confidence: Vec<&str> = Confidence::ALL.iter().map(|c| c.as_str()).collect();
    let comparators: Vec<&str> = Comparator::ALL.iter().map(|c| c.as_str()).collect();
    let key_kind = if new { "text" } else { "fixed" };
    let text = |n: &'static str| (n, "text", Vec::new());
    let area = |n: &'static str| (n, "textarea", Vec::new());
    let target = |out: &mut Vec<FieldSpec>| {
        for n in TARGET_FIELDS {
            out.push(match n {
                "target.comparator" => (n, "select", options_of(&comparators, true)),
                "target.confidence" => (
                    n,
                    "select",
                    labelled_options(&confidence, true, "confidence"),
                ),
                "target.note" => (n, "textarea", Vec::new()),
                _ => (n, "text", Vec::new()),
            });
        }
    };
    match part {
        Part::Plan => vec![
            ("slug", key_kind, Vec::new()),
            text("title_zh"),
            text("title_en"),
            text("start_year"),
            text("end_year"),
            text("baseline_year"),
            text("vision_year"),
            (
                "default",
                "select",
                vec![
                    ("false".into(), t("admin-option-no")),
                    ("true".into(), t("admin-option-yes")),
                ],
            ),
            text("issuer_zh"),
            text("issuer_en"),
            text("document_number"),
            text("issued_on"),
            text("published_on"),
            area("summary_zh"),
            area("summary_en"),
            area("source"),
            (
                "confidence",
                "select",
                labelled_options(&confidence, true, "confidence"),
            ),
        ],
        Part::Group => vec![
            ("code", key_kind, Vec::new()),
            text("name_zh"),
            text("name_en"),
        ],
        Part::Indicator => {
            let groups: Vec<&str> = seed
                .map(|s| s.groups.iter().map(|g| g.code.as_str()).collect())
                .unwrap_or_default();
            let units: Vec<&str> = UnitKind::ALL.iter().map(|u| u.as_str()).collect();
            let directions: Vec<&str> = Direction::ALL.iter().map(|d| d.as_str()).collect();
            let natures: Vec<&str> = Nature::ALL.iter().map(|n| n.as_str()).collect();
            let mut out = vec![
                ("code", key_kind, Vec::new()),
                ("group", "select", options_of(&groups, false)),
                text("name_zh"),
                text("name_en"),
                ("unit", "select", options_of(&units, false)),
                text("unit_zh"),
                text("unit_en"),
                text("decimals"),
                (
                    "direction",
                    "select",
                    labelled_options(&directions, false, "direction"),
                ),
                (
                    "nature",
                    "select",
                    labelled_options(&natures, true, "nature"),
                ),
                area("definition_zh"),
                area("definition_en"),
                area("source"),
                (
                    "confidence",
                    "select",
                    labelled_options(&confidence, true, "confidence"),
                ),
                area("note"),
                text("predecessor"),
                text("baseline.year"),
                text("baseline.value"),
                text("baseline.source"),
                (
                    "baseline.confidence",
                    "select",
                    labelled_options(&confidence, true, "confidence"),
                ),
                area("baseline.note"),
            ];
            target(&mut out);
            out.push(area("national_average"));
            out
        }
        Part::Programme => {
            let indicators: Vec<&str> = seed
                .map(|s| s.indicators.iter().map(|i| i.code.as_str()).collect())
                .unwrap_or_default();
            let mut out = vec![
                ("slug", key_kind, Vec::new()),
                text("name_zh"),
                text("name_en"),
                area("description_zh"),
                area("description_en"),
                ("indicator", "select", options_of(&indicators, true)),
                text("unit_zh"),
                text("unit_en"),
            ];
            target(&mut out);
            out.push(area("source"));
            out.push((
                "confidence",
                "select",
                labelled_options(&confidence, true, "confidence"),
            ));
            out
        }
    }
}

fn put(v: &mut Values, name: &str, value: impl ToString) {
    v.insert(name.to_owned(), value.to_string());
}

fn put_opt<T: ToString>(v: &mut Values, name: &str, value: &Option<T>) {
    v.insert(
        name.to_owned(),
        value.as_ref().map(|x| x.to_string()).unwrap_or_default(),
    );
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

fn target_values(v: &mut Values, target: &Option<TargetDef>) {
    if let Some(tg) = target {
        put(v, "target.year", tg.year);
        put(v, "target.value", plain(tg.value));
        put_opt(v, "target.comparator", &tg.comparator.map(|c| c.as_str()));
        put_opt(v, "target.source", &tg.source);
        put_opt(v, "target.confidence", &tg.confidence.map(|c| c.as_str()));
        put_opt(v, "target.note", &tg.note);
    }
}

/// A national average series as typed: one line per year, `year | value | source | confidence | note`.
fn national_lines(observations: &[ObservationDef]) -> String {
    observations
        .iter()
        .filter(|o| o.kind == ObservationKind::NationalAverage)
        .map(|o| {
            let mut line = format!(
                "{} | {} | {} | {}",
                o.year,
                plain(o.value),
                o.source,
                o.confidence.as_str()
            );
            if let Some(n) = &o.note {
                line.push_str(" | ");
                line.push_str(n);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stored record as form values; `None` when there is no such record.
fn values_of(part: Part, seed: &SeedFile, key: &str) -> Option<Values> {
    let mut v = Values::new();
    match part {
        Part::Plan => {
            let p = &seed.plan;
            put(&mut v, "slug", &p.slug);
            put(&mut v, "title_zh", &p.title_zh);
            put(&mut v, "title_en", &p.title_en);
            put(&mut v, "start_year", p.start_year);
            put(&mut v, "end_year", p.end_year);
            put(&mut v, "baseline_year", p.baseline_year);
            put_opt(&mut v, "vision_year", &p.vision_year);
            put(&mut v, "default", p.default);
            put_opt(&mut v, "issuer_zh", &p.issuer_zh);
            put_opt(&mut v, "issuer_en", &p.issuer_en);
            put_opt(&mut v, "document_number", &p.document_number);
            put_opt(&mut v, "issued_on", &p.issued_on);
            put_opt(&mut v, "published_on", &p.published_on);
            put_opt(&mut v, "summary_zh", &p.summary_zh);
            put_opt(&mut v, "summary_en", &p.summary_en);
            put_opt(&mut v, "source", &p.source);
            put_opt(&mut v, "confidence", &p.confidence.map(|c| c.as_str()));
        }
        Part::Group => {
            let g = seed.groups.iter().find(|g| g.code == key)?;
            put(&mut v, "code", &g.code);
            put(&mut v, "name_zh", &g.name_zh);
            put(&mut v, "name_en", &g.name_en);
        }
        Part::Indicator => {
            let i = seed.indicator(key)?;
            put(&mut v, "code", &i.code);
            put(&mut v, "group", &i.group);
            put(&mut v, "name_zh", &i.name_zh);
            put(&mut v, "name_en", &i.name_en);
            put(&mut v, "unit", i.unit.as_str());
            put(&mut v, "unit_zh", &i.unit_zh);
            put(&mut v, "unit_en", &i.unit_en);
            put(&mut v, "decimals", i.decimals);
            put(&mut v, "direction", i.direction.as_str());
            put_opt(&mut v, "nature", &i.nature.map(|n| n.as_str()));
            put_opt(&mut v, "definition_zh", &i.definition_zh);
            put_opt(&mut v, "definition_en", &i.definition_en);
            put_opt(&mut v, "source", &i.source);
            put_opt(&mut v, "confidence", &i.confidence.map(|c| c.as_str()));
            put_opt(&mut v, "note", &i.note);
            put_opt(&mut v, "predecessor", &i.predecessor);
            if let Some(b) = &i.baseline {
                put(&mut v, "baseline.year", b.year);
                put_opt(&mut v, "baseline.value", &b.value.map(plain));
                put_opt(&mut v, "baseline.source", &b.source);
                put_opt(
                    &mut v,
                    "baseline.confidence",
                    &b.confidence.map(|c| c.as_str()),
                );
                put_opt(&mut v, "baseline.note", &b.note);
            }
            target_values(&mut v, &i.target);
            put(&mut v, "national_average", national_lines(&i.observations));
        }
        Part::Programme => {
            let p = seed.programmes.iter().find(|p| p.slug == key)?;
            put(&mut v, "slug", &p.slug);
            put(&mut v, "name_zh", &p.name_zh);
            put(&mut v, "name_en", &p.name_en);
            put_opt(&mut v, "description_zh", &p.description_zh);
            put_opt(&mut v, "description_en", &p.description_en);
            put_opt(&mut v, "indicator", &p.indicator);
            put(&mut v, "unit_zh", &p.unit_zh);
            put(&mut v, "unit_en", &p.unit_en);
            target_values(&mut v, &p.target);
            put_opt(&mut v, "source", &p.source);
            put_opt(&mut v, "confidence", &p.confidence.map(|c| c.as_str()));
        }
    }
    Some(v)
}

/// The version token of a stored record: a digest of everything the form shows of it, so any
/// change by someone else (in the browser, by an upload or a seed file) is noticed.
fn token_of(values: Option<&Values>) -> String {
    match values {
        None => "new".to_owned(),
        Some(v) => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            v.hash(&mut h);
            format!("{:016x}", h.finish())
        }
    }
}

/// Reads typed values into definitions, collecting a message for each field it cannot read.
struct Typed<'a> {
    values: &'a Values,
    errors: BTreeMap<String, String>,
}

impl<'a> Typed<'a> {
    fn raw(&self, name: &str) -> &'a str {
        self.values
            .get(name)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
    }

    fn fail(&mut self, name: &str, message: String) {
        self.errors.entry(name.to_owned()).or_insert(message);
    }

    fn opt_text(&mut self, name: &str, max: usize) -> Option<String> {
        match entry::parse_text(self.raw(name), max) {
            Ok(s) if s.is_empty() => None,
            Ok(s) => Some(s),
            Err(e) => {
                self.fail(name, e.to_string());
                None
            }
        }
    }

    fn text(&mut self, name: &str, max: usize) -> String {
        let s = self.opt_text(name, max);
        if s.is_none() && !self.errors.contains_key(name) {
            self.fail(name, t("admin-err-required"));
        }
        s.unwrap_or_default()
    }

    /// An optional value of a closed set or a number.
    fn opt_parse<T: FromStr>(&mut self, name: &str, message: &str) -> Option<T> {
        let raw = self.raw(name);
        if raw.is_empty() {
            return None;
        }
        match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(name, t(message));
                None
            }
        }
    }

    fn parse<T: FromStr>(&mut self, name: &str, message: &str) -> Option<T> {
        let v = self.opt_parse(name, message);
        if v.is_none() && !self.errors.contains_key(name) {
            self.fail(name, t("admin-err-required"));
        }
        v
    }

    fn decimal(&mut self, name: &str, unit: Option<UnitKind>, decimals: u8) -> Option<Decimal> {
        let raw = self.raw(name);
        match entry::parse_value(
            raw,
            unit.unwrap_or(UnitKind::Amount),
            u32::from(decimals.min(6)),
        ) {
            Ok(v) => v,
            Err(e) => {
                self.fail(name, e.to_string());
                None
            }
        }
    }

    fn date(&mut self, name: &str) -> Option<chrono::NaiveDate> {
        self.opt_parse::<chrono::NaiveDate>(name, "admin-err-date")
    }

    fn any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| !self.raw(n).is_empty())
    }

    fn target(&mut self, unit: Option<UnitKind>, decimals: u8) -> Option<TargetDef> {
        if !self.any(&TARGET_FIELDS) {
            return None;
        }
        let year = self.parse::<i32>("target.year", "admin-err-year");
        let value = self.decimal("target.value", unit, decimals);
        if value.is_none() && !self.errors.contains_key("target.value") {
            self.fail("target.value", t("admin-err-target-value"));
        }
        let target = TargetDef {
            year: year?,
            value: value?,
            comparator: self.opt_parse("target.comparator", "admin-err-choose"),
            source: self.opt_text("target.source", SOURCE_MAX),
            confidence: self.opt_parse("target.confidence", "admin-err-choose"),
            note: self.opt_text("target.note", NOTE_MAX),
        };
        Some(target)
    }
}

/// The typed national average series, read line by line.
fn national_average(
    typed: &mut Typed,
    unit: Option<UnitKind>,
    decimals: u8,
) -> Vec<ObservationDef> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in typed.raw("national_average").lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let year = parts.first().and_then(|y| y.parse::<i32>().ok());
        let value = parts.get(1).map(|v| {
            entry::parse_value(
                v,
                unit.unwrap_or(UnitKind::Amount),
                u32::from(decimals.min(6)),
            )
        });
        let source = parts.get(2).copied().unwrap_or("");
        let confidence = parts.get(3).and_then(|c| c.parse::<Confidence>().ok());
        match (year, value, confidence) {
            (Some(year), Some(Ok(Some(value))), Some(confidence)) if !source.is_empty() => out
                .push(ObservationDef {
                    year,
                    value,
                    kind: ObservationKind::NationalAverage,
                    source: source.to_owned(),
                    confidence,
                    note: parts
                        .get(4..)
                        .map(|rest| rest.join(" | "))
                        .filter(|s| !s.is_empty()),
                    revised_from: None,
                }),
            (_, Some(Err(e)), _) => problems.push(t2(
                "admin-err-line-value",
                "line",
                n + 1,
                "problem",
                e.to_string(),
            )),
            _ => problems.push(t1("admin-err-line", "line", n + 1)),
        }
    }
    if !problems.is_empty() {
        typed.fail("national_average", problems.join(" "));
    }
    out
}

/// What a form saves: the seed file with the record replaced or added.
fn apply_typed(
    part: Part,
    seed: &mut SeedFile,
    key: Option<&str>,
    typed: &mut Typed,
) -> Option<String> {
    match part {
        Part::Plan => {
            let def = PlanDef {
                slug: match key {
                    Some(k) => k.to_owned(),
                    None => typed.text("slug", 80),
                },
                title_zh: typed.text("title_zh", LINE_MAX),
                title_en: typed.text("title_en", LINE_MAX),
                start_year: typed.parse("start_year", "admin-err-year").unwrap_or(0),
                end_year: typed.parse("end_year", "admin-err-year").unwrap_or(0),
                baseline_year: typed.parse("baseline_year", "admin-err-year").unwrap_or(0),
                vision_year: typed.opt_parse("vision_year", "admin-err-year"),
                default: typed.raw("default") == "true",
                issuer_zh: typed.opt_text("issuer_zh", LINE_MAX),
                issuer_en: typed.opt_text("issuer_en", LINE_MAX),
                document_number: typed.opt_text("document_number", LINE_MAX),
                issued_on: typed.date("issued_on"),
                published_on: typed.date("published_on"),
                summary_zh: typed.opt_text("summary_zh", TEXT_MAX),
                summary_en: typed.opt_text("summary_en", TEXT_MAX),
                source: typed.opt_text("source", TEXT_MAX),
                confidence: typed.opt_parse("confidence", "admin-err-choose"),
            };
            let slug = def.slug.clone();
            seed.plan = def;
            Some(slug)
        }
        Part::Group => {
            let def = GroupDef {
                code: match key {
                    Some(k) => k.to_owned(),
                    None => typed.text("code", 80),
                },
                name_zh: typed.text("name_zh", LINE_MAX),
                name_en: typed.text("name_en", LINE_MAX),
            };
            let code = def.code.clone();
            match seed
                .groups
                .iter_mut()
                .find(|g| Some(g.code.as_str()) == key)
            {
                Some(g) => *g = def,
                None => seed.groups.push(def),
            }
            Some(code)
        }
        Part::Indicator => {
            let code = match key {
                Some(k) => k.to_owned(),
                None => typed.text("code", 80),
            };
            let unit: Option<UnitKind> = typed.parse("unit", "admin-err-choose");
            let decimals: u8 = typed.parse("decimals", "admin-err-decimals").unwrap_or(0);
            let baseline = if typed.any(&[
                "baseline.year",
                "baseline.value",
                "baseline.source",
                "baseline.confidence",
                "baseline.note",
            ]) {
                let year = typed.parse::<i32>("baseline.year", "admin-err-year");
                let value = typed.decimal("baseline.value", unit, decimals);
                year.map(|year| BaselineDef {
                    year,
                    value,
                    source: typed.opt_text("baseline.source", SOURCE_MAX),
                    confidence: typed.opt_parse("baseline.confidence", "admin-err-choose"),
                    note: typed.opt_text("baseline.note", NOTE_MAX),
                })
            } else {
                None
            };
            let target = typed.target(unit, decimals);
            let national = national_average(typed, unit, decimals);
            let existing = seed
                .indicators
                .iter()
                .position(|i| Some(i.code.as_str()) == key);
            // The indicator's own figures stay as they are: they are entered and reviewed
            // through the entry forms, not here.
            let mut observations: Vec<ObservationDef> = existing
                .map(|at| seed.indicators[at].observations.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|o| o.kind != ObservationKind::NationalAverage)
                .collect();
            observations.extend(national);
            let def = IndicatorDef {
                code: code.clone(),
                group: typed.text("group", 80),
                name_zh: typed.text("name_zh", LINE_MAX),
                name_en: typed.text("name_en", LINE_MAX),
                unit: unit.unwrap_or(UnitKind::Amount),
                unit_zh: typed.opt_text("unit_zh", LINE_MAX).unwrap_or_default(),
                unit_en: typed.opt_text("unit_en", LINE_MAX).unwrap_or_default(),
                decimals,
                direction: typed
                    .parse("direction", "admin-err-choose")
                    .unwrap_or(Direction::Higher),
                nature: typed.opt_parse("nature", "admin-err-choose"),
                definition_zh: typed.opt_text("definition_zh", TEXT_MAX),
                definition_en: typed.opt_text("definition_en", TEXT_MAX),
                source: typed.opt_text("source", TEXT_MAX),
                confidence: typed.opt_parse("confidence", "admin-err-choose"),
                note: typed.opt_text("note", TEXT_MAX),
                predecessor: typed.opt_text("predecessor", 170),
                baseline,
                target,
                observations,
            };
            match existing {
                Some(at) => seed.indicators[at] = def,
                None => seed.indicators.push(def),
            }
            Some(code)
        }
        Part::Programme => {
            let slug = match key {
                Some(k) => k.to_owned(),
                None => typed.text("slug", 80),
            };
            let target = typed.target(Some(UnitKind::Count), 0);
            let existing = seed
                .programmes
                .iter()
                .position(|p| Some(p.slug.as_str()) == key);
            let (counts, items, count_from_items) = existing
                .map(|at| {
                    let p = &seed.programmes[at];
                    (p.counts.clone(), p.items.clone(), p.count_from_items)
                })
                .unwrap_or_default();
            let def = ProgrammeDef {
                slug: slug.clone(),
                name_zh: typed.text("name_zh", LINE_MAX),
                name_en: typed.text("name_en", LINE_MAX),
                description_zh: typed.opt_text("description_zh", TEXT_MAX),
                description_en: typed.opt_text("description_en", TEXT_MAX),
                indicator: typed.opt_text("indicator", 80),
                unit_zh: typed.opt_text("unit_zh", LINE_MAX).unwrap_or_default(),
                unit_en: typed.opt_text("unit_en", LINE_MAX).unwrap_or_default(),
                target,
                source: typed.opt_text("source", TEXT_MAX),
                confidence: typed.opt_parse("confidence", "admin-err-choose"),
                count_from_items,
                counts,
                items,
            };
            match existing {
                Some(at) => seed.programmes[at] = def,
                None => seed.programmes.push(def),
            }
            Some(slug)
        }
    }
}

/// Everything a form page needs besides the typed values.
struct FormContext {
    part: Part,
    plan: Option<Plan>,
    seed: Option<SeedFile>,
    key: Option<String>,
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
        Ok(FormContext {
            part,
            plan,
            seed,
            key: key.map(str::to_owned),
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
        token: token_of(stored_now.or(ctx.stored().as_ref())),
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

async fn new_plan_form(
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

async fn plan_form(
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
struct NewQuery {
    predecessor: Option<String>,
}

async fn new_part_form(
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

async fn part_form(
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

async fn new_plan_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    CheckedForm(Pairs(pairs)): CheckedForm<Pairs>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    save(&state, &session, user, Part::Plan, None, None, pairs).await
}

async fn plan_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(slug): Path<String>,
    CheckedForm(Pairs(pairs)): CheckedForm<Pairs>,
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

async fn new_part_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path((slug, entity)): Path<(String, String)>,
    CheckedForm(Pairs(pairs)): CheckedForm<Pairs>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let part = Part::from_path(&entity).ok_or(AppError::NotFound)?;
    save(&state, &session, user, part, Some(&slug), None, pairs).await
}

async fn part_save(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path((slug, entity, key)): Path<(String, String, String)>,
    CheckedForm(Pairs(pairs)): CheckedForm<Pairs>,
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
        FormContext {
            part,
            plan,
            seed,
            key: key.map(str::to_owned),
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

    let changed_since = stored.is_some() && token_of(stored.as_ref()) != token;
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

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Seed file upload: preview, then confirm or cancel.

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

async fn upload(
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

async fn upload_preview(
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
struct ConfirmForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf: String,
}

impl CsrfProtected for ConfirmForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn upload_confirm(
    State(state): State<AppState>,
    signed: SignedIn,
    session: Session,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<ConfirmForm>,
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

async fn upload_cancel(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<auth::CsrfOnly>,
) -> Result<Response, AppError> {
    let user = admin(&signed)?;
    let mut conn = state.db.acquire().await?;
    definitions::drop_seed_upload(&mut conn, &id, user.app_user_id).await?;
    Ok(Redirect::to("/admin/plans").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, message};

    /// Ids built at run time (a label per field, a title per kind of record) exist in both
    /// catalogues: the catalogue test only sees ids written out in the code.
    #[test]
    fn every_message_id_built_from_a_name_exists() {
        let mut ids = vec![
            "admin-field-reason".to_owned(),
            "admin-hint-national-average".to_owned(),
            "admin-hint-predecessor".to_owned(),
            "admin-hint-decimals".to_owned(),
        ];
        for part in [Part::Plan, Part::Group, Part::Indicator, Part::Programme] {
            for (name, _, _) in spec(part, None, true) {
                ids.push(format!("admin-field-{}", ident(name)));
            }
        }
        for what in ["group", "indicator", "programme"] {
            ids.push(format!("admin-new-{what}"));
            ids.push(format!("admin-edit-{what}"));
        }
        for outcome in ["new", "changed", "amended", "unchanged", "kept"] {
            ids.push(format!("admin-outcome-{outcome}"));
        }
        for entity in [
            "plan",
            "group",
            "indicator",
            "programme",
            "item",
            "figure",
            "target",
        ] {
            ids.push(format!("admin-entity-{entity}"));
        }
        for lang in Lang::ALL {
            for id in &ids {
                assert_ne!(
                    &message(lang, id, None),
                    id,
                    "{id} missing in {}",
                    lang.key()
                );
            }
        }
    }

    #[test]
    fn the_version_token_changes_with_any_field() {
        let mut v = Values::new();
        put(&mut v, "name_en", "A");
        let before = token_of(Some(&v));
        put(&mut v, "name_en", "B");
        assert_ne!(token_of(Some(&v)), before);
        assert_eq!(token_of(None), "new");
    }
}
