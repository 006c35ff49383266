package catalog_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/progress"
)

// sameProcessOnly is a change feed that is always live but hears nothing from the database: only
// what this process announces reaches its subscribers, as if every notification were late.
type sameProcessOnly struct {
	mu   sync.Mutex
	subs map[string][]func(string)
}

func (f *sameProcessOnly) Subscribe(channel string, fn func(string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[string][]func(string){}
	}
	f.subs[channel] = append(f.subs[channel], fn)
}

func (f *sameProcessOnly) OnResync(func()) {}

func (f *sameProcessOnly) Live() bool { return true }

func (f *sameProcessOnly) Announce(channel, payload string) {
	f.mu.Lock()
	hs := f.subs[channel]
	f.mu.Unlock()
	for _, fn := range hs {
		fn(payload)
	}
}

// A learner's counts are kept in memory, and the progress service's announcement of a completion
// (not the database's notification, which this feed never delivers) makes the next catalog read
// count it; plain position reports announce nothing, so the counts stay kept.
func TestCatalogCountsCompletionsOfItsOwnProcessAtOnce(t *testing.T) {
	ctx := context.Background()
	a := apptest.New(t, nil)
	feed := &sameProcessOnly{}
	prog := progress.NewService(progress.Deps{DB: a.DB, Jobs: a.Jobs, Now: time.Now, Log: nil,
		Reviews: progress.NoReviews{}, Changes: feed})
	svc := catalog.NewService(catalog.Deps{DB: a.DB, Roles: catalog.NoRoles{}, Entitlements: catalog.NoEntitlements{},
		Progress: prog, Managers: catalog.NoManagers{}, Changes: feed})
	slug := MustModule(t, a, catalog.AccessFree, 2, true)
	m, err := svc.CatalogModule(ctx, "", slug)
	if err != nil {
		t.Fatal(err)
	}
	learner := a.NewUser(t, "learner", "")
	completed := func(what string) int {
		t.Helper()
		list, err := svc.Catalog(ctx, learner.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.Slug == slug {
				return x.Progress.CompletedLessons
			}
		}
		t.Fatalf("%s: module %s not listed", what, slug)
		return 0
	}
	record := func(lesson, status string) {
		t.Helper()
		pos := "scroll:0.5"
		if _, err := prog.RecordLesson(ctx, learner.ID, lesson, progress.LessonUpdate{Status: status, Seconds: 10,
			Position: &pos}); err != nil {
			t.Fatal(err)
		}
	}

	if n := completed("before"); n != 0 {
		t.Fatalf("before: %d completed, want 0", n)
	}
	record(m.Lessons[0].ID, progress.StatusCompleted)
	if n := completed("right after the completion"); n != 1 {
		t.Fatalf("right after the completion: %d completed, want 1", n)
	}
	// A completion the database knows of but nobody announced: the kept count shows it is kept.
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO lesson_progress (user_id, lesson_id, module_id, status, started_at,
		completed_at, updated_at) VALUES ($1, $2, $3, 'completed', now(), now(), now())`,
		learner.ID, m.Lessons[1].ID, m.ID); err != nil {
		t.Fatal(err)
	}
	record(m.Lessons[0].ID, progress.StatusStarted)
	if n := completed("after an unannounced write and a plain report"); n != 1 {
		t.Fatalf("after an unannounced write and a plain report: %d completed, want the kept 1", n)
	}
	record(m.Lessons[1].ID, progress.StatusCompleted)
	if n := completed("after an announced completion"); n != 2 {
		t.Fatalf("after an announced completion: %d completed, want 2", n)
	}
}
