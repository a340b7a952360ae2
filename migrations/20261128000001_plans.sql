-- Plans, their headings, indicators, programmes and yearly figures, with an append-only history.
-- Values are numeric (exact decimals), never floating point.

create table app_user (
    app_user_id   bigint generated always as identity primary key,
    username      text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name  text not null default '',
    role          text not null check (role in ('official', 'analyst', 'admin')),
    password_hash text not null,
    disabled      boolean not null default false,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

create table plan (
    plan_id         bigint generated always as identity primary key,
    slug            text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    title_zh        text not null check (title_zh <> ''),
    title_en        text not null check (title_en <> ''),
    start_year      integer not null,
    end_year        integer not null,
    baseline_year   integer not null,
    vision_year     integer,
    is_default      boolean not null default false,
    issuer_zh       text,
    issuer_en       text,
    document_number text,
    issued_on       date,
    published_on    date,
    summary_zh      text,
    summary_en      text,
    source          text,
    confidence      text check (confidence in ('high', 'medium', 'low')),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    check (start_year <= end_year),
    check (baseline_year < start_year),
    check (vision_year is null or vision_year >= end_year)
);

-- At most one plan is shown at the site's root.
create unique index plan_is_default_key on plan (is_default) where is_default;

create table indicator_group (
    indicator_group_id bigint generated always as identity primary key,
    plan_id            bigint not null references plan on delete cascade,
    code               text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    position           integer not null,
    name_zh            text not null,
    name_en            text not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (plan_id, code)
);

create table indicator (
    indicator_id       bigint generated always as identity primary key,
    plan_id            bigint not null references plan on delete cascade,
    indicator_group_id bigint not null references indicator_group on delete restrict,
    code               text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    position           integer not null,
    name_zh            text not null,
    name_en            text not null,
    unit               text not null check (unit in ('percent', 'count', 'amount', 'rate')),
    unit_zh            text not null default '',
    unit_en            text not null default '',
    decimals           smallint not null check (decimals between 0 and 6),
    direction          text not null check (direction in ('higher', 'lower')),
    nature             text check (nature in ('expected', 'binding')),
    definition_zh      text,
    definition_en      text,
    source             text,
    confidence         text check (confidence in ('high', 'medium', 'low')),
    note               text,
    baseline_year      integer,
    baseline_value     numeric,
    baseline_source    text,
    baseline_confidence text check (baseline_confidence in ('high', 'medium', 'low')),
    baseline_note      text,
    target_year        integer,
    target_value       numeric,
    target_comparator  text check (target_comparator in ('>=', '<=', '=', '>')),
    target_source      text,
    target_confidence  text check (target_confidence in ('high', 'medium', 'low')),
    target_note        text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (plan_id, code),
    check (baseline_value is null or baseline_year is not null),
    check ((target_value is null) = (target_year is null))
);

create index indicator_group_idx on indicator (indicator_group_id);

create table programme (
    programme_id      bigint generated always as identity primary key,
    plan_id           bigint not null references plan on delete cascade,
    slug              text not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    position          integer not null,
    name_zh           text not null,
    name_en           text not null,
    description_zh    text,
    description_en    text,
    -- When set, the programme's yearly counts are this indicator's figures (no second copy).
    indicator_id      bigint references indicator on delete set null,
    unit_zh           text not null default '',
    unit_en           text not null default '',
    target_year       integer,
    target_value      numeric,
    target_comparator text check (target_comparator in ('>=', '<=', '=', '>')),
    target_source     text,
    target_confidence text check (target_confidence in ('high', 'medium', 'low')),
    target_note       text,
    source            text,
    confidence        text check (confidence in ('high', 'medium', 'low')),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (plan_id, slug),
    check ((target_value is null) = (target_year is null))
);

create table programme_item (
    programme_item_id bigint generated always as identity primary key,
    programme_id      bigint not null references programme on delete cascade,
    key               text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    position          integer not null,
    name_zh           text not null,
    name_en           text not null,
    kind              text not null default '',
    field             text,
    host              text,
    status            text check (status in ('planned', 'building', 'operating', 'dropped')),
    year              integer,
    source            text,
    confidence        text check (confidence in ('high', 'medium', 'low')),
    note              text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (programme_id, key)
);

-- A yearly figure of an indicator or of a programme's count. A figure has at most one published
-- and one draft row at a time: a draft is a proposed change that an official reviews.
create table observation (
    observation_id bigint generated always as identity primary key,
    indicator_id   bigint references indicator on delete cascade,
    programme_id   bigint references programme on delete cascade,
    year           integer not null check (year between 1900 and 2200),
    kind           text not null default 'actual'
                   check (kind in ('actual', 'national_average', 'benchmark')),
    state          text not null check (state in ('draft', 'published')),
    value          numeric not null,
    source         text not null default '',
    confidence     text check (confidence in ('high', 'medium', 'low')),
    note           text not null default '',
    -- null: loaded from a seed file rather than entered through the site.
    entered_by     bigint references app_user,
    entered_at     timestamptz not null default now(),
    published_by   bigint references app_user,
    published_at   timestamptz,
    version        integer not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    check (num_nonnulls(indicator_id, programme_id) = 1),
    check ((state = 'published') = (published_at is not null))
);

create unique index observation_indicator_key
    on observation (indicator_id, year, kind, state) where indicator_id is not null;
create unique index observation_programme_key
    on observation (programme_id, year, kind, state) where programme_id is not null;

-- Every change of a figure or a definition: who, when, the state before and after, and why.
create table revision (
    revision_id  bigint generated always as identity primary key,
    plan_id      bigint not null references plan,
    entity       text not null check (entity in ('plan', 'group', 'indicator', 'programme', 'item', 'observation')),
    entity_id    bigint not null,
    indicator_id bigint references indicator,
    programme_id bigint references programme,
    year         integer,
    kind         text,
    action       text not null check (action in ('create', 'update', 'publish', 'send_back')),
    actor_id     bigint references app_user,
    -- 'seed' for changes made by loading a seed file, else the user's name at the time.
    actor_label  text not null,
    at           timestamptz not null default now(),
    before       jsonb,
    after        jsonb,
    reason       text not null default ''
);

create index revision_plan_at_idx on revision (plan_id, at desc);
create index revision_indicator_idx on revision (indicator_id, year) where indicator_id is not null;
create index revision_entity_idx on revision (entity, entity_id);

create function revision_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'revision history is append-only';
end;
$$;

create trigger revision_append_only
    before update or delete on revision
    for each statement execute function revision_is_append_only();
