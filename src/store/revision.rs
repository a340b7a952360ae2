//! The append-only history: one writer for every change of every record, and the reasons it
//! keeps.
//!
//! A reason a person typed is kept as typed. A reason the system gives itself (a seed file
//! loaded or changed, a file imported or uploaded) is kept as a [`ReasonCode`], so that pages
//! render it in the reader's language.

use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::plan::ObservationKind;
use crate::store::figures::Owner;
use crate::store::users::User;

/// Who made a change: a user, or a command run on the server (a seed file, an import).
pub struct Actor<'a> {
    pub id: Option<i64>,
    pub label: &'a str,
}

impl<'a> Actor<'a> {
    pub const SEED: Actor<'static> = Actor {
        id: None,
        label: "seed",
    };

    pub fn user(user: &'a User) -> Actor<'a> {
        Actor {
            id: Some(user.app_user_id),
            label: &user.username,
        }
    }
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Publish,
    SendBack,
    Amend,
    Status,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Publish => "publish",
            Action::SendBack => "send_back",
            Action::Amend => "amend",
            Action::Status => "status",
        }
    }
}

/// The record a change is about, with the indicator or programme it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    /// `observation`, `item`, `assessment`, `target`, or a definition's kind.
    pub entity: &'a str,
    pub id: i64,
    pub indicator_id: Option<i64>,
    pub programme_id: Option<i64>,
}

impl Subject<'_> {
    /// A figure (an `observation` row) of an indicator or a programme.
    pub fn figure(observation_id: i64, owner: Owner) -> Subject<'static> {
        let (indicator_id, programme_id) = owner.ids();
        Subject {
            entity: "observation",
            id: observation_id,
            indicator_id,
            programme_id,
        }
    }

    /// A programme's item (its status changes are the item's too).
    pub fn item(item_id: i64, programme_id: i64) -> Subject<'static> {
        Subject {
            entity: "item",
            id: item_id,
            indicator_id: None,
            programme_id: Some(programme_id),
        }
    }

    /// An indicator's final-assessment commentary.
    pub fn assessment(assessment_id: i64, indicator_id: i64) -> Subject<'static> {
        Subject {
            entity: "assessment",
            id: assessment_id,
            indicator_id: Some(indicator_id),
            programme_id: None,
        }
    }

    /// The officials' words in a plan's report for a year (the year is the revision's).
    pub fn report(plan_report_id: i64) -> Subject<'static> {
        Subject {
            entity: "report",
            id: plan_report_id,
            indicator_id: None,
            programme_id: None,
        }
    }

    /// An official's verdict on an indicator's target for a year.
    pub fn verdict(target_verdict_id: i64, indicator_id: i64) -> Subject<'static> {
        Subject {
            entity: "verdict",
            id: target_verdict_id,
            indicator_id: Some(indicator_id),
            programme_id: None,
        }
    }
}

/// A reason the system gives itself, rendered through the catalogues (`reason-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonCode {
    /// A record first loaded from a seed file.
    SeedLoaded,
    /// A seed file loaded again with this record changed.
    SeedChanged,
    /// A figure the publisher revised after first publishing it (the seed file says so).
    SeedRevised,
    /// A target amended on the site without a reason typed.
    Amended,
    /// Loaded by `plantrack import`; the argument is the file's name.
    Imported,
    /// Saved from a spreadsheet uploaded on the site; the argument is the file's name.
    Uploaded,
    /// Definitions loaded from a seed file uploaded on the site; the argument is the file's
    /// name.
    SeedUploaded,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 7] = [
        ReasonCode::SeedLoaded,
        ReasonCode::SeedChanged,
        ReasonCode::SeedRevised,
        ReasonCode::Amended,
        ReasonCode::Imported,
        ReasonCode::Uploaded,
        ReasonCode::SeedUploaded,
    ];

    /// As stored in `reason_code`; the catalogues' message is `reason-` followed by it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::SeedLoaded => "seed-loaded",
            ReasonCode::SeedChanged => "seed-changed",
            ReasonCode::SeedRevised => "seed-revised",
            ReasonCode::Amended => "amended",
            ReasonCode::Imported => "imported",
            ReasonCode::Uploaded => "uploaded",
            ReasonCode::SeedUploaded => "seed-uploaded",
        }
    }

    pub fn parse(code: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The English sentence stored before reasons had codes, with its argument if it has one.
    fn from_sentence(text: &str) -> Option<(ReasonCode, &str)> {
        match text {
            "loaded from seed file" => Some((ReasonCode::SeedLoaded, "")),
            "seed file changed" => Some((ReasonCode::SeedChanged, "")),
            "revised by the publisher" => Some((ReasonCode::SeedRevised, "")),
            "amended" => Some((ReasonCode::Amended, "")),
            _ => None,
        }
        .or_else(|| {
            [
                ("imported from ", ReasonCode::Imported),
                ("uploaded from ", ReasonCode::Uploaded),
                ("loaded from the seed file ", ReasonCode::SeedUploaded),
            ]
            .into_iter()
            .find_map(|(prefix, code)| Some((code, text.strip_prefix(prefix)?)))
            // The seed-file upload stored its sentence in the uploader's language.
            .or_else(|| {
                let file = text.strip_prefix("由种子文件 ")?.strip_suffix(" 载入")?;
                Some((ReasonCode::SeedUploaded, file))
            })
            .filter(|(_, file)| !file.is_empty())
        })
    }
}

/// Why a change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason<'a> {
    /// As a person typed it (possibly nothing).
    Typed(&'a str),
    /// Given by the system, with its argument (a file's name, or nothing).
    System(ReasonCode, &'a str),
}

impl<'a> From<&'a str> for Reason<'a> {
    fn from(text: &'a str) -> Reason<'a> {
        Reason::Typed(text)
    }
}

impl<'a> From<&'a String> for Reason<'a> {
    fn from(text: &'a String) -> Reason<'a> {
        Reason::Typed(text)
    }
}

impl<'a> Reason<'a> {
    pub const NONE: Reason<'static> = Reason::Typed("");

    pub fn code(code: ReasonCode) -> Reason<'static> {
        Reason::System(code, "")
    }

    /// A reason as stored: `reason_code` and `reason`. Rows from before reasons had codes hold
    /// the system's English sentences; they are recognised, so they render translated too.
    pub fn stored(code: Option<&str>, text: &'a str) -> Reason<'a> {
        match code.and_then(ReasonCode::parse) {
            Some(code) => Reason::System(code, text),
            None => match ReasonCode::from_sentence(text) {
                Some((code, arg)) => Reason::System(code, arg),
                None => Reason::Typed(text),
            },
        }
    }

    /// The `reason_code` and `reason` columns.
    pub fn columns(self) -> (Option<&'static str>, &'a str) {
        match self {
            Reason::Typed(text) => (None, text),
            Reason::System(code, arg) => (Some(code.as_str()), arg),
        }
    }

    /// Whether nothing is given: no code, and nothing typed but blanks.
    pub fn is_blank(self) -> bool {
        matches!(self, Reason::Typed(text) if text.trim().is_empty())
    }
}

/// One change of one record, as the history keeps it.
pub struct Revision<'a> {
    pub plan_id: i64,
    pub subject: Subject<'a>,
    /// The year (and, for figures, the kind of series) the change is about.
    pub year: Option<i32>,
    pub kind: Option<ObservationKind>,
    pub action: Action,
    pub by: &'a Actor<'a>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Reason<'a>,
}

/// Appends `revision` to the history, in the caller's transaction.
pub async fn write(conn: &mut PgConnection, revision: Revision<'_>) -> sqlx::Result<()> {
    let Revision {
        plan_id,
        subject,
        year,
        kind,
        action,
        by,
        before,
        after,
        reason,
    } = revision;
    let (reason_code, reason) = reason.columns();
    sqlx::query!(
        "insert into revision (plan_id, entity, entity_id, indicator_id, programme_id, year, kind,
                               action, actor_id, actor_label, before, after, reason, reason_code)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        plan_id,
        subject.entity,
        subject.id,
        subject.indicator_id,
        subject.programme_id,
        year,
        kind.map(ObservationKind::as_str),
        action.as_str(),
        by.id,
        by.label,
        before,
        after,
        reason,
        reason_code
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_their_column() {
        for code in ReasonCode::ALL {
            let (stored, arg) = Reason::System(code, "f.csv").columns();
            assert_eq!(
                Reason::stored(stored, arg),
                Reason::System(code, "f.csv"),
                "{code:?}"
            );
        }
    }

    #[test]
    fn the_old_english_sentences_are_recognised_and_typed_text_is_kept() {
        assert_eq!(
            Reason::stored(None, "seed file changed"),
            Reason::code(ReasonCode::SeedChanged)
        );
        assert_eq!(
            Reason::stored(None, "uploaded from figures.xlsx"),
            Reason::System(ReasonCode::Uploaded, "figures.xlsx")
        );
        assert_eq!(
            Reason::stored(None, "imported from "),
            Reason::Typed("imported from ")
        );
        for sentence in [
            "loaded from the seed file plan.toml",
            "由种子文件 plan.toml 载入",
        ] {
            assert_eq!(
                Reason::stored(None, sentence),
                Reason::System(ReasonCode::SeedUploaded, "plan.toml"),
                "{sentence}"
            );
        }
        assert_eq!(
            Reason::stored(None, "the bureau corrected it"),
            Reason::Typed("the bureau corrected it")
        );
    }
}
