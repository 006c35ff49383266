package token_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rapport-hq/rapport/internal/platform/token"
)

var (
	key   = []byte("0123456789abcdef0123456789abcdef") // exactly 32 bytes
	other = []byte("fedcba9876543210fedcba9876543210")
)

const subject = "8d3c1a6e-9a52-4c41-9b43-6c3d0c6e2b10"

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustKeys(t *testing.T, k []byte, now func() time.Time) *token.Keys {
	t.Helper()
	keys, err := token.New(k, now)
	if err != nil {
		t.Fatalf("token.New: %v", err)
	}
	return keys
}

func TestNewRequires32ByteKey(t *testing.T) {
	for _, n := range []int{0, 16, 31} {
		if _, err := token.New(make([]byte, n), time.Now); err == nil {
			t.Errorf("New with a %d-byte key succeeded, want an error", n)
		}
	}
	for _, n := range []int{32, 64} {
		if _, err := token.New(make([]byte, n), time.Now); err != nil {
			t.Errorf("New with a %d-byte key: %v", n, err)
		}
	}
}

func TestIssueThenVerify(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	keys := mustKeys(t, key, fixed(now))
	raw, ttl, err := keys.Issue(subject)
	if err != nil {
		t.Fatal(err)
	}
	if ttl != 900 || token.TTL != 15*time.Minute {
		t.Errorf("expires_in = %d (TTL %s), want 900 (15m)", ttl, token.TTL)
	}
	got, err := keys.Verify(raw)
	if err != nil || got != subject {
		t.Fatalf("Verify = %q, %v; want %q", got, err, subject)
	}

	// The header and claims are exactly what the API contract fixes.
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var hdr map[string]any
	decodeSegment(t, parts[0], &hdr)
	if hdr["alg"] != "HS256" {
		t.Errorf("alg = %v, want HS256", hdr["alg"])
	}
	var c map[string]any
	decodeSegment(t, parts[1], &c)
	want := map[string]any{"iss": "rapport", "sub": subject, "typ": "access",
		"iat": float64(now.Unix()), "exp": float64(now.Add(15 * time.Minute).Unix())}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s = %v, want %v", k, c[k], v)
		}
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != "rapport-api" {
		t.Errorf("aud = %v, want [rapport-api]", c["aud"])
	}
	if jti, _ := c["jti"].(string); jti == "" {
		t.Error("no jti")
	}
	raw2, _, _ := keys.Issue(subject)
	if raw2 == raw {
		t.Error("two tokens issued in the same second are identical; jti should differ")
	}
}

func TestVerifyAcrossTime(t *testing.T) {
	issued := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	raw, _, err := mustKeys(t, key, fixed(issued)).Issue(subject)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"just issued", issued, true},
		{"one minute before expiry", issued.Add(14 * time.Minute), true},
		{"within the 5 s leeway after expiry", issued.Add(15*time.Minute + 3*time.Second), true},
		{"past expiry and leeway", issued.Add(15*time.Minute + 10*time.Second), false},
		{"hours later", issued.Add(3 * time.Hour), false},
		{"issued in the future (verifier clock behind)", issued.Add(-time.Minute), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustKeys(t, key, fixed(tt.at)).Verify(raw)
			if (err == nil) != tt.ok {
				t.Errorf("Verify at %s: err = %v, want ok=%v", tt.at.Sub(issued), err, tt.ok)
			}
		})
	}
	// One Keys remembers a token that verified: the remembered answer must follow the clock the
	// same way, whichever moment verified it first.
	t.Run("remembered tokens keep their window", func(t *testing.T) {
		now := issued
		keys := mustKeys(t, key, func() time.Time { return now })
		if sub, err := keys.Verify(raw); err != nil || sub != subject {
			t.Fatalf("first Verify = %q, %v", sub, err)
		}
		for _, tt := range tests {
			now = tt.at
			if _, err := keys.Verify(raw); (err == nil) != tt.ok {
				t.Errorf("remembered Verify at %s: err = %v, want ok=%v", tt.at.Sub(issued), err, tt.ok)
			}
		}
	})
}

func TestVerifyRejectsForgeries(t *testing.T) {
	now := time.Now()
	keys := mustKeys(t, key, fixed(now))
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": token.Issuer, "aud": []string{token.Audience}, "sub": subject,
			"iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "typ": "access"}
	}
	with := func(k string, v any) jwt.MapClaims {
		c := good()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  string
	}{
		{"alg none", sign(t, jwt.SigningMethodNone, good(), jwt.UnsafeAllowNoneSignatureType)},
		{"HS512 with the right key", sign(t, jwt.SigningMethodHS512, good(), key)},
		{"HS384 with the right key", sign(t, jwt.SigningMethodHS384, good(), key)},
		{"RS256", sign(t, jwt.SigningMethodRS256, good(), rsaKey)},
		{"RS256 header over an HMAC signature", hmacWithHeader(t, `{"alg":"RS256","typ":"JWT"}`, good(), key)},
		{"wrong secret", sign(t, jwt.SigningMethodHS256, good(), other)},
		{"expired", sign(t, jwt.SigningMethodHS256, with("exp", now.Add(-time.Hour).Unix()), key)},
		{"no exp", sign(t, jwt.SigningMethodHS256, with("exp", nil), key)},
		{"iat in the future", sign(t, jwt.SigningMethodHS256, with("iat", now.Add(time.Hour).Unix()), key)},
		{"wrong audience", sign(t, jwt.SigningMethodHS256, with("aud", []string{"other-api"}), key)},
		{"no audience", sign(t, jwt.SigningMethodHS256, with("aud", nil), key)},
		{"wrong issuer", sign(t, jwt.SigningMethodHS256, with("iss", "evil"), key)},
		{"no issuer", sign(t, jwt.SigningMethodHS256, with("iss", nil), key)},
		{"typ refresh", sign(t, jwt.SigningMethodHS256, with("typ", "refresh"), key)},
		{"no typ", sign(t, jwt.SigningMethodHS256, with("typ", nil), key)},
		{"typ Access (case)", sign(t, jwt.SigningMethodHS256, with("typ", "Access"), key)},
		{"empty subject", sign(t, jwt.SigningMethodHS256, with("sub", ""), key)},
		{"no subject", sign(t, jwt.SigningMethodHS256, with("sub", nil), key)},
		{"garbage", "not-a-token"},
		{"empty", ""},
		{"two segments", "eyJhbGciOiJIUzI1NiJ9.e30"},
	}
	// Sanity: the forging helper makes tokens that do verify when nothing is wrong, so each
	// rejection below is for the stated reason.
	if got, err := keys.Verify(sign(t, jwt.SigningMethodHS256, good(), key)); err != nil || got != subject {
		t.Fatalf("control token: %q, %v", got, err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := keys.Verify(tt.raw)
			if err == nil || got != "" {
				t.Fatalf("Verify = %q, %v; want rejection", got, err)
			}
			if err != token.ErrInvalid {
				t.Errorf("err = %v, want token.ErrInvalid (no reason leaked)", err)
			}
		})
	}
	t.Run("tampered payload", func(t *testing.T) {
		raw, _, _ := keys.Issue(subject)
		parts := strings.Split(raw, ".")
		var c map[string]any
		decodeSegment(t, parts[1], &c)
		c["sub"] = "00000000-0000-0000-0000-000000000000"
		b, _ := json.Marshal(c)
		forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
		if got, err := keys.Verify(forged); err == nil {
			t.Fatalf("tampered token verified as %q", got)
		}
	})
}

func TestKeysDoNotShareTokens(t *testing.T) {
	raw, _, _ := mustKeys(t, key, time.Now).Issue(subject)
	if _, err := mustKeys(t, other, time.Now).Verify(raw); err == nil {
		t.Fatal("a token signed with one key verified with another")
	}
}

func sign(t *testing.T, m jwt.SigningMethod, c jwt.MapClaims, k any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(k)
	if err != nil {
		t.Fatalf("sign %s: %v", m.Alg(), err)
	}
	return s
}

// hmacWithHeader builds a token with an arbitrary header but a valid HS256 signature, the classic
// algorithm-confusion forgery.
func hmacWithHeader(t *testing.T, header string, c jwt.MapClaims, k []byte) string {
	t.Helper()
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	signing := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, k)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func decodeSegment(t *testing.T, seg string, dst any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("decode segment: %v", err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		t.Fatalf("segment JSON: %v", err)
	}
}
