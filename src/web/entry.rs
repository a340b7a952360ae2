//! Entering figures: the annual update form (a row per indicator and programme count) and the
//! revision of one figure. Everything typed is checked first; a refused form comes back with
//! every value in place and nothing saved; a figure someone else changed meanwhile is shown
//! beside what the person typed, never overwritten.

use crate::domain::plausibility::{self, Expected};
use crate::domain::target::Measure;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use tower_sessions::Session;

use super::extract::{CurrentPlan, Path, Query};
use super::form::{self, Pairs, SummaryItem};
use super::layout::Layout;
use super::session::{Analyst, Contributor, CsrfForm};
use super::views::{self, PlanHeader};
use super::{AppError, AppState, format};
use crate::domain::entry::{self, COMMENTARY_MAX, NOTE_MAX, REASON_MAX, SOURCE_MAX};
use crate::domain::plan::{ObservationKind, ObservationState, UnitKind};
use crate::i18n::{self, Lang};
use crate::mail::Notice;
use crate::report::PlanReport;
use crate::store::figures::{self, Figure, NewFigure, Owner, SaveOutcome, Stored};
use crate::store::plans::{Plan, Visibility};
use crate::store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/entry", get(entry_default))
        .route(
            "/plans/{plan}/entry/{year}",
            get(entry_form).post(entry_save),
        )
        .route(
            "/plans/{plan}/indicators/{code}/revise/{year}",
            get(revise_form).post(revise_save),
        )
}

/// Something whose yearly figure can be entered.
struct Target {
    owner: Owner,
    key: String,
    name_en: String,
    name_zh: String,
    group: String,
    unit: UnitKind,
    measure: Measure,
    unit_label: String,
    decimals: u32,
    /// The published value of the year before, as the pages write it, with its year.
    last_year: String,
    /// The target in force, as the pages word it; empty when there is none.
    target: String,
    /// What a value is expected near: a value far from it is questioned, not refused.
    expected: Expected,
}

impl Target {
    /// The name in the reader's language.
    fn name(&self) -> &str {
        Lang::current().pick(&self.name_zh, &self.name_en)
    }
}

/// What the year before `year` published: "Published for 2024: 2.57 %".
fn last_year_text(year: i32, value: Option<String>) -> String {
    i18n::t2(
        "entry-last-year",
        "year",
        year - 1,
        "value",
        value.unwrap_or_else(|| i18n::t("entry-none")),
    )
}

/// Every indicator, heading by heading, then every programme that keeps its own counts, each
/// with the published value of the year before `year` and its target.
fn targets(report: &PlanReport, year: i32) -> Vec<Target> {
    let mut out: Vec<Target> = report
        .groups
        .iter()
        .flat_map(|g| {
            g.indicators.iter().map(|r| {
                let i = &r.indicator;
                Target {
                    owner: Owner::Indicator(i.indicator_id),
                    key: format!("i{}", i.indicator_id),
                    name_en: i.name_en.clone(),
                    name_zh: i.name_zh.clone(),
                    group: Lang::current()
                        .pick(&g.group.name_zh, &g.group.name_en)
                        .to_owned(),
                    unit: i.unit,
                    measure: i.measure,
                    unit_label: if i.unit == UnitKind::Percent {
                        "%".into()
                    } else {
                        Lang::current().pick(&i.unit_zh, &i.unit_en).to_owned()
                    },
                    decimals: u32::from(i.decimals),
                    last_year: last_year_text(
                        year,
                        r.published(ObservationKind::Actual)
                            .find(|o| o.year == year - 1)
                            .map(|o| views::value_text(i, &o.value)),
                    ),
                    target: i
                        .target
                        .as_ref()
                        .map(|_| {
                            let text = views::plan_target_text(report, i, views::value_text);
                            i18n::t1("entry-target", "target", text)
                        })
                        .unwrap_or_default(),
                    expected: Expected {
                        previous: r
                            .published(ObservationKind::Actual)
                            .rfind(|o| o.year < year)
                            .map(|o| (o.year, o.value)),
                        min: i.plausible_min,
                        max: i.plausible_max,
                        measure: i.measure,
                    },
                }
            })
        })
        .collect();
    out.extend(
        report
            .programmes
            .iter()
            .filter(|p| p.indicator_code.is_none() && p.derived.is_none())
            .map(|r| {
                let p = &r.programme;
                let unit_label = Lang::current().pick(&p.unit_zh, &p.unit_en).to_owned();
                let last = r
                    .counts
                    .iter()
                    .find(|o| {
                        o.year == year - 1
                            && o.kind == ObservationKind::Actual
                            && o.state == ObservationState::Published
                    })
                    .map(|o| {
                        format::with_unit(&format::decimal(o.value), UnitKind::Count, &unit_label)
                    });
                Target {
                    owner: Owner::Programme(p.programme_id),
                    key: format!("p{}", p.programme_id),
                    name_en: i18n::t1("entry-programme-count", "name", &p.name_en),
                    name_zh: i18n::t1("entry-programme-count", "name", &p.name_zh),
                    group: i18n::t("entry-programme-counts"),
                    unit: UnitKind::Count,
                    measure: Measure::Level,
                    unit_label,
                    decimals: 0,
                    last_year: last_year_text(year, last),
                    target: String::new(),
                    expected: Expected {
                        previous: r
                            .counts
                            .iter()
                            .filter(|o| {
                                o.state == ObservationState::Published
                                    && o.kind == ObservationKind::Actual
                                    && o.year < year
                            })
                            .max_by_key(|o| o.year)
                            .map(|o| (o.year, o.value)),
                        ..Expected::default()
                    },
                }
            }),
    );
    out
}

/// What a person typed in one row.
#[derive(Debug, Clone, Default)]
struct Typed {
    value: String,
    source: String,
    note: String,
    commentary: String,
    token: String,
    /// Why a published figure is revised (the yearly form asks it row by row).
    reason: String,
    /// The published figure's note is kept with the new value on purpose.
    keep_note: bool,
    /// "I checked this value": saved despite a plausibility warning.
    checked: bool,
}

#[derive(Default)]
struct RowErrors {
    /// The value raised a plausibility warning that was not confirmed: the row asks for it.
    warned: bool,
    value: Option<String>,
    source: Option<String>,
    note: Option<String>,
    commentary: Option<String>,
    reason: Option<String>,
}

impl RowErrors {
    fn any(&self) -> bool {
        self.value.is_some()
            || self.source.is_some()
            || self.note.is_some()
            || self.commentary.is_some()
    }
}

pub struct ConflictView {
    pub stored: String,
    pub by: String,
}

/// One row of the form as the template shows it.
pub struct RowView {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit_label: String,
    pub current: String,
    /// `none`, `draft`, `sent-back` or `published`.
    pub state: &'static str,
    pub state_label: String,
    pub history: String,
    pub returned: String,
    pub value: String,
    pub source: String,
    pub note: String,
    pub commentary: String,
    pub token: String,
    pub value_error: Option<String>,
    pub source_error: Option<String>,
    pub note_error: Option<String>,
    pub commentary_error: Option<String>,
    pub conflict: Option<ConflictView>,
    /// "Published for 2024: 2.57 %".
    pub last_year: String,
    /// "Target: ≥ 2.6 % by 2025", or empty.
    pub target: String,
    /// The row revises a published figure: the yearly form asks why.
    pub reason_asked: bool,
    pub reason: String,
    pub reason_error: Option<String>,
    /// The published figure's note, shown apart and not carried to a new value unless kept.
    pub old_note: String,
    pub keep_note: bool,
    /// The value was questioned: the row shows "I checked this value".
    pub ask_checked: bool,
    pub checked: bool,
}

impl RowView {
    fn new(t: &Target, figure: &Figure, typed: Option<&Typed>, errors: RowErrors) -> RowView {
        let current = figure.current();
        let state = match (&figure.draft, &figure.published) {
            (Some(d), _) if d.returned_at.is_some() => "sent-back",
            (Some(_), _) => "draft",
            (None, Some(_)) => "published",
            (None, None) => "none",
        };
        let fallback = Typed {
            value: current.map(|c| plain(c.value)).unwrap_or_default(),
            source: current.map(|c| c.source.clone()).unwrap_or_default(),
            note: current.map(|c| c.note.clone()).unwrap_or_default(),
            commentary: current.map(|c| c.commentary.clone()).unwrap_or_default(),
            token: figure.token(),
            ..Typed::default()
        };
        let typed = typed.unwrap_or(&fallback);
        RowView {
            key: t.key.clone(),
            name_en: t.name_en.clone(),
            name_zh: t.name_zh.clone(),
            unit_label: t.unit_label.clone(),
            current: current
                .map(|c| format::decimal(c.value))
                .unwrap_or_else(|| "—".into()),
            state,
            state_label: i18n::t(&format!("entry-state-{state}")),
            history: current.map(who_when).unwrap_or_default(),
            returned: figure
                .draft
                .as_ref()
                .filter(|d| d.returned_at.is_some())
                .map(|d| {
                    i18n::t2(
                        "entry-sent-back-by",
                        "who",
                        d.returned_by_name
                            .clone()
                            .unwrap_or_else(|| i18n::t("entry-an-official")),
                        "comment",
                        &d.review_comment,
                    )
                })
                .unwrap_or_default(),
            value: typed.value.clone(),
            source: typed.source.clone(),
            note: typed.note.clone(),
            commentary: typed.commentary.clone(),
            token: typed.token.clone(),
            value_error: errors.value,
            source_error: errors.source,
            note_error: errors.note,
            commentary_error: errors.commentary,
            conflict: None,
            last_year: t.last_year.clone(),
            target: t.target.clone(),
            reason_asked: false,
            reason: typed.reason.clone(),
            reason_error: errors.reason,
            old_note: String::new(),
            keep_note: typed.keep_note,
            ask_checked: errors.warned || typed.checked,
            checked: typed.checked,
        }
    }

    /// A row of the yearly form: a published figure asks for a reason, and its note is shown
    /// apart from the note field (which starts empty) so that it is not carried to a new value
    /// unnoticed.
    fn in_year_form(
        t: &Target,
        figure: &Figure,
        typed: Option<&Typed>,
        errors: RowErrors,
    ) -> RowView {
        let mut row = RowView::new(t, figure, typed, errors);
        row.reason_asked = figure.published.is_some();
        if let Some(old) = carried_note(figure) {
            old.clone_into(&mut row.old_note);
            if typed.is_none() {
                row.note.clear();
            }
        }
        row
    }

    fn with_conflict(mut self, figure: &Figure) -> RowView {
        let stored = figure.current();
        self.conflict = Some(ConflictView {
            stored: stored
                .map(|c| format::decimal(c.value))
                .unwrap_or_else(|| i18n::t("entry-no-figure")),
            by: stored.map(who_when).unwrap_or_default(),
        });
        // Submitting again now means "keep my value" over the one shown.
        self.token = figure.token();
        self.current = stored
            .map(|c| format::decimal(c.value))
            .unwrap_or_else(|| "—".into());
        self
    }
}

/// The note of a published figure with no draft over it: the yearly form shows it apart, and
/// saves it with a new value only when the analyst keeps it.
fn carried_note(figure: &Figure) -> Option<&str> {
    match (&figure.draft, &figure.published) {
        (None, Some(p)) if !p.note.is_empty() => Some(&p.note),
        _ => None,
    }
}

/// The message at the reason of a figure: a reason that cannot be taken, or none given when a
/// published figure is being changed (`changes`).
fn reason_error(
    figure: &Figure,
    reason: &Result<String, entry::TextInputError>,
    changes: bool,
) -> Option<String> {
    match reason {
        Err(e) => Some(e.to_string()),
        Ok(r) if r.is_empty() && changes && figure.published.is_some() => {
            Some(i18n::t("entry-reason-needed"))
        }
        Ok(_) => None,
    }
}

/// A value as typed back into a form: its digits, no grouping.
fn plain(v: Decimal) -> String {
    v.to_string()
}

fn who_when(s: &Stored) -> String {
    let who = s
        .entered_by_name
        .clone()
        .unwrap_or_else(|| i18n::t("entry-seed-file"));
    i18n::t2(
        "entry-entered-by",
        "who",
        who,
        "when",
        crate::i18n::time(&s.entered_at),
    )
}

pub struct RowGroup {
    pub name: String,
    pub rows: Vec<RowView>,
}

#[derive(Template)]
#[template(path = "entry/form.html")]
struct EntryPage {
    layout: Layout,
    plan: PlanHeader,
    year: i32,
    years: Vec<i32>,
    groups: Vec<RowGroup>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
    conflicts: usize,
}

fn group_rows(rows: Vec<(String, RowView)>) -> Vec<RowGroup> {
    let mut groups: Vec<RowGroup> = Vec::new();
    for (group, row) in rows {
        match groups.last_mut() {
            Some(g) if g.name == group => g.rows.push(row),
            _ => groups.push(RowGroup {
                name: group,
                rows: vec![row],
            }),
        }
    }
    groups
}

struct Context {
    plan: Plan,
    report: PlanReport,
    year: i32,
}

/// The plan's report for a figure form of `year`; 404 when the plan has no such year.
async fn context(state: &AppState, plan: Plan, year: i32) -> Result<Context, AppError> {
    if !(plan.baseline_year..=plan.end_year).contains(&year) {
        return Err(AppError::Rejected {
            status: StatusCode::NOT_FOUND,
            message: format!(
                "{} {}",
                i18n::t1("entry-year-outside", "year", year),
                i18n::t2(
                    "entry-choose-year",
                    "from",
                    plan.baseline_year,
                    "to",
                    plan.end_year
                )
            ),
        });
    }
    let mut conn = state.db.acquire().await?;
    let report = PlanReport::load(&mut conn, plan.clone(), Visibility::WithDrafts).await?;
    Ok(Context { plan, report, year })
}

/// The year an analyst most likely comes for: the last finished year within the plan.
async fn entry_default(Analyst(_): Analyst, CurrentPlan(plan): CurrentPlan) -> Response {
    let last_finished = chrono::Datelike::year(&chrono::Utc::now()) - 1;
    let year = last_finished.clamp(plan.baseline_year, plan.end_year);
    Redirect::to(&format!("/plans/{}/entry/{year}", plan.slug)).into_response()
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<usize>,
}

async fn entry_form(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, year)): Path<(String, i32)>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, year).await?;
    let mut conn = state.db.acquire().await?;
    let figures = figures::for_year(&mut conn, ctx.plan.plan_id, year).await?;
    drop(conn);
    let rows = targets(&ctx.report, year)
        .iter()
        .map(|t| {
            let figure = figures.get(&t.owner).cloned().unwrap_or_default();
            (
                t.group.clone(),
                RowView::in_year_form(t, &figure, None, RowErrors::default()),
            )
        })
        .collect();
    let shown = Shown {
        rows,
        notice: saved.saved.map(|n| i18n::t1("entry-saved", "count", n)),
        ..Shown::default()
    };
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    form::ok(&EntryPage::new(layout, &ctx, shown))
}

/// What the annual form shows besides the plan and the year.
#[derive(Default)]
struct Shown {
    rows: Vec<(String, RowView)>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
    conflicts: usize,
}

impl EntryPage {
    fn new(layout: Layout, ctx: &Context, shown: Shown) -> EntryPage {
        EntryPage {
            layout: layout.with_plan(&ctx.plan.slug),
            plan: PlanHeader::new(&ctx.plan),
            year: ctx.year,
            years: (ctx.plan.baseline_year..=ctx.plan.end_year).collect(),
            groups: group_rows(shown.rows),
            summary: shown.summary,
            notice: shown.notice,
            conflicts: shown.conflicts,
        }
    }
}

/// A row that passed every check and differs from what is stored.
struct Change {
    index: usize,
    figure: NewFigure,
    token: String,
    reason: String,
}

/// Checks one row; `Ok(None)` when it changes nothing. `carried`: the published note the form
/// showed apart ([`carried_note`]); it stays with the same value, and goes with a new value
/// only when kept on purpose (an empty note field and "keep this note").
fn check_row(
    t: &Target,
    typed: &Typed,
    current: Option<&Stored>,
    carried: Option<&str>,
) -> Result<Option<NewFigure>, Box<RowErrors>> {
    let mut errors = Box::<RowErrors>::default();
    let value = match entry::parse_value(&typed.value, t.unit, t.measure, t.decimals) {
        Ok(v) => v,
        Err(e) => {
            errors.value = Some(e.to_string());
            None
        }
    };
    let source = entry::parse_text(&typed.source, SOURCE_MAX).unwrap_or_else(|e| {
        errors.source = Some(e.to_string());
        String::new()
    });
    let note = entry::parse_text(&typed.note, NOTE_MAX).unwrap_or_else(|e| {
        errors.note = Some(e.to_string());
        String::new()
    });
    let commentary = entry::parse_text(&typed.commentary, COMMENTARY_MAX).unwrap_or_else(|e| {
        errors.commentary = Some(e.to_string());
        String::new()
    });
    if errors.any() {
        return Err(errors);
    }
    let Some(value) = value else {
        if current.is_some() {
            errors.value = Some(i18n::t("entry-cannot-remove"));
            return Err(errors);
        }
        if !source.is_empty() || !note.is_empty() || !commentary.is_empty() {
            errors.value = Some(i18n::t("entry-value-for-source"));
            return Err(errors);
        }
        return Ok(None);
    };
    let note = match carried {
        Some(old)
            if note.is_empty()
                && (typed.keep_note || current.is_some_and(|c| c.value == value)) =>
        {
            old.to_owned()
        }
        _ => note,
    };
    // A value far from what is expected is saved only once the analyst confirms it; a value
    // already stored was confirmed when it was entered.
    let warnings = if current.is_some_and(|c| c.value == value) {
        Vec::new()
    } else {
        plausibility::check(value, &t.expected)
    };
    if !warnings.is_empty() && !typed.checked {
        errors.warned = true;
        errors.value = Some(i18n::t1(
            "plausible-check",
            "warning",
            plausibility::messages(&warnings),
        ));
        return Err(errors);
    }
    let new = NewFigure {
        value,
        source,
        note,
        commentary,
        checked: !warnings.is_empty(),
    };
    if current.is_some_and(|c| new.same_as(c)) {
        return Ok(None);
    }
    if new.source.is_empty() {
        errors.source = Some(i18n::t("entry-source-needed"));
        return Err(errors);
    }
    Ok(Some(new))
}

/// What the annual form sent, row by row, and the names it should not have sent.
struct Sent {
    typed: HashMap<String, Typed>,
    summary: Vec<SummaryItem>,
}

impl Sent {
    fn read(pairs: Vec<(String, String)>, targets: &[Target]) -> Sent {
        let mut typed: HashMap<String, Typed> = HashMap::new();
        let mut unknown = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut repeated = Vec::new();
        for (name, value) in pairs {
            if !seen.insert(name.clone()) {
                repeated.push(name);
                continue;
            }
            let Some((field, key)) = name.split_once('.') else {
                continue;
            };
            if !targets.iter().any(|t| t.key == key) {
                unknown.push(key.to_owned());
                continue;
            }
            let row = typed.entry(key.to_owned()).or_default();
            match field {
                "value" => row.value = value,
                "source" => row.source = value,
                "note" => row.note = value,
                "commentary" => row.commentary = value,
                "token" => row.token = value,
                "reason" => row.reason = value,
                "keep_note" => row.keep_note = !value.is_empty(),
                "checked" => row.checked = !value.is_empty(),
                _ => {}
            }
        }
        let summary = unknown
            .iter()
            .map(|k| SummaryItem::to("entry-form", i18n::t1("entry-unknown-figure", "key", k)))
            .chain(repeated.iter().map(|name| {
                SummaryItem::to("entry-form", i18n::t1("entry-field-twice", "name", name))
            }))
            .collect();
        Sent { typed, summary }
    }
}

/// Every row checked: the rows to show again, the changes to save and what was refused.
struct Checked {
    rows: Vec<(String, RowView)>,
    changes: Vec<Change>,
    summary: Vec<SummaryItem>,
}

fn check_rows(targets: &[Target], sent: Sent, stored: &HashMap<Owner, Figure>) -> Checked {
    let empty = Figure::default();
    let mut checked = Checked {
        rows: Vec::new(),
        changes: Vec::new(),
        summary: sent.summary,
    };
    for (index, t) in targets.iter().enumerate() {
        let figure = stored.get(&t.owner).unwrap_or(&empty);
        let row = sent.typed.get(&t.key);
        let errors = match row.map(|row| (row, check_year_row(t, row, figure))) {
            Some((row, Ok(Some((new, reason))))) => {
                checked.changes.push(Change {
                    index,
                    figure: new,
                    token: row.token.clone(),
                    reason,
                });
                RowErrors::default()
            }
            Some((_, Err(errors))) => {
                for (field, message) in errors.fields() {
                    checked.summary.push(SummaryItem::to(
                        &format!("{field}-{}", t.key),
                        i18n::labelled(t.name(), message),
                    ));
                }
                *errors
            }
            _ => RowErrors::default(),
        };
        let view = RowView::in_year_form(t, figure, row, errors);
        checked.rows.push((t.group.clone(), view));
    }
    checked
}

/// Checks one row of the yearly form: the figure to save and the reason of its revision
/// (`None` when it changes nothing). A published figure changed without a reason is refused
/// as on the indicator's revision form.
fn check_year_row(
    t: &Target,
    typed: &Typed,
    figure: &Figure,
) -> Result<Option<(NewFigure, String)>, Box<RowErrors>> {
    let checked = check_row(t, typed, figure.current(), carried_note(figure));
    let reason = entry::parse_text(&typed.reason, REASON_MAX);
    let refused = reason_error(figure, &reason, matches!(checked, Ok(Some(_)) | Err(_)));
    match (checked, refused) {
        (Ok(new), None) => Ok(new.map(|new| (new, reason.unwrap_or_default()))),
        (Ok(_), Some(message)) => Err(Box::new(RowErrors {
            reason: Some(message),
            ..RowErrors::default()
        })),
        (Err(mut errors), message) => {
            errors.reason = message;
            Err(errors)
        }
    }
}

impl RowErrors {
    /// Each refused field's name and message, in the order of the row.
    fn fields(&self) -> impl Iterator<Item = (&'static str, &String)> {
        [
            ("value", &self.value),
            ("source", &self.source),
            ("note", &self.note),
            ("commentary", &self.commentary),
            ("reason", &self.reason),
        ]
        .into_iter()
        .filter_map(|(field, m)| m.as_ref().map(|m| (field, m)))
    }
}

async fn entry_save(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, year)): Path<(String, i32)>,
    CsrfForm(Pairs(pairs)): CsrfForm<Pairs>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan, year).await?;
    let targets = targets(&ctx.report, year);
    let sent = Sent::read(pairs, &targets);
    let typed = sent.typed.clone();
    let mut conn = state.db.acquire().await?;
    let stored = figures::for_year(&mut conn, ctx.plan.plan_id, year).await?;
    drop(conn);
    let checked = check_rows(&targets, sent, &stored);
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    if !checked.summary.is_empty() {
        let shown = Shown {
            rows: checked.rows,
            summary: checked.summary,
            ..Shown::default()
        };
        return form::refused(&EntryPage::new(layout, &ctx, shown));
    }
    let (saved, conflicts) = save_rows(&state, &ctx, &targets, &checked.changes, &user).await?;
    if saved > 0 {
        state.notify(Notice::Submitted {
            plan_id: ctx.plan.plan_id,
            by: user.app_user_id,
            years: [year].into(),
            count: saved,
        });
    }
    if conflicts.is_empty() {
        let to = format!("/plans/{}/entry/{year}?saved={saved}", ctx.plan.slug);
        return Ok(Redirect::to(&to).into_response());
    }
    // Show the form again: the figures saved now, and each conflict beside what was typed.
    let mut conn = state.db.acquire().await?;
    let stored = figures::for_year(&mut conn, ctx.plan.plan_id, year).await?;
    drop(conn);
    let shown = Shown {
        rows: conflict_rows(&targets, &stored, &typed, &conflicts),
        notice: Some(i18n::t2(
            "entry-saved-conflicts",
            "saved",
            saved,
            "conflicts",
            conflicts.len(),
        )),
        conflicts: conflicts.len(),
        ..Shown::default()
    };
    form::conflict(&EntryPage::new(layout, &ctx, shown))
}

/// Saves the changed rows in one transaction: how many were saved, and the rows someone else
/// changed meanwhile (by index, with the figure as it is now).
async fn save_rows(
    state: &AppState,
    ctx: &Context,
    targets: &[Target],
    changes: &[Change],
    user: &User,
) -> Result<(usize, Vec<(usize, Figure)>), AppError> {
    let year = ctx.year;
    let mut tx = state.db.begin().await?;
    let mut saved = 0;
    let mut conflicts = Vec::new();
    for change in changes {
        let t = &targets[change.index];
        let at = figures::Slot {
            plan_id: ctx.plan.plan_id,
            owner: t.owner,
            year,
        };
        let reason = &change.reason;
        match figures::save_draft(&mut tx, at, &change.figure, user, &change.token, reason).await? {
            SaveOutcome::Saved => saved += 1,
            SaveOutcome::Unchanged => {}
            SaveOutcome::Conflict(figure) => conflicts.push((change.index, *figure)),
        }
    }
    tx.commit().await?;
    Ok((saved, conflicts))
}

/// The rows after a save that met conflicts: each conflict with what was typed beside the
/// stored figure, every other row as stored now.
fn conflict_rows(
    targets: &[Target],
    stored: &HashMap<Owner, Figure>,
    typed: &HashMap<String, Typed>,
    conflicts: &[(usize, Figure)],
) -> Vec<(String, RowView)> {
    let empty = Figure::default();
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let figure = stored.get(&t.owner).unwrap_or(&empty);
            let row = match conflicts.iter().find(|(ci, _)| *ci == i) {
                Some((_, now)) => {
                    RowView::in_year_form(t, figure, typed.get(&t.key), RowErrors::default())
                        .with_conflict(now)
                }
                None => RowView::in_year_form(t, figure, None, RowErrors::default()),
            };
            (t.group.clone(), row)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "entry/revise.html")]
struct RevisePage {
    layout: Layout,
    plan: PlanHeader,
    code: String,
    year: i32,
    row: RowView,
    published: String,
    reason: String,
    reason_required: bool,
    reason_error: Option<String>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
    /// An official who does not enter figures changes the commentary only.
    commentary_only: bool,
}

struct ReviseContext {
    ctx: Context,
    target: Target,
    code: String,
}

/// The figure of indicator `code` for `year`. Analysts revise figures; officials may add the
/// commentary of a figure ([`Contributor`]).
async fn revise_context(
    state: &AppState,
    plan: Plan,
    code: &str,
    year: i32,
) -> Result<ReviseContext, AppError> {
    let ctx = context(state, plan, year).await?;
    let r = ctx.report.indicator(code).ok_or(AppError::NotFound)?;
    let id = r.indicator.indicator_id;
    let target = targets(&ctx.report, year)
        .into_iter()
        .find(|t| t.owner == Owner::Indicator(id))
        .ok_or(AppError::NotFound)?;
    Ok(ReviseContext {
        ctx,
        target,
        code: code.to_owned(),
    })
}

/// What the revision form shows besides the figure: the row, the reason and what was wrong.
#[derive(Default)]
struct ReviseShown {
    reason: String,
    reason_error: Option<String>,
    summary: Vec<SummaryItem>,
    notice: Option<String>,
}

impl RevisePage {
    fn new(
        layout: Layout,
        user: &User,
        rc: &ReviseContext,
        figure: &Figure,
        row: RowView,
        shown: ReviseShown,
    ) -> RevisePage {
        RevisePage {
            layout: layout.with_plan(&rc.ctx.plan.slug),
            plan: PlanHeader::new(&rc.ctx.plan),
            code: rc.code.clone(),
            year: rc.ctx.year,
            published: figure
                .published
                .as_ref()
                .map(|p| format!("{} ({})", format::decimal(p.value), who_when(p)))
                .unwrap_or_else(|| i18n::t("entry-none")),
            reason_required: figure.published.is_some(),
            row,
            reason: shown.reason,
            reason_error: shown.reason_error,
            summary: shown.summary,
            notice: shown.notice,
            commentary_only: !user.role.enters_figures(),
        }
    }
}

async fn revise_form(
    State(state): State<AppState>,
    Contributor(user): Contributor,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, code, year)): Path<(String, String, i32)>,
) -> Result<Response, AppError> {
    let rc = revise_context(&state, plan, &code, year).await?;
    let mut conn = state.db.acquire().await?;
    let figure = figures::get(&mut conn, rc.target.owner, year, ObservationKind::Actual).await?;
    drop(conn);
    let row = RowView::new(&rc.target, &figure, None, RowErrors::default());
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    let page = RevisePage::new(layout, &user, &rc, &figure, row, ReviseShown::default());
    form::ok(&page)
}

#[derive(Deserialize)]
pub struct ReviseForm {
    #[serde(default)]
    value: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    commentary: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    token: String,
    /// "I checked this value".
    #[serde(default)]
    checked: String,
}

/// Checks a revision: the figure to save (`None` when nothing changes), or the row's
/// messages, the reason's included.
fn check_revision(
    user: &User,
    target: &Target,
    typed: &Typed,
    figure: &Figure,
    reason: &Result<String, entry::TextInputError>,
) -> Result<Option<NewFigure>, Box<RowErrors>> {
    let checked = check_row(target, typed, figure.current(), None);
    // An official who does not enter figures changes the commentary of a stored one only: a
    // value of theirs is refused as such, before it could be questioned.
    let value_changed = match &checked {
        Ok(Some(new)) => !figure
            .current()
            .is_some_and(|c| c.value == new.value && c.source == new.source && c.note == new.note),
        Err(errors) => errors.warned,
        Ok(None) => false,
    };
    let checked = if value_changed && !user.role.enters_figures() {
        Err(Box::new(RowErrors {
            value: Some(i18n::t("entry-commentary-only")),
            ..RowErrors::default()
        }))
    } else {
        checked
    };
    // Revising a published figure needs a reason (asked for whenever the row is not unchanged).
    let reason_error = reason_error(figure, reason, matches!(checked, Ok(Some(_)) | Err(_)));
    match checked {
        Ok(new) if reason_error.is_none() => Ok(new),
        Ok(_) => Err(Box::new(RowErrors {
            reason: reason_error,
            ..RowErrors::default()
        })),
        Err(errors) => Err(Box::new(RowErrors {
            reason: reason_error,
            ..*errors
        })),
    }
}

async fn revise_save(
    State(state): State<AppState>,
    Contributor(user): Contributor,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, code, year)): Path<(String, String, i32)>,
    CsrfForm(form): CsrfForm<ReviseForm>,
) -> Result<Response, AppError> {
    let rc = revise_context(&state, plan, &code, year).await?;
    let layout = Layout::new(&state, &session, Some(&user)).await?;
    let typed = Typed {
        value: form.value,
        source: form.source,
        note: form.note,
        commentary: form.commentary,
        token: form.token,
        checked: !form.checked.is_empty(),
        ..Typed::default()
    };
    let mut tx = state.db.begin().await?;
    let figure = figures::lock(&mut tx, rc.target.owner, year, ObservationKind::Actual).await?;
    let reason_checked = entry::parse_text(&form.reason, REASON_MAX);
    let new = match check_revision(&user, &rc.target, &typed, &figure, &reason_checked) {
        Ok(new) => new,
        Err(errors) => {
            drop(tx);
            let key = &rc.target.key;
            let summary = errors
                .fields()
                .map(|(field, m)| SummaryItem::to(&format!("{field}-{key}"), m.clone()))
                .collect();
            let reason_error = errors.reason.clone();
            let row = RowView::new(&rc.target, &figure, Some(&typed), *errors);
            let shown = ReviseShown {
                reason: reason_checked.unwrap_or_default(),
                reason_error,
                summary,
                notice: None,
            };
            return form::refused(&RevisePage::new(layout, &user, &rc, &figure, row, shown));
        }
    };
    let reason = reason_checked.unwrap_or_default();
    let back = format!("/plans/{}/indicators/{code}", rc.ctx.plan.slug);
    let Some(new) = new else {
        return Ok(Redirect::to(&back).into_response());
    };
    let at = figures::Slot {
        plan_id: rc.ctx.plan.plan_id,
        owner: rc.target.owner,
        year,
    };
    match figures::save_draft(&mut tx, at, &new, &user, &typed.token, &reason).await? {
        SaveOutcome::Saved => {
            tx.commit().await?;
            state.notify(Notice::Submitted {
                plan_id: rc.ctx.plan.plan_id,
                by: user.app_user_id,
                years: [year].into(),
                count: 1,
            });
            Ok(Redirect::to(&back).into_response())
        }
        SaveOutcome::Unchanged => {
            tx.commit().await?;
            Ok(Redirect::to(&back).into_response())
        }
        SaveOutcome::Conflict(now) => {
            drop(tx);
            // Ours as typed, theirs as stored now; submitting again keeps ours.
            let row = RowView::new(&rc.target, &now, Some(&typed), RowErrors::default())
                .with_conflict(&now);
            let shown = ReviseShown {
                reason,
                notice: Some(i18n::t("entry-conflict-notice")),
                ..ReviseShown::default()
            };
            form::conflict(&RevisePage::new(layout, &user, &rc, &now, row, shown))
        }
    }
}
