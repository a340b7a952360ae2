//! Reading a definition form back into the typed definitions: every field parsed at the edge, a
//! message kept for each one that cannot be read. What a table of fields is ([`FieldSpec`],
//! [`Record`]) is defined here; the tables themselves are in `fields.rs`, and the form's inputs
//! (`fields::spec`), the stored record as form values (`fields::values_of`) and the reading
//! below all walk them.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

use super::Part;
use crate::domain::entry;
use crate::domain::plan::{Confidence, ObservationKind, UnitKind};
use crate::domain::seed::{ObservationDef, SeedFile};
use crate::domain::target::Measure;
use crate::i18n::{t, t1, t2};

/// What a person typed, by field name.
pub(super) type Values = BTreeMap<String, String>;

/// How a field is typed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Input {
    /// The record's key: typed for a new record, shown (not editable) after.
    Key,
    Text,
    Area,
    /// One of a list of codes; `optional` adds an empty choice.
    Select {
        codes: Codes,
        optional: bool,
    },
}

/// The codes a select offers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Codes {
    YesNo,
    Confidence,
    Comparator,
    /// The comparators of an indicator's target (with `<` and `≈`).
    TargetComparator,
    TargetKind,
    Measure,
    Method,
    Unit,
    Direction,
    Nature,
    /// The plan's groups.
    Groups,
    /// The plan's indicators.
    Indicators,
}

/// One entry of a table of fields.
pub(super) const fn f<D>(
    name: &'static str,
    input: Input,
    get: fn(&D) -> Option<String>,
    set: fn(&mut D, &mut At),
) -> FieldSpec<D> {
    FieldSpec {
        name,
        input,
        get,
        set,
    }
}

pub(super) const fn select(codes: Codes, optional: bool) -> Input {
    Input::Select { codes, optional }
}

/// One field of a definition form: its input name (which is also its label's and identifier's
/// source), how it is typed, and how it is read from and written into the definition `D`.
pub(super) struct FieldSpec<D: 'static> {
    pub(super) name: &'static str,
    pub(super) input: Input,
    /// The stored value as typed; `None` when the field is not shown as stored (a part of a
    /// baseline or target the record does not have).
    pub(super) get: fn(&D) -> Option<String>,
    /// Reads the typed value into the definition, keeping a message when it cannot.
    pub(super) set: fn(&mut D, &mut At),
}

/// A kind of definition edited through a form.
pub(super) trait Record: Clone + Sized + 'static {
    /// The fields of its form, in order (in sections, so that forms can share one).
    const FIELDS: &'static [&'static [FieldSpec<Self>]];
    /// A record with only its key, before the form is read into it.
    fn blank(key: &str) -> Self;
    fn key(&self) -> &str;
}

/// The fields of a record kind, in order.
pub(super) fn fields<D: Record>() -> impl Iterator<Item = &'static FieldSpec<D>> {
    D::FIELDS.iter().flat_map(|section| section.iter())
}

/// The stored record as form values.
pub(super) fn values_of_def<D: Record>(def: &D) -> Values {
    fields::<D>()
        .filter_map(|f| (f.get)(def).map(|v| (f.name.to_owned(), v)))
        .collect()
}

/// Reads the typed form into `def` (a stored record, or a blank one with its key when `new`
/// is false). Fields not on the form (an indicator's figures, a programme's items) are kept.
pub(super) fn read_into<D: Record>(def: &mut D, new: bool, typed: &mut Typed) {
    for f in fields::<D>() {
        if f.input == Input::Key && !new {
            continue;
        }
        let mut at = At {
            typed: &mut *typed,
            name: f.name,
        };
        (f.set)(def, &mut at);
    }
}

pub(super) fn plain(d: Decimal) -> String {
    d.to_string()
}

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
}

/// One field of a form being read: the typed value of `name`, and where its message goes.
pub(super) struct At<'t, 'a> {
    typed: &'t mut Typed<'a>,
    name: &'static str,
}

impl<'a> At<'_, 'a> {
    pub(super) fn raw(&self) -> &str {
        self.typed.raw(self.name)
    }

    pub(super) fn fail(&mut self, message: String) {
        self.typed.fail(self.name, message);
    }

    pub(super) fn failed(&self) -> bool {
        self.typed.errors.contains_key(self.name)
    }

    /// Another field of the same form, read (and failed) at its own name.
    pub(super) fn at<'s>(&'s mut self, name: &'static str) -> At<'s, 'a> {
        At {
            typed: &mut *self.typed,
            name,
        }
    }

    /// Whether any of `names` is typed.
    pub(super) fn any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| !self.typed.raw(n).is_empty())
    }

    pub(super) fn opt_text(&mut self, max: usize) -> Option<String> {
        match entry::parse_text(self.raw(), max) {
            Ok(s) if s.is_empty() => None,
            Ok(s) => Some(s),
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }

    pub(super) fn text(&mut self, max: usize) -> String {
        let s = self.opt_text(max);
        if s.is_none() && !self.failed() {
            self.fail(t("admin-err-required"));
        }
        s.unwrap_or_default()
    }

    /// An optional value of a closed set, a number or a date.
    pub(super) fn opt_parse<T: FromStr>(&mut self, message: &str) -> Option<T> {
        let raw = self.raw();
        if raw.is_empty() {
            return None;
        }
        match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(t(message));
                None
            }
        }
    }

    pub(super) fn parse<T: FromStr>(&mut self, message: &str) -> Option<T> {
        let v = self.opt_parse(message);
        if v.is_none() && !self.failed() {
            self.fail(t("admin-err-required"));
        }
        v
    }

    pub(super) fn decimal(&mut self, unit: UnitKind, decimals: u8) -> Option<Decimal> {
        self.measured(unit, Measure::Level, decimals)
    }

    /// A value of an indicator of `measure` (a yearly rate may be negative).
    pub(super) fn measured(
        &mut self,
        unit: UnitKind,
        measure: Measure,
        decimals: u8,
    ) -> Option<Decimal> {
        match entry::parse_value(self.raw(), unit, measure, u32::from(decimals.min(6))) {
            Ok(v) => v,
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }
}

/// The typed national average series, read line by line.
pub(super) fn national_average(at: &mut At, unit: UnitKind, decimals: u8) -> Vec<ObservationDef> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in at.raw().lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let year = parts.first().and_then(|y| y.parse::<i32>().ok());
        let value = parts
            .get(1)
            .map(|v| entry::parse_value(v, unit, Measure::Level, u32::from(decimals.min(6))));
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
        at.fail(problems.join(" "));
    }
    out
}

/// Reads the form into the record `key` of `list` (a new one when `key` is none), replacing it
/// or adding it; returns the record's key.
fn put_record<D: Record>(list: &mut Vec<D>, key: Option<&str>, typed: &mut Typed) -> String {
    let at = key.and_then(|k| list.iter().position(|r| r.key() == k));
    let mut def = match at {
        Some(at) => list[at].clone(),
        None => D::blank(key.unwrap_or("")),
    };
    read_into(&mut def, key.is_none(), typed);
    let new_key = def.key().to_owned();
    match at {
        Some(at) => list[at] = def,
        None => list.push(def),
    }
    new_key
}

/// What a form saves: the seed file with the record replaced or added.
pub(super) fn apply_typed(
    part: Part,
    seed: &mut SeedFile,
    key: Option<&str>,
    typed: &mut Typed,
) -> Option<String> {
    Some(match part {
        Part::Plan => {
            read_into(&mut seed.plan, key.is_none(), typed);
            if let Some(k) = key {
                k.clone_into(&mut seed.plan.slug);
            }
            seed.plan.slug.clone()
        }
        Part::Group => put_record(&mut seed.groups, key, typed),
        Part::Indicator => put_record(&mut seed.indicators, key, typed),
        Part::Programme => put_record(&mut seed.programmes, key, typed),
    })
}

#[cfg(test)]
mod tests {
    use super::super::fields::{spec, values_of};
    use super::*;

    fn seeds() -> Vec<SeedFile> {
        ["chongqing-sti-2021-2025", "example-district-2021-2025"]
            .iter()
            .map(|name| {
                let path = format!("{}/seeds/{name}.toml", env!("CARGO_MANIFEST_DIR"));
                as_form_keeps(SeedFile::parse(&std::fs::read_to_string(path).unwrap()).unwrap())
            })
            .collect()
    }

    /// What the form keeps of a seed file: a national average line has no place for the value
    /// it revised (a limit of the form kept as it was).
    fn as_form_keeps(mut seed: SeedFile) -> SeedFile {
        for i in &mut seed.indicators {
            for o in &mut i.observations {
                if o.kind == ObservationKind::NationalAverage {
                    o.revised_from = None;
                }
            }
        }
        seed
    }

    fn keys(seed: &SeedFile, part: Part) -> Vec<String> {
        match part {
            Part::Plan => vec![seed.plan.slug.clone()],
            Part::Group => seed.groups.iter().map(|g| g.code.clone()).collect(),
            Part::Indicator => seed.indicators.iter().map(|i| i.code.clone()).collect(),
            Part::Programme => seed.programmes.iter().map(|p| p.slug.clone()).collect(),
        }
    }

    /// A stored record shown in its form and saved unchanged is the same record: the table's
    /// reading and writing of every field agree.
    #[test]
    fn a_record_shown_and_saved_unchanged_stays_the_same() {
        for seed in seeds() {
            for part in Part::ALL {
                for key in keys(&seed, part) {
                    let values = values_of(part, &seed, &key).unwrap();
                    let mut typed = Typed {
                        values: &values,
                        errors: BTreeMap::new(),
                    };
                    let mut again = seed.clone();
                    let saved = apply_typed(part, &mut again, Some(&key), &mut typed);
                    assert!(typed.errors.is_empty(), "{key}: {:?}", typed.errors);
                    assert_eq!(saved.as_deref(), Some(key.as_str()));
                    assert_eq!(again, seed, "{key}");
                }
            }
        }
    }

    /// A record typed into an empty form for a new record comes out the same as the stored one
    /// (its figures aside): every input of the form is read by the table.
    #[test]
    fn a_new_record_typed_in_full_is_read_in_full() {
        for seed in seeds() {
            for part in [Part::Group, Part::Indicator, Part::Programme] {
                for key in keys(&seed, part) {
                    let values = values_of(part, &seed, &key).unwrap();
                    let names: Vec<&str> = spec(part, Some(&seed), true)
                        .into_iter()
                        .map(|(n, _, _)| n)
                        .collect();
                    assert!(values.keys().all(|k| names.contains(&k.as_str())), "{key}");
                    let mut typed = Typed {
                        values: &values,
                        errors: BTreeMap::new(),
                    };
                    let mut into = seed.clone();
                    let before = into.indicators.len() + into.groups.len() + into.programmes.len();
                    let saved = apply_typed(part, &mut into, None, &mut typed).unwrap();
                    assert!(typed.errors.is_empty(), "{key}: {:?}", typed.errors);
                    assert_eq!(saved, key);
                    let after = into.indicators.len() + into.groups.len() + into.programmes.len();
                    assert_eq!(after, before + 1);
                    match part {
                        Part::Group => assert_eq!(
                            into.groups.last(),
                            seed.groups.iter().find(|g| g.code == key)
                        ),
                        Part::Indicator => {
                            let mut stored = seed.indicator(&key).unwrap().clone();
                            stored
                                .observations
                                .retain(|o| o.kind == ObservationKind::NationalAverage);
                            assert_eq!(into.indicators.last(), Some(&stored));
                        }
                        _ => {
                            let mut stored = seed
                                .programmes
                                .iter()
                                .find(|p| p.slug == key)
                                .unwrap()
                                .clone();
                            (stored.counts, stored.items, stored.count_from_items) =
                                Default::default();
                            assert_eq!(into.programmes.last(), Some(&stored));
                        }
                    }
                }
            }
        }
    }

    /// A target needs a year and a value: with one of them wrong, the record keeps no target
    /// and the rest of the target's fields are not read.
    #[test]
    fn a_target_without_a_readable_year_is_left_out() {
        let seed = &seeds()[0];
        let key = &seed
            .indicators
            .iter()
            .find(|i| i.target.is_some())
            .unwrap()
            .code;
        let mut values = values_of(Part::Indicator, seed, key).unwrap();
        values.insert("target.year".into(), "soon".into());
        values.insert("target.confidence".into(), "sure".into());
        let mut typed = Typed {
            values: &values,
            errors: BTreeMap::new(),
        };
        let mut into = seed.clone();
        apply_typed(Part::Indicator, &mut into, Some(key), &mut typed);
        assert!(typed.errors.contains_key("target.year"));
        assert!(!typed.errors.contains_key("target.confidence"));
        assert_eq!(into.indicator(key).unwrap().target, None);
    }
}
