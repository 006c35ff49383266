-- +goose Up
-- Media: instructors' files. The bytes live in the storage layer (disk or S3) under media/<id>;
-- a row exists only once its bytes are stored, so every row can be served.
CREATE TABLE media (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind             text NOT NULL CHECK (kind IN ('image', 'video', 'audio', 'document', 'captions')),
    content_type     text NOT NULL CHECK (length(content_type) BETWEEN 1 AND 100),
    bytes            bigint NOT NULL CHECK (bytes > 0),
    sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    alt              text NOT NULL DEFAULT '' CHECK (length(alt) <= 500),
    file_name        text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    duration_seconds double precision CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- The library lists newest first.
CREATE INDEX media_created ON media (created_at DESC, id);
-- Content import is hash-addressed: the same bytes are one item.
CREATE INDEX media_sha256 ON media (sha256);
CREATE INDEX media_created_by ON media (created_by) WHERE created_by IS NOT NULL;

-- +goose Down
DROP TABLE media;
