package billing

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// maxListed bounds the admin lists.
const maxListed = 100

// CreateGrant gives complimentary access: premium to a user, or seats to a team, until EndsAt.
func (s *Service) CreateGrant(ctx context.Context, adminID string, in GrantInput) (Grant, error) {
	g, err := in.validate(s.Now())
	if err != nil {
		return Grant{}, err
	}
	g.CreatedBy = normUUID(adminID)
	g.CreatedAt = s.Now().UTC() // the service clock dates it, like every rule that reads the grant
	var id string
	err = s.changeAccess(func() (err error) {
		id, err = s.store.CreateGrant(ctx, g)
		return err
	})
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return Grant{}, apperr.InvalidFields(apperr.Field("user_id", "We couldn’t find this user. Pick one from the search results."))
		}
		return Grant{}, err
	}
	return s.store.FindGrantByID(ctx, id)
}

// Grants lists the newest grants, revoked and expired ones included, with the names of the
// users and teams they are for.
func (s *Service) Grants(ctx context.Context) ([]Grant, error) {
	return s.store.FindGrants(ctx, maxListed)
}

// RevokeGrant ends a grant now: this process refuses the grant's holders from the moment it
// returns, other processes when the commit's notification reaches them. Revoking a revoked grant
// is a no-op; an unknown id is NotFound.
func (s *Service) RevokeGrant(ctx context.Context, id string) error {
	if id = normUUID(id); id == "" {
		return apperr.New(apperr.NotFound, "We couldn’t find that access grant. It may already have been removed.")
	}
	err := s.changeAccess(func() error { return s.store.RevokeGrant(ctx, id, s.Now().UTC()) })
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, "We couldn’t find that access grant. It may already have been removed.", err)
	}
	return err
}

// EnsureUserGrant gives the user a grant ending at endsAt unless one is already active; it
// reports whether it created one (`rapport demo` uses it, so it is idempotent).
func (s *Service) EnsureUserGrant(ctx context.Context, userID string, endsAt time.Time) (bool, error) {
	access, err := s.store.FindAccess(ctx, userID, nil)
	if err != nil {
		return false, err
	}
	now := s.Now().UTC()
	for _, g := range access.Grants {
		if g.UserID == userID && g.Active(now) {
			return false, nil
		}
	}
	ends := endsAt.UTC().Format(time.RFC3339)
	_, err = s.CreateGrant(ctx, "", GrantInput{UserID: &userID, EndsAt: ends})
	return err == nil, err
}
