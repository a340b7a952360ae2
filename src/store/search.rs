//! Finding indicators, programmes and items of every plan by a part of their name, in either
//! language. Chinese writes no spaces between words, so a search matches any substring; the
//! trigram indexes of migration `…_search.sql` serve it.

use sqlx::PgConnection;

/// The most hits a search returns (the page says when there may be more).
pub const MAX_HITS: usize = 100;

/// How long a search may run before it is given up (a short, common text over a national
/// database reads many names).
const TIME_BUDGET_MS: u32 = 2_000;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Indicator,
    Programme,
    /// A published programme item.
    Item,
}

/// One thing a search found, with the plan it belongs to.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: HitKind,
    pub plan_slug: String,
    pub plan_title_zh: String,
    pub plan_title_en: String,
    /// The indicator's code, or the programme's slug (an item's programme for an item).
    pub key: String,
    /// An item's id, which anchors it on its programme's page.
    pub item_id: Option<i64>,
    pub name_zh: String,
    pub name_en: String,
}

/// `text` as a pattern matching any name that contains it: `%`, `_` and `\` match themselves.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The indicators, programmes and published items whose Chinese or English name contains
/// `text` (ignoring case): the default plan first, then newer plans, each in the plan's order;
/// at most [`MAX_HITS`] + 1, so the caller can tell that there are more. Run it in a
/// transaction: it sets a time budget for the transaction, and a search over budget fails
/// with PostgreSQL's `57014` (see [`is_over_budget`]).
pub async fn find(conn: &mut PgConnection, text: &str) -> sqlx::Result<Vec<Hit>> {
    sqlx::query(&format!("set local statement_timeout = {TIME_BUDGET_MS}"))
        .execute(&mut *conn)
        .await?;
    let rows = sqlx::query!(
        r#"select kind as "kind!", slug as "slug!", title_zh as "title_zh!",
                  title_en as "title_en!", key as "key!", item_id, name_zh as "name_zh!",
                  name_en as "name_en!"
           from (
               select 'indicator' as kind, p.slug, p.title_zh, p.title_en, p.is_default,
                      p.start_year, i.code as key, null::bigint as item_id, i.name_zh, i.name_en,
                      0 as kind_order, i.position as first, 0 as second
               from indicator i join plan p using (plan_id)
               where (i.name_zh || ' ' || i.name_en) ilike $1
               union all
               select 'programme', p.slug, p.title_zh, p.title_en, p.is_default, p.start_year,
                      g.slug, null, g.name_zh, g.name_en, 1, g.position, 0
               from programme g join plan p using (plan_id)
               where (g.name_zh || ' ' || g.name_en) ilike $1
               union all
               select 'item', p.slug, p.title_zh, p.title_en, p.is_default, p.start_year,
                      g.slug, it.programme_item_id, it.name_zh, it.name_en, 2, g.position,
                      it.position
               from programme_item it
               join programme g using (programme_id)
               join plan p on p.plan_id = g.plan_id
               where it.state = 'published' and (it.name_zh || ' ' || it.name_en) ilike $1
           ) hits
           order by is_default desc, start_year desc, slug, kind_order, first, second
           limit $2"#,
        contains_pattern(text),
        (MAX_HITS + 1) as i64
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Hit {
            kind: match r.kind.as_str() {
                "indicator" => HitKind::Indicator,
                "programme" => HitKind::Programme,
                _ => HitKind::Item,
            },
            plan_slug: r.slug,
            plan_title_zh: r.title_zh,
            plan_title_en: r.title_en,
            key: r.key,
            item_id: r.item_id,
            name_zh: r.name_zh,
            name_en: r.name_en,
        })
        .collect())
}

/// Whether `e` is a search given up because it ran over its time budget.
pub fn is_over_budget(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "57014")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_typed_in_a_search_match_themselves() {
        assert_eq!(contains_pattern("专利"), "%专利%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
