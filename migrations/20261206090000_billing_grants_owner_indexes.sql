-- +goose Up
-- Whether a grant gives access is decided in Go (billing.Grant.State), so entitlement and seat
-- reads fetch every grant of a user or team, revoked ones included. The owner indexes were
-- partial on "revoked_at IS NULL", which such a read cannot use (a sequential scan of all grants
-- on each premium check); they now cover every grant of the owner.
DROP INDEX billing_grants_user;
DROP INDEX billing_grants_team;
CREATE INDEX billing_grants_user ON billing_grants (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX billing_grants_team ON billing_grants (team_id) WHERE team_id IS NOT NULL;

-- +goose Down
DROP INDEX billing_grants_user;
DROP INDEX billing_grants_team;
CREATE INDEX billing_grants_user ON billing_grants (user_id, ends_at) WHERE revoked_at IS NULL AND user_id IS NOT NULL;
CREATE INDEX billing_grants_team ON billing_grants (team_id, ends_at) WHERE revoked_at IS NULL AND team_id IS NOT NULL;
