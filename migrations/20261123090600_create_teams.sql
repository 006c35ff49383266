-- +goose Up
-- Teams: a manager buys seats (billing) and enrols reps by e-mail invite.
--
-- Membership is one row per (team, user) with a role and an is_learner flag:
--   role = 'manager', is_learner = false  manages the team, uses no seat (the creator starts so);
--   role = 'manager', is_learner = true   a manager who also learns (accepted an invite): one seat;
--   role = 'member',  is_learner = true   a rep: one seat.
-- Seats used = active rows with is_learner. Removing a member sets removed_at (the row is kept so
-- recognitions and assignment history still name them); re-joining clears it.
CREATE TABLE teams (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_by uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_created_by ON teams (created_by) WHERE created_by IS NOT NULL;

CREATE TABLE team_members (
    team_id    uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('manager', 'member')),
    is_learner boolean NOT NULL,
    joined_at  timestamptz NOT NULL,
    removed_at timestamptz,
    PRIMARY KEY (team_id, user_id),
    CONSTRAINT team_members_member_learns CHECK (role = 'manager' OR is_learner)
);
-- "My teams", /me and billing's TeamsOf: a user's active memberships.
CREATE INDEX team_members_user ON team_members (user_id, team_id) WHERE removed_at IS NULL;
-- Seat counts and member lists: a team's active rows.
CREATE INDEX team_members_active ON team_members (team_id, is_learner) WHERE removed_at IS NULL;

-- Invites by e-mail. Only the SHA-256 of the token is stored. An open invite (neither accepted nor
-- revoked) that has not expired reserves a seat. One open invite per address and team: inviting
-- the address again re-issues it.
CREATE TABLE team_invites (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id     uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    email       text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    token_hash  bytea NOT NULL,
    invited_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT team_invites_one_end CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE UNIQUE INDEX team_invites_token_hash_key ON team_invites (token_hash);
CREATE UNIQUE INDEX team_invites_open_email ON team_invites (team_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX team_invites_open ON team_invites (team_id, expires_at)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX team_invites_invited_by ON team_invites (invited_by) WHERE invited_by IS NOT NULL;
CREATE INDEX team_invites_accepted_by ON team_invites (accepted_by) WHERE accepted_by IS NOT NULL;

-- A manager assigns a published module with a due date to chosen reps. The module's slug and
-- title are kept as they were when assigned, so the list reads the same if the module changes.
CREATE TABLE assignments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id      uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    module_id    uuid NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
    module_slug  text NOT NULL,
    module_title text NOT NULL,
    due_at       timestamptz NOT NULL,
    created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignments_team ON assignments (team_id, due_at);
CREATE INDEX assignments_module ON assignments (module_id);
CREATE INDEX assignments_created_by ON assignments (created_by) WHERE created_by IS NOT NULL;

-- reminded_at is set when the two-days-before reminder is claimed, so each rep gets it once.
CREATE TABLE assignment_targets (
    assignment_id uuid NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reminded_at   timestamptz,
    PRIMARY KEY (assignment_id, user_id)
);
-- A rep's assignments (dashboard) and the reminder scan.
CREATE INDEX assignment_targets_user ON assignment_targets (user_id);
CREATE INDEX assignment_targets_unreminded ON assignment_targets (assignment_id) WHERE reminded_at IS NULL;

CREATE TABLE recognitions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id      uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    from_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
    to_user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    message      text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
    kind         text NOT NULL CHECK (kind IN ('win', 'milestone')),
    created_at   timestamptz NOT NULL,
    CONSTRAINT recognitions_not_self CHECK (from_user_id IS DISTINCT FROM to_user_id)
);
-- The team feed, newest first; "last recognised" per rep (prompts); a rep's received ones.
CREATE INDEX recognitions_team_feed ON recognitions (team_id, created_at DESC);
CREATE INDEX recognitions_team_to ON recognitions (team_id, to_user_id, created_at DESC);
CREATE INDEX recognitions_to ON recognitions (to_user_id, created_at DESC);
CREATE INDEX recognitions_from ON recognitions (from_user_id) WHERE from_user_id IS NOT NULL;

-- +goose Down
DROP TABLE recognitions;
DROP TABLE assignment_targets;
DROP TABLE assignments;
DROP TABLE team_invites;
DROP TABLE team_members;
DROP TABLE teams;
