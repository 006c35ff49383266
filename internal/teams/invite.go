package teams

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/identity"
)

// sentInvite is an invite with the raw token its e-mail carries (never stored).
type sentInvite struct {
	Invite
	token string
}

// normalizeEmails validates and de-duplicates the addresses to invite, naming every bad one.
func normalizeEmails(emails []string) ([]string, error) {
	if len(emails) == 0 {
		return nil, apperr.InvalidFields(apperr.Field("emails", "Enter at least one e-mail address."))
	}
	if len(emails) > MaxInvitesPerCall {
		return nil, apperr.InvalidFields(apperr.Field("emails", fmt.Sprintf("Invite at most %d people at a time.", MaxInvitesPerCall)))
	}
	var errs apperr.Fields
	seen := map[string]bool{}
	out := make([]string, 0, len(emails))
	for i, e := range emails {
		e = identity.NormalizeEmail(e)
		if fe := identity.ValidateEmail("emails["+strconv.Itoa(i)+"]", e); fe != nil {
			errs.AddErr(fe)
			continue
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, errs.Err()
}

// Invite invites addresses to the team (managers). An address that already has an open invite
// gets it re-issued (new link, new expiry) without taking another seat; every other address
// needs a free seat, or nothing is sent (PaymentRequired). Addresses of learning members are
// refused. One e-mail per address is queued after the transaction commits.
func (s *Service) Invite(ctx context.Context, actorID, teamID string, emails []string) ([]Invite, error) {
	t, sent, err := s.issue(ctx, actorID, teamID, emails)
	if err != nil {
		return nil, err
	}
	inviter := s.userName(ctx, actorID)
	out := make([]Invite, len(sent))
	for i, inv := range sent {
		s.mailInvite(ctx, inv, t.Name, inviter)
		out[i] = inv.Invite
	}
	return out, nil
}

// InviteLink is an issued invite with the link (and its raw token) that accepts it.
type InviteLink struct {
	Invite
	Token string
	URL   string
}

// InviteLinks issues invites under exactly the rules of Invite but sends no e-mail: it returns
// each invite's link for a caller that delivers it another way. `rapport demo` uses it to accept
// its demo reps' invites through AcceptInvite without mailing addresses nobody reads.
func (s *Service) InviteLinks(ctx context.Context, actorID, teamID string, emails []string) ([]InviteLink, error) {
	_, sent, err := s.issue(ctx, actorID, teamID, emails)
	if err != nil {
		return nil, err
	}
	out := make([]InviteLink, len(sent))
	for i, inv := range sent {
		out[i] = InviteLink{Invite: inv.Invite, Token: inv.token, URL: s.inviteURL(inv.token)}
	}
	return out, nil
}

// issue validates the addresses, checks the actor manages the team and issues the invites
// within the free seats, returning the team and the invites with their raw tokens.
func (s *Service) issue(ctx context.Context, actorID, teamID string, emails []string) (Team, []sentInvite, error) {
	emails, err := normalizeEmails(emails)
	if err != nil {
		return Team{}, nil, err
	}
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return Team{}, nil, err
	}
	total, err := s.totalSeats(ctx, teamID)
	if err != nil {
		return Team{}, nil, err
	}
	now := s.Now().UTC()
	var sent []sentInvite
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.st.lockTeam(ctx, tx, teamID); err != nil {
			return err
		}
		if err := s.refuseMembers(ctx, tx, teamID, emails); err != nil {
			return err
		}
		open, err := s.st.openInvites(ctx, tx, teamID, emails)
		if err != nil {
			return err
		}
		used, pending, err := s.st.seatCounts(ctx, tx, teamID, now)
		if err != nil {
			return err
		}
		sent, err = s.issueInvites(ctx, tx, teamID, actorID, emails, open, Seats{Total: total, Used: used, Pending: pending}, now)
		return err
	})
	return t, sent, err
}

// refuseMembers fails when any address belongs to a learning member of the team.
func (s *Service) refuseMembers(ctx context.Context, tx *gorm.DB, teamID string, emails []string) error {
	members, err := s.st.learnerEmails(ctx, tx, teamID, emails)
	if err != nil || len(members) == 0 {
		return err
	}
	isMember := map[string]bool{}
	for _, e := range members {
		isMember[e] = true
	}
	var errs apperr.Fields
	for i, e := range emails {
		if isMember[e] {
			errs.Add("emails["+strconv.Itoa(i)+"]", e+" is already on this team. Remove it from the list.")
		}
	}
	return errs.Err()
}

// issueInvites re-issues open invites and creates the rest, within the free seats.
func (s *Service) issueInvites(ctx context.Context, tx *gorm.DB, teamID, actorID string, emails []string, open []inviteRow, seats Seats, now time.Time) ([]sentInvite, error) {
	byEmail := map[string]inviteRow{}
	for _, r := range open {
		byEmail[r.Email] = r
	}
	needed := 0
	for _, e := range emails {
		if r, ok := byEmail[e]; !ok || r.state(now) != InvitePending {
			needed++
		}
	}
	if needed > seats.Free() {
		return nil, apperr.New(apperr.PaymentRequired, fmt.Sprintf(
			"This team has %d free seat(s), but these invites need %d. Add seats or withdraw pending invites, then try again.", seats.Free(), needed))
	}
	expires := now.Add(InviteTTL)
	var fresh []inviteRow
	var freshAt []int // positions in out of the fresh invites, filled once they have ids
	out := make([]sentInvite, len(emails))
	for i, e := range emails {
		raw, err := randomToken()
		if err != nil {
			return nil, err
		}
		out[i].token = raw
		if r, ok := byEmail[e]; ok {
			if err := s.st.reissueInvite(ctx, tx, r.ID, hashToken(raw), expires); err != nil {
				return nil, err
			}
			r.ExpiresAt = expires
			out[i].Invite = r.toInvite(now)
			continue
		}
		fresh = append(fresh, inviteRow{TeamID: teamID, Email: e, TokenHash: hashToken(raw), InvitedBy: &actorID, ExpiresAt: expires, CreatedAt: now})
		freshAt = append(freshAt, i)
	}
	if err := s.st.createInvites(ctx, tx, fresh); err != nil {
		return nil, err
	}
	for j, i := range freshAt {
		out[i].Invite = fresh[j].toInvite(now)
	}
	return out, nil
}

// Invites lists the team's open invites, pending and expired (managers).
func (s *Service) Invites(ctx context.Context, actorID, teamID string) ([]Invite, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	rows, err := s.st.openInvites(ctx, s.DB.Gorm, teamID, nil)
	now := s.Now()
	out := make([]Invite, len(rows))
	for i, r := range rows {
		out[i] = r.toInvite(now)
	}
	return out, err
}

// ResendInvite gives an open invite a new link and expiry and mails it again (managers). An
// expired invite no longer holds a seat, so re-sending it needs a free one.
func (s *Service) ResendInvite(ctx context.Context, actorID, teamID, inviteID string) (Invite, error) {
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return Invite{}, err
	}
	total, err := s.totalSeats(ctx, teamID)
	if err != nil {
		return Invite{}, err
	}
	now := s.Now().UTC()
	var sent sentInvite
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.openInviteLocked(ctx, tx, teamID, inviteID)
		if err != nil {
			return err
		}
		if r.state(now) == InviteExpired {
			used, pending, err := s.st.seatCounts(ctx, tx, teamID, now)
			if err != nil {
				return err
			}
			if (Seats{Total: total, Used: used, Pending: pending}).Free() < 1 {
				return apperr.New(apperr.PaymentRequired, "This team has no free seat for this invite. Add a seat or withdraw a pending invite first.")
			}
		}
		raw, err := randomToken()
		if err != nil {
			return err
		}
		r.ExpiresAt = now.Add(InviteTTL)
		sent = sentInvite{Invite: r.toInvite(now), token: raw}
		return s.st.reissueInvite(ctx, tx, r.ID, hashToken(raw), r.ExpiresAt)
	})
	if err != nil {
		return Invite{}, err
	}
	s.mailInvite(ctx, sent, t.Name, s.userName(ctx, actorID))
	return sent.Invite, nil
}

// RevokeInvite cancels an open invite, freeing its seat (managers). Revoking twice is a no-op.
func (s *Service) RevokeInvite(ctx context.Context, actorID, teamID, inviteID string) error {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.openInviteLocked(ctx, tx, teamID, inviteID)
		if apperr.Is(err, apperr.Conflict) && r.RevokedAt != nil {
			return nil
		}
		if err != nil {
			return err
		}
		return s.st.revokeInvite(ctx, tx, r.ID, s.Now().UTC())
	})
}

// openInviteLocked locks the team, then the invite, and refuses an accepted or revoked one.
func (s *Service) openInviteLocked(ctx context.Context, tx *gorm.DB, teamID, inviteID string) (inviteRow, error) {
	if _, err := s.st.lockTeam(ctx, tx, teamID); err != nil {
		return inviteRow{}, err
	}
	r, err := s.st.lockInvite(ctx, tx, teamID, inviteID)
	if apperr.Is(err, apperr.NotFound) {
		return r, apperr.New(apperr.NotFound, "We couldn’t find that invitation. It may have been withdrawn.")
	}
	if err != nil {
		return r, err
	}
	switch {
	case r.AcceptedAt != nil:
		return r, apperr.New(apperr.Conflict, "This invitation was already accepted.")
	case r.RevokedAt != nil:
		return r, apperr.New(apperr.Conflict, "This invitation was withdrawn.")
	}
	return r, nil
}

func (s *Service) mailInvite(ctx context.Context, inv sentInvite, teamName, inviter string) {
	s.sendMail(ctx, inv.Email, "invite", map[string]any{
		"TeamName": teamName, "InviterName": inviter, "Link": s.inviteURL(inv.token),
		"Days": int(InviteTTL.Hours() / 24), "Email": inv.Email,
	})
}

// inviteURL is the SPA page that accepts an invite.
func (s *Service) inviteURL(token string) string { return s.PublicURL + "/invites/" + token }

// userName is the account's name for e-mails ("Your manager" when it cannot be read).
func (s *Service) userName(ctx context.Context, userID string) string {
	_, name, err := s.st.userContact(ctx, s.DB.Gorm, userID)
	if err != nil || name == "" {
		return "Your manager"
	}
	return name
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
