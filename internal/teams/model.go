// Package teams lets sales managers coach their reps: teams and seats, e-mail invites, the team
// report (progress and skill growth per rep), assignments with due dates and reminders, and
// recognition with its feed and prompts.
//
// Seats: a member uses a seat when they learn (is_learner). A team's creator is its manager and
// uses no seat; a manager who accepts an invite to their own team learns too and uses one. Open,
// unexpired invites reserve a seat each, so invites never promise more seats than the team has.
//
// The rules live on the domain types of model*.go (tested without a database); the store
// (store*.go) is the only code that knows the tables.
package teams

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// Member roles.
const (
	RoleManager = "manager"
	RoleMember  = "member"
)

// Limits and lifetimes.
const (
	InviteTTL         = 14 * 24 * time.Hour
	MaxTeamName       = 100
	MaxInvitesPerCall = 200
	MaxAssignees      = 500
	MaxMessageLen     = 500
	// ReminderLead is how long before the due date a rep is reminded of an assignment.
	ReminderLead = 48 * time.Hour
	// PromptWindow is how far back completions and growth prompt a manager to recognise them.
	PromptWindow = 14 * 24 * time.Hour
)

// Invite states as the public invite page shows them.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteExpired  = "expired"
	InviteRevoked  = "revoked"
)

// Team is a team and the caller's place in it.
type Team struct {
	ID        string
	Name      string
	CreatedAt time.Time
	// MyRole is the caller's role: manager, member, or admin for an admin outside the team.
	MyRole      string
	IsLearner   bool
	MemberCount int
}

// Seats are a team's seat numbers. Free never goes below zero (seats may shrink under members).
type Seats struct {
	Total   int
	Used    int
	Pending int
}

// NewSeats puts a team's seat numbers together: total from billing, the members holding a seat,
// and the team's open invites, of which each one pending at now reserves a seat.
func NewSeats(total, used int, open []Invite, now time.Time) Seats {
	s := Seats{Total: total, Used: used}
	for _, inv := range open {
		if inv.HoldsSeat(now) {
			s.Pending++
		}
	}
	return s
}

// Free is how many more invites the team can send.
func (s Seats) Free() int { return max(0, s.Total-s.Used-s.Pending) }

// AllowInvites refuses invites that need more seats than are free: nothing is sent then.
func (s Seats) AllowInvites(needed int) error {
	if needed > s.Free() {
		return apperr.New(apperr.PaymentRequired, fmt.Sprintf(
			"This team has %d free seat(s), but these invites need %d. Add seats or withdraw pending invites, then try again.", s.Free(), needed))
	}
	return nil
}

// AllowJoin decides whether one more learner fits. Pending invites are not counted: seats may
// have shrunk since the invites were sent, and then the first accepts win and the rest are
// refused.
func (s Seats) AllowJoin() error {
	if s.Used >= s.Total {
		return apperr.New(apperr.PaymentRequired, "This team has no free seat right now. Ask your manager to add a seat, then open the invitation again.")
	}
	return nil
}

// Invite is an invitation by e-mail. It is open until accepted or revoked (one of the two at
// most); an open invite is pending until it expires, and only a pending invite holds a seat.
type Invite struct {
	ID         string
	TeamID     string
	Email      string
	InvitedBy  string
	ExpiresAt  time.Time
	CreatedAt  time.Time
	AcceptedAt *time.Time
	AcceptedBy string
	RevokedAt  *time.Time
	// State is the invite's state when the service read it (StateAt its clock), for callers
	// that have no clock of their own.
	State string
	// tokenHash is the hash of the only link that accepts the invite; the link itself is never
	// stored.
	tokenHash []byte
}

// newInvite is a fresh invite to email whose link carries raw.
func newInvite(teamID, email, invitedBy, raw string, now time.Time) Invite {
	return Invite{TeamID: teamID, Email: email, InvitedBy: invitedBy, ExpiresAt: now.Add(InviteTTL), CreatedAt: now,
		tokenHash: hashToken(raw)}
}

// StateAt is the invite's state at now: accepted and revoked are final; an open invite expires at
// ExpiresAt.
func (i Invite) StateAt(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return InviteAccepted
	case i.RevokedAt != nil:
		return InviteRevoked
	case !i.ExpiresAt.After(now):
		return InviteExpired
	}
	return InvitePending
}

// at is the invite with its State at now.
func (i Invite) at(now time.Time) Invite {
	i.State = i.StateAt(now)
	return i
}

// HoldsSeat reports whether the invite reserves one of the team's seats at now.
func (i Invite) HoldsSeat(now time.Time) bool { return i.StateAt(now) == InvitePending }

// HasToken reports whether raw is the invite's current link (a re-sent invite's old link is not).
func (i Invite) HasToken(raw string) bool { return bytes.Equal(i.tokenHash, hashToken(raw)) }

// WasAcceptedBy reports whether userID accepted the invite: accepting again changes nothing.
func (i Invite) WasAcceptedBy(userID string) bool {
	return i.AcceptedAt != nil && i.AcceptedBy == userID
}

// checkOpen refuses a final (accepted or revoked) invite.
func (i Invite) checkOpen() error {
	switch {
	case i.AcceptedAt != nil:
		return apperr.New(apperr.Conflict, "This invitation was already accepted.")
	case i.RevokedAt != nil:
		return apperr.New(apperr.Conflict, "This invitation was withdrawn.")
	}
	return nil
}

// reissue gives an open invite the link raw and a new expiry: the old link stops working.
func (i *Invite) reissue(raw string, now time.Time) {
	i.tokenHash, i.ExpiresAt = hashToken(raw), now.Add(InviteTTL)
}

// Resend re-issues an open invite with the link raw. An expired invite no longer holds a seat,
// so bringing it back needs a free one.
func (i *Invite) Resend(raw string, seats Seats, now time.Time) error {
	if err := i.checkOpen(); err != nil {
		return err
	}
	if i.StateAt(now) == InviteExpired && seats.Free() < 1 {
		return apperr.New(apperr.PaymentRequired, "This team has no free seat for this invite. Add a seat or withdraw a pending invite first.")
	}
	i.reissue(raw, now)
	return nil
}

// Revoke withdraws an open invite, freeing its seat; false when it was already withdrawn
// (revoking twice changes nothing). An accepted invite cannot be withdrawn.
func (i *Invite) Revoke(now time.Time) (bool, error) {
	if i.RevokedAt != nil {
		return false, nil
	}
	if err := i.checkOpen(); err != nil {
		return false, err
	}
	i.RevokedAt = &now
	return true, nil
}

// Accept marks the invite accepted by the account userID whose e-mail is email. The account must
// be the invited address, and the invite pending at now.
func (i *Invite) Accept(userID, email string, now time.Time) error {
	if email != i.Email {
		return apperr.New(apperr.Forbidden, "This invitation was sent to "+maskEmail(i.Email)+
			". Please sign in (or sign up) with that address to accept it.")
	}
	switch i.StateAt(now) {
	case InviteAccepted:
		return errInviteUsed()
	case InviteRevoked:
		return inviteGone("This invitation was withdrawn by your manager. Ask them for a new one if you still need to join.")
	case InviteExpired:
		return inviteGone("This invitation has expired. Ask your manager to send it again.")
	}
	i.AcceptedAt, i.AcceptedBy = &now, userID
	return nil
}

// errInviteUsed answers a link that already made someone a member.
func errInviteUsed() error {
	return inviteGone("This invitation was already used. Ask your manager for a new one if you still need to join.")
}

// inviteGone is an invite link that can no longer be accepted, named on the token.
func inviteGone(detail string) error {
	return &apperr.Error{Kind: apperr.Invalid, Detail: detail, Fields: []apperr.FieldError{apperr.Field("token", detail)}}
}

// seatsNeeded counts the addresses whose invite takes a seat it does not hold yet: those without
// an open invite, and those whose open invite expired. open maps an address to its open invite.
func seatsNeeded(emails []string, open map[string]Invite, now time.Time) int {
	n := 0
	for _, e := range emails {
		if inv, ok := open[e]; !ok || !inv.HoldsSeat(now) {
			n++
		}
	}
	return n
}

// InviteDetail is an invite with the names its page shows.
type InviteDetail struct {
	Invite
	TeamName string
	// InviterName is empty when the inviter's account is gone.
	InviterName string
}

// InvitePreview is what the public invite page shows before sign-in.
type InvitePreview struct {
	TeamName    string
	InviterName string
	MaskedEmail string
	State       string
	ExpiresAt   time.Time
}

// Preview is the public page of the invite at now: the invited address masked, since anyone
// holding the link sees it.
func (d InviteDetail) Preview(now time.Time) InvitePreview {
	inviter := d.InviterName
	if inviter == "" {
		inviter = "A manager"
	}
	return InvitePreview{TeamName: d.TeamName, InviterName: inviter, MaskedEmail: maskEmail(d.Email),
		State: d.StateAt(now), ExpiresAt: d.ExpiresAt.UTC()}
}

// hashToken is what is stored of an invite link.
func hashToken(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

// maskEmail hides most of the local part: "jane.doe@example.com" → "j***@example.com".
func maskEmail(email string) string {
	at := strings.LastIndex(email, "@")
	if at <= 0 {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(email)
	return string(r) + "***" + email[at:]
}

// normalizeName trims a team name and checks it.
func normalizeName(name string) (string, error) {
	name, p := text.Line(name, MaxTeamName)
	switch p {
	case text.Empty:
		return "", apperr.InvalidFields(apperr.Field("name", "Enter a name for the team."))
	case text.TooLong:
		return "", apperr.InvalidFields(apperr.Field("name", fmt.Sprintf("Use at most %d characters for the team name.", MaxTeamName)))
	case text.Unshowable:
		return "", apperr.InvalidFields(apperr.Field("name", "The team name contains characters we can’t show. Please remove them."))
	}
	return name, nil
}

// round1 rounds a score to one decimal, the precision reports show.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// isUUID reports whether s is a UUID in its canonical lower-case form (what ids look like here).
func isUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}
