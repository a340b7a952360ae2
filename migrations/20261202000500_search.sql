-- Finding indicators, programmes and items by a part of their name, in either language.
-- Chinese writes no spaces between words, so a search matches any substring (ILIKE), which a
-- trigram index (pg_trgm, a trusted extension since PostgreSQL 13: the database's owner may
-- create it) serves for three characters or more; a shorter search reads the names, which the
-- search bounds in time.
create extension if not exists pg_trgm;

create index indicator_name_search on indicator
    using gin ((name_zh || ' ' || name_en) gin_trgm_ops);
create index programme_name_search on programme
    using gin ((name_zh || ' ' || name_en) gin_trgm_ops);
create index programme_item_name_search on programme_item
    using gin ((name_zh || ' ' || name_en) gin_trgm_ops);
