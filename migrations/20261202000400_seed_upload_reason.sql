-- A seed file uploaded on the site records its reason as the code `seed-uploaded` with the
-- file's name, instead of a sentence in the uploader's language.
alter table revision drop constraint revision_reason_code_check;
alter table revision add constraint revision_reason_code_check
    check (reason_code in ('seed-loaded', 'seed-changed', 'seed-revised', 'amended', 'imported',
                           'uploaded', 'seed-uploaded'));

alter table indicator_target drop constraint indicator_target_reason_code_check;
alter table indicator_target add constraint indicator_target_reason_code_check
    check (reason_code in ('seed-loaded', 'seed-changed', 'seed-revised', 'amended', 'imported',
                           'uploaded', 'seed-uploaded'));
