-- An official's verdict on a target the method cannot judge by itself (a target in words,
-- "保持在合理区间"): for a year, one of the time-progress statuses with the reason for it. Like a
-- figure, it is drafted, and another official publishes it or sends it back. At most one
-- published and one draft verdict per indicator and year; every change is in `revision`
-- (entity `verdict`).
create table target_verdict (
    target_verdict_id bigint generated always as identity primary key,
    plan_id           bigint not null references plan on delete cascade,
    indicator_id      bigint not null references indicator on delete cascade,
    year              integer not null check (year between 1900 and 2200),
    status            text not null check (status in ('achieved_early', 'ahead', 'on_schedule',
                                                      'lagging', 'achieved', 'not_achieved')),
    reason            text not null check (btrim(reason) <> ''),
    state             text not null check (state in ('draft', 'published')),
    entered_by        bigint references app_user,
    entered_at        timestamptz not null default now(),
    published_by      bigint references app_user,
    published_at      timestamptz,
    returned_by       bigint references app_user,
    returned_at       timestamptz,
    review_comment    text not null default '',
    version           integer not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (indicator_id, year, state),
    check ((state = 'published') = (published_at is not null))
);

create index target_verdict_plan_idx on target_verdict (plan_id);
create index target_verdict_draft_idx on target_verdict (plan_id) where state = 'draft';

create trigger target_verdict_changed after insert or update or delete or truncate on target_verdict
    for each statement execute function notify_plan_change();

alter table revision drop constraint revision_entity_check;
alter table revision add constraint revision_entity_check check (entity in (
    'plan', 'group', 'indicator', 'programme', 'item', 'observation', 'target', 'assessment',
    'verdict'
));
