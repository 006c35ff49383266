package identity_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// password is a valid password used by most scenarios (apptest.NewUser's).
const password = apptest.Password

// account is a signed-in user as a client sees it.
type account struct {
	ID, Email, Password, Name string
	Access                    string
	Refresh                   *http.Cookie
}

// sessionBody is the JSON of register and login.
type sessionBody struct {
	User struct {
		ID    string   `json:"id"`
		Email string   `json:"email"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	} `json:"user"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// problem is an RFC 9457 body.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (p problem) fields() []string {
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}

func (p problem) has(field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// uniqueEmail returns a fresh lower-case address: the package shares one database and Mailpit.
func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s-%s@example.com", prefix, randomHex(5))
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

var ipSeq atomic.Uint32

// freshIP returns a private address no other test uses. Every failing login in this package must
// come from its own address: throttling counts failures per address across the whole database.
func freshIP() string {
	n := ipSeq.Add(1)
	return fmt.Sprintf("10.%d.%d.%d", 100+n/65536%100, n/256%256, n%256)
}

// mustProblem decodes a problem+json response with the wanted status.
func mustProblem(t *testing.T, code int, ct string, body []byte, want int) problem {
	t.Helper()
	if code != want {
		t.Fatalf("status = %d, want %d; body: %s", code, want, body)
	}
	if !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body: %v\n%s", err, body)
	}
	if p.Status != want || p.Title == "" || p.Type == "" {
		t.Errorf("problem = %+v, want status %d with type and title", p, want)
	}
	return p
}

func wantProblem(t *testing.T, r *apptest.Response, want int) problem {
	t.Helper()
	return mustProblem(t, r.Code, r.Header().Get("Content-Type"), r.Body.Bytes(), want)
}

// wantFields asserts a 422 naming every field in fields.
func wantFields(t *testing.T, r *apptest.Response, fields ...string) problem {
	t.Helper()
	p := wantProblem(t, r, http.StatusUnprocessableEntity)
	for _, f := range fields {
		if !p.has(f) {
			t.Errorf("422 does not name %q; errors: %v", f, p.fields())
		}
	}
	return p
}

// signedIn makes a verified account holding roles (besides learner; "" for none) with apptest's
// NewUser and returns it as a client sees it, for the tests where how the account came to be does
// not matter (registration and its e-mail have their own tests, which use register).
func signedIn(t *testing.T, a *apptest.App, prefix, role string) account {
	t.Helper()
	u := a.NewUser(t, prefix, role)
	return account{ID: u.ID, Email: u.Email, Password: apptest.Password, Name: u.Name, Access: u.Token, Refresh: u.Refresh}
}

// register signs up a fresh account through POST /auth/register and returns it signed in.
func register(t *testing.T, a *apptest.App, prefix string) account {
	t.Helper()
	email := uniqueEmail(prefix)
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
		Body: map[string]string{"email": email, "password": password, "name": "Test " + prefix}}).Want(http.StatusCreated)
	return toAccount(t, r.Body.Bytes(), r.Cookie(identity.RefreshCookie), email, password)
}

func toAccount(t *testing.T, body []byte, ck *http.Cookie, email, pw string) account {
	t.Helper()
	var s sessionBody
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("session body: %v\n%s", err, body)
	}
	if s.AccessToken == "" || s.User.ID == "" || ck == nil || ck.Value == "" {
		t.Fatalf("incomplete session: %s (cookie %v)", body, ck)
	}
	return account{ID: s.User.ID, Email: email, Password: pw, Name: s.User.Name, Access: s.AccessToken, Refresh: ck}
}

// login signs in from a fresh address and fails the test unless it answers 200.
func login(t *testing.T, a *apptest.App, email, pw string) account {
	t.Helper()
	rec := loginFrom(t, a, freshIP(), email, pw)
	if rec.Code != http.StatusOK {
		t.Fatalf("login %s: status %d: %s", email, rec.Code, rec.Body)
	}
	return toAccount(t, rec.Body.Bytes(), cookieOf(rec, identity.RefreshCookie), email, pw)
}

// loginFrom posts a login as a client behind our proxy (loopback peer) at the given address.
func loginFrom(t *testing.T, a *apptest.App, ip, email, pw string) *httptest.ResponseRecorder {
	t.Helper()
	return doFrom(t, a, "127.0.0.1:40000", map[string]string{"X-Forwarded-For": ip},
		"POST", "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
}

// doFrom sends a request through the real router from the given peer address. apptest.Do always
// uses httptest's peer 192.0.2.1, which is not a trusted proxy, so X-Forwarded-For is ignored
// there and every request shares one throttling bucket.
func doFrom(t *testing.T, a *apptest.App, peer string, header map[string]string, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.RemoteAddr = peer
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.Echo.ServeHTTP(rec, req)
	return rec
}

func cookieOf(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// me fetches /me with the token and returns the status and decoded body.
func me(t *testing.T, a *apptest.App, access string) (int, map[string]any) {
	t.Helper()
	r := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: access})
	if r.Code != http.StatusOK {
		return r.Code, nil
	}
	return r.Code, r.JSON()
}

// refresh presents a refresh cookie.
func refresh(a *apptest.App, ck *http.Cookie) *apptest.Response {
	return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{ck}})
}

// count runs a COUNT query on the app's database.
func count(t *testing.T, a *apptest.App, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Gorm.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("count %q: %v", query, err)
	}
	return n
}
