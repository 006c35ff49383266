-- +goose Up
-- Change notifications for the assessment instruments every Rapport process keeps in memory
-- (internal/assess/currents.go), as 20261207500000 does for published modules: pg_notify inside
-- the writing transaction (heard only on commit), whatever wrote it. Channel rapport_instruments.

-- +goose StatementBegin
CREATE FUNCTION rapport_notify_instruments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rapport_instruments', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER instruments_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON instruments
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_instruments();
CREATE TRIGGER instrument_versions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON instrument_versions
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_instruments();

-- +goose Down
DROP TRIGGER instrument_versions_notify ON instrument_versions;
DROP TRIGGER instruments_notify ON instruments;
DROP FUNCTION rapport_notify_instruments();
