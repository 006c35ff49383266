-- +goose Up
-- Change notifications for the premium decisions every Rapport process keeps in memory
-- (internal/billing/access_cache.go): a decision reads a user's roles, their seats
-- (team_members), and the subscriptions and grants of the user and of those teams
-- (billing.Store.FindReaderAccess). The triggers call pg_notify inside the writing transaction,
-- so listeners hear of a change only when it commits, whoever wrote it (the app, a webhook job,
-- `rapport demo`, psql, a cascade from a deleted account). Channel rapport_access; the caches
-- drop everything on any notification, since these writes are rare next to lesson reads.
-- Statement-level where possible: one notification per statement (PostgreSQL also folds
-- identical notifications of one transaction into one).

-- +goose StatementBegin
CREATE FUNCTION rapport_notify_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rapport_access', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER billing_subscriptions_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON billing_subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_access();
CREATE TRIGGER billing_grants_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON billing_grants
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_access();
CREATE TRIGGER team_members_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON team_members
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_access();
-- users change often (sign-ins, profiles, settings); only a change of roles (admins read every
-- premium lesson) or a deletion (the account reads nothing, and its rows above cascade) matters.
-- A row trigger, because a statement trigger cannot tell which columns changed their values.
CREATE TRIGGER users_roles_notify_access AFTER UPDATE OF roles ON users
    FOR EACH ROW WHEN (OLD.roles IS DISTINCT FROM NEW.roles) EXECUTE FUNCTION rapport_notify_access();
CREATE TRIGGER users_delete_notify_access AFTER DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_access();

-- +goose Down
DROP TRIGGER users_delete_notify_access ON users;
DROP TRIGGER users_roles_notify_access ON users;
DROP TRIGGER team_members_notify_access ON team_members;
DROP TRIGGER billing_grants_notify_access ON billing_grants;
DROP TRIGGER billing_subscriptions_notify_access ON billing_subscriptions;
DROP FUNCTION rapport_notify_access();
