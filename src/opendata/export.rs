//! The JSON export: one versioned document with a plan's definitions and its figures.
//!
//! The document is written the same way every time (fields in a fixed order, lists in the
//! plan's order, figures by year, kind and state, values with their exact digits and no
//! trailing zeros), so exporting, importing into an empty database and exporting again gives
//! the same bytes. It holds no revision history: the history is the record of the site where
//! the changes were made; an import records its own.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::plan::{
    Confidence, Direction, ItemStatus, Nature, ObservationKind, ObservationState, UnitKind,
};
use crate::report::PlanReport;
use crate::store::plans::Observation;

/// What the `format` field of every export says.
pub const FORMAT: &str = "plantrack-export";
/// The version of the document this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportDocument {
    pub format: String,
    pub version: u32,
    /// `published` (what the public sees) or `all` (drafts too).
    pub figures: String,
    pub plan: PlanJson,
    pub groups: Vec<GroupJson>,
    pub indicators: Vec<IndicatorJson>,
    pub programmes: Vec<ProgrammeJson>,
}

/// The plan's own facts, exactly as in a seed file.
pub type PlanJson = crate::domain::seed::PlanDef;

/// A heading, exactly as in a seed file.
pub type GroupJson = crate::domain::seed::GroupDef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorJson {
    pub code: String,
    pub group: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: UnitKind,
    pub unit_zh: String,
    pub unit_en: String,
    pub decimals: u8,
    pub direction: Direction,
    pub nature: Option<Nature>,
    pub definition_zh: Option<String>,
    pub definition_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
    pub baseline: Option<BaselineJson>,
    pub target: Option<TargetJson>,
    pub figures: Vec<FigureJson>,
}

/// A baseline, exactly as in a seed file.
pub type BaselineJson = crate::domain::seed::BaselineDef;

/// A target, exactly as in a seed file.
pub type TargetJson = crate::domain::seed::TargetDef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureJson {
    pub year: i32,
    pub kind: ObservationKind,
    pub state: ObservationState,
    #[serde(with = "crate::domain::seed::exact")]
    pub value: Decimal,
    pub source: String,
    pub confidence: Option<Confidence>,
    pub note: String,
    /// Why the figure moved and what is being done; left out when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentary: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeJson {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: Option<String>,
    pub description_en: Option<String>,
    /// The indicator whose figures are this programme's counts (then `counts` is empty).
    pub indicator: Option<String>,
    pub unit_zh: String,
    pub unit_en: String,
    pub target: Option<TargetJson>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    /// When set, the yearly counts are derived from the items in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_from_items: Option<ItemStatus>,
    pub counts: Vec<FigureJson>,
    pub items: Vec<ItemJson>,
}

/// A programme item, exactly as in a seed file.
pub type ItemJson = crate::domain::seed::ItemDef;

fn figure(o: &Observation) -> FigureJson {
    FigureJson {
        year: o.year,
        kind: o.kind,
        state: o.state,
        value: o.value.normalize(),
        source: o.source.clone(),
        confidence: o.confidence,
        note: o.note.clone(),
        commentary: (!o.commentary.is_empty()).then(|| o.commentary.clone()),
        published_at: o.published_at,
    }
}

fn norm(v: Option<Decimal>) -> Option<Decimal> {
    v.map(|v| v.normalize())
}

impl ExportDocument {
    /// The document of `report` (which holds only the figures its reader may see): the whole
    /// plan, or one indicator with its heading.
    pub fn new(report: &PlanReport, with_drafts: bool, only_indicator: Option<&str>) -> Self {
        let p = &report.plan;
        let indicators: Vec<IndicatorJson> = report
            .indicators()
            .filter(|r| only_indicator.is_none_or(|c| c == r.indicator.code))
            .map(|r| {
                let i = &r.indicator;
                IndicatorJson {
                    code: i.code.clone(),
                    group: r.group_code.clone(),
                    name_zh: i.name_zh.clone(),
                    name_en: i.name_en.clone(),
                    unit: i.unit,
                    unit_zh: i.unit_zh.clone(),
                    unit_en: i.unit_en.clone(),
                    decimals: u8::try_from(i.decimals).unwrap_or(0),
                    direction: i.direction,
                    nature: i.nature,
                    definition_zh: i.definition_zh.clone(),
                    definition_en: i.definition_en.clone(),
                    source: i.source.clone(),
                    confidence: i.confidence,
                    note: i.note.clone(),
                    baseline: i.baseline_year.map(|year| BaselineJson {
                        year,
                        value: norm(i.baseline_value),
                        source: i.baseline_source.clone(),
                        confidence: i.baseline_confidence,
                        note: i.baseline_note.clone(),
                    }),
                    target: i
                        .target_year
                        .zip(i.target_value)
                        .map(|(year, value)| TargetJson {
                            year,
                            value: value.normalize(),
                            comparator: i.target_comparator,
                            source: i.target_source.clone(),
                            confidence: i.target_confidence,
                            note: i.target_note.clone(),
                        }),
                    figures: r.observations.iter().map(figure).collect(),
                }
            })
            .collect();
        let groups = report
            .groups
            .iter()
            .filter(|g| {
                indicators.iter().any(|i| i.group == g.group.code) || only_indicator.is_none()
            })
            .map(|g| GroupJson {
                code: g.group.code.clone(),
                name_zh: g.group.name_zh.clone(),
                name_en: g.group.name_en.clone(),
            })
            .collect();
        let programmes = if only_indicator.is_some() {
            Vec::new()
        } else {
            report
                .programmes
                .iter()
                .map(|r| {
                    let g = &r.programme;
                    ProgrammeJson {
                        slug: g.slug.clone(),
                        name_zh: g.name_zh.clone(),
                        name_en: g.name_en.clone(),
                        description_zh: g.description_zh.clone(),
                        description_en: g.description_en.clone(),
                        indicator: r.indicator_code.clone(),
                        unit_zh: g.unit_zh.clone(),
                        unit_en: g.unit_en.clone(),
                        target: g
                            .target_year
                            .zip(g.target_value)
                            .map(|(year, value)| TargetJson {
                                year,
                                value: value.normalize(),
                                comparator: g.target_comparator,
                                source: g.target_source.clone(),
                                confidence: g.target_confidence,
                                note: g.target_note.clone(),
                            }),
                        source: g.source.clone(),
                        confidence: g.confidence,
                        count_from_items: g.count_from_items,
                        counts: if r.indicator_code.is_some() || r.derived.is_some() {
                            Vec::new()
                        } else {
                            r.counts.iter().map(figure).collect()
                        },
                        // Published items only, with their status now: a draft item is
                        // not part of the plan until an official publishes it.
                        items: r
                            .items
                            .iter()
                            .filter(|i| i.item.state == ObservationState::Published)
                            .map(|ir| (&ir.item, ir.current()))
                            .map(|(i, (status, year))| ItemJson {
                                key: i.key.clone(),
                                name_zh: i.name_zh.clone(),
                                name_en: i.name_en.clone(),
                                kind: i.kind.clone(),
                                field: i.field.clone(),
                                host: i.host.clone(),
                                status,
                                year,
                                source: i.source.clone(),
                                confidence: i.confidence,
                                note: i.note.clone(),
                            })
                            .collect(),
                    }
                })
                .collect()
        };
        ExportDocument {
            format: FORMAT.to_owned(),
            version: VERSION,
            figures: if with_drafts { "all" } else { "published" }.to_owned(),
            plan: PlanJson {
                slug: p.slug.clone(),
                title_zh: p.title_zh.clone(),
                title_en: p.title_en.clone(),
                start_year: p.start_year,
                end_year: p.end_year,
                baseline_year: p.baseline_year,
                vision_year: p.vision_year,
                default: p.is_default,
                issuer_zh: p.issuer_zh.clone(),
                issuer_en: p.issuer_en.clone(),
                document_number: p.document_number.clone(),
                issued_on: p.issued_on,
                published_on: p.published_on,
                summary_zh: p.summary_zh.clone(),
                summary_en: p.summary_en.clone(),
                source: p.source.clone(),
                confidence: p.confidence,
            },
            groups,
            indicators,
            programmes,
        }
    }

    /// The document as written to a file: indented by two spaces, ending with a line break.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("an export serialises");
        out.push(b'\n');
        out
    }

    /// Reads a document, refusing other formats and versions with a clear message.
    pub fn parse(bytes: &[u8]) -> Result<ExportDocument, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text")?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        // The two fields alone, everything else skipped unread: a document of any shape takes
        // no more memory here than its format and version.
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<serde_json::Number>,
        }
        let not_export =
            || format!("the JSON is not a plantrack export (its \"format\" is not \"{FORMAT}\")");
        let head: Head = serde_json::from_str(text).map_err(|e| {
            if e.is_data() {
                not_export()
            } else {
                format!("the file is not JSON: {e}")
            }
        })?;
        if head.format.as_deref() != Some(FORMAT) {
            return Err(not_export());
        }
        if head.version.as_ref().and_then(serde_json::Number::as_u64) != Some(u64::from(VERSION)) {
            return Err(format!(
                "this build reads version {VERSION} of the export; the file says {}",
                head.version.map_or("nothing".into(), |v| v.to_string())
            ));
        }
        serde_json::from_str(text).map_err(|e| format!("the export is not valid: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn values_keep_their_exact_digits_both_ways() {
        let f = FigureJson {
            year: 2024,
            kind: ObservationKind::Actual,
            state: ObservationState::Draft,
            value: Decimal::from_str("12345678901234567.8901").unwrap(),
            source: "s".into(),
            confidence: None,
            note: String::new(),
            commentary: None,
            published_at: None,
        };
        let text = serde_json::to_string(&f).unwrap();
        assert!(text.contains("\"value\":12345678901234567.8901"), "{text}");
        let back: FigureJson = serde_json::from_str(&text).unwrap();
        assert_eq!(back, f);
        let small: FigureJson =
            serde_json::from_str(&text.replace("12345678901234567.8901", "2.6")).unwrap();
        assert_eq!(small.value.to_string(), "2.6");
    }

    #[test]
    fn other_formats_and_versions_are_refused_clearly() {
        assert!(
            ExportDocument::parse(b"{\"format\":\"x\"}")
                .unwrap_err()
                .contains("not a plantrack export")
        );
        let err =
            ExportDocument::parse(b"{\"format\":\"plantrack-export\",\"version\":9}").unwrap_err();
        assert!(err.contains("version 1"), "{err}");
        assert!(
            ExportDocument::parse(b"not json")
                .unwrap_err()
                .contains("not JSON")
        );
    }
}
