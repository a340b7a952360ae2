//! Reading a definition form back into the typed definitions: every field parsed at the edge,
//! a message kept for each one that cannot be read.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

use super::fields::{TARGET_FIELDS, Values};
use super::{LINE_MAX, Part, TEXT_MAX};
use crate::domain::entry::{self, NOTE_MAX, SOURCE_MAX};
use crate::domain::plan::{Confidence, Direction, ObservationKind, UnitKind};
use crate::domain::seed::{
    BaselineDef, GroupDef, IndicatorDef, ObservationDef, PlanDef, ProgrammeDef, SeedFile, TargetDef,
};
use crate::i18n::{t, t1, t2};

/// Reads typed values into definitions, collecting a message for each field it cannot read.
pub(super) struct Typed<'a> {
    pub(super) values: &'a Values,
    pub(super) errors: BTreeMap<String, String>,
}

impl<'a> Typed<'a> {
    fn raw(&self, name: &str) -> &'a str {
        self.values
            .get(name)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
    }

    pub(super) fn fail(&mut self, name: &str, message: String) {
        self.errors.entry(name.to_owned()).or_insert(message);
    }

    fn opt_text(&mut self, name: &str, max: usize) -> Option<String> {
        match entry::parse_text(self.raw(name), max) {
            Ok(s) if s.is_empty() => None,
            Ok(s) => Some(s),
            Err(e) => {
                self.fail(name, e.to_string());
                None
            }
        }
    }

    fn text(&mut self, name: &str, max: usize) -> String {
        let s = self.opt_text(name, max);
        if s.is_none() && !self.errors.contains_key(name) {
            self.fail(name, t("admin-err-required"));
        }
        s.unwrap_or_default()
    }

    /// An optional value of a closed set or a number.
    fn opt_parse<T: FromStr>(&mut self, name: &str, message: &str) -> Option<T> {
        let raw = self.raw(name);
        if raw.is_empty() {
            return None;
        }
        match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(name, t(message));
                None
            }
        }
    }

    fn parse<T: FromStr>(&mut self, name: &str, message: &str) -> Option<T> {
        let v = self.opt_parse(name, message);
        if v.is_none() && !self.errors.contains_key(name) {
            self.fail(name, t("admin-err-required"));
        }
        v
    }

    fn decimal(&mut self, name: &str, unit: Option<UnitKind>, decimals: u8) -> Option<Decimal> {
        let raw = self.raw(name);
        match entry::parse_value(
            raw,
            unit.unwrap_or(UnitKind::Amount),
            u32::from(decimals.min(6)),
        ) {
            Ok(v) => v,
            Err(e) => {
                self.fail(name, e.to_string());
                None
            }
        }
    }

    fn date(&mut self, name: &str) -> Option<chrono::NaiveDate> {
        self.opt_parse::<chrono::NaiveDate>(name, "admin-err-date")
    }

    fn any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| !self.raw(n).is_empty())
    }

    fn target(&mut self, unit: Option<UnitKind>, decimals: u8) -> Option<TargetDef> {
        if !self.any(&TARGET_FIELDS) {
            return None;
        }
        let year = self.parse::<i32>("target.year", "admin-err-year");
        let value = self.decimal("target.value", unit, decimals);
        if value.is_none() && !self.errors.contains_key("target.value") {
            self.fail("target.value", t("admin-err-target-value"));
        }
        let target = TargetDef {
            year: year?,
            value: value?,
            comparator: self.opt_parse("target.comparator", "admin-err-choose"),
            source: self.opt_text("target.source", SOURCE_MAX),
            confidence: self.opt_parse("target.confidence", "admin-err-choose"),
            note: self.opt_text("target.note", NOTE_MAX),
        };
        Some(target)
    }
}

/// The typed national average series, read line by line.
fn national_average(
    typed: &mut Typed,
    unit: Option<UnitKind>,
    decimals: u8,
) -> Vec<ObservationDef> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in typed.raw("national_average").lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let year = parts.first().and_then(|y| y.parse::<i32>().ok());
        let value = parts.get(1).map(|v| {
            entry::parse_value(
                v,
                unit.unwrap_or(UnitKind::Amount),
                u32::from(decimals.min(6)),
            )
        });
        let source = parts.get(2).copied().unwrap_or("");
        let confidence = parts.get(3).and_then(|c| c.parse::<Confidence>().ok());
        match (year, value, confidence) {
            (Some(year), Some(Ok(Some(value))), Some(confidence)) if !source.is_empty() => out
                .push(ObservationDef {
                    year,
                    value,
                    kind: ObservationKind::NationalAverage,
                    source: source.to_owned(),
                    confidence,
                    note: parts
                        .get(4..)
                        .map(|rest| rest.join(" | "))
                        .filter(|s| !s.is_empty()),
                    revised_from: None,
                }),
            (_, Some(Err(e)), _) => problems.push(t2(
                "admin-err-line-value",
                "line",
                n + 1,
                "problem",
                e.to_string(),
            )),
            _ => problems.push(t1("admin-err-line", "line", n + 1)),
        }
    }
    if !problems.is_empty() {
        typed.fail("national_average", problems.join(" "));
    }
    out
}

/// What a form saves: the seed file with the record replaced or added.
pub(super) fn apply_typed(
    part: Part,
    seed: &mut SeedFile,
    key: Option<&str>,
    typed: &mut Typed,
) -> Option<String> {
    match part {
        Part::Plan => {
            let def = PlanDef {
                slug: match key {
                    Some(k) => k.to_owned(),
                    None => typed.text("slug", 80),
                },
                title_zh: typed.text("title_zh", LINE_MAX),
                title_en: typed.text("title_en", LINE_MAX),
                start_year: typed.parse("start_year", "admin-err-year").unwrap_or(0),
                end_year: typed.parse("end_year", "admin-err-year").unwrap_or(0),
                baseline_year: typed.parse("baseline_year", "admin-err-year").unwrap_or(0),
                vision_year: typed.opt_parse("vision_year", "admin-err-year"),
                default: typed.raw("default") == "true",
                issuer_zh: typed.opt_text("issuer_zh", LINE_MAX),
                issuer_en: typed.opt_text("issuer_en", LINE_MAX),
                document_number: typed.opt_text("document_number", LINE_MAX),
                issued_on: typed.date("issued_on"),
                published_on: typed.date("published_on"),
                summary_zh: typed.opt_text("summary_zh", TEXT_MAX),
                summary_en: typed.opt_text("summary_en", TEXT_MAX),
                source: typed.opt_text("source", TEXT_MAX),
                confidence: typed.opt_parse("confidence", "admin-err-choose"),
            };
            let slug = def.slug.clone();
            seed.plan = def;
            Some(slug)
        }
        Part::Group => {
            let def = GroupDef {
                code: match key {
                    Some(k) => k.to_owned(),
                    None => typed.text("code", 80),
                },
                name_zh: typed.text("name_zh", LINE_MAX),
                name_en: typed.text("name_en", LINE_MAX),
            };
            let code = def.code.clone();
            match seed
                .groups
                .iter_mut()
                .find(|g| Some(g.code.as_str()) == key)
            {
                Some(g) => *g = def,
                None => seed.groups.push(def),
            }
            Some(code)
        }
        Part::Indicator => {
            let code = match key {
                Some(k) => k.to_owned(),
                None => typed.text("code", 80),
            };
            let unit: Option<UnitKind> = typed.parse("unit", "admin-err-choose");
            let decimals: u8 = typed.parse("decimals", "admin-err-decimals").unwrap_or(0);
            let baseline = if typed.any(&[
                "baseline.year",
                "baseline.value",
                "baseline.source",
                "baseline.confidence",
                "baseline.note",
            ]) {
                let year = typed.parse::<i32>("baseline.year", "admin-err-year");
                let value = typed.decimal("baseline.value", unit, decimals);
                year.map(|year| BaselineDef {
                    year,
                    value,
                    source: typed.opt_text("baseline.source", SOURCE_MAX),
                    confidence: typed.opt_parse("baseline.confidence", "admin-err-choose"),
                    note: typed.opt_text("baseline.note", NOTE_MAX),
                })
            } else {
                None
            };
            let target = typed.target(unit, decimals);
            let national = national_average(typed, unit, decimals);
            let existing = seed
                .indicators
                .iter()
                .position(|i| Some(i.code.as_str()) == key);
            // The indicator's own figures stay as they are: they are entered and reviewed
            // through the entry forms, not here.
            let mut observations: Vec<ObservationDef> = existing
                .map(|at| seed.indicators[at].observations.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|o| o.kind != ObservationKind::NationalAverage)
                .collect();
            observations.extend(national);
            let def = IndicatorDef {
                code: code.clone(),
                group: typed.text("group", 80),
                name_zh: typed.text("name_zh", LINE_MAX),
                name_en: typed.text("name_en", LINE_MAX),
                unit: unit.unwrap_or(UnitKind::Amount),
                unit_zh: typed.opt_text("unit_zh", LINE_MAX).unwrap_or_default(),
                unit_en: typed.opt_text("unit_en", LINE_MAX).unwrap_or_default(),
                decimals,
                direction: typed
                    .parse("direction", "admin-err-choose")
                    .unwrap_or(Direction::Higher),
                nature: typed.opt_parse("nature", "admin-err-choose"),
                definition_zh: typed.opt_text("definition_zh", TEXT_MAX),
                definition_en: typed.opt_text("definition_en", TEXT_MAX),
                source: typed.opt_text("source", TEXT_MAX),
                confidence: typed.opt_parse("confidence", "admin-err-choose"),
                note: typed.opt_text("note", TEXT_MAX),
                predecessor: typed.opt_text("predecessor", 170),
                baseline,
                target,
                observations,
            };
            match existing {
                Some(at) => seed.indicators[at] = def,
                None => seed.indicators.push(def),
            }
            Some(code)
        }
        Part::Programme => {
            let slug = match key {
                Some(k) => k.to_owned(),
                None => typed.text("slug", 80),
            };
            let target = typed.target(Some(UnitKind::Count), 0);
            let existing = seed
                .programmes
                .iter()
                .position(|p| Some(p.slug.as_str()) == key);
            let (counts, items, count_from_items) = existing
                .map(|at| {
                    let p = &seed.programmes[at];
                    (p.counts.clone(), p.items.clone(), p.count_from_items)
                })
                .unwrap_or_default();
            let def = ProgrammeDef {
                slug: slug.clone(),
                name_zh: typed.text("name_zh", LINE_MAX),
                name_en: typed.text("name_en", LINE_MAX),
                description_zh: typed.opt_text("description_zh", TEXT_MAX),
                description_en: typed.opt_text("description_en", TEXT_MAX),
                indicator: typed.opt_text("indicator", 80),
                unit_zh: typed.opt_text("unit_zh", LINE_MAX).unwrap_or_default(),
                unit_en: typed.opt_text("unit_en", LINE_MAX).unwrap_or_default(),
                target,
                source: typed.opt_text("source", TEXT_MAX),
                confidence: typed.opt_parse("confidence", "admin-err-choose"),
                count_from_items,
                counts,
                items,
            };
            match existing {
                Some(at) => seed.programmes[at] = def,
                None => seed.programmes.push(def),
            }
            Some(slug)
        }
    }
}
