-- +goose Up
-- A reviewed practice submission of the recognised rep joins pulses and notes as recognition
-- evidence. evidence_id names the submission (not a foreign key: it belongs to the practice
-- domain and its owner may delete it; the recognition stays). evidence_text keeps the activity's
-- title as it was when the recognition was given, so the feed reads "Practice: <title>" without
-- reading another domain's tables, and still does after the attempt is deleted.
ALTER TABLE recognitions
    DROP CONSTRAINT recognitions_evidence_kind_check,
    DROP CONSTRAINT recognitions_evidence_whole,
    ADD CONSTRAINT recognitions_evidence_kind_check CHECK (evidence_kind IN ('pulse', 'note', 'submission')),
    ADD CONSTRAINT recognitions_evidence_whole CHECK (
        (evidence_kind IS NULL AND evidence_id IS NULL AND evidence_text IS NULL)
        OR (evidence_kind = 'pulse' AND evidence_id IS NOT NULL)
        OR (evidence_kind = 'note' AND evidence_id IS NULL AND evidence_text IS NOT NULL)
        OR (evidence_kind = 'submission' AND evidence_id IS NOT NULL AND evidence_text IS NOT NULL));

-- +goose Down
DELETE FROM recognitions WHERE evidence_kind = 'submission';
ALTER TABLE recognitions
    DROP CONSTRAINT recognitions_evidence_kind_check,
    DROP CONSTRAINT recognitions_evidence_whole,
    ADD CONSTRAINT recognitions_evidence_kind_check CHECK (evidence_kind IN ('pulse', 'note')),
    ADD CONSTRAINT recognitions_evidence_whole CHECK (
        (evidence_kind IS NULL AND evidence_id IS NULL AND evidence_text IS NULL)
        OR (evidence_kind = 'pulse' AND evidence_id IS NOT NULL)
        OR (evidence_kind = 'note' AND evidence_id IS NULL AND evidence_text IS NOT NULL));
