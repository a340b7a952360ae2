//! How far an indicator has come towards its plan target.
//!
//! This is the progress measure that Statistics Canada designed for its Sustainable Development
//! Goals reporting and that Open SDG publishes as its "Progress Measurement Methodology" (itself
//! inspired by Eurostat's). It compares the compound annual growth rate observed since the base
//! year with the rate the target requires:
//!
//! - CAGR = (y_t / y_0)^(1 / (t - t_0)) - 1, from the base point (t_0, y_0) to the latest
//!   actual (t, y_t);
//! - required = (y_T / y_0)^(1 / (T - t_0)) - 1, to reach the target y_T in year T;
//! - R = d · CAGR / |required|, where d is +1 when higher is better and -1 when lower is better.
//!
//! A target already reached is `target_achieved`. Otherwise R ≥ 0.95 is `substantial_progress`,
//! 0.6 ≤ R < 0.95 `moderate_progress`, 0 ≤ R < 0.6 `limited_progress` and R < 0 `deterioration`.
//! Without a usable target, d · CAGR itself is graded against 1.5 %, 0.5 % and 0.
//!
//! Conventions of this implementation:
//!
//! - the base point is the plan's baseline when its value is known, otherwise the earliest
//!   actual; the latest point is the newest actual after the base year (the last one listed wins
//!   when several share a year, the first one listed when several share the earliest year);
//! - a zero base or target value is taken as 0.001 in the computations, so that a ratio or a
//!   root can be taken; the reported points keep their real values;
//! - values of opposite signs (base and latest, or base and target) have no meaningful growth
//!   rate, so the status is `not_available`;
//! - a target whose year is not after the base year cannot give a required rate: the status is
//!   then judged on the trend alone, though such a target still counts as achieved when met;
//! - the scaling factor that Open SDG applies near natural limits (such as 100 %) is not used.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::domain::plan::{Direction, UnknownCode};
use crate::domain::target::{self as targets, TargetComparator, TargetRule};

/// Smallest ratio R of observed to required growth that counts as substantial progress.
pub const ON_TRACK_RATIO: f64 = 0.95;
/// Smallest ratio R of observed to required growth that counts as moderate progress.
pub const MODERATE_RATIO: f64 = 0.6;
/// Smallest directed growth rate d · CAGR that counts as substantial progress without a target.
pub const TREND_SUBSTANTIAL: f64 = 0.015;
/// Smallest directed growth rate d · CAGR that counts as moderate progress without a target.
pub const TREND_MODERATE: f64 = 0.005;

/// What a zero base or target value is taken as in the computations.
const ZERO_STAND_IN: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// One published figure: the value of an indicator in a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub year: i32,
    pub value: Decimal,
}

/// The value a plan aims at by a year, and how the plan words it ("at least", "more than"...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub year: i32,
    pub value: Decimal,
    /// `None` or `=` means "reached once the value is at or past it in the good direction".
    pub comparator: Option<TargetComparator>,
}

impl From<&crate::domain::seed::TargetDef> for Target {
    fn from(t: &crate::domain::seed::TargetDef) -> Target {
        Target {
            year: t.year,
            value: t.value,
            comparator: t.comparator.map(TargetComparator::from),
        }
    }
}

impl Target {
    /// The level a plan's target asks for in its year, where the method can use one: a `level`
    /// target, or the baseline plus an `increase`. Ranges, averages, cumulative changes,
    /// relative and textual targets have no such level, and neither has a target that must
    /// hold every year: Open SDG then judges the trend alone.
    pub fn level_of(t: &targets::Target, baseline: Option<Decimal>) -> Option<Target> {
        if t.every_year {
            return None;
        }
        let comparator = match t.rule {
            TargetRule::Level { comparator, .. } => comparator,
            _ => None,
        };
        Some(Target {
            year: t.year,
            value: t.rule.level_value(baseline)?,
            comparator,
        })
    }
}

/// Everything the measure needs to know about one indicator.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub direction: Direction,
    pub baseline_year: Option<i32>,
    pub baseline_value: Option<Decimal>,
    pub target: Option<Target>,
    /// Published actual values, in any order.
    pub actuals: &'a [Point],
}

/// The progress category of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    TargetAchieved,
    SubstantialProgress,
    ModerateProgress,
    LimitedProgress,
    Deterioration,
    NotAvailable,
}

impl Status {
    /// Every status, from the best to `not_available`.
    pub const ALL: [Status; 6] = [
        Status::TargetAchieved,
        Status::SubstantialProgress,
        Status::ModerateProgress,
        Status::LimitedProgress,
        Status::Deterioration,
        Status::NotAvailable,
    ];

    /// The code returned by the API and used in pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::TargetAchieved => "target_achieved",
            Status::SubstantialProgress => "substantial_progress",
            Status::ModerateProgress => "moderate_progress",
            Status::LimitedProgress => "limited_progress",
            Status::Deterioration => "deterioration",
            Status::NotAvailable => "not_available",
        }
    }
}

impl FromStr for Status {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownCode {
                what: "progress status",
                value: s.to_owned(),
                expected: "target_achieved substantial_progress moderate_progress \
                           limited_progress deterioration not_available",
            })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a status was judged: against the target's required rate, or on the trend alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    Target,
    TrendOnly,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Target => "target",
            Basis::TrendOnly => "trend_only",
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the status is `not_available`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unavailable {
    /// No actual value has been published.
    NoActuals,
    /// No actual value after the base year, so there is no period to measure growth over.
    SinglePoint,
    /// The values change sign, so growth rates are meaningless.
    SignChange,
    /// The values are yearly growth or reduction rates: their compound growth means nothing.
    YearlyRate,
}

impl Unavailable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unavailable::NoActuals => "no_actuals",
            Unavailable::SinglePoint => "single_point",
            Unavailable::SignChange => "sign_change",
            Unavailable::YearlyRate => "yearly_rate",
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of an indicator and the figures it was judged from. Every figure is finite when
/// present.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub status: Status,
    /// `None` exactly when the status is `not_available`.
    pub basis: Option<Basis>,
    /// Why the status is `not_available`; `None` for every other status. Also `None` if the
    /// rates could not be computed at all, which no `Decimal` input is known to cause.
    pub unavailable: Option<Unavailable>,
    /// The base point (t_0, y_0) the rates start from.
    pub base: Option<Point>,
    /// The newest actual after the base year (t, y_t).
    pub latest: Option<Point>,
    /// Observed compound annual growth rate from base to latest.
    pub cagr: Option<f64>,
    /// Compound annual growth rate needed to reach the target on time.
    pub required_rate: Option<f64>,
    /// R = d · CAGR / |required|; `None` when the required rate is zero.
    pub ratio: Option<f64>,
    /// (y_t - y_0) / (y_T - y_0): how much of the way from base to target has been covered.
    pub share_of_way: Option<f64>,
    /// y_0 · (1 + CAGR)^(T - t_0): where the observed trend leads by the target year.
    pub projected_value: Option<f64>,
}

impl Progress {
    pub(crate) fn not_available(
        unavailable: Option<Unavailable>,
        base: Option<Point>,
        latest: Option<Point>,
    ) -> Progress {
        Progress {
            status: Status::NotAvailable,
            basis: None,
            unavailable,
            base,
            latest,
            cagr: None,
            required_rate: None,
            ratio: None,
            share_of_way: None,
            projected_value: None,
        }
    }
}

/// Judges the progress of one indicator. Never panics; inputs the method cannot judge give
/// `not_available` with the reason.
pub fn assess(inputs: &Inputs<'_>) -> Progress {
    let baseline = match (inputs.baseline_year, inputs.baseline_value) {
        (Some(year), Some(value)) => Some(Point { year, value }),
        _ => None,
    };
    if inputs.actuals.is_empty() {
        return Progress::not_available(Some(Unavailable::NoActuals), baseline, None);
    }
    let earliest = || inputs.actuals.iter().copied().min_by_key(|p| p.year);
    let Some(base) = baseline.or_else(earliest) else {
        return Progress::not_available(Some(Unavailable::NoActuals), None, None);
    };
    let newest_after_base = inputs
        .actuals
        .iter()
        .copied()
        .filter(|p| p.year > base.year)
        .max_by_key(|p| p.year);
    let Some(latest) = newest_after_base else {
        return Progress::not_available(Some(Unavailable::SinglePoint), Some(base), None);
    };

    let y0 = nonzero(base.value);
    let target_value = inputs.target.map(|target| nonzero(target.value));
    if opposite_signs(y0, latest.value) || target_value.is_some_and(|yt| opposite_signs(y0, yt)) {
        return Progress::not_available(Some(Unavailable::SignChange), Some(base), Some(latest));
    }

    let d = inputs.direction.sign();
    let y0_f = to_f64(y0);
    let cagr = finite(growth_rate(
        y0_f,
        to_f64(latest.value),
        years_between(base.year, latest.year),
    ));
    // Only a target after the base year gives a required rate and a projection.
    let timed_target = inputs.target.filter(|target| target.year > base.year);
    let required_rate = timed_target.zip(target_value).and_then(|(target, value)| {
        finite(growth_rate(
            y0_f,
            to_f64(value),
            years_between(base.year, target.year),
        ))
    });
    let ratio = match (cagr, required_rate) {
        (Some(cagr), Some(required)) if required != 0.0 => finite(d * cagr / required.abs()),
        _ => None,
    };
    let share_of_way = inputs
        .target
        .filter(|target| target.value != base.value)
        .and_then(|target| {
            finite(
                (to_f64(latest.value) - to_f64(base.value))
                    / (to_f64(target.value) - to_f64(base.value)),
            )
        });
    let projected_value = timed_target.zip(cagr).and_then(|(target, cagr)| {
        finite(y0_f * (1.0 + cagr).powf(years_between(base.year, target.year)))
    });
    let judged = |status: Status, basis: Basis| Progress {
        status,
        basis: Some(basis),
        unavailable: None,
        base: Some(base),
        latest: Some(latest),
        cagr,
        required_rate,
        ratio,
        share_of_way,
        projected_value,
    };

    if let Some(target) = inputs.target
        && reached(inputs.direction, &target, latest.value)
    {
        return judged(Status::TargetAchieved, Basis::Target);
    }

    let graded = match (cagr, timed_target) {
        (Some(cagr), Some(_)) => required_rate.and_then(|required| {
            let directed = d * cagr;
            // A target equal to the base needs no growth at all, so R = d · CAGR / 0 is taken
            // as +∞ when the indicator moved the right way (substantial progress), −∞ when it
            // moved the wrong way (deterioration), and 0 when it did not move (limited progress).
            let r = if required != 0.0 {
                directed / required.abs()
            } else if directed != 0.0 {
                directed.signum() * f64::INFINITY
            } else {
                0.0
            };
            grade(r, ON_TRACK_RATIO, MODERATE_RATIO).map(|status| (status, Basis::Target))
        }),
        (Some(cagr), None) => grade(d * cagr, TREND_SUBSTANTIAL, TREND_MODERATE)
            .map(|status| (status, Basis::TrendOnly)),
        (None, _) => None,
    };
    match graded {
        Some((status, basis)) => judged(status, basis),
        // The rates could not be computed; no status is better than a misleading one.
        None => Progress::not_available(None, Some(base), Some(latest)),
    }
}

/// Whether `value` is at or past the target, as the plan words it.
pub fn reached(direction: Direction, target: &Target, value: Decimal) -> bool {
    targets::holds(target.comparator, value, target.value, direction)
}

/// Grades `value` against the substantial and moderate thresholds, then zero. `None` for NaN.
fn grade(value: f64, substantial: f64, moderate: f64) -> Option<Status> {
    if value.is_nan() {
        None
    } else if value >= substantial {
        Some(Status::SubstantialProgress)
    } else if value >= moderate {
        Some(Status::ModerateProgress)
    } else if value >= 0.0 {
        Some(Status::LimitedProgress)
    } else {
        Some(Status::Deterioration)
    }
}

/// (to / from)^(1 / years) - 1.
fn growth_rate(from: f64, to: f64, years: f64) -> f64 {
    (to / from).powf(years.recip()) - 1.0
}

fn years_between(from: i32, to: i32) -> f64 {
    (i64::from(to) - i64::from(from)) as f64
}

fn nonzero(value: Decimal) -> Decimal {
    if value.is_zero() {
        ZERO_STAND_IN
    } else {
        value
    }
}

fn opposite_signs(a: Decimal, b: Decimal) -> bool {
    (a > Decimal::ZERO && b < Decimal::ZERO) || (a < Decimal::ZERO && b > Decimal::ZERO)
}

fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    use Direction::{Higher, Lower};
    use Status::{
        Deterioration, LimitedProgress, ModerateProgress, NotAvailable, SubstantialProgress,
        TargetAchieved,
    };
    use TargetComparator::{Eq, Ge, Gt, Le};

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn point((year, value): (i32, &str)) -> Point {
        Point {
            year,
            value: dec(value),
        }
    }

    /// The figures expected alongside a status: cagr, required rate, ratio, share of the way,
    /// projected value.
    #[derive(Clone, Copy)]
    struct Figures {
        cagr: Option<f64>,
        required: Option<f64>,
        ratio: Option<f64>,
        share: Option<f64>,
        projected: Option<f64>,
    }

    const NO_FIGURES: Figures = Figures {
        cagr: None,
        required: None,
        ratio: None,
        share: None,
        projected: None,
    };

    struct Case {
        name: &'static str,
        direction: Direction,
        baseline: (Option<i32>, Option<&'static str>),
        target: Option<(i32, &'static str, Option<TargetComparator>)>,
        actuals: &'static [(i32, &'static str)],
        status: Status,
        basis: Option<Basis>,
        unavailable: Option<Unavailable>,
        base: Option<(i32, &'static str)>,
        latest: Option<(i32, &'static str)>,
        figures: Figures,
    }

    fn cases() -> Vec<Case> {
        vec![
            Case {
                name: "R&D intensity: on track against its 2025 target",
                direction: Higher,
                baseline: (Some(2020), Some("2.11")),
                target: Some((2025, "2.6", Some(Ge))),
                actuals: &[(2023, "2.45"), (2021, "2.16"), (2022, "2.36")],
                status: SubstantialProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "2.11")),
                latest: Some((2023, "2.45")),
                figures: Figures {
                    // (2.45/2.11)^(1/3) - 1 = 1.161137^(1/3) - 1 = 0.051061
                    cagr: Some(0.051061),
                    // (2.6/2.11)^(1/5) - 1 = 1.232227^(1/5) - 1 = 0.042649
                    required: Some(0.042649),
                    // 0.051061 / 0.042649 = 1.197232 >= 0.95
                    ratio: Some(1.197232),
                    // (2.45 - 2.11) / (2.6 - 2.11) = 0.34 / 0.49 = 0.693878
                    share: Some(0.693878),
                    // 2.11 * 1.051061^5 = 2.706586
                    projected: Some(2.706586),
                },
            },
            Case {
                name: "S&T enterprises: no baseline value, 2025 target exceeded",
                direction: Higher,
                baseline: (Some(2020), None),
                target: Some((2025, "45000", Some(Gt))),
                actuals: &[(2021, "36900"), (2022, "42000"), (2025, "75600")],
                status: TargetAchieved,
                basis: Some(Basis::Target),
                unavailable: None,
                // The earliest actual stands in for the missing baseline value.
                base: Some((2021, "36900")),
                latest: Some((2025, "75600")),
                figures: Figures {
                    // (75600/36900)^(1/4) - 1 = 2.048780^(1/4) - 1 = 0.196393
                    cagr: Some(0.196393),
                    // (45000/36900)^(1/4) - 1 = 1.219512^(1/4) - 1 = 0.050864
                    required: Some(0.050864),
                    // 0.196393 / 0.050864 = 3.861135
                    ratio: Some(3.861135),
                    // (75600 - 36900) / (45000 - 36900) = 38700 / 8100 = 4.777778
                    share: Some(4.777778),
                    // 36900 * 1.196393^4 = 75600 (the latest year is the target year)
                    projected: Some(75600.0),
                },
            },
            Case {
                name: "invention patents per 10k people: no target, strong trend",
                direction: Higher,
                baseline: (Some(2020), Some("11.32")),
                target: None,
                actuals: &[(2022, "16.14")],
                status: SubstantialProgress,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "11.32")),
                latest: Some((2022, "16.14")),
                figures: Figures {
                    // (16.14/11.32)^(1/2) - 1 = 1.425795^(1/2) - 1 = 0.194067 >= 0.015
                    cagr: Some(0.194067),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "moderate progress against a target",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "150", Some(Ge))),
                actuals: &[(2021, "104"), (2023, "120")],
                status: ModerateProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2023, "120")),
                figures: Figures {
                    // 1.2^(1/3) - 1 = 0.062659
                    cagr: Some(0.062659),
                    // 1.5^(1/5) - 1 = 0.084472
                    required: Some(0.084472),
                    // 0.062659 / 0.084472 = 0.741769, in [0.6, 0.95)
                    ratio: Some(0.741769),
                    // 20 / 50 = 0.4
                    share: Some(0.4),
                    // 100 * 1.062659^5 = 100 * 1.2^(5/3) = 135.509188
                    projected: Some(135.509188),
                },
            },
            Case {
                name: "limited progress against a target",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "150", Some(Ge))),
                actuals: &[(2022, "102")],
                status: LimitedProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "102")),
                figures: Figures {
                    // 1.02^(1/2) - 1 = 0.009950
                    cagr: Some(0.009950),
                    required: Some(0.084472),
                    // 0.009950 / 0.084472 = 0.117797, in [0, 0.6)
                    ratio: Some(0.117797),
                    // 2 / 50 = 0.04
                    share: Some(0.04),
                    // 100 * 1.02^(5/2) = 105.075249
                    projected: Some(105.075249),
                },
            },
            Case {
                name: "deterioration against a target",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "150", Some(Ge))),
                actuals: &[(2022, "95")],
                status: Deterioration,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "95")),
                figures: Figures {
                    // 0.95^(1/2) - 1 = -0.025321
                    cagr: Some(-0.025321),
                    required: Some(0.084472),
                    // -0.025321 / 0.084472 = -0.299752 < 0
                    ratio: Some(-0.299752),
                    // -5 / 50 = -0.1
                    share: Some(-0.1),
                    // 100 * 0.95^(5/2) = 87.964819
                    projected: Some(87.964819),
                },
            },
            Case {
                name: "lower is better, falling fast enough",
                direction: Lower,
                baseline: (Some(2020), Some("0.50")),
                target: Some((2025, "0.435", Some(Le))),
                actuals: &[(2021, "0.48"), (2023, "0.45")],
                status: SubstantialProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "0.50")),
                latest: Some((2023, "0.45")),
                figures: Figures {
                    // (0.45/0.5)^(1/3) - 1 = 0.9^(1/3) - 1 = -0.034511
                    cagr: Some(-0.034511),
                    // (0.435/0.5)^(1/5) - 1 = 0.87^(1/5) - 1 = -0.027468
                    required: Some(-0.027468),
                    // -1 * -0.034511 / 0.027468 = 1.256388
                    ratio: Some(1.256388),
                    // (0.45 - 0.5) / (0.435 - 0.5) = -0.05 / -0.065 = 0.769231
                    share: Some(0.769231),
                    // 0.5 * 0.9^(5/3) = 0.419476
                    projected: Some(0.419476),
                },
            },
            Case {
                name: "lower is better, rising",
                direction: Lower,
                baseline: (Some(2020), Some("0.50")),
                target: Some((2025, "0.435", Some(Le))),
                actuals: &[(2022, "0.52")],
                status: Deterioration,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "0.50")),
                latest: Some((2022, "0.52")),
                figures: Figures {
                    // 1.04^(1/2) - 1 = 0.019804
                    cagr: Some(0.019804),
                    required: Some(-0.027468),
                    // -1 * 0.019804 / 0.027468 = -0.720978
                    ratio: Some(-0.720978),
                    // 0.02 / -0.065 = -0.307692
                    share: Some(-0.307692),
                    // 0.5 * 1.04^(5/2) = 0.551510
                    projected: Some(0.551510),
                },
            },
            Case {
                name: "lower is better, no comparator: reached from below",
                direction: Lower,
                baseline: (Some(2020), Some("0.50")),
                target: Some((2025, "0.435", None)),
                actuals: &[(2023, "0.43")],
                status: TargetAchieved,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "0.50")),
                latest: Some((2023, "0.43")),
                figures: Figures {
                    // 0.86^(1/3) - 1 = -0.049031
                    cagr: Some(-0.049031),
                    required: Some(-0.027468),
                    // 0.049031 / 0.027468 = 1.785032
                    ratio: Some(1.785032),
                    // -0.07 / -0.065 = 1.076923
                    share: Some(1.076923),
                    // 0.5 * 0.86^(5/3) = 0.388867
                    projected: Some(0.388867),
                },
            },
            Case {
                name: "higher is better, '=' comparator: passed counts as reached",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "120", Some(Eq))),
                actuals: &[(2023, "125")],
                status: TargetAchieved,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2023, "125")),
                figures: Figures {
                    // 1.25^(1/3) - 1 = 0.077217
                    cagr: Some(0.077217),
                    // 1.2^(1/5) - 1 = 0.037137
                    required: Some(0.037137),
                    // 0.077217 / 0.037137 = 2.079240
                    ratio: Some(2.079240),
                    // 25 / 20 = 1.25
                    share: Some(1.25),
                    // 100 * 1.25^(5/3) = 145.049651
                    projected: Some(145.049651),
                },
            },
            Case {
                name: "'more than' target met exactly is not achieved",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "120", Some(Gt))),
                actuals: &[(2023, "120")],
                status: SubstantialProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2023, "120")),
                figures: Figures {
                    // 1.2^(1/3) - 1 = 0.062659
                    cagr: Some(0.062659),
                    // 1.2^(1/5) - 1 = 0.037137
                    required: Some(0.037137),
                    // 0.062659 / 0.037137 = 1.687214
                    ratio: Some(1.687214),
                    // 20 / 20 = 1
                    share: Some(1.0),
                    // 100 * 1.2^(5/3) = 135.509188
                    projected: Some(135.509188),
                },
            },
            Case {
                name: "'at least' target met exactly is achieved",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "120", Some(Ge))),
                actuals: &[(2023, "120")],
                status: TargetAchieved,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2023, "120")),
                figures: Figures {
                    cagr: Some(0.062659),
                    required: Some(0.037137),
                    ratio: Some(1.687214),
                    share: Some(1.0),
                    projected: Some(135.509188),
                },
            },
            Case {
                name: "no target, moderate trend",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: None,
                actuals: &[(2022, "101.5")],
                status: ModerateProgress,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "101.5")),
                figures: Figures {
                    // 1.015^(1/2) - 1 = 0.007472, in [0.005, 0.015)
                    cagr: Some(0.007472),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "no target, limited trend",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: None,
                actuals: &[(2022, "100.5")],
                status: LimitedProgress,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "100.5")),
                figures: Figures {
                    // 1.005^(1/2) - 1 = 0.002497, in [0, 0.005)
                    cagr: Some(0.002497),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "no target, deteriorating trend",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: None,
                actuals: &[(2022, "98")],
                status: Deterioration,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "98")),
                figures: Figures {
                    // 0.98^(1/2) - 1 = -0.010051 < 0
                    cagr: Some(-0.010051),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "no target, lower is better and falling",
                direction: Lower,
                baseline: (Some(2020), Some("100")),
                target: None,
                actuals: &[(2022, "96")],
                status: SubstantialProgress,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "96")),
                figures: Figures {
                    // 0.96^(1/2) - 1 = -0.020204; d * CAGR = 0.020204 >= 0.015
                    cagr: Some(-0.020204),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "target year not after the base year: judged on the trend",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2019, "150", Some(Ge))),
                actuals: &[(2022, "101.5")],
                status: ModerateProgress,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "101.5")),
                figures: Figures {
                    cagr: Some(0.007472),
                    // 1.5 / 50 = 0.03
                    share: Some(0.03),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "zero baseline taken as 0.001, no target",
                direction: Higher,
                baseline: (Some(2020), Some("0")),
                target: None,
                actuals: &[(2022, "0.5")],
                status: SubstantialProgress,
                basis: Some(Basis::TrendOnly),
                unavailable: None,
                base: Some((2020, "0")),
                latest: Some((2022, "0.5")),
                figures: Figures {
                    // (0.5/0.001)^(1/2) - 1 = 500^(1/2) - 1 = 22.360680 - 1 = 21.360680
                    cagr: Some(21.360680),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "zero baseline taken as 0.001, with a target",
                direction: Higher,
                baseline: (Some(2020), Some("0")),
                target: Some((2025, "10", Some(Ge))),
                actuals: &[(2022, "0.5")],
                status: SubstantialProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "0")),
                latest: Some((2022, "0.5")),
                figures: Figures {
                    cagr: Some(21.360680),
                    // (10/0.001)^(1/5) - 1 = 10000^(1/5) - 1 = 6.309573 - 1 = 5.309573
                    required: Some(5.309573),
                    // 21.360680 / 5.309573 = 4.023050
                    ratio: Some(4.023050),
                    // with the real baseline: (0.5 - 0) / (10 - 0) = 0.05
                    share: Some(0.05),
                    // 0.001 * 22.360680^5 = 0.001 * 500^(5/2) = 5590.169944
                    projected: Some(5590.169944),
                },
            },
            Case {
                name: "zero target taken as 0.001",
                direction: Lower,
                baseline: (Some(2020), Some("4")),
                target: Some((2024, "0", Some(Le))),
                actuals: &[(2022, "2")],
                status: LimitedProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "4")),
                latest: Some((2022, "2")),
                figures: Figures {
                    // 0.5^(1/2) - 1 = -0.292893
                    cagr: Some(-0.292893),
                    // (0.001/4)^(1/4) - 1 = 0.00025^(1/4) - 1 = 0.125743 - 1 = -0.874257
                    required: Some(-0.874257),
                    // 0.292893 / 0.874257 = 0.335020
                    ratio: Some(0.335020),
                    // with the real target: (2 - 4) / (0 - 4) = 0.5
                    share: Some(0.5),
                    // 4 * 0.5^(4/2) = 1
                    projected: Some(1.0),
                },
            },
            Case {
                name: "target equal to the base, moved the right way",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                // An odd wording ("at most 100" for a higher-is-better indicator) keeps the
                // target unmet while the value rises.
                target: Some((2025, "100", Some(Le))),
                actuals: &[(2022, "105")],
                status: SubstantialProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "105")),
                figures: Figures {
                    // 1.05^(1/2) - 1 = 0.024695
                    cagr: Some(0.024695),
                    // 1^(1/5) - 1 = 0, so R = +inf and no ratio is reported
                    required: Some(0.0),
                    // 100 * 1.05^(5/2) = 112.972632
                    projected: Some(112.972632),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "target equal to the base, moved the wrong way",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "100", Some(Ge))),
                actuals: &[(2022, "95")],
                status: Deterioration,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "95")),
                figures: Figures {
                    // 0.95^(1/2) - 1 = -0.025321, so R = -inf
                    cagr: Some(-0.025321),
                    required: Some(0.0),
                    // 100 * 0.95^(5/2) = 87.964819
                    projected: Some(87.964819),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "target equal to the base, did not move",
                direction: Higher,
                baseline: (Some(2020), Some("100")),
                target: Some((2025, "100", Some(Gt))),
                actuals: &[(2022, "100")],
                status: LimitedProgress,
                basis: Some(Basis::Target),
                unavailable: None,
                base: Some((2020, "100")),
                latest: Some((2022, "100")),
                figures: Figures {
                    // 1^(1/2) - 1 = 0
                    cagr: Some(0.0),
                    required: Some(0.0),
                    // 100 * 1^5 = 100
                    projected: Some(100.0),
                    ..NO_FIGURES
                },
            },
            Case {
                name: "sign change between base and latest",
                direction: Higher,
                baseline: (Some(2020), Some("-5")),
                target: None,
                actuals: &[(2022, "3")],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::SignChange),
                base: Some((2020, "-5")),
                latest: Some((2022, "3")),
                figures: NO_FIGURES,
            },
            Case {
                name: "sign change between base and target",
                direction: Lower,
                baseline: (Some(2020), Some("5")),
                target: Some((2025, "-1", Some(Le))),
                actuals: &[(2022, "3")],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::SignChange),
                base: Some((2020, "5")),
                latest: Some((2022, "3")),
                figures: NO_FIGURES,
            },
            Case {
                name: "zero baseline followed by a negative value",
                direction: Higher,
                baseline: (Some(2020), Some("0")),
                target: None,
                actuals: &[(2022, "-2")],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::SignChange),
                base: Some((2020, "0")),
                latest: Some((2022, "-2")),
                figures: NO_FIGURES,
            },
            Case {
                name: "only an actual in the base year",
                direction: Higher,
                baseline: (Some(2020), Some("2.11")),
                target: Some((2025, "2.6", Some(Ge))),
                actuals: &[(2020, "2.11")],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::SinglePoint),
                base: Some((2020, "2.11")),
                latest: None,
                figures: NO_FIGURES,
            },
            Case {
                name: "only actuals before the base year",
                direction: Higher,
                baseline: (Some(2020), Some("2.11")),
                target: None,
                actuals: &[(2018, "1.9"), (2019, "2.0")],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::SinglePoint),
                base: Some((2020, "2.11")),
                latest: None,
                figures: NO_FIGURES,
            },
            Case {
                name: "a single actual and no baseline",
                direction: Higher,
                baseline: (None, None),
                target: Some((2025, "2.6", Some(Ge))),
                actuals: &[(2022, "2.36")],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::SinglePoint),
                base: Some((2022, "2.36")),
                latest: None,
                figures: NO_FIGURES,
            },
            Case {
                name: "no actuals, baseline known",
                direction: Higher,
                baseline: (Some(2020), Some("2.11")),
                target: Some((2025, "2.6", Some(Ge))),
                actuals: &[],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::NoActuals),
                base: Some((2020, "2.11")),
                latest: None,
                figures: NO_FIGURES,
            },
            Case {
                name: "no actuals, no baseline",
                direction: Lower,
                baseline: (None, None),
                target: None,
                actuals: &[],
                status: NotAvailable,
                basis: None,
                unavailable: Some(Unavailable::NoActuals),
                base: None,
                latest: None,
                figures: NO_FIGURES,
            },
        ]
    }

    fn assert_close(case: &str, what: &str, actual: Option<f64>, expected: Option<f64>) {
        match (actual, expected) {
            (None, None) => {}
            (Some(a), Some(e)) => assert!(
                (a - e).abs() <= 1e-4 * e.abs().max(1.0),
                "{case}: {what} = {a}, expected {e}"
            ),
            _ => panic!("{case}: {what} = {actual:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn hand_computed_cases() {
        let all = cases();
        for status in Status::ALL {
            assert!(
                all.iter().any(|case| case.status == status),
                "no case for {status}"
            );
        }
        for case in &all {
            let actuals: Vec<Point> = case.actuals.iter().copied().map(point).collect();
            let inputs = Inputs {
                direction: case.direction,
                baseline_year: case.baseline.0,
                baseline_value: case.baseline.1.map(dec),
                target: case.target.map(|(year, value, comparator)| Target {
                    year,
                    value: dec(value),
                    comparator,
                }),
                actuals: &actuals,
            };
            let got = assess(&inputs);
            let name = case.name;
            assert_eq!(got.status, case.status, "{name}: status");
            assert_eq!(got.basis, case.basis, "{name}: basis");
            assert_eq!(got.unavailable, case.unavailable, "{name}: unavailable");
            assert_eq!(got.base, case.base.map(point), "{name}: base");
            assert_eq!(got.latest, case.latest.map(point), "{name}: latest");
            let want = case.figures;
            assert_close(name, "cagr", got.cagr, want.cagr);
            assert_close(name, "required_rate", got.required_rate, want.required);
            assert_close(name, "ratio", got.ratio, want.ratio);
            assert_close(name, "share_of_way", got.share_of_way, want.share);
            assert_close(name, "projected_value", got.projected_value, want.projected);
        }
    }

    #[test]
    fn grading_thresholds_are_inclusive_and_nan_is_not_graded() {
        let by_ratio = |r| grade(r, ON_TRACK_RATIO, MODERATE_RATIO);
        assert_eq!(by_ratio(0.95), Some(SubstantialProgress));
        assert_eq!(by_ratio(0.6), Some(ModerateProgress));
        assert_eq!(by_ratio(0.0), Some(LimitedProgress));
        assert_eq!(by_ratio(-0.0), Some(LimitedProgress));
        assert_eq!(by_ratio(f64::INFINITY), Some(SubstantialProgress));
        assert_eq!(by_ratio(f64::NEG_INFINITY), Some(Deterioration));
        assert_eq!(by_ratio(f64::NAN), None);
        let by_trend = |c| grade(c, TREND_SUBSTANTIAL, TREND_MODERATE);
        assert_eq!(by_trend(0.015), Some(SubstantialProgress));
        assert_eq!(by_trend(0.005), Some(ModerateProgress));
        assert_eq!(by_trend(-1e-9), Some(Deterioration));
    }

    #[test]
    fn extreme_inputs_give_finite_figures_and_no_panic() {
        let extremes = [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::ONE,
        ];
        let years = [i32::MIN, -1, 0, 2020, i32::MAX];
        let comparators = [None, Some(Ge), Some(Gt), Some(Le), Some(Eq)];
        for &direction in Direction::ALL {
            for &y0 in &extremes {
                for &yt in &extremes {
                    for &t0 in &years {
                        for &t in &years {
                            for comparator in comparators {
                                let actuals = [Point { year: t, value: yt }];
                                let got = assess(&Inputs {
                                    direction,
                                    baseline_year: Some(t0),
                                    baseline_value: Some(y0),
                                    target: Some(Target {
                                        year: i32::MAX,
                                        value: Decimal::MAX,
                                        comparator,
                                    }),
                                    actuals: &actuals,
                                });
                                let figures = [
                                    got.cagr,
                                    got.required_rate,
                                    got.ratio,
                                    got.share_of_way,
                                    got.projected_value,
                                ];
                                assert!(figures.into_iter().flatten().all(f64::is_finite));
                                assert_eq!(got.basis.is_none(), got.status == NotAvailable);
                                assert_eq!(got.unavailable.is_some(), got.status == NotAvailable);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn status_codes_round_trip() {
        let codes = Status::ALL.map(Status::as_str);
        assert_eq!(
            codes,
            [
                "target_achieved",
                "substantial_progress",
                "moderate_progress",
                "limited_progress",
                "deterioration",
                "not_available",
            ]
        );
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>().unwrap(), status);
            assert_eq!(status.to_string(), status.as_str());
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
        }
        let err = "on_track".parse::<Status>().unwrap_err();
        assert_eq!(err.value, "on_track");
        assert!(err.to_string().contains("moderate_progress"), "{err}");
    }

    #[test]
    fn basis_and_reason_codes() {
        assert_eq!(Basis::Target.as_str(), "target");
        assert_eq!(Basis::TrendOnly.as_str(), "trend_only");
        assert_eq!(Unavailable::NoActuals.as_str(), "no_actuals");
        assert_eq!(Unavailable::SinglePoint.as_str(), "single_point");
        assert_eq!(Unavailable::SignChange.as_str(), "sign_change");
    }
}
