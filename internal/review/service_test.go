package review_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/review"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// check is a catalog check whose answer is option b.
func check(id string) catalog.Check {
	return catalog.Check{ID: id, Prompt: "What do you do?", Answer: "b", Options: []catalog.CheckOption{
		{ID: "a", Text: "Push.", Explanation: "Pushing loses the buyer."},
		{ID: "b", Text: "Ask.", Explanation: "Asking finds the concern."},
	}}
}

// publishChecks publishes a free module whose one lesson holds checks with the ids; it returns
// the module's slug.
func publishChecks(t *testing.T, a *apptest.App, ids ...string) string {
	t.Helper()
	ctx := context.Background()
	slug, title, access := "rv-"+randomHex(4), "Review", catalog.AccessFree
	if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: &slug, Title: &title, Access: &access}); err != nil {
		t.Fatal(err)
	}
	ls, lt, minutes, md := "l1", "Lesson", 3, "Text."
	cs := make([]catalog.Check, len(ids))
	for i, id := range ids {
		cs[i] = check(id)
	}
	if _, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: &ls, Title: &lt, Minutes: &minutes, Markdown: &md, Checks: &cs}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Catalog.Publish(ctx, slug, ""); err != nil {
		t.Fatal(err)
	}
	return slug
}

// TestConcurrentAnswersApplyOneAfterTheOther: two first answers sent at once (one wrong, one
// right) leave one card, in a box the rule allows, and record both answers.
func TestConcurrentAnswersApplyOneAfterTheOther(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	u := a.NewUser(t, "rv", "")
	id := "rv-" + randomHex(4)
	publishChecks(t, a, id, id+"-2")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, opt := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = a.Review.Answer(ctx, u.ID, id, opt, 10)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	a.Advance(25 * time.Hour)
	p, err := a.Review.Queue(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Wrong then right (not due: no move) leaves box 1, due; right then wrong also box 1.
	if p.DueCount != 1 || p.Due[0].ID != id || p.Due[0].Lesson.Slug != "l1" {
		t.Errorf("queue = %+v, want %s due", p, id)
	}
}

// TestCounterCountsOnlyPublishedChecks: the weekly reminder's count leaves out checks a new
// version removed, and counts per learner in one call.
func TestCounterCountsOnlyPublishedChecks(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	u1, u2 := a.NewUser(t, "rv1", ""), a.NewUser(t, "rv2", "")
	x, y := "rv-"+randomHex(4), "rv-"+randomHex(4)
	slug := publishChecks(t, a, x, y)
	for _, u := range []*apptest.User{u1, u2} {
		for _, id := range []string{x, y} {
			if _, err := a.Review.Answer(ctx, u.ID, id, "a", 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	counter := review.NewCounter(a.DB, catalog.NewCheckDirectory(a.DB))
	got, err := counter.DueCounts(ctx, []string{u1.ID, u2.ID}, a.Now().Add(25*time.Hour))
	if err != nil || got[u1.ID] != 2 || got[u2.ID] != 2 {
		t.Fatalf("due counts = %v, %v; want 2 each", got, err)
	}
	if got, _ := counter.DueCounts(ctx, []string{u1.ID}, a.Now()); got[u1.ID] != 0 {
		t.Errorf("due now = %v, want none", got)
	}
	// A new version drops y.
	cs := []catalog.Check{check(x), check("rv-" + randomHex(4))}
	if _, err := a.Catalog.UpdateLesson(ctx, slug, "l1", catalog.LessonInput{Checks: &cs}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Catalog.Publish(ctx, slug, ""); err != nil {
		t.Fatal(err)
	}
	got, err = counter.DueCounts(ctx, []string{u1.ID, u2.ID}, a.Now().Add(25*time.Hour))
	if err != nil || got[u1.ID] != 1 || got[u2.ID] != 1 {
		t.Errorf("due counts after removing a check = %v, %v; want 1 each", got, err)
	}
}
