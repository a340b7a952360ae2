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
