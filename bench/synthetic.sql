-- A large synthetic database beside the real plans: `plans` plans (psql -v plans=N; 200 unless
-- given) × 40 indicators × 15 years of published figures, each with its history row. At 20,000
-- plans that is a whole country's plans: 800,000 indicators, 12 million figures and 12 million
-- history rows. Every name starts with "synthetic" so the data cannot be mistaken for real
-- figures. Generated inside PostgreSQL in one transaction, with the tables' triggers off while
-- it loads (no change notification per row: the instance is restarted after the load).
\if :{?plans}
\else
\set plans 200
\endif

begin;
set local session_replication_role = replica;

insert into plan (slug, title_zh, title_en, start_year, end_year, baseline_year)
select format('synthetic-%s', lpad(p::text, 5, '0')), format('合成规划 %s', p), format('Synthetic plan %s', p),
       2011, 2025, 2010
from generate_series(1, :plans) p;

insert into indicator_group (plan_id, code, position, name_zh, name_en)
select plan_id, 'all', 0, '全部', 'All indicators' from plan where slug like 'synthetic-%';

insert into indicator (plan_id, indicator_group_id, code, position, name_zh, name_en, unit, unit_en, decimals,
                       direction, baseline_year, baseline_value, target_year, target_value, target_comparator)
select g.plan_id, g.indicator_group_id, format('ind-%s', i), i, format('指标 %s', i), format('Indicator %s', i),
       'amount', 'units', 2, case when i % 5 = 0 then 'lower' else 'higher' end,
       2010, 100 + i, 2025, case when i % 5 = 0 then 80 + i else 150 + i end, null
from indicator_group g join plan p using (plan_id), generate_series(1, 40) i
where p.slug like 'synthetic-%';

insert into observation (indicator_id, year, kind, state, value, source, published_at)
select i.indicator_id, y, 'actual', 'published', round((100 + i.position + (y - 2010) * (i.position % 7) * 0.9)::numeric, 2),
       'synthetic generator', now()
from indicator i join plan p using (plan_id), generate_series(2011, 2025) y
where p.slug like 'synthetic-%';

insert into revision (plan_id, entity, entity_id, indicator_id, year, kind, action, actor_label, after, reason)
select i.plan_id, 'observation', o.observation_id, o.indicator_id, o.year, o.kind, 'create', 'seed',
       jsonb_build_object('value', o.value, 'state', 'published'), 'synthetic generator'
from observation o join indicator i using (indicator_id) join plan p using (plan_id)
where p.slug like 'synthetic-%';

commit;
analyze;
