-- Every change of definitions or figures notifies the site's instances, which drop the public
-- pages they keep in memory. One notification per statement; PostgreSQL folds identical
-- notifications of one transaction into one, delivered at commit.

create function notify_plan_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('plantrack_changed', '');
    return null;
end;
$$;

create trigger plan_changed after insert or update or delete or truncate on plan
    for each statement execute function notify_plan_change();
create trigger indicator_group_changed after insert or update or delete or truncate on indicator_group
    for each statement execute function notify_plan_change();
create trigger indicator_changed after insert or update or delete or truncate on indicator
    for each statement execute function notify_plan_change();
create trigger programme_changed after insert or update or delete or truncate on programme
    for each statement execute function notify_plan_change();
create trigger programme_item_changed after insert or update or delete or truncate on programme_item
    for each statement execute function notify_plan_change();
create trigger observation_changed after insert or update or delete or truncate on observation
    for each statement execute function notify_plan_change();
