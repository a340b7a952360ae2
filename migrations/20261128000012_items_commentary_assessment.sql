-- Programme items added and moved through the site, commentary on figures, and the final
-- assessment of a plan: all drafted by one person and published by an official who is not the
-- author, like figures.

-- An item added through the site is a draft until an official publishes it. Items loaded from
-- seed files are published.
alter table programme_item
    add column state          text not null default 'published'
                              check (state in ('draft', 'published')),
    add column entered_by     bigint references app_user,
    add column entered_at     timestamptz not null default now(),
    add column published_by   bigint references app_user,
    add column published_at   timestamptz,
    add column returned_by    bigint references app_user,
    add column returned_at    timestamptz,
    add column review_comment text not null default '',
    add column version        integer not null default 1;

-- Each change of an item's status (planned, building, operating, dropped) with the year it
-- applies to and a note. The item's own `status` and `year` are where it started (as the seed
-- file or the analyst who added it said); its status now is its newest published change.
-- At most one draft change per item.
create table item_status (
    item_status_id    bigint generated always as identity primary key,
    programme_item_id bigint not null references programme_item on delete cascade,
    status            text not null check (status in ('planned', 'building', 'operating', 'dropped')),
    year              integer not null check (year between 1900 and 2200),
    note              text not null default '',
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
    check ((state = 'published') = (published_at is not null))
);

create unique index item_status_draft_key on item_status (programme_item_id) where state = 'draft';
create index item_status_item_idx on item_status (programme_item_id, published_at);

-- A programme whose yearly counts are derived from its items: the count for year Y is the
-- number of published items in this status with year <= Y (no second copy is stored).
alter table programme
    add column count_from_items text check (count_from_items in ('planned', 'building', 'operating', 'dropped'));

-- Why a figure moved and what is being done, public once the figure is published (the `note`
-- stays a remark on the figure itself).
alter table observation add column commentary text not null default '';

-- The final assessment of a plan: a commentary per indicator written by an official and
-- published by another. At most one published and one draft row per indicator.
create table assessment (
    assessment_id  bigint generated always as identity primary key,
    plan_id        bigint not null references plan on delete cascade,
    indicator_id   bigint not null references indicator on delete cascade,
    state          text not null check (state in ('draft', 'published')),
    commentary     text not null,
    entered_by     bigint references app_user,
    entered_at     timestamptz not null default now(),
    published_by   bigint references app_user,
    published_at   timestamptz,
    returned_by    bigint references app_user,
    returned_at    timestamptz,
    review_comment text not null default '',
    version        integer not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (indicator_id, state),
    check ((state = 'published') = (published_at is not null))
);

create index assessment_plan_idx on assessment (plan_id);

-- Public pages show both: their changes drop the cached pages.
create trigger item_status_changed after insert or update or delete or truncate on item_status
    for each statement execute function notify_plan_change();
create trigger assessment_changed after insert or update or delete or truncate on assessment
    for each statement execute function notify_plan_change();
