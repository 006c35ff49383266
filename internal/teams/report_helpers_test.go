package teams_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// newEnvWith is newEnv with app options (a query tracer).
func newEnvWith(t *testing.T, opts ...app.Option) *env {
	t.Helper()
	e := &env{App: apptest.New(t, nil, opts...), t: t}
	e.admin = e.user("admin", "admin")
	e.lessons = map[string][]string{modAlpha: e.module(modAlpha, 4), modBeta: e.module(modBeta, 2)}
	e.importInstrument(instrument)
	return e
}

// countedKey marks the context of the request whose statements are counted, so the jobs, the
// change listener and other requests never add to the count.
type countedKey struct{}

// requestStatements is a pgx tracer that records the statements sent with a counted context.
type requestStatements struct {
	mu  sync.Mutex
	sql []string
}

// TraceQueryStart implements pgx.QueryTracer.
func (c *requestStatements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if ctx.Value(countedKey{}) != nil {
		c.mu.Lock()
		c.sql = append(c.sql, strings.Join(strings.Fields(d.SQL), " "))
		c.mu.Unlock()
	}
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (c *requestStatements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// during returns the statements fn sent with the counted context it is given.
func (c *requestStatements) during(t *testing.T, fn func(ctx context.Context)) []string {
	t.Helper()
	c.mu.Lock()
	c.sql = nil
	c.mu.Unlock()
	fn(context.WithValue(context.Background(), countedKey{}, true))
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sql)
}

// serve sends GET path as u with ctx through the router and checks the status.
func (e *env) serve(ctx context.Context, u *user, path string, want int) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+u.Token)
	rec := httptest.NewRecorder()
	e.Echo.ServeHTTP(rec, req)
	if rec.Code != want {
		e.t.Fatalf("GET %s: %d, want %d: %s", path, rec.Code, want, rec.Body.String())
	}
	return rec
}
