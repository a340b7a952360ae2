//! A plan's annual monitoring report (年度监测报告) for a year, and for the plan's last year its
//! final assessment (总结评估报告): what the document says, gathered once from the plan report
//! as of that year, in the reader's language. The print page (`web::reports`) and the Word file
//! ([`docx`]) both write this, so they cannot disagree; and its statuses are the plan report's,
//! the same judgement as every page, download and the API's `as_of`.
//!
//! Only published figures, items, verdicts and words go in: drafts are never part of a report.

pub mod docx;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::plan::{Confidence, ItemStatus, Nature, ObservationKind, ObservationState};
use crate::i18n::{self, Lang, t, t1, t2};
use crate::report::{Headline, IndicatorReport, PlanReport};
use crate::store::plans::{Plan, Visibility};
use crate::store::report_words::{self, Words};
use crate::web::format;
use crate::web::views::{self, StatusView};

/// Which document a year's report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A year within the plan: the annual monitoring report.
    Annual,
    /// The plan's end year: the final assessment.
    Final,
}

pub struct AnnualReport {
    pub kind: Kind,
    pub lang: Lang,
    pub plan_slug: String,
    pub plan_title: String,
    pub year: i32,
    /// The document's title: the plan's title and the report's kind and year.
    pub title: String,
    pub issuer: String,
    /// When this document was generated, in the plan's time zone.
    pub generated: String,
    /// From which figures: the newest publication among those the report uses.
    pub figures_from: String,
    pub method: String,
    pub overall: Overall,
    pub groups: Vec<TableGroup>,
    pub programmes: Vec<ProgrammeLine>,
    pub attention: Vec<AttentionLine>,
    /// How statuses are decided: the method and its thresholds, one sentence each.
    pub method_notes: Vec<String>,
    pub sources: Vec<SourceLine>,
    /// The officials' published summary and recommendations, if published.
    pub words: Option<PublishedWords>,
}

pub struct PublishedWords {
    pub summary: String,
    pub recommendations: String,
    /// "Published 28 Nov 2026 by …".
    pub published: String,
}

/// How many indicators have each status, binding ones counted apart.
pub struct Overall {
    pub total: usize,
    pub binding_total: usize,
    pub lines: Vec<StatusLine>,
    /// One sentence: "Of 13 indicators, 5 are achieved …".
    pub sentence: String,
}

pub struct StatusLine {
    pub status: StatusView,
    pub all: usize,
    pub binding: usize,
}

pub struct TableGroup {
    pub name: String,
    pub rows: Vec<Row>,
}

/// One indicator's line of the main table (主要指标完成情况).
pub struct Row {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub nature: String,
    pub baseline: String,
    pub target: String,
    /// The plan's own words for the target, where they say more than `target`.
    pub wording: String,
    /// The year's value (or the newest before it, with its year).
    pub value: String,
    pub progress_share: String,
    pub time_share: String,
    pub status: StatusView,
    pub source: String,
}

pub struct ProgrammeLine {
    pub name: String,
    pub count: String,
    pub target: String,
    /// "Operating: 5", by item status, the statuses with items only.
    pub by_status: Vec<(String, usize)>,
    /// Each item and its status as of the year.
    pub items: Vec<(String, String)>,
}

/// An indicator that needs attention (存在问题): lagging or not achieved.
pub struct AttentionLine {
    pub code: String,
    pub name: String,
    pub status: StatusView,
    /// What the status was judged on: "p 40 % · t 60 %" or the year judged.
    pub basis: String,
    /// The chart as an SVG document (no declaration), if it has something to draw.
    pub chart_svg: Option<String>,
    /// What the chart shows, in words: its alternative text.
    pub chart_alt: String,
    /// The officials' published commentary on the year's figure.
    pub commentary: String,
}

/// One published figure and where it comes from.
pub struct SourceLine {
    pub indicator: String,
    pub year: i32,
    pub value: String,
    pub source: String,
    pub confidence: String,
}

/// The years a plan has reports for: from its first year to its end year, not past this year.
pub fn years(plan: &Plan) -> std::ops::RangeInclusive<i32> {
    plan.start_year..=plan.end_year.min(crate::report::this_year())
}

/// Gathers the report of `plan` for `year` from published figures and words, in the current
/// language.
pub async fn load(conn: &mut PgConnection, plan: Plan, year: i32) -> sqlx::Result<AnnualReport> {
    let words = report_words::for_plan(conn, plan.plan_id, Visibility::Published)
        .await?
        .remove(&year)
        .and_then(|w| w.published);
    load_with(conn, plan, year, words.as_ref()).await
}

/// [`load`] with the year's published words already read.
pub async fn load_with(
    conn: &mut PgConnection,
    plan: Plan,
    year: i32,
    words: Option<&Words>,
) -> sqlx::Result<AnnualReport> {
    let report = PlanReport::load_as_of(conn, plan, Visibility::Published, Some(year)).await?;
    Ok(build(&report, words, Utc::now()))
}

fn dash() -> String {
    "—".to_owned()
}

fn share(d: Option<rust_decimal::Decimal>) -> String {
    d.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d))
        .map_or_else(dash, |v| format::percent(v, 1))
}

/// The report of `report` (loaded as of its year, published figures only) with the officials'
/// published `words`, generated at `now`.
pub fn build(report: &PlanReport, words: Option<&Words>, now: DateTime<Utc>) -> AnnualReport {
    let lang = Lang::current();
    let plan = &report.plan;
    let year = report.as_of;
    let kind = if year >= plan.end_year {
        Kind::Final
    } else {
        Kind::Annual
    };
    let plan_title = lang.pick(&plan.title_zh, &plan.title_en).to_owned();
    let title = match kind {
        Kind::Annual => t2("report-title-annual", "plan", &plan_title, "year", year),
        Kind::Final => t2("report-title-final", "plan", &plan_title, "year", year),
    };
    let newest = report
        .indicators()
        .flat_map(|r| r.observations.iter())
        .chain(report.programmes.iter().flat_map(|p| p.counts.iter()))
        .filter_map(|o| o.published_at)
        .max();
    AnnualReport {
        kind,
        lang,
        plan_slug: plan.slug.clone(),
        year,
        title,
        issuer: lang
            .pick(
                plan.issuer_zh.as_deref().unwrap_or_default(),
                plan.issuer_en.as_deref().unwrap_or_default(),
            )
            .to_owned(),
        generated: i18n::time(&now),
        figures_from: match newest {
            Some(at) => t2("report-figures-from", "year", year, "at", i18n::time(&at)),
            None => t1("report-figures-none", "year", year),
        },
        method: t(&format!("method-name-{}", plan.method.as_str())),
        overall: overall(report),
        groups: report
            .groups
            .iter()
            .filter(|g| !g.indicators.is_empty())
            .map(|g| TableGroup {
                name: lang.pick(&g.group.name_zh, &g.group.name_en).to_owned(),
                rows: g.indicators.iter().map(|r| row(report, r)).collect(),
            })
            .collect(),
        programmes: report
            .programmes
            .iter()
            .map(|p| programme(p, year))
            .collect(),
        attention: attention(report),
        method_notes: method_notes(plan),
        sources: sources(report),
        words: words.map(|w| PublishedWords {
            summary: w.summary.clone(),
            recommendations: w.recommendations.clone(),
            published: t2(
                "report-words-published",
                "at",
                w.published_at.as_ref().map(i18n::time).unwrap_or_default(),
                "name",
                w.published_by_name.as_deref().unwrap_or("?"),
            ),
        }),
        plan_title,
    }
}

fn overall(report: &PlanReport) -> Overall {
    let binding = |r: &&IndicatorReport| r.indicator.nature == Some(Nature::Binding);
    let lines: Vec<StatusLine> = Headline::all(report.plan.method)
        .into_iter()
        .map(|s| StatusLine {
            status: views::status_view(s),
            all: report.indicators().filter(|r| r.status == s).count(),
            binding: report
                .indicators()
                .filter(binding)
                .filter(|r| r.status == s)
                .count(),
        })
        .filter(|l| l.all > 0)
        .collect();
    let total = report.indicators().count();
    let parts: Vec<String> = lines
        .iter()
        .map(|l| {
            t2(
                "report-overall-part",
                "count",
                l.all,
                "status",
                &l.status.label,
            )
        })
        .collect();
    Overall {
        total,
        binding_total: report.indicators().filter(binding).count(),
        sentence: t2(
            "report-overall-sentence",
            "total",
            total,
            "parts",
            parts.join(t("report-list-separator").as_str()),
        ),
        lines,
    }
}

fn unit_label(r: &IndicatorReport) -> String {
    Lang::current()
        .pick(&r.indicator.unit_zh, &r.indicator.unit_en)
        .to_owned()
}

fn row(report: &PlanReport, r: &IndicatorReport) -> Row {
    let ind = &r.indicator;
    let lang = Lang::current();
    let latest = r.latest();
    let target = views::plan_target_text(report, ind, views::headline_text);
    let wording = ind
        .target
        .as_ref()
        .and_then(views::target_wording)
        .filter(|w| *w != target)
        .unwrap_or_default();
    Row {
        code: ind.code.clone(),
        name: lang.pick(&ind.name_zh, &ind.name_en).to_owned(),
        unit: unit_label(r),
        nature: t(&format!(
            "report-nature-{}",
            ind.nature.map_or("none", |n| n.as_str())
        )),
        baseline: match ind
            .baseline
            .as_ref()
            .and_then(|b| b.value.map(|v| (b.year, v)))
        {
            Some((y, v)) => format!("{} ({y})", views::headline_text(ind, &v)),
            None => dash(),
        },
        target,
        wording,
        value: match latest {
            Some(o) if o.year == report.as_of => views::headline_text(ind, &o.value),
            Some(o) => format!("{} ({})", views::headline_text(ind, &o.value), o.year),
            None => t("value-no-data"),
        },
        progress_share: share(r.judgement.progress_share),
        time_share: share(r.judgement.time_share),
        status: views::status_view(r.status),
        source: latest.map(|o| o.source.clone()).unwrap_or_default(),
    }
}

fn programme(p: &crate::report::ProgrammeReport, year: i32) -> ProgrammeLine {
    let lang = Lang::current();
    let g = &p.programme;
    let unit = lang.pick(&g.unit_zh, &g.unit_en).to_owned();
    let counted =
        |v: rust_decimal::Decimal| format::headline(v, crate::domain::plan::UnitKind::Count, &unit);
    let count = match &p.derived {
        Some(d) => d
            .iter()
            .rev()
            .find(|(y, _)| *y <= year)
            .map(|(y, n)| (*y, rust_decimal::Decimal::from(*n))),
        None => p
            .counts
            .iter()
            .rfind(|o| o.state == ObservationState::Published && o.year <= year)
            .map(|o| (o.year, o.value)),
    };
    // Each published item's status as of the year: its newest published change by then, else
    // where it started (items that started later are left out).
    let items: Vec<(String, Option<ItemStatus>)> = p
        .items
        .iter()
        .filter(|i| i.item.state == ObservationState::Published)
        .filter(|i| i.item.year.is_none_or(|y| y <= year))
        .map(|i| {
            let status = i
                .changes
                .iter()
                .rev()
                .find(|c| c.state == ObservationState::Published && c.year <= year)
                .map(|c| c.status)
                .or(i.item.status);
            (
                lang.pick(&i.item.name_zh, &i.item.name_en).to_owned(),
                status,
            )
        })
        .collect();
    let by_status = [
        ItemStatus::Operating,
        ItemStatus::Building,
        ItemStatus::Planned,
        ItemStatus::Dropped,
    ]
    .into_iter()
    .map(Some)
    .chain([None])
    .map(|s| {
        (
            t(views::item_status(s)),
            items.iter().filter(|(_, x)| *x == s).count(),
        )
    })
    .filter(|(_, n)| *n > 0)
    .collect();
    ProgrammeLine {
        name: lang.pick(&g.name_zh, &g.name_en).to_owned(),
        count: count.map_or_else(
            || t("programme-no-count"),
            |(y, v)| format!("{} ({y})", counted(v)),
        ),
        target: match &g.target {
            Some(tg) => {
                views::target_text(tg.comparator.map(Into::into), counted(tg.value), tg.year)
            }
            None => t("programme-no-target"),
        },
        by_status,
        items: items
            .into_iter()
            .map(|(name, s)| (name, t(views::item_status(s))))
            .collect(),
    }
}

/// What a status was judged on, as the overview says it.
fn basis(r: &IndicatorReport) -> String {
    let j = &r.judgement;
    match (j.progress_share.is_some() && j.time_share.is_some(), j.year) {
        (true, _) => t2(
            "basis-shares",
            "progress",
            share(j.progress_share),
            "time",
            share(j.time_share),
        ),
        (false, Some(y)) => t1("basis-year", "year", y),
        _ => String::new(),
    }
}

fn attention(report: &PlanReport) -> Vec<AttentionLine> {
    let lang = Lang::current();
    let mut lines: Vec<(u8, AttentionLine)> = report
        .indicators()
        .filter(|r| r.status.needs_attention())
        .map(|r| {
            let ind = &r.indicator;
            let name = lang.pick(&ind.name_zh, &ind.name_en).to_owned();
            let figures: Vec<String> = r
                .observations
                .iter()
                .filter(|o| o.kind == ObservationKind::Actual)
                .map(|o| format!("{} {}", o.year, views::value_text(ind, &o.value)))
                .collect();
            let target = views::plan_target_text(report, ind, views::value_text);
            let chart_alt = t2(
                "report-chart-alt",
                "indicator",
                &name,
                "figures",
                format!(
                    "{}{}{}",
                    figures.join(t("report-list-separator").as_str()),
                    t("report-sentence-separator"),
                    t1("report-chart-alt-target", "target", target)
                ),
            );
            // The commentary on the newest figure judged: why it moved, what is being done.
            let commentary = r
                .observations
                .iter()
                .rev()
                .find(|o| o.kind == ObservationKind::Actual && !o.commentary.trim().is_empty())
                .map(|o| format!("{}: {}", o.year, o.commentary))
                .unwrap_or_default();
            let line = AttentionLine {
                code: ind.code.clone(),
                name,
                status: views::status_view(r.status),
                basis: basis(r),
                chart_svg: crate::web::chart::svg(
                    report,
                    r,
                    crate::web::layout::Layout::default(),
                    false,
                )
                .ok()
                .flatten(),
                chart_alt,
                commentary,
            };
            (r.status.worst_first(), line)
        })
        .collect();
    lines.sort_by_key(|(order, _)| *order);
    lines.into_iter().map(|(_, l)| l).collect()
}

fn method_notes(plan: &Plan) -> Vec<String> {
    match plan.method {
        crate::domain::plan::Method::TimeProgress => vec![
            t("report-method-time-progress"),
            t2(
                "report-method-thresholds",
                "ahead",
                format::decimal(plan.ahead_factor.normalize()),
                "behind",
                format::decimal(plan.behind_factor.normalize()),
            ),
            t("report-method-drafts"),
        ],
        crate::domain::plan::Method::OpenSdg => {
            vec![t("report-method-open-sdg"), t("report-method-drafts")]
        }
    }
}

fn confidence(c: Option<Confidence>) -> String {
    c.map(|c| t(&format!("confidence-{}", c.as_str())))
        .unwrap_or_else(dash)
}

fn sources(report: &PlanReport) -> Vec<SourceLine> {
    let lang = Lang::current();
    report
        .indicators()
        .flat_map(|r| {
            let ind = &r.indicator;
            r.observations
                .iter()
                .filter(|o| o.kind == ObservationKind::Actual)
                .map(move |o| SourceLine {
                    indicator: lang.pick(&ind.name_zh, &ind.name_en).to_owned(),
                    year: o.year,
                    value: views::value_text(ind, &o.value),
                    source: o.source.clone(),
                    confidence: confidence(o.confidence),
                })
        })
        .collect()
}
