//! How numbers read on the pages: exact stored digits, thousands grouped, rates as percentages.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::plan::UnitKind;

/// A stored value with the decimals its indicator keeps (a series reads with one precision),
/// thousands grouped with commas: `45,000`, `2.60`, `372.56`. A value with more digits than
/// that keeps them: nothing stored is ever rounded away on a page.
pub fn decimal(v: Decimal, decimals: u32) -> String {
    let mut v = v.normalize();
    if v.scale() < decimals {
        v.rescale(decimals);
    }
    group_thousands(&v.to_string())
}

/// A computed value (a projection) rounded to the indicator's decimals.
pub fn computed(v: f64, decimals: u32) -> String {
    match Decimal::try_from(v) {
        Ok(d) => group_thousands(
            &d.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
                .to_string(),
        ),
        Err(_) => "—".into(),
    }
}

/// A growth rate or share as a percentage with `places` decimals: `0.05107` → `5.11%`.
pub fn percent(v: f64, places: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{:.*}%", places, v * 100.0);
    if s.starts_with("-0") && s.trim_start_matches(['-', '0', '.', '%']).is_empty() {
        s[1..].to_owned()
    } else {
        s.replace('-', "−")
    }
}

/// A ratio such as R, to two decimals.
pub fn ratio(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}").replace('-', "−")
    } else {
        "—".into()
    }
}

/// A value with the indicator's unit: `2.11%`, `45,000 enterprises`.
pub fn with_unit(value: &str, unit: UnitKind, unit_label: &str) -> String {
    match unit {
        UnitKind::Percent => format!("{value}%"),
        _ if unit_label.is_empty() => value.to_owned(),
        // `45,000 enterprises`, but `45,000家`: Chinese sets no space before a unit.
        _ if unit_label.starts_with(|c: char| c.is_ascii()) => format!("{value} {unit_label}"),
        _ => format!("{value}{unit_label}"),
    }
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("−", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len() + int.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn stored_values_keep_their_digits_and_group_thousands() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(decimal(d("45000"), 0), "45,000");
        assert_eq!(decimal(d("2.6"), 2), "2.60");
        assert_eq!(decimal(d("2.600"), 1), "2.6");
        assert_eq!(decimal(d("2.65"), 1), "2.65");
        assert_eq!(decimal(d("372.56"), 2), "372.56");
        assert_eq!(decimal(d("1234567.5"), 1), "1,234,567.5");
        assert_eq!(decimal(d("-1500"), 0), "−1,500");
        assert_eq!(decimal(d("999"), 0), "999");
    }

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(percent(0.051069, 2), "5.11%");
        assert_eq!(percent(-0.0123, 1), "−1.2%");
        assert_eq!(percent(-0.00001, 1), "0.0%");
        assert_eq!(percent(f64::NAN, 1), "—");
        assert_eq!(computed(2805.123, 0), "2,805");
        assert_eq!(computed(0.125, 2), "0.13");
        assert_eq!(ratio(1.19745), "1.20");
    }
}
