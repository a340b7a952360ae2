//! Plausibility checks: a figure far from the indicator's own history, or outside the bounds its
//! definition gives, is probably a typing or unit error (10,120.5 where 1,012.05 was meant). The
//! checks warn and never refuse: the person who entered the figure confirms it ("I checked this
//! value"), the confirmation is kept with the draft, and the reviewer sees the warning.

use rust_decimal::Decimal;

use super::target::Measure;

/// How far from the previous published year a value may move before it is questioned: 50 %.
pub const MAX_CHANGE: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// Why a value looks wrong. Kept as data (an upload's preview is stored), worded only when
/// shown, in the reader's language then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// More than [`MAX_CHANGE`] away from the previous published figure (`change` is the
    /// relative change, 0.5 = +50 %).
    FarFromPrevious {
        year: i32,
        previous: Decimal,
        change: Decimal,
    },
    /// Below the definition's `plausible_min`.
    BelowMin(Decimal),
    /// Above the definition's `plausible_max`.
    AboveMax(Decimal),
}

impl Warning {
    /// What to check, in the reader's language, with plain numbers.
    pub fn message(&self) -> String {
        use crate::i18n::{t1, tn};
        match *self {
            Warning::FarFromPrevious {
                year,
                previous,
                change,
            } => {
                let percent = (change * Decimal::ONE_HUNDRED).round_dp(0);
                let sign = if percent.is_sign_positive() {
                    "+"
                } else {
                    "−"
                };
                tn(
                    "plausible-far",
                    &[
                        ("change", &format!("{sign}{}", percent.abs())),
                        ("year", &year),
                        ("previous", &previous),
                    ],
                )
            }
            Warning::BelowMin(min) => t1("plausible-below", "min", min),
            Warning::AboveMax(max) => t1("plausible-above", "max", max),
        }
    }
}

/// All of `warnings` as one sentence.
pub fn messages(warnings: &[Warning]) -> String {
    warnings
        .iter()
        .map(Warning::message)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a value is checked against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expected {
    /// The newest published figure of an earlier year, with its year.
    pub previous: Option<(i32, Decimal)>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub measure: Measure,
}

/// Every warning `value` raises. A yearly growth or reduction rate is not compared with the
/// previous year by ratio (5.0 → 2.3 is an ordinary year), only with its bounds; nor is any
/// value compared with a previous zero.
pub fn check(value: Decimal, expected: &Expected) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some((year, previous)) = expected.previous
        && !expected.measure.is_rate()
        && !previous.is_zero()
        && let Some(change) = value
            .checked_sub(previous)
            .and_then(|d| d.checked_div(previous.abs()))
        && change.abs() > MAX_CHANGE
    {
        out.push(Warning::FarFromPrevious {
            year,
            previous,
            change,
        });
    }
    if let Some(min) = expected.min
        && value < min
    {
        out.push(Warning::BelowMin(min));
    }
    if let Some(max) = expected.max
        && value > max
    {
        out.push(Warning::AboveMax(max));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn after(year: i32, previous: &str) -> Expected {
        Expected {
            previous: Some((year, d(previous))),
            ..Expected::default()
        }
    }

    #[test]
    fn a_tenfold_value_is_questioned_and_an_ordinary_year_is_not() {
        // 10,120.5 typed for 1,012.05: (10120.5 − 974.24) ÷ 974.24 = 9.388…, far more than 50 %.
        let w = check(d("10120.5"), &after(2024, "974.24"));
        assert_eq!(w.len(), 1);
        let Warning::FarFromPrevious { year, change, .. } = w[0] else {
            panic!("{w:?}")
        };
        assert_eq!(year, 2024);
        assert_eq!(change.round_dp(3), d("9.388"));
        // 120.5 typed for a series at 372.56: −67.7 %.
        assert!(matches!(
            check(d("120.5"), &after(2024, "372.56"))[..],
            [Warning::FarFromPrevious { .. }]
        ));
        // 1,012.05 after 974.24: +3.9 %.
        assert!(check(d("1012.05"), &after(2024, "974.24")).is_empty());
    }

    #[test]
    fn the_limit_is_fifty_percent_either_way_inclusive() {
        assert!(check(d("150"), &after(2024, "100")).is_empty());
        assert!(check(d("50"), &after(2024, "100")).is_empty());
        assert_eq!(check(d("150.01"), &after(2024, "100")).len(), 1);
        assert_eq!(check(d("49.99"), &after(2024, "100")).len(), 1);
    }

    #[test]
    fn rates_and_a_zero_previous_year_are_only_held_to_their_bounds() {
        let rate = Expected {
            measure: Measure::Growth,
            min: Some(d("-10")),
            max: Some(d("20")),
            ..after(2024, "5.0")
        };
        assert!(check(d("2.3"), &rate).is_empty());
        assert!(check(d("-1.5"), &rate).is_empty());
        assert_eq!(check(d("25"), &rate), vec![Warning::AboveMax(d("20"))]);
        assert_eq!(check(d("-12"), &rate), vec![Warning::BelowMin(d("-10"))]);
        assert!(check(d("40"), &after(2024, "0")).is_empty());
        assert!(check(d("40"), &Expected::default()).is_empty());
    }
}
