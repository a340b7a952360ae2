//! What each definition form shows, from one table of fields per kind of record (at the end of
//! this file): its inputs in order, with their labels and choices, and the stored record as the
//! values of those inputs. Reading a sent form back walks the same table (`typed.rs`), so a new
//! field of a definition is one entry here.

use rust_decimal::Decimal;

use super::typed::{
    At, Codes, FieldSpec, Input, Record, f, fields, national_average, select, values_of_def,
};
pub(super) use super::typed::{Values, plain};
use super::{LINE_MAX, Part, TEXT_MAX};
use crate::domain::entry::{NOTE_MAX, SOURCE_MAX};
use crate::domain::plan::{
    Comparator, Confidence, Direction, Method, Nature, ObservationKind, UnitKind,
};
use crate::domain::seed::{
    BaselineDef, GroupDef, IndicatorDef, ObservationDef, PlanDef, ProgrammeDef, SeedFile, TargetDef,
};
use crate::domain::target::{
    Measure, Target, TargetComparator, TargetError, TargetFields, TargetKind,
};
use crate::i18n::{t, t1};
use Input::{Area, Key, Text};

/// One input of a form as the template shows it.
pub struct Field {
    pub name: String,
    pub id: String,
    pub label: String,
    /// `text`, `textarea`, `select` or `fixed` (shown, not editable: an identifier).
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// On a conflict: the value stored now, where it differs from the typed one.
    pub stored: Option<String>,
}

pub struct Reason {
    pub value: String,
    pub error: Option<String>,
}

/// A field's name as an identifier: `baseline.year` → `baseline--year`, `title_zh` → `title-zh`.
pub(super) fn ident(name: &str) -> String {
    name.replace('_', "-").replace('.', "--")
}

pub(super) fn field_id(name: &str) -> String {
    format!("f-{}", ident(name))
}

pub(super) fn label(name: &str) -> String {
    t(&format!("admin-field-{}", ident(name)))
}

pub(super) fn options_of(codes: &[&str], optional: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if optional {
        out.push((String::new(), t("admin-option-none")));
    }
    out.extend(codes.iter().map(|c| (c.to_string(), c.to_string())));
    out
}

/// Choices whose codes have words in the catalogue (`{prefix}-{code}`): the word in the reader's
/// language, then the code the seed file uses.
pub(super) fn labelled_options(
    codes: &[&str],
    optional: bool,
    prefix: &str,
) -> Vec<(String, String)> {
    let lang = crate::i18n::Lang::current();
    options_of(codes, optional)
        .into_iter()
        .map(|(code, label)| {
            match crate::i18n::lookup(lang, &format!("{prefix}-{code}"))
                .filter(|_| !code.is_empty())
            {
                Some(word) => (code.clone(), format!("{word} ({code})")),
                None => (code, label),
            }
        })
        .collect()
}

/// One input of a form: its name, kind and choices.
pub(super) type InputSpec = (&'static str, &'static str, Vec<(String, String)>);

/// The inputs of a record kind's form, from its one table of fields.
fn inputs<D: Record>(seed: Option<&SeedFile>, new: bool) -> Vec<InputSpec> {
    fields::<D>()
        .map(|f| match f.input {
            Input::Key => (f.name, if new { "text" } else { "fixed" }, Vec::new()),
            Input::Text => (f.name, "text", Vec::new()),
            Input::Area => (f.name, "textarea", Vec::new()),
            Input::Select { codes, optional } => (f.name, "select", choices(codes, optional, seed)),
        })
        .collect()
}

fn codes_of<T: Copy + Into<&'static str>>(all: &[T]) -> Vec<&'static str> {
    all.iter().map(|&c| c.into()).collect()
}

/// The choices of a select: the plan's groups or indicators, or a closed set of codes (with
/// their words where the catalogue has them).
fn choices(codes: Codes, optional: bool, seed: Option<&SeedFile>) -> Vec<(String, String)> {
    match codes {
        Codes::YesNo => vec![
            ("false".into(), t("admin-option-no")),
            ("true".into(), t("admin-option-yes")),
        ],
        Codes::Confidence => labelled_options(&codes_of(Confidence::ALL), optional, "confidence"),
        Codes::Direction => labelled_options(&codes_of(Direction::ALL), optional, "direction"),
        Codes::Nature => labelled_options(&codes_of(Nature::ALL), optional, "nature"),
        Codes::Comparator => options_of(&codes_of(Comparator::ALL), optional),
        Codes::TargetComparator => options_of(&codes_of(TargetComparator::ALL), optional),
        Codes::TargetKind => labelled_options(&codes_of(TargetKind::ALL), optional, "target-kind"),
        Codes::Measure => labelled_options(&codes_of(Measure::ALL), optional, "measure"),
        Codes::Method => labelled_options(&codes_of(Method::ALL), optional, "method-name"),
        Codes::Unit => options_of(&codes_of(UnitKind::ALL), optional),
        Codes::Groups => {
            let groups: Vec<&str> = seed
                .map(|s| s.groups.iter().map(|g| g.code.as_str()).collect())
                .unwrap_or_default();
            options_of(&groups, optional)
        }
        Codes::Indicators => {
            let indicators: Vec<&str> = seed
                .map(|s| s.indicators.iter().map(|i| i.code.as_str()).collect())
                .unwrap_or_default();
            options_of(&indicators, optional)
        }
    }
}

/// The inputs of a form for `part`, in order.
pub(super) fn spec(part: Part, seed: Option<&SeedFile>, new: bool) -> Vec<InputSpec> {
    match part {
        Part::Plan => inputs::<PlanDef>(seed, new),
        Part::Group => inputs::<GroupDef>(seed, new),
        Part::Indicator => inputs::<IndicatorDef>(seed, new),
        Part::Programme => inputs::<ProgrammeDef>(seed, new),
    }
}

pub(super) fn put(v: &mut Values, name: &str, value: impl ToString) {
    v.insert(name.to_owned(), value.to_string());
}

/// The stored record as form values; `None` when there is no such record.
pub(super) fn values_of(part: Part, seed: &SeedFile, key: &str) -> Option<Values> {
    Some(match part {
        Part::Plan => values_of_def(&seed.plan),
        Part::Group => values_of_def(seed.groups.iter().find(|g| g.code == key)?),
        Part::Indicator => values_of_def(seed.indicator(key)?),
        Part::Programme => values_of_def(seed.programmes.iter().find(|p| p.slug == key)?),
    })
}

// The one table of fields of each kind of record.

pub(super) const TARGET_FIELDS: [&str; 6] = [
    "target.year",
    "target.value",
    "target.comparator",
    "target.source",
    "target.confidence",
    "target.note",
];

const BASELINE_FIELDS: [&str; 5] = [
    "baseline.year",
    "baseline.value",
    "baseline.source",
    "baseline.confidence",
    "baseline.note",
];

// How values are shown: a required value, and an optional one (empty when absent).
fn s(v: impl ToString) -> Option<String> {
    Some(v.to_string())
}

fn o<T: ToString>(v: &Option<T>) -> Option<String> {
    Some(v.as_ref().map(|x| x.to_string()).unwrap_or_default())
}

const CONFIDENCE: Input = select(Codes::Confidence, true);

impl Record for PlanDef {
    #[rustfmt::skip]
    const FIELDS: &'static [&'static [FieldSpec<Self>]] = &[&[
        f("slug", Key, |d| s(&d.slug), |d, a| d.slug = a.text(80)),
        f("title_zh", Text, |d| s(&d.title_zh), |d, a| d.title_zh = a.text(LINE_MAX)),
        f("title_en", Text, |d| s(&d.title_en), |d, a| d.title_en = a.text(LINE_MAX)),
        f("start_year", Text, |d| s(d.start_year), |d, a| d.start_year = a.parse("admin-err-year").unwrap_or(0)),
        f("end_year", Text, |d| s(d.end_year), |d, a| d.end_year = a.parse("admin-err-year").unwrap_or(0)),
        f("baseline_year", Text, |d| s(d.baseline_year), |d, a| d.baseline_year = a.parse("admin-err-year").unwrap_or(0)),
        f("vision_year", Text, |d| o(&d.vision_year), |d, a| d.vision_year = a.opt_parse("admin-err-year")),
        f("default", select(Codes::YesNo, false), |d| s(d.default), |d, a| d.default = a.raw() == "true"),
        f("issuer_zh", Text, |d| o(&d.issuer_zh), |d, a| d.issuer_zh = a.opt_text(LINE_MAX)),
        f("issuer_en", Text, |d| o(&d.issuer_en), |d, a| d.issuer_en = a.opt_text(LINE_MAX)),
        f("document_number", Text, |d| o(&d.document_number), |d, a| d.document_number = a.opt_text(LINE_MAX)),
        f("issued_on", Text, |d| o(&d.issued_on), |d, a| d.issued_on = a.opt_parse("admin-err-date")),
        f("published_on", Text, |d| o(&d.published_on), |d, a| d.published_on = a.opt_parse("admin-err-date")),
        f("summary_zh", Area, |d| o(&d.summary_zh), |d, a| d.summary_zh = a.opt_text(TEXT_MAX)),
        f("summary_en", Area, |d| o(&d.summary_en), |d, a| d.summary_en = a.opt_text(TEXT_MAX)),
        f("source", Area, |d| o(&d.source), |d, a| d.source = a.opt_text(TEXT_MAX)),
        f("confidence", CONFIDENCE, |d| o(&d.confidence), |d, a| d.confidence = a.opt_parse("admin-err-choose")),
        f("method", select(Codes::Method, false), |d| s(d.method), |d, a| d.method = a.opt_parse("admin-err-choose").unwrap_or_default()),
        f("ahead_factor", Text, |d| o(&d.ahead_factor), |d, a| d.ahead_factor = a.opt_parse("admin-err-factor")),
        f("behind_factor", Text, |d| o(&d.behind_factor), |d, a| d.behind_factor = a.opt_parse("admin-err-factor")),
    ]];

    fn blank(key: &str) -> Self {
        PlanDef {
            slug: key.to_owned(),
            title_zh: String::new(),
            title_en: String::new(),
            start_year: 0,
            end_year: 0,
            baseline_year: 0,
            vision_year: None,
            default: false,
            issuer_zh: None,
            issuer_en: None,
            document_number: None,
            issued_on: None,
            published_on: None,
            summary_zh: None,
            summary_en: None,
            source: None,
            confidence: None,
            method: Default::default(),
            ahead_factor: None,
            behind_factor: None,
        }
    }

    fn key(&self) -> &str {
        &self.slug
    }
}

impl Record for GroupDef {
    #[rustfmt::skip]
    const FIELDS: &'static [&'static [FieldSpec<Self>]] = &[&[
        f("code", Key, |d| s(&d.code), |d, a| d.code = a.text(80)),
        f("name_zh", Text, |d| s(&d.name_zh), |d, a| d.name_zh = a.text(LINE_MAX)),
        f("name_en", Text, |d| s(&d.name_en), |d, a| d.name_en = a.text(LINE_MAX)),
    ]];

    fn blank(key: &str) -> Self {
        GroupDef {
            code: key.to_owned(),
            name_zh: String::new(),
            name_en: String::new(),
        }
    }

    fn key(&self) -> &str {
        &self.code
    }
}

/// A record with a target, and the unit and decimals its target value is read in.
pub(super) trait Targeted: 'static {
    fn target(&self) -> &Option<TargetDef>;
    fn target_mut(&mut self) -> &mut Option<TargetDef>;
    fn scale(&self) -> (UnitKind, u8);
}

impl Targeted for ProgrammeDef {
    fn target(&self) -> &Option<TargetDef> {
        &self.target
    }
    fn target_mut(&mut self) -> &mut Option<TargetDef> {
        &mut self.target
    }
    fn scale(&self) -> (UnitKind, u8) {
        (UnitKind::Count, 0)
    }
}

/// A part of the target as shown: nothing when there is no target.
fn tg<D: Targeted>(d: &D, part: fn(&TargetDef) -> Option<String>) -> Option<String> {
    d.target().as_ref().and_then(part)
}

/// The target's fields, shared by indicators and programmes. A target is read when any of its
/// fields is typed; it needs a year and a value, and without them the rest is not read.
#[rustfmt::skip]
const fn target_fields<D: Targeted>() -> [FieldSpec<D>; 6] {
    [
        FieldSpec {
            name: "target.year",
            input: Text,
            get: |d| tg(d, |t| s(t.year)),
            set: |d, a| {
                if !a.any(&TARGET_FIELDS) {
                    *d.target_mut() = None;
                    return;
                }
                match a.parse::<i32>("admin-err-year") {
                    Some(year) => {
                        d.target_mut()
                            .get_or_insert(TargetDef {
                                year,
                                value: Decimal::ZERO,
                                comparator: None,
                                source: None,
                                confidence: None,
                                note: None,
                            })
                            .year = year
                    }
                    None => *d.target_mut() = None,
                }
            },
        },
        FieldSpec {
            name: "target.value",
            input: Text,
            get: |d| tg(d, |t| s(plain(t.value))),
            set: |d, a| {
                if !a.any(&TARGET_FIELDS) {
                    return;
                }
                let (unit, decimals) = d.scale();
                let value = a.decimal(unit, decimals);
                if value.is_none() && !a.failed() {
                    a.fail(t("admin-err-target-value"));
                }
                match (value, d.target_mut()) {
                    (Some(v), Some(target)) => target.value = v,
                    (_, target) => *target = None,
                }
            },
        },
        f("target.comparator", select(Codes::Comparator, true), |d| tg(d, |t| o(&t.comparator)), |d, a| if let Some(t) = d.target_mut() { t.comparator = a.opt_parse("admin-err-choose") }),
        f("target.source", Text, |d| tg(d, |t| o(&t.source)), |d, a| if let Some(t) = d.target_mut() { t.source = a.opt_text(SOURCE_MAX) }),
        f("target.confidence", CONFIDENCE, |d| tg(d, |t| o(&t.confidence)), |d, a| if let Some(t) = d.target_mut() { t.confidence = a.opt_parse("admin-err-choose") }),
        f("target.note", Area, |d| tg(d, |t| o(&t.note)), |d, a| if let Some(t) = d.target_mut() { t.note = a.opt_text(NOTE_MAX) }),
    ]
}

/// The fields of an indicator's target, in the form's order. A target is read when any of them
/// is typed: all at once (by `target.year`), since what a field means depends on the kind.
pub(super) const INDICATOR_TARGET_FIELDS: [&str; 15] = [
    "target.year",
    "target.kind",
    "target.value",
    "target.comparator",
    "target.min",
    "target.max",
    "target.indicator",
    "target.tolerance",
    "target.every_year",
    "target.wording_zh",
    "target.wording_en",
    "target.source",
    "target.confidence",
    "target.note",
    "measure",
];

/// A part of an indicator's target as shown, from its flat fields: nothing without a target.
fn itg(d: &IndicatorDef, part: fn(&TargetFields) -> Option<String>) -> Option<String> {
    d.target
        .clone()
        .map(TargetFields::from)
        .as_ref()
        .and_then(part)
}

/// Reads every field of an indicator's target and checks that they make a target of the kind
/// chosen; a problem is kept at the field it is about.
fn read_indicator_target(d: &mut IndicatorDef, a: &mut At) {
    let typed = &INDICATOR_TARGET_FIELDS[..INDICATOR_TARGET_FIELDS.len() - 1];
    if !a.any(typed) {
        d.target = None;
        return;
    }
    let (unit, measure, decimals) = (d.unit, d.measure, d.decimals);
    let Some(year) = a.parse::<i32>("admin-err-year") else {
        d.target = None;
        return;
    };
    let kind: TargetKind = a
        .at("target.kind")
        .opt_parse("admin-err-choose")
        .unwrap_or_default();
    // A change (compounded, over the baseline) may be negative and is not a share.
    let value_measure = match kind {
        TargetKind::Cumulative | TargetKind::Increase => Measure::Growth,
        _ => measure,
    };
    let fields = TargetFields {
        year,
        kind,
        value: a.at("target.value").measured(unit, value_measure, decimals),
        comparator: a.at("target.comparator").opt_parse("admin-err-choose"),
        min: a.at("target.min").measured(unit, measure, decimals),
        max: a.at("target.max").measured(unit, measure, decimals),
        indicator: a.at("target.indicator").opt_text(80),
        tolerance: a.at("target.tolerance").opt_parse("admin-err-number"),
        every_year: a.at("target.every_year").raw() == "true",
        wording_zh: a.at("target.wording_zh").opt_text(LINE_MAX),
        wording_en: a.at("target.wording_en").opt_text(LINE_MAX),
        source: a.at("target.source").opt_text(SOURCE_MAX),
        confidence: a.at("target.confidence").opt_parse("admin-err-choose"),
        note: a.at("target.note").opt_text(NOTE_MAX),
    };
    let checked = Target::try_from(fields).and_then(|t| {
        t.rule.check_measure(measure)?;
        Ok(t)
    });
    d.target = match checked {
        Ok(t) => Some(t),
        Err(e) => {
            let (field, message) = target_problem(&e);
            a.at(field).fail(message);
            None
        }
    };
}

/// Where a target's problem is shown, and what it says in the reader's language.
fn target_problem(e: &TargetError) -> (&'static str, String) {
    let kind_label = |k: &TargetKind| t(&format!("target-kind-{k}"));
    match e {
        TargetError::Missing { kind, field } => (
            target_field(field),
            t1("admin-err-target-missing", "kind", kind_label(kind)),
        ),
        TargetError::NotTaken { kind, field } => (
            target_field(field),
            t1("admin-err-target-not-taken", "kind", kind_label(kind)),
        ),
        TargetError::Comparator { kind, .. } => (
            "target.comparator",
            t1("admin-err-target-comparator", "kind", kind_label(kind)),
        ),
        TargetError::RangeReversed => ("target.max", t("admin-err-target-range")),
        TargetError::NegativeTolerance => ("target.tolerance", t("admin-err-target-tolerance")),
        TargetError::NoWording => ("target.wording_zh", t("admin-err-target-wording")),
        TargetError::CumulativeOfLevel => ("target.kind", t("admin-err-target-cumulative")),
    }
}

fn target_field(field: &str) -> &'static str {
    INDICATOR_TARGET_FIELDS
        .iter()
        .find(|f| f.strip_prefix("target.") == Some(field))
        .copied()
        .unwrap_or("target.kind")
}

/// A part of the baseline as shown: nothing when there is no baseline.
fn bl(d: &IndicatorDef, part: fn(&BaselineDef) -> Option<String>) -> Option<String> {
    d.baseline.as_ref().and_then(part)
}

impl Record for IndicatorDef {
    #[rustfmt::skip]
    const FIELDS: &'static [&'static [FieldSpec<Self>]] = &[
        &[
            f("code", Key, |d| s(&d.code), |d, a| d.code = a.text(80)),
            f("group", select(Codes::Groups, false), |d| s(&d.group), |d, a| d.group = a.text(80)),
            f("name_zh", Text, |d| s(&d.name_zh), |d, a| d.name_zh = a.text(LINE_MAX)),
            f("name_en", Text, |d| s(&d.name_en), |d, a| d.name_en = a.text(LINE_MAX)),
            f("unit", select(Codes::Unit, false), |d| s(d.unit), |d, a| d.unit = a.parse("admin-err-choose").unwrap_or(UnitKind::Amount)),
            f("unit_zh", Text, |d| s(&d.unit_zh), |d, a| d.unit_zh = a.opt_text(LINE_MAX).unwrap_or_default()),
            f("unit_en", Text, |d| s(&d.unit_en), |d, a| d.unit_en = a.opt_text(LINE_MAX).unwrap_or_default()),
            f("decimals", Text, |d| s(d.decimals), |d, a| d.decimals = a.parse("admin-err-decimals").unwrap_or(0)),
            f("direction", select(Codes::Direction, false), |d| s(d.direction), |d, a| d.direction = a.parse("admin-err-choose").unwrap_or(Direction::Higher)),
            f("measure", select(Codes::Measure, false), |d| s(d.measure), |d, a| d.measure = a.opt_parse("admin-err-choose").unwrap_or_default()),
            f("nature", select(Codes::Nature, true), |d| o(&d.nature), |d, a| d.nature = a.opt_parse("admin-err-choose")),
            f("definition_zh", Area, |d| o(&d.definition_zh), |d, a| d.definition_zh = a.opt_text(TEXT_MAX)),
            f("definition_en", Area, |d| o(&d.definition_en), |d, a| d.definition_en = a.opt_text(TEXT_MAX)),
            f("source", Area, |d| o(&d.source), |d, a| d.source = a.opt_text(TEXT_MAX)),
            f("confidence", CONFIDENCE, |d| o(&d.confidence), |d, a| d.confidence = a.opt_parse("admin-err-choose")),
            f("note", Area, |d| o(&d.note), |d, a| d.note = a.opt_text(TEXT_MAX)),
            f("predecessor", Text, |d| o(&d.predecessor), |d, a| d.predecessor = a.opt_text(170)),
            f("plausible_min", Text, |d| o(&d.plausible_min.map(plain)), |d, a| d.plausible_min = a.measured(d.unit, Measure::Growth, d.decimals)),
            f("plausible_max", Text, |d| o(&d.plausible_max.map(plain)), |d, a| d.plausible_max = a.measured(d.unit, Measure::Growth, d.decimals)),
            // A baseline is read when any of its fields is typed; without a year the rest is
            // not read (its value is, to say what is wrong with it).
            FieldSpec {
                name: "baseline.year",
                input: Text,
                get: |d| bl(d, |b| s(b.year)),
                set: |d, a| {
                    d.baseline = if a.any(&BASELINE_FIELDS) {
                        a.parse::<i32>("admin-err-year").map(|year| BaselineDef {
                            year,
                            value: None,
                            source: None,
                            confidence: None,
                            note: None,
                        })
                    } else {
                        None
                    }
                },
            },
            FieldSpec {
                name: "baseline.value",
                input: Text,
                get: |d| bl(d, |b| o(&b.value.map(plain))),
                set: |d, a| {
                    if a.any(&BASELINE_FIELDS) {
                        let value = a.measured(d.unit, d.measure, d.decimals);
                        if let Some(b) = &mut d.baseline {
                            b.value = value;
                        }
                    }
                },
            },
            f("baseline.source", Text, |d| bl(d, |b| o(&b.source)), |d, a| if let Some(b) = &mut d.baseline { b.source = a.opt_text(SOURCE_MAX) }),
            f("baseline.confidence", CONFIDENCE, |d| bl(d, |b| o(&b.confidence)), |d, a| if let Some(b) = &mut d.baseline { b.confidence = a.opt_parse("admin-err-choose") }),
            f("baseline.note", Area, |d| bl(d, |b| o(&b.note)), |d, a| if let Some(b) = &mut d.baseline { b.note = a.opt_text(NOTE_MAX) }),
        ],
        &[
            f("target.year", Text, |d| itg(d, |t| s(t.year)), read_indicator_target),
            f("target.kind", select(Codes::TargetKind, false), |d| itg(d, |t| s(t.kind)), |_, _| {}),
            f("target.value", Text, |d| itg(d, |t| o(&t.value.map(plain))), |_, _| {}),
            f("target.comparator", select(Codes::TargetComparator, true), |d| itg(d, |t| o(&t.comparator)), |_, _| {}),
            f("target.min", Text, |d| itg(d, |t| o(&t.min.map(plain))), |_, _| {}),
            f("target.max", Text, |d| itg(d, |t| o(&t.max.map(plain))), |_, _| {}),
            f("target.indicator", select(Codes::Indicators, true), |d| itg(d, |t| o(&t.indicator)), |_, _| {}),
            f("target.tolerance", Text, |d| itg(d, |t| o(&t.tolerance.map(plain))), |_, _| {}),
            f("target.every_year", select(Codes::YesNo, false), |d| itg(d, |t| s(t.every_year)), |_, _| {}),
            f("target.wording_zh", Text, |d| itg(d, |t| o(&t.wording_zh)), |_, _| {}),
            f("target.wording_en", Text, |d| itg(d, |t| o(&t.wording_en)), |_, _| {}),
            f("target.source", Text, |d| itg(d, |t| o(&t.source)), |_, _| {}),
            f("target.confidence", CONFIDENCE, |d| itg(d, |t| o(&t.confidence)), |_, _| {}),
            f("target.note", Area, |d| itg(d, |t| o(&t.note)), |_, _| {}),
        ],
        &[FieldSpec {
            name: "national_average",
            input: Area,
            get: |d| s(national_lines(&d.observations)),
            set: |d, a| {
                // The indicator's own figures stay as they are: they are entered and reviewed
                // through the entry forms, not here.
                let national = national_average(a, d.unit, d.decimals);
                d.observations
                    .retain(|o| o.kind != ObservationKind::NationalAverage);
                d.observations.extend(national);
            },
        }],
    ];

    fn blank(key: &str) -> Self {
        IndicatorDef {
            code: key.to_owned(),
            group: String::new(),
            name_zh: String::new(),
            name_en: String::new(),
            unit: UnitKind::Amount,
            unit_zh: String::new(),
            unit_en: String::new(),
            decimals: 0,
            direction: Direction::Higher,
            measure: Measure::Level,
            nature: None,
            definition_zh: None,
            definition_en: None,
            source: None,
            confidence: None,
            note: None,
            predecessor: None,
            plausible_min: None,
            plausible_max: None,
            baseline: None,
            target: None,
            observations: Vec::new(),
        }
    }

    fn key(&self) -> &str {
        &self.code
    }
}

impl Record for ProgrammeDef {
    #[rustfmt::skip]
    const FIELDS: &'static [&'static [FieldSpec<Self>]] = &[
        &[
            f("slug", Key, |d| s(&d.slug), |d, a| d.slug = a.text(80)),
            f("name_zh", Text, |d| s(&d.name_zh), |d, a| d.name_zh = a.text(LINE_MAX)),
            f("name_en", Text, |d| s(&d.name_en), |d, a| d.name_en = a.text(LINE_MAX)),
            f("description_zh", Area, |d| o(&d.description_zh), |d, a| d.description_zh = a.opt_text(TEXT_MAX)),
            f("description_en", Area, |d| o(&d.description_en), |d, a| d.description_en = a.opt_text(TEXT_MAX)),
            f("indicator", select(Codes::Indicators, true), |d| o(&d.indicator), |d, a| d.indicator = a.opt_text(80)),
            f("unit_zh", Text, |d| s(&d.unit_zh), |d, a| d.unit_zh = a.opt_text(LINE_MAX).unwrap_or_default()),
            f("unit_en", Text, |d| s(&d.unit_en), |d, a| d.unit_en = a.opt_text(LINE_MAX).unwrap_or_default()),
        ],
        &target_fields::<ProgrammeDef>(),
        &[
            f("source", Area, |d| o(&d.source), |d, a| d.source = a.opt_text(TEXT_MAX)),
            f("confidence", CONFIDENCE, |d| o(&d.confidence), |d, a| d.confidence = a.opt_parse("admin-err-choose")),
        ],
    ];

    fn blank(key: &str) -> Self {
        ProgrammeDef {
            slug: key.to_owned(),
            name_zh: String::new(),
            name_en: String::new(),
            description_zh: None,
            description_en: None,
            indicator: None,
            unit_zh: String::new(),
            unit_en: String::new(),
            target: None,
            source: None,
            confidence: None,
            count_from_items: None,
            counts: Vec::new(),
            items: Vec::new(),
        }
    }

    fn key(&self) -> &str {
        &self.slug
    }
}

/// A national average series as typed: one line per year, `year | value | source | confidence | note`.
pub(super) fn national_lines(observations: &[ObservationDef]) -> String {
    observations
        .iter()
        .filter(|o| o.kind == ObservationKind::NationalAverage)
        .map(|o| {
            let mut line = format!(
                "{} | {} | {} | {}",
                o.year,
                plain(o.value),
                o.source,
                o.confidence.as_str()
            );
            if let Some(n) = &o.note {
                line.push_str(" | ");
                line.push_str(n);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, message};

    /// Ids built at run time (a label per field, a title per kind of record) exist in both
    /// catalogues: the catalogue test only sees ids written out in the code.
    #[test]
    fn every_message_id_built_from_a_name_exists() {
        let mut ids = vec![
            "admin-field-reason".to_owned(),
            "admin-hint-national-average".to_owned(),
            "admin-hint-predecessor".to_owned(),
            "admin-hint-decimals".to_owned(),
        ];
        for part in Part::ALL {
            for (name, _, _) in spec(part, None, true) {
                ids.push(format!("admin-field-{}", ident(name)));
            }
        }
        for what in ["group", "indicator", "programme"] {
            ids.push(format!("admin-new-{what}"));
            ids.push(format!("admin-edit-{what}"));
        }
        for outcome in ["new", "changed", "amended", "unchanged", "kept"] {
            ids.push(format!("admin-outcome-{outcome}"));
        }
        for entity in [
            "plan",
            "group",
            "indicator",
            "programme",
            "item",
            "figure",
            "target",
        ] {
            ids.push(format!("admin-entity-{entity}"));
        }
        for lang in Lang::ALL {
            for id in &ids {
                assert_ne!(
                    &message(lang, id, None),
                    id,
                    "{id} missing in {}",
                    lang.key()
                );
            }
        }
    }
}
