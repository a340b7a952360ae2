//! What each definition form shows: its inputs in order, with their labels and choices, and the
//! stored record as the values of those inputs.

use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::Part;
use crate::domain::plan::{Comparator, Confidence, Direction, Nature, ObservationKind, UnitKind};
use crate::domain::seed::{ObservationDef, SeedFile, TargetDef};
use crate::i18n::t;

/// What a person typed, by field name.
pub(super) type Values = BTreeMap<String, String>;

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

pub struct SummaryItem {
    pub href: String,
    pub text: String,
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

pub(super) const TARGET_FIELDS: [&str; 6] = [
    "target.year",
    "target.value",
    "target.comparator",
    "target.source",
    "target.confidence",
    "target.note",
];

/// One input of a form: its name, kind and choices.
pub(super) type FieldSpec = (&'static str, &'static str, Vec<(String, String)>);

/// The inputs of a form for `part`, in order.
pub(super) fn spec(part: Part, seed: Option<&SeedFile>, new: bool) -> Vec<FieldSpec> {
    let confidence: Vec<&str> = Confidence::ALL.iter().map(|c| c.as_str()).collect();
    let comparators: Vec<&str> = Comparator::ALL.iter().map(|c| c.as_str()).collect();
    let key_kind = if new { "text" } else { "fixed" };
    let text = |n: &'static str| (n, "text", Vec::new());
    let area = |n: &'static str| (n, "textarea", Vec::new());
    let target = |out: &mut Vec<FieldSpec>| {
        for n in TARGET_FIELDS {
            out.push(match n {
                "target.comparator" => (n, "select", options_of(&comparators, true)),
                "target.confidence" => (
                    n,
                    "select",
                    labelled_options(&confidence, true, "confidence"),
                ),
                "target.note" => (n, "textarea", Vec::new()),
                _ => (n, "text", Vec::new()),
            });
        }
    };
    match part {
        Part::Plan => vec![
            ("slug", key_kind, Vec::new()),
            text("title_zh"),
            text("title_en"),
            text("start_year"),
            text("end_year"),
            text("baseline_year"),
            text("vision_year"),
            (
                "default",
                "select",
                vec![
                    ("false".into(), t("admin-option-no")),
                    ("true".into(), t("admin-option-yes")),
                ],
            ),
            text("issuer_zh"),
            text("issuer_en"),
            text("document_number"),
            text("issued_on"),
            text("published_on"),
            area("summary_zh"),
            area("summary_en"),
            area("source"),
            (
                "confidence",
                "select",
                labelled_options(&confidence, true, "confidence"),
            ),
        ],
        Part::Group => vec![
            ("code", key_kind, Vec::new()),
            text("name_zh"),
            text("name_en"),
        ],
        Part::Indicator => {
            let groups: Vec<&str> = seed
                .map(|s| s.groups.iter().map(|g| g.code.as_str()).collect())
                .unwrap_or_default();
            let units: Vec<&str> = UnitKind::ALL.iter().map(|u| u.as_str()).collect();
            let directions: Vec<&str> = Direction::ALL.iter().map(|d| d.as_str()).collect();
            let natures: Vec<&str> = Nature::ALL.iter().map(|n| n.as_str()).collect();
            let mut out = vec![
                ("code", key_kind, Vec::new()),
                ("group", "select", options_of(&groups, false)),
                text("name_zh"),
                text("name_en"),
                ("unit", "select", options_of(&units, false)),
                text("unit_zh"),
                text("unit_en"),
                text("decimals"),
                (
                    "direction",
                    "select",
                    labelled_options(&directions, false, "direction"),
                ),
                (
                    "nature",
                    "select",
                    labelled_options(&natures, true, "nature"),
                ),
                area("definition_zh"),
                area("definition_en"),
                area("source"),
                (
                    "confidence",
                    "select",
                    labelled_options(&confidence, true, "confidence"),
                ),
                area("note"),
                text("predecessor"),
                text("baseline.year"),
                text("baseline.value"),
                text("baseline.source"),
                (
                    "baseline.confidence",
                    "select",
                    labelled_options(&confidence, true, "confidence"),
                ),
                area("baseline.note"),
            ];
            target(&mut out);
            out.push(area("national_average"));
            out
        }
        Part::Programme => {
            let indicators: Vec<&str> = seed
                .map(|s| s.indicators.iter().map(|i| i.code.as_str()).collect())
                .unwrap_or_default();
            let mut out = vec![
                ("slug", key_kind, Vec::new()),
                text("name_zh"),
                text("name_en"),
                area("description_zh"),
                area("description_en"),
                ("indicator", "select", options_of(&indicators, true)),
                text("unit_zh"),
                text("unit_en"),
            ];
            target(&mut out);
            out.push(area("source"));
            out.push((
                "confidence",
                "select",
                labelled_options(&confidence, true, "confidence"),
            ));
            out
        }
    }
}

pub(super) fn put(v: &mut Values, name: &str, value: impl ToString) {
    v.insert(name.to_owned(), value.to_string());
}

pub(super) fn put_opt<T: ToString>(v: &mut Values, name: &str, value: &Option<T>) {
    v.insert(
        name.to_owned(),
        value.as_ref().map(|x| x.to_string()).unwrap_or_default(),
    );
}

pub(super) fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

pub(super) fn target_values(v: &mut Values, target: &Option<TargetDef>) {
    if let Some(tg) = target {
        put(v, "target.year", tg.year);
        put(v, "target.value", plain(tg.value));
        put_opt(v, "target.comparator", &tg.comparator.map(|c| c.as_str()));
        put_opt(v, "target.source", &tg.source);
        put_opt(v, "target.confidence", &tg.confidence.map(|c| c.as_str()));
        put_opt(v, "target.note", &tg.note);
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

/// The stored record as form values; `None` when there is no such record.
pub(super) fn values_of(part: Part, seed: &SeedFile, key: &str) -> Option<Values> {
    let mut v = Values::new();
    match part {
        Part::Plan => {
            let p = &seed.plan;
            put(&mut v, "slug", &p.slug);
            put(&mut v, "title_zh", &p.title_zh);
            put(&mut v, "title_en", &p.title_en);
            put(&mut v, "start_year", p.start_year);
            put(&mut v, "end_year", p.end_year);
            put(&mut v, "baseline_year", p.baseline_year);
            put_opt(&mut v, "vision_year", &p.vision_year);
            put(&mut v, "default", p.default);
            put_opt(&mut v, "issuer_zh", &p.issuer_zh);
            put_opt(&mut v, "issuer_en", &p.issuer_en);
            put_opt(&mut v, "document_number", &p.document_number);
            put_opt(&mut v, "issued_on", &p.issued_on);
            put_opt(&mut v, "published_on", &p.published_on);
            put_opt(&mut v, "summary_zh", &p.summary_zh);
            put_opt(&mut v, "summary_en", &p.summary_en);
            put_opt(&mut v, "source", &p.source);
            put_opt(&mut v, "confidence", &p.confidence.map(|c| c.as_str()));
        }
        Part::Group => {
            let g = seed.groups.iter().find(|g| g.code == key)?;
            put(&mut v, "code", &g.code);
            put(&mut v, "name_zh", &g.name_zh);
            put(&mut v, "name_en", &g.name_en);
        }
        Part::Indicator => {
            let i = seed.indicator(key)?;
            put(&mut v, "code", &i.code);
            put(&mut v, "group", &i.group);
            put(&mut v, "name_zh", &i.name_zh);
            put(&mut v, "name_en", &i.name_en);
            put(&mut v, "unit", i.unit.as_str());
            put(&mut v, "unit_zh", &i.unit_zh);
            put(&mut v, "unit_en", &i.unit_en);
            put(&mut v, "decimals", i.decimals);
            put(&mut v, "direction", i.direction.as_str());
            put_opt(&mut v, "nature", &i.nature.map(|n| n.as_str()));
            put_opt(&mut v, "definition_zh", &i.definition_zh);
            put_opt(&mut v, "definition_en", &i.definition_en);
            put_opt(&mut v, "source", &i.source);
            put_opt(&mut v, "confidence", &i.confidence.map(|c| c.as_str()));
            put_opt(&mut v, "note", &i.note);
            put_opt(&mut v, "predecessor", &i.predecessor);
            if let Some(b) = &i.baseline {
                put(&mut v, "baseline.year", b.year);
                put_opt(&mut v, "baseline.value", &b.value.map(plain));
                put_opt(&mut v, "baseline.source", &b.source);
                put_opt(
                    &mut v,
                    "baseline.confidence",
                    &b.confidence.map(|c| c.as_str()),
                );
                put_opt(&mut v, "baseline.note", &b.note);
            }
            target_values(&mut v, &i.target);
            put(&mut v, "national_average", national_lines(&i.observations));
        }
        Part::Programme => {
            let p = seed.programmes.iter().find(|p| p.slug == key)?;
            put(&mut v, "slug", &p.slug);
            put(&mut v, "name_zh", &p.name_zh);
            put(&mut v, "name_en", &p.name_en);
            put_opt(&mut v, "description_zh", &p.description_zh);
            put_opt(&mut v, "description_en", &p.description_en);
            put_opt(&mut v, "indicator", &p.indicator);
            put(&mut v, "unit_zh", &p.unit_zh);
            put(&mut v, "unit_en", &p.unit_en);
            target_values(&mut v, &p.target);
            put_opt(&mut v, "source", &p.source);
            put_opt(&mut v, "confidence", &p.confidence.map(|c| c.as_str()));
        }
    }
    Some(v)
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
