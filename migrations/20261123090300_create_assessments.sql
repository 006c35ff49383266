-- +goose Up
-- Instruments are the assessments (content/assessments/<slug>.yaml). Each import that changes an
-- instrument adds an immutable version holding the parsed definition, answer keys included (the
-- server scores with them; they are never sent to clients). An attempt always scores against the
-- version it started on.
CREATE TABLE instruments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug            text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
    title           text NOT NULL,
    -- current_version is the version new attempts start on (0: none imported yet).
    current_version integer NOT NULL DEFAULT 0 CHECK (current_version >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX instruments_slug_key ON instruments (slug);

CREATE TABLE instrument_versions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    instrument_id uuid NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    version       integer NOT NULL CHECK (version > 0),
    -- content_hash is the SHA-256 of the canonical definition: an unchanged hash means an
    -- unchanged instrument, so re-importing it creates no version.
    content_hash  text NOT NULL,
    definition    jsonb NOT NULL,
    item_count    integer NOT NULL CHECK (item_count > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instrument_versions_version_key UNIQUE (instrument_id, version)
);

-- Versions are immutable: refuse any UPDATE at the database level.
-- +goose StatementBegin
CREATE FUNCTION assess_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'instrument versions are immutable (%)', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER instrument_versions_immutable BEFORE UPDATE ON instrument_versions
    FOR EACH ROW EXECUTE FUNCTION assess_versions_immutable();

-- An attempt is one sitting of an instrument. item_order is the attempt's own random order of the
-- version's item ids, fixed when it starts so a resumed attempt looks the same. The first
-- submitted attempt is the baseline; later ones are progress attempts.
CREATE TABLE attempts (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    instrument_id         uuid NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    instrument_version_id uuid NOT NULL REFERENCES instrument_versions(id) ON DELETE CASCADE,
    kind                  text NOT NULL CHECK (kind IN ('baseline', 'progress')),
    item_order            text[] NOT NULL CHECK (cardinality(item_order) > 0),
    started_at            timestamptz NOT NULL,
    submitted_at          timestamptz,
    CONSTRAINT attempts_submitted_after_start CHECK (submitted_at IS NULL OR submitted_at >= started_at)
);
-- At most one unfinished attempt per learner and instrument: concurrent starts collide here and
-- the loser returns the winner's attempt.
CREATE UNIQUE INDEX attempts_one_open ON attempts (user_id, instrument_id) WHERE submitted_at IS NULL;
-- A learner has one baseline per instrument, ever.
CREATE UNIQUE INDEX attempts_one_baseline ON attempts (user_id, instrument_id) WHERE kind = 'baseline';
-- A learner's finished attempts in time order (skills history, next due date, team reports).
CREATE INDEX attempts_user_history ON attempts (user_id, instrument_id, submitted_at) WHERE submitted_at IS NOT NULL;
-- Every learner's finished baseline of an instrument (reliability, item statistics).
CREATE INDEX attempts_instrument_baselines ON attempts (instrument_id)
    WHERE kind = 'baseline' AND submitted_at IS NOT NULL;
CREATE INDEX attempts_version ON attempts (instrument_version_id);

-- Autosaved answers; answering again replaces the value. value is 1-5 for likert, an array of
-- 1-5 ratings for sjt, an option id for choice.
CREATE TABLE responses (
    attempt_id uuid NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    item_id    text NOT NULL,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (attempt_id, item_id)
);

-- Scores of a submitted attempt per competency (0-100), with the Likert and SJT halves (null when
-- the competency has no items of that kind).
CREATE TABLE attempt_scores (
    attempt_id uuid NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    competency text NOT NULL,
    score      numeric NOT NULL CHECK (score BETWEEN 0 AND 100),
    likert     numeric CHECK (likert BETWEEN 0 AND 100),
    sjt        numeric CHECK (sjt BETWEEN 0 AND 100),
    PRIMARY KEY (attempt_id, competency)
);

-- +goose Down
DROP TABLE attempt_scores;
DROP TABLE responses;
DROP TABLE attempts;
DROP TABLE instrument_versions;
DROP FUNCTION assess_versions_immutable();
DROP TABLE instruments;
