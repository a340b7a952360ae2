//! How numbers read on the pages: exact stored digits, thousands grouped, rates as percentages.
//!
//! Where a figure is read at a glance rather than compared digit by digit (a headline: the
//! overview's baseline, latest and target cells, repeated at the head of the indicator's page,
//! the attention list, a programme's target and latest count), Chinese pages write it as the plan itself does, in 万 and 亿 ([`headline`]):
//! 4.5万家, 1.2亿, 500亿元. Everywhere a figure is checked or copied (the indicator page's year
//! table and method figures, the entry and review forms, the upload preview, the history, the
//! final assessment, downloads, the feed and the API), it keeps its exact digits ([`decimal`]);
//! English pages always do.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::plan::UnitKind;
use crate::i18n::{Lang, TimeZone};

/// Serves the request with its times in the site's time zone (see [`crate::i18n::time`]).
pub async fn time_zone(State(zone): State<TimeZone>, request: Request, next: Next) -> Response {
    zone.scope(next.run(request)).await
}

/// A stored value with the digits it was published with, thousands grouped with commas:
/// `45,000`, `2.60`, `65`, `372.56`. Nothing is padded and nothing rounded away: a figure
/// published as 65 reads 65, one published as 6.87 reads 6.87.
pub fn decimal(v: Decimal) -> String {
    group_thousands(&v.to_string())
}

/// An exact computed value (an average, a compounded change) rounded to `places`, without
/// trailing zeros.
pub fn computed_decimal(v: Decimal, places: u32) -> String {
    let v = v
        .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    group_thousands(&v.to_string()).replace('-', "−")
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

/// A figure as a headline shows it, in the current request's language (see the module's
/// documentation for where headlines are used).
///
/// English: exactly as [`decimal`] and [`with_unit`] write it (`45,000 enterprises`).
/// Chinese: a whole number is written without trailing zeros, as the plan writes it
/// (`500.00亿元` reads `500亿元`; `2.60%` keeps the digits it was published with), and a count or amount of 10,000 or more is
/// written in 万 (10⁴) or 亿 (10⁸) — `45,000家` reads `4.5万家`, `120,000` reads `12万`,
/// `120,000,000` reads `1.2亿` — unless its unit already holds 万 or 亿 (`亿元`, `万人`,
/// `件/万人`: `10,120.50亿元` stays as it is). The form in 万/亿 keeps up to two decimals;
/// where that rounds digits away it says so with 约 (about): `123,456` reads `约12.35万`.
/// Numbers under 10,000 and percentages keep their digits.
pub fn headline(v: Decimal, unit: UnitKind, unit_label: &str) -> String {
    headline_in(Lang::current(), v, unit, unit_label)
}

/// [`headline`] in a given language.
pub fn headline_in(lang: Lang, v: Decimal, unit: UnitKind, unit_label: &str) -> String {
    if !lang.is_zh() {
        return with_unit(&decimal(v), unit, unit_label);
    }
    let takes_myriads = matches!(unit, UnitKind::Count | UnitKind::Amount)
        && !unit_label.contains(['万', '亿'])
        && !unit_label.starts_with(|c: char| c.is_ascii());
    let (scaled, suffix) = match myriads(v) {
        Some((scaled, suffix)) if takes_myriads => (scaled, suffix),
        // A whole number without trailing zeros.
        _ if v.fract().is_zero() => {
            return with_unit(
                &group_thousands(&v.normalize().to_string()),
                unit,
                unit_label,
            );
        }
        _ => return with_unit(&decimal(v), unit, unit_label),
    };
    let exact = scaled.normalize();
    let (shown, about) = if exact.scale() > 2 {
        let rounded = scaled.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        (rounded.normalize(), "约")
    } else {
        (exact, "")
    };
    format!(
        "{about}{}{suffix}{unit_label}",
        group_thousands(&shown.to_string())
    )
}

/// A value of 10,000 or more as a number of 万 (10⁴), or of 亿 (10⁸) from 100,000,000 on.
fn myriads(v: Decimal) -> Option<(Decimal, &'static str)> {
    let yi = Decimal::from(100_000_000);
    let wan = Decimal::from(10_000);
    let abs = v.abs();
    if abs >= yi {
        v.checked_div(yi).map(|s| (s, "亿"))
    } else if abs >= wan {
        v.checked_div(wan).map(|s| (s, "万"))
    } else {
        None
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
    fn stored_values_keep_the_digits_they_were_published_with() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(decimal(d("45000")), "45,000");
        assert_eq!(decimal(d("65")), "65");
        assert_eq!(decimal(d("6.87")), "6.87");
        assert_eq!(decimal(d("2.60")), "2.60");
        assert_eq!(decimal(d("2.6")), "2.6");
        assert_eq!(decimal(d("1234567.5")), "1,234,567.5");
        assert_eq!(decimal(d("-1500")), "−1,500");
        assert_eq!(decimal(d("999")), "999");
    }

    #[test]
    fn chinese_headlines_write_large_numbers_in_wan_and_yi() {
        let d = |s| Decimal::from_str(s).unwrap();
        let zh = |v, unit, label| headline_in(Lang::Zh, d(v), unit, label);
        assert_eq!(zh("45000", UnitKind::Count, "家"), "4.5万家");
        assert_eq!(zh("120000", UnitKind::Count, ""), "12万");
        assert_eq!(zh("75600", UnitKind::Count, "家"), "7.56万家");
        assert_eq!(zh("120000000", UnitKind::Amount, "元"), "1.2亿元");
        assert_eq!(zh("-45000", UnitKind::Count, "家"), "−4.5万家");
        // Rounded only with a word that says so.
        assert_eq!(zh("123456", UnitKind::Count, "家"), "约12.35万家");
        // A unit that already is in 亿 or 万 gets no second one; the plan writes 500亿元.
        assert_eq!(zh("500.00", UnitKind::Amount, "亿元"), "500亿元");
        assert_eq!(zh("10120.50", UnitKind::Amount, "亿元"), "10,120.50亿元");
        assert_eq!(zh("12.34", UnitKind::Rate, "件/万人"), "12.34件/万人");
        // Under 10,000, and percentages: the digits stay.
        assert_eq!(zh("9999", UnitKind::Count, "家"), "9,999家");
        assert_eq!(zh("300", UnitKind::Count, "家"), "300家");
        assert_eq!(zh("372.56", UnitKind::Amount, "亿元"), "372.56亿元");
        assert_eq!(zh("2.60", UnitKind::Percent, "%"), "2.60%");
        assert_eq!(zh("2.6", UnitKind::Percent, "%"), "2.6%");
        assert_eq!(zh("3", UnitKind::Percent, "%"), "3%");
        assert_eq!(zh("45000", UnitKind::Percent, "%"), "45,000%");
    }

    #[test]
    fn english_headlines_keep_the_exact_figure() {
        let d = |s| Decimal::from_str(s).unwrap();
        let en = |v, unit, label| headline_in(Lang::En, d(v), unit, label);
        assert_eq!(
            en("45000", UnitKind::Count, "enterprises"),
            "45,000 enterprises"
        );
        assert_eq!(en("120000000", UnitKind::Count, ""), "120,000,000");
        assert_eq!(
            en("500", UnitKind::Amount, "100 million yuan"),
            "500 100 million yuan"
        );
        assert_eq!(en("2.60", UnitKind::Percent, "%"), "2.60%");
        assert_eq!(en("65", UnitKind::Percent, "%"), "65%");
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
