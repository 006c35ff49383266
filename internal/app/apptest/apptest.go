// Package apptest builds a whole Rapport app on the test package's fresh database and drives its
// real router, the way HTTP tests should: no mocks between the request and PostgreSQL.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/obs"
)

// App is an app under test plus a movable clock.
type App struct {
	*app.App
	t     testing.TB
	mu    sync.Mutex
	now   time.Time
	drift time.Duration
}

// Env returns the test configuration: the package database, Mailpit's SMTP when TEST_SMTP_URL is
// set (make test sets it), stripe-mock when STRIPE_API_BASE is set.
func Env(tb testing.TB, extra map[string]string) func(string) string {
	vals := map[string]string{
		"DATABASE_URL": pgtest.URL(tb),
		"PUBLIC_URL":   "http://rapport.test",
		"JWT_SECRET":   "test-secret-test-secret-test-secret-0123",
		"LOG_LEVEL":    "warn",
		"SMTP_URL":     os.Getenv("TEST_SMTP_URL"),
		// Files go to the test's own directory, never into the source tree.
		"STORAGE_URL": (&url.URL{Scheme: "file", Path: tb.TempDir()}).String(),
	}
	for k, v := range extra {
		vals[k] = v
	}
	return func(k string) string { return vals[k] }
}

// New builds and starts (jobs included) an app; it is closed when the test ends. opts come after
// the test defaults (a query tracer, for instance).
func New(tb testing.TB, extra map[string]string, opts ...app.Option) *App {
	tb.Helper()
	cfg, err := config.Load(Env(tb, extra))
	if err != nil {
		tb.Fatalf("config: %v", err)
	}
	ta := &App{t: tb}
	defaults := []app.Option{app.WithClock(ta.Now), app.WithJobPoll(100 * time.Millisecond),
		// Cheap hashing keeps race-enabled tests fast; production uses identity.OWASPParams.
		app.WithArgon2(identity.Argon2Params{Memory: 1024, Time: 1, Threads: 1})}
	a, err := app.New(context.Background(), cfg, obs.NewLogger(io.Discard, "error"), 10*time.Second,
		append(defaults, opts...)...)
	if err != nil {
		tb.Fatalf("app: %v", err)
	}
	ta.App = a
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.StartJobs(ctx); err != nil {
		tb.Fatalf("jobs: %v", err)
	}
	tb.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = a.StopJobs(sctx)
		cancel()
		a.Close()
	})
	return ta
}

// Now is the app's clock: real time plus whatever the test advanced.
func (a *App) Now() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return time.Now().Add(a.drift)
}

// Advance moves the app's clock forward.
func (a *App) Advance(d time.Duration) {
	a.mu.Lock()
	a.drift += d
	a.mu.Unlock()
}

// Request describes one call.
type Request struct {
	Method string
	Path   string
	Body   any // marshalled as JSON unless it is a string or []byte (sent raw)
	Token  string
	Header map[string]string
	Cookie []*http.Cookie
}

// Response is a recorded response with helpers.
type Response struct {
	*httptest.ResponseRecorder
	t testing.TB
}

// Do sends r through the real router.
func (a *App) Do(r Request) *Response {
	a.t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatalf("marshal: %v", err)
		}
		body = bytes.NewReader(j)
	}
	req := httptest.NewRequest(r.Method, r.Path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	for _, c := range r.Cookie {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	a.Echo.ServeHTTP(rec, req)
	return &Response{ResponseRecorder: rec, t: a.t}
}

// JSON decodes the body into a generic map (or fails the test).
func (r *Response) JSON() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &m); err != nil {
		r.t.Fatalf("response is not a JSON object: %v\n%s", err, r.Body.String())
	}
	return m
}

// Decode decodes the body into dst.
func (r *Response) Decode(dst any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), dst); err != nil {
		r.t.Fatalf("decode: %v\n%s", err, r.Body.String())
	}
}

// Want fails the test unless the status is want.
func (r *Response) Want(want int) *Response {
	r.t.Helper()
	if r.Code != want {
		r.t.Fatalf("status = %d, want %d; body: %s", r.Code, want, r.Body.String())
	}
	return r
}

// Cookie returns the named Set-Cookie of the response, or nil.
func (r *Response) Cookie(name string) *http.Cookie {
	for _, c := range r.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
