package progress_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

func TestReaderForOtherDomains(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	m := mustModule(t, a, 3, true)
	busy, idle := mustLearner(t, a, ""), mustLearner(t, a, "")
	mustPut(t, a, busy.Token, m.Lessons[0], call{Status: "completed"})
	mustPut(t, a, busy.Token, m.Lessons[1], call{Status: "completed"})
	mustPut(t, a, busy.Token, m.Lessons[2], call{Status: "started"})

	t.Run("TeamProgress", func(t *testing.T) {
		unknown := "6f1f3c1e-0000-4000-8000-000000000001"
		got, err := a.Progress.TeamProgress(ctx, []string{busy.ID, idle.ID, unknown})
		if err != nil {
			t.Fatal(err)
		}
		total := count(t, a, `SELECT coalesce(sum(v.lesson_count), 0) FROM modules m
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version WHERE m.state = 'published'`)
		b := got[busy.ID]
		if b.CompletedLessons != 2 || b.LessonCount != total || b.Percent != 2*100/total || b.LastActiveAt == nil ||
			time.Since(*b.LastActiveAt) > time.Minute {
			t.Errorf("busy = %+v (total %d)", b, total)
		}
		for _, id := range []string{idle.ID, unknown} {
			if p, ok := got[id]; !ok || p.CompletedLessons != 0 || p.Percent != 0 || p.LastActiveAt != nil || p.LessonCount != total {
				t.Errorf("%s = %+v (present %v)", id, p, ok)
			}
		}
		if empty, err := a.Progress.TeamProgress(ctx, nil); err != nil || len(empty) != 0 {
			t.Errorf("no ids: %v, %v", empty, err)
		}
	})

	t.Run("ModuleProgress", func(t *testing.T) {
		got, err := a.Progress.ModuleProgress(ctx, busy.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("modules = %+v", got)
		}
		for id, s := range got {
			if s.Slug != m.Slug || s.ModuleID != id || s.CompletedLessons != 2 || s.LessonCount != 3 || s.Percent != 66 {
				t.Errorf("stat = %+v", s)
			}
		}
	})

	t.Run("ModuleCounts", func(t *testing.T) {
		var moduleID string
		mods, err := a.Progress.ModuleProgress(ctx, busy.ID)
		if err != nil {
			t.Fatal(err)
		}
		for id := range mods {
			moduleID = id
		}
		got, err := a.Progress.ModuleCounts(ctx, []string{busy.ID, idle.ID}, []string{moduleID})
		if err != nil {
			t.Fatal(err)
		}
		if c := got[busy.ID][moduleID]; c.LessonCount != 3 || c.Started != 3 || c.Completed != 2 {
			t.Errorf("busy = %+v", c)
		}
		if c, ok := got[idle.ID][moduleID]; !ok || c.LessonCount != 3 || c.Started != 0 || c.Completed != 0 {
			t.Errorf("idle = %+v (present %v)", c, ok)
		}
	})

	t.Run("catalog hook", func(t *testing.T) {
		done, err := a.Progress.CompletedLessons(ctx, busy.ID, m.Lessons)
		if err != nil || len(done) != 2 || !done[m.Lessons[0]] || !done[m.Lessons[1]] || done[m.Lessons[2]] {
			t.Errorf("CompletedLessons = %v, %v", done, err)
		}
		mods, err := a.Progress.ModuleProgress(ctx, busy.ID)
		if err != nil {
			t.Fatal(err)
		}
		var moduleID string
		for id := range mods {
			moduleID = id
		}
		byModule, err := a.Progress.CompletedByModule(ctx, busy.ID, []string{moduleID})
		if err != nil || byModule[moduleID] != 2 {
			t.Errorf("CompletedByModule = %v, %v", byModule, err)
		}
		if none, err := a.Progress.CompletedByModule(ctx, idle.ID, []string{moduleID}); err != nil || none[moduleID] != 0 {
			t.Errorf("idle CompletedByModule = %v, %v", none, err)
		}
	})

	t.Run("Completions", func(t *testing.T) {
		since := a.Now().Add(-time.Minute)
		mustPut(t, a, busy.Token, m.Lessons[2], call{Status: "completed"})
		got, err := a.Progress.Completions(ctx, []string{busy.ID, idle.ID}, since)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].UserID != busy.ID || got[0].ModuleSlug != m.Slug || got[0].ModuleTitle != m.Title || got[0].At.Before(since) {
			t.Errorf("completions = %+v", got)
		}
		if later, err := a.Progress.Completions(ctx, []string{busy.ID}, a.Now().Add(time.Minute)); err != nil || len(later) != 0 {
			t.Errorf("completions since the future = %+v, %v", later, err)
		}
	})
}
