-- Sign-in within a fixed budget: attempts are counted before the password is checked, per
-- user name, per client address and per known browser; old counts are forgotten.
-- The failure log it replaces was never pruned and was counted after the check.
drop table login_failure;

-- One row per throttled thing (a user name, a client address, a known browser, a signed-in
-- user changing their password). Rows past forget_at count as absent and are deleted.
create table login_throttle (
    scope         text not null check (scope in ('name', 'address', 'device', 'change')),
    throttle_key  text not null check (length(throttle_key) <= 128),
    attempts      integer not null check (attempts >= 0),
    next_allowed  timestamptz not null,
    forget_at     timestamptz not null,
    primary key (scope, throttle_key)
);

create index login_throttle_forget_at_idx on login_throttle (forget_at);

-- How long to wait after `attempts` attempts: nothing for the first `free - 1`, then 2, 4, 8 …
-- seconds, at most `cap_seconds`.
create function login_throttle_delay(attempts integer, free integer, cap_seconds integer)
returns interval language sql immutable as $$
    select case
        when attempts < free then interval '0'
        else make_interval(secs => least(2.0 ^ least(attempts - free + 1, 30), cap_seconds)::float8)
    end
$$;

-- Browsers that have signed in as a user: a random token in a long-lived cookie, kept here
-- only as its SHA-256. Such a browser is not held back by a pause on the user name.
create table known_device (
    known_device_id bigint generated always as identity primary key,
    app_user_id     bigint not null references app_user on delete cascade,
    token_hash      text not null check (length(token_hash) = 64),
    created_at      timestamptz not null default now(),
    last_used_at    timestamptz not null default now(),
    unique (app_user_id, token_hash)
);

-- A user's sessions, to end them when the account is disabled or its password changes.
create index session_user_id_idx on session ((data ->> 'user_id'));
