# plantrack's interface text in English. Every message here has a twin in zh.ftl (a test checks).
# Ids are kebab-case, prefixed by the area that uses them.

## The frame of every page
site-skip = Skip to content
site-nav = Site
site-plans = Plans
site-methodology = Methodology
site-open-data = Open data
site-api = Open data API
site-enter = Enter figures
site-review = Review drafts
site-history = History
site-users = Users
site-sign-in = Sign in
site-sign-out = Sign out
site-language = Language
site-feed-title = Newly published figures
site-footer = plantrack publishes the progress of development plans from published sources. Every figure names its source; see the <a href="/methodology">methodology</a> for how progress is judged.
role-official = official
role-analyst = analyst
role-admin = administrator

## Counts
count-indicators = { $count ->
    [one] { $count } indicator
   *[other] { $count } indicators
}

## Progress statuses (the API's codes are the same in both languages)
status-target_achieved = Target achieved
status-target_achieved-meaning = The latest value is at or past the target.
status-substantial_progress = On track
status-substantial_progress-meaning = Growing at 95% or more of the pace the target needs (without a target: 1.5% a year or more).
status-moderate_progress = Acceleration needed
status-moderate_progress-meaning = Growing at 60% to 95% of the pace the target needs (without a target: 0.5% to 1.5% a year).
status-limited_progress = Limited progress
status-limited_progress-meaning = Growing at less than 60% of the pace the target needs (without a target: under 0.5% a year).
status-deterioration = Moving away
status-deterioration-meaning = Moving away from the target.
status-not_available = Not enough data
status-not_available-meaning = At least two comparable values are needed to judge progress.
basis-target = against the target
basis-trend = trend only: no target published

## Figures and their words
value-not-published = Not published
value-no-data = No data yet
target-by = { $value } by { $year }
plan-issued = issued { $date }
plan-published = published { $date }
years-national-note = National average: { $note }
confidence-high = high
confidence-medium = medium
confidence-low = low
state-draft = draft
state-published = published
kind-actual = actual
kind-national_average = national average
kind-benchmark = benchmark
direction-higher = Higher is better
direction-lower = Lower is better
nature-expected = Expected (预期性)
nature-binding = Binding (约束性)
nature-none = Not stated in the available sources
item-planned = Planned
item-building = Being built
item-operating = Operating
item-dropped = Dropped
item-not-reported = Not reported
programme-no-target = No numeric target
programme-no-count = No count reported

## History of changes
history-entered = Entered
history-revised = Revised
history-published = Published
history-sent-back = Sent back
history-definition-created = Definition created ({ $entity })
history-definition-changed = Definition changed ({ $entity })
history-caption = Changes, newest first
history-when = When
history-who = Who
history-what = What
history-figure = Figure
history-year = Year
history-before = Before
history-after = After
history-reason = Reason
provenance-indicator = Indicator
provenance-baseline = Baseline
provenance-target = Target
provenance-confidence = confidence: { $level }

## Overview and list of plans
plan-period = Plan period { $period } · baseline year { $year }
overview-other-plans = Other plans
overview-all-plans = All { $count } plans
overview-glance = Progress at a glance
overview-judged = { $count } indicators, judged on published figures with the <a href="/methodology">Open SDG progress method</a>.
overview-caption = Indicators under “{ $group }”
overview-programmes = Programmes
overview-programme-line = Target: { $target } · latest: { $latest }
overview-all-programmes = All programmes in detail
plans-default = shown on the home page
count-items = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
col-indicator = Indicator
col-baseline = Baseline
col-latest = Latest
col-target = Target
col-way-covered = Way covered
col-status = Status

## An indicator's page
col-actual = Actual
col-national = National average
col-source = Source
col-confidence = Confidence
col-note = Note
sentence-end = .
ind-progress = Progress
ind-base-used = Base used
ind-latest-published = Latest published
ind-cagr = Annual growth so far (CAGR)
ind-required = Annual growth the target needs
ind-ratio = Ratio of the two (R)
ind-share = Way from baseline to target covered
ind-projected = Projected at the current pace
ind-projected-for = Projected for { $year } at the current pace
ind-how-computed = How these are computed: <a href="/methodology">methodology</a>.
ind-chart = Chart
chart-actual-values = actual values
chart-and-required = , the path required to reach the target
chart-and-national = {" "}and the national average
chart-same-figures = The same figures are in the table below.
chart-national-point = National average { $value }
chart-actual-point = Actual { $value }
chart-baseline-point = Baseline { $value }
chart-target-point = Target { $value }
chart-key-actual = Actual (published)
chart-key-required = Path required to reach the target
ind-no-figures = No figures have been published for this indicator yet.
ind-years = Year by year
ind-years-caption = Published figures of { $name } by year
ind-download = Download
ind-download-as = This indicator's figures as
ind-download-or = or
ind-download-drafts = ; with drafts, marked as such:
ind-download-more = . Every figure of the plan, what each column means, the API and the feed:
ind-revise = Add or revise a figure
ind-revise-help = Choose the year: the figure is saved as a draft for an official to review.
ind-history = History of the figures
ind-no-history = No change has been recorded.
ind-definition = Definition and provenance
def-unit = Unit
def-decimals = , { $count } decimal places
def-direction = Direction
def-nature = Nature
def-definition = Definition
def-definition-other = 定义
def-source = { $what } source

## Programmes
prog-latest-count = Latest count
prog-counts-from-indicator = The yearly counts are the figures of the indicator
prog-counts = Yearly counts
prog-no-counts = No yearly count has been published.
prog-counts-caption = Published yearly counts
prog-count = Count
prog-items = Items
prog-no-items = This programme lists no individual items.
prog-items-caption = Items of { $name }
item-name = Name
item-kind = Kind
item-field = Field
item-host = Host
item-source-notes = Source and notes

## Methodology
method-title = How progress is judged
method-intro = plantrack uses the progress method that national statistics offices publish with their Sustainable Development Goal platforms (Open SDG, developed by Statistics Canada). Everything below can be checked by hand from the figures on each indicator page.
method-values-h = The two values compared
method-base = <strong>Base</strong>: the plan's baseline value (for example the 2020 value of a 2021–2025 plan). Where the plan publishes no baseline value, the earliest published actual value is used instead.
method-latest = <strong>Latest</strong>: the newest <em>published</em> actual value. Drafts never count.
method-not-enough = With fewer than two values, or when the values change sign, progress cannot be judged and the indicator shows “Not enough data”. A base or target of zero is taken as 0.001 so that growth rates can be computed.
method-achieved = If the plan sets a target and the latest value is already at or past it (above it when higher is better, below it when lower is better, strictly past it when the plan says “more than”), the indicator shows “Target achieved”.
method-with-target-h = Indicators with a target
method-two-rates = Otherwise two yearly growth rates are compared:
method-cagr = the growth so far, CAGR = (latest ÷ base)<sup>1 ÷ (latest year − base year)</sup> − 1;
method-required = the growth the target needs, required = (target ÷ base)<sup>1 ÷ (target year − base year)</sup> − 1.
method-ratio = Their ratio R = d × CAGR ÷ |required|, where d is +1 when higher is better and −1 when lower is better, gives the status:
method-ratio-col = Ratio R
method-without-target-h = Indicators without a target
method-without-target = Where the plan publishes no target, the trend alone is judged: d × CAGR of 1.5% a year or more is “On track”, 0.5% to 1.5% “Acceleration needed”, 0% to 0.5% “Limited progress”, and below 0% “Moving away”. Such indicators are marked “trend only”.
method-other-h = The other figures shown
method-way = <strong>Way covered</strong>: (latest − base) ÷ (target − base), the share of the distance from the base to the target already travelled.
method-projected = <strong>Projected value</strong>: base × (1 + CAGR)<sup>target year − base year</sup>, where the indicator would stand in the target year if it kept growing at its current pace.
method-all-h = All statuses
method-codes = The codes are those of the JSON API (<code>progress.status</code>).
method-sources-h = Sources and confidence
method-sources = Every figure carries its source and a confidence (high, medium or low) saying how directly the source states it. A value reported as “more than N” is stored as N with a note; an estimate is marked as such. Revised figures keep their earlier values in the record.
