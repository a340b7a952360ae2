//! The indicator chart, drawn on the server as SVG: actual values, the path required from the
//! baseline to the target, the projection at the current pace, the target itself and the
//! national average. The same SVG is shown on the indicator page and offered as a file
//! (`/plans/{plan}/indicators/{code}/chart.svg`, [`download`]); it carries its colours as
//! presentation attributes so that the file looks the same without the site's stylesheet.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_decimal::prelude::ToPrimitive;

use super::extract::{CurrentPlan, Path};
use super::layout::Layout;
use super::reader::Reader;
use super::views::{self, IndicatorRow};
use super::{AppError, AppState};
use crate::domain::plan::ObservationKind;
use crate::domain::progress::Progress;
use crate::domain::seed::IndicatorDef;
use crate::i18n::Lang;
use crate::report::{IndicatorReport, PlanReport};

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;
const RIGHT: f64 = 24.0;
/// Room above the plot for the unit of the y axis.
const TOP: f64 = 36.0;
const BOTTOM: f64 = 36.0;
/// The narrowest margin left of the plot; wider when the y axis' labels are long.
const MIN_LEFT: f64 = 48.0;
/// The widest a character of a tick label is drawn (in the SVG's units, at the largest font
/// the stylesheet gives the chart, on a phone), so that labels never run off the left edge.
const CHAR_WIDTH: f64 = 12.0;

pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// Where the observed trend leads: a dashed line from the latest actual to the value the
/// method projects for the target year.
pub struct Projection {
    pub path: String,
    pub end: Mark,
}

pub struct Chart {
    pub x_ticks: Vec<Mark>,
    pub y_ticks: Vec<Mark>,
    pub actual: Vec<Mark>,
    /// One line per run of consecutive years: a year without a figure leaves a gap.
    pub actual_paths: Vec<String>,
    pub national: Vec<Mark>,
    pub national_paths: Vec<String>,
    pub required_path: String,
    /// Only where the method gives a projected value.
    pub projection: Option<Projection>,
    pub target: Option<Mark>,
    pub baseline: Option<Mark>,
    /// On a chart across plans: the earlier plan's baseline and target.
    pub earlier_baseline: Option<Mark>,
    pub earlier_target: Option<Mark>,
    /// The indicator's unit in the reader's language, written above the y axis.
    pub unit: String,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub width: f64,
    pub height: f64,
}

impl Chart {
    /// `None` when there is nothing to draw.
    pub fn new(r: &IndicatorReport, fmt: impl Fn(f64) -> String) -> Option<Chart> {
        Chart::across(r, None, fmt)
    }

    /// The series of an indicator continued from `earlier` (the same indicator in an earlier
    /// plan): both plans' published values as one line, each plan's baseline and target marked.
    pub fn across(
        r: &IndicatorReport,
        earlier: Option<&IndicatorReport>,
        fmt: impl Fn(f64) -> String,
    ) -> Option<Chart> {
        let ind = &r.indicator;
        let series = |kind| -> Vec<(i32, f64)> {
            let mine: Vec<(i32, f64)> = r
                .published(kind)
                .filter_map(|o| Some((o.year, o.value.to_f64()?)))
                .collect();
            let mut all: Vec<(i32, f64)> = earlier
                .map(|e| {
                    e.published(kind)
                        .filter(|o| !mine.iter().any(|m| m.0 == o.year))
                        .filter_map(|o| Some((o.year, o.value.to_f64()?)))
                        .collect()
                })
                .unwrap_or_default();
            all.extend(mine);
            all.sort_by_key(|p| p.0);
            all
        };
        let actual = series(ObservationKind::Actual);
        let national = series(ObservationKind::NationalAverage);
        let earlier_baseline = earlier.and_then(|e| baseline_point(&e.indicator));
        let earlier_target = earlier.and_then(|e| target_point(&e.indicator));
        let baseline = baseline_point(ind);
        let target = target_point(ind);
        let required = required_path(&r.progress, target);
        let projection = match earlier {
            None => projection(&r.progress, target),
            Some(_) => None,
        };

        let all: Vec<(i32, f64)> = actual
            .iter()
            .chain(&national)
            .chain(&required)
            .chain(projection.iter().flatten())
            .copied()
            .chain(baseline)
            .chain(target)
            .chain(earlier_baseline)
            .chain(earlier_target)
            .collect();
        if all.is_empty() {
            return None;
        }
        let (mut x0, mut x1) = (i32::MAX, i32::MIN);
        let (mut y0, mut y1) = (f64::MAX, f64::MIN);
        for &(x, y) in &all {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if x0 == x1 {
            x0 -= 1;
            x1 += 1;
        }
        let (lo, hi, step) = nice_scale(y0, y1);
        let steps = ((hi - lo) / step).round() as usize;
        let y_values: Vec<f64> = (0..=steps).map(|i| lo + i as f64 * step).collect();
        let y_labels: Vec<String> = y_values.iter().map(|&v| fmt(v)).collect();
        let longest = y_labels.iter().map(|l| label_width(l)).max().unwrap_or(0);
        let left = (16.0 + longest as f64 * CHAR_WIDTH).max(MIN_LEFT).round();
        let plot_w = WIDTH - left - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let sx = |x: i32| left + (x - x0) as f64 / (x1 - x0) as f64 * plot_w;
        let sy = |y: f64| TOP + (hi - y) / (hi - lo) * plot_h;
        let mark = |(x, y): (i32, f64)| Mark {
            x: sx(x),
            y: sy(y),
            label: format!("{x}: {}", fmt(y)),
        };
        let path = |pts: &[(i32, f64)]| {
            pts.iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let paths = |pts: &[(i32, f64)]| runs(pts).into_iter().map(path).collect();
        // Years on the axis: at most about eight labels, so that they stay apart on a phone.
        let year_step = ((x1 - x0) as usize).div_ceil(8).max(1);
        let y_ticks = y_values
            .into_iter()
            .zip(y_labels)
            .map(|(v, label)| Mark {
                x: left,
                y: sy(v),
                label,
            })
            .collect();
        Some(Chart {
            x_ticks: (x0..=x1)
                .step_by(year_step)
                .map(|x| Mark {
                    x: sx(x),
                    y: HEIGHT - BOTTOM,
                    label: x.to_string(),
                })
                .collect(),
            y_ticks,
            actual_paths: paths(&actual),
            actual: actual.iter().copied().map(mark).collect(),
            national_paths: paths(&national),
            national: national.iter().copied().map(mark).collect(),
            required_path: path(&required),
            projection: projection.map(|[from, to]| Projection {
                path: path(&[from, to]),
                end: mark(to),
            }),
            target: target.map(mark),
            baseline: baseline.map(mark),
            earlier_baseline: earlier_baseline.map(mark),
            earlier_target: earlier_target.map(mark),
            unit: Lang::current().pick(&ind.unit_zh, &ind.unit_en).to_owned(),
            left,
            right: WIDTH - RIGHT,
            top: TOP,
            bottom: HEIGHT - BOTTOM,
            width: WIDTH,
            height: HEIGHT,
        })
    }
}

/// The series split where a year has no figure: each run of consecutive years is one line.
fn runs(points: &[(i32, f64)]) -> Vec<&[(i32, f64)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=points.len() {
        if i == points.len() || points[i].0 != points[i - 1].0 + 1 {
            out.push(&points[start..i]);
            start = i;
        }
    }
    out
}

/// How many digit-widths a tick label takes (a CJK character counts as two).
fn label_width(label: &str) -> usize {
    label
        .chars()
        .map(|c| {
            if c.is_ascii() || c == '\u{2212}' {
                1
            } else {
                2
            }
        })
        .sum()
}

/// The projection at the current pace: from the latest actual to the value the method
/// projects for the target year; none where the method gives no projected value.
fn projection(progress: &Progress, target: Option<(i32, f64)>) -> Option<[(i32, f64); 2]> {
    let latest = progress.latest?;
    let value = progress.projected_value.filter(|v| v.is_finite())?;
    let (t_year, _) = target?;
    if t_year <= latest.year {
        return None;
    }
    Some([(latest.year, latest.value.to_f64()?), (t_year, value)])
}

/// Year-by-year values on the compound path from the base to the target.
fn required_path(progress: &Progress, target: Option<(i32, f64)>) -> Vec<(i32, f64)> {
    let (Some(base), Some(rate), Some((t_year, _))) =
        (progress.base, progress.required_rate, target)
    else {
        return Vec::new();
    };
    let Some(y0) = base.value.to_f64() else {
        return Vec::new();
    };
    (base.year..=t_year)
        .map(|year| (year, y0 * (1.0 + rate).powi(year - base.year)))
        .collect()
}

/// A y axis from a round number below the data to a round number above, in about five steps.
fn nice_scale(min: f64, max: f64) -> (f64, f64, f64) {
    let (min, max) = if (max - min).abs() < f64::EPSILON {
        let pad = if max == 0.0 { 1.0 } else { max.abs() * 0.1 };
        (min - pad, max + pad)
    } else {
        (min, max)
    };
    let raw = (max - min) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let lo = (min / step).floor() * step;
    let lo = if min >= 0.0 && lo < 0.0 { 0.0 } else { lo };
    let hi = (max / step).ceil() * step;
    // Keep tick labels clean: 2.8, not 2.8000000000000003.
    let tidy = |v: f64| (v * 1e9).round() / 1e9;
    (tidy(lo), tidy(hi), tidy(step))
}

/// The baseline as a point of the chart, when it has a value.
fn baseline_point(ind: &IndicatorDef) -> Option<(i32, f64)> {
    let b = ind.baseline.as_ref()?;
    Some((b.year, b.value?.to_f64()?))
}

/// The target as a point of the chart, for a target that is a level of the indicator.
fn target_point(ind: &IndicatorDef) -> Option<(i32, f64)> {
    let t = ind.target.as_ref()?;
    let baseline = ind.baseline.as_ref().and_then(|b| b.value);
    Some((t.year, t.rule.level_value(baseline)?.to_f64()?))
}

/// The indicator's chart on its own: the same SVG as on its page, as a file (with a
/// declaration) or to place in another page or document.
#[derive(Template)]
#[template(path = "public/chart_file.svg")]
struct ChartFile {
    layout: Layout,
    row: IndicatorRow,
    c: Chart,
    has_required: bool,
    has_national: bool,
    declaration: bool,
}

/// The chart of `r` in the reader's language as an SVG document (`declaration`: with an XML
/// declaration, as a file), or `None` when it has nothing to draw.
pub fn svg(
    report: &PlanReport,
    r: &crate::report::IndicatorReport,
    layout: Layout,
    declaration: bool,
) -> Result<Option<String>, askama::Error> {
    let Some(c) = views::chart(r) else {
        return Ok(None);
    };
    ChartFile {
        layout: layout.with_plan(&report.plan.slug),
        row: IndicatorRow::new(report, r),
        has_national: !c.national.is_empty(),
        has_required: !c.required_path.is_empty(),
        c,
        declaration,
    }
    .render()
    .map(Some)
}

/// The indicator's chart as a file in the reader's language, and the file's name without its
/// extension (`chongqing-sti-2021-2025-rd-intensity-chart-en`).
async fn chart_file(
    state: &AppState,
    reader: Reader,
    code: &str,
    plan: crate::store::plans::Plan,
) -> Result<(String, String), AppError> {
    let report = state.report(plan, reader.visibility(), None).await?;
    let r = report.indicator(code).ok_or(AppError::NotFound)?;
    let file = svg(&report, r, reader.layout, true)?.ok_or(AppError::NotFound)?;
    // Slugs and codes are lowercase letters, digits and hyphens: safe in a header as they are.
    let name = format!(
        "{}-{}-chart-{}",
        report.plan.slug,
        r.indicator.code,
        Lang::current().key()
    );
    Ok((file, name))
}

fn attachment(content_type: &'static str, name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /plans/{plan}/indicators/{code}/chart.svg`: the chart of the indicator page in the
/// reader's language, as a download (public, kept by the page cache like the page).
pub async fn download(
    State(state): State<AppState>,
    reader: Reader,
    Path((_, code)): Path<(String, String)>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let (svg, name) = chart_file(&state, reader, &code, plan).await?;
    Ok(attachment(
        "image/svg+xml; charset=utf-8",
        &format!("{name}.svg"),
        svg,
    ))
}

/// Images drawn at once: drawing takes a core for tens of milliseconds, so a flood of image
/// requests waits here (within the request's time budget) and pages stay quick.
pub(crate) static DRAWING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// `GET /plans/{plan}/indicators/{code}/chart.png`: the same chart drawn as a PNG image on
/// the server (for a slide or a document), kept by the page cache like the SVG.
pub async fn download_png(
    State(state): State<AppState>,
    reader: Reader,
    Path((_, code)): Path<(String, String)>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let (svg, name) = chart_file(&state, reader, &code, plan).await?;
    let _turn = DRAWING
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("the drawing queue closed: {e}"))?;
    let dir = state.config.font_dir.clone();
    let png = tokio::task::spawn_blocking(move || {
        crate::raster::png(&svg, crate::raster::Fonts::shared(&dir))
    })
    .await
    .map_err(|e| anyhow::anyhow!("drawing the chart stopped: {e}"))?
    .map_err(anyhow::Error::from)?;
    Ok(attachment("image/png", &format!("{name}.png"), png))
}

#[cfg(test)]
mod tests {
    use super::{label_width, nice_scale, runs};

    #[test]
    fn a_year_without_a_figure_splits_the_line() {
        let pts = [
            (2020, 1.0),
            (2021, 2.0),
            (2023, 3.0),
            (2024, 4.0),
            (2026, 5.0),
        ];
        let lens: Vec<usize> = runs(&pts).iter().map(|r| r.len()).collect();
        assert_eq!(lens, [2, 2, 1]);
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn chinese_labels_count_double_width() {
        assert_eq!(label_width("2.4%"), 4);
        assert_eq!(label_width("600亿元"), 7);
    }

    #[test]
    fn the_y_axis_covers_the_data_with_round_steps() {
        assert_eq!(nice_scale(2.11, 2.69), (2.0, 2.8, 0.2));
        let (lo, hi, step) = nice_scale(36900.0, 75600.0);
        assert!(lo <= 36900.0 && hi >= 75600.0, "{lo}..{hi}");
        assert_eq!(step, 10000.0);
        assert_eq!(nice_scale(5.0, 5.0), (4.4, 5.6, 0.2));
    }
}
