-- Real plans' targets: an indicator's measure (a level, or a yearly growth or reduction rate that
-- may be negative), a target of any kind real plan tables use (level, range, period average,
-- cumulative 〔〕 change, increase over the baseline, relative to another indicator, words only),
-- the plan's own wording beside it, and the plan's headline method with its two factors.

alter table plan
    add column method        text not null default 'open-sdg'
        check (method in ('open-sdg', 'time-progress')),
    add column ahead_factor  numeric not null default 1.2 check (ahead_factor > 0),
    add column behind_factor numeric not null default 0.8 check (behind_factor > 0),
    add check (behind_factor <= ahead_factor);

alter table indicator
    add column measure text not null default 'level'
        check (measure in ('level', 'growth', 'reduction'));

-- The same target columns on the indicator (the target in force) and on its history.
do $$
declare
    t text;
begin
    foreach t in array array['indicator', 'indicator_target'] loop
        execute format('alter table %I
            add column target_kind       text not null default ''level''
                check (target_kind in (''level'', ''range'', ''average'', ''cumulative'',
                                       ''increase'', ''relative'', ''text'')),
            add column target_min        numeric,
            add column target_max        numeric,
            add column target_indicator  text,
            add column target_tolerance  numeric check (target_tolerance >= 0),
            add column target_every_year boolean not null default false,
            add column target_wording_zh text,
            add column target_wording_en text,
            drop constraint %I,
            add constraint %I check (target_comparator in (''>='', ''>'', ''<='', ''<'', ''='', ''≈'')),
            add check (target_min is null or target_max is null or target_min <= target_max)',
            t, t || '_target_comparator_check', t || '_target_comparator_check');
    end loop;
end
$$;

-- A target without a value (a range, a relative or a textual one) is still a target: the year
-- says whether there is one.
alter table indicator drop constraint indicator_check1;
alter table indicator add check (target_year is not null or
    (target_value is null and target_min is null and target_max is null and target_indicator is null));
alter table indicator_target alter column target_value drop not null;
