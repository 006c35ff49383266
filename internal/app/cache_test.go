package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/obs"
)

// The cache of published content follows every committed change in every process, and premium
// access follows grants at once: two apps on one database (separate pools, separate listeners)
// stand for two servers. A publish, an unpublish or a grant revocation on A shows on B within a
// second; a change B's listener could not hear is picked up when the listener reconnects.
func TestCachesFollowChangesAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	a := apptest.New(t, nil)
	b := apptest.New(t, nil)
	waitLive(t, a)
	waitLive(t, b)
	instructor := a.NewUser(t, "instructor", "instructor")
	admin := a.NewUser(t, "admin", "admin")
	learner := b.NewUser(t, "learner", "")

	slug, lesson := "cache-"+randomHex(4), "first-call"
	_, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: ptr(slug), Title: ptr("Cached module"),
		Summary: ptr("How caching keeps up."), Access: ptr(catalog.AccessPremium)})
	if err != nil {
		t.Fatal(err)
	}
	setText := func(text string) {
		t.Helper()
		in := catalog.LessonInput{Title: ptr("First call"), Minutes: ptr(5), Markdown: ptr(text)}
		if _, err := a.Catalog.UpdateLesson(ctx, slug, lesson, in); err != nil {
			in.Slug = ptr(lesson)
			if _, err := a.Catalog.CreateLesson(ctx, slug, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Catalog.Publish(ctx, slug, instructor.ID); err != nil {
			t.Fatal(err)
		}
	}
	setText("Version one of the lesson.")
	lessonPath := "/api/v1/modules/" + slug + "/lessons/" + lesson
	read := func(x *apptest.App) *apptest.Response {
		return x.Do(apptest.Request{Method: "GET", Path: lessonPath, Token: learner.Token})
	}

	// Premium and no entitlement: refused.
	read(b).Want(402)
	endsAt := a.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	g, err := a.Billing.CreateGrant(ctx, admin.ID, billing.GrantInput{UserID: &learner.ID, EndsAt: endsAt})
	if err != nil {
		t.Fatal(err)
	}
	// B reads (and caches) version one and the learner's access.
	body := read(b).Want(200).Body.String()
	if !strings.Contains(body, "Version one") {
		t.Fatalf("B serves %s, want version one", body)
	}

	t.Run("a publish on A is served by B within a second", func(t *testing.T) {
		setText("Version two of the lesson.")
		within(t, time.Second, "B to serve version two", func() bool {
			r := read(b)
			return r.Code == 200 && strings.Contains(r.Body.String(), "Version two")
		})
		// The module list moves too.
		within(t, time.Second, "B's catalog to list version two", func() bool {
			var out struct {
				Modules []struct {
					Slug    string `json:"slug"`
					Version int    `json:"version"`
				} `json:"modules"`
			}
			b.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules", Token: learner.Token}).Want(200).Decode(&out)
			for _, m := range out.Modules {
				if m.Slug == slug {
					return m.Version == 2
				}
			}
			return false
		})
	})

	t.Run("a revoked grant stops access on B within a second", func(t *testing.T) {
		read(b).Want(200)
		if err := a.Billing.RevokeGrant(ctx, g.ID); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, "B to refuse the premium lesson", func() bool { return read(b).Code == 402 })
		if _, err := a.Billing.CreateGrant(ctx, admin.ID, billing.GrantInput{UserID: &learner.ID, EndsAt: endsAt}); err != nil {
			t.Fatal(err)
		}
		// B kept its refusal in memory until A's notification arrives.
		within(t, time.Second, "B to allow the new grant", func() bool { return read(b).Code == 200 })
	})

	t.Run("a change B could not hear is picked up when its listener reconnects", func(t *testing.T) {
		read(b).Want(200)
		// Triggers off for this one statement's session: nobody is notified, so B keeps serving
		// its copy, which shows the cache is in use.
		conn, err := a.DB.Pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `SET session_replication_role = replica`); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `
			UPDATE lesson_versions lv SET html = '<p>Changed unheard.</p>', etag = '"unheard"'
			FROM modules m JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			WHERE m.slug = $1 AND lv.module_version_id = v.id AND lv.slug = $2`, slug, lesson); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `RESET session_replication_role`); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if body := read(b).Want(200).Body.String(); strings.Contains(body, "Changed unheard") {
			t.Fatal("B served the unheard change before reconnecting: its cache is not in use")
		}
		old := b.Changes.BackendPID()
		var killed bool
		if err := a.DB.Pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, int32(old)).Scan(&killed); err != nil || !killed {
			t.Fatalf("terminate the listener's backend %d: %v %v", old, killed, err)
		}
		within(t, 5*time.Second, "B's listener to reconnect", func() bool {
			pid := b.Changes.BackendPID()
			return pid != 0 && pid != old && b.Changes.Live()
		})
		r := read(b).Want(200)
		if !strings.Contains(r.Body.String(), "Changed unheard") || r.Header().Get("ETag") != `"unheard"` {
			t.Fatalf("after the reconnect B serves %s (ETag %s), want the change made while it was not told",
				r.Body.String(), r.Header().Get("ETag"))
		}
	})

	t.Run("an unpublish on A is served by B within a second", func(t *testing.T) {
		read(b).Want(200)
		b.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug, Token: learner.Token}).Want(200)
		if err := a.Catalog.Unpublish(ctx, slug); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, "B to stop serving the lesson", func() bool { return read(b).Code == 404 })
		b.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug, Token: learner.Token}).Want(404)
		list := b.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules", Token: learner.Token}).Want(200).Body.String()
		if strings.Contains(list, `"`+slug+`"`) {
			t.Errorf("B still lists the unpublished module: %s", list)
		}
	})
}

// within polls ok every 10 ms and fails the test unless it holds within d.
func within(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > d {
			t.Fatalf("waited %s for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%s after %s", what, time.Since(start).Round(time.Millisecond))
}

func ptr[T any](v T) *T { return &v }

// statementCounter counts the statements the app sends while on.
type statementCounter struct {
	on  atomic.Bool
	mu  sync.Mutex
	sql []string
}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if c.on.Load() {
		c.mu.Lock()
		c.sql = append(c.sql, strings.Join(strings.Fields(d.SQL), " "))
		c.mu.Unlock()
	}
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// during returns the statements fn caused.
func (c *statementCounter) during(fn func()) []string {
	c.mu.Lock()
	c.sql = nil
	c.mu.Unlock()
	c.on.Store(true)
	fn()
	c.on.Store(false)
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sql)
}

// The hot paths' statement budgets, counted on the wire (a pgx tracer sees GORM's statements
// too): the signed-in catalog costs one the first time (the learner's completed lessons per
// module) and none while the counts are kept, a module's outline one (the learner's progress), a
// free lesson none, a premium lesson one the first time (roles, seats and entitlements together)
// and none while the decision is kept, a progress report one (the upsert and the reading-time
// event together).
func TestHotPathStatementCounts(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Load(apptest.Env(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	counter := &statementCounter{}
	a, err := app.New(ctx, cfg, obs.NewLogger(io.Discard, "error"), 10*time.Second, app.WithQueryTracer(counter),
		app.WithArgon2(identity.Argon2Params{Memory: 1024, Time: 1, Threads: 1}))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.Changes.WaitLive(wctx); err != nil {
		t.Fatal(err)
	}
	do := func(method, path, token string, header map[string]string, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		a.Echo.ServeHTTP(rec, req)
		return rec
	}
	newUser := func(prefix, role string) (id, token string) {
		email := prefix + "-" + randomHex(5) + "@example.com"
		u, err := a.Identity.CreateUser(ctx, email, apptest.Password, "", role)
		if err != nil {
			t.Fatal(err)
		}
		rec := do("POST", "/api/v1/auth/login", "", nil, `{"email":"`+email+`","password":"`+apptest.Password+`"}`)
		var out struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.AccessToken == "" {
			t.Fatalf("login: %d %s", rec.Code, rec.Body.String())
		}
		return u.ID, out.AccessToken
	}
	instructor, _ := newUser("instructor", "instructor")
	admin, _ := newUser("admin", "admin")
	learner, token := newUser("learner", "")
	publish := func(access string) (slug, lessonID string) {
		slug = "count-" + randomHex(4)
		if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: ptr(slug), Title: ptr("Counted"), Access: ptr(access)}); err != nil {
			t.Fatal(err)
		}
		l, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: ptr("one"), Title: ptr("One"), Minutes: ptr(3),
			Markdown: ptr("A lesson worth counting.")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Catalog.Publish(ctx, slug, instructor); err != nil {
			t.Fatal(err)
		}
		return slug, l.ID
	}
	free, freeLesson := publish(catalog.AccessFree)
	premium, _ := publish(catalog.AccessPremium)
	endsAt := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	grant := func(userID string) {
		if _, err := a.Billing.CreateGrant(ctx, admin, billing.GrantInput{UserID: &userID, EndsAt: endsAt}); err != nil {
			t.Fatal(err)
		}
	}
	grant(learner)
	etagOf := func(path string) string {
		rec := do("GET", path, token, nil, "")
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		return rec.Header().Get("ETag")
	}
	freePath, premiumPath := "/api/v1/modules/"+free+"/lessons/one", "/api/v1/modules/"+premium+"/lessons/one"
	freeTag, premiumTag := etagOf(freePath), etagOf(premiumPath)
	do("GET", "/api/v1/modules", token, nil, "")
	do("GET", "/api/v1/modules/"+free, token, nil, "")

	// The first catalog read of a learner counts their completions (the list itself is in memory
	// already); each try is a fresh learner, since a second read would be kept.
	t.Run("catalog, first read of a learner", func(t *testing.T) {
		var sql []string
		for try := 0; try < 5; try++ {
			_, fresh := newUser("fresh", "")
			var rec *httptest.ResponseRecorder
			sql = counter.during(func() { rec = do("GET", "/api/v1/modules", fresh, nil, "") })
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if len(sql) <= 1 {
				break
			}
		}
		if len(sql) != 1 {
			t.Errorf("%d statements, want 1:\n%s", len(sql), strings.Join(sql, "\n"))
		}
	})

	// The first premium read of a reader costs the one decision statement (the lesson itself is
	// in memory already); each try is a fresh reader, since a second read would be kept.
	t.Run("premium lesson, first read of a reader", func(t *testing.T) {
		var sql []string
		for try := 0; try < 5; try++ {
			reader, readerToken := newUser("reader", "")
			grant(reader)
			var rec *httptest.ResponseRecorder
			sql = counter.during(func() { rec = do("GET", premiumPath, readerToken, nil, "") })
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if len(sql) <= 1 {
				break
			}
		}
		if len(sql) != 1 {
			t.Errorf("%d statements, want 1:\n%s", len(sql), strings.Join(sql, "\n"))
		}
	})

	key := 0
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		body               string
		status, budget     int
	}{
		{"catalog, signed in", "GET", "/api/v1/modules", nil, "", 200, 0},
		{"module outline, signed in", "GET", "/api/v1/modules/" + free, nil, "", 200, 1},
		{"free lesson", "GET", freePath, nil, "", 200, 0},
		{"free lesson revalidated", "GET", freePath, map[string]string{"If-None-Match": freeTag}, "", 304, 0},
		{"premium lesson", "GET", premiumPath, nil, "", 200, 0},
		{"premium lesson revalidated", "GET", premiumPath, map[string]string{"If-None-Match": premiumTag}, "", 304, 0},
		{"progress report", "PUT", "/api/v1/progress/lessons/" + freeLesson, nil,
			`{"status":"started","seconds":30,"position":"scroll:0.5"}`, 200, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			for k, v := range tc.header {
				h[k] = v
			}
			// The budget is the steady state. Other tests of this package publish content on the
			// same database meanwhile, and every publish rightly empties this process's cache, so a
			// request that lands just after one pays the miss; a few tries tell the two apart.
			var sql []string
			for try := 0; try < 5; try++ {
				key++
				h["Idempotency-Key"] = fmt.Sprintf("count-%d", key)
				var rec *httptest.ResponseRecorder
				sql = counter.during(func() { rec = do(tc.method, tc.path, token, h, tc.body) })
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
				}
				if len(sql) <= tc.budget {
					break
				}
			}
			if len(sql) != tc.budget {
				t.Errorf("%d statements, want %d:\n%s", len(sql), tc.budget, strings.Join(sql, "\n"))
			}
		})
	}
}
