-- Plausibility checks that warn, not refuse: an indicator's optional bounds, and on a figure
-- whether the person who entered it confirmed it after a warning ("I checked this value").
alter table indicator
    add column plausible_min numeric,
    add column plausible_max numeric,
    add check (plausible_min is null or plausible_max is null or plausible_min <= plausible_max);

alter table observation
    add column value_checked boolean not null default false;
