package progress_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

func TestLessonPutInput(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 2, true)
	l := mustLearner(t, a, "")
	lesson := "/api/v1/progress/lessons/" + m.Lessons[0]
	tests := []struct {
		name   string
		path   string
		token  string
		body   any
		header map[string]string
		want   int
		fields []string
	}{
		{"started", lesson, l.Token, map[string]any{"status": "started"}, nil, 200, nil},
		{"with time and position", lesson, l.Token, map[string]any{"status": "started", "seconds": 3600, "position": "p:42"}, nil, 200, nil},
		{"anonymous", lesson, "", map[string]any{"status": "started"}, nil, 401, nil},
		{"bad status", lesson, l.Token, map[string]any{"status": "done"}, nil, 422, []string{"status"}},
		{"missing status", lesson, l.Token, map[string]any{"seconds": 5}, nil, 422, []string{"status"}},
		{"negative seconds", lesson, l.Token, map[string]any{"status": "started", "seconds": -1}, nil, 422, []string{"seconds"}},
		{"too many seconds", lesson, l.Token, map[string]any{"status": "started", "seconds": 3601}, nil, 422, []string{"seconds"}},
		{"huge seconds", lesson, l.Token, `{"status":"started","seconds":1e30}`, nil, 422, []string{"seconds"}},
		{"seconds as text", lesson, l.Token, map[string]any{"status": "started", "seconds": "abc"}, nil, 422, []string{"seconds"}},
		{"fractional seconds", lesson, l.Token, `{"status":"started","seconds":1.5}`, nil, 422, []string{"seconds"}},
		{"every bad field", lesson, l.Token, map[string]any{"status": "x", "seconds": 4000, "position": strings.Repeat("p", 201)}, nil, 422, []string{"status", "seconds", "position"}},
		{"control characters in position", lesson, l.Token, map[string]any{"status": "started", "position": "a\u0000b"}, nil, 422, []string{"position"}},
		{"unknown field", lesson, l.Token, map[string]any{"status": "started", "minutes": 3}, nil, 422, []string{"minutes"}},
		{"long idempotency key", lesson, l.Token, map[string]any{"status": "started"}, map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}, 422, []string{"Idempotency-Key"}},
		{"no body", lesson, l.Token, nil, nil, 422, nil},
		{"malformed JSON", lesson, l.Token, `{"status":`, nil, 400, nil},
		{"not a UUID", "/api/v1/progress/lessons/not-a-uuid", l.Token, map[string]any{"status": "started"}, nil, 404, nil},
		{"unknown lesson", "/api/v1/progress/lessons/6f1f3c1e-0000-4000-8000-000000000000", l.Token, map[string]any{"status": "started"}, nil, 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: "PUT", Path: tt.path, Token: tt.token, Body: tt.body, Header: tt.header})
			if tt.want == 422 {
				wantFields(t, r, tt.fields...)
				return
			}
			r.Want(tt.want)
			if tt.want != 200 && !strings.HasPrefix(r.Header().Get("Content-Type"), "application/problem+json") {
				t.Errorf("error is not problem+json: %s", r.Header().Get("Content-Type"))
			}
		})
	}
	t.Run("record shape", func(t *testing.T) {
		r := put(a, l.Token, m.Lessons[1], call{Status: "started", Position: "top"}).Want(200).JSON()
		for _, k := range []string{"lesson_id", "module_slug", "status", "seconds", "position", "started_at", "completed_at", "updated_at"} {
			if _, ok := r[k]; !ok {
				t.Errorf("record lacks %q: %v", k, r)
			}
		}
		if r["lesson_id"] != m.Lessons[1] || r["module_slug"] != m.Slug || r["completed_at"] != nil || r["position"] != "top" {
			t.Errorf("record = %v", r)
		}
		if _, ok := r["certificate"]; ok {
			t.Errorf("certificate on an unfinished module: %v", r)
		}
	})
}

func TestLessonPutIsIdempotent(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 3, true)
	l := mustLearner(t, a, "")
	id := m.Lessons[0]

	first := mustPut(t, a, l.Token, id, call{Status: "started", Seconds: 30, Position: "p1", Key: "k1"})
	again := mustPut(t, a, l.Token, id, call{Status: "started", Seconds: 30, Position: "p1", Key: "k1"})
	if first.Seconds != 30 || again.Seconds != 30 || again.UpdatedAt != first.UpdatedAt || again.StartedAt != first.StartedAt {
		t.Fatalf("replayed key changed the record: %+v then %+v", first, again)
	}
	if r := mustPut(t, a, l.Token, id, call{Status: "started", Seconds: 20, Key: "k2"}); r.Seconds != 50 || r.Position != "p1" {
		t.Errorf("new key: seconds %d position %q, want 50 and the kept p1", r.Seconds, r.Position)
	}
	if r := mustPut(t, a, l.Token, id, call{Status: "started", Seconds: 40, Position: "p2"}); r.Seconds != 50 || r.Position != "p2" {
		t.Errorf("call without a key: seconds %d position %q, want 50 (no time without a key) and p2", r.Seconds, r.Position)
	}
	done := mustPut(t, a, l.Token, id, call{Status: "completed", Seconds: 10, Key: "k3"})
	if done.Status != "completed" || done.CompletedAt == nil || done.Seconds != 60 {
		t.Fatalf("complete: %+v", done)
	}
	back := mustPut(t, a, l.Token, id, call{Status: "started", Seconds: 5, Key: "k4"})
	if back.Status != "completed" || back.CompletedAt == nil || !back.CompletedAt.Equal(*done.CompletedAt) || back.Seconds != 65 {
		t.Errorf("completed went back or moved: %+v", back)
	}
	if r := mustPut(t, a, l.Token, id, call{Status: "started", Seconds: 30, Position: "stale", Key: "k1"}); r.Position != "p2" || r.Seconds != 65 {
		t.Errorf("a late replay of k1 overwrote newer state: %+v", r)
	}
	if n := count(t, a, `SELECT count(*) FROM progress_time_events WHERE user_id = ?`, l.ID); n != 4 {
		t.Errorf("time events = %d, want 4 (k1..k4)", n)
	}
	// The same key on another lesson is the same call: it adds nothing there either.
	if r := mustPut(t, a, l.Token, m.Lessons[1], call{Status: "started", Seconds: 30, Key: "k1"}); r.Seconds != 0 {
		t.Errorf("reused key on another lesson added %d seconds", r.Seconds)
	}
}

func TestConcurrentPutsConverge(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 2, true)
	l := mustLearner(t, a, "")
	parallel := func(n int, c func(i int) call, lesson string) []int {
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = put(a, l.Token, lesson, c(i)).Code
			}()
		}
		wg.Wait()
		return codes
	}

	codes := parallel(20, func(i int) call {
		st := "started"
		if i%5 == 0 {
			st = "completed"
		}
		return call{Status: st, Seconds: 10, Position: fmt.Sprintf("pos-%d", i), Key: fmt.Sprintf("tab-%d", i)}
	}, m.Lessons[0])
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d: status %d", i, c)
		}
	}
	r := mustPut(t, a, l.Token, m.Lessons[0], call{Status: "started"})
	if r.Seconds != 200 || r.Status != "completed" || r.CompletedAt == nil {
		t.Errorf("after 20 parallel calls: %+v, want 200 seconds and completed", r)
	}
	if n := count(t, a, `SELECT count(*) FROM lesson_progress WHERE user_id = ?`, l.ID); n != 1 {
		t.Errorf("rows = %d, want 1", n)
	}

	// Twenty retries of one call (same key) count once.
	parallel(20, func(int) call { return call{Status: "started", Seconds: 10, Key: "same"} }, m.Lessons[1])
	if r := mustPut(t, a, l.Token, m.Lessons[1], call{Status: "started"}); r.Seconds != 10 || r.Status != "started" {
		t.Errorf("20 parallel retries: %+v, want 10 seconds", r)
	}
}

func TestLessonAvailability(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	starter, other := mustLearner(t, a, ""), mustLearner(t, a, "")

	draft := mustModule(t, a, 1, false)
	put(a, starter.Token, draft.Lessons[0], call{Status: "started"}).Want(http.StatusNotFound)

	m := mustModule(t, a, 3, true)
	mustPut(t, a, starter.Token, m.Lessons[0], call{Status: "started"})
	if err := a.Catalog.Unpublish(ctx, m.Slug); err != nil {
		t.Fatal(err)
	}
	t.Run("unpublished module, learner who started it", func(t *testing.T) {
		mustPut(t, a, starter.Token, m.Lessons[1], call{Status: "completed"})
	})
	t.Run("unpublished module, learner who did not", func(t *testing.T) {
		put(a, other.Token, m.Lessons[0], call{Status: "started"}).Want(http.StatusNotFound)
	})

	mustPublish(t, a, m.Slug)
	if err := a.Catalog.DeleteLesson(ctx, m.Slug, "l3"); err != nil {
		t.Fatal(err)
	}
	t.Run("deleted in drafts, still in the published version", func(t *testing.T) {
		mustPut(t, a, other.Token, m.Lessons[2], call{Status: "started"})
	})
	mustPublish(t, a, m.Slug)
	t.Run("removed from the published version", func(t *testing.T) {
		put(a, other.Token, m.Lessons[2], call{Status: "started"}).Want(http.StatusNotFound)
	})
}

func TestProgressIsPrivate(t *testing.T) {
	a := apptest.New(t, nil)
	m := mustModule(t, a, 2, true)
	alice, bob := mustLearner(t, a, ""), mustLearner(t, a, "")
	mustPut(t, a, alice.Token, m.Lessons[0], call{Status: "completed", Seconds: 600, Position: "alice", Key: key()})

	d := mustDashboard(t, a, bob.Token)
	if len(d.Modules) != 0 || d.Resume != nil || d.Week.Minutes != 0 {
		t.Errorf("bob sees alice's progress: %+v", d)
	}
	r := mustPut(t, a, bob.Token, m.Lessons[0], call{Status: "started", Seconds: 60, Key: key()})
	if r.Status != "started" || r.Seconds != 60 || r.Position != "" {
		t.Errorf("bob's record mixes in alice's: %+v", r)
	}
	ad := mustDashboard(t, a, alice.Token)
	if len(ad.Modules) != 1 || ad.Modules[0].CompletedLessons != 1 || ad.Week.Minutes != 10 {
		t.Errorf("alice's dashboard changed by bob: %+v", ad)
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/progress"}).Want(http.StatusUnauthorized)
}
