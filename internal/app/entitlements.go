package app

import (
	"context"

	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/teams"
)

// meExtras supplies the parts of /me that other domains own: the entitlement from billing, and
// the user's teams from the teams directory.
type meExtras struct {
	billing *billing.Service
	teams   *teams.Directory
}

// Entitlement implements identity.MeExtras.
func (m meExtras) Entitlement(ctx context.Context, userID string) (identity.Entitlement, error) {
	return m.billing.Entitlement(ctx, userID)
}

// Teams implements identity.MeExtras: the teams the user is an active member of.
func (m meExtras) Teams(ctx context.Context, userID string) ([]identity.TeamRef, error) {
	out := []identity.TeamRef{}
	list, err := m.teams.MyTeams(ctx, userID)
	for _, t := range list {
		out = append(out, identity.TeamRef{ID: t.ID, Name: t.Name, Role: t.MyRole})
	}
	return out, err
}
