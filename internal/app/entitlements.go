package app

import (
	"context"

	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/identity"
)

// meExtras supplies the parts of /me that other domains own: the entitlement from billing, and
// the user's teams. The teams service is built after identity's routes, so it is read from the
// app when /me is served.
type meExtras struct {
	billing *billing.Service
	app     *App
}

// Entitlement implements identity.MeExtras.
func (m meExtras) Entitlement(ctx context.Context, userID string) (identity.Entitlement, error) {
	return m.billing.Entitlement(ctx, userID)
}

// Teams implements identity.MeExtras: the teams the user is an active member of.
func (m meExtras) Teams(ctx context.Context, userID string) ([]identity.TeamRef, error) {
	out := []identity.TeamRef{}
	if m.app == nil || m.app.Teams == nil {
		return out, nil
	}
	list, err := m.app.Teams.MyTeams(ctx, userID)
	for _, t := range list {
		out = append(out, identity.TeamRef{ID: t.ID, Name: t.Name, Role: t.MyRole})
	}
	return out, err
}
