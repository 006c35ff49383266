package progress_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// password is every test learner's password.
const password = apptest.Password

// learner is a signed-in account as a client sees it.
type learner = apptest.User

// mustLearner makes a signed-in learner with apptest's NewUser and, when tz is set, moves it to
// that time zone through PATCH /me, as the SPA does from the browser's zone.
func mustLearner(tb testing.TB, a *apptest.App, tz string) learner {
	tb.Helper()
	l := a.NewUser(tb, "learner", "")
	if tz != "" {
		a.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: l.Token,
			Body: map[string]any{"time_zone": tz}}).Want(http.StatusOK)
	}
	return *l
}

// module is a published module as the tests use it: its slug, title and lesson ids in order.
type module struct {
	Slug, Title string
	Lessons     []string
}

// mustModule creates a module with n lessons (slugs l1..ln) through the catalog service and,
// when publish is set, publishes it.
func mustModule(tb testing.TB, a *apptest.App, n int, publish bool) module {
	tb.Helper()
	ctx := context.Background()
	slug := "mod-" + randomHex(4)
	title, access := "Module "+slug, catalog.AccessFree
	if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: &slug, Title: &title, Access: &access}); err != nil {
		tb.Fatalf("create module: %v", err)
	}
	for i := 1; i <= n; i++ {
		ls, lt, minutes := fmt.Sprintf("l%d", i), fmt.Sprintf("Lesson %d", i), 5
		md := fmt.Sprintf("## Lesson %d\n\nText of lesson %d.\n", i, i)
		if _, err := a.Catalog.CreateLesson(ctx, slug, catalogLesson(ls, lt, minutes, md)); err != nil {
			tb.Fatalf("create lesson: %v", err)
		}
	}
	m := module{Slug: slug, Title: title}
	if !publish {
		_, lessons, err := a.Catalog.StudioModule(ctx, slug)
		if err != nil {
			tb.Fatalf("studio module: %v", err)
		}
		for _, l := range lessons {
			m.Lessons = append(m.Lessons, l.ID)
		}
		return m
	}
	mustPublish(tb, a, slug)
	cm, err := a.Catalog.CatalogModule(ctx, "", slug)
	if err != nil {
		tb.Fatalf("catalog module: %v", err)
	}
	for _, l := range cm.Lessons {
		m.Lessons = append(m.Lessons, l.ID)
	}
	return m
}

// catalogLesson is the catalog's input for a new lesson.
func catalogLesson(slug, title string, minutes int, markdown string) catalog.LessonInput {
	return catalog.LessonInput{Slug: &slug, Title: &title, Minutes: &minutes, Markdown: &markdown}
}

func mustPublish(tb testing.TB, a *apptest.App, slug string) {
	tb.Helper()
	if _, err := a.Catalog.Publish(context.Background(), slug, ""); err != nil {
		tb.Fatalf("publish %s: %v", slug, err)
	}
}

// call is one progress report.
type call struct {
	Status   string
	Seconds  int
	Position string
	Key      string
}

// put sends PUT /api/v1/progress/lessons/{id}.
func put(a *apptest.App, token, lessonID string, c call) *apptest.Response {
	body := map[string]any{"status": c.Status}
	if c.Seconds != 0 {
		body["seconds"] = c.Seconds
	}
	if c.Position != "" {
		body["position"] = c.Position
	}
	var hdr map[string]string
	if c.Key != "" {
		hdr = map[string]string{"Idempotency-Key": c.Key}
	}
	return a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/progress/lessons/" + lessonID, Token: token, Body: body, Header: hdr})
}

// record is the JSON of a progress record.
type record struct {
	LessonID    string     `json:"lesson_id"`
	ModuleSlug  string     `json:"module_slug"`
	Status      string     `json:"status"`
	Seconds     int        `json:"seconds"`
	Position    string     `json:"position"`
	StartedAt   time.Time  `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Certificate *struct {
		Code string `json:"code"`
	} `json:"certificate"`
}

func mustPut(tb testing.TB, a *apptest.App, token, lessonID string, c call) record {
	tb.Helper()
	var r record
	put(a, token, lessonID, c).Want(http.StatusOK).Decode(&r)
	return r
}

// lessonRef is a lesson in the dashboard JSON.
type lessonRef struct {
	ID     string `json:"id"`
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// dashboard is the JSON of GET /api/v1/progress.
type dashboard struct {
	Modules []struct {
		Slug             string     `json:"slug"`
		Title            string     `json:"title"`
		CompletedLessons int        `json:"completed_lessons"`
		LessonCount      int        `json:"lesson_count"`
		Percent          int        `json:"percent"`
		State            string     `json:"state"`
		LastLesson       *lessonRef `json:"last_lesson"`
		NextLesson       *lessonRef `json:"next_lesson"`
	} `json:"modules"`
	Week struct {
		WeekStart   string `json:"week_start"`
		TimeZone    string `json:"time_zone"`
		Minutes     int    `json:"minutes"`
		GoalMinutes int    `json:"goal_minutes"`
		GoalMet     bool   `json:"goal_met"`
		GoalSet     bool   `json:"goal_set"`
		StreakWeeks int    `json:"streak_weeks"`
	} `json:"week"`
	Resume *struct {
		ModuleSlug  string `json:"module_slug"`
		ModuleTitle string `json:"module_title"`
		LessonID    string `json:"lesson_id"`
		LessonSlug  string `json:"lesson_slug"`
		LessonTitle string `json:"lesson_title"`
	} `json:"resume"`
}

func mustDashboard(tb testing.TB, a *apptest.App, token string) dashboard {
	tb.Helper()
	var d dashboard
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/progress", Token: token}).Want(http.StatusOK).Decode(&d)
	return d
}

// setClock moves the app's clock to t (apptest's clock is real time plus an offset) and signs
// the given learners in again, since access tokens live 15 minutes on that clock.
func setClock(tb testing.TB, a *apptest.App, t time.Time, ls ...*learner) {
	tb.Helper()
	a.Advance(t.Sub(a.Now()))
	for _, l := range ls {
		a.Login(tb, l, password)
	}
}

// wantFields asserts a problem+json 422 naming every field.
func wantFields(tb testing.TB, r *apptest.Response, fields ...string) {
	tb.Helper()
	r.Want(http.StatusUnprocessableEntity)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		tb.Errorf("Content-Type = %q, want problem+json", ct)
	}
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil {
		tb.Fatalf("problem: %v", err)
	}
	for _, f := range fields {
		found := false
		for _, e := range p.Errors {
			found = found || e.Field == f
		}
		if !found {
			tb.Errorf("422 does not name %q: %s", f, r.Body.String())
		}
	}
}

// count runs a COUNT query on the app's database.
func count(tb testing.TB, a *apptest.App, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := a.DB.Gorm.Raw(query, args...).Scan(&n).Error; err != nil {
		tb.Fatalf("count %q: %v", query, err)
	}
	return n
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// key returns a fresh Idempotency-Key, as the SPA makes one per call.
func key() string { return "k-" + randomHex(8) }
