package billing

import (
	"context"

	"github.com/rapport-hq/rapport/internal/identity"
)

// Entitlements answers whether a user may read premium content (catalog uses it). *Service
// implements it.
type Entitlements interface {
	Premium(ctx context.Context, userID string) (bool, error)
}

var _ Entitlements = (*Service)(nil)

// Premium reports whether the user has premium access from any source. Roles play no part:
// admins read everything because the catalog says so, not because billing does.
func (s *Service) Premium(ctx context.Context, userID string) (bool, error) {
	e, err := s.Entitlement(ctx, userID)
	return e.Premium, err
}

// Entitlement says whether the user is premium and why, preferring the user's own
// subscription, then a team seat, then a complimentary grant:
//   - an individual subscription that is active or trialing (with cancellation scheduled, only
//     until its current period ends), or past due for less than the grace period;
//   - a seat on a team whose subscription counts by the same rule, or which has an active grant;
//   - an unexpired, unrevoked grant to the user.
func (s *Service) Entitlement(ctx context.Context, userID string) (identity.Entitlement, error) {
	var teams []string
	if s.Teams != nil {
		var err error
		if teams, err = s.Teams.TeamsOf(ctx, userID); err != nil {
			return identity.Entitlement{}, err
		}
	}
	now := s.Now().UTC()
	individual, team, grant, err := s.st.entitlement(ctx, s.DB.Gorm, userID, teams, now, now.Add(-s.GracePeriod))
	if err != nil {
		return identity.Entitlement{}, err
	}
	var source string
	switch {
	case individual:
		source = SourceIndividual
	case team:
		source = SourceTeam
	case grant:
		source = SourceGrant
	default:
		return identity.Entitlement{Premium: false}, nil
	}
	return identity.Entitlement{Premium: true, Source: &source}, nil
}

// TeamSeats is the number of seats a team has: the quantity of its subscriptions that count
// (active, trialing, or past due within the grace period) plus the seats of its active grants.
func (s *Service) TeamSeats(ctx context.Context, teamID string) (int, error) {
	if teamID = normUUID(teamID); teamID == "" {
		return 0, nil
	}
	now := s.Now().UTC()
	return s.st.teamSeats(ctx, s.DB.Gorm, teamID, now, now.Add(-s.GracePeriod))
}

// TeamsSeats is TeamSeats for many teams at once (one query): the seat count of each team id
// given, 0 for teams without seats. Ids that are not UUIDs are left out.
func (s *Service) TeamsSeats(ctx context.Context, teamIDs []string) (map[string]int, error) {
	ids := make([]string, 0, len(teamIDs))
	for _, id := range teamIDs {
		if id = normUUID(id); id != "" {
			ids = append(ids, id)
		}
	}
	out := make(map[string]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	now := s.Now().UTC()
	found, err := s.st.teamsSeats(ctx, s.DB.Gorm, ids, now, now.Add(-s.GracePeriod))
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = found[id]
	}
	return out, nil
}
