//! What the plan administration's pages and forms share: which record a form edits, its
//! version token, and the longest texts of a definition. The children of `plan_admin` import
//! these from here, never from their parent, so the module graph has no cycle.

use crate::domain::seed::Scope;
use crate::store::definitions::{self, Record};
use crate::store::plans::Plan;

use super::super::AppError;

/// Longest single-line text of a definition.
pub(super) const LINE_MAX: usize = 500;
/// Longest multi-line text of a definition.
pub(super) const TEXT_MAX: usize = 5000;

/// Which record a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Plan,
    Group,
    Indicator,
    Programme,
}

impl Part {
    #[cfg(test)]
    pub(super) const ALL: [Part; 4] = [Part::Plan, Part::Group, Part::Indicator, Part::Programme];

    pub(super) fn from_path(s: &str) -> Option<Part> {
        match s {
            "groups" => Some(Part::Group),
            "indicators" => Some(Part::Indicator),
            "programmes" => Some(Part::Programme),
            _ => None,
        }
    }

    pub(super) fn path(self) -> &'static str {
        match self {
            Part::Plan => "edit",
            Part::Group => "groups",
            Part::Indicator => "indicators",
            Part::Programme => "programmes",
        }
    }

    /// The field holding the record's identifier.
    pub(super) fn key_field(self) -> &'static str {
        match self {
            Part::Plan | Part::Programme => "slug",
            Part::Group | Part::Indicator => "code",
        }
    }

    pub(super) fn scope(self, key: &str) -> Scope {
        match self {
            Part::Plan => Scope::Plan,
            Part::Group => Scope::Group(key.to_owned()),
            Part::Indicator => Scope::Indicator(key.to_owned()),
            Part::Programme => Scope::Programme(key.to_owned()),
        }
    }

    /// The stored record this part names, for its version.
    pub(super) fn record(self, key: &str) -> Record<'_> {
        match self {
            Part::Plan => Record::Plan,
            Part::Group => Record::Group(key),
            Part::Indicator => Record::Indicator(key),
            Part::Programme => Record::Programme(key),
        }
    }
}

/// The version token a form carries: the stored record's version, or `new` for a record not
/// created yet.
pub(super) fn token_of(version: Option<i32>) -> String {
    match version {
        Some(v) => format!("v{v}"),
        None => "new".to_owned(),
    }
}

/// The stored version of a form's record, when the record exists.
pub(super) async fn version_of(
    conn: &mut sqlx::PgConnection,
    plan: Option<&Plan>,
    part: Part,
    key: Option<&str>,
) -> Result<Option<i32>, AppError> {
    let (Some(plan), Some(key)) = (plan, key) else {
        return Ok(None);
    };
    Ok(definitions::version(conn, plan.plan_id, part.record(key)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_token_names_the_version_or_a_new_record() {
        assert_eq!(token_of(Some(3)), "v3");
        assert_ne!(token_of(Some(3)), token_of(Some(4)));
        assert_eq!(token_of(None), "new");
    }
}
