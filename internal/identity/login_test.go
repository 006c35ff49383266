package identity_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
)

func TestLogin(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "login", "")

	rec := loginFrom(t, a, freshIP(), "  "+strings.ToUpper(acc.Email)+" ", password)
	if rec.Code != http.StatusOK {
		t.Fatalf("login = %d: %s", rec.Code, rec.Body)
	}
	var s sessionBody
	got := toAccount(t, rec.Body.Bytes(), cookieOf(rec, identity.RefreshCookie), acc.Email, password)
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if s.User.ID != acc.ID || s.User.Email != acc.Email || !slices.Equal(s.User.Roles, []string{"learner"}) || s.ExpiresIn != 900 {
		t.Errorf("login body = %+v, want the registered user", s)
	}
	if got.Refresh.Value == acc.Refresh.Value {
		t.Error("login reused the registration's refresh token; each login is a new session")
	}
	ck := got.Refresh
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/api/v1/auth" || ck.Secure {
		t.Errorf("cookie = %+v", ck)
	}
	if code, body := me(t, a, got.Access); code != http.StatusOK || body["id"] != acc.ID {
		t.Errorf("GET /me with the login token = %d %v", code, body)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "alike", "")
	wrong := loginFrom(t, a, freshIP(), acc.Email, "wrong password!")
	unknown := loginFrom(t, a, freshIP(), uniqueEmail("nobody"), password)
	for name, rec := range map[string]*httptest.ResponseRecorder{"wrong password": wrong, "unknown e-mail": unknown} {
		mustProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), http.StatusUnauthorized)
		if cookieOf(rec, identity.RefreshCookie) != nil {
			t.Errorf("%s set a refresh cookie", name)
		}
	}
	if wrong.Body.String() != unknown.Body.String() {
		t.Errorf("bodies differ, which tells who has an account:\n wrong password: %s\n unknown e-mail: %s", wrong.Body, unknown.Body)
	}

	tests := []struct {
		name, email, password string
		want                  int
		field                 string
	}{
		{"empty password", acc.Email, "", 422, "password"},
		{"missing e-mail", "", password, 422, "email"},
		{"malformed e-mail", "not-an-email", password, 422, "email"},
		{"300-byte password", acc.Email, strings.Repeat("x", 300), 422, "password"},
		{"right e-mail, password with trailing space", acc.Email, password + " ", 401, ""},
		{"right e-mail, password in other case", acc.Email, strings.ToUpper(password), 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := loginFrom(t, a, freshIP(), tt.email, tt.password)
			p := mustProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), tt.want)
			if tt.field != "" && !p.has(tt.field) {
				t.Errorf("errors %v do not name %s", p.fields(), tt.field)
			}
		})
	}
}

func TestLoginThrottlesOneEmail(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "throttle", "")
	ip := freshIP()
	for i := 1; i <= identity.MaxEmailFailures; i++ {
		if rec := loginFrom(t, a, ip, acc.Email, "wrong password "+strconv.Itoa(i)); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401: %s", i, rec.Code, rec.Body)
		}
	}
	// The 6th attempt is refused even with the right password, from any address, in any case.
	for _, tc := range []struct{ name, ip, email, pw string }{
		{"right password", ip, acc.Email, password},
		{"right password from elsewhere", freshIP(), acc.Email, password},
		{"upper-case e-mail", freshIP(), strings.ToUpper(acc.Email), password},
		{"wrong password", freshIP(), acc.Email, "still wrong!"},
	} {
		rec := loginFrom(t, a, tc.ip, tc.email, tc.pw)
		mustProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), http.StatusTooManyRequests)
		if ra := retryAfter(t, rec); ra < 1 || ra > int(identity.FailureWindow.Seconds())+1 {
			t.Errorf("%s: Retry-After = %d, want 1..901", tc.name, ra)
		}
		if cookieOf(rec, identity.RefreshCookie) != nil {
			t.Errorf("%s: a throttled login set a cookie", tc.name)
		}
	}
	// Another account is not affected by this e-mail's failures.
	login(t, a, signedIn(t, a, "bystander", "").Email, password)

	a.Advance(16 * time.Minute)
	got := login(t, a, acc.Email, password)
	if code, _ := me(t, a, got.Access); code != http.StatusOK {
		t.Errorf("GET /me after the window = %d", code)
	}
}

func TestSuccessfulLoginClearsFailures(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "clears", "")
	for round := range 3 {
		for i := range identity.MaxEmailFailures - 1 {
			if rec := loginFrom(t, a, freshIP(), acc.Email, "nope nope nope"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("round %d failure %d = %d", round, i, rec.Code)
			}
		}
		login(t, a, acc.Email, password)
	}
}

func TestLoginThrottlesOneAddress(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "ipvictim", "")
	ip := freshIP()
	for i := range identity.MaxIPFailures {
		if rec := loginFrom(t, a, ip, uniqueEmail("spray"), password); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i+1, rec.Code)
		}
	}
	rec := loginFrom(t, a, ip, acc.Email, password)
	mustProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), http.StatusTooManyRequests)
	if ra := retryAfter(t, rec); ra < 1 || ra > 901 {
		t.Errorf("Retry-After = %d", ra)
	}
	login(t, a, acc.Email, password) // another address is fine

	a.Advance(16 * time.Minute)
	if rec := loginFrom(t, a, ip, acc.Email, password); rec.Code != http.StatusOK {
		t.Errorf("after the window the address is still refused: %d", rec.Code)
	}
}

// A client that is not a trusted proxy cannot dodge the per-address limit by sending its own
// X-Forwarded-For: the address that counts is the peer's.
func TestLoginIgnoresSpoofedForwardedFor(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "spoof", "")
	peer := "203.0.113." + strconv.Itoa(int(ipSeq.Add(1)%250)+1) + ":5555"
	try := func(email, pw string) int {
		return doFrom(t, a, peer, map[string]string{"X-Forwarded-For": freshIP()}, "POST", "/api/v1/auth/login",
			map[string]string{"email": email, "password": pw}).Code
	}
	for i := range identity.MaxIPFailures {
		if code := try(uniqueEmail("spoof"), password); code != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, code)
		}
	}
	if code := try(acc.Email, password); code != http.StatusTooManyRequests {
		t.Fatalf("21st attempt with a new spoofed X-Forwarded-For = %d, want 429", code)
	}
}

// Unknown e-mails and wrong passwords must cost about the same, or response times reveal who
// has an account. The bound is loose on purpose; it catches a skipped hash, not jitter.
func TestLoginTimingDoesNotRevealAccounts(t *testing.T) {
	a := apptest.New(t, nil)
	users := make([]account, 4)
	for i := range users {
		users[i] = signedIn(t, a, "timing", "")
	}
	const n = 9
	var known, unknown []time.Duration
	measure := func(email, pw string) time.Duration {
		start := time.Now()
		rec := loginFrom(t, a, freshIP(), email, pw)
		d := time.Since(start)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("timing login = %d, want 401", rec.Code)
		}
		return d
	}
	measure(uniqueEmail("warm"), password) // warm-up
	for i := range n {
		known = append(known, measure(users[i%len(users)].Email, "wrong password"))
		unknown = append(unknown, measure(uniqueEmail("ghost"), "wrong password"))
	}
	mk, mu := median(known), median(unknown)
	ratio := float64(mu) / float64(mk)
	t.Logf("median wrong password %s, unknown e-mail %s, ratio %.2f", mk, mu, ratio)
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("unknown e-mail / wrong password time = %.2f (medians %s vs %s), want 0.5..2", ratio, mu, mk)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func retryAfter(t *testing.T, rec *httptest.ResponseRecorder) int {
	t.Helper()
	v := rec.Header().Get("Retry-After")
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("Retry-After = %q, want whole seconds", v)
	}
	return n
}
