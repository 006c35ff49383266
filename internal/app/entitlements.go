package app

import (
	"context"
	"slices"

	"github.com/rapport-hq/rapport/internal/identity"
)

// adminEntitlements grants premium content to admins only. It stands in for billing's
// entitlements until subscriptions exist, so premium modules answer 402 to everyone else.
type adminEntitlements struct{ ids *identity.Service }

// Premium implements catalog.Entitlements.
func (e adminEntitlements) Premium(ctx context.Context, userID string) (bool, error) {
	roles, err := e.ids.UserRoles(ctx, userID)
	if err != nil {
		return false, err
	}
	return slices.Contains(roles, identity.RoleAdmin), nil
}
