//! Advisory locks: one key space for the whole application, held until the transaction ends.
//!
//! Row locks (`for update`) cannot protect what has no row yet: a figure before its first
//! draft, a plan before it is created, the database before its first plan. An advisory lock on
//! the thing's identity makes a second writer wait until the first has committed.

use sqlx::PgConnection;

use crate::domain::plan::ObservationKind;
use crate::store::figures::Owner;

/// What a transaction holds a lock on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKey<'a> {
    /// One figure (of every state), whether or not it has a row yet.
    Figure {
        owner: Owner,
        year: i32,
        kind: ObservationKind,
    },
    /// The definitions of one plan, by slug: also before the plan exists.
    Plan(&'a str),
    /// Loading the default plan into an empty database.
    DefaultPlan,
}

impl LockKey<'_> {
    /// The key's text, written out field by field: the lock is on a hash of it.
    fn text(&self) -> String {
        match *self {
            LockKey::Figure { owner, year, kind } => {
                let owner = match owner {
                    Owner::Indicator(id) => format!("indicator {id}"),
                    Owner::Programme(id) => format!("programme {id}"),
                };
                format!("plantrack figure {owner} {year} {}", kind.as_str())
            }
            LockKey::Plan(slug) => format!("plantrack plan {slug}"),
            LockKey::DefaultPlan => "plantrack default plan".to_owned(),
        }
    }
}

/// Takes the lock `key` until the transaction ends, waiting while another transaction holds it.
/// Two keys may share a hash; that costs a wait, never a wrong result.
pub async fn lock(conn: &mut PgConnection, key: LockKey<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended($1, 0))",
        key.text()
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_different_things_differ() {
        let figure = |owner, year| LockKey::Figure {
            owner,
            year,
            kind: ObservationKind::Actual,
        };
        let keys = [
            figure(Owner::Indicator(1), 2023),
            figure(Owner::Programme(1), 2023),
            figure(Owner::Indicator(1), 2024),
            LockKey::Figure {
                owner: Owner::Indicator(1),
                year: 2023,
                kind: ObservationKind::NationalAverage,
            },
            LockKey::Plan("cq-sti"),
            LockKey::Plan("cq-sti-2"),
            LockKey::DefaultPlan,
        ];
        let texts: std::collections::HashSet<String> = keys.iter().map(LockKey::text).collect();
        assert_eq!(texts.len(), keys.len());
    }
}
