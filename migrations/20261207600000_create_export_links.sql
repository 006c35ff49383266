-- +goose Up
-- export_links are data exports too large to stream at once: a job writes the ZIP to storage
-- under object_key and e-mails a single-use link. Only the link token's SHA-256 is kept. A row
-- lives until its link expires (the download deletes the object at once, the sweep the row and
-- anything left); the user's erasure deletes the objects first and the rows with the account.
CREATE TABLE export_links (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    object_key   text NOT NULL,
    token_hash   bytea UNIQUE,
    created_at   timestamptz NOT NULL,
    written_at   timestamptz,
    expires_at   timestamptz,
    used_at      timestamptz
);
-- One export in preparation per user at a time.
CREATE UNIQUE INDEX export_links_one_pending ON export_links (user_id) WHERE written_at IS NULL;
CREATE INDEX export_links_user ON export_links (user_id);
CREATE INDEX export_links_expires ON export_links (expires_at);

-- +goose Down
DROP TABLE export_links;
