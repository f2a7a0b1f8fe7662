-- Long-term memories of every user. One row per memory; the embedding is stored as little-endian
-- float32 bytes (pgvector is not required), the full-text vector is generated from search_text.
create table memory (
    id                uuid primary key,
    user_id           text             not null,
    type              text             not null,
    state             text             not null,
    content           text             not null,
    -- content plus its indexing context (the speaker's name, when known)
    search_text       text             not null,
    tsv               tsvector generated always as (to_tsvector('english', search_text)) stored,
    session_id        uuid,
    source_message_id uuid,
    role              text,
    sequence          bigint,
    metadata          jsonb            not null default '{}'::jsonb,
    importance        double precision,
    valence           double precision not null default 0,
    intensity         double precision not null default 0,
    salience          double precision not null,
    -- strength at reinforced_at; the current strength decays from there (see DecayCurve)
    strength          double precision not null,
    -- the decay time constant in days; grows with spaced reinforcement
    stability_days    double precision not null,
    access_count      bigint           not null default 0,
    last_accessed_at  timestamptz,
    reinforced_at     timestamptz      not null,
    occurred_at       timestamptz      not null,
    created_at        timestamptz      not null,
    state_changed_at  timestamptz      not null,
    delete_after      timestamptz,
    -- when the strength will fall below the forgetting threshold unless reinforced
    forget_at         timestamptz,
    cluster_id        uuid,
    task              text,
    steps             jsonb,
    success_count     integer          not null default 0,
    failure_count     integer          not null default 0,
    embedding         bytea            not null
);

create index memory_user_created on memory (user_id, created_at desc, id desc);
create index memory_user_state on memory (user_id, state);
create index memory_tsv on memory using gin (tsv);
create index memory_state_forget on memory (state, forget_at);
create index memory_delete_after on memory (delete_after) where delete_after is not null;
create index memory_user_session_message on memory (user_id, session_id, source_message_id);

-- Semantic facts (subject, predicate, object); each also has a SEMANTIC memory for search.
create table fact (
    id                uuid primary key,
    user_id           text             not null,
    memory_id         uuid references memory (id) on delete set null,
    category          text             not null,
    subject           text             not null,
    predicate         text             not null,
    object            text             not null,
    -- facts with the same subject and slot contradict each other (null: never contradicts)
    slot              text,
    confidence        double precision not null,
    confirmations     integer          not null default 1,
    source_message_id uuid,
    valid_from        timestamptz      not null,
    valid_to          timestamptz,
    superseded_by     uuid,
    created_at        timestamptz      not null,
    updated_at        timestamptz      not null
);

create index fact_user_current on fact (user_id, subject, slot) where valid_to is null;
create index fact_user_created on fact (user_id, created_at desc);

-- Clusters of similar memories of one user.
create table memory_cluster (
    id          uuid primary key,
    user_id     text             not null,
    centroid    bytea            not null,
    size        integer          not null,
    label       text             not null default '',
    stability   double precision not null default 1,
    -- members added or moved since the last merge/split pass
    changes     integer          not null default 0,
    created_at  timestamptz      not null,
    updated_at  timestamptz      not null
);

create index memory_cluster_user on memory_cluster (user_id);

-- Event ids already applied: a redelivered event is skipped (exactly-once effect).
create table processed_event (
    event_id     text primary key,
    user_id      text        not null,
    processed_at timestamptz not null
);

create index processed_event_user on processed_event (user_id);

-- Events to publish, written in the transaction that caused them and relayed to Kafka.
create table outbox (
    seq         bigserial primary key,
    event_id    text        not null,
    topic       text        not null,
    record_key  text        not null,
    payload     text        not null,
    traceparent text,
    created_at  timestamptz not null
);

-- Counters of lifecycle transitions per user and day, for the analytics rates.
create table lifecycle_stat (
    user_id     text    not null,
    day         date    not null,
    transition  text    not null,
    count       bigint  not null,
    primary key (user_id, day, transition)
);

-- Users whose Redis copy must still be deleted (erasure while Redis was unreachable).
create table cache_erasure (
    user_id      text primary key,
    requested_at timestamptz not null
);
