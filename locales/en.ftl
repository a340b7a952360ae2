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

## Programme items, figure commentary and the final assessment
commentary-label = Commentary (public once published)
commentary-hint = Why the figure moved and what is being done, in a sentence or two.
commentary-column = Commentary
state-draft = draft
form-cancel = Cancel
form-nothing-saved = { $count ->
    [one] Nothing was saved: 1 problem to fix
   *[other] Nothing was saved: { $count } problems to fix
}
item-status-planned = Planned
item-status-building = Being built
item-status-operating = Operating
item-status-dropped = Dropped
item-status-none = Not reported
item-sent-back-by = Sent back by { $name }: { $comment }
item-new-title = Add an item
item-edit-title = Correct a draft item
item-new-intro = A new laboratory, institution or facility of this programme. It is saved as a draft: an official publishes it before the public sees it.
item-conflict = Someone changed this draft while you were editing it. What you typed is kept below: submit again to save it over the stored version.
item-name-zh = Name in Chinese
item-name-en = Name in English
item-kind = Kind
item-kind-hint = For example “national key laboratory” or “new R&D institution”.
item-field = Field
item-host = Host institution
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
item-col-name = Name
item-col-history = Status history
item-col-source = Source and notes
item-added-notice = Saved as a draft. An official will review it before it is published.
item-status-saved-notice = The status change is saved as a draft. An official will review it before it is published.
programme-items = Items
programme-no-items = This programme lists no individual items.
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
review-own = You wrote this draft: another official must publish it.
review-publish = Publish
review-comment = Comment for the author
review-send-back = Send back
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
history-assessment-publish = Assessment commentary published
history-assessment-send-back = Assessment commentary sent back
