package identity

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

var cheap = Argon2Params{Memory: 1024, Time: 1, Threads: 1}

func TestHashAndCheckPassword(t *testing.T) {
	h1, err := HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("correct horse battery", cheap)
	if h1 == h2 {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
	parts := strings.Split(h1, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" || parts[3] != "m=1024,t=1,p=1" ||
		len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Errorf("hash = %q, want $argon2id$v=19$m=1024,t=1,p=1$<16-byte salt>$<32-byte key>", h1)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batter", false}, {"Correct horse battery", false}, {"", false}} {
		if ok, err := CheckPassword(tc.pw, h1); ok != tc.want || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	// The cost is read from the hash, so raising the parameters keeps old hashes working.
	strong, _ := HashPassword("pw with other params", Argon2Params{Memory: 2048, Time: 2, Threads: 2})
	if ok, err := CheckPassword("pw with other params", strong); !ok || err != nil {
		t.Errorf("hash with other params: %v, %v", ok, err)
	}
}

func TestCheckPasswordRejectsMalformedHashes(t *testing.T) {
	good, _ := HashPassword("pw", cheap)
	p := strings.Split(good, "$")
	join := func(parts ...string) string { return strings.Join(parts, "$") }
	for name, h := range map[string]string{
		"empty":           "",
		"bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":         join("", "argon2i", p[2], p[3], p[4], p[5]),
		"old version":     join("", "argon2id", "v=16", p[3], p[4], p[5]),
		"bad params":      join("", "argon2id", p[2], "m=lots", p[4], p[5]),
		"salt not base64": join("", "argon2id", p[2], p[3], "!!!", p[5]),
		"key not base64":  join("", "argon2id", p[2], p[3], p[4], "***"),
		"too few parts":   join("", "argon2id", p[2], p[3], p[4]),
		"plain text":      "pw",
	} {
		if ok, err := CheckPassword("pw", h); ok || !errors.Is(err, errBadHash) {
			t.Errorf("%s: CheckPassword = %v, %v; want false, errBadHash", name, ok, err)
		}
	}
}

func TestValidateEmail(t *testing.T) {
	long := strings.Repeat("a", 243) + "@example.com" // 255
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"ann@example.com", true},
		{"ann.o'brien+tag@sub.example.co.uk", true},
		{strings.Repeat("a", 242) + "@example.com", true}, // 254
		{long, false},
		{"", false},
		{"ann", false},
		{"ann@", false},
		{"@example.com", false},
		{"ann@localhost", false},
		{"ann@example.com.", false},
		{"ann smith@example.com", false},
		{"Ann <ann@example.com>", false},
		{"ann@exämple.com", false},
		{"jöse@example.com", false},
		{"ann@example.com\n", false},
		{"ann@@example.com", false},
		{"a,b@example.com", false},
	} {
		if got := ValidateEmail("email", tc.in); (got == nil) != tc.ok {
			t.Errorf("ValidateEmail(%q) = %v, want ok=%v", tc.in, got, tc.ok)
		} else if got != nil && got.Field != "email" {
			t.Errorf("ValidateEmail(%q) names %q", tc.in, got.Field)
		}
	}
	if got := NormalizeEmail("  Ann.Smith@Example.COM \t"); got != "ann.smith@example.com" {
		t.Errorf("NormalizeEmail = %q", got)
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		name string
		pw   string
		ok   bool
	}{
		{"empty", "", false},
		{"9 characters", "123456789", false},
		{"10 characters", "1234567890", true},
		{"10 two-byte characters", strings.Repeat("ä", 10), true},
		{"9 two-byte characters (18 bytes)", strings.Repeat("ä", 9), false},
		{"256 bytes", strings.Repeat("x", 256), true},
		{"257 bytes", strings.Repeat("x", 257), false},
		{"129 two-byte characters (258 bytes)", strings.Repeat("ä", 129), false},
		{"10 kB", strings.Repeat("x", 10_000), false},
	} {
		if got := ValidatePassword("password", tc.pw); (got == nil) != tc.ok {
			t.Errorf("%s: ValidatePassword = %v, want ok=%v", tc.name, got, tc.ok)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"  Ann \t Smith\n", "Ann Smith", true},
		{"Zoë 😀", "Zoë 😀", true},
		{strings.Repeat("é", 100), strings.Repeat("é", 100), true},
		{strings.Repeat("é", 101), "", false},
		{"", "", false},
		{" \t\n", "", false},
		{"Ann\x00", "", false},
		{"Ann\x1b[31m", "", false},
	} {
		got, err := NormalizeName("name", tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("NormalizeName(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestEscapeLike(t *testing.T) {
	for in, want := range map[string]string{"ann": "ann", "50%": `50\%`, "a_b": `a\_b`, `c:\x`: `c:\\x`, "%_\\": `\%\_\\`} {
		if got := escapeLike(in); got != want {
			t.Errorf("escapeLike(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRateLimitedRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	for _, tc := range []struct {
		name   string
		oldest *time.Time
		want   int
	}{
		{"unknown oldest", nil, 900},
		{"oldest just now", at(0), 901},
		{"oldest 14 minutes ago", at(-14 * time.Minute), 61},
		{"oldest at the window's edge", at(-15 * time.Minute), 1},
		{"oldest before the window", at(-20 * time.Minute), 1},
	} {
		var ae *apperr.Error
		if err := rateLimited(now, tc.oldest); !errors.As(err, &ae) || ae.Kind != apperr.RateLimited || ae.RetryAfter != tc.want {
			t.Errorf("%s: rateLimited = %+v, want RateLimited with RetryAfter %d", tc.name, ae, tc.want)
		}
	}
}

func TestToUserReportsUTC(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	u := userRow{ID: "x", CreatedAt: time.Date(2026, 11, 23, 7, 0, 0, 0, est)}.toUser()
	if u.CreatedAt.Location() != time.UTC || u.CreatedAt.Hour() != 12 {
		t.Errorf("CreatedAt = %s, want the same instant in UTC (API times are UTC)", u.CreatedAt)
	}
}

func TestHashTokenIsSHA256(t *testing.T) {
	want := sha256.Sum256([]byte("raw-token"))
	if got := hashToken("raw-token"); string(got) != string(want[:]) {
		t.Error("hashToken is not SHA-256 of the raw token")
	}
	a, _ := randomToken()
	b, _ := randomToken()
	if a == b || len(a) != 43 {
		t.Errorf("randomToken = %q, %q; want distinct 32-byte base64url values", a, b)
	}
}

// The dummy hash for unknown e-mails must cost what a real one costs, so it must use the
// service's parameters; the default parameters are OWASP's.
func TestServiceTimingEqualiser(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	deps := testDeps(t)
	deps.JWTSecret, deps.Params = key, cheap
	s, err := NewService(context.Background(), deps)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.dummyHash, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("dummy hash %q does not use the service's parameters", s.dummyHash)
	}
	deps.Params = Argon2Params{}
	def, err := NewService(context.Background(), deps)
	if err != nil {
		t.Fatal(err)
	}
	if def.params != OWASPParams || !strings.HasPrefix(def.dummyHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("default params = %+v, dummy %q; want OWASP's", def.params, def.dummyHash)
	}
	deps.JWTSecret = key[:31]
	if _, err := NewService(context.Background(), deps); err == nil {
		t.Error("NewService accepted a 31-byte JWT key")
	}
}
