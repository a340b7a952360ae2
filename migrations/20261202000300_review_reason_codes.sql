-- Reasons the system writes itself (a seed file loaded or changed, a file imported or uploaded)
-- are stored as codes, which the pages render in the reader's language; `reason` then holds
-- the code's argument (a file name), or nothing. A reason a person typed stays in `reason` as
-- typed, with no code. Rows written before keep their English sentences: the history is
-- append-only, and the pages recognise those sentences when they render them.
alter table revision add column reason_code text
    check (reason_code in ('seed-loaded', 'seed-changed', 'seed-revised', 'amended', 'imported', 'uploaded'));

alter table indicator_target add column reason_code text
    check (reason_code in ('seed-loaded', 'seed-changed', 'seed-revised', 'amended', 'imported', 'uploaded'));
alter table indicator_target drop constraint indicator_target_reason_check;
alter table indicator_target add constraint indicator_target_reason_check
    check (reason_code is not null or btrim(reason) <> '');
