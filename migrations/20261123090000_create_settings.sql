-- +goose Up
-- Process-wide settings that every server process must share (e.g. the generated JWT key).
CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE settings;
