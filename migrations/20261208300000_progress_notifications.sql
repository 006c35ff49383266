-- +goose Up
-- Change notifications for the learners' completed-lesson counts the catalog keeps in memory per
-- learner (internal/catalog/progress_cache.go). Channel rapport_progress, payload the learner's
-- id: a lesson becomes completed, stops being completed, moves while completed (only psql does
-- those two), or a row is deleted (account erasure, a lesson deleted with its rows). TRUNCATE
-- notifies an empty payload: everyone. The WHEN clauses keep the hot write path, a reading
-- position or time report on a started or already completed lesson, free of any trigger call.

-- +goose StatementBegin
CREATE FUNCTION rapport_notify_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('rapport_progress', '');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('rapport_progress', OLD.user_id::text);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('rapport_progress', NEW.user_id::text);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER lesson_progress_completed_insert AFTER INSERT ON lesson_progress
    FOR EACH ROW WHEN (NEW.status = 'completed') EXECUTE FUNCTION rapport_notify_progress();
CREATE TRIGGER lesson_progress_completed_update AFTER UPDATE ON lesson_progress
    FOR EACH ROW WHEN ((OLD.status = 'completed') <> (NEW.status = 'completed')
        OR (NEW.status = 'completed' AND (OLD.user_id, OLD.lesson_id, OLD.module_id)
            IS DISTINCT FROM (NEW.user_id, NEW.lesson_id, NEW.module_id)))
    EXECUTE FUNCTION rapport_notify_progress();
CREATE TRIGGER lesson_progress_delete AFTER DELETE ON lesson_progress
    FOR EACH ROW EXECUTE FUNCTION rapport_notify_progress();
CREATE TRIGGER lesson_progress_truncate AFTER TRUNCATE ON lesson_progress
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_progress();

-- +goose Down
DROP TRIGGER lesson_progress_truncate ON lesson_progress;
DROP TRIGGER lesson_progress_delete ON lesson_progress;
DROP TRIGGER lesson_progress_completed_update ON lesson_progress;
DROP TRIGGER lesson_progress_completed_insert ON lesson_progress;
DROP FUNCTION rapport_notify_progress();
