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
use crate::domain::seed::{IndicatorDef, ProgrammeDef, TargetDef};
use crate::domain::target::Measure;
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
    /// Left out for a level, so that exports of plans without rates read as they did.
    #[serde(default, skip_serializing_if = "is_level")]
    pub measure: Measure,
    pub nature: Option<Nature>,
    pub definition_zh: Option<String>,
    pub definition_en: Option<String>,
    pub source: Option<String>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
    #[serde(
        default,
        with = "crate::domain::seed::exact_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub plausible_min: Option<Decimal>,
    #[serde(
        default,
        with = "crate::domain::seed::exact_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub plausible_max: Option<Decimal>,
    pub baseline: Option<BaselineJson>,
    pub target: Option<IndicatorTargetJson>,
    pub figures: Vec<FigureJson>,
}

fn is_level(m: &Measure) -> bool {
    *m == Measure::Level
}

/// An indicator's target, exactly as in a seed file (`kind` left out for a level).
pub type IndicatorTargetJson = crate::domain::target::Target;

/// A baseline, exactly as in a seed file.
pub type BaselineJson = crate::domain::seed::BaselineDef;

/// A programme's target, exactly as in a seed file.
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
        value: o.value,
        source: o.source.clone(),
        confidence: o.confidence,
        note: o.note.clone(),
        commentary: (!o.commentary.is_empty()).then(|| o.commentary.clone()),
        published_at: o.published_at,
    }
}

/// A target as exported: its value without trailing zeros.
fn target(t: &TargetDef) -> TargetJson {
    TargetJson {
        value: t.value,
        ..t.clone()
    }
}

impl IndicatorJson {
    /// The export's shape of a definition, with `figures` in place of a seed file's
    /// observations and values without trailing zeros. Every field is named (no `..`), so a
    /// field added to [`IndicatorDef`] does not compile until the export decides about it.
    pub fn new(def: &IndicatorDef, figures: Vec<FigureJson>) -> Self {
        let IndicatorDef {
            code,
            group,
            name_zh,
            name_en,
            unit,
            unit_zh,
            unit_en,
            decimals,
            direction,
            measure,
            nature,
            definition_zh,
            definition_en,
            source,
            confidence,
            note,
            // Links between plans are the site's own; an export stands alone.
            predecessor: _,
            plausible_min,
            plausible_max,
            baseline,
            target: plan_target,
            observations: _,
        } = def.clone();
        IndicatorJson {
            code,
            group,
            name_zh,
            name_en,
            unit,
            unit_zh,
            unit_en,
            decimals,
            direction,
            measure,
            nature,
            definition_zh,
            definition_en,
            source,
            confidence,
            note,
            plausible_min,
            plausible_max,
            baseline,
            target: plan_target,
            figures,
        }
    }

    /// The definition this exports, without its figures.
    pub fn definition(&self) -> IndicatorDef {
        let IndicatorJson {
            code,
            group,
            name_zh,
            name_en,
            unit,
            unit_zh,
            unit_en,
            decimals,
            direction,
            measure,
            nature,
            definition_zh,
            definition_en,
            source,
            confidence,
            note,
            plausible_min,
            plausible_max,
            baseline,
            target,
            figures: _,
        } = self.clone();
        IndicatorDef {
            code,
            group,
            name_zh,
            name_en,
            unit,
            unit_zh,
            unit_en,
            decimals,
            direction,
            measure,
            nature,
            definition_zh,
            definition_en,
            source,
            confidence,
            note,
            predecessor: None,
            plausible_min,
            plausible_max,
            baseline,
            target,
            observations: Vec::new(),
        }
    }
}

impl ProgrammeJson {
    /// The export's shape of a programme's definition, with its counts and items.
    pub fn new(def: &ProgrammeDef, counts: Vec<FigureJson>, items: Vec<ItemJson>) -> Self {
        let ProgrammeDef {
            slug,
            name_zh,
            name_en,
            description_zh,
            description_en,
            indicator,
            unit_zh,
            unit_en,
            target: plan_target,
            source,
            confidence,
            count_from_items,
            counts: _,
            items: _,
        } = def.clone();
        ProgrammeJson {
            slug,
            name_zh,
            name_en,
            description_zh,
            description_en,
            indicator,
            unit_zh,
            unit_en,
            target: plan_target.as_ref().map(target),
            source,
            confidence,
            count_from_items,
            counts,
            items,
        }
    }

    /// The definition this exports, with its items and without its counts.
    pub fn definition(&self) -> ProgrammeDef {
        let ProgrammeJson {
            slug,
            name_zh,
            name_en,
            description_zh,
            description_en,
            indicator,
            unit_zh,
            unit_en,
            target,
            source,
            confidence,
            count_from_items,
            counts: _,
            items,
        } = self.clone();
        ProgrammeDef {
            slug,
            name_zh,
            name_en,
            description_zh,
            description_en,
            indicator,
            unit_zh,
            unit_en,
            target,
            source,
            confidence,
            count_from_items,
            counts: Vec::new(),
            items,
        }
    }
}

impl ExportDocument {
    /// The document of `report` (which holds only the figures its reader may see): the whole
    /// plan, or one indicator with its heading.
    pub fn new(report: &PlanReport, with_drafts: bool, only_indicator: Option<&str>) -> Self {
        let p = &report.plan;
        let indicators: Vec<IndicatorJson> = report
            .indicators()
            .filter(|r| only_indicator.is_none_or(|c| c == r.indicator.code))
            .map(|r| IndicatorJson::new(&r.indicator, r.observations.iter().map(figure).collect()))
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
                    let counts = if r.indicator_code.is_some() || r.derived.is_some() {
                        Vec::new()
                    } else {
                        r.counts.iter().map(figure).collect()
                    };
                    // Published items only, with their status now: a draft item is not part of
                    // the plan until an official publishes it.
                    let items = r
                        .items
                        .iter()
                        .filter(|i| i.item.state == ObservationState::Published)
                        .map(|ir| {
                            let (status, year) = ir.current();
                            ItemJson {
                                status,
                                year,
                                ..ir.item.def()
                            }
                        })
                        .collect();
                    ProgrammeJson::new(&r.programme, counts, items)
                })
                .collect()
        };
        ExportDocument {
            format: FORMAT.to_owned(),
            version: VERSION,
            figures: if with_drafts { "all" } else { "published" }.to_owned(),
            plan: crate::store::definitions::plan_def(p),
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
