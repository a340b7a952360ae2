//! The indicator chart, drawn on the server as SVG: actual values, the path required from the
//! baseline to the target, the target itself and the national average.

use rust_decimal::prelude::ToPrimitive;

use crate::domain::plan::ObservationKind;
use crate::domain::progress::Progress;
use crate::domain::seed::IndicatorDef;
use crate::report::IndicatorReport;

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 36.0;

pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

pub struct Chart {
    pub x_ticks: Vec<Mark>,
    pub y_ticks: Vec<Mark>,
    pub actual: Vec<Mark>,
    pub actual_path: String,
    pub national: Vec<Mark>,
    pub national_path: String,
    pub required_path: String,
    pub target: Option<Mark>,
    pub baseline: Option<Mark>,
    /// On a chart across plans: the earlier plan's baseline and target.
    pub earlier_baseline: Option<Mark>,
    pub earlier_target: Option<Mark>,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
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

        let all: Vec<(i32, f64)> = actual
            .iter()
            .chain(&national)
            .chain(&required)
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
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let sx = |x: i32| LEFT + (x - x0) as f64 / (x1 - x0) as f64 * plot_w;
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
        let year_step = ((x1 - x0) as usize).div_ceil(10).max(1);
        let steps = ((hi - lo) / step).round() as usize;
        let y_ticks = (0..=steps)
            .map(|i| lo + i as f64 * step)
            .map(|v| Mark {
                x: LEFT,
                y: sy(v),
                label: fmt(v),
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
            actual_path: path(&actual),
            actual: actual.iter().copied().map(mark).collect(),
            national_path: path(&national),
            national: national.iter().copied().map(mark).collect(),
            required_path: path(&required),
            target: target.map(mark),
            baseline: baseline.map(mark),
            earlier_baseline: earlier_baseline.map(mark),
            earlier_target: earlier_target.map(mark),
            left: LEFT,
            right: WIDTH - RIGHT,
            top: TOP,
            bottom: HEIGHT - BOTTOM,
        })
    }
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

/// The target as a point of the chart.
fn target_point(ind: &IndicatorDef) -> Option<(i32, f64)> {
    let t = ind.target.as_ref()?;
    Some((t.year, t.value.to_f64()?))
}

#[cfg(test)]
mod tests {
    use super::nice_scale;

    #[test]
    fn the_y_axis_covers_the_data_with_round_steps() {
        assert_eq!(nice_scale(2.11, 2.69), (2.0, 2.8, 0.2));
        let (lo, hi, step) = nice_scale(36900.0, 75600.0);
        assert!(lo <= 36900.0 && hi >= 75600.0, "{lo}..{hi}");
        assert_eq!(step, 10000.0);
        assert_eq!(nice_scale(5.0, 5.0), (4.4, 5.6, 0.2));
    }
}
