package billing

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"

	"github.com/rapport-hq/rapport/internal/identity"
)

// Entitlements answers whether a user may read premium content (catalog uses it). *Service
// implements it.
type Entitlements interface {
	Premium(ctx context.Context, userID string) (bool, error)
}

var _ Entitlements = (*Service)(nil)

// ReadsPremium reports whether the user reads premium lessons: admins do, and holders of premium
// access from any source. At most one statement: the decision is kept in memory (access_cache.go)
// until a write could change it or time alone could (Access.Until). NotFound when the account
// does not exist (any more); that answer is never kept.
func (s *Service) ReadsPremium(ctx context.Context, userID string) (bool, error) {
	if userID = normUUID(userID); userID == "" {
		return false, apperr.New(apperr.NotFound, "This account no longer exists.")
	}
	return s.cachedReadsPremium(userID, func(now time.Time) (bool, time.Time, error) {
		ra, err := s.store.FindReaderAccess(ctx, userID, role.Admin)
		if err != nil {
			return false, time.Time{}, err
		}
		if !ra.Exists {
			return false, time.Time{}, apperr.New(apperr.NotFound, "This account no longer exists.")
		}
		reads := ra.Admin || ra.Access.Source(userID, ra.Teams, now, s.GracePeriod) != ""
		return reads, ra.Access.Until(now, s.GracePeriod), nil
	})
}

// Premium reports whether the user has premium access from any source. Roles play no part:
// admins read everything because the catalog says so, not because billing does.
func (s *Service) Premium(ctx context.Context, userID string) (bool, error) {
	e, err := s.Entitlement(ctx, userID)
	return e.Premium, err
}

// Entitlement says whether the user is premium and why (Access.Source states the rule): the
// user's own subscription, else a seat on a team, else a complimentary grant.
func (s *Service) Entitlement(ctx context.Context, userID string) (identity.Entitlement, error) {
	teams, err := s.Teams.TeamsOf(ctx, userID)
	if err != nil {
		return identity.Entitlement{}, err
	}
	access, err := s.store.FindAccess(ctx, userID, teams)
	if err != nil {
		return identity.Entitlement{}, err
	}
	source := access.Source(userID, teams, s.Now().UTC(), s.GracePeriod)
	if source == "" {
		return identity.Entitlement{Premium: false}, nil
	}
	return identity.Entitlement{Premium: true, Source: &source}, nil
}

// TeamSeats is the number of seats a team has (Access.Seats states the rule).
func (s *Service) TeamSeats(ctx context.Context, teamID string) (int, error) {
	if teamID = normUUID(teamID); teamID == "" {
		return 0, nil
	}
	access, err := s.store.FindAccess(ctx, "", []string{teamID})
	if err != nil {
		return 0, err
	}
	return access.Seats(teamID, s.Now().UTC(), s.GracePeriod), nil
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
	access, err := s.store.FindAccess(ctx, "", ids)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	for _, id := range ids {
		out[id] = access.Seats(id, now, s.GracePeriod)
	}
	return out, nil
}
