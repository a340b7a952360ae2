-- Sign-in throttling, and the review of draft figures.

-- Failed sign-ins by user name (whether or not the name exists), to refuse guessing.
create table login_failure (
    login_failure_id bigint generated always as identity primary key,
    username         text not null,
    at               timestamptz not null default now()
);

create index login_failure_username_at_idx on login_failure (username, at desc);

-- A draft an official sent back, with the reason, until its author saves it again.
alter table observation
    add column returned_by    bigint references app_user,
    add column returned_at    timestamptz,
    add column review_comment text not null default '';

create index revision_actor_idx on revision (actor_id, at desc) where actor_id is not null;
create index observation_draft_idx on observation (state) where state = 'draft';

-- Signed-in sessions, shared by every instance of the site.
create table session (
    session_id text primary key,
    data       jsonb not null,
    expires_at timestamptz not null
);

create index session_expires_at_idx on session (expires_at);
