-- Spreadsheet uploads waiting for the analyst to confirm them: the rows as checked, with the
-- version of each figure seen when the preview was made, so that confirming trusts nothing the
-- browser sends back. Rows expire; cancelling deletes them.

create table upload (
    upload_id    text primary key default gen_random_uuid()::text,
    app_user_id  bigint not null references app_user on delete cascade,
    plan_id      bigint not null references plan on delete cascade,
    file_name    text not null,
    preview      jsonb not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null
);

create index upload_expires_at_idx on upload (expires_at);
create index upload_app_user_idx on upload (app_user_id);

-- The Atom feed lists a plan's figures newest publication first.
create index observation_published_at_idx on observation (published_at desc) where state = 'published';
