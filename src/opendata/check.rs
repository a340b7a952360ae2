//! Checking an upload: every row of a file against the plan and the figures stored now, with the
//! same validation as the entry form. The result is a preview that lists every row as new,
//! changed (old → new), unchanged or refused (with the reasons); it can be saved only when no
//! row is refused, and then every new or changed row becomes a draft.
//!
//! Rules, beyond the form's:
//! - A row is compared with the stored figure of its `state` (a `published` row with the
//!   published figure, a `draft` row with the draft); a row equal to it, or to what the figure
//!   reads now, is unchanged. So a file downloaded from the site uploads as all unchanged.
//! - Only actual figures (and programme counts) can change: national averages and benchmarks
//!   come from the plan's seed file, and a row changing one is refused.
//! - A `published` row cannot change a figure that has a draft pending: the draft row is the one
//!   to edit, so nobody overwrites a draft they did not see.
//! - The same figure may appear once per state; a second row for it is a duplicate, and a
//!   second row changing one figure is refused.

use crate::domain::plausibility::{self, Expected};
use crate::domain::target::Measure;
use crate::i18n::{self, t1, t2, tn};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;

use super::table::RawTable;
use crate::domain::entry::{self, COMMENTARY_MAX, NOTE_MAX, SOURCE_MAX};
use crate::domain::plan::{ObservationKind, ObservationState, UnitKind};
use crate::report::PlanReport;
use crate::store::figures::{Figure, NewFigure, Owner, Stored};

/// Something in the plan whose figures a row may give.
#[derive(Debug, Clone)]
pub struct Target {
    pub owner: Owner,
    pub name_en: String,
    pub unit: UnitKind,
    pub measure: Measure,
    pub decimals: u32,
    pub programme: bool,
    /// The bounds a value is expected within (its previous year is read from the figures).
    pub expected: Expected,
}

/// What rows are checked against: the plan's indicators and programme counts and its years.
#[derive(Debug, Clone)]
pub struct Scope {
    pub plan: String,
    pub first_year: i32,
    pub last_year: i32,
    pub targets: HashMap<String, Target>,
}

impl Scope {
    pub fn new(report: &PlanReport) -> Scope {
        let mut targets = HashMap::new();
        for r in report.indicators() {
            let i = &r.indicator;
            targets.insert(
                i.code.clone(),
                Target {
                    owner: Owner::Indicator(i.indicator_id),
                    name_en: i.name_en.clone(),
                    unit: i.unit,
                    measure: i.measure,
                    decimals: u32::from(i.decimals),
                    programme: false,
                    expected: Expected {
                        min: i.plausible_min,
                        max: i.plausible_max,
                        measure: i.measure,
                        previous: None,
                    },
                },
            );
        }
        for p in report
            .programmes
            .iter()
            .filter(|p| p.indicator_code.is_none() && p.derived.is_none())
        {
            targets.insert(
                format!("programme:{}", p.programme.slug),
                Target {
                    owner: Owner::Programme(p.programme.programme_id),
                    name_en: format!("{} (count)", p.programme.name_en),
                    unit: UnitKind::Count,
                    measure: Measure::Level,
                    decimals: 0,
                    programme: true,
                    expected: Expected::default(),
                },
            );
        }
        Scope {
            plan: report.plan.slug.clone(),
            first_year: report.plan.baseline_year,
            last_year: report.plan.end_year,
            targets,
        }
    }
}

/// One row of a file, as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Where it is: the row number in a table file, the figure's number in a JSON file.
    pub line: usize,
    pub plan: String,
    pub indicator: String,
    pub year: String,
    pub kind: String,
    pub value: String,
    pub state: String,
    pub source: String,
    pub note: String,
    /// `None` when the file has no commentary column: the stored commentary is kept.
    pub commentary: Option<String>,
}

/// The rows of a table file, once its header is the one of the download; otherwise every
/// problem with the header.
pub fn records(table: &RawTable) -> Result<Vec<Record>, Vec<String>> {
    let names: Vec<String> = table
        .header
        .iter()
        .map(|h| super::column_from_header(h))
        .collect();
    let known: Vec<&str> = super::FIGURE_COLUMNS.iter().map(|c| c.name).collect();
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            if table
                .rows
                .iter()
                .any(|r| r.cells.get(i).is_some_and(|c| !c.trim().is_empty()))
            {
                problems.push(t1("check-unnamed-column", "column", i + 1));
            }
        } else if !known.contains(&name.as_str()) {
            problems.push(t2(
                "check-unknown-column",
                "name",
                name,
                "known",
                known.join(", "),
            ));
        } else if names[..i].contains(name) {
            problems.push(t1("check-column-twice", "name", name));
        }
    }
    for column in super::FIGURE_COLUMNS.iter().filter(|c| c.required) {
        if !names.iter().any(|n| n == column.name) {
            problems.push(t2(
                "check-column-missing",
                "name",
                column.name,
                "known",
                known.join(", "),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let at = |name: &str| names.iter().position(|n| n == name);
    let commentary = at("commentary");
    let (plan, indicator, year, kind, value, state, source, note) = (
        at("plan"),
        at("indicator"),
        at("year"),
        at("kind"),
        at("value"),
        at("state"),
        at("source"),
        at("note"),
    );
    Ok(table
        .rows
        .iter()
        .map(|r| {
            let cell =
                |i: Option<usize>| i.and_then(|i| r.cells.get(i)).cloned().unwrap_or_default();
            Record {
                line: r.line,
                plan: cell(plan),
                indicator: cell(indicator),
                year: cell(year),
                kind: cell(kind),
                value: cell(value),
                state: cell(state),
                source: cell(source),
                note: cell(note),
                commentary: commentary.map(|_| cell(commentary)),
            }
        })
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    New,
    Changed,
    Unchanged,
    Refused,
    /// Changed by someone else between the preview and the confirmation.
    Conflict,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::New => "new",
            RowStatus::Changed => "changed",
            RowStatus::Unchanged => "unchanged",
            RowStatus::Refused => "refused",
            RowStatus::Conflict => "conflict",
        }
    }
}

/// A change to save on confirmation: the figure, the checked values, and the version of the
/// figure the preview was made against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    pub indicator_id: Option<i64>,
    pub programme_id: Option<i64>,
    pub year: i32,
    pub value: String,
    pub source: String,
    pub note: String,
    /// Absent from previews made before commentary existed: none.
    #[serde(default)]
    pub commentary: String,
    pub token: String,
    /// The preview warned about the value: confirming the upload confirms it.
    #[serde(default)]
    pub checked: bool,
}

impl PendingChange {
    pub fn owner(&self) -> Option<Owner> {
        match (self.indicator_id, self.programme_id) {
            (Some(id), None) => Some(Owner::Indicator(id)),
            (None, Some(id)) => Some(Owner::Programme(id)),
            _ => None,
        }
    }

    pub fn figure(&self) -> Option<NewFigure> {
        Some(NewFigure {
            value: Decimal::from_str(&self.value).ok()?,
            source: self.source.clone(),
            note: self.note.clone(),
            commentary: self.commentary.clone(),
            checked: self.checked,
        })
    }
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: usize,
    pub indicator: String,
    pub name: String,
    pub year: String,
    pub kind: String,
    pub state: String,
    pub status: RowStatus,
    /// The value stored now ("" when there is none).
    pub old: String,
    /// The published and the draft value stored now, apart ("" when there is none): the
    /// preview labels each. Absent from previews made before they were kept.
    #[serde(default)]
    pub published: String,
    #[serde(default)]
    pub draft: String,
    /// The value of the row, as it would be saved.
    pub new: String,
    /// Which of value, source and note change.
    pub what: String,
    pub reasons: Vec<String>,
    /// Why the value looks wrong (plausibility checks): shown, never refused; confirming the
    /// upload confirms it. Absent from previews made before the checks existed.
    #[serde(default)]
    pub warnings: Vec<plausibility::Warning>,
    pub change: Option<PendingChange>,
}

/// Every row of an upload, checked; or the problems that stopped the file being read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub problems: Vec<String>,
    pub rows: Vec<PreviewRow>,
}

/// How many rows have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: usize,
}

impl Preview {
    pub fn refused(problems: Vec<String>) -> Preview {
        Preview {
            problems,
            rows: Vec::new(),
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.rows {
            match r.status {
                RowStatus::New => c.new += 1,
                RowStatus::Changed => c.changed += 1,
                RowStatus::Unchanged => c.unchanged += 1,
                RowStatus::Refused | RowStatus::Conflict => c.refused += 1,
            }
        }
        c
    }

    /// Whether the upload may be saved: the file was read and no row is refused.
    pub fn acceptable(&self) -> bool {
        self.problems.is_empty()
            && self
                .rows
                .iter()
                .all(|r| !matches!(r.status, RowStatus::Refused | RowStatus::Conflict))
    }

    /// The rows to save.
    pub fn changes(&self) -> impl Iterator<Item = (&PreviewRow, &PendingChange)> {
        self.rows
            .iter()
            .filter_map(|r| r.change.as_ref().map(|c| (r, c)))
    }
}

fn same(stored: &Stored, new: &NewFigure) -> bool {
    stored.value == new.value
        && stored.source.trim() == new.source
        && stored.note.trim() == new.note
        && stored.commentary.trim() == new.commentary
}

fn differences(stored: &Stored, new: &NewFigure) -> String {
    let mut what = Vec::new();
    if stored.value != new.value {
        what.push("value");
    }
    if stored.source.trim() != new.source {
        what.push("source");
    }
    if stored.note.trim() != new.note {
        what.push("note");
    }
    if stored.commentary.trim() != new.commentary {
        what.push("commentary");
    }
    what.join(", ")
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Checks every record against `scope` and the figures stored now (`figures`, as
/// [`crate::store::figures::for_plan`] gives them).
pub fn check(
    scope: &Scope,
    figures: &HashMap<(Owner, i32, ObservationKind), Figure>,
    records: &[Record],
) -> Preview {
    let empty = Figure::default();
    let mut seen: HashMap<(Owner, i32, ObservationKind, ObservationState), usize> = HashMap::new();
    let mut changed: HashMap<(Owner, i32, ObservationKind), usize> = HashMap::new();
    let mut rows = Vec::with_capacity(records.len());
    for rec in records {
        let mut reasons = Vec::new();
        let plan = rec.plan.trim();
        if !plan.is_empty() && plan != scope.plan {
            reasons.push(t2("check-other-plan", "plan", plan, "this", &scope.plan));
        }
        let code = rec.indicator.trim();
        let target = if code.is_empty() {
            reasons.push(i18n::t("check-no-indicator"));
            None
        } else {
            let t = scope.targets.get(code);
            if t.is_none() {
                reasons.push(t1("check-unknown-indicator", "code", code));
            }
            t
        };
        let year = match rec.year.trim().parse::<i32>() {
            Ok(y) if (scope.first_year..=scope.last_year).contains(&y) => Some(y),
            Ok(y) => {
                reasons.push(tn(
                    "check-year-outside",
                    &[
                        ("year", &y),
                        ("from", &scope.first_year),
                        ("to", &scope.last_year),
                    ],
                ));
                None
            }
            Err(_) => {
                reasons.push(t1("check-not-a-year", "year", rec.year.trim()));
                None
            }
        };
        let kind = match rec.kind.trim() {
            "" => Some(ObservationKind::Actual),
            k => match k.parse::<ObservationKind>() {
                Ok(k) => Some(k),
                Err(_) => {
                    reasons.push(t1("check-bad-kind", "kind", k));
                    None
                }
            },
        };
        if let (Some(t), Some(k)) = (target, kind)
            && t.programme
            && k != ObservationKind::Actual
        {
            reasons.push(i18n::t("check-programme-kind"));
        }
        let state = match rec.state.trim() {
            "" => Some(ObservationState::Draft),
            s => match s.parse::<ObservationState>() {
                Ok(s) => Some(s),
                Err(_) => {
                    reasons.push(t1("check-bad-state", "state", s));
                    None
                }
            },
        };
        let value = match target {
            Some(t) => match entry::parse_value(&rec.value, t.unit, t.measure, t.decimals) {
                Ok(v) => v,
                Err(e) => {
                    reasons.push(t2("check-value", "value", rec.value.trim(), "error", e));
                    None
                }
            },
            None => None,
        };
        let source = entry::parse_text(&rec.source, SOURCE_MAX).unwrap_or_else(|e| {
            reasons.push(t1("check-source", "error", e));
            String::new()
        });
        let note = entry::parse_text(&rec.note, NOTE_MAX).unwrap_or_else(|e| {
            reasons.push(t1("check-note", "error", e));
            String::new()
        });
        let commentary = rec.commentary.as_deref().map(|c| {
            entry::parse_text(c, COMMENTARY_MAX).unwrap_or_else(|e| {
                reasons.push(t1("check-commentary", "error", e));
                String::new()
            })
        });

        let mut row = PreviewRow {
            line: rec.line,
            indicator: code.to_owned(),
            name: target.map(|t| t.name_en.clone()).unwrap_or_default(),
            year: rec.year.trim().to_owned(),
            kind: kind.map_or_else(|| rec.kind.trim().to_owned(), |k| k.as_str().to_owned()),
            state: state.map_or_else(|| rec.state.trim().to_owned(), |s| s.as_str().to_owned()),
            status: RowStatus::Refused,
            old: String::new(),
            published: String::new(),
            draft: String::new(),
            new: value
                .zip(target)
                .map(|(v, _)| v.to_string())
                .unwrap_or_else(|| rec.value.trim().to_owned()),
            what: String::new(),
            reasons: Vec::new(),
            warnings: Vec::new(),
            change: None,
        };
        let (Some(t), Some(year), Some(kind), Some(state)) = (target, year, kind, state) else {
            row.reasons = reasons;
            rows.push(row);
            continue;
        };
        let first = *seen.entry((t.owner, year, kind, state)).or_insert(rec.line);
        if first != rec.line {
            reasons.push(tn(
                "check-duplicate",
                &[
                    ("first", &first),
                    ("figure", &format!("{code}, {year}, {kind}, {state}")),
                ],
            ));
        }
        let figure = figures.get(&(t.owner, year, kind)).unwrap_or(&empty);
        let current = figure.current();
        row.old = current.map(|c| c.value.to_string()).unwrap_or_default();
        let text = |s: &Option<Stored>| s.as_ref().map(|s| s.value.to_string()).unwrap_or_default();
        row.published = text(&figure.published);
        row.draft = text(&figure.draft);
        if !reasons.is_empty() {
            row.reasons = reasons;
            rows.push(row);
            continue;
        }
        let Some(value) = value else {
            row.reasons.push(if current.is_some() {
                i18n::t("check-empty-stored")
            } else {
                i18n::t("check-empty")
            });
            rows.push(row);
            continue;
        };
        let same_state = match state {
            ObservationState::Draft => figure.draft.as_ref(),
            ObservationState::Published => figure.published.as_ref(),
        };
        // A file without the commentary column keeps what the row's figure says now.
        let commentary = commentary.unwrap_or_else(|| {
            same_state
                .or(current)
                .map(|c| c.commentary.trim().to_owned())
                .unwrap_or_default()
        });
        let new = NewFigure {
            value,
            source,
            note,
            commentary,
            checked: false,
        };
        if same_state.is_some_and(|s| same(s, &new)) || current.is_some_and(|c| same(c, &new)) {
            row.status = RowStatus::Unchanged;
            rows.push(row);
            continue;
        }
        if kind != ObservationKind::Actual {
            row.reasons.push(i18n::t("check-not-actual"));
        } else if state == ObservationState::Published
            && let Some(draft) = &figure.draft
        {
            row.reasons
                .push(t1("check-draft-waiting", "draft", draft.value.to_string()));
        } else if new.source.is_empty() {
            row.reasons.push(i18n::t("check-source-needed"));
        } else if let Some(first) = changed
            .get(&(t.owner, year, kind))
            .copied()
            .filter(|l| *l != rec.line)
        {
            row.reasons.push(t1("check-changed-twice", "first", first));
        }
        if !row.reasons.is_empty() {
            rows.push(row);
            continue;
        }
        changed.insert((t.owner, year, kind), rec.line);
        let (indicator_id, programme_id) = t.owner.ids();
        row.status = if current.is_some() {
            RowStatus::Changed
        } else {
            RowStatus::New
        };
        row.what = match current {
            Some(c) => differences(c, &new),
            None => "new figure".to_owned(),
        };
        if kind == ObservationKind::Actual && current.is_none_or(|c| c.value != new.value) {
            let expected = Expected {
                previous: figures
                    .iter()
                    .filter_map(|((owner, y, k), f)| {
                        let p = f.published.as_ref()?;
                        (*owner == t.owner && *k == ObservationKind::Actual && *y < year)
                            .then_some((*y, p.value))
                    })
                    .max_by_key(|(y, _)| *y),
                ..t.expected
            };
            row.warnings = plausibility::check(new.value, &expected);
        }
        row.change = Some(PendingChange {
            indicator_id,
            programme_id,
            year,
            value: new.value.to_string(),
            source: new.source,
            note: new.note,
            commentary: new.commentary,
            token: figure.token(),
            checked: !row.warnings.is_empty(),
        });
        rows.push(row);
    }
    for row in &mut rows {
        row.reasons = row.reasons.iter().map(|r| upper_first(r)).collect();
    }
    Preview {
        problems: Vec::new(),
        rows,
    }
}
