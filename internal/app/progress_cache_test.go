package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/progress"
)

// The signed-in catalog keeps each learner's completed-lesson counts in memory and stays exactly
// right: two apps on one database stand for two servers. A completion shows on the writer's next
// read at once and on the other server within a second; plain position reports notify nobody; a
// publish that adds a lesson moves the percent; a change the other server could not hear is
// never served once its listener is down, and is picked up on reconnect; deleted progress rows
// (an erasure) count at once too.
func TestCatalogProgressFollowsCompletions(t *testing.T) {
	if catalog.ChannelProgress != progress.ChannelProgress {
		t.Fatalf("catalog listens on %q, progress announces on %q", catalog.ChannelProgress, progress.ChannelProgress)
	}
	ctx := context.Background()
	a := apptest.New(t, nil)
	b := apptest.New(t, nil)
	waitLive(t, a)
	waitLive(t, b)
	instructor := a.NewUser(t, "instructor", "instructor")
	learner := a.NewUser(t, "learner", "")
	other := a.NewUser(t, "other", "")

	slug := "counts-" + randomHex(4)
	if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: ptr(slug), Title: ptr("Counted progress"),
		Summary: ptr("Progress counts kept in memory."), Access: ptr(catalog.AccessFree)}); err != nil {
		t.Fatal(err)
	}
	lessons := map[string]string{}
	addLesson := func(t *testing.T, s string) {
		t.Helper()
		l, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: ptr(s), Title: ptr("Lesson " + s),
			Minutes: ptr(3), Markdown: ptr("Lesson " + s + " of the counted module.")})
		if err != nil {
			t.Fatal(err)
		}
		lessons[s] = l.ID
		if _, err := a.Catalog.Publish(ctx, slug, instructor.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"one", "two", "three"} {
		addLesson(t, s)
	}
	// counts is the learner's progress through the module on x's catalog: "done/percent".
	counts := func(t *testing.T, x *apptest.App, u *apptest.User) string {
		t.Helper()
		var out struct {
			Modules []struct {
				Slug     string `json:"slug"`
				Progress *struct {
					Completed int `json:"completed_lessons"`
					Percent   int `json:"percent"`
				} `json:"progress"`
			} `json:"modules"`
		}
		x.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules", Token: u.Token}).Want(200).Decode(&out)
		for _, m := range out.Modules {
			if m.Slug == slug && m.Progress != nil {
				return itoa(m.Progress.Completed) + "/" + itoa(m.Progress.Percent)
			}
		}
		t.Fatalf("module %s (with progress) not in the catalog", slug)
		return ""
	}
	report := func(t *testing.T, x *apptest.App, u *apptest.User, lesson string, body map[string]any) {
		t.Helper()
		x.Do(apptest.Request{Method: "PUT", Path: "/api/v1/progress/lessons/" + lessons[lesson], Token: u.Token,
			Body: body}).Want(200)
	}
	complete := func(t *testing.T, x *apptest.App, u *apptest.User, lesson string) {
		t.Helper()
		report(t, x, u, lesson, map[string]any{"status": "completed", "seconds": 30})
	}
	want := func(t *testing.T, x *apptest.App, what, wantCounts string) {
		t.Helper()
		if got := counts(t, x, learner); got != wantCounts {
			t.Fatalf("%s: %s, want %s", what, got, wantCounts)
		}
	}

	t.Run("a completion shows on the writer's next read at once", func(t *testing.T) {
		want(t, a, "before", "0/0")
		want(t, a, "read again (kept)", "0/0")
		complete(t, a, learner, "one")
		want(t, a, "right after the completion", "1/33")
	})

	t.Run("a completion on A shows on B within a second", func(t *testing.T) {
		want(t, b, "B before", "1/33")
		complete(t, a, learner, "two")
		within(t, time.Second, "B to count the completion", func() bool { return counts(t, b, learner) == "2/66" })
	})

	t.Run("plain position and time reports notify nobody", func(t *testing.T) {
		conn, err := pgx.Connect(ctx, a.Config.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "LISTEN "+catalog.ChannelProgress); err != nil {
			t.Fatal(err)
		}
		// A new row (started), the same row again, and a completed row reported on again.
		report(t, a, learner, "three", map[string]any{"status": "started", "seconds": 20, "position": "scroll:0.2"})
		report(t, a, learner, "three", map[string]any{"status": "started", "seconds": 20, "position": "scroll:0.6"})
		report(t, a, learner, "one", map[string]any{"status": "started", "seconds": 20, "position": "scroll:0.9"})
		report(t, a, learner, "two", map[string]any{"status": "completed", "seconds": 5})
		// Notifications arrive in commit order: the other learner's completion must come first.
		complete(t, a, other, "one")
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		n, err := conn.WaitForNotification(wctx)
		if err != nil {
			t.Fatal(err)
		}
		if n.Payload != other.ID {
			t.Fatalf("first notification after the plain reports is for %s, want the other learner %s", n.Payload, other.ID)
		}
		want(t, a, "after the plain reports", "2/66")
		want(t, b, "B after the plain reports", "2/66")
	})

	t.Run("a publish that adds a lesson moves the percent", func(t *testing.T) {
		want(t, b, "B before", "2/66")
		addLesson(t, "four")
		want(t, a, "right after the publish", "2/50")
		within(t, time.Second, "B to count against the new version", func() bool { return counts(t, b, learner) == "2/50" })
	})

	t.Run("a change B could not hear is never served once its listener is down", func(t *testing.T) {
		want(t, b, "B before", "2/50")
		// Triggers off for this statement's session: nobody is notified, so B keeps its count,
		// which shows the count is kept in memory.
		conn, err := a.DB.Pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		for _, q := range []string{`SET session_replication_role = replica`,
			`UPDATE lesson_progress SET status = 'completed', completed_at = now() WHERE user_id = $1 AND lesson_id = $2`,
			`RESET session_replication_role`} {
			var args []any
			if q[0] == 'U' {
				args = []any{learner.ID, lessons["three"]}
			}
			if _, err := conn.Exec(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		want(t, b, "B before its listener is cut (kept in memory)", "2/50")
		old := b.Changes.BackendPID()
		var killed bool
		if err := a.DB.Pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, int32(old)).Scan(&killed); err != nil || !killed {
			t.Fatalf("terminate the listener's backend %d: %v %v", old, killed, err)
		}
		within(t, 5*time.Second, "B's listener to notice", func() bool {
			return !b.Changes.Live() || b.Changes.BackendPID() != old
		})
		// Down or reconnected (and resynced): every answer from here on is the database's.
		for !b.Changes.Live() {
			want(t, b, "B while its listener is down", "3/75")
			time.Sleep(5 * time.Millisecond)
		}
		want(t, b, "B after the reconnect", "3/75")
		want(t, b, "B after the reconnect, kept", "3/75")
	})

	t.Run("deleted progress rows count at once", func(t *testing.T) {
		// (A may still keep 2/50: it heard nothing of the unannounced change either.)
		want(t, b, "B before", "3/75")
		// What erasing the account does to the learner's rows (the account itself stays, so its
		// catalog can still be read).
		if _, err := a.DB.Pool.Exec(ctx, `DELETE FROM lesson_progress WHERE user_id = $1`, learner.ID); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, "A to forget the deleted rows", func() bool { return counts(t, a, learner) == "0/0" })
		within(t, time.Second, "B to forget the deleted rows", func() bool { return counts(t, b, learner) == "0/0" })
	})
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
