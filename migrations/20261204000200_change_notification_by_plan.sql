-- A change names the plan it belongs to (the plan's id as the notification's payload), so that
-- each instance drops that plan's pages (and those of plans linked to it, and the pages listing
-- plans), not every page of every plan. A row trigger finds the plan through the row's
-- plan_id, indicator_id, programme_id or programme_item_id; PostgreSQL folds identical
-- notifications of one transaction into one, so a statement touching a thousand figures of one
-- plan still sends one notification. An empty payload still means every page: a change of the
-- plan table itself (a title, a status, a new plan), a truncate, or a row whose plan can no
-- longer be found (deleted in the same statement).

create function plan_of(r jsonb) returns bigint language sql stable as $$
    select coalesce(
        (r->>'plan_id')::bigint,
        (select plan_id from indicator where indicator_id = (r->>'indicator_id')::bigint),
        (select plan_id from programme where programme_id = (r->>'programme_id')::bigint),
        (select p.plan_id from programme_item i join programme p using (programme_id)
          where i.programme_item_id = (r->>'programme_item_id')::bigint))
$$;

create function notify_row_change() returns trigger language plpgsql as $$
declare
    old_plan bigint;
    new_plan bigint;
begin
    if TG_OP in ('UPDATE', 'DELETE') then
        old_plan := plan_of(to_jsonb(OLD));
    end if;
    if TG_OP in ('UPDATE', 'INSERT') then
        new_plan := plan_of(to_jsonb(NEW));
    end if;
    if (TG_OP <> 'INSERT' and old_plan is null) or (TG_OP <> 'DELETE' and new_plan is null) then
        perform pg_notify('plantrack_changed', '');
    else
        if old_plan is not null then
            perform pg_notify('plantrack_changed', old_plan::text);
        end if;
        if new_plan is not null and new_plan is distinct from old_plan then
            perform pg_notify('plantrack_changed', new_plan::text);
        end if;
    end if;
    return null;
end;
$$;

-- The plan table keeps its statement trigger (every page). Every other table: a row trigger
-- naming the plan, and a statement trigger for truncate (every page).
do $$
declare
    t text;
begin
    foreach t in array array['indicator_group', 'indicator', 'programme', 'programme_item',
                             'observation', 'indicator_target', 'item_status', 'assessment',
                             'target_verdict']
    loop
        execute format('drop trigger %I on %I', t || '_changed', t);
        execute format('create trigger %I after insert or update or delete on %I
                            for each row execute function notify_row_change()', t || '_changed', t);
        execute format('create trigger %I after truncate on %I
                            for each statement execute function notify_plan_change()', t || '_truncated', t);
    end loop;
end;
$$;
