//! A plan's definitions, figures and progress, gathered once for the pages and the API.

use sqlx::PgConnection;

use crate::domain::plan::{ItemStatus, ObservationKind, ObservationState};
use crate::domain::progress::{self, Inputs, Point, Progress, Status, Target};
use crate::store::definitions::{self, EarlierTarget};
use crate::store::plans::{
    self, Group, Indicator, Item, Observation, Plan, Programme, StatusChange, Visibility,
};

pub struct PlanReport {
    pub plan: Plan,
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
    /// Judged on published actual values only, whoever reads, against the target in force.
    pub progress: Progress,
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
        let groups = plans::groups(conn, plan.plan_id).await?;
        let indicators = plans::indicators(conn, plan.plan_id).await?;
        let mut observations = plans::observations(conn, plan.plan_id, visibility).await?;
        let programmes = plans::programmes(conn, plan.plan_id).await?;
        let mut items = plans::items(conn, plan.plan_id, visibility).await?;
        let mut changes = plans::status_changes(conn, plan.plan_id, visibility).await?;
        let earlier_targets = definitions::earlier_targets(conn, plan.plan_id).await?;

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
        let this_year = chrono::Datelike::year(&chrono::Utc::now());
        let mut programme_reports = programme_reports;
        for p in &mut programme_reports {
            p.derived = p.derived_counts(plan.baseline_year, plan.end_year.min(this_year));
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

    /// How many indicators have each status, in the order of `Status::ALL`.
    pub fn status_counts(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    self.indicators()
                        .filter(|r| r.progress.status == *s)
                        .count(),
                )
            })
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
        let target = ind.target.as_ref().map(Target::from);
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

/// Applies the progress method to an indicator's published actual values.
pub fn assess(indicator: &Indicator, observations: &[Observation]) -> Progress {
    let actuals: Vec<Point> = observations
        .iter()
        .filter(|o| o.kind == ObservationKind::Actual && o.state == ObservationState::Published)
        .map(|o| Point {
            year: o.year,
            value: o.value,
        })
        .collect();
    progress::assess(&Inputs {
        direction: indicator.direction,
        baseline_year: indicator.baseline.as_ref().map(|b| b.year),
        baseline_value: indicator.baseline.as_ref().and_then(|b| b.value),
        target: indicator.target.as_ref().map(Target::from),
        actuals: &actuals,
    })
}
