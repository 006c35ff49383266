// Package identity owns accounts: users, passwords, sessions (access + rotating refresh tokens),
// roles, e-mail verification and password reset, and login throttling.
package identity

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// User is an account.
type User struct {
	ID              string
	Email           string
	Name            string
	Roles           []string
	EmailVerifiedAt *time.Time
	TimeZone        string
	WeeklyReminders bool
	CreatedAt       time.Time
}

// HasRole reports whether u holds role.
func (u User) HasRole(role string) bool { return slices.Contains(u.Roles, role) }

// Password rules. The upper bound keeps hashing cost bounded (a 10 kB password is refused).
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
	MaxNameLen     = 100
	// MaxUserQuery bounds an admin's account search: the longest e-mail address.
	MaxUserQuery = 254
)

// NormalizeEmail trims and lower-cases an address; e-mail is unique case-insensitively.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail checks a normalised address: a plain addr-spec, ASCII only (unicode addresses
// are refused with a clear message rather than stored in a form mail servers may reject).
func ValidateEmail(field, email string) *apperr.FieldError {
	if email == "" {
		f := apperr.Field(field, "Enter your e-mail address.")
		return &f
	}
	if len(email) > 254 {
		f := apperr.Field(field, "This e-mail address is too long: use at most 254 characters.")
		return &f
	}
	for _, r := range email {
		if r > unicode.MaxASCII || unicode.IsSpace(r) || unicode.IsControl(r) {
			f := apperr.Field(field, "Use an e-mail address without spaces or accented letters, such as name@company.com.")
			return &f
		}
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		f := apperr.Field(field, "Enter a valid e-mail address, such as name@company.com.")
		return &f
	}
	return nil
}

// ValidatePassword checks length bounds (in characters, capped in bytes too).
func ValidatePassword(field, pw string) *apperr.FieldError {
	n := utf8.RuneCountInString(pw)
	switch {
	case pw == "":
		f := apperr.Field(field, "Enter a password.")
		return &f
	case n < MinPasswordLen:
		f := apperr.Field(field, "Use at least 10 characters for your password.")
		return &f
	case len(pw) > MaxPasswordLen:
		f := apperr.Field(field, "This password is too long. Please choose a shorter one.")
		return &f
	}
	return nil
}

// NormalizeUserQuery checks an admin's account search and normalises it like an e-mail address.
func NormalizeUserQuery(q string) (string, *apperr.FieldError) {
	q, problem := text.Search(q, MaxUserQuery)
	if problem != "" {
		f := apperr.Field("query", problem)
		return "", &f
	}
	return NormalizeEmail(q), nil
}

// NormalizeName trims a display name and checks it.
func NormalizeName(field, name string) (string, *apperr.FieldError) {
	name, p := text.Line(name, MaxNameLen)
	switch p {
	case text.Empty:
		f := apperr.Field(field, "Enter your name.")
		return "", &f
	case text.TooLong:
		f := apperr.Field(field, "Use at most 100 characters for your name.")
		return "", &f
	case text.Unshowable:
		f := apperr.Field(field, "Your name contains characters we can’t show. Please remove them.")
		return "", &f
	}
	return name, nil
}
