-- Plans are listed the default first, then the newest: with a whole country's plans (tens of
-- thousands) the overview's few other plans and each page of the list read this index instead
-- of sorting every plan.
create index plan_listed_idx on plan (is_default desc, start_year desc, slug);
