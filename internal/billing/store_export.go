package billing

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is billing's section of a data export: the user's own subscriptions and grants
// (payment details stay with Stripe, which never sends them to us).
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT json_build_object(
			'subscriptions', (SELECT coalesce(json_agg(json_build_object('plan', b.plan_id, 'status', b.status,
				'current_period_end', b.current_period_end, 'cancel_at_period_end', b.cancel_at_period_end,
				'created_at', b.created_at) ORDER BY b.created_at), '[]')
				FROM billing_subscriptions b WHERE b.user_id = @u),
			'grants', (SELECT coalesce(json_agg(json_build_object('ends_at', g.ends_at, 'created_at', g.created_at,
				'revoked_at', g.revoked_at) ORDER BY g.created_at), '[]')
				FROM billing_grants g WHERE g.user_id = @u))`, map[string]any{"u": userID})
}
