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
	row := grantRow{UserID: ptr(g.UserID), TeamID: ptr(g.TeamID), EndsAt: g.EndsAt, CreatedBy: ptr(normUUID(adminID)),
		CreatedAt: s.Now().UTC()} // the service clock dates it, like every rule that reads the grant
	if g.TeamID != "" {
		row.Seats = &g.Seats
	}
	if err := s.st.createGrant(ctx, s.DB.Gorm, &row); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return Grant{}, apperr.InvalidFields(apperr.Field("user_id", "We couldn’t find this user. Pick one from the search results."))
		}
		return Grant{}, err
	}
	v, err := s.st.findGrant(ctx, s.DB.Gorm, row.ID)
	if err != nil {
		return Grant{}, err
	}
	return v.toGrant(), nil
}

// Grants lists the newest grants, revoked and expired ones included, with the names of the
// users and teams they are for.
func (s *Service) Grants(ctx context.Context) ([]Grant, error) {
	rows, err := s.st.listGrants(ctx, s.DB.Gorm, maxListed)
	if err != nil {
		return nil, err
	}
	out := make([]Grant, len(rows))
	for i, r := range rows {
		out[i] = r.toGrant()
	}
	return out, nil
}

// RevokeGrant ends a grant now. Revoking a revoked grant is a no-op; an unknown id is NotFound.
func (s *Service) RevokeGrant(ctx context.Context, id string) error {
	if id = normUUID(id); id == "" {
		return apperr.New(apperr.NotFound, "We couldn’t find that access grant. It may already have been removed.")
	}
	err := s.st.revokeGrant(ctx, s.DB.Gorm, id, s.Now().UTC())
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, "We couldn’t find that access grant. It may already have been removed.", err)
	}
	return err
}

// EnsureUserGrant gives the user a grant ending at endsAt unless one is already active; it
// reports whether it created one (`rapport demo` uses it, so it is idempotent).
func (s *Service) EnsureUserGrant(ctx context.Context, userID string, endsAt time.Time) (bool, error) {
	has, err := s.st.hasActiveUserGrant(ctx, s.DB.Gorm, userID, s.Now().UTC())
	if err != nil || has {
		return false, err
	}
	ends := endsAt.UTC().Format(time.RFC3339)
	_, err = s.CreateGrant(ctx, "", GrantInput{UserID: &userID, EndsAt: ends})
	return err == nil, err
}
