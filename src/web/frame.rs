//! Signed-in readers' pages, rendered once and kept with each reader's own parts left open.
//!
//! A page anyone may read looks the same to every signed-in reader of one role in one language
//! (drafts included), except for its navigation (their name, what waits for them) and the form
//! token of the sign-out form. So [`Reader::render`] renders such a page once with marks in
//! those places, keeps it (see `cache/kept.rs`: the changes that drop the page for visitors
//! drop it too), and answers each reader by filling the marks with their navigation ([`Nav`])
//! and token.
//!
//! The marks are random for each process, so no text from the data can contain one.

use askama::Template;
use axum::response::Html;
use std::sync::LazyLock;

use super::layout::{Layout, UserNav};
use super::reader::Reader;
use super::{AppError, AppState};
use crate::domain::plan::Role;
use crate::i18n::Lang;

/// Where the navigation goes in a kept page.
static NAV_MARK: LazyLock<String> = LazyLock::new(|| mark("nav"));
/// Where the reader's form token goes.
static CSRF_MARK: LazyLock<String> = LazyLock::new(|| mark("csrf"));

fn mark(what: &str) -> String {
    let id = tower_sessions::session::Id::default;
    format!("plantrack-{what}-{}{}", id(), id())
}

/// The mark a page rendered for keeping has in place of its navigation.
pub(super) fn nav_mark() -> &'static str {
    &NAV_MARK
}

/// A page with the site's frame ([`Layout`]).
pub trait Page: Template {
    fn layout(&self) -> &Layout;
}

/// Implements [`Page`] for page structs whose frame is their `layout` field.
macro_rules! pages {
    ($($page:ty),* $(,)?) => {
        $(impl $crate::web::frame::Page for $page {
            fn layout(&self) -> &$crate::web::layout::Layout {
                &self.layout
            }
        })*
    };
}
pub(crate) use pages;

/// The site's navigation alone, for the reader it names.
#[derive(Template)]
#[template(path = "nav.html")]
struct Nav<'a> {
    layout: &'a Layout,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hole {
    Nav,
    Csrf,
}

/// A page rendered for every signed-in reader of one role, with the reader's parts open.
pub struct Frame {
    /// The page without its marks.
    text: String,
    /// Where each reader's part goes in `text`, in order.
    holes: Vec<(usize, Hole)>,
    /// The plan the page is about (the navigation links to its entry and review).
    plan: Option<String>,
}

impl Frame {
    fn new(rendered: &str, plan: Option<String>) -> Frame {
        let mut found: Vec<(usize, Hole, usize)> = rendered
            .match_indices(NAV_MARK.as_str())
            .map(|(at, m)| (at, Hole::Nav, m.len()))
            .chain(
                rendered
                    .match_indices(CSRF_MARK.as_str())
                    .map(|(at, m)| (at, Hole::Csrf, m.len())),
            )
            .collect();
        found.sort_by_key(|(at, _, _)| *at);
        let mut text = String::with_capacity(rendered.len());
        let mut holes = Vec::with_capacity(found.len());
        let mut from = 0;
        for (at, hole, len) in found {
            text.push_str(&rendered[from..at]);
            holes.push((text.len(), hole));
            from = at + len;
        }
        text.push_str(&rendered[from..]);
        Frame { text, holes, plan }
    }

    /// The bytes kept (the memory budget counts them).
    pub fn size(&self) -> usize {
        self.text.len()
    }

    /// The page for one reader: their navigation and form token in the holes.
    fn fill(&self, nav: &str, csrf: &str) -> String {
        let mut page = String::with_capacity(self.text.len() + nav.len() + 2 * csrf.len());
        let mut from = 0;
        for &(at, hole) in &self.holes {
            page.push_str(&self.text[from..at]);
            page.push_str(match hole {
                Hole::Nav => nav,
                Hole::Csrf => csrf,
            });
            from = at;
        }
        page.push_str(&self.text[from..]);
        page
    }
}

/// Which kept page: the same address, language and role show the same page (this year too:
/// the years offered run to it).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FrameKey {
    pub page: String,
    pub lang: Lang,
    pub role: Role,
    pub this_year: i32,
}

impl Layout {
    /// The frame a kept page is rendered with: a signed-in reader of `role`, without a name,
    /// counts or token (marks stand for the navigation and the token).
    fn framed(role: Role) -> Layout {
        Layout {
            user: Some(UserNav::of_role(role)),
            csrf: CSRF_MARK.clone(),
            framed: true,
            ..Layout::default()
        }
    }
}

impl Reader {
    /// The page `build` makes, for this reader. A visitor's is rendered as it is (the page
    /// cache keeps it for everyone); a signed-in reader's comes from the page kept for their
    /// role and language, rendered with `build` only when none is kept, with their navigation
    /// and form token filled in.
    pub async fn render<P: Page>(
        self,
        state: &AppState,
        build: impl AsyncFnOnce(Layout) -> Result<P, AppError>,
    ) -> Result<Html<String>, AppError> {
        // The pages are large futures: on the heap, not the stack.
        let Some(user) = &self.user else {
            return Ok(Html(Box::pin(build(self.layout)).await?.render()?));
        };
        let key = FrameKey {
            page: self.page,
            lang: self.layout.lang,
            role: user.role,
            this_year: crate::report::this_year(),
        };
        let role = user.role;
        let frame = state
            .cache
            .frame(key, async {
                let page = Box::pin(build(Layout::framed(role))).await?;
                let plan = page.layout().plan.clone();
                Ok::<_, AppError>(Frame::new(&page.render()?, plan))
            })
            .await?;
        let layout = Layout {
            plan: frame.plan.clone(),
            ..self.layout
        };
        let nav = Nav { layout: &layout }.render()?;
        Ok(Html(frame.fill(&nav, &layout.csrf)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_readers_parts_go_where_the_marks_were_and_nothing_else_moves() {
        let rendered = format!(
            "<html>{}<main><form><input value=\"{}\"></form>é{}</main>{}",
            *NAV_MARK, *CSRF_MARK, *CSRF_MARK, *NAV_MARK
        );
        let frame = Frame::new(&rendered, Some("p".into()));
        assert_eq!(
            frame.fill("<nav>Ann</nav>", "t0k"),
            "<html><nav>Ann</nav><main><form><input value=\"t0k\"></form>ét0k</main><nav>Ann</nav>"
        );
        assert_eq!(
            frame.fill("", ""),
            "<html><main><form><input value=\"\"></form>é</main>"
        );
        let plain = Frame::new("<p>no marks</p>", None);
        assert_eq!(plain.fill("<nav>", "x"), "<p>no marks</p>");
    }

    #[test]
    fn marks_differ_and_are_left_alone_by_escaping() {
        assert_ne!(*NAV_MARK, *CSRF_MARK);
        for mark in [&*NAV_MARK, &*CSRF_MARK] {
            assert!(mark.len() > 40);
            assert!(
                mark.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{mark}"
            );
        }
    }
}
