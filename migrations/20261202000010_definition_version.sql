-- Optimistic locking of plan definitions, as for figures and items: each definition has a
-- version that goes up whenever anything its form shows changes, whoever changes it (a form, a
-- seed file, an upload, an import). A form carries the version it was opened with; a save whose
-- version is no longer the stored one is a conflict.

alter table plan add column version integer not null default 1;
alter table indicator_group add column version integer not null default 1;
alter table indicator add column version integer not null default 1;
alter table programme add column version integer not null default 1;

-- A row's version goes up when a column other than its bookkeeping (times, order, version)
-- changes; an update that sets the version itself is left as it is.
create function definition_version_bump() returns trigger language plpgsql as $$
begin
    if new.version is distinct from old.version then
        return new;
    end if;
    if (to_jsonb(new) - '{version,created_at,updated_at,position}'::text[])
       is distinct from (to_jsonb(old) - '{version,created_at,updated_at,position}'::text[]) then
        new.version := old.version + 1;
    end if;
    return new;
end;
$$;

create trigger plan_version before update on plan
    for each row execute function definition_version_bump();
create trigger indicator_group_version before update on indicator_group
    for each row execute function definition_version_bump();
create trigger indicator_version before update on indicator
    for each row execute function definition_version_bump();
create trigger programme_version before update on programme
    for each row execute function definition_version_bump();

-- An indicator's form also shows its national averages: a change to one is a change of the
-- indicator.
create function national_average_version_bump() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE'
       and (new.indicator_id, new.kind, new.year, new.state, new.value, new.source,
            new.confidence, new.note)
           is not distinct from
           (old.indicator_id, old.kind, old.year, old.state, old.value, old.source,
            old.confidence, old.note) then
        return null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') and old.kind = 'national_average' then
        update indicator set version = version + 1 where indicator_id = old.indicator_id;
    end if;
    if tg_op in ('UPDATE', 'INSERT') and new.kind = 'national_average'
       and (tg_op = 'INSERT' or new.indicator_id is distinct from old.indicator_id) then
        update indicator set version = version + 1 where indicator_id = new.indicator_id;
    end if;
    return null;
end;
$$;

create trigger observation_national_average_version after insert or update or delete on observation
    for each row execute function national_average_version_bump();
