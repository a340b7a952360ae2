//! What mail needs to know: who is told (an address and a language) and the names a mail uses.

use lettre::message::Mailbox;
use sqlx::PgConnection;

use crate::domain::plan::Role;
use crate::i18n::Lang;
use crate::mail::FigureRef;

/// Someone with an address to mail.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub app_user_id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// The language they last signed in with (`en`, `zh`), if they have signed in.
    pub language: Option<String>,
}

impl Recipient {
    /// The language mails to them are written in: their last sign-in's, else the site's default.
    pub fn language(&self) -> Lang {
        self.language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_default()
    }

    /// Their address with the name shown on pages.
    pub fn mailbox(&self) -> Result<Mailbox, lettre::address::AddressError> {
        let name = if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        };
        Ok(Mailbox::new(Some(name.clone()), self.email.parse()?))
    }
}

/// Everyone who reviews drafts (officials, administrators), active and with an address.
pub async fn reviewers(conn: &mut PgConnection) -> sqlx::Result<Vec<Recipient>> {
    let rows = sqlx::query!(
        r#"select app_user_id, username, display_name, email as "email!", language,
                  role as "role: Role"
           from app_user where email is not null and not disabled order by username"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.role.reviews())
        .map(|r| Recipient {
            app_user_id: r.app_user_id,
            username: r.username,
            display_name: r.display_name,
            email: r.email,
            language: r.language,
        })
        .collect())
}

/// User `id`, if active and with an address.
pub async fn recipient(conn: &mut PgConnection, id: i64) -> sqlx::Result<Option<Recipient>> {
    sqlx::query_as!(
        Recipient,
        r#"select app_user_id, username, display_name, email as "email!", language
           from app_user where app_user_id = $1 and email is not null and not disabled"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The name pages show for user `id` (the display name, else the user name).
pub async fn name_of(conn: &mut PgConnection, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        r#"select case when display_name = '' then username else display_name end as "name!"
           from app_user where app_user_id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// A plan's address and titles.
#[derive(Debug, Clone)]
pub struct PlanNames {
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
}

pub async fn plan(conn: &mut PgConnection, plan_id: i64) -> sqlx::Result<Option<PlanNames>> {
    sqlx::query_as!(
        PlanNames,
        "select slug, title_zh, title_en from plan where plan_id = $1",
        plan_id
    )
    .fetch_optional(conn)
    .await
}

/// What a figure belongs to: its names and its public page within the plan
/// (`indicators/CODE`, `programmes/SLUG`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureNames {
    pub name_zh: String,
    pub name_en: String,
    pub page: String,
}

pub async fn figure(conn: &mut PgConnection, f: &FigureRef) -> sqlx::Result<Option<FigureNames>> {
    match (f.indicator_id, f.programme_id) {
        (Some(id), _) => {
            sqlx::query_as!(
                FigureNames,
                r#"select name_zh, name_en, 'indicators/' || code as "page!"
                   from indicator where indicator_id = $1"#,
                id
            )
            .fetch_optional(conn)
            .await
        }
        (None, Some(id)) => {
            sqlx::query_as!(
                FigureNames,
                r#"select name_zh, name_en, 'programmes/' || slug as "page!"
                   from programme where programme_id = $1"#,
                id
            )
            .fetch_optional(conn)
            .await
        }
        (None, None) => Ok(None),
    }
}

/// The figure draft `observation_id` is, for a notice about a decision on it.
pub async fn draft(
    conn: &mut PgConnection,
    observation_id: i64,
) -> sqlx::Result<Option<FigureRef>> {
    let row = sqlx::query!(
        "select indicator_id, programme_id, year, entered_by from observation
         where observation_id = $1 and state = 'draft'",
        observation_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| FigureRef {
        indicator_id: r.indicator_id,
        programme_id: r.programme_id,
        year: r.year,
        entered_by: r.entered_by,
    }))
}

/// Records the language a user signed in with, for the mails they get.
pub async fn set_language(conn: &mut PgConnection, id: i64, lang: Lang) -> sqlx::Result<()> {
    sqlx::query!(
        "update app_user set language = $2 where app_user_id = $1 and language is distinct from $2",
        id,
        lang.key()
    )
    .execute(conn)
    .await?;
    Ok(())
}
