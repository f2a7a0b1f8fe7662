-- A client's idempotency key for a message (the Idempotency-Key header of POST .../messages): a
-- repeat of an append with the same key returns the stored message instead of appending another.
-- Keys are scoped to their session; most messages have none.

ALTER TABLE messages ADD COLUMN idempotency_key text;

-- POST /sessions/{id}/messages with Idempotency-Key: at most one message per key and session, and
-- the look-up of the message a repeated key names
CREATE UNIQUE INDEX messages_session_idempotency_key_idx
    ON messages (session_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
