//! Open data: a plan's figures as CSV, XLSX and JSON files, the same files read back (an
//! analyst's upload, the `import` command), and the Atom feed of newly published figures.
//!
//! One layout serves every table file: one row per figure, with the columns of
//! [`FIGURE_COLUMNS`]. What is downloaded can be edited in a spreadsheet program and uploaded
//! again: the file says which figure each row is (plan, indicator, year, kind, state), and only
//! the rows whose value, source or note differ from what is stored become drafts.

pub mod atom;
pub mod check;
pub mod export;
pub mod import;
pub mod limits;
pub mod table;

use rust_decimal::Decimal;

use crate::domain::plan::{ObservationKind, ObservationState, UnitKind};
use crate::i18n::{self, Lang};
use crate::report::PlanReport;
use crate::store::plans::TargetColumns;

/// A column of a table file. The data page documents it with the messages
/// `data-col-<name>-meaning` and `data-col-<name>-upload`.
pub struct Column {
    pub name: &'static str,
    /// Whether an upload must have the column.
    pub required: bool,
}

/// A column's name as the header row of a download shows it: the column's own name in
/// English (what scripts and the documentation use), its Chinese label for readers of Chinese.
pub fn column_header(name: &str) -> String {
    match Lang::current() {
        Lang::En => name.to_owned(),
        Lang::Zh => {
            i18n::lookup(Lang::Zh, &format!("data-col-{name}")).unwrap_or_else(|| name.to_owned())
        }
    }
}

/// The column a header cell names, whichever language the file was downloaded in.
pub fn column_from_header(cell: &str) -> String {
    let cell = cell.trim().trim_start_matches('\u{FEFF}').trim();
    FIGURE_COLUMNS
        .iter()
        .map(|c| c.name)
        .find(|name| {
            i18n::lookup(Lang::Zh, &format!("data-col-{name}")).is_some_and(|zh| zh == cell)
        })
        .map_or_else(|| cell.to_lowercase(), str::to_owned)
}

/// The columns of the figures table (CSV, and the `figures` sheet of the XLSX), in order.
pub const FIGURE_COLUMNS: [Column; 12] = [
    Column {
        name: "plan",
        required: true,
    },
    Column {
        name: "indicator",
        required: true,
    },
    Column {
        name: "name_en",
        required: false,
    },
    Column {
        name: "name_zh",
        required: false,
    },
    Column {
        name: "year",
        required: true,
    },
    Column {
        name: "kind",
        required: true,
    },
    Column {
        name: "value",
        required: true,
    },
    Column {
        name: "unit",
        required: false,
    },
    Column {
        name: "state",
        required: true,
    },
    Column {
        name: "source",
        required: true,
    },
    Column {
        name: "note",
        required: true,
    },
    Column {
        name: "commentary",
        required: false,
    },
];

/// The columns of the `indicators` sheet of the XLSX: the definitions behind the figures
/// (each documented by the message `data-def-<name>`).
pub const DEFINITION_COLUMNS: [&str; 32] = [
    "plan",
    "indicator",
    "group",
    "name_en",
    "name_zh",
    "unit_kind",
    "unit_en",
    "unit_zh",
    "decimals",
    "direction",
    "nature",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_comparator",
    "target_value",
    "definition_en",
    "definition_zh",
    "source",
    "confidence",
    "baseline_source",
    "target_source",
    "measure",
    "target_kind",
    "target_min",
    "target_max",
    "target_indicator",
    "target_tolerance",
    "target_every_year",
    "target_wording_zh",
    "target_wording_en",
    "status",
];

/// The columns of `status.csv`: each indicator's verdict by both methods, as of one year
/// (each documented by the message `data-status-<name>`).
pub const STATUS_COLUMNS: [&str; 17] = [
    "plan",
    "indicator",
    "name_en",
    "name_zh",
    "as_of",
    "method",
    "status",
    "time_progress_status",
    "judged_year",
    "progress_share",
    "time_share",
    "base",
    "open_sdg_status",
    "measure",
    "target_kind",
    "target_wording_zh",
    "target_wording_en",
];

/// One row per indicator of `status.csv`, in the order of [`STATUS_COLUMNS`]: the headline
/// status (the plan's method) and both methods' verdicts, from the report every page uses.
pub fn status_rows(report: &PlanReport, only_indicator: Option<&str>) -> Vec<Vec<Cell>> {
    let text = |s: &str| Cell::Text(s.to_owned());
    let share = |d: Option<Decimal>| {
        d.map_or(Cell::Empty, |d| {
            let d = d.round_dp(4).normalize();
            Cell::Number(d)
        })
    };
    report
        .indicators()
        .filter(|r| only_indicator.is_none_or(|code| code == r.indicator.code))
        .map(|r| {
            let i = &r.indicator;
            let j = &r.judgement;
            let target = TargetColumns::of(i.target.as_ref());
            vec![
                text(&report.plan.slug),
                text(&i.code),
                text(&i.name_en),
                text(&i.name_zh),
                Cell::Int(report.as_of.into()),
                text(report.plan.method.as_str()),
                text(r.status.code()),
                text(j.status.as_str()),
                j.year.map_or(Cell::Empty, |y| Cell::Int(y.into())),
                share(j.progress_share),
                share(j.time_share),
                text(j.base.map(|b| b.as_str()).unwrap_or_default()),
                text(r.progress.status.as_str()),
                text(i.measure.as_str()),
                text(if target.year.is_some() {
                    target.kind
                } else {
                    ""
                }),
                Cell::Text(target.wording_zh.unwrap_or_default()),
                Cell::Text(target.wording_en.unwrap_or_default()),
            ]
        })
        .collect()
}

/// One figure as a row of a table file.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRow {
    pub plan: String,
    pub indicator: String,
    pub name_en: String,
    pub name_zh: String,
    pub year: i32,
    pub kind: ObservationKind,
    pub value: Decimal,
    pub unit: String,
    pub state: ObservationState,
    pub source: String,
    pub note: String,
    pub commentary: String,
}

impl FigureRow {
    /// The value as written in a file: the digits it was published with.
    pub fn value_text(&self) -> String {
        self.value.to_string()
    }
}

/// The unit as the `unit` column writes it.
fn unit_label(unit: UnitKind, unit_en: &str) -> String {
    if unit == UnitKind::Percent {
        "%".to_owned()
    } else {
        unit_en.to_owned()
    }
}

/// What a table file holds: every figure in `report` (which already holds only what the reader
/// may see), or those of one indicator; indicators heading by heading, then programme counts.
pub fn figure_rows(report: &PlanReport, only_indicator: Option<&str>) -> Vec<FigureRow> {
    let plan = &report.plan.slug;
    let mut rows = Vec::new();
    for r in report.indicators() {
        let i = &r.indicator;
        if only_indicator.is_some_and(|code| code != i.code) {
            continue;
        }
        for o in &r.observations {
            rows.push(FigureRow {
                plan: plan.clone(),
                indicator: i.code.clone(),
                name_en: i.name_en.clone(),
                name_zh: i.name_zh.clone(),
                year: o.year,
                kind: o.kind,
                value: o.value,
                unit: unit_label(i.unit, &i.unit_en),
                state: o.state,
                source: o.source.clone(),
                note: o.note.clone(),
                commentary: o.commentary.clone(),
            });
        }
    }
    if only_indicator.is_none() {
        for p in report
            .programmes
            .iter()
            .filter(|p| p.indicator_code.is_none() && p.derived.is_none())
        {
            for o in &p.counts {
                rows.push(FigureRow {
                    plan: plan.clone(),
                    indicator: format!("programme:{}", p.programme.slug),
                    name_en: p.programme.name_en.clone(),
                    name_zh: p.programme.name_zh.clone(),
                    year: o.year,
                    kind: o.kind,
                    value: o.value,
                    unit: p.programme.unit_en.clone(),
                    state: o.state,
                    source: o.source.clone(),
                    note: o.note.clone(),
                    commentary: o.commentary.clone(),
                });
            }
        }
    }
    rows
}

/// One row of the `indicators` sheet, its cells in the order of [`DEFINITION_COLUMNS`].
pub fn definition_rows(report: &PlanReport, only_indicator: Option<&str>) -> Vec<Vec<Cell>> {
    let plan = &report.plan.slug;
    let text = |s: &str| Cell::Text(s.to_owned());
    let opt = |s: &Option<String>| Cell::Text(s.clone().unwrap_or_default());
    let year = |y: Option<i32>| y.map_or(Cell::Empty, |y| Cell::Int(y.into()));
    let comparator = |c: Option<&str>| text(c.unwrap_or_default());
    let mut rows = Vec::new();
    for r in report.indicators() {
        let i = &r.indicator;
        if only_indicator.is_some_and(|code| code != i.code) {
            continue;
        }
        let baseline = i.baseline.as_ref();
        let target = TargetColumns::of(i.target.as_ref());
        let number = |v: Option<Decimal>| v.map_or(Cell::Empty, Cell::Number);
        rows.push(vec![
            text(plan),
            text(&i.code),
            text(&r.group_code),
            text(&i.name_en),
            text(&i.name_zh),
            text(i.unit.as_str()),
            text(&i.unit_en),
            text(&i.unit_zh),
            Cell::Int(i.decimals.into()),
            text(i.direction.as_str()),
            text(i.nature.map(|n| n.as_str()).unwrap_or_default()),
            year(baseline.map(|b| b.year)),
            number(baseline.and_then(|b| b.value)),
            year(target.year),
            comparator(target.comparator),
            number(target.value),
            opt(&i.definition_en),
            opt(&i.definition_zh),
            opt(&i.source),
            text(i.confidence.map(|c| c.as_str()).unwrap_or_default()),
            opt(&baseline.and_then(|b| b.source.clone())),
            opt(&target.source),
            text(i.measure.as_str()),
            text(if target.year.is_some() {
                target.kind
            } else {
                ""
            }),
            number(target.min),
            number(target.max),
            opt(&target.indicator),
            target.tolerance.map_or(Cell::Empty, Cell::Number),
            text(if target.every_year { "true" } else { "" }),
            opt(&target.wording_zh),
            opt(&target.wording_en),
            text(r.status.code()),
        ]);
    }
    if only_indicator.is_none() {
        for pr in report.programmes.iter() {
            let p = &pr.programme;
            rows.push(vec![
                text(plan),
                text(&format!("programme:{}", p.slug)),
                Cell::Empty,
                text(&p.name_en),
                text(&p.name_zh),
                text(UnitKind::Count.as_str()),
                text(&p.unit_en),
                text(&p.unit_zh),
                Cell::Int(0),
                text("higher"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                year(p.target.as_ref().map(|t| t.year)),
                comparator(
                    p.target
                        .as_ref()
                        .and_then(|t| t.comparator)
                        .map(|c| c.as_str()),
                ),
                p.target
                    .as_ref()
                    .map_or(Cell::Empty, |t| Cell::Number(t.value)),
                opt(&p.description_en),
                opt(&p.description_zh),
                opt(&p.source),
                text(p.confidence.map(|c| c.as_str()).unwrap_or_default()),
                Cell::Empty,
                opt(&p.target.as_ref().and_then(|t| t.source.clone())),
                text("level"),
                text(if p.target.is_some() { "level" } else { "" }),
            ]);
            let row = rows.last_mut().expect("just pushed");
            row.resize(DEFINITION_COLUMNS.len(), Cell::Empty);
        }
    }
    rows
}

/// A cell of a table file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A decimal value, written with the digits it was published with.
    Number(Decimal),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Number(v) => v.to_string(),
        }
    }
}

impl FigureRow {
    /// The row's cells in the order of [`FIGURE_COLUMNS`].
    pub fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.plan.clone()),
            Cell::Text(self.indicator.clone()),
            Cell::Text(self.name_en.clone()),
            Cell::Text(self.name_zh.clone()),
            Cell::Int(self.year.into()),
            Cell::Text(self.kind.as_str().to_owned()),
            Cell::Number(self.value),
            Cell::Text(self.unit.clone()),
            Cell::Text(self.state.as_str().to_owned()),
            Cell::Text(self.source.clone()),
            Cell::Text(self.note.clone()),
            Cell::Text(self.commentary.clone()),
        ]
    }
}

/// Which figures a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
    Json,
}

impl FileFormat {
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Json => "application/json",
        }
    }

    pub fn from_extension(ext: &str) -> Option<FileFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }

    /// The format of a file named `name` holding `bytes`: by its content where that is certain
    /// (an XLSX is a ZIP archive), else by its extension.
    pub fn detect(name: &str, bytes: &[u8]) -> Option<FileFormat> {
        if bytes.starts_with(b"PK\x03\x04") {
            return Some(FileFormat::Xlsx);
        }
        let by_name = name
            .rsplit_once('.')
            .and_then(|(_, ext)| FileFormat::from_extension(ext));
        match by_name {
            Some(FileFormat::Xlsx) => Some(FileFormat::Xlsx),
            Some(f) => Some(f),
            None => {
                let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                match text.iter().find(|b| !b.is_ascii_whitespace()) {
                    Some(b'{') => Some(FileFormat::Json),
                    Some(_) => Some(FileFormat::Csv),
                    None => None,
                }
            }
        }
    }
}
