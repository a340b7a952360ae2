//! A plan's definitions, figures and progress, gathered once for the pages and the API.

use sqlx::PgConnection;

use crate::domain::plan::{ObservationKind, ObservationState};
use crate::domain::progress::{self, Inputs, Point, Progress, Status, Target};
use crate::store::definitions::{self, EarlierTarget};
use crate::store::plans::{self, Group, Indicator, Item, Observation, Plan, Programme, Visibility};

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
    pub items: Vec<Item>,
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
        let mut items = plans::items(conn, plan.plan_id).await?;
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
                ProgrammeReport {
                    indicator_code: linked.map(|r| r.indicator.code.clone()),
                    programme,
                    counts,
                    items: mine,
                }
            })
            .collect();
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
        baseline_year: indicator.baseline_year,
        baseline_value: indicator.baseline_value,
        target: indicator
            .target_year
            .zip(indicator.target_value)
            .map(|(year, value)| Target {
                year,
                value,
                comparator: indicator.target_comparator,
            }),
        actuals: &actuals,
    })
}
