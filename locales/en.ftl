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
as-of-bad = “{ $value }” is not a year this plan can be judged as of: give a year from { $from } to { $to }.
as-of-note = Verdicts as of { $year }: only figures for { $year } and earlier are counted.
as-of-label = Status as of
as-of-latest = Latest
as-of-show = Show
target-by = { $value } by { $year }
target-average = average { $value } a year, { $from }–{ $year }
target-cumulative = { $value } over { $from }–{ $year }, cumulative
target-increase = { $value } over the baseline by { $year }
target-relative = { $comparator } { $indicator }, every year
target-relative-about = in step with { $indicator } (within { $tolerance } points), every year
target-every-year-suffix = { $target }, every year
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
overview-judged = { $count } indicators, judged on published figures by the <a href="/methodology">{ $method } method</a>.
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
ind-headline-method = Status by the plan's method: { $method }. Both methods are shown below.
ind-target-wording = In the plan's words
ind-measure = Yearly values
ind-tp-year = Year judged
ind-tp-figure = Figure judged
ind-tp-average = Yearly average so far
ind-tp-compounded = Change compounded so far
ind-tp-base = Measured from
ind-tp-base-published = { $value }, the published baseline
ind-tp-base-year-figure = { $value }, the published { $year } figure (the baseline value is not published)
ind-tp-base-zero = zero: the change since the start of the period
ind-tp-progress-share = Share of the way covered (p)
ind-tp-time-share = Share of the period elapsed (t)
verdict-title = Record a verdict
verdict-intro = This target is in words only, so no figure can judge it: record your verdict for a year with the reason for it. Another official publishes it from the review page; until then the indicator shows “Awaiting judgement”.
verdict-year = Year the verdict is for
verdict-status = Verdict
verdict-reason = Reason
verdict-reason-hint = What the verdict rests on: the figures, reports or decisions, and where they are published.
verdict-save = Save as a draft for review
verdict-given = Officials' verdicts
verdict-by-year = Verdicts year by year
verdict-who = Given by
verdict-by-published = { $entered }; published by { $published } on { $date }
verdict-by-draft = { $entered }; awaiting review
verdict-returned = Sent back by { $who }: { $comment }
verdict-error-year = Choose a year of the plan up to this year.
verdict-error-status = Choose a verdict.
verdict-error-reason = Give the reason for the verdict.
verdict-record = Record a verdict
verdict-saved = The verdict is saved as a draft. Another official will review it before it is published.
review-verdict-published = The verdict is published.
review-returned-heading = Sent back to you
review-verdicts-heading = Verdicts on targets in words
ind-base-earliest = { $value } ({ $year }), the earliest published figure: the baseline value is not published
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
def-decimals = , at most { $count } decimal places
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

## Refusals of what was typed (shown next to the field)
err-not-a-number = enter a number such as 1234.5 or 1,234.5
err-not-finite = enter an actual number such as 1234.5; NaN and infinity are not accepted
err-exponent = write the number in full, e.g. 100000 rather than 1e5
err-bad-grouping = put thousands separators only between groups of three digits, e.g. 1,234,567.5, and write decimals with a point, e.g. 2.5
err-percent-sign = a percent sign only fits percentage indicators; enter the number alone
err-too-large = the number is too long; use at most 28 digits in all
err-text-too-long = this text has { $len } characters; shorten it to at most { $max }
err-control-character = this text contains an invisible control character; retype it or paste it as plain text
err-percent-range = a percentage must be between 0 and 100
err-count-whole = a count must be a whole number
err-negative = the value cannot be negative
err-too-many-decimals = this indicator keeps at most { $count } decimal places
err-bad-username = a user name is 2 to 63 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit
err-password-short = a password needs at least { $count } characters
err-password-long = a password can have at most { $count } characters
err-password-common = this password is too common; choose one that is hard to guess
err-bad-email = enter an e-mail address such as name@example.org, or leave it empty

## The annual update form and the revision of one figure
entry-title = Enter figures for { $year }
entry-year = Year:
entry-help = Each value you change or add is saved as a draft; an official reviews it before the public sees it. Give the source of every figure. Numbers may be written <code>1,234.5</code>, in full-width digits, or with a trailing <code>%</code> for percentages.
entry-problems = { $count ->
    [one] Nothing was saved: { $count } problem to fix
   *[other] Nothing was saved: { $count } problems to fix
}
entry-stored-for = Stored for { $year }:
entry-state-none = none
entry-state-draft = draft
entry-state-sent-back = sent back
entry-state-published = published
entry-changed-meanwhile = Changed by someone else meanwhile:
entry-stored-now = the stored value is now { $value } ({ $by }).
entry-conflict-help = Your value is kept in the field below; submit again to replace the stored one with yours, or type the stored value to keep it.
entry-value-for = Value for { $year }
entry-save-all = Save changed figures as drafts
entry-programme-count = { $name } (count)
entry-programme-counts = Programme counts
entry-sent-back-by = Sent back by { $who }: { $comment }
entry-an-official = an official
entry-no-figure = no figure
entry-seed-file = seed file
entry-entered-by = entered by { $who }, { $when }
entry-year-outside = Figures for { $year } cannot be entered in this plan:
entry-choose-year = choose a year from { $from } to { $to }.
entry-saved = { $count ->
    [0] Nothing changed, so nothing was saved.
    [one] Saved 1 figure as a draft. An official will review it before it is published.
   *[other] Saved { $count } figures as drafts. An official will review them before they are published.
}
entry-cannot-remove = A stored figure cannot be removed here. Type its value again to keep it, or ask an administrator.
entry-value-for-source = Enter the value that this source or note is about.
entry-source-needed = Give the source of this figure, for example the bulletin it is published in.
entry-unknown-figure = The form names a figure ({ $key }) that is not in this plan; reload the page.
entry-field-twice = The form sent the field { $name } twice; reload the page and enter the figures again.
entry-reason-needed = This figure is already published: say why it is being revised.
entry-conflict-notice = Someone else changed this figure while you were editing. Your value is kept below beside the stored one: submit again to keep yours.
entry-none = none
revise-title = Revise { $name } for { $year }
revise-heading = { $name }: figure for { $year }
revise-published = Published:
revise-pending = A draft is pending:
revise-reason = Reason for the change
revise-reason-required = (required: this figure is published)
revise-save = Save as a draft
action-cancel = Cancel

## Review of drafts
review-none = No drafts are waiting for review.
review-count = { $count ->
    [one] { $count } draft
   *[other] { $count } drafts
}
review-publish-year = { $count ->
    [one] Publish the { $count } draft of { $year } entered by others
   *[other] Publish all { $count } drafts of { $year } entered by others
}
review-caption = Drafts for { $year }
review-published-now = Published now
review-entered-by = Entered by
review-source-note = Source and note
review-decision = Decision
review-own-figure = You entered this figure: another official must publish it.
review-publish = Publish
review-comment = Comment for the author
review-send-back = Send back
review-published = Published { $count } figure(s); the public pages show them now.
review-skipped-own = { $count } figure(s) you entered yourself were left for another official.
review-sent-back = Sent the draft back to its author with your comment.
review-changed = That draft changed since you opened this page (or was already reviewed): check it again below.
review-own = You entered that figure yourself: another official must publish it.
review-comment-needed = Say what needs changing, so the author can act on it.

## History of changes
audit-title = History of changes
audit-intro = Every change of a figure or a definition, newest first: who made it, when, the value before and after, and why.
audit-plan = Plan
audit-all-plans = All plans
audit-indicator = Indicator code
audit-filter = Filter
audit-clear = Clear
audit-none = No change matches.
audit-limited = Showing the newest 500 changes; narrow the filter to see older ones.
audit-year-error = Enter a year such as 2023.

## Signing in
login-intro = Analysts and officials sign in to enter, review and publish figures. Reading the published figures needs no account.
login-username = User name
login-password = Password
login-paused = Too many failed sign-ins for this user name. For your protection, sign-in with it is paused: try again in { $seconds } seconds. The pause grows with each failed attempt, up to 15 minutes; a browser that has signed in with this name before is not paused.
login-wrong = The user name or the password is not right.

## Errors
error-code = Error { $status }.
error-home = Go to the overview
error-rejected = Request refused
error-forbidden = Not allowed
error-forbidden-message = Your account's role does not allow this. Ask an administrator if you need it.
error-csrf = The form has expired
error-csrf-message = This form was not sent from a page of this site, or your session ended. Go back, reload the page and submit again.
error-not-found = Page not found
error-not-found-message = There is no page at this address. It may have moved, or the link may be mistyped.
error-unavailable = Temporarily unavailable
error-unavailable-message = The figures cannot be read right now. Nothing has been lost: please try again in a moment.
error-internal = Something went wrong
error-internal-message = The page could not be shown because of an error on our side. It has been logged.
error-form-too-large = The form is larger than 1 MiB, the most this site accepts.
error-form-unreadable = The form could not be read. Reload the page and try again.
resubmit-title = Not saved yet
resubmit-heading = Not saved yet: the database is briefly unavailable
resubmit-help = Nothing you typed is lost: every value is below. Wait a moment, then submit again.
resubmit-password = For your safety, type your password again.
resubmit-again = Submit again

## Users
users-accounts = Accounts
users-role = Role
users-since = Since
users-state = State
users-action = Action
users-disabled = disabled
users-active = active
users-enable = Enable { $name }
users-disable = Disable { $name }
users-add = Add a user
users-full-name = Full name (optional)
users-choose = Choose…
users-password = Password (at least 10 characters)
users-add-button = Add user
users-role-error = Choose a role.
users-taken = This user name is taken.
users-not-yourself = You cannot disable your own account: ask another administrator.
users-email = E-mail
users-email-of = E-mail address of { $name }
users-email-save = Save { $name }’s address
users-email-optional = E-mail address (optional)
users-email-hint = Mail about drafts to review and figures sent back or published goes here, in the language the person last signed in with. Leave it empty for no mail.

## Column headers of downloads (English keeps the columns' own names)
data-status-csv = One row per indicator: its status by the plan's method and by both methods (time progress with the shares p and t, and Open SDG), with the year it is as of.
data-as-of = Add <code>?as_of=2023</code> to any download's address for the figures up to 2023 only and the verdicts as they stood then (the annual monitoring view), e.g. <code>status.csv?as_of=2023</code>.
data-col-as_of = as_of
data-col-method = method
data-col-status = status
data-col-time_progress_status = time_progress_status
data-col-judged_year = judged_year
data-col-progress_share = progress_share
data-col-time_share = time_share
data-col-base = base
data-col-open_sdg_status = open_sdg_status
data-col-measure = measure
data-col-target_kind = target_kind
data-col-target_wording_zh = target_wording_zh
data-col-target_wording_en = target_wording_en
data-col-plan = plan
data-col-indicator = indicator
data-col-name_en = name_en
data-col-name_zh = name_zh
data-col-year = year
data-col-kind = kind
data-col-value = value
data-col-unit = unit
data-col-state = state
data-col-source = source
data-col-note = note

## The data page's documentation of the columns
data-col-plan-meaning = The plan's identifier (slug), as in its address.
data-col-plan-upload = Must be the plan the file is uploaded to (or empty).
data-col-indicator-meaning = The indicator's code, or programme:<slug> for a programme's yearly count.
data-col-indicator-upload = Identifies the figure; must be an indicator or programme of the plan.
data-col-name_en-meaning = The indicator's (or programme's) English name.
data-col-name_en-upload = For reading only; ignored.
data-col-name_zh-meaning = Its Chinese name.
data-col-name_zh-upload = For reading only; ignored.
data-col-year-meaning = The year the figure is for.
data-col-year-upload = Identifies the figure; a year from the plan's baseline year to its end year.
data-col-kind-meaning = actual (the plan area's own value), national_average or benchmark (comparison series).
data-col-kind-upload = Identifies the figure; empty means actual. Only actual figures can be changed: national averages and benchmarks come from the plan's seed file, and a row that changes one is refused.
data-col-value-meaning = The value, with the decimals it was published with, written without thousands separators (2.60, 65, 45000).
data-col-value-upload = Checked as in the entry form: a percentage from 0 to 100, a whole number for counts, at most the indicator's decimals; 1,234.5, full-width digits and a trailing % are accepted.
data-col-unit-meaning = The unit the value is in (% or the unit's English label).
data-col-unit-upload = For reading only; ignored.
data-col-state-meaning = published, or draft for a figure awaiting review (only in files downloaded by signed-in users).
data-col-state-upload = The stored figure the row is compared with; empty means draft. A changed row is saved as a draft either way.
data-col-source-meaning = Where the figure was published.
data-col-source-upload = Required for a new or changed figure; at most 500 characters.
data-col-note-meaning = Remarks on the figure, e.g. “reported as more than 42,000”.
data-col-note-upload = Optional; at most 2,000 characters.
data-def-plan = The plan's identifier.
data-def-indicator = The indicator's code, or programme:<slug> for a programme.
data-def-group = The heading the indicator sits under.
data-def-name_en = English name.
data-def-name_zh = Chinese name.
data-def-unit_kind = percent, count, amount or rate: decides which values are accepted.
data-def-unit_en = The unit's English label.
data-def-unit_zh = The unit's Chinese label.
data-def-decimals = The most decimal places a value of the indicator may have; each value keeps the decimals it was published with.
data-def-direction = higher or lower: which way is better.
data-def-nature = expected (预期性) or binding (约束性), when known.
data-def-baseline_year = The baseline's year.
data-def-baseline_value = The baseline value, when published.
data-def-target_year = The target's year.
data-def-target_comparator = >=, <=, = or >: how the target is worded.
data-def-target_value = The target value, when the plan gives one.
data-def-definition_en = What exactly is measured, in English.
data-def-definition_zh = What exactly is measured, in Chinese.
data-def-source = Where the indicator (or programme) itself comes from.
data-def-confidence = high, medium or low.
data-def-baseline_source = Where the baseline comes from.
data-def-target_source = Where the target comes from.
data-def-measure = level (a stock or a share), growth (a yearly growth rate in %, may be negative) or reduction (a yearly reduction in %, negative when the quantity rose).
data-def-target_kind = The kind of target: level, range, average, cumulative, increase, relative or text.
data-def-target_min = For a range target: the lowest value that meets it.
data-def-target_max = For a range target: the highest value that meets it.
data-def-target_indicator = For a relative target: the indicator it is compared with in the same year.
data-def-target_tolerance = For a relative target worded ≈: how far apart the two may be.
data-def-target_every_year = true when the target must hold in every year of the period.
data-def-target_wording_zh = The plan's own words for the target, in Chinese.
data-def-target_wording_en = The plan's own words for the target, in English.
data-def-status = The headline status by the plan's method, as of the download's year (the API's codes).

## Uploads and the feed
upload-too-large = The file is larger than 10 MiB, the most an upload accepts. Upload the figures of fewer indicators or years at a time.
upload-cancelled = The upload was cancelled: nothing was saved.
upload-unreadable-file = The file cannot be read: { $error }.
upload-unreadable = The upload could not be read. Reload the page and choose the file again.
upload-choose = Choose a file to upload.
upload-empty = The file is empty.
upload-rows-refused = { $count ->
    [one] Nothing can be saved from this file: { $count } row is refused. Fix it in the file and upload it again.
   *[other] Nothing can be saved from this file: { $count } rows are refused. Fix them in the file and upload it again.
}
upload-bad-layout = Nothing can be saved from this file: it is not in the layout of the download.
upload-nothing = Every row is as stored: there is nothing to save.
upload-gone = This upload is no longer waiting: it was saved, cancelled, or it expired after an hour. Upload the file again.
upload-confirm = Nothing is saved yet. Confirm to save the { $new } new and { $changed } changed figure(s) as drafts, or cancel.
upload-kept-until = This preview is kept until { $time }.
upload-changed-since = Someone changed this figure after your preview was made.
upload-conflicts = Nothing was saved: { $count } figure(s) were changed by someone else after the preview (marked below). Upload the file again to compare it with the figures as they are now.
feed-title = { $plan }: newly published figures
feed-published = Published { $date }.
feed-source = Source: { $source }.
feed-note = Note: { $note }

## The open data page and the upload preview
data-intro = Every published figure of this plan, free to download and reuse, in three formats. The files hold the same figures as the pages: each with its year, its kind, its source and any note.
data-downloads = Downloads
data-files-caption = Files of the whole plan
data-format = Format
data-holds = What it holds
data-published = Published figures
data-with-drafts = With drafts
data-csv = One row per figure, in the columns below. UTF-8 with a byte-order mark, so that spreadsheet programs show Chinese text correctly. The header row is in the language of the page you download it from; an upload accepts either.
data-file-with-drafts = { $file } with drafts
data-xlsx = Two sheets: <code>figures</code> (the same columns) and <code>indicators</code> (definitions with units, targets and provenance).
data-json = The plan's definitions and every figure in one document (described below).
data-drafts-note = Files with drafts are for signed-in users only: their draft rows say <code>draft</code> in the <code>state</code> column (and in the JSON), and have not been reviewed.
data-one-indicator = One indicator at a time
data-follow = Follow the plan and use the API
data-feed = Atom feed of newly published figures
data-feed-help = : add it to a feed reader to hear of each figure as it is published.
data-api-docs = JSON API documentation
data-api-help = , generated from the same description as <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
data-columns-h = The columns of the CSV and of the <code>figures</code> sheet
data-columns-intro = One row per figure. A figure is one indicator's (or one programme's) value for one year and one kind; a signed-in user's file can hold both its published value and a draft.
data-columns-caption = Columns of the figures table
data-column = Column
data-meaning = Meaning
data-in-upload = In an upload
data-xlsx-values = In the XLSX, values are numbers shown with the decimals they were published with (a value with more digits than a spreadsheet number holds is written as text, with all of them).
data-indicators-sheet = The <code>indicators</code> sheet
data-json-h = The JSON document
data-json-help = . The plan's, headings', indicators' and programmes' fields are those of the plan's seed file; values are JSON numbers with their exact digits; unknowns are <code>null</code>. The document is written the same way every time, so two exports of unchanged data are identical.
data-upload-h = Upload figures from a spreadsheet
data-upload-help = Download the CSV or XLSX (with drafts), change or add figures in your spreadsheet program, keep the header row and the columns, and upload the file. Nothing is saved until you have seen every row in a preview and confirmed it; then every new or changed figure is saved as a draft for an official to review. Only actual figures and programme counts can be changed.
data-file = File (CSV or XLSX, at most 10 MiB)
data-file-hint = In the layout of the download: the columns above, one row per figure.
data-check = Check the file
data-cli-1 = On the server the same is done by
data-cli-2 = ;
data-cli-3 = writes every figure, drafts included.
preview-title = Upload preview
preview-bad-layout = Nothing can be saved: the file is not in the layout of the download
preview-rows-to-fix = { $count ->
    [one] Nothing can be saved: { $count } row to fix
   *[other] Nothing can be saved: { $count } rows to fix
}
preview-row = Row { $line }
preview-new = new
preview-changed = changed
preview-unchanged = unchanged
preview-refused = refused
preview-save = { $count ->
    [one] Save { $count } figure as drafts
   *[other] Save { $count } figures as drafts
}
preview-cancel = Cancel: save nothing
preview-back = Back to the upload form
preview-caption = Every row of the file, as it would be saved
preview-row-col = Row
preview-state = State in the file
preview-outcome = Outcome
preview-stored-published = published { $value }
preview-stored-draft = draft { $value }
preview-stored = Stored now
preview-in-file = In the file
preview-warned = to check
preview-warned-note = Some values look far from what is expected (see the Warning column). They are not refused: saving the upload confirms that you checked them, and the reviewer sees the warning.
preview-unchanged-rows = { $count } unchanged rows
preview-status-new = new
preview-status-changed = changed
preview-status-unchanged = unchanged
preview-status-refused = refused
preview-status-conflict = conflict

## API documentation
api-docs-title = API documentation
api-docs-meta = Version { $version } · described as OpenAPI { $openapi } at <a href="/api/openapi.json">/api/openapi.json</a>, from which this page is generated.
api-docs-english = The API's own descriptions are in English.
api-paths = Paths
api-example = Example:
api-parameters = Parameters
api-in = In
api-type = Type
api-required = Required
api-example-col = Example
api-yes = yes
api-no = no
api-responses = Responses
api-body = Body (JSON)
api-schemas = Schemas
api-fields-of = Fields of { $name }
api-field = Field

## Checks of an uploaded file
check-unnamed-column = Column { $column } has values but no name in the header row.
check-unknown-column = Unknown column “{ $name }”. The columns are: { $known }.
check-column-twice = The column “{ $name }” appears twice.
check-column-missing = The column “{ $name }” is missing. Keep the header row of the download: { $known }.
check-other-plan = This row is for the plan “{ $plan }”, not this one (“{ $this }”).
check-no-indicator = The indicator column is empty.
check-unknown-indicator = There is no indicator or programme “{ $code }” in this plan; use the codes of the download.
check-year-outside = The year { $year } is outside this plan: give a year from { $from } to { $to }.
check-not-a-year = The year “{ $year }” is not a year: write it as a whole number such as 2024.
check-bad-kind = The kind “{ $kind }” is not one of actual, national_average, benchmark.
check-programme-kind = A programme's counts are all of kind actual.
check-bad-state = The state “{ $state }” is not published or draft (or empty).
check-value = Value “{ $value }”: { $error }.
check-source = Source: { $error }.
check-note = Note: { $error }.
check-commentary = Commentary: { $error }.
check-duplicate = Duplicate row: row { $first } already gives this figure ({ $figure }).
check-empty-stored = The value is empty: an upload cannot remove a stored figure. Give its value, or delete the row.
check-empty = The value is empty: give the value, or delete the row.
check-not-actual = National averages and benchmarks come from the plan's seed file: an upload cannot change them.
check-draft-waiting = A draft ({ $draft }) is waiting for review for this figure: change its draft row instead, so that the draft is not overwritten unseen.
check-source-needed = Source: give the source of this figure, for example the bulletin it is published in.
check-changed-twice = Row { $first } already changes this figure; keep one row for it.
## Plan administration
site-plan-admin = Plan definitions
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
admin-conflict = Someone changed this record while you were editing it. Nothing was saved: what you typed is kept below, with the value stored now beside each field that differs. Submit again to save yours.
admin-stored-now = Stored now:
admin-save = Save
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
admin-hint-decimals = The most decimal places a value may have, 0 to 6; each value keeps the decimals it is entered with.
admin-err-required = Fill this in.
admin-err-year = Type a year, e.g. 2025.
admin-err-choose = Choose one of the listed values.
admin-err-decimals = Type a whole number from 0 to 6.
admin-err-date = Type a date as YYYY-MM-DD, e.g. 2026-03-15.
admin-err-taken = This identifier is already used; choose another.
admin-field-plausible-min = Plausible lowest value (a value below it is questioned, not refused)
admin-field-plausible-max = Plausible highest value (a value above it is questioned, not refused)
admin-field-measure = What the yearly values are
admin-field-method = Headline method
admin-field-ahead-factor = Time progress: ahead when p ≥ this × t (1.2 when empty)
admin-field-behind-factor = Time progress: lagging when p < this × t (0.8 when empty)
admin-field-target--kind = Target: kind
admin-field-target--min = Target: lowest value (range)
admin-field-target--max = Target: highest value (range)
admin-field-target--indicator = Target: compared with indicator (relative)
admin-field-target--tolerance = Target: tolerance for ≈ (relative)
admin-field-target--every-year = Target: must hold every year
admin-field-target--wording-zh = Target: the plan's words (Chinese)
admin-field-target--wording-en = Target: the plan's words (English)
admin-err-factor = Give a number such as 1.2, or leave it empty.
admin-err-number = Give a number, or leave it empty.
admin-err-target-missing = A “{ $kind }” target needs this field.
admin-err-target-not-taken = A “{ $kind }” target does not use this field: clear it or choose another kind.
admin-err-target-comparator = A “{ $kind }” target cannot use this wording: ≈ is for relative targets only, = is not for them.
admin-err-target-range = The highest value must not be below the lowest.
admin-err-target-tolerance = The tolerance cannot be negative.
admin-err-target-wording = A target in words needs the plan's words, in Chinese or English.
admin-err-target-cumulative = A cumulative target needs an indicator whose yearly values are growth or reduction rates.
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
admin-field-target--comparator = Target: comparator (≥, >, ≤, <, =; ≈ for relative)
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

## Seed file checks
seed-format = format: this build reads format { $expected }, the file says { $found }
seed-plan-titles = plan: title_zh and title_en are both required
seed-plan-start-after-end = plan: start_year is after end_year
seed-plan-baseline-year = plan: baseline_year must come before start_year
seed-plan-vision-year = plan: vision_year must not come before end_year
seed-used-twice = { $at }: the { $what } is used twice
seed-names-required = { $at }: name_zh and name_en are both required
seed-unknown-group = { $at }: group { $group } is not defined in a [[group]]
seed-plan-factors = plan: behind_factor must be above 0 and no greater than ahead_factor (1.2 and 0.8 when left out)
seed-plausible = { $at }: plausible_min must not be above plausible_max
plausible-far = { $change } % from { $year } ({ $previous }): more than 50 % away from the previous published figure.
plausible-below = Below the lowest plausible value, { $min }.
plausible-above = Above the highest plausible value, { $max }.
plausible-check = Check this value: { $warning } If it is right, tick “I checked this value” and save again.
plausible-checked-label = I checked this value
plausible-confirmed = Confirmed by the person who entered it.
check-warning-column = Warning
seed-decimals = { $at }: decimals must be between 0 and 6
seed-predecessor-same-plan = { $at }: predecessor { $predecessor } must be an indicator of an earlier plan, not of this one
seed-predecessor-form = { $at }: predecessor { $predecessor } must be written plan-slug/indicator-code
seed-predecessor-missing = { $at }: predecessor { $predecessor } is not an indicator of a plan on this site
seed-value = { $at }: { $what } { $value }: { $problem }
seed-given-twice = { $at }: { $what } is given twice
seed-unknown-indicator = { $at }: indicator { $indicator } is not defined in this file
seed-counts-from-indicator = { $at }: counts come from indicator { $indicator }; remove the [[programme.count]] entries
seed-slug = { $at } { $slug }: use 1 to 80 lowercase letters, digits and hyphens, not starting with a hyphen
seed-year-range = { $at }: year { $year } is outside 1900–2200
admin-entity-plan = plan
admin-entity-group = heading
admin-entity-indicator = indicator
admin-entity-programme = programme
admin-entity-item = programme item
admin-entity-figure = figure
admin-entity-target = target

## Programme items, figure commentary and the final assessment
commentary-label = Commentary (public once published)
commentary-hint = Why the figure moved and what is being done, in a sentence or two.
commentary-column = Commentary
item-sent-back-by = Sent back by { $name }: { $comment }
item-new-title = Add an item
item-edit-title = Correct a draft item
item-new-intro = A new laboratory, institution or facility of this programme. It is saved as a draft: an official publishes it before the public sees it.
item-conflict = Someone changed this draft while you were editing it. What you typed is kept below: submit again to save it over the stored version.
item-name-zh = Name in Chinese
item-name-en = Name in English
item-kind-hint = For example “national key laboratory” or “new R&D institution”.
item-status = Status
item-year = Year of this status
item-year-hint = The year the status applies to, from { $first } to { $last }.
item-source = Source
item-note = Note
item-save = Save as a draft
item-error-required = Fill in this field.
item-error-status = Choose one of the statuses: planned, being built, operating or dropped.
item-error-year = Enter the year as a whole number such as 2024, from { $first } to { $last }.
item-error-year-range = The year must be from { $first } to { $last }.
item-error-published = This item is already published: change its status instead.
item-error-not-published = This item is a draft: correct the draft instead, or wait until it is published.
item-status-title = Change the status
item-status-now = Status now:
item-status-new = New status
item-status-choose = Choose a status
item-status-year = Year the new status applies to
item-status-note = Note (what happened, and where it is reported)
item-add = Add an item
item-edit-link = Correct the draft
item-status-link = Change the status
item-col-history = Status history
item-added-notice = Saved as a draft. An official will review it before it is published.
item-status-saved-notice = The status change is saved as a draft. An official will review it before it is published.
programme-derived = The yearly counts are derived from the items: the number of published items whose status is “{ $status }”, counted from the year of that status.
programme-derived-source = Derived from the items below
review-items-heading = New programme items
review-statuses-heading = Status changes of programme items
review-assessment-heading = Final-assessment commentary
review-col-what = Item or indicator
review-col-draft = Draft
review-col-now = Published now
review-col-entered = Written by
review-col-decision = Decision
review-own-draft = You wrote this draft: another official must publish it.
review-item-published = Published; the public pages show it now.
review-assessment-published = Published the commentary; the final assessment shows it now.
assessment-title = Final assessment
assessment-intro = Each indicator's final value is its latest published actual figure up to { $year }, judged against the plan's target.
assessment-summary = Summary
assessment-indicators = Indicators
assessment-col-indicator = Indicator
assessment-col-baseline = Baseline
assessment-col-final = Final value
assessment-col-target = Target
assessment-col-result = Result
assessment-col-share = Share of the way from baseline to target
assessment-col-source = Source
assessment-verdict-achieved = Achieved
assessment-verdict-not-achieved = Not achieved
assessment-verdict-no-data = No data
assessment-verdict-no-target = No target published
assessment-write = Write or revise the commentary
assessment-method = The share of the way is (final − baseline) ÷ (target − baseline), as in the progress method.
assessment-programmes = Programmes
assessment-no-programmes = This plan names no programmes.
assessment-col-programme = Programme
assessment-col-final-count = Final count
assessment-col-operating = Items operating
assessment-operating-of = { $operating } of { $items }
assessment-edit-title = Commentary for the final assessment
assessment-published-now = Published now:
assessment-conflict = Someone else saved a commentary while you were writing. Yours is kept in the field below; the stored one is shown here. Submit again to replace it with yours.
assessment-commentary-label = Commentary (what was achieved, why, and what follows)
assessment-commentary-hint = Saved as a draft: another official publishes it. At most 2,000 characters.
assessment-save = Save as a draft
assessment-error-empty = Write the commentary, or cancel.
history-item-create = Item added (draft)
history-item-update = Item draft revised
history-item-status = Status change proposed
history-item-publish = Item published
history-item-send-back = Item sent back
history-assessment-draft = Assessment commentary drafted
history-verdict-draft = Verdict recorded (draft)
history-verdict-publish = Verdict published
history-verdict-send-back = Verdict sent back
history-assessment-publish = Assessment commentary published
history-assessment-send-back = Assessment commentary sent back
data-col-commentary = commentary
data-col-commentary-meaning = Why the figure moved and what is being done, as published with the figure.
data-col-commentary-upload = Optional; at most 2,000 characters. A file without this column keeps the stored commentary.
entry-commentary-only = Officials add or change the commentary of a stored figure only: leave the value, source and note as they are.
entry-commentary-only-hint = As an official you add or change the figure's commentary; its value, source and note stay as stored. Another official publishes it.
seed-counts-from-items-and-indicator = { $at }: counts come either from an indicator or from the items, not both
seed-counts-from-items = { $at }: counts are derived from the items that are { $status }; remove the [[programme.count]] entries
# Server budgets (request timeouts)
error-request-too-slow = The request arrived too slowly (the limit is { $seconds } seconds). Send it again; if it was an upload, try a smaller file or a faster connection.
error-answer-too-slow = The answer took longer than { $seconds } seconds and was stopped. Reload the page to see whether anything changed, then try again.
error-query-unreadable = This address asks for something the page cannot read (a year that is not a number, say). Check the link and try again.
# Part B: sign-in and accounts within a fixed budget
login-address-paused = Too many sign-in attempts from your network. Try again in { $minutes } minutes.
login-busy = Too many sign-ins at once, try again in a moment.
login-name-too-long = A user name has at most { $count } characters.
login-password-too-long = A password has at most { $count } bytes.
account-password-title = Change your password
account-password-intro = After the change you stay signed in here, and every other session of your account ends.
account-current = Current password
account-new = New password (at least { $count } characters)
account-again = New password again
account-change-button = Change password
account-changed = Your password has been changed. Every other session of your account has ended.
account-wrong-current = This is not your current password.
account-differs = The two new passwords differ.
account-paused = Too many wrong current passwords. Try again in { $seconds } seconds.
# Uploads and imports within fixed budgets
upload-file-not-utf8 = The file is not UTF-8 text. In your spreadsheet program, save it as “CSV UTF-8” (or upload the XLSX).
upload-file-csv = The file could not be read as CSV: { $error }.
upload-file-xlsx = The file could not be read as an XLSX workbook ({ $error }). Save it from your spreadsheet program as “Excel Workbook (.xlsx)”.
upload-file-empty = The file is empty: it has no header row.
upload-file-unknown = The file is not a CSV or XLSX file. Upload a file in the layout of the download.
upload-limit-rows = The file has more than { $limit } rows, the most one upload reads. Nothing was saved; upload the figures of fewer indicators or years at a time.
upload-limit-columns = Row { $line } of the file has a cell beyond column { $limit }, the most one upload reads (the layout of the download has { $columns } columns). Nothing was saved; remove the columns that are not part of the layout.
upload-limit-sheet = The sheet declares { $rows } rows and { $columns } columns; one upload reads at most { $max_rows } rows and { $max_columns } columns. Nothing was saved; keep only the table of figures in the sheet.
upload-limit-cells = The file has more than { $limit } cells, the most one upload reads. Nothing was saved; upload the figures of fewer indicators or years at a time.
upload-limit-cell = A cell in row { $line } holds more than { $limit } characters, the most a cell may hold. Nothing was saved.
upload-limit-text = The cells of the file hold more than { $limit } MiB of text, the most one upload reads. Nothing was saved; upload the figures of fewer indicators or years at a time.
upload-limit-unzipped = The workbook unpacks to more than { $limit } MiB, the most one upload reads (an XLSX file is a compressed archive). Nothing was saved; keep only the sheet of figures, or upload fewer figures at a time.
upload-limit-parts = The shared text, styles and other parts of the workbook unpack to more than { $limit } MiB, the most one upload reads. Nothing was saved; copy the sheet of figures into a new workbook and upload that.
upload-limit-piece = The workbook holds a piece of text or markup longer than { $limit } MiB, more than a spreadsheet program writes. Nothing was saved; save the workbook again from your spreadsheet program.
upload-limit-time = Reading the file took longer than { $seconds } seconds, the most one upload may take. Nothing was saved; upload the figures of fewer indicators or years at a time.
upload-limit-stopped = Reading the file was stopped because the upload was cancelled. Nothing was saved.
upload-busy = Other files are being read right now. Nothing was saved; wait a few seconds and upload the file again.
# Review lifecycle: reasons the system records, by code
reason-seed-loaded = loaded from the seed file
reason-seed-changed = the seed file changed
reason-seed-revised = revised by the publisher
reason-amended = amended
reason-imported = imported from { $file }
reason-uploaded = uploaded from { $file }
reason-seed-uploaded = loaded from the seed file { $file }

## Part F: the shared form layer
entry-saved-conflicts = Saved { $saved } figure(s). { $conflicts } figure(s) were changed by someone else while you were editing: your values are kept below beside the stored ones; submit again to keep yours.

## Attention first (overview): counts as links, the needs-attention list, the table's filters
overview-attention = Needs attention ({ $count })
overview-attention-intro = Indicators moving the wrong way, progressing too slowly or that missed their target, then those awaiting data or an official's judgement.
overview-attention-none = No indicator needs attention: every one is on track or has reached its target.
overview-attention-latest = latest: { $value }
attention-not_achieved = Target not reached by { $year }
attention-lagging = Behind schedule: less of the way covered than of the period elapsed
basis-shares = way { $progress } · time { $time }
basis-year = judged on { $year }
attention-deterioration = Moving away from its target
attention-limited_progress = Progressing too slowly for its target
attention-no_figure = Awaiting data: no figure published yet
attention-one_figure = Awaiting data: one figure published, a later one is needed to judge progress
attention-judgement = Awaiting judgement: the method cannot judge these figures (they change sign)
attention-target_year_figure = Awaiting data: the target year has passed and its figure is not published yet
attention-not_enough = Awaiting data: the figures published are not enough to judge (a baseline value, or every year so far, is missing)
attention-verdict = Awaiting judgement: the target is in words, and an official’s verdict is not published yet
overview-about = About the plan
overview-table = All indicators
overview-filters = Filter and sort the indicators
overview-filter-group = Heading:
overview-filter-status = Status:
overview-sort = Order:
overview-filter-all-groups = All headings
overview-filter-all-statuses = All statuses
overview-filter-status-count = { $status } ({ $count })
overview-sort-plan = As in the plan
overview-sort-status = Worst status first
overview-showing = Showing { $shown } of { $total } indicators: { $what }.
overview-showing-status = status “{ $status }”
overview-showing-group = heading “{ $group }”
overview-showing-sorted = worst status first
overview-showing-separator = , { "" }
overview-clear = Show all indicators in plan order
overview-filter-none = No indicator matches this filter.
overview-filter-bad-status = “{ $value }” is not a status. Use one of the status links on the plan's overview.
overview-filter-bad-group = This plan has no heading “{ $value }”. Use one of the heading links on the plan's overview.
overview-filter-bad-sort = “{ $value }” is not an order of the table: use “sort=status” (worst status first) or leave it out (as in the plan).

# Review page that lets an official judge: unit, previous year, change, target, status if published, commentary, narrowing
review-unit = Unit: { $unit }
review-previous-year = Previous year
review-change = Change
review-target = Target
review-would-be = Status if published
review-status-now = now: { $status }
review-commentary = Commentary to publish:
review-no-commentary = none
review-filter-heading = Narrow the review queue
review-filter-year = Year:
review-filter-group = Heading:
review-filter-all-years = All years
review-filter-all-groups = All headings
review-showing-year = Showing only drafts for { $year }.
review-showing-group = Showing only drafts under the heading “{ $group }”.
review-showing-both = Showing only drafts for { $year } under the heading “{ $group }”.
review-clear = Show every draft
review-filter-none = No draft waiting for review matches this narrowing.
review-filter-bad-year = “{ $value }” is not a year of this plan: use a year from { $range }, or leave it out to see every year.
review-filter-bad-group = This plan has no heading “{ $value }”: use one of the heading links on the review page, or leave it out to see every heading.

# The yearly form helps: last year and the target beside each value, a reason for revising a published figure, its note kept only on purpose, the upload in the entry area
entry-last-year = Published for { $year }: { $value }
entry-target = Target: { $target }
entry-note-from-published = From the published figure: { $note }
entry-keep-note = Keep this note with the new value
entry-reason-hint = Needed only if you change this published figure; it is shown in the figure's history.
entry-upload-link = Enter many figures at once: upload a spreadsheet
entry-upload-back = Back to entering figures year by year
entry-upload-columns = The columns of the file, explained on the Open data page
entry-upload-file-hint = In the layout of the download: one row per figure, with the columns explained on the Open data page.
data-upload-link = Signed-in analysts: upload a spreadsheet

# Charts: the projection, the unit on the y axis and the chart as a file
chart-and-projection = , the projection at the current pace
chart-projection-desc = A dashed line from the latest actual value shows where the current pace leads: { $value }.
chart-key-projection = Projected at the current pace
chart-download = Download the chart (SVG)
chart-download-png = Download the chart as an image (PNG)

# Chinese conventions: times in the site's time zone, a label's colon
time-in-zone = { $time } (UTC{ $offset })
label-separator = { ": " }

## Search across every plan
search-title = Search
search-title-for = Search: { $text }
search-label = Find an indicator, programme or item by a part of its name
search-hint = In Chinese or English, in any plan: for example 专利 or patent.
search-button = Search
search-found = { $count ->
    [one] One result for “{ $text }”.
   *[other] { $count } results for “{ $text }”.
}
search-none = Nothing in any plan has “{ $text }” in its name. Try a shorter part of the name, or the other language.
search-more = Only the first { $max } are listed: add to the text to narrow the search.
search-too-long = The search text is too long: at most { $max } characters.
search-over-budget = The search took too long: add to the text to narrow it, then search again.
search-kind-indicator = Indicators ({ $count })
search-kind-programme = Programmes ({ $count })
search-kind-item = Programme items ({ $count })

# A figure in the plan's feed (a sentence: `{ $name }, { $year }: { $value }.`), and an aside
feed-figure = { $name }, { $year }: { $value }
sentence = { $text }.
parenthetical = { " " }({ $text })

## Who needs to act: counts in the navigation
site-waiting-count = { $count ->
    [one] (1 draft waiting)
   *[other] ({ $count } drafts waiting)
}
site-sent-back-count = { $count ->
    [one] (1 sent back to you)
   *[other] ({ $count } sent back to you)
}

# Time-progress method and target kinds (issue 18)
status-achieved_early = Achieved early
status-achieved_early-meaning = The target is already met before the target year.
status-ahead = Ahead of schedule
status-ahead-meaning = Progress runs ahead of time: the share of the way covered is at least 1.2 times the share of the period elapsed (p ≥ 1.2t); for a yearly average, an average 1.2 times better than the target.
status-on_schedule = On schedule
status-on_schedule-meaning = Progress keeps pace with time (0.8t ≤ p < 1.2t), or the target is met in the latest year judged.
status-lagging = Behind schedule
status-lagging-meaning = Progress falls behind time (p < 0.8t), or the target is missed in the latest year judged.
status-achieved = Achieved
status-achieved-meaning = The target year's figure meets the target (and, for a target that must hold every year, every year of the period met it).
status-not_achieved = Not achieved
status-not_achieved-meaning = The target year's figure misses the target (or, for a target that must hold every year, a year of the period missed it).
status-awaiting_data = Awaiting data
status-awaiting_data-meaning = The target year has come, but its figure is not yet published.
status-awaiting_judgement = Awaiting judgement
status-awaiting_judgement-meaning = The target is in words only and awaits an official's published judgement.
status-not_enough_data = Not enough data
status-not_enough_data-meaning = Too few published figures to judge, for example no baseline value, or a year missing from a running average or total.
method-name-time-progress = Time progress
method-name-open-sdg = Open SDG
target-kind-level = Level in the target year
target-kind-range = Range
target-kind-average = Yearly average over the period
target-kind-cumulative = Cumulative over the period
target-kind-increase = Increase over the baseline
target-kind-relative = Relative to another indicator
target-kind-text = Words only
measure-level = Level
measure-growth = Yearly growth rate
measure-reduction = Yearly reduction
target-every-year = Must hold every year
method-tp-intro = plantrack judges every indicator by two methods: time progress (时序进度), the way Chinese plan offices report on their plans, and the progress method that national statistics offices publish with their Sustainable Development Goal platforms (Open SDG). Both can be checked by hand from the figures on each indicator page.
method-tp-headline = Each plan chooses one of the two as its headline method, named on the plan's overview: its statuses are the ones the plan's pages, final assessment, downloads and feed show. The JSON API gives both for every indicator: <code>assessment</code> (time progress, with the progress share and the time share) and <code>progress</code> (Open SDG). Add <code>?as_of=</code> and a year (for example <code>?as_of=2023</code>) to the overview, the final assessment, the API or a download to see the verdicts as they stood with the figures up to that year, as an annual monitoring report gives them.
method-tp-h = Time progress (时序进度)
method-tp-idea = Chinese plan offices judge an indicator by time: when half of the period has passed, half of the way to the target should be covered (“时间过半、任务过半”). The share of the way covered is compared with the share of the period elapsed, and each indicator is reported in the categories of the national mid-term review of the five-year plan: achieved early, ahead of schedule, on schedule or behind schedule; from the target year on, achieved or not achieved.
method-tp-shares-h = The two shares
method-tp-year = <strong>Y</strong>: the year of the figure judged, the latest year with a published figure (up to the year asked for).
method-tp-p = <strong>Progress share</strong> p = (figure of Y − base) ÷ (target − base): the share of the way from the base to the target already covered. The formula works whichever way the indicator should move: when lower is better, both differences are negative.
method-tp-t = <strong>Time share</strong> t = (Y − baseline year) ÷ (target year − baseline year): the share of the period elapsed.
method-tp-compare = Comparing the two gives the status:
method-tp-rule-col = Progress share p against time share t
method-tp-factors = 1.2 and 0.8 are the factors plan offices commonly use; each plan can set its own two factors.
method-tp-early = A target for the level in the target year, for an increase over the baseline or for a cumulative change that is already met before the target year shows “Achieved early”, whatever the shares. Targets that must hold every year, and level or increase targets of an indicator that is itself a yearly rate, are judged year by year instead (below).
method-tp-kinds-h = Each kind of target
method-tp-kind-level = <strong>Level in the target year</strong> (urbanisation ≥ 65 %) and <strong>increase over the baseline</strong> (life expectancy 〔1〕: one year more than the baseline value): judged on p and t as above, the target of an increase being the baseline value plus the increase. When the indicator is itself a yearly growth or reduction rate there is no way to cover: such a target is judged year by year, as a range is.
method-tp-kind-cumulative = <strong>Cumulative over the period</strong> (energy use per unit of GDP to fall 〔13.5〕 % in five years, reported as yearly reductions): the yearly rates from the plan's first year to Y are compounded, 1 − (1 − r<sub>1</sub> ÷ 100) × (1 − r<sub>2</sub> ÷ 100) × … for reductions and (1 + g<sub>1</sub> ÷ 100) × (1 + g<sub>2</sub> ÷ 100) × … − 1 for growth, in %. The base is zero, so p = the change so far ÷ the target. Every year from the plan's first year to Y needs a figure.
method-tp-kind-average = <strong>Yearly average over the period</strong> (R&amp;D spending to grow by more than 7 % a year): the average a of the yearly values from the plan's first year to Y is compared with the target v. When a meets the target and is at least 1.2 times v (at most v ÷ 1.2 when lower is better) the indicator is ahead of schedule; when a meets the target, on schedule; otherwise behind schedule.
method-tp-kind-yearly = <strong>Range</strong> (consumer prices to rise by 2 % to 3 %), targets that <strong>must hold every year</strong> (grain output above 650 million tonnes) and targets <strong>relative to another indicator</strong> (labour productivity to grow faster than GDP, incomes to grow in step with it), compared with the other indicator's figure of the same year: met in Y, on schedule; missed in Y, behind schedule. At the target year they are achieved only if they were met in every year of the period that has a figure.
method-tp-kind-text = <strong>Words only</strong> (GDP growth “kept within a reasonable range”): an official records a verdict for a year, one of the statuses below, with its reason; another official reviews and publishes it, as with a figure, and earlier verdicts stay in the record. Until one is published the indicator shows “Awaiting judgement”.
method-tp-final-h = From the target year on
method-tp-final = From the target year on, an indicator is achieved or not achieved, judged on the target year's figure only: later figures do not change the verdict. While the target year's figure is not yet published the indicator shows “Awaiting data”, never “Not achieved”.
method-tp-base-h = The base
method-tp-base = The base is the plan's published baseline value. Where the plan publishes none, the published figure of the baseline year stands in, and the page names it wherever it is used. No other year's figure ever stands in: without either, p cannot be computed, and unless the target is already met the indicator shows “Not enough data”.
method-tp-no-cagr = No growth rate is taken of a growth rate: for an indicator that is itself a yearly growth or reduction rate, no compound annual growth rate (CAGR), projection or way covered is computed; time progress judges it year by year, or by the compounded change for a cumulative target.
method-tp-example-h = Worked examples
method-tp-example-level = A level target. R&D spending as a share of GDP, higher is better: baseline 2.11 % in 2020, target at least 2.6 % in 2025, published figure 2.45 % in 2023. p = (2.45 − 2.11) ÷ (2.6 − 2.11) = 0.34 ÷ 0.49 ≈ 0.694; t = (2023 − 2020) ÷ (2025 − 2020) = 3 ÷ 5 = 0.6. With 1.2t = 0.72 and 0.8t = 0.48, 0.48 ≤ 0.694 < 0.72: on schedule.
method-tp-example-cumulative = A cumulative target. Energy use per unit of GDP to fall 〔13.5〕 % over 2021–2025, reported as yearly reductions of 2.0 % in 2021 and 3.0 % in 2022. The change so far is 1 − (1 − 0.020) × (1 − 0.030) = 1 − 0.98 × 0.97 = 1 − 0.9506 = 0.0494, that is 4.94 %; p = 4.94 ÷ 13.5 ≈ 0.366 (the base is zero); t = (2022 − 2020) ÷ (2025 − 2020) = 2 ÷ 5 = 0.4. With 1.2t = 0.48 and 0.8t = 0.32, 0.32 ≤ 0.366 < 0.48: on schedule.
method-tp-all-h = All time-progress statuses
method-tp-codes = The codes are those of the JSON API (<code>assessment.status</code>).
method-sdg-h = The Open SDG method
method-sdg-example-h = Worked example
method-sdg-example = The R&amp;D figures of the first time-progress example (base 2.11 in 2020, latest 2.45 in 2023, target 2.6 in 2025; higher is better, so d = +1). CAGR = (2.45 ÷ 2.11)<sup>1 ÷ 3</sup> − 1 = 1.16114<sup>1 ÷ 3</sup> − 1 ≈ 0.05106, or 5.11 % a year; required = (2.6 ÷ 2.11)<sup>1 ÷ 5</sup> − 1 = 1.23223<sup>1 ÷ 5</sup> − 1 ≈ 0.04265, or 4.26 % a year; R = 0.05106 ÷ 0.04265 ≈ 1.197 ≥ 0.95: on track. The way covered is 0.34 ÷ 0.49 ≈ 69.4 %, and the projected value is 2.11 × 1.05106<sup>5</sup> ≈ 2.71 in 2025.

## Mail to officials and analysts (plain text; the plan's title, names and links are filled in)
mail-submitted-subject = { $plan }: { $count ->
    [one] a figure for { $years } awaits review
   *[other] { $count } figures for { $years } await review
}
mail-submitted-body = { $name } submitted { $count ->
    [one] a figure
   *[other] { $count } figures
} for { $years } of { $plan }, as drafts awaiting review.
mail-submitted-link = Review, publish or send them back: { $link }
mail-sent-back-subject = { $plan }: { $figure } for { $year } was sent back
mail-sent-back-body = { $name } sent back your figure for { $figure }, { $year }, with this comment:
mail-sent-back-link = Correct it in the year's form: { $link }
mail-published-subject = { $plan }: { $count ->
    [one] your figure was published
   *[other] { $count } of your figures were published
}
mail-published-body = { $name } published { $count ->
    [one] your figure
   *[other] { $count } of your figures
} of { $plan }:
mail-published-item = - { $figure }, { $year }: { $link }
mail-footer = Sent by plantrack because this address is recorded for your account.

## Annual reports (年度监测报告) and the final assessment report
report-index-title = Reports
report-index-intro = Each year's monitoring report (and, for the plan's last year, the final assessment) as a Word document to file, or as a page to print. Its statuses are the site's, judged on the figures published up to that year.
report-index-officials = Officials: write the year's summary and recommendations; once another official publishes them, the year's report is public.
report-index-none = No report of this plan has been published yet.
report-col-kind = Report
report-col-words = Summary and recommendations
report-col-files = Files
report-kind-annual = Annual monitoring report
report-kind-final = Final assessment
report-kind-annual-year = Annual monitoring report { $year }
report-kind-final-year = Final assessment { $year }
report-not-public = not public yet
report-state-none = Not written yet
report-state-draft = Draft awaiting review
report-state-published = Published
report-edit = Write or revise the summary and recommendations
report-download-docx = Word document (.docx)
report-open-page = Page to print
report-print-hint = Print this page, or save it as PDF, from the browser
report-format-bad = “{ $value }” is not a format of the report: use docx or html.
report-officials-h = For officials (not printed)
report-draft-words = The draft below is not in the report until another official publishes it:
report-title-annual = { $plan }: annual monitoring report { $year }
report-title-final = { $plan }: final assessment ({ $year })
report-plan = Plan
report-year = Year
report-issuer = Issued by
report-generated = Generated
report-figures-from = Judged on the figures published up to { $year } only; the newest was published { $at }.
report-figures-none = No figure up to { $year } is published yet.
report-words-published = Summary and recommendations published { $at } by { $name }.
report-overall-part = { $count } { $status }
report-overall-sentence = Of { $total } indicators: { $parts }.
report-list-separator = { ", " }
report-sentence-separator = { "; " }
report-h-overall = 1. Overall picture
report-h-summary = Summary
report-no-summary = No summary of this year is published yet.
report-total = All indicators
report-col-indicators = Indicators
report-col-binding = Of which binding
report-h-indicators = 2. Main indicators
report-col-indicator = Indicator
report-col-unit = Unit
report-col-nature = Nature
report-col-baseline = Baseline
report-col-target = Target
report-col-value = Value { $year }
report-col-progress = Progress share
report-col-time = Time share
report-col-source = Source
report-nature-binding = Binding
report-nature-expected = Expected
report-nature-none = —
report-h-programmes = 3. Programmes and projects
report-no-programmes = This plan names no programmes.
report-count = Count
report-items-by-status = Items by status
report-items-count = { $count ->
    [one] One item
   *[other] { $count } items
}
report-col-item = Item
report-h-attention = 4. Indicators needing attention
report-no-attention = No indicator is behind schedule or missed its target.
report-chart-alt = Chart of { $indicator }: published values { $figures }.
report-chart-alt-target = target { $target }
report-figure-caption = Figure { $number }: { $indicator }
report-commentary = Commentary
report-no-commentary = No commentary on this indicator's figures is published.
report-h-recommendations = 5. Recommendations for the next stage
report-no-recommendations = No recommendations of this year are published yet.
report-h-method = Appendix: method and sources
report-method = Method
report-method-time-progress = Time progress (时序进度): the share of the way from the baseline to the target covered (p) is compared with the share of the plan period elapsed (t).
report-method-thresholds = Ahead of schedule when p ≥ { $ahead } t, on schedule when { $behind } t ≤ p < { $ahead } t, behind schedule when p < { $behind } t. A target met before its year is achieved early; in the target year its figure decides achieved or not achieved.
report-method-open-sdg = Open SDG: the growth so far compared with the growth the target needs.
report-method-drafts = Only published figures count: drafts awaiting review and figures of later years are left out.
report-h-sources = Sources of the figures
report-col-year = Year
report-col-value-plain = Value
report-col-confidence = Confidence
report-page-before = { "Page " }
report-page-after = { "" }
report-edit-title = Summary and recommendations, { $year }
report-words-published-now = Published now:
report-summary-label = Summary (what the year achieved, overall)
report-summary-hint = A paragraph per line. At most 4,000 characters.
report-recommendations-label = Recommendations for the next stage
report-words-hint = Saved as a draft: another official publishes it, and the year's report is public from then on. At most 4,000 characters.
report-error-empty = Write a summary or recommendations, or cancel.
report-conflict = Someone else saved this year's words while you were writing. Yours are kept in the fields below; the stored ones are shown here. Submit again to replace them with yours.
review-reports-heading = Summaries and recommendations of reports
review-report-published = The report's summary and recommendations are published.
review-report-what = Report { $year }
history-report-draft = Report words written (draft)
history-report-publish = Report words published
history-report-send-back = Report words sent back
plans-count = { $count ->
    [one] One plan
   *[other] { $count } plans
}
plans-pages = Pages of the list of plans
plans-page-of = Page { $page } of { $pages }
plans-previous = ← Previous page
plans-next = Next page →
report-caption-overall = Indicators by status
report-caption-indicators = Each indicator's baseline, target, value, progress and status
