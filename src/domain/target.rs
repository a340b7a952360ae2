//! What a plan aims at for one indicator, in the kinds real plan tables use: a level in the
//! target year, a range, a period average, a cumulative change written 〔13.5〕, an increase
//! over the baseline, a comparison with another indicator, or words an official must judge.
//!
//! A target is written in a seed file as `target = { year, kind, … }`; without `kind` it is a
//! `level`, so `{ year, value, comparator }` targets read as they always did. The flat shape is
//! [`TargetFields`]; [`Target`] is what it parses into once the fields fit the kind.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::plan::{Comparator, Confidence, Direction, UnknownCode};
use super::seed::exact_opt;

code_enum!(
    /// What an indicator's yearly values are: a stock or a share (`level`), a yearly growth
    /// rate in % (`growth`) or a yearly reduction in % (`reduction`, negative when the
    /// quantity rose).
    Measure, "measure" { Level => "level", Growth => "growth", Reduction => "reduction" }
);

// `code_enum!` takes no `#[default]` on a variant.
#[allow(clippy::derivable_impls)]
impl Default for Measure {
    fn default() -> Self {
        Measure::Level
    }
}

impl Measure {
    /// Whether a value below zero can be a real figure: a growth or reduction rate can be
    /// negative (a year when energy intensity rose), a level cannot.
    pub fn allows_negative(self) -> bool {
        matches!(self, Measure::Growth | Measure::Reduction)
    }

    /// Whether the values are yearly rates of change rather than levels.
    pub fn is_rate(self) -> bool {
        self.allows_negative()
    }
}

code_enum!(
    /// The kind of a target, as written in `kind` (`level` when left out).
    TargetKind, "target kind" {
        Level => "level",
        Range => "range",
        Average => "average",
        Cumulative => "cumulative",
        Increase => "increase",
        Relative => "relative",
        Text => "text",
    }
);

// `code_enum!` takes no `#[default]` on a variant.
#[allow(clippy::derivable_impls)]
impl Default for TargetKind {
    fn default() -> Self {
        TargetKind::Level
    }
}

code_enum!(
    /// How a target compares a figure with its value. `≈` ("about the same as") is only for
    /// `relative` targets and comes with a tolerance; `=` is not for `relative` targets.
    TargetComparator, "target comparator" {
        Ge => ">=",
        Gt => ">",
        Le => "<=",
        Lt => "<",
        Eq => "=",
        About => "≈",
    }
);

impl TargetComparator {
    /// How the comparator is printed beside a number.
    pub fn symbol(self) -> &'static str {
        match self {
            TargetComparator::Ge => "≥",
            TargetComparator::Gt => ">",
            TargetComparator::Le => "≤",
            TargetComparator::Lt => "<",
            TargetComparator::Eq => "=",
            TargetComparator::About => "≈",
        }
    }

    /// Whether `figure` meets `target` as this comparator words it. `=` (and no comparator,
    /// see [`holds`]) means "at or past the target in the good direction", as a plan means
    /// "reach 65"; `≈` means within `tolerance` either side.
    pub fn holds(
        self,
        figure: Decimal,
        target: Decimal,
        direction: Direction,
        tolerance: Decimal,
    ) -> bool {
        match self {
            TargetComparator::Ge => figure >= target,
            TargetComparator::Gt => figure > target,
            TargetComparator::Le => figure <= target,
            TargetComparator::Lt => figure < target,
            TargetComparator::Eq => at_or_past(figure, target, direction),
            TargetComparator::About => figure
                .checked_sub(target)
                .is_some_and(|gap| gap.abs() <= tolerance.abs()),
        }
    }
}

/// [`TargetComparator::holds`] for a comparator the plan may leave out.
pub fn holds(
    comparator: Option<TargetComparator>,
    figure: Decimal,
    target: Decimal,
    direction: Direction,
) -> bool {
    match comparator {
        Some(c) => c.holds(figure, target, direction, Decimal::ZERO),
        None => at_or_past(figure, target, direction),
    }
}

fn at_or_past(figure: Decimal, target: Decimal, direction: Direction) -> bool {
    match direction {
        Direction::Higher => figure >= target,
        Direction::Lower => figure <= target,
    }
}

/// The comparators of the older definitions are the same codes.
impl From<Comparator> for TargetComparator {
    fn from(c: Comparator) -> Self {
        match c {
            Comparator::Ge => TargetComparator::Ge,
            Comparator::Le => TargetComparator::Le,
            Comparator::Eq => TargetComparator::Eq,
            Comparator::Gt => TargetComparator::Gt,
        }
    }
}

/// What the target asks for, one variant per kind of the seed format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetRule {
    /// The value in the target year: "urbanisation ≥ 65".
    Level {
        value: Decimal,
        comparator: Option<TargetComparator>,
    },
    /// Between `min` and `max`, both included: "CPI 2–3".
    Range { min: Decimal, max: Decimal },
    /// The average of the yearly values from the plan's first year to the target year:
    /// "R&D spending growth > 7 a year".
    Average {
        value: Decimal,
        comparator: Option<TargetComparator>,
    },
    /// The yearly `growth`/`reduction` values compounded over the period, in %:
    /// "energy intensity 〔13.5〕".
    Cumulative {
        value: Decimal,
        comparator: Option<TargetComparator>,
    },
    /// The baseline value plus `value`: "life expectancy 〔1〕".
    Increase { value: Decimal },
    /// Compared with another indicator of the same plan in the same year, every year:
    /// "labour productivity growth > GDP growth". `tolerance` is for `≈` (zero otherwise).
    Relative {
        indicator: String,
        comparator: TargetComparator,
        tolerance: Decimal,
    },
    /// Words only ("保持在合理区间"): an official judges it.
    Text,
}

impl TargetRule {
    pub fn kind(&self) -> TargetKind {
        match self {
            TargetRule::Level { .. } => TargetKind::Level,
            TargetRule::Range { .. } => TargetKind::Range,
            TargetRule::Average { .. } => TargetKind::Average,
            TargetRule::Cumulative { .. } => TargetKind::Cumulative,
            TargetRule::Increase { .. } => TargetKind::Increase,
            TargetRule::Relative { .. } => TargetKind::Relative,
            TargetRule::Text => TargetKind::Text,
        }
    }

    /// The value a figure of this indicator is compared with, where the kind has one:
    /// the level itself, or the baseline plus the increase (`None` without a baseline).
    /// `None` for ranges, averages, cumulative changes (not a level of the indicator),
    /// relative and textual targets.
    pub fn level_value(&self, baseline: Option<Decimal>) -> Option<Decimal> {
        match self {
            TargetRule::Level { value, .. } => Some(*value),
            TargetRule::Increase { value } => baseline?.checked_add(*value),
            _ => None,
        }
    }

    /// Whether the kind suits the indicator's measure: a cumulative target compounds yearly
    /// rates, so it needs a `growth` or `reduction` indicator.
    pub fn check_measure(&self, measure: Measure) -> Result<(), TargetError> {
        match self {
            TargetRule::Cumulative { .. } if !measure.is_rate() => {
                Err(TargetError::CumulativeOfLevel)
            }
            _ => Ok(()),
        }
    }
}

/// A plan's target for one indicator: the rule, its year, the plan's own words and where the
/// target was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TargetFields", into = "TargetFields")]
pub struct Target {
    pub year: i32,
    pub rule: TargetRule,
    /// The target must hold in each year of the period, not only in the target year.
    pub every_year: bool,
    /// The plan's own words, shown verbatim beside the structured target ("〔13.5〕").
    pub wording_zh: Option<String>,
    pub wording_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

impl Target {
    pub fn kind(&self) -> TargetKind {
        self.rule.kind()
    }
}

/// A target as written in a seed file, a JSON export or a form: every field of every kind,
/// each optional. [`Target`] reads and writes this shape; converting checks that the fields
/// fit the kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFields {
    pub year: i32,
    #[serde(default, skip_serializing_if = "is_level")]
    pub kind: TargetKind,
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    #[serde(default)]
    pub comparator: Option<TargetComparator>,
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Decimal>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub every_year: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording_en: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub confidence: Option<Confidence>,
    #[serde(default)]
    pub note: Option<String>,
}

fn is_level(kind: &TargetKind) -> bool {
    *kind == TargetKind::Level
}

/// Why the fields of a target do not make a target of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("a `{kind}` target needs `{field}`")]
    Missing {
        kind: TargetKind,
        field: &'static str,
    },
    #[error("a `{kind}` target takes no `{field}`")]
    NotTaken {
        kind: TargetKind,
        field: &'static str,
    },
    #[error("a `{kind}` target cannot use the comparator `{comparator}`")]
    Comparator {
        kind: TargetKind,
        comparator: TargetComparator,
    },
    #[error("a `range` target needs `min` no greater than `max`")]
    RangeReversed,
    #[error("a `relative` target's `tolerance` cannot be negative")]
    NegativeTolerance,
    #[error("a `text` target needs its words in `wording_zh` or `wording_en`")]
    NoWording,
    #[error("a `cumulative` target needs an indicator whose measure is `growth` or `reduction`")]
    CumulativeOfLevel,
}

impl TryFrom<TargetFields> for Target {
    type Error = TargetError;

    fn try_from(f: TargetFields) -> Result<Target, TargetError> {
        use TargetComparator as C;
        let kind = f.kind;
        let missing = |field| TargetError::Missing { kind, field };
        // Fields the kind does not take are refused rather than silently dropped.
        let taken: &[&str] = match kind {
            TargetKind::Level | TargetKind::Average | TargetKind::Cumulative => {
                &["value", "comparator"]
            }
            TargetKind::Range => &["min", "max"],
            TargetKind::Increase => &["value"],
            TargetKind::Relative => &["indicator", "comparator", "tolerance"],
            TargetKind::Text => &[],
        };
        let given = [
            ("value", f.value.is_some()),
            ("comparator", f.comparator.is_some()),
            ("min", f.min.is_some()),
            ("max", f.max.is_some()),
            ("indicator", f.indicator.is_some()),
            ("tolerance", f.tolerance.is_some()),
        ];
        if let Some((field, _)) = given
            .iter()
            .find(|(field, given)| *given && !taken.contains(field))
        {
            return Err(TargetError::NotTaken { kind, field });
        }
        let bound = |comparator: Option<TargetComparator>| match comparator {
            Some(comparator @ C::About) => Err(TargetError::Comparator { kind, comparator }),
            other => Ok(other),
        };
        let rule = match kind {
            TargetKind::Level => TargetRule::Level {
                value: f.value.ok_or_else(|| missing("value"))?,
                comparator: bound(f.comparator)?,
            },
            TargetKind::Average => TargetRule::Average {
                value: f.value.ok_or_else(|| missing("value"))?,
                comparator: bound(f.comparator)?,
            },
            TargetKind::Cumulative => TargetRule::Cumulative {
                value: f.value.ok_or_else(|| missing("value"))?,
                comparator: bound(f.comparator)?,
            },
            TargetKind::Range => {
                let min = f.min.ok_or_else(|| missing("min"))?;
                let max = f.max.ok_or_else(|| missing("max"))?;
                if min > max {
                    return Err(TargetError::RangeReversed);
                }
                TargetRule::Range { min, max }
            }
            TargetKind::Increase => TargetRule::Increase {
                value: f.value.ok_or_else(|| missing("value"))?,
            },
            TargetKind::Relative => {
                let indicator = f
                    .indicator
                    .filter(|code| !code.trim().is_empty())
                    .ok_or_else(|| missing("indicator"))?;
                let comparator = f.comparator.ok_or_else(|| missing("comparator"))?;
                let tolerance = match (comparator, f.tolerance) {
                    (C::Eq, _) => return Err(TargetError::Comparator { kind, comparator }),
                    (C::About, None) => return Err(missing("tolerance")),
                    (C::About, Some(t)) if t.is_sign_negative() && !t.is_zero() => {
                        return Err(TargetError::NegativeTolerance);
                    }
                    (C::About, Some(t)) => t,
                    (_, Some(_)) => {
                        return Err(TargetError::NotTaken {
                            kind,
                            field: "tolerance",
                        });
                    }
                    (_, None) => Decimal::ZERO,
                };
                TargetRule::Relative {
                    indicator,
                    comparator,
                    tolerance,
                }
            }
            TargetKind::Text => {
                let worded =
                    |w: &Option<String>| w.as_deref().is_some_and(|w| !w.trim().is_empty());
                if !worded(&f.wording_zh) && !worded(&f.wording_en) {
                    return Err(TargetError::NoWording);
                }
                TargetRule::Text
            }
        };
        Ok(Target {
            year: f.year,
            rule,
            every_year: f.every_year,
            wording_zh: f.wording_zh,
            wording_en: f.wording_en,
            source: f.source,
            confidence: f.confidence,
            note: f.note,
        })
    }
}

impl From<Target> for TargetFields {
    fn from(t: Target) -> TargetFields {
        let mut f = TargetFields {
            year: t.year,
            kind: t.rule.kind(),
            every_year: t.every_year,
            wording_zh: t.wording_zh,
            wording_en: t.wording_en,
            source: t.source,
            confidence: t.confidence,
            note: t.note,
            ..TargetFields::default()
        };
        match t.rule {
            TargetRule::Level { value, comparator }
            | TargetRule::Average { value, comparator }
            | TargetRule::Cumulative { value, comparator } => {
                f.value = Some(value);
                f.comparator = comparator;
            }
            TargetRule::Range { min, max } => {
                f.min = Some(min);
                f.max = Some(max);
            }
            TargetRule::Increase { value } => f.value = Some(value),
            TargetRule::Relative {
                indicator,
                comparator,
                tolerance,
            } => {
                f.indicator = Some(indicator);
                f.comparator = Some(comparator);
                f.tolerance = (comparator == TargetComparator::About).then_some(tolerance);
            }
            TargetRule::Text => {}
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[derive(Deserialize)]
    struct Holder {
        target: Target,
    }

    fn parse(line: &str) -> Result<Target, String> {
        toml::from_str::<Holder>(&format!("target = {line}"))
            .map(|h| h.target)
            .map_err(|e| e.to_string())
    }

    fn target(year: i32, rule: TargetRule) -> Target {
        Target {
            year,
            rule,
            every_year: false,
            wording_zh: None,
            wording_en: None,
            source: None,
            confidence: None,
            note: None,
        }
    }

    #[test]
    fn measure_and_kind_default_to_level_and_codes_round_trip() {
        assert_eq!(Measure::default(), Measure::Level);
        assert_eq!(TargetKind::default(), TargetKind::Level);
        for m in Measure::ALL {
            assert_eq!(m.as_str().parse::<Measure>().unwrap(), *m);
        }
        for k in TargetKind::ALL {
            assert_eq!(k.as_str().parse::<TargetKind>().unwrap(), *k);
        }
        for c in TargetComparator::ALL {
            assert_eq!(c.as_str().parse::<TargetComparator>().unwrap(), *c);
        }
        assert!(!Measure::Level.allows_negative());
        assert!(Measure::Growth.allows_negative());
        assert!(Measure::Reduction.allows_negative());
        assert_eq!(
            serde_json::to_string(&Measure::Reduction).unwrap(),
            "\"reduction\""
        );
        assert!("Level".parse::<Measure>().is_err());
        for c in Comparator::ALL {
            assert_eq!(TargetComparator::from(*c).as_str(), c.as_str());
        }
    }

    /// Targets of today's seed files, with no `kind`, read as `level` targets, unchanged.
    #[test]
    fn an_existing_target_without_kind_reads_as_a_level_target() {
        let t = parse(
            r#"{ year = 2025, value = 2.6, comparator = ">=", source = "outline", confidence = "high" }"#,
        )
        .unwrap();
        assert_eq!(
            t,
            Target {
                source: Some("outline".into()),
                confidence: Some(Confidence::High),
                ..target(
                    2025,
                    TargetRule::Level {
                        value: d("2.6"),
                        comparator: Some(TargetComparator::Ge),
                    }
                )
            }
        );
        assert_eq!(t.rule.level_value(None), Some(d("2.6")));
        // No comparator stays no comparator.
        let t = parse("{ year = 2025, value = 65 }").unwrap();
        assert_eq!(
            t.rule,
            TargetRule::Level {
                value: d("65"),
                comparator: None
            }
        );
        // And a level target writes the same JSON as before: no `kind`, no new fields.
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"year":2025,"value":65,"comparator":null,"source":null,"confidence":null,"note":null}"#
        );
    }

    /// Seed files are written from the JSON shape (`SeedFile::to_toml`), so the JSON round
    /// trip is the download → load round trip.
    #[test]
    fn every_kind_reads_from_toml_and_round_trips_through_json() {
        let cases = [
            (
                r#"{ year = 2025, value = 5.5, comparator = "<", every_year = true, wording_zh = "<5.5" }"#,
                TargetRule::Level {
                    value: d("5.5"),
                    comparator: Some(TargetComparator::Lt),
                },
            ),
            (
                r#"{ year = 2025, kind = "range", min = 2, max = 3 }"#,
                TargetRule::Range {
                    min: d("2"),
                    max: d("3"),
                },
            ),
            (
                r#"{ year = 2025, kind = "average", value = 7, comparator = ">", wording_zh = ">7、力争投入强度高于“十三五”时期实际" }"#,
                TargetRule::Average {
                    value: d("7"),
                    comparator: Some(TargetComparator::Gt),
                },
            ),
            (
                r#"{ year = 2025, kind = "cumulative", value = 13.5, wording_zh = "〔13.5〕" }"#,
                TargetRule::Cumulative {
                    value: d("13.5"),
                    comparator: None,
                },
            ),
            (
                r#"{ year = 2025, kind = "increase", value = 1, wording_zh = "〔1〕" }"#,
                TargetRule::Increase { value: d("1") },
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = ">", wording_zh = "高于GDP增长" }"#,
                TargetRule::Relative {
                    indicator: "gdp".into(),
                    comparator: TargetComparator::Gt,
                    tolerance: Decimal::ZERO,
                },
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = "≈", tolerance = 0.5, wording_zh = "与GDP增长基本同步" }"#,
                TargetRule::Relative {
                    indicator: "gdp".into(),
                    comparator: TargetComparator::About,
                    tolerance: d("0.5"),
                },
            ),
            (
                r#"{ year = 2025, kind = "text", wording_zh = "保持在合理区间、各年度视情提出", wording_en = "within a reasonable range" }"#,
                TargetRule::Text,
            ),
        ];
        for (line, rule) in cases {
            let t = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(t.rule, rule, "{line}");
            assert_eq!(t.kind(), rule.kind());
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Target>(&json).unwrap(), t, "{json}");
        }
        let t =
            parse(r#"{ year = 2025, value = 5.5, comparator = "<", every_year = true }"#).unwrap();
        assert!(t.every_year);
        let t = parse(r#"{ year = 2025, kind = "increase", value = 1 }"#).unwrap();
        assert_eq!(t.rule.level_value(Some(d("78.3"))), Some(d("79.3")));
        assert_eq!(t.rule.level_value(None), None);
    }

    #[test]
    fn fields_that_do_not_fit_the_kind_are_refused_with_the_reason() {
        let cases = [
            ("{ year = 2025 }", "a `level` target needs `value`"),
            (
                r#"{ year = 2025, value = 1, comparator = "≈" }"#,
                "cannot use the comparator `≈`",
            ),
            (
                r#"{ year = 2025, kind = "range", min = 3 }"#,
                "a `range` target needs `max`",
            ),
            (
                r#"{ year = 2025, kind = "range", min = 3, max = 2 }"#,
                "`min` no greater than `max`",
            ),
            (
                r#"{ year = 2025, kind = "range", min = 2, max = 3, value = 2 }"#,
                "a `range` target takes no `value`",
            ),
            (
                r#"{ year = 2025, kind = "increase", value = 1, comparator = ">=" }"#,
                "takes no `comparator`",
            ),
            (
                r#"{ year = 2025, kind = "relative", comparator = ">" }"#,
                "needs `indicator`",
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp" }"#,
                "needs `comparator`",
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = "=" }"#,
                "cannot use the comparator `=`",
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = "≈" }"#,
                "needs `tolerance`",
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = "≈", tolerance = -1 }"#,
                "cannot be negative",
            ),
            (
                r#"{ year = 2025, kind = "relative", indicator = "gdp", comparator = ">", tolerance = 1 }"#,
                "takes no `tolerance`",
            ),
            (r#"{ year = 2025, kind = "text" }"#, "needs its words"),
            (
                r#"{ year = 2025, kind = "text", wording_zh = "x", value = 1 }"#,
                "takes no `value`",
            ),
            (r#"{ year = 2025, kind = "ratio", value = 1 }"#, "ratio"),
            (r#"{ year = 2025, value = 1, colour = "red" }"#, "colour"),
        ];
        for (line, expected) in cases {
            let err = parse(line).unwrap_err();
            assert!(err.contains(expected), "{line}: {err}");
        }
    }

    #[test]
    fn a_cumulative_target_needs_a_rate_measure() {
        let rule = TargetRule::Cumulative {
            value: d("13.5"),
            comparator: None,
        };
        assert_eq!(
            rule.check_measure(Measure::Level),
            Err(TargetError::CumulativeOfLevel)
        );
        assert_eq!(rule.check_measure(Measure::Reduction), Ok(()));
        assert_eq!(TargetRule::Text.check_measure(Measure::Level), Ok(()));
    }

    #[test]
    fn comparators_hold_as_the_plan_words_them() {
        use Direction::{Higher, Lower};
        use TargetComparator as C;
        let z = Decimal::ZERO;
        // 5.5 against "< 5.5" is a miss; "<= 5.5" a hit.
        assert!(!C::Lt.holds(d("5.5"), d("5.5"), Lower, z));
        assert!(C::Le.holds(d("5.5"), d("5.5"), Lower, z));
        assert!(!C::Gt.holds(d("6.5"), d("6.5"), Higher, z));
        // "=" and no comparator: at or past in the good direction.
        assert!(C::Eq.holds(d("66"), d("65"), Higher, z));
        assert!(!C::Eq.holds(d("66"), d("65"), Lower, z));
        assert!(holds(None, d("64"), d("65"), Lower));
        // ≈ within the tolerance either side: |5.9 - 6.3| = 0.4 <= 0.5; |5.7 - 6.3| = 0.6.
        assert!(C::About.holds(d("5.9"), d("6.3"), Higher, d("0.5")));
        assert!(!C::About.holds(d("5.7"), d("6.3"), Higher, d("0.5")));
    }
}
