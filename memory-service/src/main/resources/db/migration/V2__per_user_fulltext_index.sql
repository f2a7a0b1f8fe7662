-- Full-text lookups are always for one user: a GIN index over (user_id, tsv) finds one user's
-- matches (and counts their document frequencies for BM25) without visiting other users' rows.
-- btree_gin ships with PostgreSQL (contrib) and is a trusted extension (PostgreSQL 13+).
create extension if not exists btree_gin;
create index memory_user_tsv on memory using gin (user_id, tsv);
drop index memory_tsv;
