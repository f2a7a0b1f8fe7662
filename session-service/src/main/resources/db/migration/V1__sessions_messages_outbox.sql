-- Sessions, their messages, and the transactional outbox that carries every change to Kafka.
-- Every query the API makes is served by an index below (the comment names the query).

CREATE TABLE sessions (
    id                uuid         PRIMARY KEY,
    user_id           text         NOT NULL,
    title             text         NOT NULL,
    status            varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'COMPLETED', 'ARCHIVED')),
    tags              text[]       NOT NULL DEFAULT '{}',
    metadata          jsonb        NOT NULL DEFAULT '{}',
    parent_session_id uuid         REFERENCES sessions (id) ON DELETE SET NULL,
    last_sequence     bigint       NOT NULL DEFAULT 0,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL
);

-- GET /sessions (newest first, keyset paging), GET /users/me/export, DELETE /users/me
CREATE INDEX sessions_user_created_idx ON sessions (user_id, created_at DESC, id DESC);
-- GET /sessions?status=
CREATE INDEX sessions_user_status_created_idx ON sessions (user_id, status, created_at DESC, id DESC);
-- GET /sessions?tag=
CREATE INDEX sessions_tags_idx ON sessions USING gin (tags);
-- ON DELETE SET NULL of the parent link, and walking a session's children
CREATE INDEX sessions_parent_idx ON sessions (parent_session_id) WHERE parent_session_id IS NOT NULL;

CREATE TABLE messages (
    id          uuid         PRIMARY KEY,
    session_id  uuid         NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     text         NOT NULL,
    sequence    bigint       NOT NULL,
    role        varchar(16)  NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content     text         NOT NULL,
    metadata    jsonb        NOT NULL DEFAULT '{}',
    created_at  timestamptz  NOT NULL,
    -- GET /sessions/{id}/messages?after= and /context?limit= (both walk this index)
    CONSTRAINT messages_session_sequence_key UNIQUE (session_id, sequence)
);

-- DELETE /users/me (count and delete a user's messages)
CREATE INDEX messages_user_idx ON messages (user_id);

-- One row per event, written in the transaction of the change it describes. The relay publishes
-- unsent rows in id order (the order the changes were made) and marks them sent; sent rows are
-- purged after a retention period.
CREATE TABLE outbox (
    id          bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid         NOT NULL,
    user_id     text         NOT NULL,
    topic       text         NOT NULL,
    event_type  text         NOT NULL,
    payload     text         NOT NULL,
    traceparent text,
    tracestate  text,
    created_at  timestamptz  NOT NULL,
    sent_at     timestamptz
);

-- the relay: the oldest unsent rows
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
-- the purge of sent rows
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
-- DELETE /users/me
CREATE INDEX outbox_user_idx ON outbox (user_id);
