-- +goose Up
-- Which media items each lesson draft and each published lesson version shows (images, players,
-- downloads and captions). The media library asks where an item is used, refuses to delete one a
-- published version shows, and serves an item publicly only when a published free module shows
-- it. Media ids are the media domain's; the catalog keeps them as text and never joins its tables.
CREATE TABLE lesson_media (
    lesson_id uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    media_id  text NOT NULL,
    PRIMARY KEY (lesson_id, media_id)
);
CREATE INDEX lesson_media_media ON lesson_media (media_id);

CREATE TABLE lesson_version_media (
    module_version_id uuid NOT NULL,
    lesson_id         uuid NOT NULL,
    media_id          text NOT NULL,
    PRIMARY KEY (module_version_id, lesson_id, media_id),
    FOREIGN KEY (module_version_id, lesson_id) REFERENCES lesson_versions (module_version_id, lesson_id) ON DELETE CASCADE
);
-- Access and usage look a media id up, then its versions.
CREATE INDEX lesson_version_media_media ON lesson_version_media (media_id, module_version_id);
-- Cascades from lessons and lesson_versions.
CREATE INDEX lesson_version_media_lesson ON lesson_version_media (lesson_id);

-- A published version's media are as immutable as its HTML.
CREATE TRIGGER lesson_version_media_immutable BEFORE UPDATE ON lesson_version_media
    FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();

-- +goose Down
DROP TABLE lesson_version_media;
DROP TABLE lesson_media;
