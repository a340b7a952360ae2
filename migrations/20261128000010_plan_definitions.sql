-- Plan definitions edited in the browser: indicators that continue an indicator of an earlier
-- plan, targets amended mid-way (the earlier ones kept), and seed files uploaded by an
-- administrator waiting for confirmation.

alter table indicator
    add column predecessor_id bigint references indicator on delete set null;

create index indicator_predecessor_idx on indicator (predecessor_id) where predecessor_id is not null;

-- Each target an indicator had before an amendment replaced it: what it was, when it was
-- replaced, by whom and why. The target in force stays on the indicator.
create table indicator_target (
    indicator_target_id bigint generated always as identity primary key,
    indicator_id        bigint not null references indicator on delete cascade,
    target_year         integer not null,
    target_value        numeric not null,
    target_comparator   text check (target_comparator in ('>=', '<=', '=', '>')),
    target_source       text,
    target_confidence   text check (target_confidence in ('high', 'medium', 'low')),
    target_note         text,
    replaced_at         timestamptz not null default now(),
    replaced_by         bigint references app_user,
    replaced_by_label   text not null,
    reason              text not null check (btrim(reason) <> '')
);

create index indicator_target_indicator_idx on indicator_target (indicator_id, replaced_at);

create trigger indicator_target_changed after insert or update or delete or truncate on indicator_target
    for each statement execute function notify_plan_change();

-- A seed file an administrator uploaded, kept until confirmed, cancelled or expired.
create table seed_upload (
    seed_upload_id text primary key default gen_random_uuid()::text,
    app_user_id    bigint not null references app_user on delete cascade,
    file_name      text not null,
    content        text not null,
    -- The changes the preview showed; confirming saves only if they are still the same.
    preview        jsonb not null,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null
);

create index seed_upload_expires_at_idx on seed_upload (expires_at);
