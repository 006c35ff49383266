-- +goose Up
-- Change notifications for the published content every Rapport process keeps in memory
-- (internal/platform/notify, internal/catalog/cache.go). The triggers call pg_notify inside the
-- writing transaction, so listeners hear of a change only when it commits, whatever wrote it: the
-- studio, `rapport content import`, `rapport demo`, a migration or psql. Statement-level
-- triggers: one notification per statement (PostgreSQL also folds identical notifications of one
-- transaction into one). Channel rapport_catalog: modules (publish, unpublish, import, studio
-- edits) and their versions.

-- +goose StatementBegin
CREATE FUNCTION rapport_notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rapport_catalog', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER modules_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON modules
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_catalog();
CREATE TRIGGER module_versions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON module_versions
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_catalog();
CREATE TRIGGER lesson_versions_notify AFTER UPDATE OR DELETE OR TRUNCATE ON lesson_versions
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_catalog();

-- +goose Down
DROP TRIGGER lesson_versions_notify ON lesson_versions;
DROP TRIGGER module_versions_notify ON module_versions;
DROP TRIGGER modules_notify ON modules;
DROP FUNCTION rapport_notify_catalog();
