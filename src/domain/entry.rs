//! What an analyst types into a figure-entry form, parsed into values that cannot hold bad data.
//!
//! Values are typed as people write them: with thousands separators, with full-width digits
//! from a Chinese input method, with a percent sign on a percentage. Each refusal says what was
//! wrong and what to type instead, so its message can be shown next to the field as it is.
//! Whatever is accepted has also passed [`value::check`], the rule every figure obeys.

use rust_decimal::Decimal;

use super::plan::UnitKind;
use super::target::Measure;
use super::value;
use crate::i18n::{t, t2};

/// Most characters kept for the source of a figure.
pub const SOURCE_MAX: usize = 500;
/// Most characters kept for a note on a figure.
pub const NOTE_MAX: usize = 2000;
/// Most characters kept for the public commentary on a figure or in the final assessment.
pub const COMMENTARY_MAX: usize = 2000;
/// Most characters kept for a name, kind, field or host of a programme item.
pub const NAME_MAX: usize = 300;
/// Most characters kept for the reason given for a change.
pub const REASON_MAX: usize = 1000;

/// Most significant digits a typed value may have (what a [`Decimal`] always holds exactly).
const MAX_DIGITS: usize = 28;

/// Why a typed value was refused; the message is meant to be shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueInputError {
    #[error("{}", t("err-not-a-number"))]
    NotANumber,
    #[error("{}", t("err-not-finite"))]
    NotFinite,
    #[error("{}", t("err-exponent"))]
    Exponent,
    #[error("{}", t("err-bad-grouping"))]
    BadGrouping,
    #[error("{}", t("err-percent-sign"))]
    PercentSignNotAllowed,
    #[error("{}", t("err-too-large"))]
    TooLarge,
    #[error(transparent)]
    Rule(#[from] value::ValueError),
}

/// Parses a value typed for an indicator with `unit` that keeps `decimals` places.
///
/// Blank input (after trimming) is `Ok(None)`: the field was left empty. Full-width characters
/// (`１２．５％`) are read as their ASCII forms and `−` as a minus sign. Thousands separators
/// (`,`, a space, a no-break or thin space) are accepted between groups of three digits; a
/// trailing `%` only for percentages. The value returned is normalised (no trailing zeros).
pub fn parse_value(
    input: &str,
    unit: UnitKind,
    measure: Measure,
    decimals: u32,
) -> Result<Option<Decimal>, ValueInputError> {
    let normalised: String = input.chars().map(normalise_char).collect();
    let text = normalised.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (text, percent_sign) = match text.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let number = parse_number(text)?;
    if percent_sign && unit != UnitKind::Percent {
        return Err(ValueInputError::PercentSignNotAllowed);
    }
    Ok(Some(value::check_measured(
        unit, measure, decimals, number,
    )?))
}

/// Reads a full-width ASCII character (U+FF01–U+FF5E, e.g. `５`, `．`, `％`) as its ASCII form
/// and the minus sign `−` (U+2212) as `-`.
fn normalise_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{2212}' => '-',
        _ => c,
    }
}

/// Spaces that may separate groups of thousands.
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}' | '\u{3000}'
    )
}

fn is_separator(c: char) -> bool {
    c == ',' || is_space_separator(c)
}

/// Parses a trimmed, normalised number without its percent sign.
fn parse_number(text: &str) -> Result<Decimal, ValueInputError> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if ["nan", "inf", "infinity", "∞"].contains(&body.to_lowercase().as_str()) {
        return Err(ValueInputError::NotFinite);
    }
    let is_number_char = |c: char| c.is_ascii_digit() || c == '.' || is_separator(c);
    if !body.chars().all(is_number_char) {
        return Err(if is_exponent_notation(body) {
            ValueInputError::Exponent
        } else {
            ValueInputError::NotANumber
        });
    }

    let mut parts = body.split('.');
    let integer = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or_default();
    if parts.next().is_some() {
        return Err(ValueInputError::NotANumber);
    }
    if fraction.chars().any(is_separator) {
        return Err(ValueInputError::BadGrouping);
    }
    check_grouping(integer)?;

    let integer: String = integer.chars().filter(char::is_ascii_digit).collect();
    if integer.is_empty() && fraction.is_empty() {
        return Err(ValueInputError::NotANumber);
    }
    let integer = integer.trim_start_matches('0');
    // Trailing zeros are digits the figure was published with (2.50): kept as its scale once
    // the significant digits are known to fit.
    let written_decimals = fraction.len();
    let fraction = fraction.trim_end_matches('0');
    if integer.len() + fraction.len() > MAX_DIGITS {
        return Err(ValueInputError::TooLarge);
    }
    // At most 28 digits: below 10^28, well within both i128 and a Decimal's 96-bit mantissa.
    let mantissa = integer
        .bytes()
        .chain(fraction.bytes())
        .fold(0i128, |m, b| m * 10 + i128::from(b - b'0'));
    let mantissa = if negative { -mantissa } else { mantissa };
    let scale = u32::try_from(fraction.len()).map_err(|_| ValueInputError::TooLarge)?;
    let mut number = Decimal::try_from_i128_with_scale(mantissa, scale)
        .map_err(|_| ValueInputError::TooLarge)?;
    // As many of the written zeros as a decimal holds (at most 28 places; the indicator's
    // `decimals` then caps them).
    let written = u32::try_from(written_decimals.min(28)).unwrap_or(28);
    if written > scale {
        number.rescale(written);
    }
    Ok(number)
}

/// Whether `body` is scientific notation such as `1e5`, `2.5E-3` or `1,000e+3`.
fn is_exponent_notation(body: &str) -> bool {
    let Some((mantissa, exponent)) = body.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// Checks the thousands separators of the integer part: one kind of separator (commas or
/// spaces), a first group of one to three digits not starting with 0 (so that `0,500`, with a
/// decimal comma, is not read as 500), then groups of exactly three.
fn check_grouping(integer: &str) -> Result<(), ValueInputError> {
    let has_comma = integer.contains(',');
    let has_space = integer.chars().any(is_space_separator);
    if !has_comma && !has_space {
        return Ok(());
    }
    if has_comma && has_space {
        return Err(ValueInputError::BadGrouping);
    }
    let mut groups = integer.split(is_separator);
    let first = groups.next().unwrap_or_default();
    let first_ok = (1..=3).contains(&first.len()) && !first.starts_with('0');
    if first_ok && groups.all(|g| g.len() == 3) {
        Ok(())
    } else {
        Err(ValueInputError::BadGrouping)
    }
}

/// Why a typed text (a source, a note, a reason) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextInputError {
    #[error("{}", t2("err-text-too-long", "len", .len, "max", .max))]
    TooLong { max: usize, len: usize },
    #[error("{}", t("err-control-character"))]
    ControlCharacter,
}

/// Trims a typed text and checks it holds at most `max` characters (not bytes) and no control
/// characters other than line breaks (`\n`, `\r`) and tabs.
pub fn parse_text(input: &str, max: usize) -> Result<String, TextInputError> {
    let text = input.trim();
    let len = text.chars().count();
    if len > max {
        return Err(TextInputError::TooLong { max, len });
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextInputError::ControlCharacter);
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::value::ValueError;
    use std::str::FromStr;

    use UnitKind::{Amount, Count, Percent, Rate};

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn accepted_inputs_give_their_value() {
        let cases: &[(&str, UnitKind, u32, &str)] = &[
            ("1,234.5", Amount, 1, "1234.5"),
            ("12,345,678", Count, 0, "12345678"),
            ("１２", Count, 0, "12"),
            ("２．３６％", Percent, 2, "2.36"),
            ("2.36 %", Percent, 2, "2.36"),
            ("2.36%", Percent, 2, "2.36"),
            ("100%", Percent, 0, "100"),
            ("45 000", Count, 0, "45000"),
            ("45\u{00A0}000", Count, 0, "45000"),
            ("45\u{2009}000", Count, 0, "45000"),
            ("1\u{202F}234\u{202F}567", Amount, 0, "1234567"),
            ("１，２３４．５", Amount, 1, "1234.5"),
            ("  7 ", Count, 0, "7"),
            ("\u{3000}7\u{3000}", Count, 0, "7"),
            ("\t8\n", Rate, 0, "8"),
            ("+3", Count, 0, "3"),
            ("＋3", Count, 0, "3"),
            ("0.50", Percent, 2, "0.50"),
            ("65", Percent, 2, "65"),
            ("6.870", Percent, 2, "6.87"),
            ("1.000", Count, 0, "1"),
            ("007", Count, 0, "7"),
            (".5", Rate, 1, "0.5"),
            ("5.", Rate, 0, "5"),
            ("0", Percent, 0, "0"),
            ("-0", Amount, 0, "0"),
            ("−0", Amount, 0, "0"),
            ("372.56", Amount, 2, "372.56"),
            (
                "9999999999999999999999999999",
                Amount,
                0,
                "9999999999999999999999999999",
            ),
            (
                "0.0000000000000000000000000001",
                Rate,
                28,
                "0.0000000000000000000000000001",
            ),
            ("1.0000000000000000000000000000000", Rate, 0, "1"),
        ];
        for &(input, unit, decimals, expected) in cases {
            let got = parse_value(input, unit, Measure::Level, decimals);
            // The digits as written, not only the same number: 0.50 stays 0.50.
            assert_eq!(
                got.map(|v| v.map(|v| v.to_string())),
                Ok(Some(d(expected).to_string())),
                "{input:?} as {unit} ({decimals})"
            );
        }
    }

    #[test]
    fn blank_input_is_no_value() {
        for input in ["", "   ", "\u{3000}", " \u{00A0}\t"] {
            assert_eq!(
                parse_value(input, Amount, Measure::Level, 2),
                Ok(None),
                "{input:?}"
            );
        }
    }

    #[test]
    fn refused_inputs_give_the_reason() {
        use ValueInputError::*;
        let cases: &[(&str, UnitKind, u32, ValueInputError)] = &[
            ("abc", Amount, 2, NotANumber),
            ("12abc", Amount, 2, NotANumber),
            ("1.2.3", Amount, 2, NotANumber),
            (".", Amount, 2, NotANumber),
            ("-", Amount, 2, NotANumber),
            ("+", Amount, 2, NotANumber),
            ("%", Percent, 2, NotANumber),
            ("--5", Amount, 2, NotANumber),
            ("+-5", Amount, 2, NotANumber),
            ("5-", Amount, 2, NotANumber),
            ("12%%", Percent, 2, NotANumber),
            ("%12", Percent, 2, NotANumber),
            ("1.5e", Amount, 2, NotANumber),
            ("e5", Amount, 2, NotANumber),
            ("NaN", Amount, 2, NotFinite),
            ("nan", Amount, 2, NotFinite),
            ("inf", Amount, 2, NotFinite),
            ("-inf", Amount, 2, NotFinite),
            ("Infinity", Amount, 2, NotFinite),
            ("∞", Amount, 2, NotFinite),
            ("+∞", Amount, 2, NotFinite),
            ("ＮａＮ", Amount, 2, NotFinite),
            ("1e5", Amount, 2, Exponent),
            ("2E-3", Amount, 2, Exponent),
            ("1.5e+3", Amount, 2, Exponent),
            ("１ｅ５", Amount, 2, Exponent),
            ("1,23", Amount, 2, BadGrouping),
            ("12,34.5", Amount, 2, BadGrouping),
            (",123", Amount, 2, BadGrouping),
            ("1,,234", Amount, 2, BadGrouping),
            ("1,234,", Amount, 2, BadGrouping),
            ("1234,567", Amount, 2, BadGrouping),
            ("1.234,5", Amount, 2, BadGrouping),
            ("0,5", Amount, 2, BadGrouping),
            ("0,500", Amount, 2, BadGrouping),
            ("1, 234", Amount, 2, BadGrouping),
            ("45  000", Count, 0, BadGrouping),
            ("4 50 00", Count, 0, BadGrouping),
            ("1.5 0", Amount, 2, BadGrouping),
            ("12%", Count, 0, PercentSignNotAllowed),
            ("12 %", Amount, 0, PercentSignNotAllowed),
            ("12％", Rate, 0, PercentSignNotAllowed),
            ("99999999999999999999999999999999", Amount, 2, TooLarge),
            ("12345678901234567890123456789", Amount, 2, TooLarge),
            ("0.00000000000000000000000000001", Rate, 30, TooLarge),
            ("-1", Amount, 2, Rule(ValueError::Negative)),
            ("−1", Amount, 2, Rule(ValueError::Negative)),
            ("－1", Amount, 2, Rule(ValueError::Negative)),
            ("100.5", Percent, 2, Rule(ValueError::PercentOutOfRange)),
            ("100.5%", Percent, 2, Rule(ValueError::PercentOutOfRange)),
            ("12.5", Count, 0, Rule(ValueError::CountNotWhole)),
            ("1.234", Amount, 2, Rule(ValueError::TooManyDecimals(2))),
        ];
        for (input, unit, decimals, expected) in cases {
            let got = parse_value(input, *unit, Measure::Level, *decimals);
            assert_eq!(
                got,
                Err(expected.clone()),
                "{input:?} as {unit} ({decimals})"
            );
        }
    }

    #[test]
    fn messages_say_what_to_type_instead() {
        assert!(ValueInputError::NotANumber.to_string().contains("1,234.5"));
        assert!(ValueInputError::Exponent.to_string().contains("100000"));
        assert!(
            ValueInputError::PercentSignNotAllowed
                .to_string()
                .contains("percentage")
        );
        let rule = ValueError::TooManyDecimals(2);
        assert_eq!(
            ValueInputError::Rule(rule.clone()).to_string(),
            rule.to_string()
        );
        let too_long = TextInputError::TooLong { max: 500, len: 512 };
        assert!(too_long.to_string().contains("512"), "{too_long}");
        assert!(too_long.to_string().contains("500"), "{too_long}");
    }

    /// Writes `n` with `sep` between groups of three digits.
    fn grouped(n: u64, sep: &str) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' | '.' | ',' => char::from_u32(u32::from(c) + 0xFEE0).unwrap(),
                _ => c,
            })
            .collect()
    }

    #[test]
    fn grouped_numbers_read_back_as_their_value() {
        let samples = (0..1_000_000u64)
            .step_by(7919)
            .chain([1, 999, 1000, 9999, 10_000, 100_000, 999_999]);
        for n in samples {
            for places in 0..=2u32 {
                let cents = (n * 37) % 10u64.pow(places);
                let value = Decimal::new(
                    i64::try_from(n * 10u64.pow(places) + cents).unwrap(),
                    places,
                );
                let fraction = if places == 0 {
                    String::new()
                } else {
                    format!(".{cents:0width$}", width = places as usize)
                };
                for sep in [",", " ", "\u{00A0}", "\u{2009}", "\u{202F}", ""] {
                    let text = format!("{}{fraction}", grouped(n, sep));
                    for input in [text.clone(), full_width(&text), format!(" {text}% ")] {
                        let got = parse_value(&input, Percent, Measure::Level, 2);
                        if value > Decimal::ONE_HUNDRED {
                            let refused = Err(ValueInputError::Rule(ValueError::PercentOutOfRange));
                            assert_eq!(got, refused, "{input:?}");
                        } else {
                            assert_eq!(got, Ok(Some(value)), "{input:?}");
                        }
                        let got =
                            parse_value(&input.replace('%', ""), Amount, Measure::Level, places);
                        assert_eq!(got, Ok(Some(value)), "{input:?}");
                    }
                }
                assert_eq!(
                    parse_value(&value.to_string(), Amount, Measure::Level, 2),
                    Ok(Some(value)),
                    "{value}"
                );
            }
        }
    }

    #[test]
    fn text_is_trimmed() {
        assert_eq!(
            parse_text("  统计公报 2023\n", SOURCE_MAX),
            Ok("统计公报 2023".to_owned())
        );
        assert_eq!(
            parse_text("\u{3000}note\u{3000}", NOTE_MAX),
            Ok("note".to_owned())
        );
        assert_eq!(parse_text("   ", REASON_MAX), Ok(String::new()));
    }

    #[test]
    fn text_limit_counts_characters_not_bytes() {
        let at_limit = "统".repeat(SOURCE_MAX);
        assert_eq!(parse_text(&at_limit, SOURCE_MAX), Ok(at_limit.clone()));
        let over = "统".repeat(SOURCE_MAX + 1);
        assert_eq!(
            parse_text(&over, SOURCE_MAX),
            Err(TextInputError::TooLong {
                max: SOURCE_MAX,
                len: SOURCE_MAX + 1
            })
        );
        // Surrounding whitespace does not count.
        let padded = format!("  {at_limit}\n");
        assert_eq!(parse_text(&padded, SOURCE_MAX), Ok(at_limit));
    }

    #[test]
    fn control_characters_are_refused_except_line_breaks_and_tabs() {
        assert_eq!(
            parse_text("line one\r\nline two\tend", NOTE_MAX),
            Ok("line one\r\nline two\tend".to_owned())
        );
        for input in [
            "a\u{0}b",
            "bell\u{7}",
            "esc\u{1b}[0m",
            "del\u{7f}",
            "c1\u{85}x",
        ] {
            assert_eq!(
                parse_text(input, NOTE_MAX),
                Err(TextInputError::ControlCharacter),
                "{input:?}"
            );
        }
    }
}
