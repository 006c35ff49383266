-- +goose Up
-- A module may carry a one-page coaching guide for managers. The draft's Markdown lives on the
-- module; each published version snapshots the Markdown and its sanitised HTML, so a version
-- keeps the guide it was published with. '' / NULL mean the module (version) has no guide.
ALTER TABLE modules ADD COLUMN coaching_markdown text NOT NULL DEFAULT '';
ALTER TABLE module_versions ADD COLUMN coaching_markdown text;
ALTER TABLE module_versions ADD COLUMN coaching_html text;

-- +goose Down
ALTER TABLE module_versions DROP COLUMN coaching_html;
ALTER TABLE module_versions DROP COLUMN coaching_markdown;
ALTER TABLE modules DROP COLUMN coaching_markdown;
