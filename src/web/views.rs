//! What the templates show, computed once from a plan report: formatted figures and labels.

use crate::domain::plan::{ItemStatus, ObservationKind, ObservationState, UnitKind};
use crate::domain::progress::{Basis, Progress, Status, Unavailable};
use crate::domain::target::{Target, TargetComparator, TargetRule};
use crate::domain::time_progress::Status as Tp;
use crate::i18n::{Lang, t, t1, t2, tn};
use crate::report::{Headline, IndicatorReport, ItemReport, PlanReport, ProgrammeReport};
use crate::store::figures::HistoryRow;
use crate::store::plans::{Indicator, Observation, Plan};
use crate::store::revision::Reason;
use crate::web::chart::Chart;
use crate::web::format;
use rust_decimal::Decimal;

/// A status as readers see it: a symbol and a word, never colour alone.
pub struct StatusView {
    pub code: &'static str,
    pub label: String,
    pub symbol: &'static str,
    pub meaning: String,
}

pub fn status_view(status: impl Into<Headline>) -> StatusView {
    let status = status.into();
    let symbol = match status {
        Headline::OpenSdg(Status::TargetAchieved)
        | Headline::TimeProgress(Tp::Achieved | Tp::AchievedEarly) => "✓",
        Headline::OpenSdg(Status::SubstantialProgress) | Headline::TimeProgress(Tp::Ahead) => "↗",
        Headline::OpenSdg(Status::ModerateProgress) | Headline::TimeProgress(Tp::OnSchedule) => "→",
        Headline::OpenSdg(Status::LimitedProgress) | Headline::TimeProgress(Tp::Lagging) => "↘",
        Headline::OpenSdg(Status::Deterioration) | Headline::TimeProgress(Tp::NotAchieved) => "✕",
        Headline::OpenSdg(Status::NotAvailable)
        | Headline::TimeProgress(Tp::AwaitingData | Tp::AwaitingJudgement | Tp::NotEnoughData) => {
            "?"
        }
    };
    let code = status.code();
    StatusView {
        code,
        label: t(&format!("status-{code}")),
        symbol,
        meaning: t(&format!("status-{code}-meaning")),
    }
}

pub struct PlanHeader {
    pub slug: String,
    pub title_en: String,
    pub title_zh: String,
    pub period: String,
    pub baseline_year: i32,
    pub document: String,
    pub summary_en: String,
    pub summary_zh: String,
    /// The link text to the plan's final assessment.
    pub assessment_label: String,
}

impl PlanHeader {
    pub fn new(plan: &Plan) -> PlanHeader {
        let mut document = Vec::new();
        let issuer = Lang::current().pick(
            plan.issuer_zh.as_deref().unwrap_or_default(),
            plan.issuer_en.as_deref().unwrap_or_default(),
        );
        if !issuer.is_empty() {
            document.push(issuer.to_owned());
        }
        if let Some(number) = &plan.document_number {
            document.push(number.clone());
        }
        if let Some(date) = plan.issued_on {
            document.push(t1("plan-issued", "date", Lang::current().date(date)));
        }
        if let Some(date) = plan.published_on {
            document.push(t1("plan-published", "date", Lang::current().date(date)));
        }
        PlanHeader {
            slug: plan.slug.clone(),
            title_en: plan.title_en.clone(),
            title_zh: plan.title_zh.clone(),
            period: format!("{}–{}", plan.start_year, plan.end_year),
            baseline_year: plan.baseline_year,
            document: document.join(" · "),
            summary_en: plan.summary_en.clone().unwrap_or_default(),
            summary_zh: plan.summary_zh.clone().unwrap_or_default(),
            assessment_label: crate::i18n::t("assessment-title"),
        }
    }
}

pub struct PlanSummary {
    pub slug: String,
    pub title_en: String,
    pub title_zh: String,
    pub period: String,
    pub is_default: bool,
}

impl PlanSummary {
    pub fn new(plan: &Plan) -> PlanSummary {
        PlanSummary {
            slug: plan.slug.clone(),
            title_en: plan.title_en.clone(),
            title_zh: plan.title_zh.clone(),
            period: format!("{}–{}", plan.start_year, plan.end_year),
            is_default: plan.is_default,
        }
    }
}

/// One indicator as a row of the overview, and the head of its own page.
pub struct IndicatorRow {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub baseline: String,
    pub latest: String,
    pub latest_year: String,
    pub has_draft: bool,
    pub target: String,
    pub share: String,
    /// 0–100, for the bar beside the share.
    pub share_bar: f64,
    pub status: StatusView,
    pub basis: String,
}

fn decimals(ind: &Indicator) -> u32 {
    u32::from(ind.decimals)
}

pub fn value_text(ind: &Indicator, v: &rust_decimal::Decimal) -> String {
    format::with_unit(&format::decimal(*v), ind.unit, unit_label(ind))
}

/// A value where it stands as a headline (the overview's cells, the attention list, the head
/// of the indicator page): in 万/亿 on Chinese pages, exact in English ([`format::headline`]).
/// Tables, forms and downloads keep [`value_text`]'s exact digits.
pub fn headline_text(ind: &Indicator, v: &rust_decimal::Decimal) -> String {
    format::headline(*v, ind.unit, unit_label(ind))
}

/// The indicator's unit in the reader's language.
fn unit_label(ind: &Indicator) -> &str {
    Lang::current().pick(&ind.unit_zh, &ind.unit_en)
}

pub fn target_text(comparator: Option<TargetComparator>, value: String, year: i32) -> String {
    match comparator {
        Some(c) => t2(
            "target-by",
            "value",
            format!("{} {value}", c.symbol()),
            "year",
            year,
        ),
        None => t2("target-by", "value", value, "year", year),
    }
}

/// An indicator's target, structured, in the reader's language: "≥ 65 % by 2025", "2–3 % by
/// 2025", "average > 7 % a year, 2021–2025", "〔13.5〕 % over 2021–2025", "> GDP growth, every
/// year", or the plan's words for a textual target. `number` writes a value of the indicator;
/// `other` names another indicator of the plan by its code.
pub fn target_summary(
    ind: &Indicator,
    tg: &Target,
    first_year: i32,
    number: fn(&Indicator, &Decimal) -> String,
    other: &dyn Fn(&str) -> Option<String>,
) -> String {
    let with = |c: Option<TargetComparator>, v: &Decimal| match c {
        Some(c) => format!("{} {}", c.symbol(), number(ind, v)),
        None => number(ind, v),
    };
    let text = match &tg.rule {
        TargetRule::Level { value, comparator } => {
            target_text(*comparator, number(ind, value), tg.year)
        }
        TargetRule::Range { min, max } => {
            // Both ends written alike, the unit once.
            let both = format!("{}–{}", format::decimal(*min), format::decimal(*max));
            t2(
                "target-by",
                "value",
                format::with_unit(&both, ind.unit, unit_label(ind)),
                "year",
                tg.year,
            )
        }
        TargetRule::Average { value, comparator } => tn(
            "target-average",
            &[
                ("value", &with(*comparator, value)),
                ("from", &first_year),
                ("year", &tg.year),
            ],
        ),
        TargetRule::Cumulative { value, comparator } => tn(
            "target-cumulative",
            &[
                ("value", &with(*comparator, value)),
                ("from", &first_year),
                ("year", &tg.year),
            ],
        ),
        TargetRule::Increase { value } => t2(
            "target-increase",
            "value",
            format!("+{}", number(ind, value)),
            "year",
            tg.year,
        ),
        TargetRule::Relative {
            indicator,
            comparator,
            tolerance,
        } => {
            let name = other(indicator).unwrap_or_else(|| indicator.clone());
            match comparator {
                TargetComparator::About => t2(
                    "target-relative-about",
                    "indicator",
                    name,
                    "tolerance",
                    format::decimal(*tolerance),
                ),
                c => t2(
                    "target-relative",
                    "comparator",
                    c.symbol(),
                    "indicator",
                    name,
                ),
            }
        }
        TargetRule::Text => Lang::current()
            .pick(
                tg.wording_zh.as_deref().unwrap_or_default(),
                tg.wording_en.as_deref().unwrap_or_default(),
            )
            .to_owned(),
    };
    let text = if text.is_empty() {
        // A textual target worded in the other language only.
        tg.wording_zh
            .clone()
            .or(tg.wording_en.clone())
            .unwrap_or_default()
    } else {
        text
    };
    if tg.every_year && !matches!(tg.rule, TargetRule::Relative { .. }) {
        t1("target-every-year-suffix", "target", text)
    } else {
        text
    }
}

/// The target of an indicator of `report`, structured ([`target_summary`]), or "not
/// published".
pub fn plan_target_text(
    report: &PlanReport,
    ind: &Indicator,
    number: fn(&Indicator, &Decimal) -> String,
) -> String {
    match &ind.target {
        Some(tg) => target_summary(ind, tg, report.plan.start_year, number, &|code| {
            report.indicator(code).map(|o| {
                Lang::current()
                    .pick(&o.indicator.name_zh, &o.indicator.name_en)
                    .to_owned()
            })
        }),
        None => t("value-not-published"),
    }
}

/// The plan's own words for the target in the reader's language, else in the other one.
pub fn target_wording(tg: &Target) -> Option<String> {
    let (first, second) = if Lang::current().is_zh() {
        (&tg.wording_zh, &tg.wording_en)
    } else {
        (&tg.wording_en, &tg.wording_zh)
    };
    first
        .clone()
        .or_else(|| second.clone())
        .filter(|w| !w.trim().is_empty())
}

impl IndicatorRow {
    pub fn new(report: &PlanReport, r: &IndicatorReport) -> IndicatorRow {
        let ind = &r.indicator;
        let latest = r.latest();
        let p = &r.progress;
        IndicatorRow {
            code: ind.code.clone(),
            name_en: ind.name_en.clone(),
            name_zh: ind.name_zh.clone(),
            baseline: match ind
                .baseline
                .as_ref()
                .and_then(|b| b.value.map(|v| (b.year, v)))
            {
                Some((y, v)) => format!("{} ({y})", headline_text(ind, &v)),
                _ => t("value-not-published"),
            },
            latest: latest.map_or_else(|| t("value-no-data"), |o| headline_text(ind, &o.value)),
            latest_year: latest.map(|o| o.year.to_string()).unwrap_or_default(),
            has_draft: r
                .observations
                .iter()
                .any(|o| o.state == ObservationState::Draft),
            target: plan_target_text(report, ind, headline_text),
            share: p
                .share_of_way
                .map(|s| format::percent(s, 0))
                .unwrap_or_else(|| "—".into()),
            share_bar: p
                .share_of_way
                .map_or(0.0, |s| (s * 100.0).clamp(0.0, 100.0)),
            status: status_view(r.status),
            basis: match r.status {
                Headline::OpenSdg(_) => basis_text(p),
                Headline::TimeProgress(_) => time_basis_text(r),
            },
        }
    }
}

/// What a time-progress verdict was judged on: "p 69 % · t 60 %" where the method shares out
/// the way, else the year judged.
fn time_basis_text(r: &IndicatorReport) -> String {
    let j = &r.judgement;
    let share = |d: Option<Decimal>| {
        d.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d))
            .map(|v| format::percent(v, 0))
    };
    match (share(j.progress_share), share(j.time_share), j.year) {
        (Some(p), Some(t), _) => t2("basis-shares", "progress", p, "time", t),
        (_, _, Some(year)) => t1("basis-year", "year", year),
        _ => String::new(),
    }
}

fn basis_text(p: &Progress) -> String {
    match (p.status, p.basis) {
        (Status::TargetAchieved, _) | (_, Some(Basis::Target)) => t("basis-target"),
        (_, Some(Basis::TrendOnly)) => t("basis-trend"),
        (_, None) => String::new(),
    }
}

pub struct GroupView {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub rows: Vec<IndicatorRow>,
}

pub struct StatusCount {
    pub status: StatusView,
    pub count: usize,
    /// The overview's table narrowed to the indicators with this status.
    pub href: String,
}

pub fn status_counts(report: &PlanReport) -> Vec<StatusCount> {
    report
        .status_counts()
        .into_iter()
        .map(|(s, count)| StatusCount {
            status: status_view(s),
            count,
            href: TableView {
                status: Some(s),
                as_of: report.as_of_asked.then_some(report.as_of),
                ..TableView::default()
            }
            .href(&report.plan.slug),
        })
        .collect()
}

/// Why an indicator is on the overview's "needs attention" list. Read off the status the report
/// gives every page (and, once the plan's end year has a figure, the final assessment's verdict):
/// no second judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attention {
    /// The end year's figure misses the target.
    NotAchieved,
    Deterioration,
    LimitedProgress,
    /// Behind the share of the period elapsed (time progress).
    Lagging,
    /// No actual value published yet.
    NoFigure,
    /// One published value: a second is needed to judge.
    OneFigure,
    /// Figures the method cannot judge (they change sign): an official has to.
    Judgement,
    /// The target year has passed and its figure is not published yet (time progress).
    TargetYearFigure,
    /// A target in words awaits an official's published verdict.
    Verdict,
    /// Figures published, but not those the time-progress method needs (a baseline, or every
    /// year of a running average).
    NotEnough,
}

impl Attention {
    /// Whether `r` needs attention, and why; `None` for an indicator on track or done.
    pub fn of(r: &IndicatorReport, end_year: i32) -> Option<Attention> {
        let no_figure = r.latest().is_none();
        // Every status decided here, so a new one cannot slip past the list unnoticed.
        match r.status {
            Headline::OpenSdg(_) => {
                let result = r.final_result(end_year);
                if result.verdict == crate::report::Verdict::NotAchieved
                    && result.final_value.is_some_and(|o| o.year == end_year)
                {
                    return Some(Attention::NotAchieved);
                }
                match r.progress.status {
                    Status::TargetAchieved
                    | Status::SubstantialProgress
                    | Status::ModerateProgress => None,
                    Status::LimitedProgress => Some(Attention::LimitedProgress),
                    Status::Deterioration => Some(Attention::Deterioration),
                    Status::NotAvailable => Some(match r.progress.unavailable {
                        Some(Unavailable::NoActuals) => Attention::NoFigure,
                        Some(Unavailable::SinglePoint) => Attention::OneFigure,
                        Some(Unavailable::SignChange | Unavailable::YearlyRate) | None => {
                            Attention::Judgement
                        }
                    }),
                }
            }
            Headline::TimeProgress(s) => match s {
                Tp::AchievedEarly | Tp::Ahead | Tp::OnSchedule | Tp::Achieved => None,
                Tp::NotAchieved => Some(Attention::NotAchieved),
                Tp::Lagging => Some(Attention::Lagging),
                Tp::AwaitingJudgement => Some(Attention::Verdict),
                Tp::AwaitingData | Tp::NotEnoughData if no_figure => Some(Attention::NoFigure),
                Tp::AwaitingData => Some(Attention::TargetYearFigure),
                Tp::NotEnoughData => Some(Attention::NotEnough),
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Attention::NotAchieved => "not_achieved",
            Attention::Deterioration => "deterioration",
            Attention::LimitedProgress => "limited_progress",
            Attention::Lagging => "lagging",
            Attention::NoFigure => "no_figure",
            Attention::OneFigure => "one_figure",
            Attention::Judgement => "judgement",
            Attention::TargetYearFigure => "target_year_figure",
            Attention::Verdict => "verdict",
            Attention::NotEnough => "not_enough",
        }
    }
}

/// One entry of the overview's "needs attention" list.
pub struct AttentionItem {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub status: StatusView,
    /// `Attention::as_str`, for the page's markup.
    pub why_code: &'static str,
    /// Why it is listed, in the reader's language.
    pub why: String,
    /// The newest published figure and its year; empty when none is published.
    pub latest: String,
}

/// The indicators that need attention, the most pressing first, in plan order within each reason.
pub fn attention(report: &PlanReport) -> Vec<AttentionItem> {
    let end_year = report.plan.end_year;
    let mut listed: Vec<(Attention, &IndicatorReport)> = report
        .indicators()
        .filter_map(|r| Attention::of(r, end_year).map(|a| (a, r)))
        .collect();
    listed.sort_by_key(|(a, _)| *a);
    listed
        .into_iter()
        .map(|(a, r)| {
            let ind = &r.indicator;
            let latest = r.latest();
            AttentionItem {
                code: ind.code.clone(),
                name_en: ind.name_en.clone(),
                name_zh: ind.name_zh.clone(),
                status: status_view(r.status),
                why_code: a.as_str(),
                why: t1(&format!("attention-{}", a.as_str()), "year", end_year),
                latest: latest.map_or_else(String::new, |o| {
                    format!("{} ({})", headline_text(ind, &o.value), o.year)
                }),
            }
        })
        .collect()
}

/// The overview's full table as the reader asked for it (by the query: `status`, `group`,
/// `sort=status`). The default shows every indicator in plan order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableView {
    pub status: Option<Headline>,
    /// The year the verdicts are as of, when one was asked for.
    pub as_of: Option<i32>,
    /// A heading's code.
    pub group: Option<String>,
    /// Worst status first within each heading, instead of plan order.
    pub worst_first: bool,
}

impl TableView {
    /// The overview's address showing this view of the table, at the table.
    pub fn href(&self, slug: &str) -> String {
        let mut query = Vec::new();
        if let Some(s) = self.status {
            query.push(format!("status={}", s.code()));
        }
        if let Some(year) = self.as_of {
            query.push(format!("as_of={year}"));
        }
        if let Some(g) = &self.group {
            query.push(format!("group={}", super::link::query_value(g)));
        }
        if self.worst_first {
            query.push("sort=status".to_owned());
        }
        let slug = super::link::query_value(slug);
        if query.is_empty() {
            format!("/plans/{slug}#indicators")
        } else {
            format!("/plans/{slug}?{}#indicators", query.join("&"))
        }
    }
}

/// A choice of the table's filters: a link, marked when it is the one in force.
pub struct FilterLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The overview's full table, narrowed and ordered as asked, with the links that change it.
pub struct OverviewTable {
    pub groups: Vec<GroupView>,
    /// Indicators shown.
    pub shown: usize,
    pub by_group: Vec<FilterLink>,
    pub by_status: Vec<FilterLink>,
    pub orders: Vec<FilterLink>,
    /// What the table is narrowed to, in words; empty when it shows everything in plan order.
    pub active: String,
    /// Back to every indicator in plan order.
    pub clear_href: String,
}

pub fn overview_table(report: &PlanReport, view: &TableView) -> OverviewTable {
    let slug = &report.plan.slug;
    let lang = Lang::current();
    let mut shown = 0;
    let groups = report
        .groups
        .iter()
        .filter(|g| view.group.as_ref().is_none_or(|code| *code == g.group.code))
        .filter_map(|g| {
            let mut rows: Vec<&IndicatorReport> = g
                .indicators
                .iter()
                .filter(|r| view.status.is_none_or(|s| r.status == s))
                .collect();
            if view.worst_first {
                rows.sort_by_key(|r| r.status.worst_first());
            }
            shown += rows.len();
            (!rows.is_empty() || view.status.is_none()).then(|| GroupView {
                code: g.group.code.clone(),
                name_en: g.group.name_en.clone(),
                name_zh: g.group.name_zh.clone(),
                rows: rows
                    .into_iter()
                    .map(|r| IndicatorRow::new(report, r))
                    .collect(),
            })
        })
        .collect();
    let link = |label: String, to: TableView| FilterLink {
        label,
        current: to == *view,
        href: to.href(slug),
    };
    let mut by_group = vec![link(
        t("overview-filter-all-groups"),
        TableView {
            group: None,
            ..view.clone()
        },
    )];
    by_group.extend(report.groups.iter().map(|g| {
        link(
            lang.pick(&g.group.name_zh, &g.group.name_en).to_owned(),
            TableView {
                group: Some(g.group.code.clone()),
                ..view.clone()
            },
        )
    }));
    let mut by_status = vec![link(
        t("overview-filter-all-statuses"),
        TableView {
            status: None,
            ..view.clone()
        },
    )];
    // How many of each status the chosen heading (or the plan) holds.
    let in_view = |s: Headline| {
        report
            .groups
            .iter()
            .filter(|g| view.group.as_ref().is_none_or(|code| *code == g.group.code))
            .flat_map(|g| g.indicators.iter())
            .filter(|r| r.status == s)
            .count()
    };
    by_status.extend(Headline::all(report.plan.method).into_iter().map(|s| {
        let count = in_view(s);
        link(
            t2(
                "overview-filter-status-count",
                "status",
                status_view(s).label,
                "count",
                count,
            ),
            TableView {
                status: Some(s),
                ..view.clone()
            },
        )
    }));
    let orders = vec![
        link(
            t("overview-sort-plan"),
            TableView {
                worst_first: false,
                ..view.clone()
            },
        ),
        link(
            t("overview-sort-status"),
            TableView {
                worst_first: true,
                ..view.clone()
            },
        ),
    ];
    let total = report.indicators().count();
    let mut narrowed = Vec::new();
    if let Some(s) = view.status {
        narrowed.push(t1(
            "overview-showing-status",
            "status",
            status_view(s).label,
        ));
    }
    if let Some(g) = report
        .groups
        .iter()
        .find(|g| view.group.as_ref() == Some(&g.group.code))
    {
        narrowed.push(t1(
            "overview-showing-group",
            "group",
            lang.pick(&g.group.name_zh, &g.group.name_en).to_owned(),
        ));
    }
    if view.worst_first {
        narrowed.push(t("overview-showing-sorted"));
    }
    let active = if narrowed.is_empty() {
        String::new()
    } else {
        let what = narrowed.join(&t("overview-showing-separator"));
        crate::i18n::tn(
            "overview-showing",
            &[("shown", &shown), ("total", &total), ("what", &what)],
        )
    };
    OverviewTable {
        groups,
        shown,
        by_group,
        by_status,
        orders,
        active,
        clear_href: TableView::default().href(slug),
    }
}

/// The figures a status came from, as the indicator page explains them.
pub struct Figures {
    pub base: String,
    pub latest: String,
    pub cagr: String,
    pub required: String,
    pub ratio: String,
    pub share: String,
    pub projected: String,
    pub projected_year: String,
}

impl Figures {
    pub fn new(r: &IndicatorReport) -> Figures {
        let ind = &r.indicator;
        let p = &r.progress;
        let dash = || "—".to_owned();
        let point = |pt: Option<crate::domain::progress::Point>| {
            pt.map_or_else(dash, |pt| {
                format!("{} ({})", value_text(ind, &pt.value), pt.year)
            })
        };
        Figures {
            base: match (p.base, ind.baseline.as_ref().and_then(|b| b.value)) {
                // Not the published baseline: say what it is.
                (Some(b), None) => t2(
                    "ind-base-earliest",
                    "value",
                    value_text(ind, &b.value),
                    "year",
                    b.year,
                ),
                (base, _) => point(base),
            },
            latest: point(p.latest),
            cagr: p.cagr.map_or_else(dash, |v| format::percent(v, 2)),
            required: p.required_rate.map_or_else(dash, |v| format::percent(v, 2)),
            ratio: p.ratio.map_or_else(dash, format::ratio),
            share: p.share_of_way.map_or_else(dash, |v| format::percent(v, 1)),
            projected: p.projected_value.map_or_else(dash, |v| {
                format::with_unit(
                    &format::computed(v, u32::from(ind.decimals)),
                    ind.unit,
                    unit_label(ind),
                )
            }),
            projected_year: ind
                .target
                .as_ref()
                .map(|t| t.year.to_string())
                .unwrap_or_default(),
        }
    }
}

/// The time-progress method's working on the indicator page: what was judged, and how far
/// along the way and the period it stood.
pub struct TimeFigures {
    pub status: StatusView,
    /// The year of the figure judged; a dash when none could be.
    pub year: String,
    /// What the figure is: the year's value, the average so far or the change compounded so far.
    pub figure_label: String,
    pub figure: String,
    pub progress_share: String,
    pub time_share: String,
    /// The base p is measured from, named when it is not the published baseline.
    pub base: String,
}

impl TimeFigures {
    pub fn new(r: &IndicatorReport) -> TimeFigures {
        let ind = &r.indicator;
        let j = &r.judgement;
        let dash = || "—".to_owned();
        let share = |d: Option<Decimal>| {
            d.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d))
                .map_or_else(dash, |v| format::percent(v, 1))
        };
        let rule = ind.target.as_ref().map(|t| &t.rule);
        let (figure_label, figure) = match (rule, j.figure) {
            (Some(TargetRule::Average { .. }), Some(f)) => (
                t("ind-tp-average"),
                format::with_unit(&format::computed_decimal(f, 2), ind.unit, unit_label(ind)),
            ),
            (Some(TargetRule::Cumulative { .. }), Some(f)) => (
                t("ind-tp-compounded"),
                format::with_unit(&format::computed_decimal(f, 2), UnitKind::Percent, "%"),
            ),
            (_, Some(f)) => (t("ind-tp-figure"), value_text(ind, &f)),
            (_, None) => (t("ind-tp-figure"), dash()),
        };
        let base = match j.base {
            Some(crate::domain::time_progress::Base::Published(v)) => {
                t1("ind-tp-base-published", "value", value_text(ind, &v))
            }
            Some(crate::domain::time_progress::Base::BaselineYearFigure(v)) => t2(
                "ind-tp-base-year-figure",
                "value",
                value_text(ind, &v),
                "year",
                ind.baseline.as_ref().map_or(0, |b| b.year),
            ),
            Some(crate::domain::time_progress::Base::Zero) => t("ind-tp-base-zero"),
            None => dash(),
        };
        TimeFigures {
            status: status_view(j.status),
            year: j.year.map_or_else(dash, |y| y.to_string()),
            figure_label,
            figure,
            progress_share: share(j.progress_share),
            time_share: share(j.time_share),
            base,
        }
    }
}

/// One year of the indicator page's table.
pub struct YearRow {
    pub year: i32,
    pub actual: String,
    pub actual_draft: bool,
    pub national: String,
    pub source: String,
    pub note: String,
    pub confidence: String,
    /// Why the figure moved and what is being done (the draft's, for those who see drafts).
    pub commentary: String,
}

pub fn year_rows(r: &IndicatorReport) -> Vec<YearRow> {
    let mut years: Vec<i32> = r.observations.iter().map(|o| o.year).collect();
    years.sort_unstable();
    years.dedup();
    let find = |year: i32, kind: ObservationKind, state: ObservationState| {
        r.observations
            .iter()
            .find(|o| o.year == year && o.kind == kind && o.state == state)
    };
    let text = |o: Option<&Observation>| o.map(|o| format::decimal(o.value)).unwrap_or_default();
    years
        .into_iter()
        .map(|year| {
            let draft = find(year, ObservationKind::Actual, ObservationState::Draft);
            let actual =
                draft.or_else(|| find(year, ObservationKind::Actual, ObservationState::Published));
            let national = find(
                year,
                ObservationKind::NationalAverage,
                ObservationState::Published,
            );
            let described = actual.or(national);
            let mut sources: Vec<&str> = Vec::new();
            for o in [actual, national].into_iter().flatten() {
                if !o.source.is_empty() && !sources.contains(&o.source.as_str()) {
                    sources.push(&o.source);
                }
            }
            let mut notes: Vec<String> = Vec::new();
            if let Some(o) = actual.filter(|o| !o.note.is_empty()) {
                notes.push(o.note.clone());
            }
            if let Some(o) = national.filter(|o| !o.note.is_empty()) {
                notes.push(t1("years-national-note", "note", &o.note));
            }
            YearRow {
                year,
                actual: text(actual),
                actual_draft: draft.is_some(),
                national: text(national),
                source: sources.join("; "),
                note: notes.join(" "),
                commentary: actual.map(|o| o.commentary.clone()).unwrap_or_default(),
                confidence: described
                    .and_then(|o| o.confidence)
                    .map(|c| t(&format!("confidence-{}", c.as_str())))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

pub struct CountRow {
    pub year: i32,
    pub value: String,
    pub source: String,
    pub note: String,
}

pub struct ItemView {
    pub id: i64,
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub kind: String,
    pub field: String,
    pub host: String,
    /// The message id of the item's status now.
    pub status: &'static str,
    pub year: String,
    pub source: String,
    pub note: String,
    /// Not yet published: shown to signed-in readers only, marked.
    pub draft: bool,
    /// The reviewer's comment when the draft was sent back.
    pub returned: String,
    pub version: i32,
    /// Where the item started, then each published change, then a change awaiting review.
    pub history: Vec<StatusRow>,
    /// Whether a status change of the item awaits review.
    pub change_pending: bool,
}

/// One line of an item's status history.
pub struct StatusRow {
    /// The date the status was published (empty for where the item started, if unknown).
    pub date: String,
    pub status: &'static str,
    pub year: String,
    pub note: String,
    pub draft: bool,
    pub returned: String,
}

/// The message id of an item status.
pub fn item_status(s: Option<ItemStatus>) -> &'static str {
    match s {
        Some(ItemStatus::Planned) => "item-planned",
        Some(ItemStatus::Building) => "item-building",
        Some(ItemStatus::Operating) => "item-operating",
        Some(ItemStatus::Dropped) => "item-dropped",
        None => "item-not-reported",
    }
}

fn returned_text(
    by: &Option<String>,
    at: &Option<chrono::DateTime<chrono::Utc>>,
    comment: &str,
) -> String {
    match at {
        Some(_) => crate::i18n::t2(
            "item-sent-back-by",
            "name",
            by.as_deref().unwrap_or("?"),
            "comment",
            comment,
        ),
        None => String::new(),
    }
}

impl ItemView {
    pub fn new(r: &ItemReport) -> ItemView {
        let i = &r.item;
        let (status, year) = r.current();
        let lang = crate::i18n::Lang::current();
        let date = |at: Option<chrono::DateTime<chrono::Utc>>| {
            at.map(|at| lang.date(crate::i18n::local_date(&at)))
                .unwrap_or_default()
        };
        let mut history = vec![StatusRow {
            date: date(i.published_at),
            status: item_status(i.status),
            year: i.year.map(|y| y.to_string()).unwrap_or_default(),
            note: i.note.clone().unwrap_or_default(),
            draft: i.state == ObservationState::Draft,
            returned: String::new(),
        }];
        history.extend(r.changes.iter().map(|c| StatusRow {
            date: date(c.published_at),
            status: item_status(Some(c.status)),
            year: c.year.to_string(),
            note: c.note.clone(),
            draft: c.state == ObservationState::Draft,
            returned: returned_text(&c.returned_by_name, &c.returned_at, &c.review_comment),
        }));
        ItemView {
            id: i.programme_item_id,
            key: i.key.clone(),
            name_en: i.name_en.clone(),
            name_zh: i.name_zh.clone(),
            kind: i.kind.clone(),
            field: i.field.clone().unwrap_or_default(),
            host: i.host.clone().unwrap_or_default(),
            status: item_status(status),
            year: year.map(|y| y.to_string()).unwrap_or_default(),
            source: i.source.clone().unwrap_or_default(),
            note: i.note.clone().unwrap_or_default(),
            draft: i.state == ObservationState::Draft,
            returned: returned_text(&i.returned_by_name, &i.returned_at, &i.review_comment),
            version: i.version,
            history,
            change_pending: r.draft_change().is_some(),
        }
    }
}

pub struct ProgrammeView {
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub description_en: String,
    pub description_zh: String,
    pub target: String,
    pub latest: String,
    pub indicator_code: String,
    pub counts: Vec<CountRow>,
    pub items: Vec<ItemView>,
    pub source: String,
    /// The message id of the status whose items the yearly counts are derived from, if so.
    pub derived_from: &'static str,
}

impl ProgrammeView {
    pub fn new(r: &ProgrammeReport) -> ProgrammeView {
        let p = &r.programme;
        let unit = Lang::current().pick(&p.unit_zh, &p.unit_en).to_owned();
        let with_unit = |v: &rust_decimal::Decimal| format::headline(*v, UnitKind::Count, &unit);
        let published: Vec<&Observation> = r
            .counts
            .iter()
            .filter(|o| o.state == ObservationState::Published)
            .collect();
        let derived: Option<Vec<CountRow>> = r.derived.as_ref().map(|d| {
            d.iter()
                .map(|(year, n)| CountRow {
                    year: *year,
                    value: format::decimal(rust_decimal::Decimal::from(*n)),
                    source: crate::i18n::t("programme-derived-source"),
                    note: String::new(),
                })
                .collect()
        });
        ProgrammeView {
            slug: p.slug.clone(),
            name_en: p.name_en.clone(),
            name_zh: p.name_zh.clone(),
            description_en: p.description_en.clone().unwrap_or_default(),
            description_zh: p.description_zh.clone().unwrap_or_default(),
            target: match &p.target {
                Some(tg) => {
                    target_text(tg.comparator.map(Into::into), with_unit(&tg.value), tg.year)
                }
                _ => t("programme-no-target"),
            },
            latest: match r.derived.as_ref().and_then(|d| d.last()) {
                Some((year, n)) => {
                    format!("{} ({year})", with_unit(&rust_decimal::Decimal::from(*n)))
                }
                None => published.last().map_or_else(
                    || t("programme-no-count"),
                    |o| format!("{} ({})", with_unit(&o.value), o.year),
                ),
            },
            indicator_code: r.indicator_code.clone().unwrap_or_default(),
            counts: derived.unwrap_or_else(|| {
                published
                    .iter()
                    .map(|o| CountRow {
                        year: o.year,
                        value: format::decimal(o.value),
                        source: o.source.clone(),
                        note: o.note.clone(),
                    })
                    .collect()
            }),
            derived_from: match p.count_from_items {
                Some(s) => item_status(Some(s)),
                None => "",
            },
            items: r.items.iter().map(ItemView::new).collect(),
            source: p.source.clone().unwrap_or_default(),
        }
    }
}

/// The chart of an indicator, its values written with the indicator's unit.
pub fn chart(r: &IndicatorReport) -> Option<Chart> {
    let ind = &r.indicator;
    let decimals = u32::from(ind.decimals);
    Chart::new(r, |v| {
        format::with_unit(&format::computed(v, decimals.max(1)), ind.unit, "")
    })
}

/// One change as the history and audit pages show it.
pub struct HistoryView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub plan: String,
    pub what: String,
    pub link: String,
    pub year: String,
    pub kind: String,
    pub before: String,
    pub after: String,
    pub reason: String,
}

impl HistoryView {
    pub fn new(h: &HistoryRow) -> HistoryView {
        let figure = |v: &Option<serde_json::Value>| -> String {
            let Some(v) = v.as_ref().filter(|_| h.entity == "observation") else {
                return String::new();
            };
            let value = v.get("value").map(|n| n.to_string()).unwrap_or_default();
            let value = match rust_decimal::Decimal::from_str_exact(&value) {
                Ok(d) => format::decimal(d),
                _ => value,
            };
            match v.get("state").and_then(|s| s.as_str()) {
                Some(state) => format!("{value} ({})", t(&format!("state-{state}"))),
                None => value,
            }
        };
        let summary = |v: &Option<serde_json::Value>| -> String {
            let Some(v) = v else { return String::new() };
            let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default();
            let state = match text("state") {
                "" => String::new(),
                s => format!(" ({s})"),
            };
            match h.entity.as_str() {
                "assessment" => format!("{}{state}", text("commentary")),
                "report" => format!(
                    "{}{}{}{state}",
                    text("summary"),
                    t("report-sentence-separator"),
                    text("recommendations")
                ),
                "verdict" => {
                    let status = text("status")
                        .parse::<Tp>()
                        .map(|s| status_view(s).label)
                        .unwrap_or_default();
                    format!("{status}{}{}{state}", t("label-separator"), text("reason"))
                }
                _ => {
                    let status = text("status")
                        .parse::<ItemStatus>()
                        .map(|s| crate::i18n::t(item_status(Some(s))))
                        .unwrap_or_default();
                    let year = v.get("year").and_then(|y| y.as_i64());
                    let mut parts = vec![text("name_en").to_owned()];
                    if !status.is_empty() {
                        parts.push(match year {
                            Some(y) => format!("{status} {y}"),
                            None => status,
                        });
                    }
                    format!("{}{state}", parts.join(": "))
                }
            }
        };
        // A definition's change: the fields it changed, before and after.
        let definition = |side: fn(&crate::store::seed::FieldChange) -> &String| -> String {
            if h.entity == "observation" {
                return String::new();
            }
            let changes = crate::store::seed::field_changes(h.before.as_ref(), h.after.as_ref());
            if h.before.is_none() {
                return String::new();
            }
            changes
                .iter()
                .take(12)
                .map(|c| format!("{}: {}", c.field, side(c)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        // Items and assessment commentary changed through the site (drafts, reviews) rather
        // than definitions loaded from a seed file: their JSON carries the state.
        let site_change = matches!(
            h.entity.as_str(),
            "item" | "assessment" | "verdict" | "report"
        ) && h.after.as_ref().and_then(|v| v.get("state")).is_some();
        let (before, after) = match site_change {
            true => (summary(&h.before), summary(&h.after)),
            false => (
                figure(&h.before) + &definition(|c| &c.old),
                figure(&h.after) + &definition(|c| &c.new),
            ),
        };
        let action = match (h.entity.as_str(), h.action.as_str()) {
            ("target", "amend") => t("history-target-amended"),
            ("item", _) | ("assessment", _) if !site_change => match h.action.as_str() {
                "create" => t1("history-definition-created", "entity", &h.entity),
                _ => t1("history-definition-changed", "entity", &h.entity),
            },
            ("item", "create") => crate::i18n::t("history-item-create"),
            ("item", "update") => crate::i18n::t("history-item-update"),
            ("item", "status") => crate::i18n::t("history-item-status"),
            ("item", "publish") => crate::i18n::t("history-item-publish"),
            ("item", "send_back") => crate::i18n::t("history-item-send-back"),
            ("assessment", "create" | "update") => crate::i18n::t("history-assessment-draft"),
            ("assessment", "publish") => crate::i18n::t("history-assessment-publish"),
            ("assessment", "send_back") => crate::i18n::t("history-assessment-send-back"),
            ("verdict", "create" | "update") => t("history-verdict-draft"),
            ("verdict", "publish") => t("history-verdict-publish"),
            ("verdict", "send_back") => t("history-verdict-send-back"),
            ("report", "create" | "update") => t("history-report-draft"),
            ("report", "publish") => t("history-report-publish"),
            ("report", "send_back") => t("history-report-send-back"),
            ("observation", "create") => t("history-entered"),
            ("observation", "update") => t("history-revised"),
            ("observation", "publish") => t("history-published"),
            ("observation", "send_back") => t("history-sent-back"),
            (entity, "create") => t1("history-definition-created", "entity", entity),
            (entity, _) => t1("history-definition-changed", "entity", entity),
        };
        let (what, link) = match (&h.indicator_code, &h.programme_slug) {
            (Some(code), _) => (
                h.indicator_name.clone().unwrap_or_else(|| code.clone()),
                format!("/plans/{}/indicators/{code}", h.plan_slug),
            ),
            (None, Some(slug)) => (
                h.programme_name.clone().unwrap_or_else(|| slug.clone()),
                format!("/plans/{}/programmes/{slug}", h.plan_slug),
            ),
            (None, None) if h.entity == "report" => (
                t1("review-report-what", "year", h.year.unwrap_or_default()),
                format!(
                    "/plans/{}/reports/{}?format=html",
                    h.plan_slug,
                    h.year.unwrap_or_default()
                ),
            ),
            (None, None) => (h.entity.clone(), format!("/plans/{}", h.plan_slug)),
        };
        HistoryView {
            at: crate::i18n::time(&h.at),
            actor: h.actor.clone(),
            action,
            plan: h.plan_slug.clone(),
            what,
            link,
            year: h.year.map(|y| y.to_string()).unwrap_or_default(),
            kind: match h.kind.as_deref() {
                Some("actual") | None => String::new(),
                Some(k) => t(&format!("kind-{k}")),
            },
            before,
            after,
            reason: reason_text(h.reason()),
        }
    }
}

/// A stored reason as the reader reads it: as a person typed it, or the system's own in the
/// reader's language.
pub fn reason_text(reason: Reason<'_>) -> String {
    match reason {
        Reason::Typed(text) => text.to_owned(),
        Reason::System(code, file) => t1(&format!("reason-{}", code.as_str()), "file", file),
    }
}

/// A target that an amendment replaced, as the indicator page shows it.
pub struct EarlierTargetView {
    pub target: String,
    pub replaced_on: String,
    pub replaced_by: String,
    pub reason: String,
}

pub fn earlier_targets(report: &PlanReport, r: &IndicatorReport) -> Vec<EarlierTargetView> {
    let lang = Lang::current();
    let names = |code: &str| {
        report.indicator(code).map(|o| {
            lang.pick(&o.indicator.name_zh, &o.indicator.name_en)
                .to_owned()
        })
    };
    r.earlier_targets
        .iter()
        .rev()
        .map(|e| EarlierTargetView {
            target: target_summary(
                &r.indicator,
                &e.target,
                report.plan.start_year,
                value_text,
                &names,
            ),
            replaced_on: lang.date(crate::i18n::local_date(&e.replaced_at)),
            replaced_by: e.replaced_by.clone(),
            reason: reason_text(Reason::stored(e.reason_code.as_deref(), &e.reason)),
        })
        .collect()
}

/// One plan's part of an indicator's series across plans.
pub struct PlanSpan {
    pub title: String,
    pub href: String,
    pub baseline: String,
    pub target: String,
    pub current: bool,
}

/// One year of a series across plans.
pub struct AcrossRow {
    pub year: i32,
    pub plan: String,
    pub actual: String,
    pub national: String,
}

/// An indicator with the one it continues: both plans and their published values year by year.
pub struct Across {
    pub plans: Vec<PlanSpan>,
    pub rows: Vec<AcrossRow>,
    pub chart: Option<Chart>,
}

impl Across {
    pub fn new(
        earlier: (&PlanReport, &IndicatorReport),
        current: (&PlanReport, &IndicatorReport),
    ) -> Across {
        let lang = Lang::current();
        let span = |(report, r): (&PlanReport, &IndicatorReport), is_current: bool| {
            let plan = &report.plan;
            let row = IndicatorRow::new(report, r);
            PlanSpan {
                title: lang.pick(&plan.title_zh, &plan.title_en).to_owned(),
                href: format!("/plans/{}/indicators/{}", plan.slug, r.indicator.code),
                baseline: row.baseline,
                target: row.target,
                current: is_current,
            }
        };
        let mut rows = Vec::new();
        for (report, r) in [earlier, current] {
            let plan = &report.plan;
            let short = format!("{}–{}", plan.start_year, plan.end_year);
            let mut years: Vec<i32> = r
                .published(ObservationKind::Actual)
                .chain(r.published(ObservationKind::NationalAverage))
                .map(|o| o.year)
                .collect();
            years.sort_unstable();
            years.dedup();
            for year in years {
                let find = |kind| {
                    r.published(kind)
                        .find(|o| o.year == year)
                        .map(|o| value_text(&r.indicator, &o.value))
                        .unwrap_or_default()
                };
                // The later plan's value wins where both hold one for a year.
                rows.retain(|x: &AcrossRow| x.year != year);
                rows.push(AcrossRow {
                    year,
                    plan: short.clone(),
                    actual: find(ObservationKind::Actual),
                    national: find(ObservationKind::NationalAverage),
                });
            }
        }
        rows.sort_by_key(|r| r.year);
        let ind = &current.1.indicator;
        let decimals = decimals(ind);
        Across {
            plans: vec![span(earlier, false), span(current, true)],
            rows,
            chart: Chart::across(current.1, Some(earlier.1), |v| {
                format::with_unit(&format::computed(v, decimals.max(1)), ind.unit, "")
            }),
        }
    }
}

/// An official's verdict on a target in words, as the indicator page lists it.
pub struct VerdictView {
    pub year: i32,
    pub status: StatusView,
    pub reason: String,
    pub draft: bool,
    /// Who gave it and who published it, when.
    pub by: String,
    /// The reviewer's comment when it was sent back.
    pub returned: String,
}

/// The verdicts of `r` the reader may see, newest year first.
pub fn verdicts(r: &IndicatorReport) -> Vec<VerdictView> {
    r.verdicts
        .iter()
        .rev()
        .map(|v| {
            let entered = v.entered_by_name.clone().unwrap_or_default();
            let by = match (&v.published_by_name, v.published_at) {
                (Some(p), Some(at)) => tn(
                    "verdict-by-published",
                    &[
                        ("entered", &entered),
                        ("published", p),
                        ("date", &Lang::current().date(crate::i18n::local_date(&at))),
                    ],
                ),
                _ => t1("verdict-by-draft", "entered", &entered),
            };
            VerdictView {
                year: v.year,
                status: status_view(v.status),
                reason: v.reason.clone(),
                draft: v.state == ObservationState::Draft,
                by,
                returned: match (&v.returned_by_name, v.returned_at) {
                    (Some(who), Some(_)) => {
                        t2("verdict-returned", "who", who, "comment", &v.review_comment)
                    }
                    _ => String::new(),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod table_view_tests {
    use super::*;

    #[test]
    fn a_view_of_the_table_is_an_address_with_only_what_differs_from_the_default() {
        assert_eq!(TableView::default().href("p"), "/plans/p#indicators");
        let view = TableView {
            status: Some(Headline::OpenSdg(Status::LimitedProgress)),
            as_of: Some(2023),
            group: Some("a b&c".into()),
            worst_first: true,
        };
        assert_eq!(
            view.href("p"),
            "/plans/p?status=limited_progress&as_of=2023&group=a%20b%26c&sort=status#indicators"
        );
    }

    #[test]
    fn worst_first_puts_moving_away_first_and_not_enough_data_last() {
        let mut all = Headline::all(crate::domain::plan::Method::OpenSdg);
        all.sort_by_key(|s| s.worst_first());
        assert_eq!(all[0], Headline::OpenSdg(Status::Deterioration));
        assert_eq!(all[4], Headline::OpenSdg(Status::TargetAchieved));
        assert_eq!(all[5], Headline::OpenSdg(Status::NotAvailable));
        let mut all = Headline::all(crate::domain::plan::Method::TimeProgress);
        all.sort_by_key(|s| s.worst_first());
        assert_eq!(all[0], Headline::TimeProgress(Tp::NotAchieved));
        assert_eq!(all[1], Headline::TimeProgress(Tp::Lagging));
        assert_eq!(all[8], Headline::TimeProgress(Tp::NotEnoughData));
    }
}
