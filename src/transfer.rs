//! The `plantrack export` and `plantrack import` commands: the site's downloads and upload, for
//! an administrator on the server. An export holds every figure, drafts included. An import
//! checks every row exactly as the upload does and saves nothing unless every row passes; a
//! JSON export of a plan the database does not hold creates that plan.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;

use crate::config::Config;
use crate::db::Database;
use crate::opendata::check::{self, Preview, RowStatus, Scope};
use crate::opendata::export::ExportDocument;
use crate::opendata::import::{self, Contents, IMPORT_ACTOR, Saved, Unreadable};
use crate::opendata::limits::Budget;
use crate::opendata::{self, FileFormat, table};
use crate::report::PlanReport;
use crate::store::figures;
use crate::store::plans::{self, Plan, Visibility};
use crate::store::revision::{Reason, ReasonCode};

/// Every figure of a plan (the default plan when `plan` is not given), drafts included.
pub async fn export(
    config: &Config,
    plan: Option<&str>,
    format: FileFormat,
) -> anyhow::Result<Vec<u8>> {
    let db = Database::open(config).await?;
    let result = async {
        let mut conn = db.pool.acquire().await?;
        let plan = find_plan(&mut conn, plan).await?;
        let report = PlanReport::load(&mut conn, plan, Visibility::WithDrafts).await?;
        Ok(match format {
            FileFormat::Csv => table::write_csv(&opendata::figure_rows(&report, None)),
            FileFormat::Xlsx => table::write_xlsx(
                &opendata::figure_rows(&report, None),
                &opendata::definition_rows(&report, None),
            )
            .context("cannot write the workbook")?,
            FileFormat::Json => ExportDocument::new(&report, true, None).to_bytes(),
        })
    }
    .await;
    db.close().await?;
    result
}

/// The annual report of a plan (the default plan when `plan` is not given) for `year`, as a
/// Word document or (`html`) a page to print that holds its own stylesheet, in `lang`; and the
/// file's name without its extension. Published figures and words only.
pub async fn report(
    config: &Config,
    plan: Option<&str>,
    year: i32,
    html: bool,
    lang: crate::i18n::Lang,
) -> anyhow::Result<(Vec<u8>, String)> {
    let db = Database::open(config).await?;
    let result = config
        .time_zone
        .scope(lang.scope(async {
            let mut conn = db.pool.acquire().await?;
            let plan = find_plan(&mut conn, plan).await?;
            let years = crate::annual::years(&plan);
            anyhow::ensure!(
                years.contains(&year),
                "{} has reports for {}–{}, not {year}",
                plan.slug,
                years.start(),
                years.end()
            );
            let report = crate::annual::load(&mut conn, plan.clone(), year).await?;
            drop(conn);
            let name = crate::web::reports::file_name(&plan.slug, year);
            let bytes = if html {
                crate::web::reports::standalone_page(&plan, report)?.into_bytes()
            } else {
                let fonts = crate::raster::Fonts::shared(&config.font_dir);
                crate::annual::docx::write(&report, fonts)?
            };
            Ok((bytes, name))
        }))
        .await;
    db.close().await?;
    result
}

async fn find_plan(conn: &mut sqlx::PgConnection, slug: Option<&str>) -> anyhow::Result<Plan> {
    match slug {
        Some(slug) => plans::by_slug(conn, slug)
            .await?
            .with_context(|| format!("there is no plan {slug}")),
        None => plans::default_plan(conn)
            .await?
            .context("the database holds no plan"),
    }
}

/// A bar on standard error while rows are written, when that is a terminal.
fn progress_bar(len: usize, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

/// The outcome of `import`, as printed: a line per row that is not unchanged, then a summary.
pub fn describe(preview: &Preview) -> String {
    let mut out = String::new();
    for p in &preview.problems {
        out.push_str(&format!("refused: {p}\n"));
    }
    for r in &preview.rows {
        let what = format!("{} {} ({}, {})", r.indicator, r.year, r.kind, r.state);
        match r.status {
            RowStatus::Unchanged => {}
            RowStatus::New => out.push_str(&format!("row {}: new {what}: {}\n", r.line, r.new)),
            RowStatus::Changed => out.push_str(&format!(
                "row {}: changed {what}: {} -> {} ({})\n",
                r.line, r.old, r.new, r.what
            )),
            RowStatus::Refused | RowStatus::Conflict => out.push_str(&format!(
                "row {}: refused {what}: {}\n",
                r.line,
                r.reasons.join(" ")
            )),
        }
        if !r.warnings.is_empty() {
            out.push_str(&format!(
                "row {}: warning {what}: {}\n",
                r.line,
                crate::domain::plausibility::messages(&r.warnings)
            ));
        }
    }
    if preview.problems.is_empty() {
        let c = preview.counts();
        out.push_str(&format!(
            "{} rows: {} new, {} changed, {} unchanged, {} refused\n",
            preview.rows.len(),
            c.new,
            c.changed,
            c.unchanged,
            c.refused
        ));
    }
    out
}

/// Reads a file as the upload does, with the same limits on its size (the command has no time
/// limit: its operator can interrupt it), and the same message when it is beyond one.
fn read(path: &Path) -> anyhow::Result<Contents> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let format =
        FileFormat::detect(name, &bytes).with_context(|| format!("{} is empty", path.display()))?;
    import::read(format, &bytes, &Budget::unlimited()).map_err(|e| match e {
        Unreadable::File(e) => anyhow::anyhow!("{}: {e}", path.display()),
        Unreadable::Json(e) => anyhow::anyhow!("{}: {e}", path.display()),
        Unreadable::Layout(problems) => anyhow::anyhow!(
            "nothing was imported: {} is not in the layout of the export:\n  {}",
            path.display(),
            problems.join("\n  ")
        ),
    })
}

/// How `import` runs: checked only, and whether values with plausibility warnings are saved.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportMode {
    /// Check and report every row, but save nothing.
    pub dry_run: bool,
    /// Save values that raised a plausibility warning (they are marked as checked).
    pub accept_warnings: bool,
}

/// Imports a file (CSV, XLSX or a JSON export); returns what it did, as printed. With
/// `dry_run` everything is checked and done inside a transaction that is then rolled back.
/// Values far from what is expected are listed, and saved only with `accept_warnings`.
pub async fn import(
    config: &Config,
    path: &Path,
    plan: Option<&str>,
    mode: ImportMode,
) -> anyhow::Result<String> {
    let contents = read(path)?;
    let origin = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let db = Database::open(config).await?;
    let result = run_import(&db, contents, &origin, plan, mode).await;
    db.close().await?;
    result
}

async fn run_import(
    db: &Database,
    contents: Contents,
    origin: &str,
    plan: Option<&str>,
    mode: ImportMode,
) -> anyhow::Result<String> {
    let dry_run = mode.dry_run;
    let mut tx = db.pool.begin().await?;
    let records = match contents {
        Contents::Document(doc) => {
            if let Some(slug) = plan
                && slug != doc.plan.slug
            {
                anyhow::bail!(
                    "the file is an export of the plan {}, not {slug}; nothing was imported",
                    doc.plan.slug
                );
            }
            if plans::by_slug(&mut tx, &doc.plan.slug).await?.is_none() {
                let figures = doc
                    .indicators
                    .iter()
                    .map(|i| i.figures.len())
                    .sum::<usize>()
                    + doc.programmes.iter().map(|p| p.counts.len()).sum::<usize>();
                let bar = progress_bar(figures, "importing");
                let created = import::create_plan(&mut tx, &doc, origin, || bar.inc(1)).await?;
                bar.finish_and_clear();
                return finish(tx, dry_run, created.to_string()).await;
            }
            import::records(&doc)
        }
        Contents::Rows(records) => records,
    };
    let slug = match plan {
        Some(slug) => slug.to_owned(),
        None => {
            let mut named: Vec<&str> = records
                .iter()
                .map(|r| r.plan.trim())
                .filter(|p| !p.is_empty())
                .collect();
            named.sort_unstable();
            named.dedup();
            match named.as_slice() {
                [one] => (*one).to_owned(),
                [] => anyhow::bail!("the file names no plan: give --plan SLUG"),
                _ => anyhow::bail!(
                    "the file names several plans ({}): give --plan SLUG",
                    named.join(", ")
                ),
            }
        }
    };
    let plan = find_plan(&mut tx, Some(&slug)).await?;
    let report = PlanReport::load(&mut tx, plan.clone(), Visibility::Published).await?;
    let stored = figures::for_plan(&mut tx, plan.plan_id).await?;
    let preview = check::check(&Scope::new(&report), &stored, &records);
    let mut out = describe(&preview);
    if !preview.acceptable() {
        anyhow::bail!("{out}nothing was imported: fix the refused rows first");
    }
    let warned = preview
        .rows
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .count();
    if warned > 0 && !mode.accept_warnings {
        anyhow::bail!(
            "{out}nothing was imported: {warned} value(s) look far from what is expected; \
             check them, then run again with --accept-warnings to save them"
        );
    }
    let changes = preview.changes().count();
    let bar = progress_bar(changes, "saving");
    let reason = Reason::System(ReasonCode::Imported, origin);
    let saved = import::save_changes(
        &mut tx,
        plan.plan_id,
        &preview,
        &IMPORT_ACTOR,
        reason,
        || bar.inc(1),
    )
    .await?;
    bar.finish_and_clear();
    match saved {
        Saved::Done(n) => {
            let saved = if dry_run { "would be saved" } else { "saved" };
            out.push_str(&format!("{slug}: {n} figure(s) {saved} as drafts"));
            finish(tx, dry_run, out).await
        }
        Saved::Conflicts(lines) => anyhow::bail!(
            "{out}nothing was imported: the figures of rows {lines:?} changed while importing"
        ),
    }
}

async fn finish(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    dry_run: bool,
    report: String,
) -> anyhow::Result<String> {
    if dry_run {
        tx.rollback().await?;
        Ok(format!("{report}\ndry run: nothing was saved"))
    } else {
        tx.commit().await?;
        Ok(report)
    }
}
