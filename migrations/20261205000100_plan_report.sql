-- The officials' own words in a plan's annual monitoring report (and, for the plan's last year,
-- the final assessment): a summary (总体评价) and recommendations (下一步工作建议) per plan and
-- year. Like commentary, an official drafts them and another official publishes them or sends
-- them back; a year's report is public once its words are published. At most one published and
-- one draft row per plan and year; every change is in `revision` (entity `report`).
create table plan_report (
    plan_report_id  bigint generated always as identity primary key,
    plan_id         bigint not null references plan on delete cascade,
    year            integer not null check (year between 1900 and 2200),
    state           text not null check (state in ('draft', 'published')),
    summary         text not null,
    recommendations text not null,
    entered_by      bigint references app_user,
    entered_at      timestamptz not null default now(),
    published_by    bigint references app_user,
    published_at    timestamptz,
    returned_by     bigint references app_user,
    returned_at     timestamptz,
    review_comment  text not null default '',
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (plan_id, year, state),
    check ((state = 'published') = (published_at is not null)),
    check (btrim(summary) <> '' or btrim(recommendations) <> '')
);

create index plan_report_draft_idx on plan_report (plan_id) where state = 'draft';

-- The report pages show them: a change drops that plan's cached pages.
create trigger plan_report_changed after insert or update or delete on plan_report
    for each row execute function notify_row_change();
create trigger plan_report_truncated after truncate on plan_report
    for each statement execute function notify_plan_change();

alter table revision drop constraint revision_entity_check;
alter table revision add constraint revision_entity_check check (entity in (
    'plan', 'group', 'indicator', 'programme', 'item', 'observation', 'target', 'assessment',
    'verdict', 'report'
));
