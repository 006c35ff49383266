package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/token"
)

// TestPublicRoutesIgnoreABadToken: a browser that still holds an expired or broken access token
// must be able to sign in, register, recover its password and browse the public pages; the token
// is ignored (the caller is anonymous), and the answer says so in WWW-Authenticate so the client
// knows to refresh. Routes that need a user still answer 401.
func TestPublicRoutesIgnoreABadToken(t *testing.T) {
	a := apptest.New(t, nil)
	secret := []byte(apptest.Env(t, nil)("JWT_SECRET"))
	acc := signedIn(t, a, "stale", "")
	past, err := token.New(secret, func() time.Time { return time.Now().Add(-2 * time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	expired, _, err := past.Issue(acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{
		"expired":      "Bearer " + expired,
		"garbage":      "Bearer not.a.jwt",
		"Basic scheme": "Basic dXNlcjpwYXNz",
	}
	type call struct {
		name, method, path string
		body               func() any
		cookie             bool
		want               int
	}
	calls := []call{
		{"login", "POST", "/api/v1/auth/login", func() any { return map[string]string{"email": acc.Email, "password": password} }, false, 200},
		{"register", "POST", "/api/v1/auth/register", func() any {
			return map[string]string{"email": uniqueEmail("fresh"), "password": password, "name": "Fresh"}
		}, false, 201},
		{"forgot", "POST", "/api/v1/auth/password/forgot", func() any { return map[string]string{"email": acc.Email} }, false, 202},
		{"reset with an unknown link", "POST", "/api/v1/auth/password/reset", func() any {
			return map[string]string{"token": "no-such-token", "password": password}
		}, false, 0},
		{"verify with an unknown link", "POST", "/api/v1/auth/verify-email", func() any { return map[string]string{"token": "no-such-token"} }, false, 0},
		{"plans", "GET", "/api/v1/plans", nil, false, 200},
		{"catalog", "GET", "/api/v1/modules", nil, false, 200},
		{"unknown certificate", "GET", "/api/v1/certificates/NO-SUCH-CODE", nil, false, 404},
		{"unknown invite", "GET", "/api/v1/invites/no-such-token", nil, false, 404},
		{"logout without a session", "POST", "/api/v1/auth/logout", nil, false, 204},
	}
	for _, c := range calls {
		for hname, h := range headers {
			t.Run(c.name+", "+hname, func(t *testing.T) {
				req := func(hdr map[string]string) *apptest.Response {
					var body any
					if c.body != nil {
						body = c.body()
					}
					return a.Do(apptest.Request{Method: c.method, Path: c.path, Body: body, Header: hdr})
				}
				want := c.want
				if want == 0 { // whatever an anonymous caller gets, as long as it is not about the token
					want = req(nil).Code
					if want == http.StatusUnauthorized {
						t.Fatalf("%s answers 401 even anonymously", c.path)
					}
				}
				r := req(map[string]string{"Authorization": h})
				if r.Code != want {
					t.Fatalf("status = %d, want %d as anonymous; body: %s", r.Code, want, r.Body)
				}
				if got := r.Header().Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
					t.Errorf("WWW-Authenticate = %q, want the invalid_token hint", got)
				}
			})
		}
	}

	t.Run("refresh with a stale bearer", func(t *testing.T) {
		r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{acc.Refresh},
			Header: map[string]string{"Authorization": "Bearer " + expired}})
		r.Want(http.StatusOK)
	})
	t.Run("a valid token gets no hint", func(t *testing.T) {
		fresh := login(t, a, acc.Email, password)
		r := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules", Token: fresh.Access}).Want(http.StatusOK)
		if got := r.Header().Get("WWW-Authenticate"); got != "" {
			t.Errorf("WWW-Authenticate = %q on a valid token", got)
		}
	})
	t.Run("routes that need a user still answer 401", func(t *testing.T) {
		for _, path := range []string{"/api/v1/me", "/api/v1/progress", "/api/v1/teams", "/api/v1/admin/users"} {
			r := a.Do(apptest.Request{Method: "GET", Path: path, Token: expired})
			p := wantProblem(t, r, http.StatusUnauthorized)
			if !strings.Contains(p.Detail, "expired") {
				t.Errorf("%s: detail %q does not say the session expired", path, p.Detail)
			}
			if r.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", path)
			}
			anon := wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: path}), http.StatusUnauthorized)
			if !strings.Contains(anon.Detail, "sign in") {
				t.Errorf("%s anonymously: detail %q does not ask to sign in", path, anon.Detail)
			}
		}
	})
}
