package teams

import (
	"bytes"
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
)

var errBadInvite = apperr.New(apperr.NotFound, "This invitation link isn’t valid. Open the whole link from your e-mail, or ask your manager for a new one.")

// PreviewInvite is the public invite page: the team, who invited, the invited address masked and
// the invite's state. Unknown tokens are NotFound.
func (s *Service) PreviewInvite(ctx context.Context, raw string) (InvitePreview, error) {
	if raw == "" || len(raw) > 200 {
		return InvitePreview{}, errBadInvite
	}
	v, err := s.st.findInviteByHash(ctx, s.DB.Gorm, hashToken(raw))
	if apperr.Is(err, apperr.NotFound) {
		return InvitePreview{}, errBadInvite
	}
	if err != nil {
		return InvitePreview{}, err
	}
	inviter := deref(v.InviterName)
	if inviter == "" {
		inviter = "A manager"
	}
	return InvitePreview{TeamName: v.TeamName, InviterName: inviter, MaskedEmail: maskEmail(v.Invite.Email),
		State: v.Invite.state(s.Now()), ExpiresAt: v.Invite.ExpiresAt.UTC()}, nil
}

func inviteGone(detail string) error {
	return &apperr.Error{Kind: apperr.Invalid, Detail: detail, Fields: []apperr.FieldError{apperr.Field("token", detail)}}
}

// AcceptInvite makes the signed-in user a learning member of the invite's team. The account's
// e-mail must be the invited address. Accepting again returns the same membership and changes
// nothing. The team row is locked for the whole transaction and a seat is taken only while the
// learners stay within the team's seats, so concurrent accepts never over-allocate.
func (s *Service) AcceptInvite(ctx context.Context, userID, raw string) (Membership, error) {
	if raw == "" || len(raw) > 200 {
		return Membership{}, errBadInvite
	}
	v, err := s.st.findInviteByHash(ctx, s.DB.Gorm, hashToken(raw))
	if apperr.Is(err, apperr.NotFound) {
		return Membership{}, errBadInvite
	}
	if err != nil {
		return Membership{}, err
	}
	total, err := s.totalSeats(ctx, v.Invite.TeamID)
	if err != nil {
		return Membership{}, err
	}
	now := s.Now().UTC()
	var m memberRow
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.st.lockTeam(ctx, tx, v.Invite.TeamID); err != nil {
			return err
		}
		inv, err := s.st.lockInvite(ctx, tx, v.Invite.TeamID, v.Invite.ID)
		if err != nil {
			return err
		}
		if !bytes.Equal(inv.TokenHash, hashToken(raw)) {
			return errBadInvite // re-sent meanwhile: only the newest link works
		}
		if inv.AcceptedAt != nil && deref(inv.AcceptedBy) == userID {
			m, err = s.st.activeMember(ctx, tx, inv.TeamID, userID)
			if apperr.Is(err, apperr.NotFound) {
				return inviteGone("This invitation was already used. Ask your manager for a new one if you still need to join.")
			}
			return err
		}
		email, _, err := s.st.userContact(ctx, tx, userID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
		}
		if err != nil {
			return err
		}
		if email != inv.Email {
			return apperr.New(apperr.Forbidden, "This invitation was sent to "+maskEmail(inv.Email)+
				". Please sign in (or sign up) with that address to accept it.")
		}
		switch inv.state(now) {
		case InviteAccepted:
			return inviteGone("This invitation was already used. Ask your manager for a new one if you still need to join.")
		case InviteRevoked:
			return inviteGone("This invitation was withdrawn by your manager. Ask them for a new one if you still need to join.")
		case InviteExpired:
			return inviteGone("This invitation has expired. Ask your manager to send it again.")
		}
		m, err = s.join(ctx, tx, inv.TeamID, userID, total, now)
		if err != nil {
			return err
		}
		return s.st.acceptInvite(ctx, tx, inv.ID, userID, now)
	})
	if err != nil {
		return Membership{}, err
	}
	return Membership{TeamID: m.TeamID, TeamName: v.TeamName, UserID: m.UserID, Role: m.Role,
		IsLearner: m.IsLearner, JoinedAt: m.JoinedAt.UTC()}, nil
}

// join takes a seat for the user inside the locked team transaction; a learning member already
// holds one. Seats may have shrunk since the invite was sent: then the first accepts win and the
// rest are refused, whatever other invites are pending.
func (s *Service) join(ctx context.Context, tx *gorm.DB, teamID, userID string, total int, now time.Time) (memberRow, error) {
	cur, err := s.st.activeMember(ctx, tx, teamID, userID)
	if err == nil && cur.IsLearner {
		return cur, nil
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return memberRow{}, err
	}
	used, _, err := s.st.seatCounts(ctx, tx, teamID, now)
	if err != nil {
		return memberRow{}, err
	}
	if used+1 > total {
		return memberRow{}, apperr.New(apperr.PaymentRequired, "This team has no free seat right now. Ask your manager to add a seat, then open the invitation again.")
	}
	return s.st.upsertLearner(ctx, tx, teamID, userID, now)
}
