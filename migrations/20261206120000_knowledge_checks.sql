-- +goose Up
-- Knowledge checks travel with their lesson: the drafts hold what instructors edit, each published
-- version a snapshot (versions stay immutable). A check's id is unique across the course and stable
-- across versions, so learners' answers and review schedules refer to it, not to a version. The
-- answer and explanations are stored here and only ever leave the server after an answer.
ALTER TABLE lessons ADD COLUMN checks jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(checks) = 'array' AND jsonb_array_length(checks) <= 3);
ALTER TABLE lesson_versions ADD COLUMN checks jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(checks) = 'array' AND jsonb_array_length(checks) <= 3);
-- "Which published lesson holds check X?" (answering, the review queue): containment of
-- [{"id": X}] is answered from this index.
CREATE INDEX lesson_versions_checks ON lesson_versions USING gin (checks jsonb_path_ops);
-- Studio edits keep check ids unique across the drafts.
CREATE INDEX lessons_checks ON lessons USING gin (checks jsonb_path_ops);

-- Spaced review (Leitner boxes): one card per learner and check they have answered. box is 1-5;
-- due_at is when the check comes back for review. Rules live in internal/review/model.go.
CREATE TABLE review_cards (
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    check_id    text NOT NULL CHECK (length(check_id) BETWEEN 1 AND 60),
    box         smallint NOT NULL CHECK (box BETWEEN 1 AND 5),
    due_at      timestamptz NOT NULL,
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, check_id)
);
-- The review page and the reminder count a learner's due cards.
CREATE INDEX review_cards_user_due ON review_cards (user_id, due_at);

-- Every answer, as given: what the learner chose, whether it was right, whether it was a due
-- review (it moved the schedule) and the seconds it took (added to the weekly minutes).
CREATE TABLE check_answers (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    check_id    text NOT NULL CHECK (length(check_id) BETWEEN 1 AND 60),
    option_id   text NOT NULL CHECK (length(option_id) BETWEEN 1 AND 8),
    correct     boolean NOT NULL,
    scheduled   boolean NOT NULL,
    seconds     integer NOT NULL CHECK (seconds BETWEEN 0 AND 600),
    answered_at timestamptz NOT NULL
);
CREATE INDEX check_answers_user ON check_answers (user_id, answered_at);

-- +goose Down
DROP TABLE check_answers;
DROP TABLE review_cards;
DROP INDEX lessons_checks;
DROP INDEX lesson_versions_checks;
ALTER TABLE lesson_versions DROP COLUMN checks;
ALTER TABLE lessons DROP COLUMN checks;
