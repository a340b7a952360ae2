-- The history also records amended targets, programme items' status changes, final-assessment
-- commentary and plan definitions changed in the browser or by an uploaded seed file.
alter table revision drop constraint revision_entity_check;
alter table revision add constraint revision_entity_check check (entity in (
    'plan', 'group', 'indicator', 'programme', 'item', 'observation', 'target', 'assessment'
));

alter table revision drop constraint revision_action_check;
alter table revision add constraint revision_action_check check (action in (
    'create', 'update', 'publish', 'send_back', 'amend', 'status', 'delete'
));
