package teams

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

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
// refused. One e-mail per address is queued in the transaction that issues the invites.
func (s *Service) Invite(ctx context.Context, actorID, teamID string, emails []string) ([]Invite, error) {
	sent, err := s.issue(ctx, actorID, teamID, emails, true)
	if err != nil {
		return nil, err
	}
	out := make([]Invite, len(sent))
	for i, inv := range sent {
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
	sent, err := s.issue(ctx, actorID, teamID, emails, false)
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
// within the free seats, returning them with their raw tokens; with send, each one's e-mail is
// queued in the same transaction.
func (s *Service) issue(ctx context.Context, actorID, teamID string, emails []string, send bool) ([]sentInvite, error) {
	emails, err := normalizeEmails(emails)
	if err != nil {
		return nil, err
	}
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return nil, err
	}
	total, err := s.Seats.TeamSeats(ctx, teamID)
	if err != nil {
		return nil, err
	}
	inviter := s.userName(ctx, actorID)
	now := s.Now().UTC()
	var sent []sentInvite
	err = s.tx(ctx, func(st *Store) error {
		if err := st.LockTeam(ctx, teamID); err != nil {
			return err
		}
		if err := refuseMembers(ctx, st, teamID, emails); err != nil {
			return err
		}
		seats, open, err := s.countSeats(ctx, st, teamID, total, now)
		if err != nil {
			return err
		}
		if sent, err = issueInvites(ctx, st, teamID, actorID, emails, open, seats, now); err != nil || !send {
			return err
		}
		for _, inv := range sent {
			if err := s.mailInvite(ctx, st, inv, t.Name, inviter); err != nil {
				return err
			}
		}
		return nil
	})
	return sent, err
}

// refuseMembers fails when any address belongs to a learning member of the team.
func refuseMembers(ctx context.Context, st *Store, teamID string, emails []string) error {
	members, err := st.FindSeatHolderEmails(ctx, teamID, emails)
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

// issueInvites re-issues the open invites among the addresses and creates the rest, within the
// free seats.
func issueInvites(ctx context.Context, st *Store, teamID, actorID string, emails []string, open []Invite, seats Seats, now time.Time) ([]sentInvite, error) {
	byEmail := map[string]Invite{}
	for _, inv := range open {
		byEmail[inv.Email] = inv
	}
	if err := seats.AllowInvites(seatsNeeded(emails, byEmail, now)); err != nil {
		return nil, err
	}
	var fresh []Invite
	var freshAt []int // positions in out of the fresh invites, filled once they have ids
	out := make([]sentInvite, len(emails))
	for i, e := range emails {
		raw, err := randomToken()
		if err != nil {
			return nil, err
		}
		out[i].token = raw
		if inv, ok := byEmail[e]; ok {
			inv.reissue(raw, now)
			if err := st.SaveInvite(ctx, inv); err != nil {
				return nil, err
			}
			out[i].Invite = inv.at(now)
			continue
		}
		fresh = append(fresh, newInvite(teamID, e, actorID, raw, now))
		freshAt = append(freshAt, i)
	}
	created, err := st.CreateInvites(ctx, fresh)
	if err != nil {
		return nil, err
	}
	for j, i := range freshAt {
		out[i].Invite = created[j].at(now)
	}
	return out, nil
}

// Invites lists the team's open invites, pending and expired (managers).
func (s *Service) Invites(ctx context.Context, actorID, teamID string) ([]Invite, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	open, err := s.store.FindOpenInvites(ctx, []string{teamID})
	now := s.Now()
	for i := range open {
		open[i] = open[i].at(now)
	}
	return open, err
}

// ResendInvite gives an open invite a new link and expiry and mails it again in the same
// transaction (managers); see Invite.Resend.
func (s *Service) ResendInvite(ctx context.Context, actorID, teamID, inviteID string) (Invite, error) {
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return Invite{}, err
	}
	total, err := s.Seats.TeamSeats(ctx, teamID)
	if err != nil {
		return Invite{}, err
	}
	inviter := s.userName(ctx, actorID)
	now := s.Now().UTC()
	var sent sentInvite
	err = s.tx(ctx, func(st *Store) error {
		inv, err := lockedInvite(ctx, st, teamID, inviteID)
		if err != nil {
			return err
		}
		seats, _, err := s.countSeats(ctx, st, teamID, total, now)
		if err != nil {
			return err
		}
		raw, err := randomToken()
		if err != nil {
			return err
		}
		if err := inv.Resend(raw, seats, now); err != nil {
			return err
		}
		sent = sentInvite{Invite: inv.at(now), token: raw}
		if err := st.SaveInvite(ctx, inv); err != nil {
			return err
		}
		return s.mailInvite(ctx, st, sent, t.Name, inviter)
	})
	return sent.Invite, err
}

// RevokeInvite cancels an open invite, freeing its seat (managers). Revoking twice is a no-op.
func (s *Service) RevokeInvite(ctx context.Context, actorID, teamID, inviteID string) error {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return err
	}
	return s.tx(ctx, func(st *Store) error {
		inv, err := lockedInvite(ctx, st, teamID, inviteID)
		if err != nil {
			return err
		}
		changed, err := inv.Revoke(s.Now().UTC())
		if err != nil || !changed {
			return err
		}
		return st.SaveInvite(ctx, inv)
	})
}

// lockedInvite locks the team, then the invite.
func lockedInvite(ctx context.Context, st *Store, teamID, inviteID string) (Invite, error) {
	if err := st.LockTeam(ctx, teamID); err != nil {
		return Invite{}, err
	}
	inv, err := st.LockInvite(ctx, teamID, inviteID)
	if apperr.Is(err, apperr.NotFound) {
		return inv, apperr.New(apperr.NotFound, "We couldn’t find that invitation. It may have been withdrawn.")
	}
	return inv, err
}

// mailInvite queues an invite's e-mail with st.
func (s *Service) mailInvite(ctx context.Context, st *Store, inv sentInvite, teamName, inviter string) error {
	return s.mail(ctx, st, inv.Email, "invite", map[string]any{
		"TeamName": teamName, "InviterName": inviter, "Link": s.inviteURL(inv.token),
		"Days": int(InviteTTL.Hours() / 24), "Email": inv.Email,
	})
}

// inviteURL is the SPA page that accepts an invite.
func (s *Service) inviteURL(token string) string { return s.PublicURL + "/invites/" + token }

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
