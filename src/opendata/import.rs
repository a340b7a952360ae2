//! Writing what a file brings: a whole plan from a JSON export (into a database that does not
//! hold it yet), or the changes of a checked upload as drafts.

use crate::domain::target::Measure;
use std::collections::HashSet;

use sqlx::PgConnection;

use super::FileFormat;
use super::check::{self, Preview, Record};
use super::export::{ExportDocument, FigureJson, IndicatorJson, ProgrammeJson};
use super::limits::{Budget, MAX_ROWS};
use super::table::{self, FileError};
use crate::domain::plan::{ObservationKind, UnitKind};
use crate::domain::seed::{FORMAT as SEED_FORMAT, PlanDef, SeedFile};
use crate::domain::value;
use crate::store::figures::{self, Owner, SaveOutcome, figure_json, with_commentary};
use crate::store::opendata::{self as store, ImportedFigure};
use crate::store::revision::{self, Action, Actor, Reason, ReasonCode, Revision, Subject};

/// What a file of figures holds.
#[derive(Debug)]
pub enum Contents {
    /// The rows of a table file.
    Rows(Vec<Record>),
    /// A JSON export.
    Document(Box<ExportDocument>),
}

/// Why nothing can be read from a file.
#[derive(Debug)]
pub enum Unreadable {
    /// It is not a table file, or it is beyond a limit of its budget.
    File(FileError),
    /// It is a table, but not in the layout of the download: every problem with its header.
    Layout(Vec<String>),
    /// It is JSON, but not an export this build reads.
    Json(String),
}

impl From<FileError> for Unreadable {
    fn from(e: FileError) -> Self {
        Unreadable::File(e)
    }
}

/// Reads a file of figures within `budget`: the one way both the upload and the `import`
/// command read files, so that both refuse the same files with the same message.
pub fn read(format: FileFormat, bytes: &[u8], budget: &Budget) -> Result<Contents, Unreadable> {
    let table = match format {
        FileFormat::Json => {
            let doc = ExportDocument::parse(bytes).map_err(Unreadable::Json)?;
            let figures = doc
                .indicators
                .iter()
                .map(|i| i.figures.len())
                .sum::<usize>()
                + doc.programmes.iter().map(|p| p.counts.len()).sum::<usize>();
            if figures > MAX_ROWS {
                return Err(FileError::TooManyRows.into());
            }
            return Ok(Contents::Document(Box::new(doc)));
        }
        FileFormat::Csv => table::read_csv(bytes, budget)?,
        FileFormat::Xlsx => table::read_xlsx(bytes, budget)?,
    };
    budget.check()?;
    check::records(&table)
        .map(Contents::Rows)
        .map_err(Unreadable::Layout)
}

/// The figures of a document as rows, to be checked like the rows of a table file; each row's
/// place is the figure's number in the file, counting from 1.
pub fn records(doc: &ExportDocument) -> Vec<Record> {
    let plan = &doc.plan.slug;
    let record = |key: String, f: &FigureJson| Record {
        line: 0,
        plan: plan.clone(),
        indicator: key,
        year: f.year.to_string(),
        kind: f.kind.as_str().to_owned(),
        value: f.value.to_string(),
        state: f.state.as_str().to_owned(),
        source: f.source.clone(),
        note: f.note.clone(),
        commentary: f.commentary.clone(),
    };
    let mut out: Vec<Record> = doc
        .indicators
        .iter()
        .flat_map(|i| i.figures.iter().map(|f| record(i.code.clone(), f)))
        .chain(doc.programmes.iter().flat_map(|p| {
            p.counts
                .iter()
                .map(|f| record(format!("programme:{}", p.slug), f))
        }))
        .collect();
    for (n, r) in out.iter_mut().enumerate() {
        r.line = n + 1;
    }
    out
}

fn slug_ok(s: &str) -> bool {
    (1..=80).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// Every problem that would stop a document being loaded as a new plan.
pub fn problems(doc: &ExportDocument) -> Vec<String> {
    let mut out = Vec::new();
    let p = &doc.plan;
    if !slug_ok(&p.slug) {
        out.push(format!(
            "plan.slug {:?}: use 1 to 80 lowercase letters, digits and hyphens",
            p.slug
        ));
    }
    if p.title_zh.trim().is_empty() || p.title_en.trim().is_empty() {
        out.push("plan: title_zh and title_en are both required".into());
    }
    if !(p.baseline_year < p.start_year && p.start_year <= p.end_year) {
        out.push("plan: the years must read baseline_year < start_year <= end_year".into());
    }
    let mut groups = HashSet::new();
    for g in &doc.groups {
        if !slug_ok(&g.code) || !groups.insert(g.code.as_str()) {
            out.push(format!("group {:?}: a code must be a unique slug", g.code));
        }
    }
    let mut codes = HashSet::new();
    let check_figures =
        |out: &mut Vec<String>, at: &str, (unit, measure), decimals, figures: &[FigureJson]| {
            let mut seen = HashSet::new();
            for f in figures {
                if let Err(e) = value::check_measured(unit, measure, decimals, f.value) {
                    out.push(format!("{at}: figure {} {}: {e}", f.year, f.value));
                }
                if !(1900..=2200).contains(&f.year) {
                    out.push(format!("{at}: year {} is outside 1900–2200", f.year));
                }
                if !seen.insert((f.year, f.kind, f.state)) {
                    out.push(format!(
                        "{at}: figure {} ({}, {}) is given twice",
                        f.year, f.kind, f.state
                    ));
                }
            }
        };
    for i in &doc.indicators {
        let at = format!("indicator {:?}", i.code);
        if !slug_ok(&i.code) || !codes.insert(i.code.as_str()) {
            out.push(format!("{at}: a code must be a unique slug"));
        }
        if !groups.contains(i.group.as_str()) {
            out.push(format!("{at}: group {:?} is not in the file", i.group));
        }
        if i.decimals > 6 {
            out.push(format!("{at}: decimals must be between 0 and 6"));
        }
        check_figures(
            &mut out,
            &at,
            (i.unit, i.measure),
            u32::from(i.decimals.min(6)),
            &i.figures,
        );
    }
    let mut slugs = HashSet::new();
    for p in &doc.programmes {
        let at = format!("programme {:?}", p.slug);
        if !slug_ok(&p.slug) || !slugs.insert(p.slug.as_str()) {
            out.push(format!("{at}: a slug must be unique"));
        }
        if let Some(code) = &p.indicator
            && !codes.contains(code.as_str())
        {
            out.push(format!("{at}: indicator {code:?} is not in the file"));
        }
        if p.counts.iter().any(|c| c.kind != ObservationKind::Actual) {
            out.push(format!("{at}: counts are all of kind actual"));
        }
        check_figures(
            &mut out,
            &at,
            (UnitKind::Count, Measure::Level),
            0,
            &p.counts,
        );
        let mut keys = HashSet::new();
        for item in &p.items {
            if !slug_ok(&item.key) || !keys.insert(item.key.as_str()) {
                out.push(format!(
                    "{at}: item {:?}: a key must be a unique slug",
                    item.key
                ));
            }
        }
    }
    out
}

/// The definitions of a document as a seed file without figures.
fn definitions(doc: &ExportDocument, default: bool) -> SeedFile {
    SeedFile {
        format: SEED_FORMAT,
        plan: PlanDef {
            default,
            ..doc.plan.clone()
        },
        groups: doc.groups.clone(),
        indicators: doc
            .indicators
            .iter()
            .map(IndicatorJson::definition)
            .collect(),
        programmes: doc
            .programmes
            .iter()
            .map(ProgrammeJson::definition)
            .collect(),
    }
}

/// What loading a new plan wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Created {
    pub plan: String,
    pub definitions: u32,
    pub published: usize,
    pub drafts: usize,
}

impl std::fmt::Display for Created {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: plan created with {} definitions, {} published figures and {} drafts",
            self.plan, self.definitions, self.published, self.drafts
        )
    }
}

/// The actor recorded in the history for what an import writes.
pub const IMPORT_ACTOR: Actor<'static> = Actor {
    id: None,
    label: "import",
};

/// Loads a document as a new plan, inside the caller's transaction: the definitions through
/// the seed loader, then every figure as the file gives it (state, publication time,
/// confidence), each with its history row. `origin` (the file's name) is the history's reason.
/// `progress` is called once per figure written.
pub async fn create_plan(
    conn: &mut PgConnection,
    doc: &ExportDocument,
    origin: &str,
    mut progress: impl FnMut(),
) -> anyhow::Result<Created> {
    let problems = problems(doc);
    anyhow::ensure!(
        problems.is_empty(),
        "nothing was imported; fix these problems first:\n  {}",
        problems.join("\n  ")
    );
    // The file's plan becomes the default only where no plan is.
    let default = doc.plan.default && !store::has_default_plan(conn).await?;
    let report = crate::store::seed::apply(conn, &definitions(doc, default)).await?;
    let plan_id = store::plan_id(conn, &doc.plan.slug)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the plan {} was not created", doc.plan.slug))?;
    let owners = store::owners(conn, plan_id).await?;
    let reason = Reason::System(ReasonCode::Imported, origin);
    let mut created = Created {
        plan: doc.plan.slug.clone(),
        definitions: report.definitions.created,
        ..Created::default()
    };
    let figures = doc
        .indicators
        .iter()
        .flat_map(|i| i.figures.iter().map(move |f| (i.code.clone(), f)))
        .chain(doc.programmes.iter().flat_map(|p| {
            p.counts
                .iter()
                .map(move |f| (format!("programme:{}", p.slug), f))
        }));
    for (key, f) in figures {
        let owner: Owner = *owners
            .get(&key)
            .ok_or_else(|| anyhow::anyhow!("{key} was not created"))?;
        let id = store::insert_figure(
            conn,
            &ImportedFigure {
                owner,
                year: f.year,
                kind: f.kind,
                state: f.state,
                value: f.value,
                source: &f.source,
                confidence: f.confidence,
                note: &f.note,
                commentary: f.commentary.as_deref().unwrap_or_default(),
                published_at: f.published_at,
            },
        )
        .await?;
        let after = with_commentary(
            figure_json(f.value, f.state, &f.source, f.confidence, &f.note),
            f.commentary.as_deref().unwrap_or_default(),
        );
        let revision = Revision {
            plan_id,
            subject: Subject::figure(id, owner),
            year: Some(f.year),
            kind: Some(f.kind),
            action: Action::Create,
            by: &IMPORT_ACTOR,
            before: None,
            after: Some(after),
            reason,
        };
        revision::write(conn, revision).await?;
        match f.state {
            crate::domain::plan::ObservationState::Published => created.published += 1,
            crate::domain::plan::ObservationState::Draft => created.drafts += 1,
        }
        progress();
    }
    Ok(created)
}

/// What saving an upload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Every change is saved as a draft.
    Done(usize),
    /// Nothing is saved: the figures of these rows changed since the preview.
    Conflicts(Vec<usize>),
}

/// Saves every change of an acceptable preview as a draft, each with its history row, inside
/// the caller's transaction (which must be rolled back unless this returns `Done`). A figure
/// changed since the preview stops the save: the caller rolls back and shows the conflicts.
pub async fn save_changes(
    conn: &mut PgConnection,
    plan_id: i64,
    preview: &Preview,
    actor: &Actor<'_>,
    reason: Reason<'_>,
    mut progress: impl FnMut(),
) -> anyhow::Result<Saved> {
    anyhow::ensure!(
        preview.acceptable(),
        "the upload has refused rows; nothing was saved"
    );
    let mut saved = 0;
    let mut conflicts = Vec::new();
    for (row, change) in preview.changes() {
        let (Some(owner), Some(new)) = (change.owner(), change.figure()) else {
            anyhow::bail!("row {} of the stored upload is damaged", row.line);
        };
        let at = figures::Slot {
            plan_id,
            owner,
            year: change.year,
        };
        match figures::save_draft_as(conn, at, &new, actor, &change.token, reason).await? {
            SaveOutcome::Saved => saved += 1,
            SaveOutcome::Unchanged => {}
            SaveOutcome::Conflict(_) => conflicts.push(row.line),
        }
        progress();
    }
    Ok(if conflicts.is_empty() {
        Saved::Done(saved)
    } else {
        Saved::Conflicts(conflicts)
    })
}
