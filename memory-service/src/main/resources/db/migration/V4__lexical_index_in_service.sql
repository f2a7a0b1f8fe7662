-- The lexical (BM25) ranking now runs in the service, over each user's terms held next to their
-- vectors (read from the stored tsvector). Nothing reads the per-user statistics or the GIN index
-- any more, and each cost every insert and delete: drop them. The tsv column stays: it is where
-- the service reads a memory's lexemes from.
drop trigger memory_stats_insert on memory;
drop trigger memory_stats_delete on memory;
drop function memory_stats_inserted();
drop function memory_stats_deleted();
drop table memory_term;
drop table memory_doc_stats;
drop index memory_user_tsv;
