// Package token issues and verifies the short-lived access tokens (JWT, HS256).
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const (
	// Issuer and Audience are fixed: a token from another system never verifies here.
	Issuer   = "rapport"
	Audience = "rapport-api"
	// TTL is the lifetime of an access token.
	TTL = 15 * time.Minute
)

// Claims are what an access token carries.
type Claims struct {
	jwt.RegisteredClaims
	Type string `json:"typ"`
}

// Keys signs and verifies access tokens with one HMAC-SHA256 key.
type Keys struct {
	key  []byte
	now  func() time.Time
	seen verifiedTokens
}

// New returns Keys for key (at least 32 bytes) with the given clock.
func New(key []byte, now func() time.Time) (*Keys, error) {
	if len(key) < 32 {
		return nil, errors.New("token: key must be at least 32 bytes")
	}
	return &Keys{key: key, now: now}, nil
}

// Derive returns a key for another use of the same secret (signing expiring file links, say):
// HMAC-SHA256 of purpose under the token key, so a link signature can never pass as a token
// signature or the other way round, and rotating the secret ends both.
func (k *Keys) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Issue returns a signed access token for subject and its lifetime in seconds.
func (k *Keys) Issue(subject string) (string, int, error) {
	now := k.now()
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Audience:  jwt.ClaimStrings{Audience},
			Subject:   subject,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(TTL)),
			ID:        uuid.NewString(),
		},
		Type: "access",
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(k.key)
	if err != nil {
		return "", 0, fmt.Errorf("sign token: %w", err)
	}
	return s, int(TTL.Seconds()), nil
}

// ErrInvalid is returned for any token that does not verify; the reason is not exposed.
var ErrInvalid = errors.New("invalid or expired access token")

// Verify parses raw, accepting only HS256, a valid signature, our issuer and audience, a
// present and unexpired exp, and typ "access". It returns the subject.
//
// A token that verified is remembered until it expires (bounded, see verifiedTokens), so each
// further request with it costs a map lookup instead of base64, JSON and HMAC: the signature
// cannot change, and the time checks are made again on every call.
func (k *Keys) Verify(raw string) (string, error) {
	now := k.now()
	if v, ok := k.seen.get(raw); ok {
		if now.Before(v.notBefore) || !now.Before(v.notAfter) {
			return "", ErrInvalid
		}
		return v.subject, nil
	}
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return k.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(k.now),
		jwt.WithLeeway(leeway),
	)
	if err != nil || c.Type != "access" || c.Subject == "" {
		return "", ErrInvalid
	}
	// The same window jwt applied: issued at most leeway in the future, expired after leeway.
	k.seen.put(raw, verified{subject: c.Subject, notBefore: c.IssuedAt.Add(-leeway),
		notAfter: c.ExpiresAt.Add(leeway)})
	return c.Subject, nil
}

// leeway is the clock skew Verify tolerates.
const leeway = 5 * time.Second

// verified is what a token that verified proved, and the window in which it holds.
type verified struct {
	subject             string
	notBefore, notAfter time.Time
}

// verifiedTokens remembers tokens that verified. Bounded: a token lives 15 minutes, and when
// the map holds maxVerified of them it starts again empty (a re-verification is all that costs).
type verifiedTokens struct {
	mu sync.RWMutex
	m  map[string]verified
}

const maxVerified = 1 << 14

func (t *verifiedTokens) get(raw string) (verified, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	v, ok := t.m[raw]
	return v, ok
}

func (t *verifiedTokens) put(raw string, v verified) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil || len(t.m) >= maxVerified {
		t.m = make(map[string]verified, 64)
	}
	t.m[raw] = v
}
