//! A plan's definitions, figures and progress, gathered once for the pages and the API.

use sqlx::PgConnection;

use crate::domain::plan::{ItemStatus, Method, ObservationKind, ObservationState};
use crate::domain::progress::{self, Inputs, Point, Progress, Target};
use crate::domain::target::TargetRule;
use crate::domain::time_progress::{self, Judged, Judgement};
use crate::store::definitions::{self, EarlierTarget};
use crate::store::plans::{
    self, Group, Indicator, Item, Observation, Plan, Programme, StatusChange, Visibility,
};
use crate::store::verdicts::{self, TargetVerdict};

pub struct PlanReport {
    pub plan: Plan,
    /// The year the verdicts are as of: figures after it are left out of the report.
    pub as_of: i32,
    /// Whether `as_of` was asked for (the annual monitoring view) rather than this year.
    pub as_of_asked: bool,
    pub groups: Vec<GroupReport>,
    pub programmes: Vec<ProgrammeReport>,
}

pub struct GroupReport {
    pub group: Group,
    pub indicators: Vec<IndicatorReport>,
}

pub struct IndicatorReport {
    pub indicator: Indicator,
    pub group_code: String,
    /// Every figure the reader may see, oldest year first.
    pub observations: Vec<Observation>,
    /// Open SDG, judged on published actual values only, whoever reads, against the target in
    /// force.
    pub progress: Progress,
    /// The time-progress method on the same figures.
    pub judgement: Judgement,
    /// The headline status: the plan's method's.
    pub status: Headline,
    /// Officials' verdicts on a target in words, oldest year first (drafts only for readers
    /// who may see them).
    pub verdicts: Vec<TargetVerdict>,
    /// Targets that amendments replaced, oldest first; the target in force is the indicator's.
    pub earlier_targets: Vec<EarlierTarget>,
}

pub struct ProgrammeReport {
    pub programme: Programme,
    /// The indicator whose figures are this programme's counts, if any.
    pub indicator_code: Option<String>,
    pub counts: Vec<Observation>,
    pub items: Vec<ItemReport>,
    /// For a programme that counts its items: the count of each year of the plan so far.
    pub derived: Option<Vec<(i32, i64)>>,
}

/// An item with the changes of its status the reader may see, oldest first.
pub struct ItemReport {
    pub item: Item,
    pub changes: Vec<StatusChange>,
}

impl ItemReport {
    /// The item's status and its year now: its newest published change, else where it started.
    pub fn current(&self) -> (Option<ItemStatus>, Option<i32>) {
        self.changes
            .iter()
            .rev()
            .find(|c| c.state == ObservationState::Published)
            .map_or((self.item.status, self.item.year), |c| {
                (Some(c.status), Some(c.year))
            })
    }

    /// The change awaiting review, if any.
    pub fn draft_change(&self) -> Option<&StatusChange> {
        self.changes
            .iter()
            .find(|c| c.state == ObservationState::Draft)
    }
}

impl ProgrammeReport {
    /// For a programme that counts its items: the count for each year from `from` to `to`, the
    /// published items whose status now is the programme's and whose year is at most that year.
    pub fn derived_counts(&self, from: i32, to: i32) -> Option<Vec<(i32, i64)>> {
        let status = self.programme.count_from_items?;
        let years: Vec<i32> = self
            .items
            .iter()
            .filter(|i| i.item.state == ObservationState::Published)
            .filter_map(|i| match i.current() {
                (Some(s), Some(y)) if s == status => Some(y),
                _ => None,
            })
            .collect();
        Some(
            (from..=to)
                .map(|y| (y, years.iter().filter(|&&iy| iy <= y).count() as i64))
                .collect(),
        )
    }

    /// Published items whose status now is `status`.
    pub fn items_in(&self, status: ItemStatus) -> usize {
        self.items
            .iter()
            .filter(|i| {
                i.item.state == ObservationState::Published && i.current().0 == Some(status)
            })
            .count()
    }
}

impl PlanReport {
    pub async fn load(
        conn: &mut PgConnection,
        plan: Plan,
        visibility: Visibility,
    ) -> sqlx::Result<PlanReport> {
        PlanReport::load_as_of(conn, plan, visibility, None).await
    }

    /// The report with figures up to `as_of` only, its verdicts as they stood then (the
    /// annual monitoring view); `None` is this year's view with every figure.
    pub async fn load_as_of(
        conn: &mut PgConnection,
        plan: Plan,
        visibility: Visibility,
        as_of: Option<i32>,
    ) -> sqlx::Result<PlanReport> {
        let judged_year = as_of.unwrap_or_else(this_year);
        let groups = plans::groups(conn, plan.plan_id).await?;
        let indicators = plans::indicators(conn, plan.plan_id).await?;
        let mut observations = plans::observations(conn, plan.plan_id, visibility).await?;
        observations.retain(|o| o.year <= judged_year);
        let programmes = plans::programmes(conn, plan.plan_id).await?;
        let mut items = plans::items(conn, plan.plan_id, visibility).await?;
        let mut changes = plans::status_changes(conn, plan.plan_id, visibility).await?;
        let earlier_targets = definitions::earlier_targets(conn, plan.plan_id).await?;
        let verdicts = verdicts::for_plan(conn, plan.plan_id, visibility).await?;

        let mut by_indicator = |id: i64| -> Vec<Observation> {
            let (mine, rest) = std::mem::take(&mut observations)
                .into_iter()
                .partition(|o| o.indicator_id == Some(id));
            observations = rest;
            mine
        };
        let mut indicator_reports: Vec<IndicatorReport> = indicators
            .into_iter()
            .map(|indicator| {
                let observations = by_indicator(indicator.indicator_id);
                let group_code = groups
                    .iter()
                    .find(|g| g.indicator_group_id == indicator.indicator_group_id)
                    .map(|g| g.code.clone())
                    .unwrap_or_default();
                let progress = assess(&indicator, &observations);
                IndicatorReport {
                    verdicts: verdicts
                        .iter()
                        .filter(|v| v.indicator_id == indicator.indicator_id)
                        .cloned()
                        .collect(),
                    judgement: time_progress::Judgement::unjudged(),
                    status: Headline::OpenSdg(progress.status),
                    earlier_targets: earlier_targets
                        .iter()
                        .filter(|t| t.indicator_id == indicator.indicator_id)
                        .cloned()
                        .collect(),
                    indicator,
                    group_code,
                    observations,
                    progress,
                }
            })
            .collect();
        let programme_reports = programmes
            .into_iter()
            .map(|programme| {
                let linked = programme.indicator_id.and_then(|id| {
                    indicator_reports
                        .iter()
                        .find(|r| r.indicator.indicator_id == id)
                });
                let counts = match linked {
                    Some(r) => r
                        .observations
                        .iter()
                        .filter(|o| o.kind == ObservationKind::Actual)
                        .cloned()
                        .collect(),
                    None => observations
                        .iter()
                        .filter(|o| o.programme_id == Some(programme.programme_id))
                        .cloned()
                        .collect(),
                };
                let (mine, rest) = std::mem::take(&mut items)
                    .into_iter()
                    .partition(|i| i.programme_id == programme.programme_id);
                items = rest;
                let items = mine
                    .into_iter()
                    .map(|item| {
                        let (theirs, rest) = std::mem::take(&mut changes)
                            .into_iter()
                            .partition(|c| c.programme_item_id == item.programme_item_id);
                        changes = rest;
                        ItemReport {
                            item,
                            changes: theirs,
                        }
                    })
                    .collect();
                ProgrammeReport {
                    indicator_code: linked.map(|r| r.indicator.code.clone()),
                    programme,
                    counts,
                    items,
                    derived: None,
                }
            })
            .collect::<Vec<_>>();
        judge_all(&plan, judged_year, &mut indicator_reports);
        let mut programme_reports = programme_reports;
        for p in &mut programme_reports {
            p.derived = p.derived_counts(plan.baseline_year, plan.end_year.min(judged_year));
        }
        let groups = groups
            .into_iter()
            .map(|group| {
                let (mine, rest) = std::mem::take(&mut indicator_reports)
                    .into_iter()
                    .partition(|r| r.indicator.indicator_group_id == group.indicator_group_id);
                indicator_reports = rest;
                GroupReport {
                    group,
                    indicators: mine,
                }
            })
            .collect();
        Ok(PlanReport {
            plan,
            as_of: judged_year,
            as_of_asked: as_of.is_some(),
            groups,
            programmes: programme_reports,
        })
    }

    pub fn indicators(&self) -> impl Iterator<Item = &IndicatorReport> {
        self.groups.iter().flat_map(|g| g.indicators.iter())
    }

    pub fn indicator(&self, code: &str) -> Option<&IndicatorReport> {
        self.indicators().find(|r| r.indicator.code == code)
    }

    pub fn programme(&self, slug: &str) -> Option<&ProgrammeReport> {
        self.programmes.iter().find(|p| p.programme.slug == slug)
    }

    /// How many indicators have each status of the plan's method, in the method's order.
    pub fn status_counts(&self) -> Vec<(Headline, usize)> {
        Headline::all(self.plan.method)
            .into_iter()
            .map(|s| (s, self.indicators().filter(|r| r.status == s).count()))
            .collect()
    }
}

impl IndicatorReport {
    /// The newest published actual value.
    pub fn latest(&self) -> Option<&Observation> {
        self.published(ObservationKind::Actual).last()
    }

    /// Published figures of one kind, oldest year first.
    pub fn published(
        &self,
        kind: ObservationKind,
    ) -> impl DoubleEndedIterator<Item = &Observation> {
        self.observations
            .iter()
            .filter(move |o| o.kind == kind && o.state == ObservationState::Published)
    }
}

/// How an indicator ended a plan period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Achieved,
    NotAchieved,
    /// No published actual value up to the plan's end year.
    NoData,
    /// The plan gives no target to judge against.
    NoTarget,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Achieved => "achieved",
            Verdict::NotAchieved => "not_achieved",
            Verdict::NoData => "no_data",
            Verdict::NoTarget => "no_target",
        }
    }
}

/// An indicator's result at the end of a plan: its final value, the verdict against the target
/// and the progress method applied to the figures up to the end year.
pub struct FinalResult<'a> {
    pub final_value: Option<&'a Observation>,
    pub verdict: Verdict,
    pub progress: Progress,
}

impl IndicatorReport {
    /// The result at the end of the plan: the latest published actual up to `end_year`.
    pub fn final_result(&self, end_year: i32) -> FinalResult<'_> {
        let until: Vec<Observation> = self
            .observations
            .iter()
            .filter(|o| o.year <= end_year)
            .cloned()
            .collect();
        let progress = assess(&self.indicator, &until);
        let final_value = self
            .published(ObservationKind::Actual)
            .rfind(|o| o.year <= end_year);
        let ind = &self.indicator;
        let baseline_value = ind.baseline.as_ref().and_then(|b| b.value);
        let target = ind
            .target
            .as_ref()
            .and_then(|t| Target::level_of(t, baseline_value));
        // A plan judged by time progress gives its own final verdict, from the same judgement
        // as every page (the report being as of the end year or later).
        if let (Headline::TimeProgress(status), Some(_)) = (self.status, &ind.target) {
            use time_progress::Status as T;
            let verdict = match status {
                T::Achieved | T::AchievedEarly => Verdict::Achieved,
                T::NotAchieved => Verdict::NotAchieved,
                _ => Verdict::NoData,
            };
            return FinalResult {
                final_value,
                verdict,
                progress,
            };
        }
        let verdict = match (final_value, target) {
            (None, _) => Verdict::NoData,
            (Some(_), None) => Verdict::NoTarget,
            (Some(o), Some(t)) if progress::reached(ind.direction, &t, o.value) => {
                Verdict::Achieved
            }
            (Some(_), Some(_)) => Verdict::NotAchieved,
        };
        FinalResult {
            final_value,
            verdict,
            progress,
        }
    }
}

/// Applies the Open SDG method to an indicator's published actual values. A yearly growth or
/// reduction rate has no compound growth worth the name, so it is not judged this way.
pub fn assess(indicator: &Indicator, observations: &[Observation]) -> Progress {
    if indicator.measure.is_rate() {
        return Progress::not_available(Some(progress::Unavailable::YearlyRate), None, None);
    }
    let actuals = published_actuals(observations);
    let baseline_value = indicator.baseline.as_ref().and_then(|b| b.value);
    let mut progress = progress::assess(&Inputs {
        direction: indicator.direction,
        baseline_year: indicator.baseline.as_ref().map(|b| b.year),
        baseline_value,
        target: indicator
            .target
            .as_ref()
            .and_then(|t| Target::level_of(t, baseline_value)),
        actuals: &actuals,
    });
    // Without a published baseline value the method measures from the earliest figure, which
    // the indicator page names; a share of the way and a projection from it would read as if
    // they ran from the plan's baseline, so none is given.
    if baseline_value.is_none() {
        progress.share_of_way = None;
        progress.projected_value = None;
    }
    progress
}

/// This year, as the plan's readers count it.
pub fn this_year() -> i32 {
    let now = chrono::Utc::now().with_timezone(&crate::i18n::TimeZone::current().offset());
    chrono::Datelike::year(&now)
}

/// Judges every indicator by the time-progress method (a `relative` target reads the other
/// indicator's figures, so all are at hand) and sets each headline status by the plan's method.
fn judge_all(plan: &Plan, as_of: i32, reports: &mut [IndicatorReport]) {
    let actuals: Vec<(String, Vec<Point>)> = reports
        .iter()
        .map(|r| (r.indicator.code.clone(), published_actuals(&r.observations)))
        .collect();
    for r in reports.iter_mut() {
        let other = other_actuals(&r.indicator, |code| {
            actuals
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, v)| v.clone())
        });
        let judgement = time_progress_of(plan, as_of, r, &r.observations, &other);
        r.judgement = judgement;
        r.status = headline(plan.method, &r.progress, &r.judgement);
    }
}

impl PlanReport {
    /// The headline status `r` would have with `observations` as its figures (a draft
    /// published, say), judged as the report judges.
    pub fn judge_with(&self, r: &IndicatorReport, observations: &[Observation]) -> Headline {
        let progress = assess(&r.indicator, observations);
        let other = other_actuals(&r.indicator, |code| {
            self.indicator(code)
                .map(|o| published_actuals(&o.observations))
        });
        let judgement = time_progress_of(&self.plan, self.as_of, r, observations, &other);
        headline(self.plan.method, &progress, &judgement)
    }
}

/// For a `relative` target, the other indicator's published actuals.
fn other_actuals(ind: &Indicator, find: impl Fn(&str) -> Option<Vec<Point>>) -> Vec<Point> {
    match ind.target.as_ref().map(|t| &t.rule) {
        Some(TargetRule::Relative { indicator, .. }) => find(indicator).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The time-progress method on an indicator's published actuals up to `as_of`.
fn time_progress_of(
    plan: &Plan,
    as_of: i32,
    r: &IndicatorReport,
    observations: &[Observation],
    other: &[Point],
) -> Judgement {
    let ind = &r.indicator;
    let Some(target) = &ind.target else {
        return Judgement::unjudged();
    };
    let values = published_actuals(observations);
    // Verdicts only count once another official published them.
    let verdicts: Vec<time_progress::Verdict> = r
        .verdicts
        .iter()
        .filter(|v| v.state == ObservationState::Published)
        .map(|v| time_progress::Verdict {
            year: v.year,
            status: v.status,
        })
        .collect();
    time_progress::judge(&Judged {
        baseline_year: ind.baseline.as_ref().map_or(plan.baseline_year, |b| b.year),
        first_year: plan.start_year,
        direction: ind.direction,
        measure: ind.measure,
        baseline_value: ind.baseline.as_ref().and_then(|b| b.value),
        values: &values,
        as_of,
        target,
        other,
        verdicts: &verdicts,
        factors: plan.factors(),
    })
}

fn headline(method: Method, progress: &Progress, judgement: &Judgement) -> Headline {
    match method {
        Method::OpenSdg => Headline::OpenSdg(progress.status),
        Method::TimeProgress => Headline::TimeProgress(judgement.status),
    }
}

fn published_actuals(observations: &[Observation]) -> Vec<Point> {
    observations
        .iter()
        .filter(|o| o.kind == ObservationKind::Actual && o.state == ObservationState::Published)
        .map(|o| Point {
            year: o.year,
            value: o.value,
        })
        .collect()
}

/// An indicator's headline status: the status of the method its plan chose. Pages, downloads,
/// feeds and the API all show this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Headline {
    OpenSdg(progress::Status),
    TimeProgress(time_progress::Status),
}

impl Headline {
    /// The status code, as the API and the `?status=` filter write it.
    pub fn code(self) -> &'static str {
        match self {
            Headline::OpenSdg(s) => s.as_str(),
            Headline::TimeProgress(s) => s.as_str(),
        }
    }

    /// The statuses of `method`, from the best news to the least known.
    pub fn all(method: Method) -> Vec<Headline> {
        use time_progress::Status as T;
        match method {
            Method::OpenSdg => progress::Status::ALL
                .into_iter()
                .map(Headline::OpenSdg)
                .collect(),
            Method::TimeProgress => [
                T::Achieved,
                T::AchievedEarly,
                T::Ahead,
                T::OnSchedule,
                T::Lagging,
                T::NotAchieved,
                T::AwaitingData,
                T::AwaitingJudgement,
                T::NotEnoughData,
            ]
            .into_iter()
            .map(Headline::TimeProgress)
            .collect(),
        }
    }

    /// The status of `method` written `code`.
    pub fn parse(method: Method, code: &str) -> Option<Headline> {
        Headline::all(method).into_iter().find(|h| h.code() == code)
    }

    /// Officials look at these first: behind the pace the target needs, or missed.
    pub fn needs_attention(self) -> bool {
        use progress::Status as O;
        use time_progress::Status as T;
        matches!(
            self,
            Headline::OpenSdg(O::ModerateProgress | O::LimitedProgress | O::Deterioration)
                | Headline::TimeProgress(T::Lagging | T::NotAchieved)
        )
    }

    /// The order officials read them in: missed and worst first, unknown last.
    pub fn worst_first(self) -> u8 {
        use progress::Status as O;
        use time_progress::Status as T;
        match self {
            Headline::OpenSdg(O::Deterioration) | Headline::TimeProgress(T::NotAchieved) => 0,
            Headline::OpenSdg(O::LimitedProgress) | Headline::TimeProgress(T::Lagging) => 1,
            Headline::OpenSdg(O::ModerateProgress) => 2,
            Headline::OpenSdg(O::SubstantialProgress) | Headline::TimeProgress(T::OnSchedule) => 3,
            Headline::TimeProgress(T::Ahead) => 4,
            Headline::OpenSdg(O::TargetAchieved)
            | Headline::TimeProgress(T::AchievedEarly | T::Achieved) => 5,
            Headline::TimeProgress(T::AwaitingData | T::AwaitingJudgement) => 6,
            Headline::OpenSdg(O::NotAvailable) | Headline::TimeProgress(T::NotEnoughData) => 7,
        }
    }
}

impl From<progress::Status> for Headline {
    fn from(s: progress::Status) -> Headline {
        Headline::OpenSdg(s)
    }
}

impl From<time_progress::Status> for Headline {
    fn from(s: time_progress::Status) -> Headline {
        Headline::TimeProgress(s)
    }
}
