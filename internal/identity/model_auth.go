package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strconv"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// Lifetimes and throttling limits.
const (
	RefreshTTL       = 30 * 24 * time.Hour
	VerifyTTL        = 48 * time.Hour
	ResetTTL         = time.Hour
	FailureWindow    = 15 * time.Minute
	MaxEmailFailures = 5
	MaxIPFailures    = 20
)

// Credentials are an account with its password hash: only sign-in and password changes need it,
// so the hash never travels with a User.
type Credentials struct {
	User         User
	PasswordHash string
}

// UserChange lists the account fields to change; nil fields (and nil Roles) stay as they are.
type UserChange struct {
	Name            *string
	TimeZone        *string
	WeeklyReminders *bool
	Roles           []string
	PasswordHash    *string
	EmailVerifiedAt *time.Time
}

// Empty reports whether c changes nothing.
func (c UserChange) Empty() bool {
	return c.Name == nil && c.TimeZone == nil && c.WeeklyReminders == nil && c.Roles == nil &&
		c.PasswordHash == nil && c.EmailVerifiedAt == nil
}

// PasswordReset is the change a password reset makes: the new hash, and, because the link proved
// the user reads this mailbox, the address counts as verified from now on if it was not yet.
func (u User) PasswordReset(hash string, now time.Time) UserChange {
	c := UserChange{PasswordHash: &hash}
	if u.EmailVerifiedAt == nil {
		c.EmailVerifiedAt = &now
	}
	return c
}

// TokenPurpose says what a one-time link does.
type TokenPurpose string

// The purposes of one-time links.
const (
	PurposeVerifyEmail   TokenPurpose = "verify_email"
	PurposeResetPassword TokenPurpose = "reset_password"
)

// TTL is how long a link of this purpose works after it is sent.
func (p TokenPurpose) TTL() time.Duration {
	if p == PurposeResetPassword {
		return ResetTTL
	}
	return VerifyTTL
}

// UserToken is a one-time link (e-mail verification, password reset). Only the SHA-256 of the
// raw token is stored; the raw value travels in the e-mail.
type UserToken struct {
	Hash      []byte
	UserID    string
	Purpose   TokenPurpose
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// newUserToken makes a fresh link for userID: the raw token for the e-mail and the record to store.
func newUserToken(userID string, p TokenPurpose, now time.Time) (string, UserToken, error) {
	raw, err := randomToken()
	if err != nil {
		return "", UserToken{}, err
	}
	return raw, UserToken{Hash: hashToken(raw), UserID: userID, Purpose: p, ExpiresAt: now.Add(p.TTL())}, nil
}

// Usable reports whether the link may be spent for purpose at now: it has that purpose, was
// never used and has not expired. Anything else is "this link no longer works".
func (t UserToken) Usable(p TokenPurpose, now time.Time) bool {
	return t.Purpose == p && t.UsedAt == nil && t.ExpiresAt.After(now)
}

// RefreshToken is one link of a session's rotating refresh-token chain (its family). Only the
// SHA-256 of the raw token is stored.
type RefreshToken struct {
	ID        string
	UserID    string
	FamilyID  string
	Hash      []byte
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

// newRefreshToken makes the next token of family for userID (a new family starts a session).
func newRefreshToken(userID, family string, now time.Time) (string, RefreshToken, error) {
	raw, err := randomToken()
	if err != nil {
		return "", RefreshToken{}, err
	}
	return raw, RefreshToken{UserID: userID, FamilyID: family, Hash: hashToken(raw), ExpiresAt: now.Add(RefreshTTL)}, nil
}

// RefreshVerdict is what presenting a refresh token does.
type RefreshVerdict int

// The outcomes of presenting a refresh token.
const (
	// RefreshRotate: the token is spent and the next one of its family is issued.
	RefreshRotate RefreshVerdict = iota
	// RefreshRefused: the session has ended (revoked or expired); nothing changes.
	RefreshRefused
	// RefreshReused: the token was already spent, so a copy is in someone else's hands (or a
	// replay): the whole family is revoked, ending the session on every device that shares it.
	RefreshReused
)

// Verdict decides what presenting t at now does. A revoked or expired token is refused before
// reuse is considered: its family is already over.
func (t RefreshToken) Verdict(now time.Time) RefreshVerdict {
	switch {
	case t.RevokedAt != nil || !t.ExpiresAt.After(now):
		return RefreshRefused
	case t.UsedAt != nil:
		return RefreshReused
	}
	return RefreshRotate
}

// Failures are the failed sign-ins within FailureWindow for one e-mail and for one address, with
// the oldest of each (nil when unknown).
type Failures struct {
	ByEmail, ByIP         int
	OldestEmail, OldestIP *time.Time
}

// Throttle refuses a sign-in attempt at now when the e-mail or the address reached its limit of
// failures, with a Retry-After that ends when the oldest failure leaves the window; nil allows it.
func (f Failures) Throttle(now time.Time) error {
	switch {
	case f.ByEmail >= MaxEmailFailures:
		return rateLimited(now, f.OldestEmail)
	case f.ByIP >= MaxIPFailures:
		return rateLimited(now, f.OldestIP)
	}
	return nil
}

func rateLimited(now time.Time, oldest *time.Time) error {
	retry := int(FailureWindow.Seconds())
	if oldest != nil {
		retry = int(oldest.Add(FailureWindow).Sub(now).Seconds()) + 1
	}
	if retry < 1 {
		retry = 1
	}
	return &apperr.Error{Kind: apperr.RateLimited, Detail: "Too many failed sign-in attempts. Please wait a few minutes and try again, or reset your password.", RetryAfter: retry}
}

const chooseRole = "Choose learner, instructor or admin."

// AssignRoles is the role set an admin (actorID) gives the account id when asking for requested:
// everyone keeps learner, each known role counts once, an unknown role is named by its index, and
// an admin cannot remove their own admin role (so the last admin cannot lock everyone out).
func AssignRoles(actorID, id string, requested []string) ([]string, error) {
	set := []string{role.Learner}
	for i, r := range requested {
		if !slices.Contains(role.All, r) {
			return nil, apperr.InvalidFields(apperr.Field("roles["+strconv.Itoa(i)+"]", chooseRole))
		}
		if !slices.Contains(set, r) {
			set = append(set, r)
		}
	}
	if actorID == id && !slices.Contains(set, role.Admin) {
		return nil, apperr.New(apperr.Conflict, "You can’t remove your own admin role. Ask another admin to do it.")
	}
	return set, nil
}

// GrantRole is u's roles with granted added (once); an unknown role is refused, naming field.
func (u User) GrantRole(field, granted string) ([]string, *apperr.FieldError) {
	if !slices.Contains(role.All, granted) {
		f := apperr.Field(field, chooseRole)
		return nil, &f
	}
	roles := slices.Clone(u.Roles)
	if !slices.Contains(roles, granted) {
		roles = append(roles, granted)
	}
	return roles, nil
}

// MaxTimeZoneLen bounds a time zone name (IANA names are far shorter).
const MaxTimeZoneLen = 64

// ValidTimeZone reports whether Go knows tz as an IANA zone. "Local" (the server's zone) and ""
// (UTC by another name) are refused: the learner's zone must be named. PostgreSQL must know the
// zone too (progress computes weeks in SQL); the store checks that part.
func ValidTimeZone(tz string) bool {
	if tz == "" || tz == "Local" || len(tz) > MaxTimeZoneLen {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// hashToken is what is stored of a raw token: a leaked table does not hold working links.
func hashToken(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

// randomToken is a fresh 32-byte token, base64url without padding (43 characters).
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
