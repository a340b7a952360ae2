//! What every page's frame needs: who is signed in (for the navigation), the CSRF token for
//! the forms it shows, such as "Sign out", and the reader's language.
//!
//! The frame is plain data, so that the error page can use it too; it is filled from the
//! session by `reader.rs` ([`Layout::new`], [`Layout::visitor`], `Reader`).

use std::fmt::Display;

use crate::domain::plan::Role;
use crate::i18n::{self, Lang};
use crate::store::review::PlanWork;

pub struct UserNav {
    pub username: String,
    pub name: String,
    pub role: &'static str,
    /// The role's name in the catalogue.
    pub role_message: &'static str,
    pub enters_figures: bool,
    pub reviews: bool,
    pub admin: bool,
    /// What waits for this person, per plan with drafts (the navigation shows the page's plan).
    pub work: Vec<PlanWork>,
}

impl UserNav {
    /// What a person of `role` may do, without their name or counts.
    pub fn of_role(role: Role) -> UserNav {
        UserNav {
            username: String::new(),
            name: String::new(),
            role: role.as_str(),
            role_message: match role {
                Role::Official => "role-official",
                Role::Analyst => "role-analyst",
                Role::Admin => "role-admin",
            },
            enters_figures: role.enters_figures(),
            reviews: role.reviews(),
            admin: role == Role::Admin,
            work: Vec::new(),
        }
    }
}

pub struct Layout {
    pub user: Option<UserNav>,
    pub csrf: String,
    /// The plan the page is about, for the navigation's links.
    pub plan: Option<String>,
    /// The reader's language: all interface text, and which of a pair of names comes first.
    pub lang: Lang,
    /// Rendered to be kept for every signed-in reader of one role: a mark stands for the
    /// navigation (see `frame.rs`).
    pub framed: bool,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            user: None,
            csrf: String::new(),
            plan: None,
            lang: Lang::current(),
            framed: false,
        }
    }
}

impl Layout {
    pub fn with_plan(mut self, slug: &str) -> Layout {
        self.plan = Some(slug.to_owned());
        self
    }

    /// What waits for the signed-in person in the page's plan.
    fn work(&self) -> Option<&PlanWork> {
        let plan = self.plan.as_deref()?;
        self.user.as_ref()?.work.iter().find(|w| w.plan == plan)
    }

    /// Drafts others entered in the page's plan that the signed-in official may review.
    pub fn waiting(&self) -> i64 {
        self.work().map_or(0, |w| w.waiting)
    }

    /// The signed-in person's drafts in the page's plan that an official sent back.
    pub fn sent_back(&self) -> i64 {
        self.work().map_or(0, |w| w.sent_back)
    }

    /// Interface text in the reader's language.
    pub fn t(&self, id: impl Display) -> String {
        i18n::t(&id.to_string())
    }

    /// Interface text with one argument.
    pub fn t1(&self, id: impl Display, name: &str, value: impl Display) -> String {
        i18n::t1(&id.to_string(), name, value)
    }

    /// Interface text with two arguments.
    pub fn t2(
        &self,
        id: impl Display,
        a: &str,
        va: impl Display,
        b: &str,
        vb: impl Display,
    ) -> String {
        i18n::t2(&id.to_string(), a, va, b, vb)
    }

    /// Of a pair of texts from the data, the one in the reader's language.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// Of a pair of texts from the data, the one in the other language (shown second, marked
    /// with its `lang`), or nothing when the reader's language has no text of its own.
    pub fn other<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        let (mine, theirs) = match self.lang {
            Lang::Zh => (zh, en),
            Lang::En => (en, zh),
        };
        if mine.is_empty() { "" } else { theirs }
    }

    /// What a kept page has in place of its navigation.
    pub fn nav_mark(&self) -> &'static str {
        super::frame::nav_mark()
    }

    /// The other language, for the switch.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// The switch's link to the other language, back to this page.
    pub fn switch_href(&self) -> String {
        super::language::switch_href(self.other_lang())
    }

    /// A date in the reader's language.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date(*d)
    }
}
