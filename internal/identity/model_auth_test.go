package identity

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// The tests in this file need no database: they check the rules on identity's domain types.

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) *time.Time { v := t0.Add(d); return &v }

func TestRefreshTokenVerdict(t *testing.T) {
	for _, tc := range []struct {
		name string
		tok  RefreshToken
		want RefreshVerdict
	}{
		{"fresh", RefreshToken{ExpiresAt: t0.Add(time.Hour)}, RefreshRotate},
		{"expires in a nanosecond", RefreshToken{ExpiresAt: t0.Add(time.Nanosecond)}, RefreshRotate},
		{"expires now", RefreshToken{ExpiresAt: t0}, RefreshRefused},
		{"expired", RefreshToken{ExpiresAt: t0.Add(-time.Minute)}, RefreshRefused},
		{"revoked", RefreshToken{ExpiresAt: t0.Add(time.Hour), RevokedAt: at(-time.Minute)}, RefreshRefused},
		{"spent: reuse", RefreshToken{ExpiresAt: t0.Add(time.Hour), UsedAt: at(-time.Second)}, RefreshReused},
		{"spent and revoked: the family is over already", RefreshToken{ExpiresAt: t0.Add(time.Hour), UsedAt: at(-time.Hour), RevokedAt: at(-time.Minute)}, RefreshRefused},
		{"spent and expired", RefreshToken{ExpiresAt: t0.Add(-time.Minute), UsedAt: at(-time.Hour)}, RefreshRefused},
	} {
		if got := tc.tok.Verdict(t0); got != tc.want {
			t.Errorf("%s: Verdict = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestNewRefreshTokenStaysInItsFamily(t *testing.T) {
	raw, tok, err := newRefreshToken("user-1", "family-1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if tok.UserID != "user-1" || tok.FamilyID != "family-1" || !tok.ExpiresAt.Equal(t0.Add(RefreshTTL)) ||
		string(tok.Hash) != string(hashToken(raw)) || tok.Verdict(t0) != RefreshRotate {
		t.Errorf("newRefreshToken = %+v", tok)
	}
}

func TestUserTokenUsable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tok     UserToken
		purpose TokenPurpose
		want    bool
	}{
		{"fresh verify link", UserToken{Purpose: PurposeVerifyEmail, ExpiresAt: t0.Add(time.Hour)}, PurposeVerifyEmail, true},
		{"fresh reset link", UserToken{Purpose: PurposeResetPassword, ExpiresAt: t0.Add(time.Minute)}, PurposeResetPassword, true},
		{"verify link used to reset", UserToken{Purpose: PurposeVerifyEmail, ExpiresAt: t0.Add(time.Hour)}, PurposeResetPassword, false},
		{"reset link used to verify", UserToken{Purpose: PurposeResetPassword, ExpiresAt: t0.Add(time.Hour)}, PurposeVerifyEmail, false},
		{"already used", UserToken{Purpose: PurposeVerifyEmail, ExpiresAt: t0.Add(time.Hour), UsedAt: at(-time.Minute)}, PurposeVerifyEmail, false},
		{"expires now", UserToken{Purpose: PurposeResetPassword, ExpiresAt: t0}, PurposeResetPassword, false},
		{"expired", UserToken{Purpose: PurposeResetPassword, ExpiresAt: t0.Add(-time.Second)}, PurposeResetPassword, false},
	} {
		if got := tc.tok.Usable(tc.purpose, t0); got != tc.want {
			t.Errorf("%s: Usable = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNewUserTokenLifetimes(t *testing.T) {
	for _, tc := range []struct {
		purpose TokenPurpose
		ttl     time.Duration
	}{{PurposeVerifyEmail, 48 * time.Hour}, {PurposeResetPassword, time.Hour}} {
		raw, tok, err := newUserToken("user-1", tc.purpose, t0)
		if err != nil {
			t.Fatal(err)
		}
		if tc.purpose.TTL() != tc.ttl || !tok.ExpiresAt.Equal(t0.Add(tc.ttl)) || tok.Purpose != tc.purpose ||
			tok.UserID != "user-1" || string(tok.Hash) != string(hashToken(raw)) {
			t.Errorf("%s: token = %+v (TTL %s), want one expiring after %s", tc.purpose, tok, tc.purpose.TTL(), tc.ttl)
		}
		if !tok.Usable(tc.purpose, t0.Add(tc.ttl-time.Second)) || tok.Usable(tc.purpose, t0.Add(tc.ttl)) {
			t.Errorf("%s: usable until %s, not after", tc.purpose, tc.ttl)
		}
	}
}

func TestFailuresThrottle(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     Failures
		retry int // 0: allowed
	}{
		{"none", Failures{}, 0},
		{"4 for the e-mail", Failures{ByEmail: 4, OldestEmail: at(-time.Minute)}, 0},
		{"5 for the e-mail", Failures{ByEmail: 5, OldestEmail: at(-5 * time.Minute)}, 601},
		{"19 for the address", Failures{ByIP: 19, OldestIP: at(-time.Minute)}, 0},
		{"20 for the address", Failures{ByIP: 20, OldestIP: at(-14 * time.Minute)}, 61},
		{"both: the e-mail's window counts", Failures{ByEmail: 5, ByIP: 20, OldestEmail: at(-10 * time.Minute), OldestIP: at(-time.Minute)}, 301},
		{"oldest unknown", Failures{ByEmail: 6}, 900},
	} {
		err := tc.f.Throttle(t0)
		var ae *apperr.Error
		switch {
		case tc.retry == 0 && err != nil:
			t.Errorf("%s: Throttle = %v, want allowed", tc.name, err)
		case tc.retry != 0 && (!errors.As(err, &ae) || ae.Kind != apperr.RateLimited || ae.RetryAfter != tc.retry):
			t.Errorf("%s: Throttle = %v, want RateLimited with Retry-After %d", tc.name, err, tc.retry)
		}
	}
}

func TestAssignRoles(t *testing.T) {
	for _, tc := range []struct {
		name       string
		actor, id  string
		requested  []string
		want       []string
		refused    bool
		kind       apperr.Kind
		wrongField string
	}{
		{"nothing: learner stays", "admin", "u", nil, []string{role.Learner}, false, 0, ""},
		{"instructor", "admin", "u", []string{role.Instructor}, []string{role.Learner, role.Instructor}, false, 0, ""},
		{"duplicates count once", "admin", "u", []string{role.Admin, role.Learner, role.Admin}, []string{role.Learner, role.Admin}, false, 0, ""},
		{"unknown role, named by index", "admin", "u", []string{role.Instructor, "owner"}, nil, true, apperr.Invalid, "roles[1]"},
		{"case matters", "admin", "u", []string{"Admin"}, nil, true, apperr.Invalid, "roles[0]"},
		{"own admin role removed", "me", "me", []string{role.Instructor}, nil, true, apperr.Conflict, ""},
		{"own admin role kept", "me", "me", []string{role.Admin}, []string{role.Learner, role.Admin}, false, 0, ""},
	} {
		got, err := AssignRoles(tc.actor, tc.id, tc.requested)
		if !tc.refused {
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%s: AssignRoles = %v, %v; want %v", tc.name, got, err, tc.want)
			}
			continue
		}
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != tc.kind || (tc.wrongField != "" && (len(ae.Fields) != 1 || ae.Fields[0].Field != tc.wrongField)) {
			t.Errorf("%s: AssignRoles = %v, %v; want kind %d naming %q", tc.name, got, err, tc.kind, tc.wrongField)
		}
	}
}

func TestGrantRole(t *testing.T) {
	learner := User{Roles: []string{role.Learner}}
	for _, tc := range []struct {
		name    string
		u       User
		granted string
		want    []string
		bad     bool
	}{
		{"instructor", learner, role.Instructor, []string{role.Learner, role.Instructor}, false},
		{"learner again", learner, role.Learner, []string{role.Learner}, false},
		{"held already", User{Roles: []string{role.Learner, role.Admin}}, role.Admin, []string{role.Learner, role.Admin}, false},
		{"unknown", learner, "root", nil, true},
	} {
		got, ferr := tc.u.GrantRole("role", tc.granted)
		if tc.bad != (ferr != nil) || (ferr != nil && ferr.Field != "role") || !slices.Equal(got, tc.want) {
			t.Errorf("%s: GrantRole = %v, %v; want %v (refused %v)", tc.name, got, ferr, tc.want, tc.bad)
		}
	}
	if _, _ = learner.GrantRole("role", role.Admin); !slices.Equal(learner.Roles, []string{role.Learner}) {
		t.Errorf("GrantRole changed the user's own roles: %v", learner.Roles)
	}
}

func TestValidTimeZone(t *testing.T) {
	for tz, want := range map[string]bool{
		"Europe/Berlin":            true,
		"America/Los_Angeles":      true,
		"UTC":                      true,
		"":                         false,
		"Local":                    false,
		"Mars/Olympus_Mons":        false,
		"../../etc/passwd":         false,
		"Europe/" + longZoneSuffix: false,
	} {
		if got := ValidTimeZone(tz); got != want {
			t.Errorf("ValidTimeZone(%q) = %v, want %v", tz, got, want)
		}
	}
}

const longZoneSuffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN"

func TestPasswordResetVerifiesTheAddress(t *testing.T) {
	verified := t0.Add(-24 * time.Hour)
	for _, tc := range []struct {
		name         string
		u            User
		wantVerifyAt *time.Time
	}{
		{"unverified: the link proves the mailbox", User{}, &t0},
		{"already verified: the date stays", User{EmailVerifiedAt: &verified}, nil},
	} {
		c := tc.u.PasswordReset("hash", t0)
		if c.PasswordHash == nil || *c.PasswordHash != "hash" || (c.EmailVerifiedAt == nil) != (tc.wantVerifyAt == nil) ||
			(c.EmailVerifiedAt != nil && !c.EmailVerifiedAt.Equal(*tc.wantVerifyAt)) || c.Name != nil || c.Roles != nil {
			t.Errorf("%s: PasswordReset = %+v", tc.name, c)
		}
	}
	if !(UserChange{}).Empty() || (UserChange{Roles: []string{}}).Empty() {
		t.Error("UserChange.Empty: an empty change must be empty, and an empty role list is a change")
	}
}
