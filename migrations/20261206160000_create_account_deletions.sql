-- +goose Up
-- account_deletions is the audit log of erased accounts: who asked, when, and which account id
-- went. It holds no content and no address or name (those are what was erased); subject_id is
-- the bare id of a row that no longer exists, so it has no foreign key. actor_id is the admin who
-- erased someone else's account, or the subject itself; it is not a foreign key either, so the
-- log outlives the admin's own account.
CREATE TABLE account_deletions (
    id         bigserial PRIMARY KEY,
    subject_id uuid NOT NULL,
    actor_id   uuid NOT NULL,
    via        text NOT NULL CHECK (via IN ('self', 'admin')),
    deleted_at timestamptz NOT NULL
);
CREATE INDEX account_deletions_subject ON account_deletions (subject_id);
CREATE INDEX account_deletions_deleted_at ON account_deletions (deleted_at DESC);

-- +goose Down
DROP TABLE account_deletions;
