package teams

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

var errBadInvite = apperr.New(apperr.NotFound, "This invitation link isn’t valid. Open the whole link from your e-mail, or ask your manager for a new one.")

// findInvite reads the invite of a link; unknown (or impossible) links are errBadInvite.
func (s *Service) findInvite(ctx context.Context, raw string) (InviteDetail, error) {
	if raw == "" || len(raw) > 200 {
		return InviteDetail{}, errBadInvite
	}
	d, err := s.store.FindInviteByToken(ctx, raw)
	if apperr.Is(err, apperr.NotFound) {
		return InviteDetail{}, errBadInvite
	}
	return d, err
}

// PreviewInvite is the public invite page: the team, who invited, the invited address masked and
// the invite's state. Unknown tokens are NotFound.
func (s *Service) PreviewInvite(ctx context.Context, raw string) (InvitePreview, error) {
	d, err := s.findInvite(ctx, raw)
	if err != nil {
		return InvitePreview{}, err
	}
	return d.Preview(s.Now()), nil
}

// AcceptInvite makes the signed-in user a learning member of the invite's team. The account's
// e-mail must be the invited address. Accepting again returns the same membership and changes
// nothing. The team row is locked for the whole transaction and a seat is taken only while the
// learners stay within the team's seats, so concurrent accepts never over-allocate.
func (s *Service) AcceptInvite(ctx context.Context, userID, raw string) (Membership, error) {
	d, err := s.findInvite(ctx, raw)
	if err != nil {
		return Membership{}, err
	}
	total, err := s.Seats.TeamSeats(ctx, d.TeamID)
	if err != nil {
		return Membership{}, err
	}
	now := s.Now().UTC()
	var m Membership
	err = s.tx(ctx, func(st *Store) error {
		if err := st.LockTeam(ctx, d.TeamID); err != nil {
			return err
		}
		inv, err := st.LockInvite(ctx, d.TeamID, d.ID)
		if err != nil {
			return err
		}
		if !inv.HasToken(raw) {
			return errBadInvite // re-sent meanwhile: only the newest link works
		}
		if inv.WasAcceptedBy(userID) {
			m, err = st.FindActiveMember(ctx, inv.TeamID, userID)
			if apperr.Is(err, apperr.NotFound) {
				return errInviteUsed()
			}
			return err
		}
		who, err := st.FindContact(ctx, userID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
		}
		if err != nil {
			return err
		}
		if err := inv.Accept(userID, who.Email, now); err != nil {
			return err
		}
		if m, err = join(ctx, st, inv.TeamID, userID, total, now); err != nil {
			return err
		}
		return st.SaveInvite(ctx, inv)
	})
	if err != nil {
		return Membership{}, err
	}
	m.TeamName = d.TeamName
	return m, nil
}

// join takes a seat for the user inside the locked team transaction; a learning member already
// holds one.
func join(ctx context.Context, st *Store, teamID, userID string, total int, now time.Time) (Membership, error) {
	cur, err := st.FindActiveMember(ctx, teamID, userID)
	if err == nil && cur.IsLearner {
		return cur, nil
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return Membership{}, err
	}
	used, err := st.CountSeatHolders(ctx, teamID)
	if err != nil {
		return Membership{}, err
	}
	if err := (Seats{Total: total, Used: used}).AllowJoin(); err != nil {
		return Membership{}, err
	}
	return st.AddLearner(ctx, teamID, userID, now)
}
