-- +goose Up
-- A published lesson keeps the Markdown it was rendered from, so instructors can read an old
-- version as they wrote it and compare it with the drafts. NULL means the version was published
-- before this column existed and its Markdown is not known.
ALTER TABLE lesson_versions ADD COLUMN markdown text;

-- Fill it in where it is certain: a lesson not edited since the version was published still holds
-- the Markdown that version was rendered from. Versions are immutable, so the guard is lifted for
-- this one statement only.
ALTER TABLE lesson_versions DISABLE TRIGGER lesson_versions_immutable;
UPDATE lesson_versions lv
SET markdown = l.markdown
FROM lessons l, module_versions mv
WHERE l.id = lv.lesson_id
  AND mv.id = lv.module_version_id
  AND l.deleted_at IS NULL
  AND l.updated_at <= mv.published_at;
ALTER TABLE lesson_versions ENABLE TRIGGER lesson_versions_immutable;

-- +goose Down
ALTER TABLE lesson_versions DROP COLUMN markdown;
