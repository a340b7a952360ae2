//! What signed-in readers' pages are made from, kept in memory between changes: each plan by
//! its slug, plan reports, each session, each account, each person's count of waiting work,
//! and the pages anyone may read as rendered for each role ([`Frame`]).
//!
//! The discipline is the page cache's: nothing is served from here unless the listener is
//! connected; a notification drops what it concerns (a plan's change its reports, its
//! indicators' histories and successors and its pages, and those of the plans linked to it;
//! any change of data the counts of waiting work; a session's or an account's change that
//! session or account; on every instance); and a value loaded while such a change was heard
//! is not kept, since it may predate the change (two counters, one for data and one for
//! people, tell).
//! While changes are heard, one reader at a time loads each value and the others wait for it:
//! after a change, 64 readers of one page make one query, not 64.

use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use tower_sessions::session::Record;

use super::PageCache;
use crate::i18n::Lang;
use crate::report::PlanReport;
use crate::store::figures::AuditFilter;
use crate::store::plans::{Plan, Visibility};
use crate::store::review::PlanWork;
use crate::store::users::User;
use crate::web::frame::{Frame, FrameKey};
use crate::web::views::HistoryView;

/// The channel the database notifies on every change of a session (`s` and its id) or an
/// account (`u` and its id).
pub const PEOPLE_CHANNEL: &str = "plantrack_people";

/// The most bytes of signed-in readers' pages kept.
const FRAMES: usize = 16 << 20;

/// The most changes of one indicator shown on its page.
pub const HISTORY: i64 = 500;

/// A bounded map: when full, it starts again empty (what is in use comes back at once).
struct Memo<K, V> {
    map: RwLock<Held<K, V>>,
    /// The most the values may weigh together, by `weight`.
    limit: usize,
    weight: fn(&V) -> usize,
    /// One load at a time per key: the readers asking meanwhile (all of them, after a start or
    /// a change) wait for it and take the kept value instead of all asking the database.
    flights: super::Flights<K>,
}

struct Held<K, V> {
    map: HashMap<K, V>,
    weight: usize,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// At most `limit` values.
    fn new(limit: usize) -> Self {
        Memo::weighed(limit, |_| 1)
    }

    /// At most `limit` of what `weight` counts (bytes, say).
    fn weighed(limit: usize, weight: fn(&V) -> usize) -> Self {
        Memo {
            map: RwLock::new(Held {
                map: HashMap::new(),
                weight: 0,
            }),
            limit,
            weight,
            flights: super::Flights::default(),
        }
    }

    fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.map
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .get(key)
            .cloned()
    }

    /// Keeps `value` if `still_current` holds, checked under the lock that every drop takes.
    fn put(&self, key: K, value: V, still_current: impl FnOnce() -> bool) {
        let weight = (self.weight)(&value);
        if weight > self.limit {
            return;
        }
        let mut held = self.map.write().unwrap_or_else(|p| p.into_inner());
        if still_current() {
            if held.weight + weight > self.limit {
                held.map.clear();
                held.weight = 0;
            }
            held.weight += weight;
            if let Some(old) = held.map.insert(key, value) {
                held.weight -= (self.weight)(&old);
            }
        }
    }

    fn retain(&self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let mut held = self.map.write().unwrap_or_else(|p| p.into_inner());
        let Held { map, weight } = &mut *held;
        map.retain(|k, v| {
            let kept = keep(k, v);
            if !kept {
                *weight -= (self.weight)(v);
            }
            kept
        });
    }

    fn clear(&self) {
        self.retain(|_, _| false);
    }

    fn any_key(&self, found: impl Fn(&K) -> bool) -> bool {
        let held = self.map.read().unwrap_or_else(|p| p.into_inner());
        held.map.keys().any(found)
    }

    fn len(&self) -> usize {
        self.map.read().unwrap_or_else(|p| p.into_inner()).map.len()
    }
}

/// What an overview shows of the plan table: the default plan, the first plans in the list's
/// order, and how many plans there are. Only a change of the plan table (which drops
/// everything) changes it.
pub struct PlansFront {
    pub default: Option<Plan>,
    pub first: Vec<Plan>,
    pub count: i64,
}

/// An indicator's successors in later plans: each one's plan slug and code.
type Successors = Arc<Vec<(String, String)>>;

/// Which report: the plan's slug, drafts or not, the year asked for (if any) and this year
/// (the year a report without one is judged as of).
#[derive(Clone, PartialEq, Eq, Hash)]
struct ReportKey {
    slug: String,
    visibility: Visibility,
    as_of: Option<i32>,
    this_year: i32,
}

pub(super) struct Kept {
    /// Bumped by every change of sessions or accounts heard (or made here).
    people: AtomicU64,
    /// A report of a plan of 40 indicators over 15 years is about 100 KiB.
    reports: Memo<ReportKey, Arc<PlanReport>>,
    plans: Memo<String, Plan>,
    /// What overviews list of the plan table (see [`PlansFront`]).
    front: Memo<i64, Arc<PlansFront>>,
    /// Each person's drafts waiting and sent back, by account; any change of data drops all.
    work: Memo<i64, Arc<Vec<PlanWork>>>,
    /// Each indicator's history of changes as its page shows it in each language (for
    /// signed-in readers), and its successors in later plans, by its plan's slug and its id; a
    /// change of that plan (or of a plan linked to it) drops them, as it drops its pages.
    history: Memo<(String, i64, Lang), Arc<Vec<HistoryView>>>,
    successors: Memo<(String, i64), Successors>,
    sessions: Memo<String, Record>,
    users: Memo<i64, User>,
    /// Signed-in readers' pages with their own parts open ([`Frame`]), dropped by the changes
    /// that drop the same page for visitors (see [`super::belongs`]).
    frames: Memo<FrameKey, Arc<Frame>>,
}

impl Default for Kept {
    fn default() -> Self {
        Kept {
            people: AtomicU64::new(0),
            reports: Memo::new(128),
            plans: Memo::new(1024),
            front: Memo::new(16),
            work: Memo::new(4096),
            history: Memo::new(1024),
            successors: Memo::new(4096),
            sessions: Memo::new(16384),
            users: Memo::new(4096),
            frames: Memo::weighed(FRAMES, |f| f.size()),
        }
    }
}

impl Kept {
    /// Every change of data: forget everything that reads data.
    pub(super) fn forget_data(&self) {
        self.reports.clear();
        self.plans.clear();
        self.front.clear();
        self.work.clear();
        self.history.clear();
        self.successors.clear();
        self.frames.clear();
    }

    /// A change of the plans `slugs`' data (the default plan among them when `home`).
    pub(super) fn drop_plans(&self, slugs: &HashSet<String>, home: bool) {
        self.reports.retain(|key, _| !slugs.contains(&key.slug));
        self.history.retain(|(slug, ..), _| !slugs.contains(slug));
        self.successors.retain(|(slug, _), _| !slugs.contains(slug));
        self.frames
            .retain(|key, _| !super::belongs_path(&key.page).changed_by(slugs, home));
        // Anyone's drafts may be in the changed plans.
        self.work.clear();
    }

    /// Forgets every session and account (the listener reconnected, changes may be missed).
    pub(super) fn forget_people(&self) {
        self.people.fetch_add(1, Ordering::SeqCst);
        self.sessions.clear();
        self.users.clear();
    }

    /// Forgets the session `id`.
    fn drop_session(&self, id: &str) {
        self.people.fetch_add(1, Ordering::SeqCst);
        self.sessions.retain(|key, _| key != id);
    }

    /// A notification on [`PEOPLE_CHANNEL`].
    pub(super) fn heard_of_people(&self, payload: &str) {
        if let Some(id) = payload.strip_prefix('s') {
            return self.drop_session(id);
        }
        self.people.fetch_add(1, Ordering::SeqCst);
        match payload.split_at_checked(1) {
            Some(("u", id)) => match id.parse::<i64>() {
                Ok(id) => self.users.retain(|key, _| *key != id),
                Err(_) => self.users.clear(),
            },
            _ => {
                self.sessions.clear();
                self.users.clear();
            }
        }
    }
}

impl PageCache {
    /// `load`'s value, or the one kept from an earlier request (when `fresh` for this one) while
    /// no change has been heard since; a loaded value is kept if `counter` did not move
    /// meanwhile.
    async fn memo_or_load<K, V, E>(
        &self,
        memo: &Memo<K, V>,
        counter: &AtomicU64,
        key: K,
        fresh: impl Fn(&V) -> bool,
        load: impl Future<Output = Result<Option<V>, E>>,
    ) -> Result<Option<V>, E>
    where
        K: Hash + Eq + Clone,
        V: Clone,
    {
        if !self.is_live() {
            // Nothing is kept while changes cannot be heard, and nobody waits for anyone.
            return load.await;
        }
        if let Some(value) = memo.get(&key).filter(|v| fresh(v)) {
            return Ok(Some(value));
        }
        let flight = memo.flights.lock_for(key.clone());
        let _turn = flight.lock().await;
        // Loaded and kept while this reader waited?
        if self.is_live()
            && let Some(value) = memo.get(&key).filter(|v| fresh(v))
        {
            return Ok(Some(value));
        }
        let before = counter.load(Ordering::SeqCst);
        let value = load.await?;
        if let Some(value) = &value {
            memo.put(key, value.clone(), || {
                self.is_live() && counter.load(Ordering::SeqCst) == before
            });
        }
        Ok(value)
    }

    /// [`Self::memo_or_load`] for what is always found and changes with data.
    async fn data_or_load<K: Hash + Eq + Clone, V: Clone, E>(
        &self,
        memo: &Memo<K, V>,
        key: K,
        fresh: impl Fn(&V) -> bool,
        load: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        let load = async { load.await.map(Some) };
        let value = self
            .memo_or_load(memo, &self.generation, key, fresh, load)
            .await?;
        Ok(value.expect("a loaded value is always there"))
    }

    /// The plan whose slug is `slug`.
    pub async fn plan(&self, db: &PgPool, slug: &str) -> sqlx::Result<Option<Plan>> {
        let load = async {
            let mut conn = db.acquire().await?;
            crate::store::plans::by_slug(&mut conn, slug).await
        };
        let kept = &self.kept.plans;
        self.memo_or_load(kept, &self.generation, slug.to_owned(), |_| true, load)
            .await
    }

    /// The default plan, the first `first` plans and the number of plans.
    pub async fn plans_front(&self, db: &PgPool, first: i64) -> sqlx::Result<Arc<PlansFront>> {
        let load = async {
            let mut conn = db.acquire().await?;
            Ok(Arc::new(PlansFront {
                default: crate::store::plans::default_plan(&mut conn).await?,
                first: crate::store::plans::page(&mut conn, 0, first).await?,
                count: crate::store::plans::count(&mut conn).await?,
            }))
        };
        self.data_or_load(&self.kept.front, first, |_| true, load)
            .await
    }

    /// The report of `plan` as `visibility` shows it, as of `as_of` (this year's when `None`).
    pub async fn report(
        &self,
        db: &PgPool,
        plan: Plan,
        visibility: Visibility,
        as_of: Option<i32>,
    ) -> sqlx::Result<Arc<PlanReport>> {
        let key = ReportKey {
            slug: plan.slug.clone(),
            visibility,
            as_of,
            this_year: crate::report::this_year(),
        };
        let asked = plan.clone();
        let load = async {
            let mut conn = db.acquire().await?;
            let report = PlanReport::load_as_of(&mut conn, plan, visibility, as_of).await?;
            Ok(Arc::new(report))
        };
        self.data_or_load(&self.kept.reports, key, |r| r.plan == asked, load)
            .await
    }

    /// What waits for `user_id` (see [`crate::store::review::work_for`]).
    pub async fn work_for(&self, db: &PgPool, user_id: i64) -> sqlx::Result<Arc<Vec<PlanWork>>> {
        let load = async {
            let mut conn = db.acquire().await?;
            let work = crate::store::review::work_for(&mut conn, user_id).await?;
            Ok(Arc::new(work))
        };
        self.data_or_load(&self.kept.work, user_id, |_| true, load)
            .await
    }

    /// The last [`HISTORY`] changes of the indicator `indicator_id` (of the plan `slug`)'s
    /// figures, newest first, as shown in the reader's language.
    pub async fn indicator_history(
        &self,
        db: &PgPool,
        slug: &str,
        indicator_id: i64,
    ) -> sqlx::Result<Arc<Vec<HistoryView>>> {
        let load = async {
            let mut conn = db.acquire().await?;
            let filter = AuditFilter {
                indicator_id: Some(indicator_id),
                ..AuditFilter::default()
            };
            let rows = crate::store::figures::history(&mut conn, &filter, HISTORY).await?;
            Ok(Arc::new(rows.iter().map(HistoryView::new).collect()))
        };
        let key = (slug.to_owned(), indicator_id, Lang::current());
        self.data_or_load(&self.kept.history, key, |_| true, load)
            .await
    }

    /// The same indicator (`indicator_id` of the plan `slug`) in later plans: each one's plan
    /// slug and code.
    pub async fn successors(
        &self,
        db: &PgPool,
        slug: &str,
        indicator_id: i64,
    ) -> sqlx::Result<Successors> {
        let load = async {
            let mut conn = db.acquire().await?;
            let found = crate::store::plans::successors(&mut conn, indicator_id).await?;
            Ok(Arc::new(found))
        };
        let key = (slug.to_owned(), indicator_id);
        self.data_or_load(&self.kept.successors, key, |_| true, load)
            .await
    }

    /// The account `user_id`, if it exists.
    pub async fn user(&self, db: &PgPool, user_id: i64) -> sqlx::Result<Option<User>> {
        let load = async {
            let mut conn = db.acquire().await?;
            crate::store::users::by_id(&mut conn, user_id).await
        };
        let kept = &self.kept.users;
        self.memo_or_load(kept, &self.kept.people, user_id, |_| true, load)
            .await
    }

    /// The session `id` (unexpired), loaded by `load` unless kept.
    pub(crate) async fn session<E>(
        &self,
        id: String,
        load: impl Future<Output = Result<Option<Record>, E>>,
    ) -> Result<Option<Record>, E> {
        let unexpired =
            |r: &Record| r.expiry_date > tower_sessions::cookie::time::OffsetDateTime::now_utc();
        let kept = &self.kept.sessions;
        self.memo_or_load(kept, &self.kept.people, id, unexpired, load)
            .await
    }

    /// This instance changed or ended the session `id`: forget it at once (the notification
    /// tells the other instances).
    pub(crate) fn forget_session(&self, id: &str) {
        self.kept.drop_session(id);
    }

    /// How many signed-in readers' pages are kept (for tests and diagnostics).
    pub fn frames_kept(&self) -> usize {
        self.kept.frames.len()
    }

    /// Whether the page at `page` (its address and query) is kept for signed-in readers, for
    /// any role or language (for tests and diagnostics).
    pub fn frame_kept(&self, page: &str) -> bool {
        self.kept.frames.any_key(|key| key.page == page)
    }

    /// The signed-in readers' page `key`, rendered by `render` unless kept.
    pub(crate) async fn frame<E>(
        &self,
        key: FrameKey,
        render: impl Future<Output = Result<Frame, E>>,
    ) -> Result<Arc<Frame>, E> {
        // One render at a time per page, as for public pages (see `Memo::flights`).
        let render = async { render.await.map(Arc::new) };
        self.data_or_load(&self.kept.frames, key, |_| true, render)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Asks for user 7's waiting work `n` times at once; returns how many loads ran.
    async fn ask_at_once(cache: &Arc<PageCache>, n: usize) -> u64 {
        let loads = Arc::new(AtomicU64::new(0));
        let mut asking = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (cache, loads) = (cache.clone(), loads.clone());
            asking.spawn(async move {
                let load = async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    Ok::<_, ()>(Arc::new(Vec::new()))
                };
                cache
                    .data_or_load(&cache.kept.work, 7, |_| true, load)
                    .await
            });
        }
        while let Some(answer) = asking.join_next().await {
            assert!(answer.unwrap().is_ok());
        }
        loads.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn readers_asking_at_once_wait_for_one_load_while_changes_are_heard() {
        let cache = PageCache::new();
        // No listener: nothing is kept, and nobody waits for anyone.
        assert_eq!(ask_at_once(&cache, 16).await, 16);
        cache.set_live(true);
        assert_eq!(ask_at_once(&cache, 16).await, 1);
        assert_eq!(ask_at_once(&cache, 16).await, 0, "kept");
        // A change drops it: loaded once more, however many ask.
        cache.drop_plans(&HashSet::from(["a".to_owned()]), false);
        assert_eq!(ask_at_once(&cache, 16).await, 1);
    }
}
