-- +goose Up
-- The weekly e-mail to each manager: one row per manager and week (the Monday of the manager's
-- own week, in their time zone). The claim inserts it in the statement that picks who is due, so
-- two runs, or two processes at the same moment, never mail a manager twice in a week.
CREATE TABLE manager_digest_log (
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week_start date NOT NULL,
    sent_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, week_start)
);

-- +goose Down
DROP TABLE manager_digest_log;
