-- +goose Up
-- Buyer Pulse: after a meeting a rep predicts how the buyer felt and sends a one-minute, no-login
-- link; the buyer's answer shows the rep how close their reading was.
--
-- The link's token is never stored, only its SHA-256 (token_hash), so a copy of this table opens
-- no answer page. The buyer's e-mail address is not stored here at all: it travels only in the
-- invitation's mail job, whose arguments are stripped once the mail is sent (see internal/pulse).
CREATE TABLE pulses (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash           bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    meeting              text NOT NULL CHECK (length(meeting) BETWEEN 1 AND 120),
    predicted_clarity    smallint NOT NULL CHECK (predicted_clarity BETWEEN 1 AND 5),
    predicted_understood smallint NOT NULL CHECK (predicted_understood BETWEEN 1 AND 5),
    predicted_again      smallint NOT NULL CHECK (predicted_again BETWEEN 1 AND 5),
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    answered_at          timestamptz,
    clarity              smallint CHECK (clarity BETWEEN 1 AND 5),
    understood           smallint CHECK (understood BETWEEN 1 AND 5),
    again                smallint CHECK (again BETWEEN 1 AND 5),
    comment              text CHECK (length(comment) <= 1000),
    CONSTRAINT pulses_answer_whole CHECK (
        (answered_at IS NULL AND clarity IS NULL AND understood IS NULL AND again IS NULL AND comment IS NULL)
        OR (answered_at IS NOT NULL AND clarity IS NOT NULL AND understood IS NOT NULL AND again IS NOT NULL))
);
-- A rep's list, newest first, and the daily creation limit (pulses created in the last 24 hours).
CREATE INDEX pulses_user_created ON pulses (user_id, created_at DESC);
-- Team aggregates: each rep's answered pulses.
CREATE INDEX pulses_user_answered ON pulses (user_id) WHERE answered_at IS NOT NULL;

-- Recognition with evidence: an optional competency and one piece of evidence (a pulse of the
-- recognised rep, or a note). evidence_id names the pulse; it is not a foreign key because the
-- pulse belongs to another domain and a rep may delete it (the recognition stays, its evidence
-- then reads as removed).
ALTER TABLE recognitions
    ADD COLUMN competency    text,
    ADD COLUMN evidence_kind text CHECK (evidence_kind IN ('pulse', 'note')),
    ADD COLUMN evidence_id   uuid,
    ADD COLUMN evidence_text text CHECK (length(evidence_text) <= 500),
    ADD CONSTRAINT recognitions_evidence_whole CHECK (
        (evidence_kind IS NULL AND evidence_id IS NULL AND evidence_text IS NULL)
        OR (evidence_kind = 'pulse' AND evidence_id IS NOT NULL)
        OR (evidence_kind = 'note' AND evidence_id IS NULL AND evidence_text IS NOT NULL));

-- +goose Down
ALTER TABLE recognitions
    DROP CONSTRAINT recognitions_evidence_whole,
    DROP COLUMN evidence_text,
    DROP COLUMN evidence_id,
    DROP COLUMN evidence_kind,
    DROP COLUMN competency;
DROP TABLE pulses;
