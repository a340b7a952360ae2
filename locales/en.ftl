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

## Plan administration
site-plan-admin = Plans
admin-plans-title = Plan administration
admin-plans-intro = Create a plan and edit its headings, indicators and programmes here, or load a whole plan from a seed file. Every change is checked with the rules of the seed files and recorded in the history.
admin-col-plan = Plan
admin-col-indicators = Indicators
admin-col-seed-file = Seed file
admin-new-plan = New plan
admin-new-group = Add a heading
admin-new-indicator = Add an indicator
admin-new-programme = Add a programme
admin-edit-plan = Edit the plan { $name }
admin-edit-group = Edit the heading { $name }
admin-edit-indicator = Edit the indicator { $name }
admin-edit-programme = Edit the programme { $name }
admin-edit-plan-link = Edit the plan's details
admin-public-page = Public page
admin-download-seed = Download as a seed file
admin-groups = Headings
admin-indicators = Indicators
admin-programmes = Programmes
admin-none-yet = None yet.
admin-group-first = Add a heading first: every indicator sits under one.
admin-items-by-file = A programme's items (laboratories, institutions, facilities) are loaded from the seed file.
admin-baseline-is = baseline { $year }: { $value }
admin-target-is = target { $year }: { $value }
admin-continues = continues { $predecessor }
admin-counts-from = counts from { $indicator }
admin-saved = Saved: { $what }. The change is recorded in the history.
admin-uploaded = The seed file was loaded: { $count } { $count ->
    [one] record
   *[other] records
} created or changed.
admin-not-saved = Nothing was saved: { $count } { $count ->
    [one] problem
   *[other] problems
} to fix
admin-conflict = Someone changed this record while you were editing it. Nothing was saved: what you typed is kept below, with the value stored now beside each field that differs. Submit again to save yours.
admin-stored-now = Stored now:
admin-save = Save
admin-cancel = Cancel
admin-option-none = (none)
admin-option-yes = yes
admin-option-no = no
admin-propose-title = Continue an indicator of an earlier plan
admin-propose-button = Propose from it
admin-proposed-baseline-note = Proposed from the latest published value of { $indicator }, for { $year }. Change it if the plan gives another baseline.
admin-proposed-baseline-none = The earlier indicator has no published value yet, so no baseline is proposed.
admin-hint-reason = Recorded in the history with the change. Required when a target of a published plan is amended (for example after a mid-term review).
admin-hint-national-average = One line per year: year | value | source | confidence (high, medium or low) | note (optional). For example: 2021 | 2.43 | National statistical bulletin 2021 | high
admin-hint-predecessor = The same indicator in an earlier plan, written plan-slug/indicator-code, e.g. chongqing-sti-2021-2025/rd-intensity. Its figures then continue this indicator's series.
admin-hint-decimals = How many decimal places the indicator keeps, 0 to 6.
admin-err-required = Fill this in.
admin-err-year = Type a year, e.g. 2025.
admin-err-choose = Choose one of the listed values.
admin-err-decimals = Type a whole number from 0 to 6.
admin-err-date = Type a date as YYYY-MM-DD, e.g. 2026-03-15.
admin-err-taken = This identifier is already used; choose another.
admin-err-target-value = A target needs a value; leave every target field empty if the plan gives none.
admin-err-line = Line { $line }: write year | value | source | confidence | note.
admin-err-line-value = Line { $line }: { $problem }.
admin-err-amend-reason = This plan is published: say why its target is amended (for example the mid-term review). The earlier target is kept with this reason.
admin-field-period = Period
admin-field-reason = Reason for the change
admin-field-slug = Identifier (slug)
admin-field-title-zh = Title in Chinese
admin-field-title-en = Title in English
admin-field-start-year = First year
admin-field-end-year = Last year
admin-field-baseline-year = Baseline year
admin-field-vision-year = Vision year
admin-field-default = Shown at the site's root
admin-field-issuer-zh = Issuer in Chinese
admin-field-issuer-en = Issuer in English
admin-field-document-number = Document number
admin-field-issued-on = Issued on
admin-field-published-on = Published on
admin-field-summary-zh = Summary in Chinese
admin-field-summary-en = Summary in English
admin-field-source = Source
admin-field-confidence = Confidence
admin-field-code = Code
admin-field-name-zh = Name in Chinese
admin-field-name-en = Name in English
admin-field-group = Heading
admin-field-unit = Kind of number
admin-field-unit-zh = Unit label in Chinese
admin-field-unit-en = Unit label in English
admin-field-decimals = Decimal places
admin-field-direction = Better when
admin-field-nature = Nature
admin-field-definition-zh = Definition in Chinese
admin-field-definition-en = Definition in English
admin-field-note = Note
admin-field-predecessor = Continues the indicator
admin-field-baseline--year = Baseline: year
admin-field-baseline--value = Baseline: value
admin-field-baseline--source = Baseline: source
admin-field-baseline--confidence = Baseline: confidence
admin-field-baseline--note = Baseline: note
admin-field-target--year = Target: year
admin-field-target--value = Target: value
admin-field-target--comparator = Target: wording (≥, ≤, =, >)
admin-field-target--source = Target: source
admin-field-target--confidence = Target: confidence
admin-field-target--note = Target: note
admin-field-national-average = National average series
admin-field-description-zh = Description in Chinese
admin-field-description-en = Description in English
admin-field-indicator = Counts are the figures of the indicator
admin-upload-title = Load a seed file
admin-upload-intro = Upload a plan's seed file (the format of the files in seeds/, described in seeds/README.md). You will see what it would create and change before anything is saved. Figures entered on the site are never overridden.
admin-upload-file = Seed file (.toml)
admin-upload-button = Check the file
admin-upload-unreadable = The upload could not be read. Reload the page and choose the file again.
admin-upload-too-large = The file is larger than 2 MiB, more than any plan's seed file needs.
admin-upload-choose = Choose a seed file to upload.
admin-upload-not-utf8 = The file is not UTF-8 text. Save it as UTF-8 and upload it again.
admin-upload-refused = Nothing can be loaded from this file. Fix the problems below and upload it again.
admin-upload-again = Back to the upload form
admin-upload-nothing = Every record is as stored: loading the file would change nothing.
admin-upload-gone = This upload is no longer waiting: it was loaded, cancelled, or it expired after an hour. Upload the file again.
admin-upload-conflict = Nothing was loaded: the plan changed after the preview was made. Below is what the file would change now; confirm again to load it.
admin-upload-confirm = Load the file
admin-upload-cancel = Cancel: load nothing
admin-upload-reason = loaded from the seed file { $file }
admin-reason-required-amend = required: the file amends targets of a published plan
admin-preview-title = Seed file preview: { $file }
admin-preview-plan = Plan: { $plan }. Nothing is loaded until you confirm.
admin-preview-caption = Every record of the file and what loading it would do
admin-col-record = Record
admin-col-key = Identifier
admin-col-outcome = Outcome
admin-col-fields = Fields: stored → in the file
admin-outcome-new = new
admin-outcome-changed = changed
admin-outcome-amended = target amended
admin-outcome-unchanged = unchanged
admin-outcome-kept = kept (entered on the site)
ind-measured-against-amended = Measured against the target as amended on { $date }: { $target }.
ind-target-history-link = Earlier targets
ind-target-history = Target amendments
ind-target-in-force = Target in force: { $target }. Earlier targets, newest first:
ind-earlier-target = Earlier target
ind-replaced-on = Replaced on
ind-edit-definition = Edit this indicator's definition
ind-across-plans = Across plans
ind-across-actual = Actual (published)
ind-earlier-plan = Earlier plan
ind-this-plan = This plan
ind-plan-period = Plan
ind-continued-in = Continued in a later plan:
history-target-amended = target amended
