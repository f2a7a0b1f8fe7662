-- BM25 statistics per user, kept by triggers so that a search reads them instead of counting:
-- the number of a user's memories containing each lexeme (document frequency), and the number of
-- memories and their summed length (for the average document length). Without them every search
-- counted each query term's matches, which grows with the user's memories (2 s at 100k).
create table memory_term (
    user_id text   not null,
    lexeme  text   not null,
    df      bigint not null,
    primary key (user_id, lexeme)
);

create table memory_doc_stats (
    user_id   text   primary key,
    docs      bigint not null,
    total_len bigint not null
);

-- Statement-level: one upsert per statement however many rows it touched; rows are applied in
-- key order so that concurrent statements lock them in the same order.
create function memory_stats_inserted() returns trigger language plpgsql as $$
begin
    insert into memory_term (user_id, lexeme, df)
    select r.user_id, u.lexeme, count(*)
    from new_rows r cross join lateral unnest(r.tsv) u
    group by r.user_id, u.lexeme
    order by r.user_id, u.lexeme
    on conflict (user_id, lexeme) do update set df = memory_term.df + excluded.df;
    insert into memory_doc_stats (user_id, docs, total_len)
    select user_id, count(*), sum(length(tsv)) from new_rows group by user_id order by user_id
    on conflict (user_id) do update
        set docs = memory_doc_stats.docs + excluded.docs,
            total_len = memory_doc_stats.total_len + excluded.total_len;
    return null;
end $$;

create function memory_stats_deleted() returns trigger language plpgsql as $$
begin
    insert into memory_term (user_id, lexeme, df)
    select r.user_id, u.lexeme, -count(*)
    from old_rows r cross join lateral unnest(r.tsv) u
    group by r.user_id, u.lexeme
    order by r.user_id, u.lexeme
    on conflict (user_id, lexeme) do update set df = memory_term.df + excluded.df;
    delete from memory_term t
    using (select distinct r.user_id, u.lexeme from old_rows r cross join lateral unnest(r.tsv) u) d
    where t.user_id = d.user_id and t.lexeme = d.lexeme and t.df <= 0;
    insert into memory_doc_stats (user_id, docs, total_len)
    select user_id, -count(*), -sum(length(tsv)) from old_rows group by user_id order by user_id
    on conflict (user_id) do update
        set docs = memory_doc_stats.docs + excluded.docs,
            total_len = memory_doc_stats.total_len + excluded.total_len;
    delete from memory_doc_stats s
    using (select distinct user_id from old_rows) d
    where s.user_id = d.user_id and s.docs <= 0;
    return null;
end $$;

create trigger memory_stats_insert after insert on memory
    referencing new table as new_rows for each statement execute function memory_stats_inserted();
create trigger memory_stats_delete after delete on memory
    referencing old table as old_rows for each statement execute function memory_stats_deleted();

insert into memory_term (user_id, lexeme, df)
select m.user_id, u.lexeme, count(*) from memory m cross join lateral unnest(m.tsv) u
group by m.user_id, u.lexeme;
insert into memory_doc_stats (user_id, docs, total_len)
select user_id, count(*), sum(length(tsv)) from memory group by user_id;
