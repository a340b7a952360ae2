//! The seed file: one plan's definitions and published figures in TOML, written by people.
//! `seeds/README.md` documents every field. Parsing checks the file as a whole and reports
//! every problem with the place it was found, so a person can fix them in one pass.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashSet;
use std::str::FromStr;

use super::plan::{
    Comparator, Confidence, Direction, ItemStatus, Method, Nature, ObservationKind, UnitKind,
};
use super::target::{Measure, Target, TargetRule};
use super::time_progress::Factors;
use super::value;

/// The only format version this build reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, deserialize_with = "date")]
    pub issued_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "date")]
    pub published_on: Option<NaiveDate>,
    pub summary_zh: Option<String>,
    pub summary_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    /// The method that gives the headline status (Open SDG when left out).
    #[serde(default, skip_serializing_if = "is_default")]
    pub method: Method,
    /// The time-progress method's two factors: p ≥ `ahead_factor`·t is ahead of schedule,
    /// p < `behind_factor`·t lagging (1.2 and 0.8 when left out).
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub ahead_factor: Option<Decimal>,
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub behind_factor: Option<Decimal>,
}

impl PlanDef {
    /// The time-progress factors the plan sets, or the defaults.
    pub fn factors(&self) -> Factors {
        let default = Factors::default();
        Factors {
            ahead: self.ahead_factor.unwrap_or(default.ahead),
            behind: self.behind_factor.unwrap_or(default.behind),
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
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
    /// The most decimals a value may have.
    pub decimals: u8,
    pub direction: Direction,
    /// A level (the default), or a yearly growth or reduction rate in % that may be negative.
    #[serde(default, skip_serializing_if = "is_default")]
    pub measure: Measure,
    pub nature: Option<Nature>,
    pub definition_zh: Option<String>,
    pub definition_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
    /// The same indicator in an earlier plan, as `plan-slug/indicator-code`: its figures
    /// continue this one's series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<String>,
    /// Bounds a value is expected within: outside them it is questioned (never refused).
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub plausible_min: Option<Decimal>,
    #[serde(default, with = "exact_opt", skip_serializing_if = "Option::is_none")]
    pub plausible_max: Option<Decimal>,
    pub baseline: Option<BaselineDef>,
    pub target: Option<Target>,
    #[serde(default, rename = "observation")]
    pub observations: Vec<ObservationDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineDef {
    pub year: i32,
    #[serde(default, with = "exact_opt")]
    pub value: Option<Decimal>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    pub year: i32,
    #[serde(with = "exact")]
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
    #[serde(with = "exact")]
    pub value: Decimal,
    #[serde(default = "actual")]
    pub kind: ObservationKind,
    pub source: String,
    pub confidence: Confidence,
    pub note: Option<String>,
    #[serde(default, with = "exact_opt")]
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
    #[serde(with = "exact")]
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

    /// The file as TOML text that [`SeedFile::parse`] reads back to the same definitions and
    /// figures: numbers bare (exact decimals as text only where a float cannot hold them),
    /// dates as TOML dates, unknown fields left out.
    pub fn to_toml(&self) -> String {
        let json = serde_json::to_value(self).expect("a seed file serializes");
        let Some(toml::Value::Table(mut table)) = json_to_toml(json, None) else {
            unreachable!("a seed file is a table")
        };
        // In the order a person writes them: the plan, its headings, indicators, programmes.
        let mut out = String::new();
        for key in ["format", "plan", "group", "indicator", "programme"] {
            if let Some(value) = table.remove(key) {
                // An empty list written after the tables would read as a field of the last one.
                if value.as_array().is_some_and(|a| a.is_empty()) {
                    continue;
                }
                let mut one = toml::Table::new();
                one.insert(key.to_owned(), value);
                out.push_str(&toml::to_string(&one).expect("a seed file is valid TOML"));
                out.push('\n');
            }
        }
        out
    }

    pub fn indicator(&self, code: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|i| i.code == code)
    }

    fn problems(&self) -> Vec<String> {
        self.check().into_iter().map(|p| p.text).collect()
    }

    /// Every problem of the file, each with the record and field it is about, so that a form
    /// can show it at the input that caused it.
    pub fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let plan = &self.plan;
        let on_plan = |field: &'static str| Scope::Plan.at(field);
        if self.format != FORMAT {
            out.push(Scope::File.at("format").says(msg(
                "seed-format",
                &[
                    ("expected", FORMAT.to_string()),
                    ("found", self.format.to_string()),
                ],
            )));
        }
        check_slug(&mut out, on_plan("slug"), "plan.slug", &plan.slug);
        if plan.title_zh.trim().is_empty() {
            out.push(on_plan("title_zh").says(msg("seed-plan-titles", &[])));
        }
        if plan.title_en.trim().is_empty() {
            out.push(on_plan("title_en").says(msg("seed-plan-titles", &[])));
        }
        if plan.start_year > plan.end_year {
            out.push(on_plan("end_year").says(msg("seed-plan-start-after-end", &[])));
        }
        if plan.baseline_year >= plan.start_year {
            out.push(on_plan("baseline_year").says(msg("seed-plan-baseline-year", &[])));
        }
        if plan.vision_year.is_some_and(|v| v < plan.end_year) {
            out.push(on_plan("vision_year").says(msg("seed-plan-vision-year", &[])));
        }
        let factors = plan.factors();
        if factors.behind <= Decimal::ZERO || factors.behind > factors.ahead {
            out.push(on_plan("behind_factor").says(msg("seed-plan-factors", &[])));
        }
        for (field, year) in [
            ("start_year", plan.start_year),
            ("end_year", plan.end_year),
            ("baseline_year", plan.baseline_year),
        ] {
            check_year(&mut out, on_plan(field), "plan", year);
        }

        let mut groups = HashSet::new();
        for g in &self.groups {
            let on = |field: &'static str| Scope::Group(g.code.clone()).at(field);
            check_slug(
                &mut out,
                on("code"),
                &format!("group {:?}: code", g.code),
                &g.code,
            );
            if !groups.insert(g.code.as_str()) {
                out.push(on("code").says(msg(
                    "seed-used-twice",
                    &[
                        ("at", format!("group {:?}", g.code)),
                        ("what", "code".into()),
                    ],
                )));
            }
            if g.name_zh.trim().is_empty() || g.name_en.trim().is_empty() {
                let field = if g.name_zh.trim().is_empty() {
                    "name_zh"
                } else {
                    "name_en"
                };
                out.push(on(field).says(msg(
                    "seed-names-required",
                    &[("at", format!("group {:?}", g.code))],
                )));
            }
        }

        let mut codes = HashSet::new();
        let all_codes: HashSet<&str> = self.indicators.iter().map(|i| i.code.as_str()).collect();
        for ind in &self.indicators {
            let at = format!("indicator {:?}", ind.code);
            let on = |field: &'static str| Scope::Indicator(ind.code.clone()).at(field);
            check_slug(&mut out, on("code"), &format!("{at}: code"), &ind.code);
            if !codes.insert(ind.code.as_str()) {
                out.push(on("code").says(msg(
                    "seed-used-twice",
                    &[("at", at.clone()), ("what", "code".into())],
                )));
            }
            if !groups.contains(ind.group.as_str()) {
                out.push(on("group").says(msg(
                    "seed-unknown-group",
                    &[("at", at.clone()), ("group", format!("{:?}", ind.group))],
                )));
            }
            if ind.name_zh.trim().is_empty() || ind.name_en.trim().is_empty() {
                let field = if ind.name_zh.trim().is_empty() {
                    "name_zh"
                } else {
                    "name_en"
                };
                out.push(on(field).says(msg("seed-names-required", &[("at", at.clone())])));
            }
            if ind.decimals > 6 {
                out.push(on("decimals").says(msg("seed-decimals", &[("at", at.clone())])));
            }
            if let Some(p) = &ind.predecessor {
                match p.split_once('/') {
                    Some((slug, code)) if !slug.is_empty() && !code.is_empty() => {
                        if slug == plan.slug {
                            out.push(on("predecessor").says(msg(
                                "seed-predecessor-same-plan",
                                &[("at", at.clone()), ("predecessor", format!("{p:?}"))],
                            )));
                        }
                    }
                    _ => out.push(on("predecessor").says(msg(
                        "seed-predecessor-form",
                        &[("at", at.clone()), ("predecessor", format!("{p:?}"))],
                    ))),
                }
            }
            let decimals = u32::from(ind.decimals.min(6));
            let check_value = |out: &mut Vec<Problem>, field: Place, what: &str, v: Decimal| {
                if let Err(e) = value::check_measured(ind.unit, ind.measure, decimals, v) {
                    out.push(field.says(value_problem(&at, what, v, &e)));
                }
            };
            if let Some(v) = ind.baseline.as_ref().and_then(|b| b.value) {
                check_value(&mut out, on("baseline.value"), "baseline", v);
            }
            if let (Some(min), Some(max)) = (ind.plausible_min, ind.plausible_max)
                && min > max
            {
                out.push(on("plausible_max").says(msg("seed-plausible", &[("at", at.clone())])));
            }
            if let Some(t) = &ind.target {
                if let Err(e) = t.rule.check_measure(ind.measure) {
                    out.push(on("target.kind").says(format!("{at}: {e}")));
                }
                match &t.rule {
                    TargetRule::Level { value, .. } | TargetRule::Average { value, .. } => {
                        check_value(&mut out, on("target.value"), "target", *value);
                    }
                    TargetRule::Range { min, max } => {
                        check_value(&mut out, on("target.min"), "target", *min);
                        check_value(&mut out, on("target.max"), "target", *max);
                    }
                    // A change (compounded, or over the baseline) may be negative and is not
                    // a share: only its decimals are the indicator's.
                    TargetRule::Cumulative { value, .. } | TargetRule::Increase { value } => {
                        if let Err(e) =
                            value::check_measured(ind.unit, Measure::Growth, decimals, *value)
                        {
                            out.push(
                                on("target.value").says(value_problem(&at, "target", *value, &e)),
                            );
                        }
                    }
                    TargetRule::Relative { indicator, .. } => {
                        if !all_codes.contains(indicator.as_str()) || *indicator == ind.code {
                            out.push(on("target.indicator").says(msg(
                                "seed-unknown-indicator",
                                &[("at", at.clone()), ("indicator", format!("{indicator:?}"))],
                            )));
                        }
                    }
                    TargetRule::Text => {}
                }
            }
            let mut seen = HashSet::new();
            for o in &ind.observations {
                let field = match o.kind {
                    ObservationKind::NationalAverage => "national_average",
                    _ => "observation",
                };
                check_value(
                    &mut out,
                    on(field),
                    &format!("observation {}", o.year),
                    o.value,
                );
                if let Some(first) = o.revised_from {
                    check_value(
                        &mut out,
                        on(field),
                        &format!("observation {} revised_from", o.year),
                        first,
                    );
                }
                if !seen.insert((o.year, o.kind)) {
                    out.push(on(field).says(msg(
                        "seed-given-twice",
                        &[
                            ("at", at.clone()),
                            ("what", format!("observation {} ({})", o.year, o.kind)),
                        ],
                    )));
                }
            }
            if let Some(b) = &ind.baseline {
                check_year(&mut out, on("baseline.year"), &at, b.year);
            }
            if let Some(t) = &ind.target {
                check_year(&mut out, on("target.year"), &at, t.year);
            }
            for o in &ind.observations {
                let field = match o.kind {
                    ObservationKind::NationalAverage => "national_average",
                    _ => "observation",
                };
                check_year(&mut out, on(field), &at, o.year);
            }
        }

        let mut slugs = HashSet::new();
        for p in &self.programmes {
            let at = format!("programme {:?}", p.slug);
            let on = |field: &'static str| Scope::Programme(p.slug.clone()).at(field);
            check_slug(&mut out, on("slug"), &format!("{at}: slug"), &p.slug);
            if !slugs.insert(p.slug.as_str()) {
                out.push(on("slug").says(msg(
                    "seed-used-twice",
                    &[("at", at.clone()), ("what", "slug".into())],
                )));
            }
            if p.name_zh.trim().is_empty() || p.name_en.trim().is_empty() {
                let field = if p.name_zh.trim().is_empty() {
                    "name_zh"
                } else {
                    "name_en"
                };
                out.push(on(field).says(msg("seed-names-required", &[("at", at.clone())])));
            }
            if let Some(code) = &p.indicator {
                if !codes.contains(code.as_str()) {
                    out.push(on("indicator").says(msg(
                        "seed-unknown-indicator",
                        &[("at", at.clone()), ("indicator", format!("{code:?}"))],
                    )));
                }
                if !p.counts.is_empty() {
                    out.push(on("indicator").says(msg(
                        "seed-counts-from-indicator",
                        &[("at", at.clone()), ("indicator", format!("{code:?}"))],
                    )));
                }
            }
            if let Some(t) = &p.target {
                check_year(&mut out, on("target.year"), &at, t.year);
                if let Err(e) = value::check(UnitKind::Count, 0, t.value) {
                    out.push(on("target.value").says(value_problem(&at, "target", t.value, &e)));
                }
            }
            if let Some(status) = p.count_from_items {
                if p.indicator.is_some() {
                    out.push(on("count_from_items").says(msg(
                        "seed-counts-from-items-and-indicator",
                        &[("at", at.clone())],
                    )));
                }
                if !p.counts.is_empty() {
                    out.push(on("count_from_items").says(msg(
                        "seed-counts-from-items",
                        &[("at", at.clone()), ("status", status.to_string())],
                    )));
                }
            }
            let mut years = HashSet::new();
            for c in &p.counts {
                check_year(&mut out, on("count"), &at, c.year);
                if !years.insert(c.year) {
                    out.push(on("count").says(msg(
                        "seed-given-twice",
                        &[("at", at.clone()), ("what", format!("count {}", c.year))],
                    )));
                }
                if let Err(e) = value::check(UnitKind::Count, 0, c.value) {
                    let what = format!("count {}", c.year);
                    out.push(on("count").says(value_problem(&at, &what, c.value, &e)));
                }
            }
            let mut keys = HashSet::new();
            for item in &p.items {
                check_slug(&mut out, on("item"), &format!("{at}: item key"), &item.key);
                if !keys.insert(item.key.as_str()) {
                    out.push(on("item").says(msg(
                        "seed-given-twice",
                        &[("at", at.clone()), ("what", format!("item {:?}", item.key))],
                    )));
                }
            }
        }
        out
    }
}

/// Which record of a seed file a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    File,
    Plan,
    Group(String),
    Indicator(String),
    Programme(String),
}

impl Scope {
    fn at(self, field: &'static str) -> Place {
        Place { scope: self, field }
    }
}

/// A field of a record of a seed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub scope: Scope,
    /// The field's name in the file, e.g. `target.value`.
    pub field: &'static str,
}

impl Place {
    fn says(self, text: impl Into<String>) -> Problem {
        Problem {
            place: self,
            text: text.into(),
        }
    }
}

/// One problem of a seed file: where it is, and what is wrong, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub text: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A problem's text in the reader's language (English outside requests, so the command line
/// and its tests read English). Arguments are passed as text, so years are never grouped.
pub fn msg(id: &str, args: &[(&str, String)]) -> String {
    let mut fluent = fluent_bundle::FluentArgs::new();
    for (name, value) in args {
        fluent.set(
            name.to_string(),
            fluent_bundle::FluentValue::from(value.clone()),
        );
    }
    crate::i18n::message(crate::i18n::Lang::current(), id, Some(&fluent))
}

fn value_problem(at: &str, what: &str, value: Decimal, e: &value::ValueError) -> String {
    msg(
        "seed-value",
        &[
            ("at", at.to_owned()),
            ("what", what.to_owned()),
            ("value", value.to_string()),
            ("problem", e.to_string()),
        ],
    )
}

fn check_slug(out: &mut Vec<Problem>, place: Place, at: &str, slug: &str) {
    let ok = (1..=80).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    if !ok {
        out.push(place.says(msg(
            "seed-slug",
            &[("at", at.to_owned()), ("slug", format!("{slug:?}"))],
        )));
    }
}

fn check_year(out: &mut Vec<Problem>, place: Place, at: &str, year: i32) {
    if !(1900..=2200).contains(&year) {
        out.push(place.says(msg(
            "seed-year-range",
            &[("at", at.to_owned()), ("year", year.to_string())],
        )));
    }
}

/// Converts a JSON value of a seed file to TOML: `null`s are left out; numbers become integers
/// or floats when that keeps their exact value, else text (which the reader accepts); the
/// plan's dates become TOML dates.
fn json_to_toml(value: serde_json::Value, key: Option<&str>) -> Option<toml::Value> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => return None,
        J::Bool(b) => toml::Value::Boolean(b),
        J::Number(n) => {
            let text = n.to_string();
            match Decimal::from_str(&text) {
                Ok(d) => decimal_to_toml(d),
                Err(_) => toml::Value::String(text),
            }
        }
        J::String(s) if matches!(key, Some("issued_on" | "published_on")) => {
            match s.parse::<toml::value::Datetime>() {
                Ok(d) => toml::Value::Datetime(d),
                Err(_) => toml::Value::String(s),
            }
        }
        J::String(s) => toml::Value::String(s),
        J::Array(items) => toml::Value::Array(
            items
                .into_iter()
                .filter_map(|v| json_to_toml(v, None))
                .collect(),
        ),
        J::Object(map) => toml::Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| json_to_toml(v, Some(&k)).map(|v| (k, v)))
                .collect(),
        ),
    })
}

/// A number as TOML writes it with the digits it was published with: an integer, a float
/// when the float's shortest spelling is those digits (`6.87`), otherwise text (`"2.60"`).
fn decimal_to_toml(d: Decimal) -> toml::Value {
    if d.scale() == 0
        && let Ok(i) = i64::try_from(d)
    {
        return toml::Value::Integer(i);
    }
    let f: f64 = d.to_string().parse().unwrap_or(f64::NAN);
    if f.is_finite() && f.to_string() == d.to_string() {
        toml::Value::Float(f)
    } else {
        toml::Value::String(d.to_string())
    }
}

/// A number written as a TOML integer, float or string, or as an exact JSON number. Floats go
/// through their shortest decimal spelling, so `2.6` becomes exactly 2.6 and never
/// 2.6000000000000000888.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
    Text(String),
    /// A JSON number with all its digits (serde_json's arbitrary precision).
    Exact(serde_json::Number),
}

impl TryFrom<Number> for Decimal {
    type Error = String;
    fn try_from(n: Number) -> Result<Decimal, String> {
        let text = match n {
            Number::Int(i) => return Ok(Decimal::from(i)),
            Number::Float(f) if f.is_finite() => f.to_string(),
            Number::Float(f) => return Err(format!("{f} is not a number")),
            Number::Text(s) => s,
            Number::Exact(n) => {
                let text = n.to_string();
                return Decimal::from_str_exact(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .map_err(|_| format!("{text} is not a decimal number"));
            }
        };
        Decimal::from_str(text.trim()).map_err(|_| format!("{text:?} is not a decimal number"))
    }
}

/// Exact decimals in every file shape of the definitions: written as a number with the digits it
/// was published with (a JSON number; a TOML integer, float or text, see
/// [`SeedFile::to_toml`]), read from any of the spellings of [`Number`].
pub mod exact {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::Error as _};

    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let n: serde_json::Number = v.to_string().parse().map_err(S::Error::custom)?;
        n.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        Decimal::try_from(super::Number::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// [`exact`] for a value that may be missing.
pub mod exact_opt {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => super::exact::serialize(v, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<super::Number>::deserialize(d)?
            .map(Decimal::try_from)
            .transpose()
            .map_err(serde::de::Error::custom)
    }
}

/// A plain date: a TOML date in a seed file, `"YYYY-MM-DD"` text in JSON.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    use serde::de::{self, MapAccess, Visitor, value::MapAccessDeserializer};
    struct PlainDate;
    impl<'de> Visitor<'de> for PlainDate {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a plain date (YYYY-MM-DD)")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(PlainDate)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            s.parse::<NaiveDate>()
                .map(Some)
                .map_err(|_| E::custom(format!("{s} is not a plain date (YYYY-MM-DD)")))
        }
        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
            let dt = toml::value::Datetime::deserialize(MapAccessDeserializer::new(map))?;
            let (Some(date), None) = (dt.date, dt.time) else {
                return Err(de::Error::custom(format!(
                    "{dt} is not a plain date (YYYY-MM-DD)"
                )));
            };
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{dt} is not a valid date")))
        }
    }
    d.deserialize_option(PlainDate)
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
        let target = rd.target.as_ref().unwrap();
        assert_eq!(
            target.rule,
            TargetRule::Level {
                value: "2.6".parse().unwrap(),
                comparator: Some(crate::domain::target::TargetComparator::Ge)
            }
        );
        assert_eq!(target.rule.level_value(None).unwrap().to_string(), "2.6");
        assert_eq!(rd.observations[0].value.to_string(), "2.16");
        assert_eq!(rd.observations[0].kind, ObservationKind::Actual);
        assert_eq!(seed.plan.issued_on, NaiveDate::from_ymd_opt(2022, 1, 5));
    }

    /// The JSON export and the seed file share these types: dates and exact decimals read
    /// back the same from either shape.
    #[test]
    fn definitions_read_the_same_from_json_and_from_toml() {
        let seed = SeedFile::parse(MINIMAL).unwrap();
        let json = serde_json::to_string(&seed.plan).unwrap();
        assert!(json.contains("\"issued_on\":\"2022-01-05\""), "{json}");
        let back: PlanDef = serde_json::from_str(&json).unwrap();
        assert_eq!(back, seed.plan);
        let rd = seed.indicator("rd").unwrap();
        let json = serde_json::to_string(&rd.target).unwrap();
        assert!(json.contains("\"value\":2.6,"), "{json}");
        let exact = json.replace("2.6", "12345678901234567.8901");
        let target: Target = serde_json::from_str(&exact).unwrap();
        assert_eq!(
            target.rule.level_value(None).unwrap().to_string(),
            "12345678901234567.8901"
        );
        assert_eq!(serde_json::to_string(&target).unwrap(), exact);
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
    fn a_file_written_as_toml_reads_back_the_same() {
        for name in ["chongqing-sti-2021-2025", "example-district-2021-2025"] {
            let path = format!("{}/seeds/{name}.toml", env!("CARGO_MANIFEST_DIR"));
            let seed = SeedFile::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
            let text = seed.to_toml();
            let again = SeedFile::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(again, seed, "{text}");
        }
    }

    #[test]
    fn problems_name_the_field_they_are_about() {
        let text = MINIMAL.replace("value = 2.6,", "value = 260,");
        let seed: SeedFile = toml::from_str(&text).unwrap();
        let problems = seed.check();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].place.scope, Scope::Indicator("rd".into()));
        assert_eq!(problems[0].place.field, "target.value");
        let seed: SeedFile = toml::from_str(&MINIMAL.replace(
            "direction = \"higher\"",
            "direction = \"higher\"\npredecessor = \"demo/rd\"",
        ))
        .unwrap();
        assert_eq!(seed.check()[0].place.field, "predecessor");
    }

    #[tokio::test]
    async fn problems_are_told_in_the_readers_language() {
        let seed: SeedFile =
            toml::from_str(&MINIMAL.replace("baseline_year = 2020", "baseline_year = 2021"))
                .unwrap();
        let zh = crate::i18n::Lang::Zh.scope(async { seed.check() }).await;
        assert_eq!(zh[0].text, "plan：baseline_year 须早于 start_year");
        assert_eq!(
            seed.check()[0].text,
            "plan: baseline_year must come before start_year"
        );
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
