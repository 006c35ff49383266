-- +goose Up
-- Stripe customers: one per user (individual plans) or per team (seat plans). team_id has no
-- foreign key yet: the teams domain adds its table later.
CREATE TABLE billing_customers (
    stripe_customer_id text PRIMARY KEY,
    user_id            uuid REFERENCES users(id) ON DELETE CASCADE,
    team_id            uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT billing_customers_one_owner CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX billing_customers_user ON billing_customers (user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX billing_customers_team ON billing_customers (team_id) WHERE team_id IS NOT NULL;

-- Subscriptions as Stripe last told us. The owner may be unknown for a moment when a
-- subscription event arrives before checkout.session.completed links its customer.
-- last_event_created is the `created` of the newest event applied: older events are skipped.
CREATE TABLE billing_subscriptions (
    stripe_id            text PRIMARY KEY,
    stripe_customer_id   text NOT NULL,
    user_id              uuid REFERENCES users(id) ON DELETE CASCADE,
    team_id              uuid,
    plan_id              text NOT NULL DEFAULT '',
    status               text NOT NULL,
    quantity             integer NOT NULL DEFAULT 1 CHECK (quantity >= 0),
    current_period_end   timestamptz,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    past_due_since       timestamptz,
    last_event_created   timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT billing_subscriptions_owner CHECK (user_id IS NULL OR team_id IS NULL)
);
CREATE INDEX billing_subscriptions_user ON billing_subscriptions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX billing_subscriptions_team ON billing_subscriptions (team_id) WHERE team_id IS NOT NULL;
CREATE INDEX billing_subscriptions_customer ON billing_subscriptions (stripe_customer_id);

-- Every Stripe webhook event, stored by its id before it is processed (a re-delivery is a no-op).
CREATE TABLE billing_webhook_events (
    id           text PRIMARY KEY,
    type         text NOT NULL,
    created      timestamptz NOT NULL,
    payload      jsonb NOT NULL,
    state        text NOT NULL DEFAULT 'received'
                 CHECK (state IN ('received', 'processed', 'failed', 'ignored')),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);
CREATE INDEX billing_webhook_events_received ON billing_webhook_events (received_at DESC);

-- Complimentary access given by an admin: premium for a user, or seats for a team.
CREATE TABLE billing_grants (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid REFERENCES users(id) ON DELETE CASCADE,
    team_id    uuid,
    seats      integer CHECK (seats IS NULL OR seats BETWEEN 1 AND 1000),
    ends_at    timestamptz NOT NULL,
    created_by uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CONSTRAINT billing_grants_one_owner CHECK ((user_id IS NULL) <> (team_id IS NULL)),
    CONSTRAINT billing_grants_team_seats CHECK (team_id IS NULL OR seats IS NOT NULL)
);
CREATE INDEX billing_grants_user ON billing_grants (user_id, ends_at) WHERE revoked_at IS NULL AND user_id IS NOT NULL;
CREATE INDEX billing_grants_team ON billing_grants (team_id, ends_at) WHERE revoked_at IS NULL AND team_id IS NOT NULL;
CREATE INDEX billing_grants_created ON billing_grants (created_at DESC);

-- +goose Down
DROP TABLE billing_grants;
DROP TABLE billing_webhook_events;
DROP TABLE billing_subscriptions;
DROP TABLE billing_customers;
