//! The rules a figure obeys, whatever its route in (seed file, form, upload).

use rust_decimal::Decimal;

use super::plan::UnitKind;
use super::target::Measure;
use crate::i18n::{t, t1};

/// Why a value is not acceptable for an indicator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("{}", t("err-percent-range"))]
    PercentOutOfRange,
    #[error("{}", t("err-count-whole"))]
    CountNotWhole,
    #[error("{}", t("err-negative"))]
    Negative,
    #[error("{}", t1("err-too-many-decimals", "count", .0))]
    TooManyDecimals(u32),
}

/// Checks `value` against the indicator's unit and the decimals it keeps, for a level.
pub fn check(unit: UnitKind, decimals: u32, value: Decimal) -> Result<Decimal, ValueError> {
    check_measured(unit, Measure::Level, decimals, value)
}

/// Checks `value` for an indicator of `measure`: a yearly growth or reduction rate may be
/// negative (a year when the quantity fell, or rose) and is not a share, so the 0–100 bounds of
/// a percentage do not apply to it; a level obeys its unit.
///
/// The value keeps the decimals it was published with (65 stays 65, 2.60 stays 2.60):
/// `decimals` is the most the indicator accepts. Zeros written beyond that are dropped
/// (2.600 for an indicator of two decimals is 2.60); other digits beyond it are refused.
pub fn check_measured(
    unit: UnitKind,
    measure: Measure,
    decimals: u32,
    value: Decimal,
) -> Result<Decimal, ValueError> {
    let mut value = value;
    if value.is_zero() {
        // −0 reads as 0.
        value.set_sign_positive(true);
    }
    let rate = measure.allows_negative();
    if value.is_sign_negative() && !value.is_zero() && !rate {
        return Err(ValueError::Negative);
    }
    match unit {
        UnitKind::Percent if value > Decimal::ONE_HUNDRED && !rate => {
            return Err(ValueError::PercentOutOfRange);
        }
        UnitKind::Count if value.fract() != Decimal::ZERO => return Err(ValueError::CountNotWhole),
        _ => {}
    }
    if value.scale() > decimals {
        if value.normalize().scale() > decimals {
            return Err(ValueError::TooManyDecimals(decimals));
        }
        value.rescale(decimals);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn values_within_the_unit_keep_the_decimals_they_were_published_with() {
        let kept = |v: Result<Decimal, ValueError>| v.map(|v| v.to_string());
        assert_eq!(
            kept(check(UnitKind::Percent, 2, d("2.60"))),
            Ok("2.60".into())
        );
        assert_eq!(kept(check(UnitKind::Percent, 2, d("65"))), Ok("65".into()));
        assert_eq!(
            kept(check(UnitKind::Percent, 2, d("6.87"))),
            Ok("6.87".into())
        );
        assert_eq!(
            kept(check(UnitKind::Percent, 2, d("2.600"))),
            Ok("2.60".into())
        );
        assert_eq!(
            kept(check(UnitKind::Count, 0, d("45000.0"))),
            Ok("45000".into())
        );
        assert_eq!(check(UnitKind::Count, 0, d("45000")), Ok(d("45000")));
        assert_eq!(check(UnitKind::Amount, 2, d("372.56")), Ok(d("372.56")));
        assert_eq!(check(UnitKind::Percent, 1, d("100")), Ok(d("100")));
        assert_eq!(check(UnitKind::Rate, 2, d("0")), Ok(d("0")));
    }

    #[test]
    fn growth_and_reduction_rates_may_be_negative_but_keep_their_decimals() {
        use Measure::*;
        assert_eq!(
            check_measured(UnitKind::Percent, Reduction, 1, d("-1.50")).map(|v| v.to_string()),
            Ok("-1.5".into())
        );
        assert_eq!(
            check_measured(UnitKind::Percent, Growth, 1, d("-2.3")),
            Ok(d("-2.3"))
        );
        assert_eq!(
            check_measured(UnitKind::Percent, Level, 1, d("-2.3")),
            Err(ValueError::Negative)
        );
        assert_eq!(
            check_measured(UnitKind::Percent, Growth, 1, d("-2.35")),
            Err(ValueError::TooManyDecimals(1))
        );
        assert_eq!(
            check_measured(UnitKind::Count, Growth, 0, d("-3")),
            Ok(d("-3"))
        );
    }

    #[test]
    fn values_outside_the_unit_are_refused_with_the_rule_they_break() {
        assert_eq!(
            check(UnitKind::Percent, 2, d("100.5")),
            Err(ValueError::PercentOutOfRange)
        );
        assert_eq!(
            check(UnitKind::Percent, 2, d("-1")),
            Err(ValueError::Negative)
        );
        assert_eq!(
            check(UnitKind::Count, 0, d("12.5")),
            Err(ValueError::CountNotWhole)
        );
        assert_eq!(
            check(UnitKind::Amount, 2, d("1.234")),
            Err(ValueError::TooManyDecimals(2))
        );
    }
}
