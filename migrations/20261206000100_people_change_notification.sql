-- Each instance keeps the sessions and accounts it has read in memory (so that a signed-in
-- page does not read them again), and must forget one the moment it changes anywhere: signing
-- out, a new CSRF token, an account disabled or its password changed on another instance.
-- A change of a session notifies `plantrack_people` with 's' and its id, a change of an
-- account with 'u' and its id; a truncate with an empty payload (forget them all). A new row
-- needs no notification: nobody can have kept it.

create function notify_people_change() returns trigger language plpgsql as $$
begin
    if TG_TABLE_NAME = 'session' then
        perform pg_notify('plantrack_people', 's' || OLD.session_id);
    else
        perform pg_notify('plantrack_people', 'u' || OLD.app_user_id);
    end if;
    return null;
end;
$$;

create function notify_people_truncate() returns trigger language plpgsql as $$
begin
    perform pg_notify('plantrack_people', '');
    return null;
end;
$$;

create trigger session_changed after update or delete on session
    for each row execute function notify_people_change();
create trigger session_truncated after truncate on session
    for each statement execute function notify_people_truncate();
create trigger app_user_changed after update or delete on app_user
    for each row execute function notify_people_change();
create trigger app_user_truncated after truncate on app_user
    for each statement execute function notify_people_truncate();
