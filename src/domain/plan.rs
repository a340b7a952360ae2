//! The vocabulary of a plan: closed sets of values that the database, the seed files and the
//! pages share. Each type parses from the code stored in PostgreSQL and written in seed files,
//! so a bad value is refused once, at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An unknown code for one of the closed sets below.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what} (expected one of: {expected})")]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database, written in seed files and returned by the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, UnknownCode> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(UnknownCode {
                        what: $what,
                        value: s.to_owned(),
                        expected: concat!($($code, " "),+),
                    }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownCode;
            fn try_from(s: String) -> Result<Self, UnknownCode> { s.parse() }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str { v.as_str() }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        // Stored as text with a check constraint, so the database and the code share one spelling.
        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo { <&str as sqlx::Type<sqlx::Postgres>>::type_info() }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(<&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?.parse()?)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }
    };
}

code_enum!(
    /// Whether a rising value is good news.
    Direction, "direction" { Higher => "higher", Lower => "lower" }
);

impl Direction {
    /// d in the progress method: +1 when higher is better, -1 when lower is better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Higher => 1.0,
            Direction::Lower => -1.0,
        }
    }
}

code_enum!(
    /// How a target is worded in the plan: "at least", "at most", "exactly", "more than".
    Comparator, "comparator" { Ge => ">=", Le => "<=", Eq => "=", Gt => ">" }
);

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Eq => "=",
            Comparator::Gt => ">",
        }
    }
}

code_enum!(
    /// The method that gives a plan's headline status: Open SDG (Statistics Canada's, by the
    /// pace of growth) or time progress (时序进度, the share of the way against the share of
    /// the period, as Chinese plan offices judge).
    Method, "method" { OpenSdg => "open-sdg", TimeProgress => "time-progress" }
);

// `code_enum!` takes no `#[default]` on a variant.
#[allow(clippy::derivable_impls)]
impl Default for Method {
    fn default() -> Self {
        Method::OpenSdg
    }
}

code_enum!(
    /// 预期性 (expected) or 约束性 (binding), as Chinese plans classify their indicators.
    Nature, "nature" { Expected => "expected", Binding => "binding" }
);

code_enum!(
    /// What kind of number an indicator holds; decides which values are acceptable.
    UnitKind, "unit kind" {
        Percent => "percent",
        Count => "count",
        Amount => "amount",
        Rate => "rate",
    }
);

code_enum!(
    /// How sure the project is of a published fact.
    Confidence, "confidence" { High => "high", Medium => "medium", Low => "low" }
);

code_enum!(
    /// What an observation measures: the plan area's own value or a comparison series.
    ObservationKind, "observation kind" {
        Actual => "actual",
        NationalAverage => "national_average",
        Benchmark => "benchmark",
    }
);

code_enum!(
    /// Whether the public may see a figure.
    ObservationState, "observation state" { Draft => "draft", Published => "published" }
);

code_enum!(
    /// Where a programme item (a laboratory, an institution, a facility) stands.
    ItemStatus, "item status" {
        Planned => "planned",
        Building => "building",
        Operating => "operating",
        Dropped => "dropped",
    }
);

code_enum!(
    /// What a signed-in person may do.
    Role, "role" { Official => "official", Analyst => "analyst", Admin => "admin" }
);

impl Role {
    /// Enters and revises figures.
    pub fn enters_figures(self) -> bool {
        matches!(self, Role::Analyst | Role::Admin)
    }

    /// Reviews and publishes figures (never their own).
    pub fn reviews(self) -> bool {
        matches!(self, Role::Official | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for d in Direction::ALL {
            assert_eq!(d.as_str().parse::<Direction>().unwrap(), *d);
        }
        assert_eq!(">".parse::<Comparator>().unwrap(), Comparator::Gt);
        let err = "upward".parse::<Direction>().unwrap_err();
        assert_eq!(err.value, "upward");
        assert!(err.to_string().contains("higher lower"), "{err}");
    }

    #[test]
    fn direction_sign_follows_the_progress_method() {
        assert_eq!(Direction::Higher.sign(), 1.0);
        assert_eq!(Direction::Lower.sign(), -1.0);
    }
}
