package teams

import (
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// The tests of this file and model_work_test.go need no database: they run with DATABASE_URL unset
// (go test -run TestRule ./internal/teams/).

var (
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	later = t0.Add(time.Hour)
)

// none is the kind a table wants for no error.
const none apperr.Kind = -1

// kindOf is the apperr kind of err, or none for nil.
func kindOf(err error) apperr.Kind {
	if err == nil {
		return none
	}
	return apperr.KindOf(err)
}

func invite(expires time.Time, accepted, revoked bool) Invite {
	inv := newInvite("team", "rep@example.com", "mgr", "link", t0.Add(-InviteTTL))
	inv.ExpiresAt = expires
	if accepted {
		at := t0.Add(-time.Minute)
		inv.AcceptedAt, inv.AcceptedBy = &at, "rep"
	}
	if revoked {
		at := t0.Add(-time.Minute)
		inv.RevokedAt = &at
	}
	return inv
}

func TestRuleInviteStateAt(t *testing.T) {
	cases := []struct {
		name      string
		inv       Invite
		want      string
		holdsSeat bool
	}{
		{"open before expiry", invite(later, false, false), InvitePending, true},
		{"open at the expiry instant", invite(t0, false, false), InviteExpired, false},
		{"open after expiry", invite(t0.Add(-time.Second), false, false), InviteExpired, false},
		{"accepted", invite(later, true, false), InviteAccepted, false},
		{"accepted, since expired", invite(t0.Add(-time.Second), true, false), InviteAccepted, false},
		{"revoked", invite(later, false, true), InviteRevoked, false},
		{"revoked, since expired", invite(t0.Add(-time.Second), false, true), InviteRevoked, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.inv.StateAt(t0); got != c.want {
				t.Errorf("StateAt = %q, want %q", got, c.want)
			}
			if got := c.inv.HoldsSeat(t0); got != c.holdsSeat {
				t.Errorf("HoldsSeat = %v, want %v", got, c.holdsSeat)
			}
			if got := c.inv.at(t0).State; got != c.want {
				t.Errorf("at(now).State = %q, want %q", got, c.want)
			}
		})
	}
}

func TestRuleInviteResend(t *testing.T) {
	full := Seats{Total: 2, Used: 2}
	free := Seats{Total: 3, Used: 2}
	cases := []struct {
		name  string
		inv   Invite
		seats Seats
		want  apperr.Kind
	}{
		{"pending, no free seat: it holds its own", invite(later, false, false), full, none},
		{"expired, a free seat", invite(t0, false, false), free, none},
		{"expired, no free seat", invite(t0, false, false), full, apperr.PaymentRequired},
		{"accepted", invite(later, true, false), free, apperr.Conflict},
		{"revoked", invite(later, false, true), free, apperr.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := c.inv
			err := inv.Resend("new-link", c.seats, t0)
			if kindOf(err) != c.want {
				t.Fatalf("Resend = %v, want kind %v", err, c.want)
			}
			if err != nil {
				if !inv.HasToken("link") || !inv.ExpiresAt.Equal(c.inv.ExpiresAt) {
					t.Errorf("a refused resend changed the invite: %+v", inv)
				}
				return
			}
			if !inv.HasToken("new-link") || inv.HasToken("link") {
				t.Error("after a resend only the new link should work")
			}
			if !inv.ExpiresAt.Equal(t0.Add(InviteTTL)) || inv.StateAt(t0) != InvitePending {
				t.Errorf("resent invite expires %v in state %q, want %v pending", inv.ExpiresAt, inv.StateAt(t0), t0.Add(InviteTTL))
			}
		})
	}
}

func TestRuleInviteRevoke(t *testing.T) {
	cases := []struct {
		name    string
		inv     Invite
		changed bool
		want    apperr.Kind
	}{
		{"pending", invite(later, false, false), true, none},
		{"expired", invite(t0, false, false), true, none},
		{"revoked again: nothing changes", invite(later, false, true), false, none},
		{"accepted", invite(later, true, false), false, apperr.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := c.inv
			changed, err := inv.Revoke(t0)
			if changed != c.changed || kindOf(err) != c.want {
				t.Fatalf("Revoke = %v, %v; want %v, kind %v", changed, err, c.changed, c.want)
			}
			if changed && (inv.RevokedAt == nil || !inv.RevokedAt.Equal(t0) || inv.StateAt(t0) != InviteRevoked) {
				t.Errorf("revoked invite = %+v", inv)
			}
		})
	}
}

func TestRuleInviteAccept(t *testing.T) {
	cases := []struct {
		name  string
		inv   Invite
		email string
		want  apperr.Kind
	}{
		{"pending, the invited address", invite(later, false, false), "rep@example.com", none},
		{"pending, another address", invite(later, false, false), "other@example.com", apperr.Forbidden},
		{"expired", invite(t0, false, false), "rep@example.com", apperr.Invalid},
		{"revoked", invite(later, false, true), "rep@example.com", apperr.Invalid},
		{"accepted by someone else", invite(later, true, false), "rep@example.com", apperr.Invalid},
		{"expired, another address: the address is named first", invite(t0, false, false), "other@example.com", apperr.Forbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := c.inv
			err := inv.Accept("new-rep", c.email, t0)
			if kindOf(err) != c.want {
				t.Fatalf("Accept = %v, want kind %v", err, c.want)
			}
			if c.want == apperr.Invalid {
				if e, ok := err.(*apperr.Error); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "token" {
					t.Errorf("a gone invite should name the token: %#v", err)
				}
			}
			if err == nil && (!inv.WasAcceptedBy("new-rep") || inv.StateAt(t0) != InviteAccepted) {
				t.Errorf("accepted invite = %+v", inv)
			}
		})
	}
}

func TestRuleInviteWasAcceptedBy(t *testing.T) {
	cases := []struct {
		inv  Invite
		user string
		want bool
	}{
		{invite(later, true, false), "rep", true},
		{invite(later, true, false), "other", false},
		{invite(later, false, false), "", false},
		{invite(later, false, true), "", false},
	}
	for i, c := range cases {
		if got := c.inv.WasAcceptedBy(c.user); got != c.want {
			t.Errorf("case %d: WasAcceptedBy(%q) = %v, want %v", i, c.user, got, c.want)
		}
	}
}

func TestRuleInvitePreview(t *testing.T) {
	cases := []struct {
		name, inviter, email   string
		wantInviter, wantEmail string
	}{
		{"named inviter", "Maria", "jane.doe@example.com", "Maria", "j***@example.com"},
		{"inviter's account gone", "", "jane.doe@example.com", "A manager", "j***@example.com"},
		{"multi-byte first letter", "Maria", "élise@example.com", "Maria", "é***@example.com"},
		{"no local part", "Maria", "@example.com", "Maria", "***"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := invite(later, false, false)
			inv.Email = c.email
			p := InviteDetail{Invite: inv, TeamName: "Sales", InviterName: c.inviter}.Preview(t0)
			if p.InviterName != c.wantInviter || p.MaskedEmail != c.wantEmail || p.State != InvitePending || p.TeamName != "Sales" {
				t.Errorf("Preview = %+v", p)
			}
		})
	}
}

func TestRuleSeats(t *testing.T) {
	pending, expired := invite(later, false, false), invite(t0, false, false)
	cases := []struct {
		name        string
		total, used int
		open        []Invite
		wantPending int
		wantFree    int
		invites     int // invites asked for
		wantInvite  apperr.Kind
		wantJoin    apperr.Kind
	}{
		{"empty team", 3, 0, nil, 0, 3, 3, none, none},
		{"one more than free", 3, 1, []Invite{pending}, 1, 1, 2, apperr.PaymentRequired, none},
		{"expired invites reserve nothing", 2, 1, []Invite{expired, expired}, 0, 1, 1, none, none},
		{"full: pending invites take the rest", 2, 1, []Invite{pending}, 1, 0, 1, apperr.PaymentRequired, none},
		{"seats shrank under the members: free is never negative", 1, 3, []Invite{pending}, 1, 0, 1, apperr.PaymentRequired, apperr.PaymentRequired},
		{"every seat used", 2, 2, nil, 0, 0, 0, none, apperr.PaymentRequired},
		{"no seats at all", 0, 0, nil, 0, 0, 1, apperr.PaymentRequired, apperr.PaymentRequired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewSeats(c.total, c.used, c.open, t0)
			if s.Pending != c.wantPending || s.Free() != c.wantFree {
				t.Errorf("NewSeats = %+v free %d, want pending %d free %d", s, s.Free(), c.wantPending, c.wantFree)
			}
			if err := s.AllowInvites(c.invites); kindOf(err) != c.wantInvite {
				t.Errorf("AllowInvites(%d) = %v, want kind %v", c.invites, err, c.wantInvite)
			}
			if err := s.AllowJoin(); kindOf(err) != c.wantJoin {
				t.Errorf("AllowJoin = %v, want kind %v", err, c.wantJoin)
			}
		})
	}
}

func TestRuleInviteSeatsNeeded(t *testing.T) {
	pending, expired := invite(later, false, false), invite(t0, false, false)
	open := map[string]Invite{"pending@x.io": pending, "expired@x.io": expired}
	cases := []struct {
		emails []string
		want   int
	}{
		{[]string{"new@x.io"}, 1},
		{[]string{"pending@x.io"}, 0},
		{[]string{"expired@x.io"}, 1},
		{[]string{"new@x.io", "pending@x.io", "expired@x.io"}, 2},
		{nil, 0},
	}
	for _, c := range cases {
		if got := seatsNeeded(c.emails, open, t0); got != c.want {
			t.Errorf("seatsNeeded(%v) = %d, want %d", c.emails, got, c.want)
		}
	}
}

func TestRuleAccessAllow(t *testing.T) {
	team := Team{ID: "t", Name: "Sales"}
	cases := []struct {
		name     string
		a        Access
		n        need
		want     apperr.Kind
		wantRole string
	}{
		{"stranger reads", Access{Team: team}, readTeam, apperr.NotFound, ""},
		{"stranger manages", Access{Team: team}, manageTeam, apperr.NotFound, ""},
		{"stranger recognises", Access{Team: team}, sendRecognition, apperr.NotFound, ""},
		{"member reads", Access{Team: team, Role: RoleMember, IsLearner: true}, readTeam, none, RoleMember},
		{"member manages", Access{Team: team, Role: RoleMember, IsLearner: true}, manageTeam, apperr.Forbidden, ""},
		{"member recognises", Access{Team: team, Role: RoleMember}, sendRecognition, none, RoleMember},
		{"manager manages", Access{Team: team, Role: RoleManager}, manageTeam, none, RoleManager},
		{"manager recognises", Access{Team: team, Role: RoleManager}, sendRecognition, none, RoleManager},
		{"admin outside reads", Access{Team: team, IsAdmin: true}, readTeam, none, role.Admin},
		{"admin outside manages", Access{Team: team, IsAdmin: true}, manageTeam, none, role.Admin},
		{"admin outside recognises", Access{Team: team, IsAdmin: true}, sendRecognition, apperr.Forbidden, ""},
		{"admin who is a plain member manages", Access{Team: team, Role: RoleMember, IsAdmin: true}, manageTeam, none, RoleMember},
		{"admin who is a member recognises", Access{Team: team, Role: RoleMember, IsAdmin: true}, sendRecognition, none, RoleMember},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.a.Allow(c.n)
			if kindOf(err) != c.want {
				t.Fatalf("Allow = %v, want kind %v", err, c.want)
			}
			if err == nil && (got.MyRole != c.wantRole || got.ID != team.ID || got.IsLearner != c.a.IsLearner) {
				t.Errorf("Allow = %+v, want role %q", got, c.wantRole)
			}
		})
	}
}

func TestRuleMembership(t *testing.T) {
	learningManager := Membership{Role: RoleManager, IsLearner: true}
	manager := Membership{Role: RoleManager}
	member := Membership{Role: RoleMember, IsLearner: true}
	cases := []struct {
		name        string
		m           Membership
		to          string
		managers    int
		wantChanged bool
		wantRole    apperr.Kind
		wantRemove  apperr.Kind
	}{
		{"member to manager", member, RoleManager, 1, true, none, none},
		{"member stays member", member, RoleMember, 1, false, none, none},
		{"one of two managers, learning, to member", learningManager, RoleMember, 2, true, none, none},
		{"the last manager, learning, to member", learningManager, RoleMember, 1, false, apperr.Conflict, apperr.Conflict},
		{"a manager without a seat to member", manager, RoleMember, 2, false, apperr.Conflict, none},
		{"manager stays manager", manager, RoleManager, 1, false, none, apperr.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			changed, err := c.m.ChangeRole(c.to, c.managers)
			if changed != c.wantChanged || kindOf(err) != c.wantRole {
				t.Errorf("ChangeRole(%s, %d) = %v, %v; want %v, kind %v", c.to, c.managers, changed, err, c.wantChanged, c.wantRole)
			}
			if err := c.m.CheckRemove(c.managers); kindOf(err) != c.wantRemove {
				t.Errorf("CheckRemove(%d) = %v, want kind %v", c.managers, err, c.wantRemove)
			}
		})
	}
	for _, r := range []struct {
		role string
		want apperr.Kind
	}{{RoleManager, none}, {RoleMember, none}, {"admin", apperr.Invalid}, {"", apperr.Invalid}, {"Manager", apperr.Invalid}} {
		if err := checkRole(r.role); kindOf(err) != r.want {
			t.Errorf("checkRole(%q) = %v, want kind %v", r.role, err, r.want)
		}
	}
}
