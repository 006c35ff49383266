// Package hotbench profiles Rapport's hot routes in process, through the real router and
// middleware on a scratch database, so `go tool pprof` shows where a request's CPU goes without
// the load generator and the network in the picture. `make bench` gives the figures; this gives
// the reasons:
//
//	go test -run '^$' -bench . -benchtime 3s -cpuprofile /tmp/hot.cpu ./bench/hot/ && go tool pprof -top /tmp/hot.cpu
package hotbench

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func ptr[T any](v T) *T { return &v }

// BenchmarkHotRoutes runs each hot route as a learner with premium access (a grant).
func BenchmarkHotRoutes(b *testing.B) {
	ctx := context.Background()
	a := apptest.New(b, map[string]string{"SMTP_URL": ""})
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.Changes.WaitLive(wctx); err != nil {
		b.Fatal(err)
	}
	instructor := a.NewUser(b, "instructor", "instructor")
	admin := a.NewUser(b, "admin", "admin")
	learner := a.NewUser(b, "learner", "")
	var lessonIDs []string
	for m := 0; m < 8; m++ {
		slug := fmt.Sprintf("hot-%d", m)
		access := catalog.AccessFree
		if m > 0 {
			access = catalog.AccessPremium
		}
		if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: ptr(slug), Title: ptr("Module " + slug),
			Summary: ptr("A module of the profile."), Access: ptr(access)}); err != nil {
			b.Fatal(err)
		}
		for l := 0; l < 4; l++ {
			md := fmt.Sprintf("## Lesson %d\n\n", l)
			for p := 0; p < 20; p++ {
				md += "A paragraph of lesson text that runs for a while, as the curriculum's do, with **emphasis** and a [link](https://example.com).\n\n"
			}
			le, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: ptr(fmt.Sprintf("l%d", l)),
				Title: ptr(fmt.Sprintf("Lesson %d", l)), Minutes: ptr(5), Markdown: ptr(md)})
			if err != nil {
				b.Fatal(err)
			}
			lessonIDs = append(lessonIDs, le.ID)
		}
		if _, err := a.Catalog.Publish(ctx, slug, instructor.ID); err != nil {
			b.Fatal(err)
		}
	}
	endsAt := a.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	if _, err := a.Billing.CreateGrant(ctx, admin.ID, billing.GrantInput{UserID: &learner.ID, EndsAt: endsAt}); err != nil {
		b.Fatal(err)
	}
	premium := "/api/v1/modules/hot-1/lessons/l0"
	etag := a.Do(apptest.Request{Method: "GET", Path: premium, Token: learner.Token}).Want(http.StatusOK).Header().Get("ETag")
	get := func(path string, header map[string]string, want int) func(b *testing.B, i int) {
		return func(b *testing.B, _ int) {
			if r := a.Do(apptest.Request{Method: "GET", Path: path, Token: learner.Token, Header: header}); r.Code != want {
				b.Fatalf("GET %s: %d", path, r.Code)
			}
		}
	}
	for _, tc := range []struct {
		name string
		run  func(b *testing.B, i int)
	}{
		{"healthz", get("/healthz", nil, 200)},
		{"catalog", get("/api/v1/modules", nil, 200)},
		{"lesson-hit", get(premium, map[string]string{"If-None-Match": etag}, 304)},
		{"lesson-miss", get(premium, map[string]string{"Accept-Encoding": "gzip"}, 200)},
		{"lesson-free", get("/api/v1/modules/hot-0/lessons/l0", map[string]string{"Accept-Encoding": "gzip"}, 200)},
		{"progress-put", func(b *testing.B, i int) {
			r := a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/progress/lessons/" + lessonIDs[i%len(lessonIDs)],
				Token: learner.Token, Body: map[string]any{"status": "started", "seconds": 30, "position": "scroll:0.4"},
				Header: map[string]string{"Idempotency-Key": fmt.Sprintf("hot-%d-%d", b.N, i)}})
			if r.Code != 200 {
				b.Fatalf("PUT progress: %d %s", r.Code, r.Body.String())
			}
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			tc.run(b, 0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tc.run(b, i)
			}
		})
	}
}
