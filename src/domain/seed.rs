//! The seed file: one plan's definitions and published figures in TOML, written by people.
//! `seeds/README.md` documents every field. Parsing checks the file as a whole and reports
//! every problem with the place it was found, so a person can fix them in one pass.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashSet;
use std::str::FromStr;

use super::plan::{
    Comparator, Confidence, Direction, ItemStatus, Nature, ObservationKind, UnitKind,
};
use super::value;

/// The only format version this build reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    pub format: u32,
    pub plan: PlanDef,
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupDef>,
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<IndicatorDef>,
    #[serde(default, rename = "programme")]
    pub programmes: Vec<ProgrammeDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDef {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub start_year: i32,
    pub end_year: i32,
    pub baseline_year: i32,
    pub vision_year: Option<i32>,
    #[serde(default)]
    pub default: bool,
    pub issuer_zh: Option<String>,
    pub issuer_en: Option<String>,
    pub document_number: Option<String>,
    #[serde(default, deserialize_with = "toml_date")]
    pub issued_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date")]
    pub published_on: Option<NaiveDate>,
    pub summary_zh: Option<String>,
    pub summary_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub code: String,
    pub group: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: UnitKind,
    #[serde(default)]
    pub unit_zh: String,
    #[serde(default)]
    pub unit_en: String,
    pub decimals: u8,
    pub direction: Direction,
    pub nature: Option<Nature>,
    pub definition_zh: Option<String>,
    pub definition_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
    pub baseline: Option<BaselineDef>,
    pub target: Option<TargetDef>,
    #[serde(default, rename = "observation")]
    pub observations: Vec<ObservationDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineDef {
    pub year: i32,
    #[serde(default, deserialize_with = "opt_decimal")]
    pub value: Option<Decimal>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    pub year: i32,
    #[serde(deserialize_with = "decimal")]
    pub value: Decimal,
    pub comparator: Option<Comparator>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationDef {
    pub year: i32,
    #[serde(deserialize_with = "decimal")]
    pub value: Decimal,
    #[serde(default = "actual")]
    pub kind: ObservationKind,
    pub source: String,
    pub confidence: Confidence,
    pub note: Option<String>,
    #[serde(default, deserialize_with = "opt_decimal")]
    pub revised_from: Option<Decimal>,
}

fn actual() -> ObservationKind {
    ObservationKind::Actual
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeDef {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: Option<String>,
    pub description_en: Option<String>,
    pub indicator: Option<String>,
    #[serde(default)]
    pub unit_zh: String,
    #[serde(default)]
    pub unit_en: String,
    pub target: Option<TargetDef>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    /// When set, the yearly counts are derived from the items in this status (no counts given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_from_items: Option<ItemStatus>,
    #[serde(default, rename = "count")]
    pub counts: Vec<CountDef>,
    #[serde(default, rename = "item")]
    pub items: Vec<ItemDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountDef {
    pub year: i32,
    #[serde(deserialize_with = "decimal")]
    pub value: Decimal,
    pub source: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub kind: String,
    pub field: Option<String>,
    pub host: Option<String>,
    pub status: Option<ItemStatus>,
    pub year: Option<i32>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

/// A seed file that cannot be loaded, with every problem found in it.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    Syntax(String),
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
}

impl SeedFile {
    /// Parses and checks a seed file's text.
    pub fn parse(text: &str) -> Result<SeedFile, SeedError> {
        let file: SeedFile = toml::from_str(text).map_err(|e| SeedError::Syntax(e.to_string()))?;
        let problems = file.problems();
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(SeedError::Invalid(problems))
        }
    }

    pub fn indicator(&self, code: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|i| i.code == code)
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let plan = &self.plan;
        if self.format != FORMAT {
            out.push(format!(
                "format: this build reads format {FORMAT}, the file says {}",
                self.format
            ));
        }
        check_slug(&mut out, "plan.slug", &plan.slug);
        if plan.title_zh.trim().is_empty() || plan.title_en.trim().is_empty() {
            out.push("plan: title_zh and title_en are both required".into());
        }
        if plan.start_year > plan.end_year {
            out.push("plan: start_year is after end_year".into());
        }
        if plan.baseline_year >= plan.start_year {
            out.push("plan: baseline_year must come before start_year".into());
        }
        if plan.vision_year.is_some_and(|v| v < plan.end_year) {
            out.push("plan: vision_year must not come before end_year".into());
        }
        for year in [plan.start_year, plan.end_year, plan.baseline_year] {
            check_year(&mut out, "plan", year);
        }

        let mut groups = HashSet::new();
        for g in &self.groups {
            check_slug(&mut out, &format!("group {:?}: code", g.code), &g.code);
            if !groups.insert(g.code.as_str()) {
                out.push(format!("group {:?}: the code is used twice", g.code));
            }
        }

        let mut codes = HashSet::new();
        for ind in &self.indicators {
            let at = format!("indicator {:?}", ind.code);
            check_slug(&mut out, &format!("{at}: code"), &ind.code);
            if !codes.insert(ind.code.as_str()) {
                out.push(format!("{at}: the code is used twice"));
            }
            if !groups.contains(ind.group.as_str()) {
                out.push(format!(
                    "{at}: group {:?} is not defined in a [[group]]",
                    ind.group
                ));
            }
            if ind.decimals > 6 {
                out.push(format!("{at}: decimals must be between 0 and 6"));
            }
            let decimals = u32::from(ind.decimals.min(6));
            let check_value = |out: &mut Vec<String>, what: &str, v: Decimal| {
                if let Err(e) = value::check(ind.unit, decimals, v) {
                    out.push(format!("{at}: {what} {v}: {e}"));
                }
            };
            if let Some(v) = ind.baseline.as_ref().and_then(|b| b.value) {
                check_value(&mut out, "baseline", v);
            }
            if let Some(t) = &ind.target {
                check_value(&mut out, "target", t.value);
            }
            let mut seen = HashSet::new();
            for o in &ind.observations {
                check_value(&mut out, &format!("observation {}", o.year), o.value);
                if let Some(first) = o.revised_from {
                    check_value(
                        &mut out,
                        &format!("observation {} revised_from", o.year),
                        first,
                    );
                }
                if !seen.insert((o.year, o.kind)) {
                    out.push(format!(
                        "{at}: observation {} ({}) is given twice",
                        o.year, o.kind
                    ));
                }
            }
            if let Some(b) = &ind.baseline {
                check_year(&mut out, &at, b.year);
            }
            if let Some(t) = &ind.target {
                check_year(&mut out, &at, t.year);
            }
            for o in &ind.observations {
                check_year(&mut out, &at, o.year);
            }
        }

        let mut slugs = HashSet::new();
        for p in &self.programmes {
            let at = format!("programme {:?}", p.slug);
            check_slug(&mut out, &format!("{at}: slug"), &p.slug);
            if !slugs.insert(p.slug.as_str()) {
                out.push(format!("{at}: the slug is used twice"));
            }
            if let Some(code) = &p.indicator {
                if !codes.contains(code.as_str()) {
                    out.push(format!(
                        "{at}: indicator {code:?} is not defined in this file"
                    ));
                }
                if !p.counts.is_empty() {
                    out.push(format!(
                        "{at}: counts come from indicator {code:?}; remove the [[programme.count]] entries"
                    ));
                }
            }
            if let Some(status) = p.count_from_items {
                if p.indicator.is_some() {
                    out.push(format!(
                        "{at}: counts come either from an indicator or from the items, not both"
                    ));
                }
                if !p.counts.is_empty() {
                    out.push(format!(
                        "{at}: counts are derived from the items that are {status}; remove the [[programme.count]] entries"
                    ));
                }
            }
            let mut years = HashSet::new();
            for c in &p.counts {
                check_year(&mut out, &at, c.year);
                if !years.insert(c.year) {
                    out.push(format!("{at}: count {} is given twice", c.year));
                }
                if let Err(e) = value::check(UnitKind::Count, 0, c.value) {
                    out.push(format!("{at}: count {} {}: {e}", c.year, c.value));
                }
            }
            let mut keys = HashSet::new();
            for item in &p.items {
                check_slug(&mut out, &format!("{at}: item key"), &item.key);
                if !keys.insert(item.key.as_str()) {
                    out.push(format!("{at}: item {:?} is given twice", item.key));
                }
            }
        }
        out
    }
}

fn check_slug(out: &mut Vec<String>, at: &str, slug: &str) {
    let ok = (1..=80).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    if !ok {
        out.push(format!(
            "{at} {slug:?}: use 1 to 80 lowercase letters, digits and hyphens, not starting with a hyphen"
        ));
    }
}

fn check_year(out: &mut Vec<String>, at: &str, year: i32) {
    if !(1900..=2200).contains(&year) {
        out.push(format!("{at}: year {year} is outside 1900–2200"));
    }
}

/// A number written as a TOML integer, float or string. Floats go through their shortest
/// decimal spelling, so `2.6` becomes exactly 2.6 and never 2.6000000000000000888.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
    Text(String),
}

impl TryFrom<Number> for Decimal {
    type Error = String;
    fn try_from(n: Number) -> Result<Decimal, String> {
        let text = match n {
            Number::Int(i) => return Ok(Decimal::from(i)),
            Number::Float(f) if f.is_finite() => f.to_string(),
            Number::Float(f) => return Err(format!("{f} is not a number")),
            Number::Text(s) => s,
        };
        Decimal::from_str(text.trim()).map_err(|_| format!("{text:?} is not a decimal number"))
    }
}

fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    Decimal::try_from(Number::deserialize(d)?).map_err(serde::de::Error::custom)
}

fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    Option::<Number>::deserialize(d)?
        .map(Decimal::try_from)
        .transpose()
        .map_err(serde::de::Error::custom)
}

fn toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(dt) = Option::<toml::value::Datetime>::deserialize(d)? else {
        return Ok(None);
    };
    let (Some(date), None) = (dt.date, dt.time) else {
        return Err(serde::de::Error::custom(format!(
            "{dt} is not a plain date (YYYY-MM-DD)"
        )));
    };
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
    .map(Some)
    .ok_or_else(|| serde::de::Error::custom(format!("{dt} is not a valid date")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        format = 1
        [plan]
        slug = "demo"
        title_zh = "示例"
        title_en = "Demo"
        start_year = 2021
        end_year = 2025
        baseline_year = 2020
        issued_on = 2022-01-05
        [[group]]
        code = "g"
        name_zh = "组"
        name_en = "Group"
        [[indicator]]
        code = "rd"
        group = "g"
        name_zh = "研发"
        name_en = "R&D"
        unit = "percent"
        decimals = 2
        direction = "higher"
        baseline = { year = 2020, value = 2.11 }
        target = { year = 2025, value = 2.6, comparator = ">=" }
        [[indicator.observation]]
        year = 2021
        value = 2.16
        source = "bulletin"
        confidence = "high"
    "#;

    #[test]
    fn a_valid_file_keeps_exact_decimals_and_dates() {
        let seed = SeedFile::parse(MINIMAL).unwrap();
        let rd = seed.indicator("rd").unwrap();
        assert_eq!(rd.target.as_ref().unwrap().value.to_string(), "2.6");
        assert_eq!(rd.observations[0].value.to_string(), "2.16");
        assert_eq!(rd.observations[0].kind, ObservationKind::Actual);
        assert_eq!(seed.plan.issued_on, NaiveDate::from_ymd_opt(2022, 1, 5));
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = MINIMAL
            .replace("group = \"g\"", "group = \"missing\"")
            .replace("value = 2.16", "value = 102.5")
            .replace("slug = \"demo\"", "slug = \"Demo Plan\"");
        let Err(SeedError::Invalid(problems)) = SeedFile::parse(&text) else {
            panic!("the file should be refused");
        };
        let all = problems.join("\n");
        assert!(all.contains("plan.slug \"Demo Plan\""), "{all}");
        assert!(
            all.contains("indicator \"rd\": group \"missing\" is not defined"),
            "{all}"
        );
        assert!(
            all.contains("observation 2021 102.5: a percentage must be between 0 and 100"),
            "{all}"
        );
    }

    #[test]
    fn unknown_fields_and_codes_are_syntax_errors_naming_the_field() {
        let err =
            SeedFile::parse(&MINIMAL.replace("decimals = 2", "decimals = 2\ncolour = \"red\""))
                .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        let err = SeedFile::parse(&MINIMAL.replace("\"higher\"", "\"up\"")).unwrap_err();
        assert!(err.to_string().contains("not a valid direction"), "{err}");
    }

    #[test]
    fn counts_derived_from_items_leave_no_room_for_given_counts() {
        let programme = r#"
[[programme]]
slug = "labs"
name_zh = "实验室"
name_en = "Laboratories"
count_from_items = "operating"
source = "s"
confidence = "high"
"#;
        let seed = SeedFile::parse(&format!("{MINIMAL}{programme}")).unwrap();
        assert_eq!(
            seed.programmes[0].count_from_items,
            Some(ItemStatus::Operating)
        );
        let count = "\n[[programme.count]]\nyear = 2021\nvalue = 3\nsource = \"s\"\nconfidence = \"high\"\n";
        let err = SeedFile::parse(&format!("{MINIMAL}{programme}{count}")).unwrap_err();
        assert!(err.to_string().contains("derived from the items"), "{err}");
        let err = SeedFile::parse(&format!("{MINIMAL}{programme}").replace(
            "count_from_items = \"operating\"",
            "count_from_items = \"open\"",
        ))
        .unwrap_err();
        assert!(err.to_string().contains("count_from_items"), "{err}");
    }

    #[test]
    fn the_shipped_seed_files_are_valid() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                if let Err(e) = SeedFile::parse(&text) {
                    panic!("{}: {e}", path.display());
                }
            }
        }
    }
}
