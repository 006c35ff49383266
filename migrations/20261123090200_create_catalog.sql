-- +goose Up
-- Modules and lessons are the instructors' drafts; module_versions and lesson_versions are the
-- immutable published snapshots that learners read. A lesson's id never changes across versions
-- (progress is keyed by it), so lessons are soft-deleted, never removed.
CREATE TABLE modules (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug                    text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
    title                   text NOT NULL,
    summary                 text NOT NULL DEFAULT '',
    access                  text NOT NULL CHECK (access IN ('free', 'premium')),
    competencies            text[] NOT NULL DEFAULT '{}',
    sort_order              integer NOT NULL DEFAULT 0,
    state                   text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'unpublished')),
    -- current_version is the latest published version (0: never published).
    current_version         integer NOT NULL DEFAULT 0 CHECK (current_version >= 0),
    has_unpublished_changes boolean NOT NULL DEFAULT true,
    -- source_hash is the content hash of the files a module was last imported from.
    source_hash             text NOT NULL DEFAULT '',
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT modules_published_has_version CHECK (state = 'draft' OR current_version > 0)
);
CREATE UNIQUE INDEX modules_slug_key ON modules (slug);
CREATE INDEX modules_catalog ON modules (sort_order, slug) WHERE state = 'published';
CREATE INDEX modules_studio ON modules (sort_order, slug);

CREATE TABLE lessons (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    module_id   uuid NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
    slug        text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
    title       text NOT NULL,
    minutes     integer NOT NULL CHECK (minutes BETWEEN 1 AND 120),
    markdown    text NOT NULL DEFAULT '',
    position    integer NOT NULL DEFAULT 0,
    deleted_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- A slug stays reserved by a deleted lesson, so re-creating it revives the same id (and progress).
CREATE UNIQUE INDEX lessons_module_slug_key ON lessons (module_id, slug);
CREATE INDEX lessons_module_position ON lessons (module_id, position, slug) WHERE deleted_at IS NULL;

CREATE TABLE module_versions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    module_id     uuid NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
    version       integer NOT NULL CHECK (version > 0),
    slug          text NOT NULL,
    title         text NOT NULL,
    summary       text NOT NULL,
    access        text NOT NULL CHECK (access IN ('free', 'premium')),
    competencies  text[] NOT NULL,
    sort_order    integer NOT NULL,
    lesson_count  integer NOT NULL CHECK (lesson_count > 0),
    minutes       integer NOT NULL,
    published_at  timestamptz NOT NULL,
    published_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT module_versions_module_version_key UNIQUE (module_id, version)
);
CREATE INDEX module_versions_published_by ON module_versions (published_by) WHERE published_by IS NOT NULL;

CREATE TABLE lesson_versions (
    module_version_id uuid NOT NULL REFERENCES module_versions(id) ON DELETE CASCADE,
    lesson_id         uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    slug              text NOT NULL,
    title             text NOT NULL,
    minutes           integer NOT NULL,
    position          integer NOT NULL,
    html              text NOT NULL,
    etag              text NOT NULL,
    PRIMARY KEY (module_version_id, lesson_id),
    CONSTRAINT lesson_versions_slug_key UNIQUE (module_version_id, slug)
);
CREATE INDEX lesson_versions_lesson ON lesson_versions (lesson_id);
CREATE INDEX lesson_versions_order ON lesson_versions (module_version_id, position, slug);

-- Published versions are immutable: refuse any UPDATE at the database level.
-- +goose StatementBegin
CREATE FUNCTION catalog_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published versions are immutable (%)', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER module_versions_immutable BEFORE UPDATE ON module_versions
    FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();
CREATE TRIGGER lesson_versions_immutable BEFORE UPDATE ON lesson_versions
    FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();

-- +goose Down
DROP TABLE lesson_versions;
DROP TABLE module_versions;
DROP FUNCTION catalog_versions_immutable();
DROP TABLE lessons;
DROP TABLE modules;
