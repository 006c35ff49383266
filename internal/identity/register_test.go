package identity_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestRegister(t *testing.T) {
	a := apptest.New(t, nil)
	local := "Mixed-" + randomHex(5)
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
		Body: map[string]string{"email": "  " + local + "@Example.COM ", "password": "exactly10!", "name": "  Ann \t  Smith "}}).
		Want(http.StatusCreated)
	email := strings.ToLower(local) + "@example.com"

	t.Run("body shape", func(t *testing.T) {
		body := r.JSON()
		if got := sortedKeys(body); !slices.Equal(got, []string{"access_token", "expires_in", "user"}) {
			t.Errorf("top-level keys = %v", got)
		}
		user, _ := body["user"].(map[string]any)
		if got := sortedKeys(user); !slices.Equal(got, []string{"email", "id", "name", "roles"}) {
			t.Errorf("user keys = %v", got)
		}
		if id, _ := user["id"].(string); !uuidRE.MatchString(id) {
			t.Errorf("id = %v, want a UUID", user["id"])
		}
		if user["email"] != email {
			t.Errorf("email = %v, want it trimmed and lower-cased: %s", user["email"], email)
		}
		if user["name"] != "Ann Smith" {
			t.Errorf("name = %q, want spaces collapsed: Ann Smith", user["name"])
		}
		if roles, _ := user["roles"].([]any); len(roles) != 1 || roles[0] != "learner" {
			t.Errorf("roles = %v, want [learner]", user["roles"])
		}
		if body["expires_in"] != float64(900) {
			t.Errorf("expires_in = %v, want 900", body["expires_in"])
		}
		if tok, _ := body["access_token"].(string); strings.Count(tok, ".") != 2 {
			t.Errorf("access_token = %q, want a JWT", tok)
		}
	})

	t.Run("refresh cookie attributes", func(t *testing.T) {
		ck := r.Cookie(identity.RefreshCookie)
		if ck == nil {
			t.Fatalf("no %s cookie; Set-Cookie: %v", identity.RefreshCookie, r.Header().Values("Set-Cookie"))
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/api/v1/auth" || ck.Secure {
			t.Errorf("cookie = %+v, want HttpOnly, SameSite=Lax, Path=/api/v1/auth, not Secure on http", ck)
		}
		if ck.MaxAge != int(identity.RefreshTTL/time.Second) || len(ck.Value) < 40 {
			t.Errorf("cookie MaxAge = %d, value length %d; want 30 days and a long random value", ck.MaxAge, len(ck.Value))
		}
	})

	t.Run("the new session works", func(t *testing.T) {
		var s sessionBody
		r.Decode(&s)
		code, body := me(t, a, s.AccessToken)
		if code != http.StatusOK || body["email"] != email || body["email_verified"] != false {
			t.Fatalf("GET /me = %d %v", code, body)
		}
		login(t, a, email, "exactly10!")
		login(t, a, strings.ToUpper(email), "exactly10!")
	})

	t.Run("same e-mail in another case is a conflict", func(t *testing.T) {
		before := count(t, a, "SELECT count(*) FROM users")
		r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
			Body: map[string]string{"email": strings.ToUpper(email), "password": password, "name": "Other"}})
		p := wantProblem(t, r, http.StatusConflict)
		if !p.has("email") {
			t.Errorf("409 does not name email: %+v", p)
		}
		if r.Cookie(identity.RefreshCookie) != nil {
			t.Error("a failed registration set a refresh cookie")
		}
		if after := count(t, a, "SELECT count(*) FROM users"); after != before {
			t.Errorf("users %d → %d after a duplicate registration", before, after)
		}
		login(t, a, email, "exactly10!") // the original password still works
	})

	t.Run("password is stored as argon2id", func(t *testing.T) {
		var hash string
		if err := a.DB.Gorm.Raw("SELECT password_hash FROM users WHERE email = ?", email).Scan(&hash).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$v=19$") || strings.Contains(hash, "exactly10!") {
			t.Fatalf("stored hash = %q, want an argon2id PHC string", hash)
		}
		if ok, err := identity.CheckPassword("exactly10!", hash); !ok || err != nil {
			t.Errorf("CheckPassword(right) = %v, %v", ok, err)
		}
		if ok, _ := identity.CheckPassword("exactly10?", hash); ok {
			t.Error("CheckPassword(wrong) = true")
		}
	})
}

func TestOWASPParams(t *testing.T) {
	want := identity.Argon2Params{Memory: 19456, Time: 2, Threads: 1}
	if identity.OWASPParams != want {
		t.Fatalf("OWASPParams = %+v, want m=19456,t=2,p=1", identity.OWASPParams)
	}
	h, err := identity.HashPassword(password, identity.OWASPParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q", h)
	}
}

func TestRefreshCookieIsSecureBehindHTTPS(t *testing.T) {
	a := apptest.New(t, map[string]string{"PUBLIC_URL": "https://rapport.example"})
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
		Body: map[string]string{"email": uniqueEmail("secure"), "password": password, "name": "Sec"}}).Want(http.StatusCreated)
	ck := r.Cookie(identity.RefreshCookie)
	if ck == nil || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie = %+v, want Secure, HttpOnly, SameSite=Lax", ck)
	}
	// The cookie that logout clears must carry the same attributes, or browsers keep the old one.
	out := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout", Cookie: []*http.Cookie{ck}}).Want(http.StatusNoContent)
	cleared := out.Cookie(identity.RefreshCookie)
	if cleared == nil || cleared.MaxAge >= 0 || !cleared.Secure || cleared.Path != "/api/v1/auth" {
		t.Errorf("logout cookie = %+v, want an expired Secure cookie on /api/v1/auth", cleared)
	}
}

func TestRegisterRejectsBadInput(t *testing.T) {
	a := apptest.New(t, nil)
	ok := func(kv ...string) map[string]any {
		m := map[string]any{"email": uniqueEmail("bad"), "password": password, "name": "Bad Input"}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "<nil>" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	tests := []struct {
		name   string
		body   any
		header map[string]string
		want   int
		fields []string
	}{
		{"password of 9 characters", ok("password", "123456789"), nil, 422, []string{"password"}},
		{"short password", ok("password", "short"), nil, 422, []string{"password"}},
		{"10 kB password", ok("password", strings.Repeat("p", 10_000)), nil, 422, []string{"password"}},
		{"every field missing", map[string]any{}, nil, 422, []string{"email", "password", "name"}},
		{"email missing", ok("email", "<nil>"), nil, 422, []string{"email"}},
		{"password missing", ok("password", "<nil>"), nil, 422, []string{"password"}},
		{"name missing", ok("name", "<nil>"), nil, 422, []string{"name"}},
		{"name blank", ok("name", " \t "), nil, 422, []string{"name"}},
		{"name too long", ok("name", strings.Repeat("n", 101)), nil, 422, []string{"name"}},
		{"name with control characters", ok("name", "Ann\x00Smith"), nil, 422, []string{"name"}},
		{"two bad fields at once", ok("email", "nope", "password", "short"), nil, 422, []string{"email", "password"}},
		{"unicode local part", ok("email", "josé-"+randomHex(4)+"@example.com"), nil, 422, []string{"email"}},
		{"unicode domain", ok("email", "ann-"+randomHex(4)+"@exämple.com"), nil, 422, []string{"email"}},
		{"no at sign", ok("email", "plainaddress"), nil, 422, []string{"email"}},
		{"display-name form", ok("email", "Ann <ann-"+randomHex(4)+"@example.com>"), nil, 422, []string{"email"}},
		{"no dot in domain", ok("email", "ann@localhost"), nil, 422, []string{"email"}},
		{"SQL in e-mail", ok("email", "x' OR '1'='1@example.com"), nil, 422, []string{"email"}},
		{"e-mail too long", ok("email", strings.Repeat("a", 250)+"@example.com"), nil, 422, []string{"email"}},
		{"e-mail of the wrong type", map[string]any{"email": 5, "password": password, "name": "N"}, nil, 422, []string{"email"}},
		{"unknown field", map[string]any{"email": uniqueEmail("bad"), "password": password, "name": "N", "roles": []string{"admin"}}, nil, 422, []string{"roles"}},
		{"JSON array", "[]", nil, 422, nil},
		{"two JSON objects", `{"email":"a@example.com"}{}`, nil, 422, nil},
		{"no body", nil, nil, 422, nil},
		{"empty JSON body", "", nil, 422, nil},
		{"malformed JSON", `{"email": "a@example.com", "password": `, nil, 400, nil},
		{"not JSON at all", `email=a@example.com`, nil, 400, nil},
		{"text/plain", ok(), map[string]string{"Content-Type": "text/plain"}, 415, nil},
		{"form encoded", "email=a%40example.com", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, nil},
	}
	usersBefore := count(t, a, "SELECT count(*) FROM users")
	tokensBefore := count(t, a, "SELECT count(*) FROM refresh_tokens") + count(t, a, "SELECT count(*) FROM user_tokens")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register", Body: tt.body, Header: tt.header})
			p := wantProblem(t, r, tt.want)
			for _, f := range tt.fields {
				if !p.has(f) {
					t.Errorf("errors %v do not name %q", p.fields(), f)
				}
			}
			if r.Cookie(identity.RefreshCookie) != nil {
				t.Error("a failed registration set a refresh cookie")
			}
			if m, isMap := tt.body.(map[string]any); isMap {
				if e, _ := m["email"].(string); e != "" {
					if n := count(t, a, "SELECT count(*) FROM users WHERE email = lower(btrim(?))", e); n != 0 {
						t.Errorf("%d user rows written for %q", n, e)
					}
				}
			}
		})
	}
	if after := count(t, a, "SELECT count(*) FROM users"); after != usersBefore {
		t.Errorf("users %d → %d after only failed registrations", usersBefore, after)
	}
	if after := count(t, a, "SELECT count(*) FROM refresh_tokens") + count(t, a, "SELECT count(*) FROM user_tokens"); after != tokensBefore {
		t.Errorf("tokens %d → %d after only failed registrations", tokensBefore, after)
	}

	t.Run("empty body as a real server sees it", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/api/v1/auth/register", nil)
		req.Header.Set("Content-Type", "application/json")
		req.Body, req.ContentLength = http.NoBody, 0
		rec := httptest.NewRecorder()
		a.Echo.ServeHTTP(rec, req)
		mustProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), 422)
	})

	t.Run("a rejected account cannot sign in", func(t *testing.T) {
		email := uniqueEmail("weak")
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
			Body: map[string]string{"email": email, "password": "short", "name": "Weak"}}).Want(422)
		if rec := loginFrom(t, a, freshIP(), email, "short"); rec.Code != http.StatusUnauthorized {
			t.Errorf("login after a rejected registration = %d, want 401", rec.Code)
		}
		if rec := loginFrom(t, a, freshIP(), email, "short-but-long"); rec.Code != http.StatusUnauthorized {
			t.Errorf("login after a rejected registration = %d, want 401", rec.Code)
		}
	})
}

func TestRegisterStoresHostileStringsSafely(t *testing.T) {
	a := apptest.New(t, nil)
	tests := []struct{ email, name string }{
		{"o'brien-" + randomHex(4) + "@example.com", "Robert'); DROP TABLE users;--"},
		{"x-" + randomHex(4) + "@example.com", `" OR 1=1 --`},
		{"pct-" + randomHex(4) + "@example.com", `50%_off\ <b>bold</b>`},
		{"back-" + randomHex(4) + "@example.com", "Zoë 😀 Łukasz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
				Body: map[string]string{"email": tt.email, "password": password, "name": tt.name}}).Want(http.StatusCreated)
			var s sessionBody
			r.Decode(&s)
			if s.User.Name != tt.name || s.User.Email != tt.email {
				t.Errorf("stored %q <%s>, want %q <%s>", s.User.Name, s.User.Email, tt.name, tt.email)
			}
			var name string
			if err := a.DB.Gorm.Raw("SELECT name FROM users WHERE id = ?", s.User.ID).Scan(&name).Error; err != nil || name != tt.name {
				t.Errorf("database name = %q (%v), want %q", name, err, tt.name)
			}
		})
	}
	if n := count(t, a, "SELECT count(*) FROM users"); n < int64(len(tests)) {
		t.Errorf("users table has %d rows after the hostile names", n)
	}
}

func TestRegisterConcurrentDuplicates(t *testing.T) {
	a := apptest.New(t, nil)
	email := uniqueEmail("race")
	const n = 6
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"email":"` + email + `","password":"` + password + `","name":"Racer"}`
			codes[i] = a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register", Body: body}).Code
		}()
	}
	wg.Wait()
	created, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
		}
	}
	if created != 1 || conflicts != n-1 {
		t.Fatalf("codes = %v, want one 201 and %d × 409", codes, n-1)
	}
	if got := count(t, a, "SELECT count(*) FROM users WHERE email = ?", email); got != 1 {
		t.Errorf("%d rows for %s", got, email)
	}
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
