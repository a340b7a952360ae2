//! The time-progress method (时序进度): how Chinese plan offices judge an indicator, by
//! comparing the share of the way covered with the share of the period elapsed ("时间过半、
//! 任务过半"), in the categories of the national mid-term review: 提前实现 (`achieved_early`),
//! 快于预期 (`ahead`), 基本符合预期 (`on_schedule`) and 滞后于预期 (`lagging`); from the target
//! year on, 实现 (`achieved`) or 未实现 (`not_achieved`).
//!
//! Y is the year of the figure judged: the latest year up to the year asked for (`as_of`) with
//! a figure the target can be compared with. With a base value b (the published baseline) and
//! the target value T:
//!
//! - progress share p = (figure − b) ÷ (T − b), time share t = (Y − baseline year) ÷ (target
//!   year − baseline year);
//! - `ahead` when p ≥ 1.2·t, `on_schedule` when 0.8·t ≤ p < 1.2·t, `lagging` below (the two
//!   factors are plan settings, [`Factors`]);
//! - a `level`, `increase` or `cumulative` target without `every_year` that is already met
//!   before the target year is `achieved_early`;
//! - `cumulative` targets: b = 0 and the figure is the yearly rates compounded so far,
//!   1 − Π(1 − r/100) for reductions and Π(1 + g/100) − 1 for growth, in %;
//! - `average` targets: the average a of the yearly values so far against the target v:
//!   `ahead` when a meets the comparator and is 1.2 times better than v (a ≥ 1.2·v, or
//!   a ≤ v ÷ 1.2 when lower is better), `on_schedule` when a meets it, else `lagging`;
//! - `range`, `relative` and `every_year` targets, and `level`/`increase` targets of a `growth`
//!   or `reduction` indicator (a yearly rate is aimed at year by year): met in Y →
//!   `on_schedule`, missed → `lagging`; at the target year `range`, `relative` and `every_year`
//!   targets are achieved only if met in every year of the period;
//! - from the target year on, `achieved`/`not_achieved` is judged on the target year's figure
//!   only; without it the status is `awaiting_data`, never `not_achieved`;
//! - `text` targets take the latest verdict an official published up to `as_of`, else
//!   `awaiting_judgement`;
//! - too little data to judge gives `not_enough_data`.
//!
//! Conventions of this implementation (see the module's tests for worked examples):
//!
//! - the base is the published baseline value; when it is unpublished, the published figure of
//!   the baseline year stands in and is named ([`Base::BaselineYearFigure`]); there is never a
//!   fallback to the earliest figure, and no base means no progress share;
//! - no growth rate, projection or progress share is computed for `growth`/`reduction`
//!   indicators except the compounded change of a `cumulative` target;
//! - running figures (averages, compounded changes) need a figure for every year from the
//!   plan's first year to Y; a year missing makes that year unjudgeable;
//! - "met in every year of the period" counts the years from the plan's first year to the
//!   target year that have a figure to compare (for `relative` targets, both indicators'
//!   figures); a year with no figure neither breaks nor proves it;
//! - `=` and no comparator mean "at or past the target in the good direction"; for
//!   `cumulative` targets, "at or past" means p ≥ 1 whatever the indicator's direction;
//! - when the target does not lie ahead of the base in the good direction (it was already met
//!   at the baseline, or equals it), p is undefined and a miss is `lagging`;
//! - when several figures share a year the last one listed wins, as in [`super::progress`];
//! - all arithmetic is exact decimal arithmetic, so a figure on a threshold is judged as
//!   computed by hand; a computation that overflows is `not_enough_data`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::plan::{Direction, UnknownCode};
use super::progress::Point;
use super::target::{Measure, Target, TargetComparator, TargetRule, holds};

code_enum!(
    /// The time-progress status of an indicator.
    Status, "time-progress status" {
        AchievedEarly => "achieved_early",
        Ahead => "ahead",
        OnSchedule => "on_schedule",
        Lagging => "lagging",
        Achieved => "achieved",
        NotAchieved => "not_achieved",
        AwaitingData => "awaiting_data",
        AwaitingJudgement => "awaiting_judgement",
        NotEnoughData => "not_enough_data",
    }
);

impl Status {
    /// The final verdict on a target, given from its target year on.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Achieved | Status::NotAchieved)
    }
}

/// The plan's two settings of the method: p ≥ `ahead`·t is ahead of schedule, p < `behind`·t
/// is lagging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Factors {
    pub ahead: Decimal,
    pub behind: Decimal,
}

impl Default for Factors {
    /// 1.2 and 0.8, the factors plan offices commonly use.
    fn default() -> Self {
        Factors {
            ahead: Decimal::new(12, 1),
            behind: Decimal::new(8, 1),
        }
    }
}

/// An official's published verdict on a `text` target for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub year: i32,
    pub status: Status,
}

/// The value the progress share was measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The indicator's published baseline value.
    Published(Decimal),
    /// The published figure of the baseline year, the baseline value being unpublished: a
    /// page must say so where it is used.
    BaselineYearFigure(Decimal),
    /// Zero: cumulative targets count the change from the start of the period.
    Zero,
}

impl Base {
    /// `baseline`, `baseline_year_figure` or `zero`, for the API and pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Base::Published(_) => "baseline",
            Base::BaselineYearFigure(_) => "baseline_year_figure",
            Base::Zero => "zero",
        }
    }

    pub fn value(self) -> Decimal {
        match self {
            Base::Published(v) | Base::BaselineYearFigure(v) => v,
            Base::Zero => Decimal::ZERO,
        }
    }

    /// Whether the base is the published baseline (otherwise the page names it).
    pub fn is_published(self) -> bool {
        matches!(self, Base::Published(_))
    }
}

/// Everything the method needs about one indicator.
#[derive(Debug, Clone, Copy)]
pub struct Judged<'a> {
    /// The year of the indicator's baseline: the plan's baseline year unless the indicator's
    /// baseline names another. The time share counts from it.
    pub baseline_year: i32,
    /// The plan's first year: averages and compounded changes count from it, and "every year
    /// of the period" starts with it.
    pub first_year: i32,
    pub direction: Direction,
    pub measure: Measure,
    /// The published baseline value, if any.
    pub baseline_value: Option<Decimal>,
    /// The indicator's published yearly values, in any order.
    pub values: &'a [Point],
    /// The year asked for: figures after it are ignored, and from the target year on the
    /// verdict is final. The latest view passes the current year.
    pub as_of: i32,
    pub target: &'a Target,
    /// For a `relative` target, the other indicator's published yearly values.
    pub other: &'a [Point],
    /// For a `text` target, the verdicts officials published, in any order.
    pub verdicts: &'a [Verdict],
    pub factors: Factors,
}

/// The status of an indicator and what it was judged from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    pub status: Status,
    /// Y, the year judged: the target year for final verdicts, the verdict's year for `text`
    /// targets; `None` when no year could be judged.
    pub year: Option<i32>,
    /// The figure compared with the target in Y: the year's value, the average so far
    /// (`average`) or the compounded change so far in % (`cumulative`).
    pub figure: Option<Decimal>,
    /// p, where the method defines it: `level`, `increase` and `cumulative` targets judged
    /// on the way covered.
    pub progress_share: Option<Decimal>,
    /// t = (Y − baseline year) ÷ (target year − baseline year).
    pub time_share: Option<Decimal>,
    /// The base p was measured from; `Base::is_published` tells whether a page must name it.
    pub base: Option<Base>,
}

impl Judgement {
    /// An indicator without a target: nothing to measure the way against.
    pub fn unjudged() -> Judgement {
        Judgement::only(Status::NotEnoughData)
    }

    fn only(status: Status) -> Judgement {
        Judgement {
            status,
            year: None,
            figure: None,
            progress_share: None,
            time_share: None,
            base: None,
        }
    }
}

/// Judges one indicator by the time-progress method. Never panics.
pub fn judge(input: &Judged<'_>) -> Judgement {
    if input.target.rule == TargetRule::Text {
        return by_official(input);
    }
    let case = Case::new(input);
    let target_year = input.target.year;
    if input.as_of >= target_year {
        return case.finally();
    }
    // Before the target year: the latest year up to `as_of` that can be judged.
    let latest = case
        .own
        .range(input.first_year..=input.as_of)
        .rev()
        .find_map(|(&year, _)| case.judged(year).map(|(figure, met)| (year, figure, met)));
    let Some((year, figure, met)) = latest else {
        return Judgement::only(Status::NotEnoughData);
    };
    let time_share = case.time_share(year);
    let judgement = |status, progress: Option<(Decimal, Base)>| Judgement {
        status,
        year: Some(year),
        figure: Some(figure),
        progress_share: progress.map(|(p, _)| p),
        time_share,
        base: progress.map(|(_, b)| b),
    };
    let rule = &input.target.rule;
    if case.yearly() {
        return judgement(
            if met {
                Status::OnSchedule
            } else {
                Status::Lagging
            },
            None,
        );
    }
    if let TargetRule::Average { value, comparator } = *rule {
        let status = if !met {
            Status::Lagging
        } else if beyond(
            figure,
            value,
            comparator,
            input.direction,
            input.factors.ahead,
        ) {
            Status::Ahead
        } else {
            Status::OnSchedule
        };
        return judgement(status, None);
    }
    // `level`, `increase` and `cumulative`: met early, or judged on the way covered.
    let progress = case.progress(figure);
    if met {
        return judgement(Status::AchievedEarly, progress);
    }
    let Some(base) = case.base() else {
        return Judgement {
            time_share,
            ..judgement(Status::NotEnoughData, None)
        };
    };
    let Some(t) = time_share else {
        return judgement(Status::NotEnoughData, progress);
    };
    let Some((p, _)) = progress else {
        // The target does not lie ahead of the base: nothing to share out, and it is missed.
        return Judgement {
            base: Some(base),
            ..judgement(Status::Lagging, None)
        };
    };
    let factors = input.factors;
    let status = match (factors.ahead.checked_mul(t), factors.behind.checked_mul(t)) {
        (Some(ahead), _) if p >= ahead => Status::Ahead,
        (Some(_), Some(behind)) if p >= behind => Status::OnSchedule,
        (Some(_), Some(_)) => Status::Lagging,
        _ => Status::NotEnoughData,
    };
    judgement(status, progress)
}

/// A `text` target: the latest verdict published up to `as_of`.
fn by_official(input: &Judged<'_>) -> Judgement {
    let latest = input
        .verdicts
        .iter()
        .filter(|v| v.year <= input.as_of)
        .fold(None::<&Verdict>, |best, v| match best {
            Some(b) if b.year > v.year => Some(b),
            _ => Some(v),
        });
    match latest {
        Some(v) => Judgement {
            year: Some(v.year),
            ..Judgement::only(v.status)
        },
        None => Judgement::only(Status::AwaitingJudgement),
    }
}

/// Whether an average `figure` meeting `value` is also `factor` times better than it: a ≥ 1.2·v
/// (a ≥ v ÷ 1.2 for a negative v) when higher is better, a ≤ v ÷ 1.2 (a ≤ 1.2·v for v ≤ 0)
/// when lower is better. The comparator decides which way is better when it says so.
fn beyond(
    figure: Decimal,
    value: Decimal,
    comparator: Option<TargetComparator>,
    direction: Direction,
    factor: Decimal,
) -> bool {
    let higher = match comparator {
        Some(TargetComparator::Ge | TargetComparator::Gt) => true,
        Some(TargetComparator::Le | TargetComparator::Lt) => false,
        _ => direction == Direction::Higher,
    };
    let bound = match (higher, value >= Decimal::ZERO, value > Decimal::ZERO) {
        (true, true, _) | (false, _, false) => value.checked_mul(factor),
        (true, false, _) | (false, _, true) => value.checked_div(factor),
    };
    match bound {
        Some(bound) if higher => figure >= bound,
        Some(bound) => figure <= bound,
        None => false,
    }
}

/// One indicator's figures, cut at `as_of`, and the rules of its target.
struct Case<'a> {
    input: &'a Judged<'a>,
    own: BTreeMap<i32, Decimal>,
    other: BTreeMap<i32, Decimal>,
}

impl<'a> Case<'a> {
    fn new(input: &'a Judged<'a>) -> Case<'a> {
        let series = |points: &[Point]| {
            points
                .iter()
                .filter(|p| p.year <= input.as_of)
                .map(|p| (p.year, p.value))
                .collect::<BTreeMap<_, _>>()
        };
        Case {
            input,
            own: series(input.values),
            other: series(input.other),
        }
    }

    /// Targets judged year by year: met in Y or not.
    fn yearly(&self) -> bool {
        let input = self.input;
        input.target.every_year
            || match input.target.rule {
                TargetRule::Range { .. } | TargetRule::Relative { .. } => true,
                TargetRule::Level { .. } | TargetRule::Increase { .. } => input.measure.is_rate(),
                _ => false,
            }
    }

    /// The base of `level` and `increase` targets: the published baseline, else the
    /// published figure of the baseline year; zero for `cumulative` targets.
    fn base(&self) -> Option<Base> {
        let input = self.input;
        match input.target.rule {
            TargetRule::Cumulative { .. } => Some(Base::Zero),
            _ => match input.baseline_value {
                Some(v) => Some(Base::Published(v)),
                None => self
                    .own
                    .get(&input.baseline_year)
                    .copied()
                    .map(Base::BaselineYearFigure),
            },
        }
    }

    /// The figure of `year` and whether it meets the target, when both can be known.
    fn judged(&self, year: i32) -> Option<(Decimal, bool)> {
        let figure = self.figure(year)?;
        Some((figure, self.met(year, figure)?))
    }

    /// The figure compared with the target in `year`.
    fn figure(&self, year: i32) -> Option<Decimal> {
        let input = self.input;
        match input.target.rule {
            TargetRule::Average { .. } => {
                let years = self.run(year)?;
                let sum = years
                    .iter()
                    .try_fold(Decimal::ZERO, |sum, v| sum.checked_add(*v))?;
                sum.checked_div(Decimal::from(years.len()))
            }
            TargetRule::Cumulative { .. } => {
                let hundred = Decimal::ONE_HUNDRED;
                let product = self.run(year)?.iter().try_fold(Decimal::ONE, |acc, r| {
                    let share = r.checked_div(hundred)?;
                    let factor = match input.measure {
                        Measure::Growth => Decimal::ONE.checked_add(share)?,
                        Measure::Reduction => Decimal::ONE.checked_sub(share)?,
                        Measure::Level => return None,
                    };
                    acc.checked_mul(factor)
                })?;
                let change = match input.measure {
                    Measure::Reduction => Decimal::ONE.checked_sub(product)?,
                    _ => product.checked_sub(Decimal::ONE)?,
                };
                change.checked_mul(hundred)
            }
            _ => self.own.get(&year).copied(),
        }
    }

    /// The values from the plan's first year to `year`, when every one of them is published.
    fn run(&self, year: i32) -> Option<Vec<Decimal>> {
        let first = self.input.first_year;
        let span = i64::from(year) - i64::from(first) + 1;
        if span < 1 || span > self.own.len() as i64 {
            return None;
        }
        let values: Vec<Decimal> = self.own.range(first..=year).map(|(_, v)| *v).collect();
        (values.len() as i64 == span).then_some(values)
    }

    /// Whether `figure`, the figure of `year`, meets the target.
    fn met(&self, year: i32, figure: Decimal) -> Option<bool> {
        let input = self.input;
        let direction = input.direction;
        Some(match &input.target.rule {
            TargetRule::Level { value, comparator } | TargetRule::Average { value, comparator } => {
                holds(*comparator, figure, *value, direction)
            }
            TargetRule::Range { min, max } => *min <= figure && figure <= *max,
            TargetRule::Increase { .. } => {
                let target = input.target.rule.level_value(Some(self.base()?.value()))?;
                holds(None, figure, target, direction)
            }
            TargetRule::Cumulative { value, comparator } => match comparator {
                None | Some(TargetComparator::Eq) if value.is_sign_negative() => figure <= *value,
                None | Some(TargetComparator::Eq) => figure >= *value,
                Some(c) => c.holds(figure, *value, direction, Decimal::ZERO),
            },
            TargetRule::Relative {
                comparator,
                tolerance,
                ..
            } => {
                let other = *self.other.get(&year)?;
                comparator.holds(figure, other, direction, *tolerance)
            }
            TargetRule::Text => return None,
        })
    }

    /// p for `level`, `increase` and `cumulative` targets: (figure − base) ÷ (target − base),
    /// when the target lies ahead of the base in the good direction (for `cumulative`
    /// targets, when it is not zero). `None` for other kinds and for growth and reduction
    /// indicators' `level`/`increase` targets.
    fn progress(&self, figure: Decimal) -> Option<(Decimal, Base)> {
        let input = self.input;
        let rule = &input.target.rule;
        let base = self.base()?;
        let target = match rule {
            TargetRule::Level { .. } | TargetRule::Increase { .. } if !input.measure.is_rate() => {
                rule.level_value(Some(base.value()))?
            }
            TargetRule::Cumulative { value, .. } => *value,
            _ => return None,
        };
        let way = target.checked_sub(base.value())?;
        let ahead = match rule {
            TargetRule::Cumulative { .. } => !way.is_zero(),
            _ => match input.direction {
                Direction::Higher => way > Decimal::ZERO,
                Direction::Lower => way < Decimal::ZERO,
            },
        };
        if !ahead {
            return None;
        }
        let p = figure.checked_sub(base.value())?.checked_div(way)?;
        Some((p, base))
    }

    /// t = (year − baseline year) ÷ (target year − baseline year), for a year after the
    /// baseline year.
    fn time_share(&self, year: i32) -> Option<Decimal> {
        let input = self.input;
        let elapsed = i64::from(year) - i64::from(input.baseline_year);
        let period = i64::from(input.target.year) - i64::from(input.baseline_year);
        if elapsed <= 0 || period <= 0 {
            return None;
        }
        Decimal::from(elapsed).checked_div(Decimal::from(period))
    }

    /// From the target year on: achieved or not on the target year's figure, or awaiting it.
    fn finally(&self) -> Judgement {
        let input = self.input;
        let target_year = input.target.year;
        if matches!(input.target.rule, TargetRule::Increase { .. }) && self.base().is_none() {
            // Without a baseline the target itself is unknown.
            return Judgement::only(Status::NotEnoughData);
        }
        let Some((figure, met)) = self.judged(target_year) else {
            return Judgement::only(Status::AwaitingData);
        };
        let every_year = input.target.every_year
            || matches!(
                input.target.rule,
                TargetRule::Range { .. } | TargetRule::Relative { .. }
            );
        let met = if every_year {
            // Met in every year of the period that can be judged.
            self.own
                .range(input.first_year..=target_year)
                .filter_map(|(&year, _)| self.judged(year))
                .all(|(_, met)| met)
        } else {
            met
        };
        let progress = self.progress(figure);
        Judgement {
            status: if met {
                Status::Achieved
            } else {
                Status::NotAchieved
            },
            year: Some(target_year),
            figure: Some(figure),
            progress_share: progress.map(|(p, _)| p),
            time_share: self.time_share(target_year),
            base: progress.map(|(_, b)| b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Higher, Lower};
    use Status::{
        AchievedEarly, Ahead, AwaitingData, AwaitingJudgement, Lagging, NotAchieved, NotEnoughData,
        OnSchedule,
    };

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// One hand-computed case. Unless a case says otherwise the plan's baseline year is 2020,
    /// its first year 2021, the target is for 2025 (so t = (Y − 2020) ÷ 5) and the factors
    /// are 1.2 and 0.8.
    struct Case {
        name: &'static str,
        target: &'static str,
        direction: Direction,
        measure: Measure,
        baseline: Option<&'static str>,
        values: &'static [(i32, &'static str)],
        other: &'static [(i32, &'static str)],
        verdicts: &'static [(i32, Status)],
        as_of: i32,
        factors: Factors,
        status: Status,
        year: Option<i32>,
        figure: Option<&'static str>,
        p: Option<&'static str>,
        t: Option<&'static str>,
        base: Option<&'static str>,
    }

    fn case(name: &'static str, target: &'static str) -> Case {
        Case {
            name,
            target,
            direction: Higher,
            measure: Measure::Level,
            baseline: None,
            values: &[],
            other: &[],
            verdicts: &[],
            as_of: 2022,
            factors: Factors::default(),
            status: NotEnoughData,
            year: None,
            figure: None,
            p: None,
            t: None,
            base: None,
        }
    }

    impl Case {
        fn lower(self) -> Case {
            Case {
                direction: Lower,
                ..self
            }
        }
        fn measure(self, measure: Measure) -> Case {
            Case { measure, ..self }
        }
        fn baseline(self, v: &'static str) -> Case {
            Case {
                baseline: Some(v),
                ..self
            }
        }
        fn values(self, values: &'static [(i32, &'static str)]) -> Case {
            Case { values, ..self }
        }
        fn other(self, other: &'static [(i32, &'static str)]) -> Case {
            Case { other, ..self }
        }
        fn verdicts(self, verdicts: &'static [(i32, Status)]) -> Case {
            Case { verdicts, ..self }
        }
        fn until(self, as_of: i32) -> Case {
            Case { as_of, ..self }
        }
        fn factors(self, ahead: &str, behind: &str) -> Case {
            Case {
                factors: Factors {
                    ahead: d(ahead),
                    behind: d(behind),
                },
                ..self
            }
        }
        /// The status and the year judged.
        fn is(self, status: Status, year: Option<i32>) -> Case {
            Case {
                status,
                year,
                ..self
            }
        }
        fn figure(self, v: &'static str) -> Case {
            Case {
                figure: Some(v),
                ..self
            }
        }
        /// The progress share, the time share and the base's code.
        fn shares(
            self,
            p: Option<&'static str>,
            t: Option<&'static str>,
            base: Option<&'static str>,
        ) -> Case {
            Case { p, t, base, ..self }
        }
    }

    fn points(values: &[(i32, &str)]) -> Vec<Point> {
        values
            .iter()
            .map(|&(year, v)| Point { year, value: d(v) })
            .collect()
    }

    /// Rounded to 4 decimals for comparison with the hand computation.
    fn shown(v: Option<Decimal>) -> Option<String> {
        v.map(|v| v.round_dp(4).normalize().to_string())
    }

    fn expected(v: Option<&str>) -> Option<String> {
        v.map(|v| d(v).normalize().to_string())
    }

    fn run(c: &Case) -> Judgement {
        #[derive(Deserialize)]
        struct Holder {
            target: Target,
        }
        let target = toml::from_str::<Holder>(&format!("target = {}", c.target))
            .unwrap_or_else(|e| panic!("{}: {e}", c.name))
            .target;
        let values = points(c.values);
        let other = points(c.other);
        let verdicts: Vec<Verdict> = c
            .verdicts
            .iter()
            .map(|&(year, status)| Verdict { year, status })
            .collect();
        judge(&Judged {
            baseline_year: 2020,
            first_year: 2021,
            direction: c.direction,
            measure: c.measure,
            baseline_value: c.baseline.map(d),
            values: &values,
            as_of: c.as_of,
            target: &target,
            other: &other,
            verdicts: &verdicts,
            factors: c.factors,
        })
    }

    const URBAN: &str = r#"{ year = 2025, value = 65, comparator = ">=" }"#;
    const ENERGY: &str =
        r#"{ year = 2025, kind = "cumulative", value = 13.5, wording_zh = "〔13.5〕" }"#;
    const LIFE: &str = r#"{ year = 2025, kind = "increase", value = 1, wording_zh = "〔1〕" }"#;
    const RD: &str = r#"{ year = 2025, kind = "average", value = 7, comparator = ">" }"#;
    const CPI: &str = r#"{ year = 2025, kind = "range", min = 2, max = 3 }"#;
    const GRAIN: &str = r#"{ year = 2025, value = 6.5, comparator = ">", every_year = true }"#;
    const PRODUCTIVITY: &str =
        r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = ">" }"#;
    const INCOME: &str = r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = "≈", tolerance = 0.5 }"#;
    const GDP: &str =
        r#"{ year = 2025, kind = "text", wording_zh = "保持在合理区间、各年度视情提出" }"#;
    const GDP_FIGURES: &[(i32, &str)] = &[
        (2021, "8.1"),
        (2022, "3.0"),
        (2023, "5.2"),
        (2024, "5.0"),
        (2025, "5.0"),
    ];

    fn cases() -> Vec<Case> {
        vec![
            // ---- level ----
            // p = (62.2 − 60) ÷ (65 − 60) = 0.44; t = 2 ÷ 5 = 0.4; 0.32 ≤ 0.44 < 0.48.
            case("level: on schedule", URBAN)
                .baseline("60")
                .values(&[(2021, "61"), (2022, "62.2")])
                .is(OnSchedule, Some(2022))
                .figure("62.2")
                .shares(Some("0.44"), Some("0.4"), Some("baseline")),
            // p = 2.4 ÷ 5 = 0.48 = 1.2 · 0.4 exactly: ahead (the threshold is inclusive).
            case("level: ahead on the threshold", URBAN)
                .baseline("60")
                .values(&[(2022, "62.4")])
                .is(Ahead, Some(2022))
                .shares(Some("0.48"), Some("0.4"), Some("baseline")),
            // p = 1.6 ÷ 5 = 0.32 = 0.8 · 0.4 exactly: on schedule.
            case("level: on schedule on the lower threshold", URBAN)
                .baseline("60")
                .values(&[(2022, "61.6")])
                .is(OnSchedule, Some(2022))
                .shares(Some("0.32"), Some("0.4"), Some("baseline")),
            // p = 1.5 ÷ 5 = 0.3 < 0.32.
            case("level: lagging", URBAN)
                .baseline("60")
                .values(&[(2022, "61.5")])
                .is(Lagging, Some(2022))
                .shares(Some("0.3"), Some("0.4"), Some("baseline")),
            // 65.2 ≥ 65 in 2023, before 2025; p = 5.2 ÷ 5 = 1.04, t = 3 ÷ 5.
            case("level: achieved early", URBAN)
                .baseline("60")
                .values(&[(2022, "62"), (2023, "65.2")])
                .until(2023)
                .is(AchievedEarly, Some(2023))
                .shares(Some("1.04"), Some("0.6"), Some("baseline")),
            // as_of 2022 ignores 2023's 65.5: Y = 2022, p = 0.44 as in the first case.
            case("level: as_of cuts later figures", URBAN)
                .baseline("60")
                .values(&[(2022, "62.2"), (2023, "65.5")])
                .is(OnSchedule, Some(2022))
                .shares(Some("0.44"), Some("0.4"), Some("baseline")),
            // Lower is better, strict: p = (32 − 34) ÷ (30 − 34) = 0.5 ≥ 0.48.
            case(
                "level '<', lower is better: ahead",
                r#"{ year = 2025, value = 30, comparator = "<" }"#,
            )
            .lower()
            .baseline("34")
            .values(&[(2021, "33"), (2022, "32")])
            .is(Ahead, Some(2022))
            .shares(Some("0.5"), Some("0.4"), Some("baseline")),
            // 30 is not < 30: not achieved early; p = 4 ÷ 4 = 1 ≥ 1.2 · 0.6 = 0.72.
            case(
                "level '<': the bound itself is not met",
                r#"{ year = 2025, value = 30, comparator = "<" }"#,
            )
            .lower()
            .baseline("34")
            .values(&[(2023, "30")])
            .until(2023)
            .is(Ahead, Some(2023))
            .shares(Some("1"), Some("0.6"), Some("baseline")),
            case(
                "level '<': just below the bound is achieved early",
                r#"{ year = 2025, value = 30, comparator = "<" }"#,
            )
            .lower()
            .baseline("34")
            .values(&[(2023, "29.9")])
            .until(2023)
            .is(AchievedEarly, Some(2023))
            .shares(Some("1.025"), Some("0.6"), Some("baseline")),
            // No baseline value and no figure for 2020: no way covered, no fallback to 2021.
            case("level: missing baseline", URBAN)
                .values(&[(2021, "61"), (2022, "62.2")])
                .is(NotEnoughData, Some(2022))
                .shares(None, Some("0.4"), None),
            // Baseline value unpublished, 2020's figure stands in and is named:
            // p = (62.2 − 60) ÷ 5 = 0.44.
            case("level: the baseline year's figure stands in", URBAN)
                .values(&[(2020, "60"), (2022, "62.2")])
                .is(OnSchedule, Some(2022))
                .shares(Some("0.44"), Some("0.4"), Some("baseline_year_figure")),
            // Met needs no base.
            case("level: missing baseline, met early", URBAN)
                .values(&[(2022, "66")])
                .is(AchievedEarly, Some(2022))
                .shares(None, Some("0.4"), None),
            // Zero baseline on a percent indicator: p = (4 − 0) ÷ (10 − 0) = 0.4, in
            // [0.32, 0.48): on schedule (no "780 % a year").
            case(
                "level: zero baseline",
                r#"{ year = 2025, value = 10, comparator = ">=" }"#,
            )
            .baseline("0")
            .values(&[(2021, "1"), (2022, "4")])
            .is(OnSchedule, Some(2022))
            .shares(Some("0.4"), Some("0.4"), Some("baseline")),
            // Already met at the baseline (70 ≥ 65), lost in 2022 (64): the way 65 − 70 is
            // not ahead of the base, no p, a miss.
            case("level: target behind the base, lost", URBAN)
                .baseline("70")
                .values(&[(2022, "64")])
                .is(Lagging, Some(2022))
                .shares(None, Some("0.4"), Some("baseline")),
            // Only the baseline year has a figure: nothing after it to judge.
            case("level: only the baseline year", URBAN)
                .baseline("60")
                .values(&[(2020, "60")])
                .is(NotEnoughData, None),
            case("level: no figures", URBAN)
                .baseline("60")
                .is(NotEnoughData, None),
            // Final: 65.3 ≥ 65 in 2025; p = 5.3 ÷ 5 = 1.06, t = 5 ÷ 5 = 1.
            case("level: achieved", URBAN)
                .baseline("60")
                .values(&[(2024, "64"), (2025, "65.3")])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .shares(Some("1.06"), Some("1"), Some("baseline")),
            // Final on 2025's figure only, though 2026's 66 meets it: p = 4 ÷ 5 = 0.8.
            case("level: not achieved on the target year's figure", URBAN)
                .baseline("60")
                .values(&[(2024, "65.1"), (2025, "64"), (2026, "66")])
                .until(2026)
                .is(NotAchieved, Some(2025))
                .shares(Some("0.8"), Some("1"), Some("baseline")),
            // 2024 met it, but from 2025 on only 2025's figure counts, and there is none.
            case("level: awaiting the target year's figure", URBAN)
                .baseline("60")
                .values(&[(2023, "64"), (2024, "65.5")])
                .until(2026)
                .is(AwaitingData, None),
            // Plan factors 1.1 and 0.9: p = 0.44 ≥ 1.1 · 0.4 = 0.44: ahead.
            case("level: the plan's own factors", URBAN)
                .baseline("60")
                .values(&[(2022, "62.2")])
                .factors("1.1", "0.9")
                .is(Ahead, Some(2022))
                .shares(Some("0.44"), Some("0.4"), Some("baseline")),
            // ---- level targets of a growth rate: year by year, never early, never p ----
            // GDP growth ≥ 6: 2022's 3.0 misses it.
            case(
                "growth level: missed in Y",
                r#"{ year = 2025, value = 6, comparator = ">=" }"#,
            )
            .measure(Measure::Growth)
            .baseline("2.3")
            .values(&[(2021, "8.1"), (2022, "3.0")])
            .is(Lagging, Some(2022))
            .shares(None, Some("0.4"), None),
            case(
                "growth level: met in Y is on schedule, not achieved early",
                r#"{ year = 2025, value = 6, comparator = ">=" }"#,
            )
            .measure(Measure::Growth)
            .baseline("2.3")
            .values(&[(2021, "8.1"), (2022, "6.5")])
            .is(OnSchedule, Some(2022))
            .shares(None, Some("0.4"), None),
            case(
                "growth level: a negative year",
                r#"{ year = 2025, value = 6, comparator = ">=" }"#,
            )
            .measure(Measure::Growth)
            .values(&[(2022, "-1.2")])
            .is(Lagging, Some(2022))
            .shares(None, Some("0.4"), None),
            // ---- every_year ----
            // Grain > 6.5 in 2021 (6.83) and 2022 (6.87): on schedule.
            case("every_year: met", GRAIN)
                .values(&[(2021, "6.83"), (2022, "6.87")])
                .is(OnSchedule, Some(2022))
                .shares(None, Some("0.4"), None),
            // Met, then lost in 2023 (6.4 ≤ 6.5): lagging.
            case("every_year: met then lost", GRAIN)
                .values(&[(2021, "6.83"), (2022, "6.87"), (2023, "6.4")])
                .until(2023)
                .is(Lagging, Some(2023))
                .shares(None, Some("0.6"), None),
            // 2025 meets it but 2023 did not: not achieved.
            case("every_year: one year lost is not achieved", GRAIN)
                .values(&[
                    (2021, "6.83"),
                    (2022, "6.87"),
                    (2023, "6.4"),
                    (2024, "6.9"),
                    (2025, "6.95"),
                ])
                .until(2025)
                .is(NotAchieved, Some(2025))
                .shares(None, Some("1"), None),
            case("every_year: met every year is achieved", GRAIN)
                .values(&[
                    (2021, "6.83"),
                    (2022, "6.87"),
                    (2023, "6.86"),
                    (2024, "6.95"),
                    (2025, "6.95"),
                ])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .shares(None, Some("1"), None),
            // Unemployment < 5.5 every year, lower is better: 5.5 is not < 5.5.
            case(
                "every_year '<': the bound is a miss",
                r#"{ year = 2025, value = 5.5, comparator = "<", every_year = true }"#,
            )
            .lower()
            .values(&[(2021, "5.1"), (2022, "5.5")])
            .is(Lagging, Some(2022))
            .shares(None, Some("0.4"), None),
            // ---- range ----
            case("range: below is lagging", CPI)
                .measure(Measure::Growth)
                .values(&[(2021, "0.9")])
                .is(Lagging, Some(2021))
                .shares(None, Some("0.2"), None),
            // 2 is inside 2–3 (inclusive).
            case("range: the bound is inside", CPI)
                .measure(Measure::Growth)
                .values(&[(2021, "0.9"), (2022, "2")])
                .is(OnSchedule, Some(2022))
                .shares(None, Some("0.4"), None),
            case("range: a negative year", CPI)
                .measure(Measure::Growth)
                .values(&[(2022, "-0.3")])
                .is(Lagging, Some(2022))
                .shares(None, Some("0.4"), None),
            case("range: inside every year is achieved", CPI)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "2.5"),
                    (2022, "2"),
                    (2023, "3"),
                    (2024, "2.2"),
                    (2025, "2.8"),
                ])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .shares(None, Some("1"), None),
            // 2023's 3.1 is above the range.
            case("range: one year outside is not achieved", CPI)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "2.5"),
                    (2022, "2"),
                    (2023, "3.1"),
                    (2024, "2.2"),
                    (2025, "2.8"),
                ])
                .until(2025)
                .is(NotAchieved, Some(2025))
                .shares(None, Some("1"), None),
            // ---- average ----
            // a = (14.2 + 10.1) ÷ 2 = 12.15 > 7 and ≥ 1.2 · 7 = 8.4: ahead.
            case("average: ahead", RD)
                .measure(Measure::Growth)
                .values(&[(2021, "14.2"), (2022, "10.1")])
                .is(Ahead, Some(2022))
                .figure("12.15")
                .shares(None, Some("0.4"), None),
            // a = (7.5 + 8.0) ÷ 2 = 7.75: > 7 but < 8.4.
            case("average: on schedule", RD)
                .measure(Measure::Growth)
                .values(&[(2021, "7.5"), (2022, "8.0")])
                .is(OnSchedule, Some(2022))
                .figure("7.75")
                .shares(None, Some("0.4"), None),
            // a = (6 + 7.5) ÷ 2 = 6.75, not > 7.
            case("average: lagging", RD)
                .measure(Measure::Growth)
                .values(&[(2021, "6"), (2022, "7.5")])
                .is(Lagging, Some(2022))
                .figure("6.75")
                .shares(None, Some("0.4"), None),
            // a = (16 + −1.2) ÷ 2 = 7.4 > 7, < 8.4.
            case("average: with a negative year", RD)
                .measure(Measure::Growth)
                .values(&[(2021, "16"), (2022, "-1.2")])
                .is(OnSchedule, Some(2022))
                .figure("7.4")
                .shares(None, Some("0.4"), None),
            // 2021 is missing, so no average can be taken from the first year.
            case("average: a year missing from the run", RD)
                .measure(Measure::Growth)
                .values(&[(2022, "9")])
                .is(NotEnoughData, None),
            // Lower is better, ≤ 3: a = (2.4 + 2.6) ÷ 2 = 2.5 ≤ 3 ÷ 1.2 = 2.5: ahead.
            case(
                "average, lower is better: ahead on the threshold",
                r#"{ year = 2025, kind = "average", value = 3, comparator = "<=" }"#,
            )
            .lower()
            .values(&[(2021, "2.4"), (2022, "2.6")])
            .is(Ahead, Some(2022))
            .figure("2.5")
            .shares(None, Some("0.4"), None),
            // a = (2.6 + 2.8) ÷ 2 = 2.7: ≤ 3 but > 2.5.
            case(
                "average, lower is better: on schedule",
                r#"{ year = 2025, kind = "average", value = 3, comparator = "<=" }"#,
            )
            .lower()
            .values(&[(2021, "2.6"), (2022, "2.8")])
            .is(OnSchedule, Some(2022))
            .figure("2.7")
            .shares(None, Some("0.4"), None),
            // a = (8 + 8 + 7 + 6 + 7.5) ÷ 5 = 36.5 ÷ 5 = 7.3 > 7.
            case("average: achieved over the period", RD)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "8"),
                    (2022, "8"),
                    (2023, "7"),
                    (2024, "6"),
                    (2025, "7.5"),
                ])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .figure("7.3")
                .shares(None, Some("1"), None),
            // a = (8 + 8 + 7 + 6 + 4) ÷ 5 = 6.6, not > 7.
            case("average: not achieved over the period", RD)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "8"),
                    (2022, "8"),
                    (2023, "7"),
                    (2024, "6"),
                    (2025, "4"),
                ])
                .until(2025)
                .is(NotAchieved, Some(2025))
                .figure("6.6")
                .shares(None, Some("1"), None),
            case("average: awaiting the target year", RD)
                .measure(Measure::Growth)
                .values(&[(2021, "8"), (2022, "8"), (2023, "7"), (2024, "6")])
                .until(2025)
                .is(AwaitingData, None),
            // ---- cumulative ----
            // Energy intensity 〔13.5〕, yearly reductions 3.2, −0.5 (it rose), 2.9, 3.0:
            // Π(1 − r/100) = 0.968 · 1.005 · 0.971 · 0.970 = 0.9162888108, so the change is
            // 1 − 0.9162888108 = 8.37111892 %; p = 8.37111892 ÷ 13.5 = 0.6201, t = 4 ÷ 5
            // = 0.8, 0.8 · t = 0.64 > p: lagging, as the mid-term review says.
            case("cumulative reduction: energy intensity lagging", ENERGY)
                .measure(Measure::Reduction)
                .values(&[(2021, "3.2"), (2022, "-0.5"), (2023, "2.9"), (2024, "3.0")])
                .until(2024)
                .is(Lagging, Some(2024))
                .figure("8.3711")
                .shares(Some("0.6201"), Some("0.8"), Some("zero")),
            // CO2 intensity 〔18〕, 5 and 5: 1 − 0.95 · 0.95 = 9.75 %; p = 9.75 ÷ 18 = 0.5417
            // ≥ 1.2 · 0.4 = 0.48: ahead.
            case(
                "cumulative reduction: ahead",
                r#"{ year = 2025, kind = "cumulative", value = 18 }"#,
            )
            .measure(Measure::Reduction)
            .values(&[(2021, "5"), (2022, "5")])
            .is(Ahead, Some(2022))
            .figure("9.75")
            .shares(Some("0.5417"), Some("0.4"), Some("zero")),
            // 2022 is missing, so the run stops at 2021: 3.2 %, p = 3.2 ÷ 13.5 = 0.237,
            // t = 0.2: 0.16 ≤ p < 0.24, on schedule.
            case("cumulative: a gap stops the run", ENERGY)
                .measure(Measure::Reduction)
                .values(&[(2021, "3.2"), (2023, "2.9")])
                .until(2023)
                .is(OnSchedule, Some(2021))
                .figure("3.2")
                .shares(Some("0.237"), Some("0.2"), Some("zero")),
            // Rose both years: 1 − 1.01 · 1.02 = −3.02 %; p = −3.02 ÷ 13.5 = −0.2237.
            case("cumulative reduction: negative years", ENERGY)
                .measure(Measure::Reduction)
                .values(&[(2021, "-1"), (2022, "-2")])
                .is(Lagging, Some(2022))
                .figure("-3.02")
                .shares(Some("-0.2237"), Some("0.4"), Some("zero")),
            // Growth 〔10〕, 5 and 5: 1.05 · 1.05 − 1 = 10.25 % ≥ 10 before 2025.
            case(
                "cumulative growth: achieved early",
                r#"{ year = 2025, kind = "cumulative", value = 10 }"#,
            )
            .measure(Measure::Growth)
            .values(&[(2021, "5"), (2022, "5")])
            .is(AchievedEarly, Some(2022))
            .figure("10.25")
            .shares(Some("1.025"), Some("0.4"), Some("zero")),
            // Five years: 0.9162888108 · (1 − 0.026) = 0.8924653017192, a change of
            // 10.7534698281 % < 13.5; p = 0.7966.
            case("cumulative reduction: not achieved", ENERGY)
                .measure(Measure::Reduction)
                .values(&[
                    (2021, "3.2"),
                    (2022, "-0.5"),
                    (2023, "2.9"),
                    (2024, "3.0"),
                    (2025, "2.6"),
                ])
                .until(2025)
                .is(NotAchieved, Some(2025))
                .figure("10.7535")
                .shares(Some("0.7966"), Some("1"), Some("zero")),
            // 3 % a year for five years: 1 − 0.97⁵ = 1 − 0.8587340257 = 14.1266 % ≥ 13.5.
            case("cumulative reduction: achieved", ENERGY)
                .measure(Measure::Reduction)
                .values(&[
                    (2021, "3"),
                    (2022, "3"),
                    (2023, "3"),
                    (2024, "3"),
                    (2025, "3"),
                ])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .figure("14.1266")
                .shares(Some("1.0464"), Some("1"), Some("zero")),
            // A level indicator's values cannot be compounded.
            case("cumulative of a level indicator", ENERGY)
                .values(&[(2021, "3"), (2022, "3")])
                .is(NotEnoughData, None),
            // ---- increase ----
            // Life expectancy 78.3 + 1 = 79.3: p = (78.6 − 78.3) ÷ 1 = 0.3 < 0.32.
            case("increase: lagging", LIFE)
                .baseline("78.3")
                .values(&[(2021, "78.5"), (2022, "78.6")])
                .is(Lagging, Some(2022))
                .shares(Some("0.3"), Some("0.4"), Some("baseline")),
            // p = 0.5 ≥ 0.48.
            case("increase: ahead", LIFE)
                .baseline("78.3")
                .values(&[(2022, "78.8")])
                .is(Ahead, Some(2022))
                .shares(Some("0.5"), Some("0.4"), Some("baseline")),
            case("increase: achieved early", LIFE)
                .baseline("78.3")
                .values(&[(2023, "79.3")])
                .until(2023)
                .is(AchievedEarly, Some(2023))
                .shares(Some("1"), Some("0.6"), Some("baseline")),
            // Without a baseline the target itself is unknown.
            case("increase: missing baseline", LIFE)
                .values(&[(2022, "79.5")])
                .is(NotEnoughData, None),
            case("increase: missing baseline at the end", LIFE)
                .values(&[(2025, "79.5")])
                .until(2025)
                .is(NotEnoughData, None),
            // 2020's figure stands in: 78.3 + 1 = 79.3, 79.4 ≥ 79.3, p = 1.1 ÷ 1.
            case("increase: achieved on the baseline year's figure", LIFE)
                .values(&[(2020, "78.3"), (2025, "79.4")])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .shares(Some("1.1"), Some("1"), Some("baseline_year_figure")),
            // ---- relative ----
            // 2022: productivity 2.8 against GDP 3.0: not >.
            case("relative: missed in Y", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[(2021, "8.5"), (2022, "2.8")])
                .other(GDP_FIGURES)
                .is(Lagging, Some(2022))
                .shares(None, Some("0.4"), None),
            // 2023: 5.5 > 5.2.
            case("relative: met in Y", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[(2021, "8.5"), (2022, "2.8"), (2023, "5.5")])
                .other(GDP_FIGURES)
                .until(2023)
                .is(OnSchedule, Some(2023))
                .shares(None, Some("0.6"), None),
            // GDP has no 2023 figure yet: the latest comparable year, 2022, is judged.
            case("relative: the other indicator lacks the year", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[(2021, "8.5"), (2022, "2.8"), (2023, "5.5")])
                .other(&[(2021, "8.1"), (2022, "3.0")])
                .until(2023)
                .is(Lagging, Some(2022))
                .shares(None, Some("0.4"), None),
            case(
                "relative: the other indicator has no figure at all",
                PRODUCTIVITY,
            )
            .measure(Measure::Growth)
            .values(&[(2021, "8.5"), (2022, "2.8")])
            .is(NotEnoughData, None),
            // ≈ GDP within 0.5: |3.4 − 3.0| = 0.4.
            case("relative ≈: within the tolerance", INCOME)
                .measure(Measure::Growth)
                .values(&[(2021, "9.1"), (2022, "3.4")])
                .other(GDP_FIGURES)
                .is(OnSchedule, Some(2022))
                .shares(None, Some("0.4"), None),
            // |2.4 − 3.0| = 0.6 > 0.5.
            case("relative ≈: outside the tolerance", INCOME)
                .measure(Measure::Growth)
                .values(&[(2021, "8.1"), (2022, "2.4")])
                .other(GDP_FIGURES)
                .is(Lagging, Some(2022))
                .shares(None, Some("0.4"), None),
            // Every year above GDP: 8.5 > 8.1, 3.2 > 3.0, 5.5 > 5.2, 5.1 > 5.0, 5.3 > 5.0.
            case("relative: achieved", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "8.5"),
                    (2022, "3.2"),
                    (2023, "5.5"),
                    (2024, "5.1"),
                    (2025, "5.3"),
                ])
                .other(GDP_FIGURES)
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .shares(None, Some("1"), None),
            // 2022: 2.8 ≤ 3.0, so not every year.
            case("relative: one year below is not achieved", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "8.5"),
                    (2022, "2.8"),
                    (2023, "5.5"),
                    (2024, "5.1"),
                    (2025, "5.3"),
                ])
                .other(GDP_FIGURES)
                .until(2025)
                .is(NotAchieved, Some(2025))
                .shares(None, Some("1"), None),
            // GDP's 2023 is missing: that year neither breaks nor proves it.
            case("relative: a year the other lacks is skipped", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[
                    (2021, "8.5"),
                    (2022, "3.2"),
                    (2023, "1.0"),
                    (2024, "5.1"),
                    (2025, "5.3"),
                ])
                .other(&[(2021, "8.1"), (2022, "3.0"), (2024, "5.0"), (2025, "5.0")])
                .until(2025)
                .is(Status::Achieved, Some(2025))
                .shares(None, Some("1"), None),
            // GDP's 2025 is not published yet.
            case("relative: awaiting the other's target year", PRODUCTIVITY)
                .measure(Measure::Growth)
                .values(&[(2024, "5.1"), (2025, "5.3")])
                .other(&[(2024, "5.0")])
                .until(2025)
                .is(AwaitingData, None),
            // ---- text ----
            case("text: no verdict yet", GDP)
                .values(&[(2021, "8.1")])
                .is(AwaitingJudgement, None),
            // 2023's verdict is later than as_of 2022.
            case("text: the verdict of the year asked for", GDP)
                .verdicts(&[(2023, Lagging), (2022, OnSchedule)])
                .is(OnSchedule, Some(2022)),
            case("text: the latest verdict", GDP)
                .verdicts(&[(2022, OnSchedule), (2023, Lagging)])
                .until(2024)
                .is(Lagging, Some(2023)),
            case("text: the final verdict", GDP)
                .verdicts(&[(2023, Lagging), (2025, Status::Achieved)])
                .until(2026)
                .is(Status::Achieved, Some(2025)),
        ]
    }

    #[test]
    fn hand_computed_cases() {
        let mut failures = Vec::new();
        for c in cases() {
            let j = run(&c);
            let mut wrong = Vec::new();
            if j.status != c.status {
                wrong.push(format!("status {} (expected {})", j.status, c.status));
            }
            if j.year != c.year {
                wrong.push(format!("year {:?} (expected {:?})", j.year, c.year));
            }
            if c.figure.is_some() && shown(j.figure) != expected(c.figure) {
                wrong.push(format!("figure {:?} (expected {:?})", j.figure, c.figure));
            }
            if shown(j.progress_share) != expected(c.p) {
                wrong.push(format!("p {:?} (expected {:?})", j.progress_share, c.p));
            }
            if shown(j.time_share) != expected(c.t) {
                wrong.push(format!("t {:?} (expected {:?})", j.time_share, c.t));
            }
            if j.base.map(Base::as_str) != c.base {
                wrong.push(format!("base {:?} (expected {:?})", j.base, c.base));
            }
            if !wrong.is_empty() {
                failures.push(format!("{}: {}", c.name, wrong.join(", ")));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn every_status_and_every_kind_is_in_the_table() {
        let cases = cases();
        for status in Status::ALL {
            assert!(
                cases.iter().any(|c| c.status == *status),
                "no case for {status}"
            );
        }
        for kind in crate::domain::target::TargetKind::ALL {
            let code = kind.as_str();
            assert!(
                cases
                    .iter()
                    .any(|c| c.target.contains(&format!("\"{code}\""))
                        || (code == "level" && !c.target.contains("kind"))),
                "no case for {code}"
            );
        }
    }

    #[test]
    fn status_codes_are_those_of_the_api() {
        let codes: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "achieved_early",
                "ahead",
                "on_schedule",
                "lagging",
                "achieved",
                "not_achieved",
                "awaiting_data",
                "awaiting_judgement",
                "not_enough_data",
            ]
        );
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), *s);
        }
        assert!(Status::Achieved.is_final() && !Status::AchievedEarly.is_final());
        assert_eq!(Factors::default().ahead, d("1.2"));
        assert_eq!(Factors::default().behind, d("0.8"));
    }

    /// Extreme numbers overflow no computation into a panic.
    #[test]
    fn extreme_figures_do_not_panic() {
        for target in [URBAN, ENERGY, LIFE, RD, CPI, GRAIN, PRODUCTIVITY] {
            let target: Target =
                toml::from_str::<toml::Table>(&format!("t = {target}")).unwrap()["t"]
                    .clone()
                    .try_into()
                    .unwrap();
            for measure in Measure::ALL {
                let values = [
                    Point {
                        year: 2021,
                        value: Decimal::MAX,
                    },
                    Point {
                        year: 2022,
                        value: Decimal::MIN,
                    },
                ];
                for as_of in [2022, 2025, i32::MAX] {
                    let _ = judge(&Judged {
                        baseline_year: 2020,
                        first_year: i32::MIN,
                        direction: Higher,
                        measure: *measure,
                        baseline_value: Some(Decimal::MIN),
                        values: &values,
                        as_of,
                        target: &target,
                        other: &values,
                        verdicts: &[],
                        factors: Factors::default(),
                    });
                }
            }
        }
    }
}
