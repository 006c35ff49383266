package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/app/openapi"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// newClockWorld is newWorld without the end-to-end test clock (which replaces the app's clock),
// so the test moves time with a.Advance.
func newClockWorld(t *testing.T) *world {
	t.Helper()
	mailpittest.Require(t)
	a := apptest.New(t, stripeEnv(t))
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &world{Checked: a.WithContract(apptest.NewContract(t, doc)), t: t}
}

// reviewModule publishes a module (free or premium) whose only lesson has two checks, ids
// <slug>-a and <slug>-b, each answered by option b; it returns the module's slug.
func (w *world) reviewModule(ins *account, access string) string {
	w.t.Helper()
	slug := "rev-" + randomHex(4)
	w.want(ins, 201, "POST", "/api/v1/studio/modules", map[string]any{"slug": slug, "title": "Review " + slug, "access": access}, nil)
	w.want(ins, 201, "POST", "/api/v1/studio/modules/"+slug+"/lessons", map[string]any{"slug": "l1", "title": "Checked lesson",
		"minutes": 4, "markdown": "## Read\n\nText.", "checks": []any{studioCheck(slug+"-a", "b"), studioCheck(slug+"-b", "b")}}, nil)
	w.want(ins, 201, "POST", "/api/v1/studio/modules/"+slug+"/publish", nil, nil)
	return slug
}

type reviewQueue struct {
	Due []struct {
		ID      string `json:"id"`
		Options []struct {
			ID string `json:"id"`
		} `json:"options"`
		Lesson struct {
			ModuleSlug string `json:"module_slug"`
			Slug       string `json:"slug"`
			Title      string `json:"title"`
		} `json:"lesson"`
	} `json:"due"`
	DueCount         int        `json:"due_count"`
	NextDueAt        *time.Time `json:"next_due_at"`
	EstimatedMinutes int        `json:"estimated_minutes"`
}

type answerResult struct {
	Correct         bool   `json:"correct"`
	CorrectOptionID string `json:"correct_option_id"`
	Explanation     string `json:"explanation"`
}

func (w *world) queue(u *account) reviewQueue {
	w.t.Helper()
	var q reviewQueue
	w.want(u, 200, "GET", "/api/v1/review", nil, &q)
	return q
}

func dueIDs(q reviewQueue) string {
	ids := make([]string, len(q.Due))
	for i, d := range q.Due {
		ids[i] = d.ID
	}
	return strings.Join(ids, ",")
}

// TestReviewComesBackOnTheRightDay: a wrong answer in a lesson is due the next day and not before;
// a right one after 3 days; a right review answer moves the check up a box; answering a check
// again before it is due does not move it up; a check removed by a new version leaves the queue;
// review seconds count toward the week's minutes.
func TestReviewComesBackOnTheRightDay(t *testing.T) {
	w := newClockWorld(t)
	ins := w.account("rev-ins", "instructor")
	lee := w.account("rev-lee", "")
	mod := w.reviewModule(ins, "free")
	a, b := mod+"-a", mod+"-b"
	answer := func(check, option string, seconds int) answerResult {
		t.Helper()
		var r answerResult
		w.want(lee, 200, "POST", "/api/v1/checks/"+check+"/answers", map[string]any{"option_id": option, "seconds": seconds}, &r)
		return r
	}
	relogin := func() { w.login(lee, testPassword) }

	// The lesson shows the checks without the answer or explanations.
	body := w.want(lee, 200, "GET", "/api/v1/modules/"+mod+"/lessons/l1", nil, nil).Body.String()
	var lesson struct {
		Checks []struct {
			ID      string            `json:"id"`
			Options []json.RawMessage `json:"options"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &lesson); err != nil {
		t.Fatal(err)
	}
	if len(lesson.Checks) != 2 || lesson.Checks[0].ID != a || len(lesson.Checks[0].Options) != 2 {
		t.Fatalf("lesson checks = %s", body)
	}
	for _, leak := range []string{"answer", "explanation", "Discounting first"} {
		if strings.Contains(body, leak) {
			t.Errorf("the lesson read leaks %q: %s", leak, body)
		}
	}

	var before struct {
		Week struct {
			Minutes int `json:"minutes"`
		} `json:"week"`
	}
	w.want(lee, 200, "GET", "/api/v1/progress", nil, &before)
	start := w.Now()
	wrong := answer(a, "a", 90)
	if wrong.Correct || wrong.CorrectOptionID != "b" || !strings.Contains(wrong.Explanation, "Discounting first") {
		t.Errorf("wrong answer = %+v", wrong)
	}
	if right := answer(b, "b", 30); !right.Correct || right.CorrectOptionID != "b" || right.Explanation != "It finds the real concern." {
		t.Errorf("right answer = %+v", right)
	}
	var after struct {
		Week struct {
			Minutes int `json:"minutes"`
		} `json:"week"`
	}
	w.want(lee, 200, "GET", "/api/v1/progress", nil, &after)
	if after.Week.Minutes != before.Week.Minutes+2 {
		t.Errorf("week minutes %d → %d, want +2 for 120 seconds of review", before.Week.Minutes, after.Week.Minutes)
	}

	q := w.queue(lee)
	if q.DueCount != 0 || len(q.Due) != 0 || q.NextDueAt == nil || q.NextDueAt.Sub(start.Add(24*time.Hour)).Abs() > time.Minute {
		t.Fatalf("queue after the lesson = %+v, want nothing due and the next in a day", q)
	}

	// 23 hours later: not yet.
	w.Advance(23 * time.Hour)
	relogin()
	if q := w.queue(lee); q.DueCount != 0 {
		t.Errorf("after 23 hours %d are due (%s), want none", q.DueCount, dueIDs(q))
	}
	// The next day: the wrong one is back, with its lesson.
	w.Advance(2 * time.Hour)
	relogin()
	q = w.queue(lee)
	if q.DueCount != 1 || dueIDs(q) != a || q.Due[0].Lesson.ModuleSlug != mod || q.Due[0].Lesson.Slug != "l1" ||
		q.Due[0].Lesson.Title != "Checked lesson" || q.EstimatedMinutes != 1 {
		t.Fatalf("after a day the queue = %+v, want %s", q, a)
	}
	// Answering b again before it is due changes nothing.
	answer(b, "b", 0)
	// A right review answer: a moves to box 2 (3 days).
	if r := answer(a, "b", 20); !r.Correct {
		t.Errorf("review answer = %+v", r)
	}
	if q := w.queue(lee); q.DueCount != 0 {
		t.Errorf("after the review %d are due (%s), want none", q.DueCount, dueIDs(q))
	}

	// Three days after the lesson, the right one is due (not moved by the early answer); a is not.
	w.Advance(2*24*time.Hour - time.Hour + time.Minute)
	relogin()
	q = w.queue(lee)
	if q.DueCount != 1 || dueIDs(q) != b {
		t.Fatalf("three days after the lesson the queue = %+v, want %s", q, b)
	}

	// A new version replaces b with c: b leaves the queue, c is not due (never answered).
	w.login(ins, testPassword)
	w.want(ins, 200, "PUT", "/api/v1/studio/modules/"+mod+"/lessons/l1",
		map[string]any{"checks": []any{studioCheck(a, "b"), studioCheck(mod+"-c", "a")}}, nil)
	w.want(ins, 201, "POST", "/api/v1/studio/modules/"+mod+"/publish", nil, nil)
	if q := w.queue(lee); q.DueCount != 0 {
		t.Errorf("after b was removed %d are due (%s), want none", q.DueCount, dueIDs(q))
	}
	w.want(lee, 404, "POST", "/api/v1/checks/"+b+"/answers", map[string]any{"option_id": "b"}, nil)
}

// TestAnswerRefusals: unknown checks 404, unknown options and bad seconds 422, premium checks
// without access 402, anonymous callers 401; check ids stay unique across the course.
func TestAnswerRefusals(t *testing.T) {
	w := newWorld(t)
	ins := w.account("rev-ins", "instructor")
	lee := w.account("rev-lee", "")
	admin := w.account("rev-admin", "admin")
	free, premium := w.reviewModule(ins, "free"), w.reviewModule(ins, "premium")

	w.want(lee, 404, "POST", "/api/v1/checks/no-such-check/answers", map[string]any{"option_id": "a"}, nil)
	names := func(r interface{ JSON() map[string]any }, field string) {
		t.Helper()
		errs, _ := r.JSON()["errors"].([]any)
		for _, e := range errs {
			if m, _ := e.(map[string]any); m["field"] == field {
				return
			}
		}
		t.Errorf("problem does not name %s: %v", field, r.JSON())
	}
	names(w.want(lee, 422, "POST", "/api/v1/checks/"+free+"-a/answers", map[string]any{"option_id": "z"}, nil), "option_id")
	names(w.want(lee, 422, "POST", "/api/v1/checks/"+free+"-a/answers", map[string]any{"option_id": "a", "seconds": 601}, nil), "seconds")
	w.want(lee, 402, "POST", "/api/v1/checks/"+premium+"-a/answers", map[string]any{"option_id": "a"}, nil)
	w.want(admin, 200, "POST", "/api/v1/checks/"+premium+"-a/answers", map[string]any{"option_id": "a"}, nil)
	w.want(nil, 401, "POST", "/api/v1/checks/"+free+"-a/answers", map[string]any{"option_id": "a"}, nil)
	w.want(nil, 401, "GET", "/api/v1/review", nil, nil)

	// Studio: the same rules as the front matter, and ids unique across the course.
	lessonPath := "/api/v1/studio/modules/" + free + "/lessons/l1"
	names(w.want(ins, 422, "PUT", lessonPath, map[string]any{"checks": []any{studioCheck(free+"-x", "b")}}, nil), "checks")
	names(w.want(ins, 422, "PUT", lessonPath, map[string]any{"checks": []any{studioCheck(free+"-x", "q"), studioCheck(free+"-y", "b")}}, nil), "checks[0].answer")
	names(w.want(ins, 422, "PUT", lessonPath, map[string]any{"checks": []any{studioCheck(premium+"-a", "b"), studioCheck(free+"-y", "b")}}, nil), "checks[0].id")
	var draft struct {
		Checks []struct {
			ID     string `json:"id"`
			Answer string `json:"answer"`
		} `json:"checks"`
	}
	w.want(ins, 200, "PUT", lessonPath, map[string]any{"checks": []any{}}, &draft)
	if len(draft.Checks) != 0 {
		t.Errorf("checks after removing them = %+v", draft.Checks)
	}
	w.want(ins, 200, "GET", "/api/v1/studio/modules/"+premium+"/lessons/l1", nil, &draft)
	if len(draft.Checks) != 2 || draft.Checks[0].Answer != "b" {
		t.Errorf("studio draft checks = %+v", draft.Checks)
	}
}

// review is the contract scenario's walk through answering checks and the review page.
func (s *scenario) review() {
	mod := s.reviewModule(s.instructor, "free")
	s.want(s.learner, 200, "POST", "/api/v1/checks/"+mod+"-a/answers", map[string]any{"option_id": "a", "seconds": 30}, nil)
	s.want(s.learner, 422, "POST", "/api/v1/checks/"+mod+"-a/answers", map[string]any{"option_id": "q"}, nil)
	s.want(s.learner, 404, "POST", "/api/v1/checks/"+mod+"-zz/answers", map[string]any{"option_id": "a"}, nil)
	s.want(s.learner, 200, "GET", "/api/v1/review", nil, nil)
}
