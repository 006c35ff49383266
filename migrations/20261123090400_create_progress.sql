-- +goose Up
-- Learner progress. lesson_progress is one row per learner and lesson, written by a single
-- INSERT ... ON CONFLICT DO UPDATE so parallel tabs converge on one consistent row. module_id is a
-- copy of lessons.module_id (a lesson never changes module) so module totals need no join.
CREATE TABLE lesson_progress (
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id    uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    module_id    uuid NOT NULL,
    status       text NOT NULL CHECK (status IN ('started', 'completed')),
    seconds      integer NOT NULL DEFAULT 0 CHECK (seconds >= 0),
    position     text NOT NULL DEFAULT '' CHECK (length(position) <= 200),
    started_at   timestamptz NOT NULL,
    completed_at timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, lesson_id),
    CONSTRAINT lesson_progress_completed_at CHECK ((status = 'completed') = (completed_at IS NOT NULL))
) WITH (fillfactor = 90);
-- "Has this learner started this module?", per-module totals, and the learner's rows for resume
-- and last activity (aggregated per learner, so no index on updated_at: it would turn every
-- progress report into a non-HOT update of every index; fillfactor leaves room for HOT updates).
CREATE INDEX lesson_progress_user_module ON lesson_progress (user_id, module_id);
-- Cascading deletes from lessons.
CREATE INDEX lesson_progress_lesson ON lesson_progress (lesson_id);

-- Reading time, one row per client call id (Idempotency-Key): a retried call finds its key and
-- adds nothing. Weekly minutes are summed from here in the learner's current time zone.
CREATE TABLE progress_time_events (
    user_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    lesson_id       uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    seconds         integer NOT NULL CHECK (seconds BETWEEN 0 AND 3600),
    at              timestamptz NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
-- Weekly minutes and streaks: a learner's time by instant, answerable from the index alone.
CREATE INDEX progress_time_events_user_at ON progress_time_events (user_id, at) INCLUDE (seconds);
CREATE INDEX progress_time_events_lesson ON progress_time_events (lesson_id);

-- A learner's weekly goal; no row means the default of 15 minutes.
CREATE TABLE weekly_goals (
    user_id      uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    goal_minutes integer NOT NULL CHECK (goal_minutes BETWEEN 5 AND 600),
    updated_at   timestamptz NOT NULL
);

-- One certificate per learner and module, issued when every lesson of the module's latest
-- published version is completed. The code is public (verification link) and unguessable.
CREATE TABLE certificates (
    code           text PRIMARY KEY CHECK (code ~ '^[A-Z2-7]{10}$'),
    user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    module_id      uuid NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
    module_version integer NOT NULL CHECK (module_version > 0),
    issued_at      timestamptz NOT NULL,
    CONSTRAINT certificates_user_module_key UNIQUE (user_id, module_id)
);
CREATE INDEX certificates_module ON certificates (module_id);

-- The weekly reminder job claims (user, local week) here before queueing a mail, so a learner
-- gets one reminder a week at most, whichever server process runs the job.
CREATE TABLE reminder_log (
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week_start date NOT NULL,
    sent_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, week_start)
);

-- +goose Down
DROP TABLE reminder_log;
DROP TABLE certificates;
DROP TABLE weekly_goals;
DROP TABLE progress_time_events;
DROP TABLE lesson_progress;
