//! Review: officials publish analysts' drafts or send them back with a comment. Nobody
//! publishes a figure they entered themselves.

use crate::domain::plausibility::{self, Expected};
use crate::i18n::{Lang, t, t1, t2};
use crate::mail::{FigureRef, Notice};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use super::extract::{CurrentPlan, Path, Query};
use super::form::{self, FieldErrors};
use super::layout::Layout;
use super::session::{CsrfForm, Reviewer};
use super::views::{self, PlanHeader, StatusView, item_status, status_view, value_text};
use super::{AppError, AppState, format};
use crate::domain::entry::{self, REASON_MAX};
use crate::domain::plan::ObservationState;
use crate::report::{Headline, PlanReport};
use crate::store::assessment::{self, Commentaries, IndicatorCommentary};
use crate::store::figures::{self, Figures, Owner, PendingDraft, Stored};
use crate::store::items::{Items, Statuses};
use crate::store::plans::{Observation, Plan, Visibility};
use crate::store::report_words::{self, ReportWords, YearWords};
use crate::store::review::{self, ReviewOutcome};
use crate::store::users::User;
use crate::store::verdicts::Verdicts;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{plan}/review", get(review).post(send_back_here))
        .route("/plans/{plan}/review/publish-year", post(publish_year))
        .route("/plans/{plan}/review/{draft}/publish", post(publish))
        .route("/plans/{plan}/review/{draft}/send-back", post(send_back))
        .route(
            "/plans/{plan}/review/{kind}/{id}/publish",
            post(publish_other),
        )
        .route(
            "/plans/{plan}/review/{kind}/{id}/send-back",
            post(send_back_other),
        )
}

pub struct DraftView {
    pub id: i64,
    pub version: i32,
    pub name: String,
    pub link: String,
    pub year: i32,
    pub value: String,
    /// The unit of the indicator (or of the programme's count), in the reader's language.
    pub unit: String,
    pub previous: String,
    /// The published figure of the nearest earlier year, with its year (`974.24 (2024)`), or
    /// "none".
    pub previous_year: String,
    /// The change from that figure in % (`+938.8%`), or "—".
    pub change: String,
    /// The target as the indicator page words it.
    pub target: String,
    /// The status the indicator would have with this draft published, and the one it has now
    /// when that differs; none for a programme's count.
    pub would_be: Option<StatusView>,
    pub status_now: Option<String>,
    /// The commentary that publishing makes public.
    pub commentary: String,
    /// Why the value looks wrong (plausibility checks); empty when nothing is questioned.
    pub warning: String,
    /// The person who entered it confirmed it after the warning.
    pub checked: bool,
    pub entered: String,
    pub source: String,
    pub note: String,
    pub own: bool,
    pub comment: String,
    pub comment_error: Option<String>,
}

pub struct YearGroup {
    pub year: i32,
    pub drafts: Vec<DraftView>,
    pub publishable: usize,
}

#[derive(Template)]
#[template(path = "review/list.html")]
struct ReviewPage {
    layout: Layout,
    plan: PlanHeader,
    years: Vec<YearGroup>,
    notice: Option<String>,
    /// New programme items, status changes of items and final-assessment commentary.
    others: Vec<OtherSection>,
    /// A refused send-back: the message at its comment field and in the summary.
    errors: FieldErrors,
    /// The narrowing of the queue, with the links that change it.
    filter: FilterView,
    /// The reader's own verdicts and commentary an official sent back.
    returned: Vec<Returned>,
}

/// A draft of the reader's that an official sent back: where to correct it, and why.
pub struct Returned {
    pub what: String,
    pub link: String,
    pub comment: String,
}

/// "Sent back by {who}: {comment}".
fn returned_comment(who: &Option<String>, comment: &str) -> String {
    t2(
        "verdict-returned",
        "who",
        who.clone().unwrap_or_default(),
        "comment",
        comment,
    )
}

/// The reader's verdicts and assessment commentary that were sent back (figures sent back are
/// listed on the entry page, which officials who do not enter figures never see).
fn returned_to(
    report: &PlanReport,
    assessments: &std::collections::HashMap<i64, IndicatorCommentary>,
    words: &std::collections::HashMap<i32, YearWords>,
    user: &User,
) -> Vec<Returned> {
    let slug = &report.plan.slug;
    let lang = Lang::current();
    let mut out = Vec::new();
    for r in report.indicators() {
        let name = lang.pick(&r.indicator.name_zh, &r.indicator.name_en);
        let code = &r.indicator.code;
        for v in r.verdicts.iter().filter(|v| {
            v.state == ObservationState::Draft
                && v.returned_at.is_some()
                && v.entered_by == Some(user.app_user_id)
        }) {
            out.push(Returned {
                what: format!(
                    "{} ({}){}{name}",
                    t("verdict-title"),
                    v.year,
                    t("label-separator")
                ),
                link: format!("/plans/{slug}/indicators/{code}/verdict"),
                comment: returned_comment(&v.returned_by_name, &v.review_comment),
            });
        }
        if let Some(d) = assessments
            .get(&r.indicator.indicator_id)
            .and_then(|c| c.draft.as_ref())
            .filter(|d| d.returned_at.is_some() && d.entered_by == Some(user.app_user_id))
        {
            out.push(Returned {
                what: format!(
                    "{}{}{name}",
                    t("assessment-edit-title"),
                    t("label-separator")
                ),
                link: format!("/plans/{slug}/assessment/{code}/edit"),
                comment: returned_comment(&d.returned_by_name, &d.review_comment),
            });
        }
    }
    let mut years: Vec<_> = words.iter().collect();
    years.sort_by_key(|(year, _)| **year);
    for (year, w) in years {
        if let Some(d) = w
            .draft
            .as_ref()
            .filter(|d| d.returned_at.is_some() && d.entered_by == Some(user.app_user_id))
        {
            out.push(Returned {
                what: t1("report-edit-title", "year", year),
                link: format!("/plans/{slug}/reports/{year}/edit"),
                comment: returned_comment(&d.returned_by_name, &d.review_comment),
            });
        }
    }
    out
}

/// A draft that is not a figure: an item, a status change, an assessment commentary.
pub struct OtherDraft {
    /// Unique on the page: the row's id and the form's field ids.
    pub form: String,
    /// The address its decisions are posted to (`…/publish`, `…/send-back`).
    pub action: String,
    pub version: i32,
    pub what: String,
    pub link: String,
    pub detail: String,
    pub previous: String,
    pub entered: String,
    pub own: bool,
    pub comment: String,
    pub comment_error: Option<String>,
}

pub struct OtherSection {
    /// The message id of the section's heading.
    pub heading: &'static str,
    pub id: &'static str,
    pub drafts: Vec<OtherDraft>,
}

fn entered(name: &Option<String>, at: &chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{}, {}",
        name.as_deref()
            .map_or_else(|| t("entry-seed-file"), str::to_owned),
        crate::i18n::time(at)
    )
}

/// The drafts other than figures that wait for review (none sent back), narrowed as the
/// figures are: items and their status changes by their year (they have no heading),
/// final-assessment commentary by its indicator's heading (it has no year).
fn others(
    report: &PlanReport,
    assessments: &std::collections::HashMap<i64, IndicatorCommentary>,
    words: &std::collections::HashMap<i32, YearWords>,
    user: &User,
    filter: &Filter,
) -> Vec<OtherSection> {
    let (items, statuses) = item_drafts(report, user, filter);
    let commentary = commentary_drafts(report, assessments, user, filter);
    let verdicts = verdict_drafts(report, user, filter);
    let reports = report_drafts(report, words, user, filter);
    [
        ("review-items-heading", "review-items", items),
        ("review-statuses-heading", "review-statuses", statuses),
        ("review-verdicts-heading", "review-verdicts", verdicts),
        ("review-assessment-heading", "review-assessment", commentary),
        ("review-reports-heading", "review-reports", reports),
    ]
    .into_iter()
    .filter(|(_, _, d)| !d.is_empty())
    .map(|(heading, id, drafts)| OtherSection {
        heading,
        id,
        drafts,
    })
    .collect()
}

/// New items and status changes of items that wait for review.
fn item_drafts(
    report: &PlanReport,
    user: &User,
    filter: &Filter,
) -> (Vec<OtherDraft>, Vec<OtherDraft>) {
    let slug = &report.plan.slug;
    let lang = crate::i18n::Lang::current();
    let mut items = Vec::new();
    let mut statuses = Vec::new();
    for p in &report.programmes {
        let link = format!("/plans/{slug}/programmes/{}", p.programme.slug);
        let programme = lang.pick(&p.programme.name_zh, &p.programme.name_en);
        for ir in &p.items {
            let i = &ir.item;
            let what = format!("{programme}: {}", lang.pick(&i.name_zh, &i.name_en));
            let link = format!("{link}#item-{}", i.programme_item_id);
            let shown = i
                .year
                .map_or(!filter.is_active(), |y| filter.keeps(y, None));
            if i.state == ObservationState::Draft && i.returned_at.is_none() && shown {
                items.push(item_draft(slug, i, what.clone(), link.clone(), user));
            }
            if let Some(c) = ir
                .draft_change()
                .filter(|c| c.returned_at.is_none() && filter.keeps(c.year, None))
            {
                let (now, year) = ir.current();
                statuses.push(OtherDraft {
                    form: format!("status-{}", c.item_status_id),
                    action: format!("/plans/{slug}/review/item-statuses/{}", c.item_status_id),
                    version: c.version,
                    what,
                    link,
                    detail: format!(
                        "{} ({}) · {}",
                        crate::i18n::t(item_status(Some(c.status))),
                        c.year,
                        c.note
                    ),
                    previous: format!(
                        "{} ({})",
                        crate::i18n::t(item_status(now)),
                        year.map(|y| y.to_string()).unwrap_or_default()
                    ),
                    entered: entered(&c.entered_by_name, &c.entered_at),
                    own: c.entered_by == Some(user.app_user_id),
                    comment: String::new(),
                    comment_error: None,
                });
            }
        }
    }
    (items, statuses)
}

fn item_draft(
    slug: &str,
    i: &crate::store::plans::Item,
    what: String,
    link: String,
    user: &User,
) -> OtherDraft {
    let mut detail = vec![format!("{} / {}", i.name_zh, i.name_en), i.kind.clone()];
    detail.extend(i.field.clone());
    detail.extend(i.host.clone());
    detail.push(format!(
        "{} ({})",
        crate::i18n::t(item_status(i.status)),
        i.year.map(|y| y.to_string()).unwrap_or_default()
    ));
    detail.extend(i.source.clone());
    detail.extend(i.note.clone());
    OtherDraft {
        form: format!("item-{}", i.programme_item_id),
        action: format!("/plans/{slug}/review/items/{}", i.programme_item_id),
        version: i.version,
        what,
        link,
        detail: detail.join(" · "),
        previous: String::new(),
        entered: entered(&i.entered_by_name, &i.entered_at),
        own: i.entered_by == Some(user.app_user_id),
        comment: String::new(),
        comment_error: None,
    }
}

/// Final-assessment commentary that waits for review.
fn commentary_drafts(
    report: &PlanReport,
    assessments: &std::collections::HashMap<i64, IndicatorCommentary>,
    user: &User,
    filter: &Filter,
) -> Vec<OtherDraft> {
    let slug = &report.plan.slug;
    let lang = crate::i18n::Lang::current();
    let mut commentary = Vec::new();
    for r in report
        .indicators()
        .filter(|r| filter.keeps_yearless(Some(&r.group_code)))
    {
        let Some(c) = assessments.get(&r.indicator.indicator_id) else {
            continue;
        };
        let Some(d) = c.draft.as_ref().filter(|d| d.returned_at.is_none()) else {
            continue;
        };
        commentary.push(OtherDraft {
            form: format!("assessment-{}", d.assessment_id),
            action: format!("/plans/{slug}/review/assessment/{}", d.assessment_id),
            version: d.version,
            what: lang
                .pick(&r.indicator.name_zh, &r.indicator.name_en)
                .to_owned(),
            link: format!("/plans/{slug}/assessment#indicator-{}", r.indicator.code),
            detail: d.commentary.clone(),
            previous: c
                .published
                .as_ref()
                .map(|p| p.commentary.clone())
                .unwrap_or_default(),
            entered: entered(&d.entered_by_name, &d.entered_at),
            own: d.entered_by == Some(user.app_user_id),
            comment: String::new(),
            comment_error: None,
        });
    }
    commentary
}

/// Officials' verdicts on targets in words that wait for review, narrowed by year and heading.
fn verdict_drafts(report: &PlanReport, user: &User, filter: &Filter) -> Vec<OtherDraft> {
    let slug = &report.plan.slug;
    let lang = crate::i18n::Lang::current();
    let mut drafts = Vec::new();
    for r in report.indicators() {
        for v in r.verdicts.iter().filter(|v| {
            v.state == ObservationState::Draft
                && v.returned_at.is_none()
                && filter.keeps(v.year, Some(&r.group_code))
        }) {
            let published = r
                .verdicts
                .iter()
                .find(|p| p.year == v.year && p.state == ObservationState::Published);
            let label = |s: crate::domain::time_progress::Status| status_view(s).label;
            drafts.push(OtherDraft {
                form: format!("verdict-{}", v.target_verdict_id),
                action: format!("/plans/{slug}/review/verdicts/{}", v.target_verdict_id),
                version: v.version,
                what: format!(
                    "{} ({})",
                    lang.pick(&r.indicator.name_zh, &r.indicator.name_en),
                    v.year
                ),
                link: format!("/plans/{slug}/indicators/{}#verdicts-h", r.indicator.code),
                detail: format!("{}{}{}", label(v.status), t("label-separator"), v.reason),
                previous: published
                    .map(|p| format!("{}{}{}", label(p.status), t("label-separator"), p.reason))
                    .unwrap_or_default(),
                entered: entered(&v.entered_by_name, &v.entered_at),
                own: v.entered_by == Some(user.app_user_id),
                comment: String::new(),
                comment_error: None,
            });
        }
    }
    drafts
}

/// The officials' words of reports that wait for review, narrowed by their year (they have no
/// heading).
fn report_drafts(
    report: &PlanReport,
    words: &std::collections::HashMap<i32, YearWords>,
    user: &User,
    filter: &Filter,
) -> Vec<OtherDraft> {
    let slug = &report.plan.slug;
    let mut years: Vec<_> = words.iter().collect();
    years.sort_by_key(|(year, _)| **year);
    years
        .into_iter()
        .filter(|(year, _)| filter.keeps(**year, None))
        .filter_map(|(year, w)| {
            let d = w.draft.as_ref().filter(|d| d.returned_at.is_none())?;
            let both = |summary: &str, recommendations: &str| {
                [summary, recommendations]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" / ")
            };
            Some(OtherDraft {
                form: format!("report-{}", d.plan_report_id),
                action: format!("/plans/{slug}/review/reports/{}", d.plan_report_id),
                version: d.version,
                what: t1("review-report-what", "year", year),
                link: format!("/plans/{slug}/reports/{year}?format=html"),
                detail: both(&d.summary, &d.recommendations),
                previous: w
                    .published
                    .as_ref()
                    .map(|p| both(&p.summary, &p.recommendations))
                    .unwrap_or_default(),
                entered: entered(&d.entered_by_name, &d.entered_at),
                own: d.entered_by == Some(user.app_user_id),
                comment: String::new(),
                comment_error: None,
            })
        })
        .collect()
}

/// A send-back comment, checked: it must say what needs changing.
fn check_comment(comment: &str) -> Result<String, String> {
    match entry::parse_text(comment, REASON_MAX) {
        Ok(c) if c.is_empty() => Err(t("review-comment-needed")),
        Ok(c) => Ok(c),
        Err(e) => Err(e.to_string()),
    }
}

/// The review page again (422), narrowed as it was, with the refused comment kept in the
/// send-back form `key` (a figure's id, or an other draft's form name), its message at the
/// comment field and in the summary at the top.
async fn refused_comment(
    state: &AppState,
    session: &Session,
    user: &User,
    plan: Plan,
    key: &str,
    form: &DecisionForm,
    error: String,
) -> Result<Response, AppError> {
    let ctx = context(state, plan).await?;
    let (year, group) = Filter::carried(&form.queue);
    let filter = Filter::read(&ctx.report, year.as_deref(), group.as_deref()).unwrap_or_default();
    let comment = &form.comment;
    let mut errors = FieldErrors::new();
    errors.add(format!("comment-{key}"), error.clone());
    let mut years = views(&ctx.report, &ctx.drafts, user, &filter);
    for d in years
        .iter_mut()
        .flat_map(|y| y.drafts.iter_mut())
        .filter(|d| d.id.to_string() == key)
    {
        d.comment = comment.to_owned();
        d.comment_error = Some(error.clone());
    }
    let mut others = others(&ctx.report, &ctx.assessments, &ctx.words, user, &filter);
    for d in others
        .iter_mut()
        .flat_map(|s| s.drafts.iter_mut())
        .filter(|d| d.form == key)
    {
        d.comment = comment.to_owned();
        d.comment_error = Some(error.clone());
    }
    let page = ReviewPage {
        layout: Layout::new(state, session, Some(user))
            .await?
            .with_plan(&ctx.plan.slug),
        plan: PlanHeader::new(&ctx.plan),
        filter: filter_view(&ctx.report, &ctx.drafts, &filter),
        years,
        notice: None,
        others,
        errors,
        returned: returned_to(&ctx.report, &ctx.assessments, &ctx.words, user),
    };
    form::refused(&page)
}

/// What the review page shows beside a figure draft so an official can judge it: its owner's
/// name, link and unit, the published figure before it, the target and the status it would give.
struct Judged {
    name: String,
    link: String,
    unit: String,
    /// The heading of the draft's indicator; none for a programme's count.
    group: Option<String>,
    previous_year: Option<(i32, rust_decimal::Decimal)>,
    /// The indicator's plausible bounds and measure; the previous year is `previous_year`.
    expected: Expected,
    target: String,
    would_be: Option<Headline>,
    status_now: Option<Headline>,
}

/// The published figure of the same kind nearest before the draft's year.
fn earlier<'a>(
    figures: impl DoubleEndedIterator<Item = &'a Observation>,
    d: &Stored,
) -> Option<(i32, rust_decimal::Decimal)> {
    figures
        .filter(|o| o.kind == d.kind && o.state == ObservationState::Published)
        .rfind(|o| o.year < d.year)
        .map(|o| (o.year, o.value))
}

fn judge(report: &PlanReport, d: &Stored) -> Judged {
    let slug = &report.plan.slug;
    let lang = Lang::current();
    match d.owner() {
        Owner::Indicator(id) => {
            let Some(r) = report.indicators().find(|r| r.indicator.indicator_id == id) else {
                return Judged::unknown();
            };
            let ind = &r.indicator;
            // The figures as they would stand with this draft published in place of the one
            // it replaces, judged by the same method as the published pages.
            let mut with_draft: Vec<Observation> = r
                .observations
                .iter()
                .filter(|o| {
                    o.observation_id != d.observation_id
                        && !(o.year == d.year
                            && o.kind == d.kind
                            && o.state == ObservationState::Published)
                })
                .cloned()
                .collect();
            if let Some(mut mine) = r
                .observations
                .iter()
                .find(|o| o.observation_id == d.observation_id)
                .cloned()
            {
                mine.state = ObservationState::Published;
                with_draft.push(mine);
                with_draft.sort_by_key(|o| o.year);
            }
            let would_be = report.judge_with(r, &with_draft);
            Judged {
                name: lang.pick(&ind.name_zh, &ind.name_en).to_owned(),
                link: format!("/plans/{slug}/indicators/{}", ind.code),
                unit: lang.pick(&ind.unit_zh, &ind.unit_en).to_owned(),
                group: Some(r.group_code.clone()),
                previous_year: earlier(r.observations.iter(), d),
                expected: Expected {
                    min: ind.plausible_min,
                    max: ind.plausible_max,
                    measure: ind.measure,
                    previous: None,
                },
                target: views::plan_target_text(report, ind, value_text),
                would_be: Some(would_be),
                status_now: Some(r.status),
            }
        }
        Owner::Programme(id) => {
            let Some(p) = report
                .programmes
                .iter()
                .find(|p| p.programme.programme_id == id)
            else {
                return Judged::unknown();
            };
            let unit = lang.pick(&p.programme.unit_zh, &p.programme.unit_en);
            Judged {
                name: t1(
                    "entry-programme-count",
                    "name",
                    lang.pick(&p.programme.name_zh, &p.programme.name_en),
                ),
                link: format!("/plans/{slug}/programmes/{}", p.programme.slug),
                unit: unit.to_owned(),
                group: None,
                previous_year: earlier(p.counts.iter(), d),
                expected: Expected::default(),
                target: match &p.programme.target {
                    Some(tg) => views::target_text(
                        tg.comparator.map(Into::into),
                        format::with_unit(
                            &format::decimal(tg.value),
                            crate::domain::plan::UnitKind::Count,
                            unit,
                        ),
                        tg.year,
                    ),
                    None => t("value-not-published"),
                },
                would_be: None,
                status_now: None,
            }
        }
    }
}

impl Judged {
    fn unknown() -> Judged {
        Judged {
            name: String::new(),
            link: String::new(),
            unit: String::new(),
            group: None,
            previous_year: None,
            expected: Expected::default(),
            target: String::new(),
            would_be: None,
            status_now: None,
        }
    }
}

/// The change from `from` to `to` in %, signed (`+938.8%`, `−12.0%`); "—" from zero.
fn change(from: rust_decimal::Decimal, to: rust_decimal::Decimal) -> String {
    use rust_decimal::prelude::ToPrimitive;
    if from.is_zero() {
        return "—".into();
    }
    let rate = ((to - from) / from).to_f64().unwrap_or(f64::NAN);
    let text = format::percent(rate, 1);
    if rate > 0.0 && text != "0.0%" {
        format!("+{text}")
    } else {
        text
    }
}

fn views(
    report: &PlanReport,
    drafts: &[PendingDraft],
    user: &User,
    filter: &Filter,
) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for p in drafts {
        let d = &p.draft;
        let judged = judge(report, d);
        if !filter.keeps(d.year, judged.group.as_deref()) {
            continue;
        }
        let own = d.entered_by == Some(user.app_user_id);
        let view = DraftView {
            id: d.observation_id,
            version: d.version,
            name: judged.name,
            link: judged.link,
            year: d.year,
            value: format::decimal(d.value),
            unit: judged.unit,
            previous: p
                .published
                .as_ref()
                .map(|x| format::decimal(x.value))
                .unwrap_or_else(|| t("entry-none")),
            previous_year: judged.previous_year.map_or_else(
                || t("entry-none"),
                |(y, v)| format!("{} ({y})", format::decimal(v)),
            ),
            change: judged
                .previous_year
                .map_or_else(|| "—".into(), |(_, v)| change(v, d.value)),
            warning: plausibility::messages(&plausibility::check(
                d.value,
                &Expected {
                    previous: judged.previous_year,
                    ..judged.expected
                },
            )),
            checked: d.value_checked,
            target: judged.target,
            status_now: judged
                .status_now
                .filter(|now| Some(*now) != judged.would_be)
                .map(|now| t1("review-status-now", "status", status_view(now).label)),
            would_be: judged.would_be.map(status_view),
            commentary: d.commentary.clone(),
            entered: format!(
                "{}, {}",
                d.entered_by_name
                    .clone()
                    .unwrap_or_else(|| t("entry-seed-file")),
                crate::i18n::time(&d.entered_at)
            ),
            source: d.source.clone(),
            note: d.note.clone(),
            own,
            comment: String::new(),
            comment_error: None,
        };
        match years.iter_mut().find(|y| y.year == d.year) {
            Some(y) => {
                y.publishable += usize::from(!own);
                y.drafts.push(view);
            }
            None => years.push(YearGroup {
                year: d.year,
                publishable: usize::from(!own),
                drafts: vec![view],
            }),
        }
    }
    years
}

/// The review queue narrowed to one year and/or one heading (`?year=2025&group=openness`).
#[derive(Debug, Clone, Default)]
struct Filter {
    year: Option<i32>,
    group: Option<String>,
}

impl Filter {
    /// Reads the query's values (an empty one narrows nothing). A year outside the plan or a
    /// heading the plan lacks is refused (400) with a message saying what to use instead.
    fn read(
        report: &PlanReport,
        year: Option<&str>,
        group: Option<&str>,
    ) -> Result<Filter, AppError> {
        let plan = &report.plan;
        let refused = |message| AppError::Rejected {
            status: StatusCode::BAD_REQUEST,
            message,
        };
        let year = match year.map(str::trim).filter(|y| !y.is_empty()) {
            None => None,
            Some(y) => match y.parse::<i32>() {
                Ok(n) if (plan.baseline_year..=plan.end_year).contains(&n) => Some(n),
                _ => {
                    return Err(refused(t2(
                        "review-filter-bad-year",
                        "value",
                        y,
                        "range",
                        format!("{}–{}", plan.baseline_year, plan.end_year),
                    )));
                }
            },
        };
        let group = match group.map(str::trim).filter(|g| !g.is_empty()) {
            None => None,
            Some(g) if report.groups.iter().any(|x| x.group.code == g) => Some(g.to_owned()),
            Some(g) => return Err(refused(t1("review-filter-bad-group", "value", g))),
        };
        Ok(Filter { year, group })
    }

    fn is_active(&self) -> bool {
        self.year.is_some() || self.group.is_some()
    }

    /// Whether a draft of `year` under heading `group` (none: a programme's count or an item)
    /// stays in the narrowed queue.
    fn keeps(&self, year: i32, group: Option<&str>) -> bool {
        self.year.is_none_or(|y| y == year)
            && self
                .group
                .as_deref()
                .is_none_or(|g| group.is_some_and(|x| x == g))
    }

    /// Whether a draft without a year (commentary of the final assessment) stays.
    fn keeps_yearless(&self, group: Option<&str>) -> bool {
        self.year.is_none()
            && self
                .group
                .as_deref()
                .is_none_or(|g| group.is_some_and(|x| x == g))
    }

    /// The query string of a narrowing (`year=2025&group=openness`; empty for none).
    fn query(year: Option<i32>, group: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(y) = year {
            query.append_pair("year", &y.to_string());
        }
        if let Some(g) = group {
            query.append_pair("group", g);
        }
        query.finish()
    }

    /// The review page's address narrowed as given.
    fn href(slug: &str, year: Option<i32>, group: Option<&str>) -> String {
        let query = Filter::query(year, group);
        if query.is_empty() {
            format!("/plans/{slug}/review")
        } else {
            format!("/plans/{slug}/review?{query}")
        }
    }

    /// The narrowing a decision form carried back (`queue`), as typed: read leniently, since
    /// the page it leads to checks it again.
    fn carried(queue: &str) -> (Option<String>, Option<String>) {
        #[derive(Deserialize, Default)]
        struct Carried {
            year: Option<String>,
            group: Option<String>,
        }
        let c: Carried = serde_urlencoded::from_str(queue).unwrap_or_default();
        (c.year, c.group)
    }
}

/// A link that narrows the queue, marked when it is the narrowing in force.
pub struct FilterLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The links that narrow the queue, what is shown now, and the way back to every draft.
pub struct FilterView {
    pub years: Vec<FilterLink>,
    pub groups: Vec<FilterLink>,
    /// Set when the queue is narrowed: what it shows.
    pub showing: Option<String>,
    pub clear: String,
    /// Carried by the "publish all of a year" form, so it publishes only what is shown.
    pub group: String,
    /// Carried by the decision forms, so the official comes back to the same narrowing.
    pub query: String,
}

fn filter_view(report: &PlanReport, drafts: &[PendingDraft], filter: &Filter) -> FilterView {
    let slug = &report.plan.slug;
    let lang = Lang::current();
    let mut years: Vec<i32> = drafts.iter().map(|p| p.draft.year).collect();
    years.extend(filter.year);
    years.sort_unstable();
    years.dedup();
    let group = filter.group.as_deref();
    let mut year_links = vec![FilterLink {
        label: t("review-filter-all-years"),
        href: Filter::href(slug, None, group),
        current: filter.year.is_none(),
    }];
    year_links.extend(years.into_iter().map(|y| FilterLink {
        label: y.to_string(),
        href: Filter::href(slug, Some(y), group),
        current: filter.year == Some(y),
    }));
    let mut group_links = vec![FilterLink {
        label: t("review-filter-all-groups"),
        href: Filter::href(slug, filter.year, None),
        current: group.is_none(),
    }];
    group_links.extend(report.groups.iter().map(|g| FilterLink {
        label: lang.pick(&g.group.name_zh, &g.group.name_en).to_owned(),
        href: Filter::href(slug, filter.year, Some(&g.group.code)),
        current: group == Some(g.group.code.as_str()),
    }));
    let group_name = group.and_then(|code| {
        report
            .groups
            .iter()
            .find(|g| g.group.code == code)
            .map(|g| lang.pick(&g.group.name_zh, &g.group.name_en).to_owned())
    });
    let showing = match (filter.year, group_name) {
        (Some(y), Some(g)) => Some(t2("review-showing-both", "year", y, "group", g)),
        (Some(y), None) => Some(t1("review-showing-year", "year", y)),
        (None, Some(g)) => Some(t1("review-showing-group", "group", g)),
        (None, None) => None,
    };
    FilterView {
        years: year_links,
        groups: group_links,
        showing,
        clear: Filter::href(slug, None, None),
        group: filter.group.clone().unwrap_or_default(),
        query: Filter::query(filter.year, filter.group.as_deref()),
    }
}

struct Context {
    plan: Plan,
    report: PlanReport,
    drafts: Vec<PendingDraft>,
    assessments: std::collections::HashMap<i64, IndicatorCommentary>,
    words: std::collections::HashMap<i32, YearWords>,
}

async fn context(state: &AppState, plan: Plan) -> Result<Context, AppError> {
    let mut conn = state.db.acquire().await?;
    let drafts = figures::pending(&mut conn, plan.plan_id).await?;
    let report = PlanReport::load(&mut conn, plan.clone(), Visibility::WithDrafts).await?;
    let assessments = assessment::for_plan(&mut conn, plan.plan_id, Visibility::WithDrafts).await?;
    let words = report_words::for_plan(&mut conn, plan.plan_id, Visibility::WithDrafts).await?;
    Ok(Context {
        plan,
        report,
        drafts,
        assessments,
        words,
    })
}

#[derive(Deserialize)]
struct Outcome {
    published: Option<usize>,
    skipped: Option<usize>,
    sent_back: Option<usize>,
    changed: Option<usize>,
    own: Option<usize>,
    item_published: Option<usize>,
    assessment_published: Option<usize>,
    verdict_published: Option<usize>,
    report_published: Option<usize>,
    /// The narrowing of the queue, read by [`Filter::read`] (an empty value narrows nothing).
    year: Option<String>,
    group: Option<String>,
}

impl Outcome {
    fn notice(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(n) = self.published {
            parts.push(t1("review-published", "count", n));
        }
        if let Some(n) = self.skipped.filter(|n| *n > 0) {
            parts.push(t1("review-skipped-own", "count", n));
        }
        if self.sent_back.is_some() {
            parts.push(t("review-sent-back"));
        }
        if self.item_published.is_some() {
            parts.push(crate::i18n::t("review-item-published"));
        }
        if self.verdict_published.is_some() {
            parts.push(crate::i18n::t("review-verdict-published"));
        }
        if self.assessment_published.is_some() {
            parts.push(crate::i18n::t("review-assessment-published"));
        }
        if self.report_published.is_some() {
            parts.push(crate::i18n::t("review-report-published"));
        }
        if self.changed.is_some() {
            parts.push(t("review-changed"));
        }
        if self.own.is_some() {
            parts.push(t("review-own"));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

async fn review(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    session: Session,
    Query(outcome): Query<Outcome>,
    CurrentPlan(plan): CurrentPlan,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan).await?;
    let filter = Filter::read(
        &ctx.report,
        outcome.year.as_deref(),
        outcome.group.as_deref(),
    )?;
    let page = ReviewPage {
        layout: Layout::new(&state, &session, Some(&user))
            .await?
            .with_plan(&ctx.plan.slug),
        plan: PlanHeader::new(&ctx.plan),
        years: views(&ctx.report, &ctx.drafts, &user, &filter),
        notice: outcome.notice(),
        others: others(&ctx.report, &ctx.assessments, &ctx.words, &user, &filter),
        errors: FieldErrors::new(),
        filter: filter_view(&ctx.report, &ctx.drafts, &filter),
        returned: returned_to(&ctx.report, &ctx.assessments, &ctx.words, &user),
    };
    form::ok(&page)
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub csrf: String,
    /// The narrowing of the queue the decision was taken in (`year=2025`).
    #[serde(default)]
    pub queue: String,
}

/// A send-back posted to the review page names its draft in the address: a figure's id, or
/// `kind/id` (`?draft=verdicts/5`).
#[derive(Deserialize, Default)]
pub struct DraftQuery {
    #[serde(default)]
    draft: String,
}

async fn publish(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    Path((_, draft)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let figure = mailed_figure(&state, &mut tx, draft).await?;
    let outcome =
        review::publish::<Figures>(&mut tx, plan.plan_id, draft, form.version, &user).await?;
    tx.commit().await?;
    if let (ReviewOutcome::Done, Some(figure)) = (&outcome, figure) {
        state.notify(Notice::Published {
            plan_id: plan.plan_id,
            by: user.app_user_id,
            figures: vec![figure],
        });
    }
    Ok(decided(&plan.slug, &form.queue, outcome, "published=1"))
}

/// The figure draft `id` is, when decisions on it are mailed (read before the decision: a
/// published draft may merge into the row it replaces).
async fn mailed_figure(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    id: i64,
) -> Result<Option<FigureRef>, AppError> {
    if !state.mails() {
        return Ok(None);
    }
    Ok(crate::store::mail::draft(conn, id).await?)
}

/// Back to the review page, narrowed as it was (`queue`), saying what came of a decision
/// (`done` when it was carried out).
fn decided(slug: &str, queue: &str, outcome: ReviewOutcome, done: &str) -> Response {
    let said = match outcome {
        ReviewOutcome::Done => done,
        ReviewOutcome::OwnEntry => "own=1",
        ReviewOutcome::Changed => "changed=1",
    };
    let (year, group) = Filter::carried(queue);
    let year = year.and_then(|y| y.parse().ok());
    let narrowed = Filter::query(year, group.as_deref().filter(|g| !g.is_empty()));
    let query = if narrowed.is_empty() {
        said.to_owned()
    } else {
        format!("{narrowed}&{said}")
    };
    Redirect::to(&format!("/plans/{slug}/review?{query}")).into_response()
}

/// The drafts other than figures that officials decide on the review page, named as in the
/// decision's address (`/plans/{plan}/review/{kind}/{id}/publish`).
#[derive(Clone, Copy)]
enum DraftKind {
    Item,
    ItemStatus,
    Assessment,
    Verdict,
    Report,
}

impl DraftKind {
    fn from_path(word: &str) -> Option<DraftKind> {
        match word {
            "items" => Some(DraftKind::Item),
            "item-statuses" => Some(DraftKind::ItemStatus),
            "assessment" => Some(DraftKind::Assessment),
            "verdicts" => Some(DraftKind::Verdict),
            "reports" => Some(DraftKind::Report),
            _ => None,
        }
    }

    /// The review page's form that decides draft `id`.
    fn form(self, id: i64) -> String {
        match self {
            DraftKind::Item => format!("item-{id}"),
            DraftKind::ItemStatus => format!("status-{id}"),
            DraftKind::Assessment => format!("assessment-{id}"),
            DraftKind::Verdict => format!("verdict-{id}"),
            DraftKind::Report => format!("report-{id}"),
        }
    }

    /// What the review page says once one is published.
    fn published(self) -> &'static str {
        match self {
            DraftKind::Item | DraftKind::ItemStatus => "item_published=1",
            DraftKind::Assessment => "assessment_published=1",
            DraftKind::Verdict => "verdict_published=1",
            DraftKind::Report => "report_published=1",
        }
    }

    async fn publish(
        self,
        conn: &mut sqlx::PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
        user: &User,
    ) -> sqlx::Result<ReviewOutcome> {
        match self {
            DraftKind::Item => review::publish::<Items>(conn, plan_id, id, version, user).await,
            DraftKind::ItemStatus => {
                review::publish::<Statuses>(conn, plan_id, id, version, user).await
            }
            DraftKind::Assessment => {
                review::publish::<Commentaries>(conn, plan_id, id, version, user).await
            }
            DraftKind::Verdict => {
                review::publish::<Verdicts>(conn, plan_id, id, version, user).await
            }
            DraftKind::Report => {
                review::publish::<ReportWords>(conn, plan_id, id, version, user).await
            }
        }
    }

    async fn send_back(
        self,
        conn: &mut sqlx::PgConnection,
        plan_id: i64,
        id: i64,
        version: i32,
        user: &User,
        comment: &str,
    ) -> sqlx::Result<ReviewOutcome> {
        match self {
            DraftKind::Item => {
                review::send_back::<Items>(conn, plan_id, id, version, user, comment).await
            }
            DraftKind::ItemStatus => {
                review::send_back::<Statuses>(conn, plan_id, id, version, user, comment).await
            }
            DraftKind::Assessment => {
                review::send_back::<Commentaries>(conn, plan_id, id, version, user, comment).await
            }
            DraftKind::Verdict => {
                review::send_back::<Verdicts>(conn, plan_id, id, version, user, comment).await
            }
            DraftKind::Report => {
                review::send_back::<ReportWords>(conn, plan_id, id, version, user, comment).await
            }
        }
    }
}

async fn publish_other(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    Path((_, kind, id)): Path<(String, String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let kind = DraftKind::from_path(&kind).ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let outcome = kind
        .publish(&mut tx, plan.plan_id, id, form.version, &user)
        .await?;
    tx.commit().await?;
    Ok(decided(&plan.slug, &form.queue, outcome, kind.published()))
}

async fn send_back_other(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, kind, id)): Path<(String, String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let kind = DraftKind::from_path(&kind).ok_or(AppError::NotFound)?;
    let at = Decided {
        state: &state,
        user: &user,
        session: &session,
    };
    send_back_draft(at, plan, Some(kind), id, &form).await
}

async fn send_back(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Path((_, draft)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let at = Decided {
        state: &state,
        user: &user,
        session: &session,
    };
    send_back_draft(at, plan, None, draft, &form).await
}

/// A send-back posted to the review page itself (its form names the draft: a figure's id, or
/// `kind/id`), so that a refusal (422) keeps the page's address.
async fn send_back_here(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    session: Session,
    Query(query): Query<DraftQuery>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let (kind, id) = match query.draft.split_once('/') {
        Some((kind, id)) => (
            Some(DraftKind::from_path(kind).ok_or(AppError::NotFound)?),
            id,
        ),
        None => (None, query.draft.as_str()),
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let at = Decided {
        state: &state,
        user: &user,
        session: &session,
    };
    send_back_draft(at, plan, kind, id, &form).await
}

/// Who decides: what every decision handler has.
#[derive(Clone, Copy)]
struct Decided<'a> {
    state: &'a AppState,
    user: &'a User,
    session: &'a Session,
}

/// Sends draft `id` (a figure's without `kind`) back with the form's comment; a missing comment
/// is refused at its field (422, the queue as it was).
async fn send_back_draft(
    at: Decided<'_>,
    plan: Plan,
    kind: Option<DraftKind>,
    id: i64,
    form: &DecisionForm,
) -> Result<Response, AppError> {
    let Decided {
        state,
        user,
        session,
    } = at;
    let comment = match check_comment(&form.comment) {
        Ok(c) => c,
        Err(error) => {
            let key = kind.map_or_else(|| id.to_string(), |k| k.form(id));
            return refused_comment(state, session, user, plan, &key, form, error).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let mut figure = None;
    let outcome = match kind {
        Some(kind) => {
            kind.send_back(&mut tx, plan.plan_id, id, form.version, user, &comment)
                .await?
        }
        None => {
            figure = mailed_figure(state, &mut tx, id).await?;
            review::send_back::<Figures>(&mut tx, plan.plan_id, id, form.version, user, &comment)
                .await?
        }
    };
    tx.commit().await?;
    if let (ReviewOutcome::Done, Some(figure)) = (&outcome, figure) {
        state.notify(Notice::SentBack {
            plan_id: plan.plan_id,
            by: user.app_user_id,
            figure,
            comment: comment.clone(),
        });
    }
    Ok(decided(&plan.slug, &form.queue, outcome, "sent_back=1"))
}

#[derive(Deserialize)]
pub struct YearForm {
    #[serde(default)]
    year: i32,
    /// The heading the queue was narrowed to: only its drafts are published.
    #[serde(default)]
    group: String,
}

/// Publishes every pending draft of one year that the official did not enter, in one transaction.
async fn publish_year(
    State(state): State<AppState>,
    Reviewer(user): Reviewer,
    CurrentPlan(plan): CurrentPlan,
    CsrfForm(form): CsrfForm<YearForm>,
) -> Result<Response, AppError> {
    let ctx = context(&state, plan).await?;
    let filter = Filter::read(&ctx.report, None, Some(&form.group))?;
    let mut tx = state.db.begin().await?;
    let (mut published, mut skipped) = (0, 0);
    let mut mailed = Vec::new();
    for p in ctx.drafts.iter().filter(|p| {
        p.draft.year == form.year
            && filter.keeps(p.draft.year, judge(&ctx.report, &p.draft).group.as_deref())
    }) {
        match review::publish::<Figures>(
            &mut tx,
            ctx.plan.plan_id,
            p.draft.observation_id,
            p.draft.version,
            &user,
        )
        .await?
        {
            ReviewOutcome::Done => {
                published += 1;
                if !state.mails() {
                    continue;
                }
                mailed.push(FigureRef {
                    indicator_id: p.draft.indicator_id,
                    programme_id: p.draft.programme_id,
                    year: p.draft.year,
                    entered_by: p.draft.entered_by,
                });
            }
            ReviewOutcome::OwnEntry | ReviewOutcome::Changed => skipped += 1,
        }
    }
    tx.commit().await?;
    if !mailed.is_empty() {
        state.notify(Notice::Published {
            plan_id: ctx.plan.plan_id,
            by: user.app_user_id,
            figures: mailed,
        });
    }
    let back = Filter::href(
        &ctx.plan.slug,
        Some(form.year).filter(|_| filter.is_active()),
        filter.group.as_deref(),
    );
    let join = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!(
        "{back}{join}published={published}&skipped={skipped}"
    ))
    .into_response())
}
