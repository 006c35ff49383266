package teams_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

type assignmentBody struct {
	ID          string `json:"id"`
	ModuleSlug  string `json:"module_slug"`
	ModuleTitle string `json:"module_title"`
	DueAt       string `json:"due_at"`
	CreatedBy   struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
	} `json:"created_by"`
	Members []struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"members"`
}

func (a assignmentBody) statuses() map[string]string {
	out := map[string]string{}
	for _, m := range a.Members {
		out[m.UserID] = m.Status
	}
	return out
}

func TestAssignments(t *testing.T) {
	e := newEnv(t)
	mgr, ann, ben, outsider := e.user("mgr", ""), e.user("ann", ""), e.user("ben", ""), e.user("out", "")
	team := e.teamOf(mgr, "Assign")
	e.seedMember(team, ann)
	e.seedMember(team, ben)
	path := "/api/v1/teams/" + team + "/assignments"
	due := time.Now().Add(5 * 24 * time.Hour).UTC().Truncate(time.Second)
	body := func(slug string, due time.Time, ids ...string) map[string]any {
		return map[string]any{"module_slug": slug, "due_at": due.Format(time.RFC3339), "user_ids": ids}
	}

	t.Run("validation", func(t *testing.T) {
		p := wantProblem(t, e.call(mgr, "POST", path, body("", time.Now().Add(-time.Hour))), http.StatusUnprocessableEntity)
		for _, f := range []string{"module_slug", "due_at", "user_ids"} {
			if !p.hasField(f) {
				t.Errorf("errors %+v do not name %s", p.Errors, f)
			}
		}
		p = wantProblem(t, e.call(mgr, "POST", path, body("no-such-module", due, ann.ID)), http.StatusUnprocessableEntity)
		if !p.hasField("module_slug") {
			t.Errorf("unknown module: %+v", p.Errors)
		}
		p = wantProblem(t, e.call(mgr, "POST", path, body(modAlpha, due, ann.ID, outsider.ID, mgr.ID)), http.StatusUnprocessableEntity)
		if p.hasField("user_ids[0]") || !p.hasField("user_ids[1]") || !p.hasField("user_ids[2]") {
			t.Errorf("non-members: %+v", p.Errors)
		}
		p = wantProblem(t, e.call(mgr, "POST", path, map[string]any{"module_slug": modAlpha, "due_at": "tomorrow", "user_ids": []string{ann.ID}}), http.StatusUnprocessableEntity)
		if !p.hasField("due_at") {
			t.Errorf("bad time: %+v", p.Errors)
		}
		wantProblem(t, e.call(ann, "POST", path, body(modAlpha, due, ben.ID)), http.StatusForbidden)
	})

	var a assignmentBody
	e.call(mgr, "POST", path, body(modAlpha, due, ann.ID, ben.ID, ann.ID)).Want(http.StatusCreated).Decode(&a)
	if a.ModuleSlug != modAlpha || a.ModuleTitle != "Module "+modAlpha || a.DueAt != due.Format(time.RFC3339) ||
		a.CreatedBy.UserID != mgr.ID || len(a.Members) != 2 {
		t.Fatalf("assignment = %+v", a)
	}
	if st := a.statuses(); st[ann.ID] != "not_started" || st[ben.ID] != "not_started" {
		t.Fatalf("statuses = %v", st)
	}
	e.start(ann, e.lessons[modAlpha][0])
	e.complete(ben, e.lessons[modAlpha]...)
	list := func() assignmentBody {
		var out struct {
			Assignments []assignmentBody `json:"assignments"`
		}
		e.call(mgr, "GET", path, nil).Want(http.StatusOK).Decode(&out)
		if len(out.Assignments) != 1 {
			t.Fatalf("assignments = %+v", out.Assignments)
		}
		return out.Assignments[0]
	}
	if st := list().statuses(); st[ann.ID] != "in_progress" || st[ben.ID] != "done" {
		t.Fatalf("statuses = %v, want ann in_progress, ben done", st)
	}
	wantProblem(t, e.call(ann, "GET", path, nil), http.StatusForbidden)

	var mine struct {
		Assignments []struct {
			ID          string `json:"id"`
			TeamID      string `json:"team_id"`
			TeamName    string `json:"team_name"`
			ModuleSlug  string `json:"module_slug"`
			ModuleTitle string `json:"module_title"`
			Status      string `json:"status"`
			AssignedBy  string `json:"assigned_by"`
		} `json:"assignments"`
	}
	e.call(ann, "GET", "/api/v1/me/assignments", nil).Want(http.StatusOK).Decode(&mine)
	if len(mine.Assignments) != 1 || mine.Assignments[0].Status != "in_progress" || mine.Assignments[0].TeamName != "Assign" ||
		mine.Assignments[0].TeamID != team || mine.Assignments[0].ModuleSlug != modAlpha || mine.Assignments[0].AssignedBy != mgr.Name {
		t.Fatalf("ann's assignments = %+v", mine.Assignments)
	}
	e.call(outsider, "GET", "/api/v1/me/assignments", nil).Want(http.StatusOK).Decode(&mine)
	if len(mine.Assignments) != 0 {
		t.Fatalf("an outsider sees %+v", mine.Assignments)
	}

	// Past the due date: unfinished work is overdue, finished work stays done.
	e.Advance(6 * 24 * time.Hour)
	e.login(mgr)
	e.login(ann)
	if st := list().statuses(); st[ann.ID] != "overdue" || st[ben.ID] != "done" {
		t.Fatalf("statuses after the due date = %v", st)
	}
	e.call(ann, "GET", "/api/v1/me/assignments", nil).Want(http.StatusOK).Decode(&mine)
	if mine.Assignments[0].Status != "overdue" {
		t.Fatalf("ann's status = %s", mine.Assignments[0].Status)
	}
	// A removed rep drops out of the list and their own.
	e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+ann.ID, nil).Want(http.StatusNoContent)
	if st := list().statuses(); len(st) != 1 {
		t.Fatalf("statuses after removal = %v", st)
	}
	e.call(ann, "GET", "/api/v1/me/assignments", nil).Want(http.StatusOK).Decode(&mine)
	if len(mine.Assignments) != 0 {
		t.Fatalf("a removed rep still sees %+v", mine.Assignments)
	}
}

func TestAssignmentReminder(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	ctx := context.Background()
	mgr, cat, dan := e.user("mgr", ""), e.user("cat", ""), e.user("dan", "")
	team := e.teamOf(mgr, "Reminders")
	e.seedMember(team, cat)
	e.seedMember(team, dan)
	now := e.Now()
	due := now.Add(5 * 24 * time.Hour)
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/assignments", map[string]any{"module_slug": modBeta,
		"due_at": due.UTC().Format(time.RFC3339), "user_ids": []string{cat.ID, dan.ID}}).Want(http.StatusCreated)
	e.complete(dan, e.lessons[modBeta]...) // finished: never reminded

	// SendAssignmentReminders serves every team; other tests' assignments share the database, so
	// this test looks at its own two reps only.
	reminded := func(u *user) bool {
		var n int64
		e.DB.Gorm.Raw(`SELECT count(*) FROM assignment_targets t JOIN assignments a ON a.id = t.assignment_id
			WHERE a.team_id = ? AND t.user_id = ? AND t.reminded_at IS NOT NULL`, team, u.ID).Scan(&n)
		return n > 0
	}
	if _, err := e.Teams.SendAssignmentReminders(ctx, now.Add(24*time.Hour)); err != nil || reminded(cat) || reminded(dan) {
		t.Fatalf("four days before the due date: err %v, cat reminded %v, dan reminded %v; want neither", err, reminded(cat), reminded(dan))
	}
	if n, err := e.Teams.SendAssignmentReminders(ctx, due.Add(-47*time.Hour)); err != nil || n < 1 || !reminded(cat) || !reminded(dan) {
		t.Fatalf("two days before: %d reminders, %v; want cat reminded and dan (finished) marked", n, err)
	}
	msg := mailpittest.WaitFor(t, cat.Email, "is due soon")
	if !strings.Contains(msg.Text, "Module "+modBeta) || !strings.Contains(msg.Text, "Reminders") {
		t.Errorf("reminder text:\n%s", msg.Text)
	}
	mailpittest.Link(t, msg.Text, "http://rapport.test/modules/"+modBeta)
	if _, err := e.Teams.SendAssignmentReminders(ctx, due.Add(-46*time.Hour)); err != nil {
		t.Fatalf("again: %v", err)
	}
	time.Sleep(300 * time.Millisecond) // let a wrongly queued second mail arrive before counting
	if got := mailpittest.Count(t, cat.Email, "is due soon"); got != 1 {
		t.Errorf("%d reminder mails to cat, want 1", got)
	}
	if got := mailpittest.Count(t, dan.Email, "is due soon"); got != 0 {
		t.Errorf("%d reminder mails to dan, who finished, want 0", got)
	}
}

type recognitionBody struct {
	ID   string `json:"id"`
	From struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
	} `json:"from"`
	To struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
	} `json:"to"`
	Message  string `json:"message"`
	Kind     string `json:"kind"`
	TeamName string `json:"team_name"`
}

func TestRecognition(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	mgr, eve, fay, outsider := e.user("mgr", ""), e.user("eve", ""), e.user("fay", ""), e.user("out", "")
	team := e.teamOf(mgr, "Kudos")
	e.seedMember(team, eve)
	e.seedMember(team, fay)
	path := "/api/v1/teams/" + team + "/recognitions"

	t.Run("validation", func(t *testing.T) {
		p := wantProblem(t, e.call(eve, "POST", path, map[string]any{"user_id": eve.ID, "message": " ", "kind": "party"}), http.StatusUnprocessableEntity)
		for _, f := range []string{"user_id", "message", "kind"} {
			if !p.hasField(f) {
				t.Errorf("errors %+v do not name %s", p.Errors, f)
			}
		}
		p = wantProblem(t, e.call(eve, "POST", path, map[string]any{"user_id": fay.ID, "message": strings.Repeat("é", 501)}), http.StatusUnprocessableEntity)
		if !p.hasField("message") {
			t.Errorf("long message: %+v", p.Errors)
		}
		p = wantProblem(t, e.call(eve, "POST", path, map[string]any{"user_id": outsider.ID, "message": "hi"}), http.StatusUnprocessableEntity)
		if !p.hasField("user_id") {
			t.Errorf("outsider recipient: %+v", p.Errors)
		}
		wantProblem(t, e.call(outsider, "POST", path, map[string]any{"user_id": fay.ID, "message": "hi"}), http.StatusNotFound)
		wantProblem(t, e.call(e.admin, "POST", path, map[string]any{"user_id": fay.ID, "message": "hi"}), http.StatusForbidden)
	})

	var r1, r2 recognitionBody
	e.call(mgr, "POST", path, map[string]any{"user_id": eve.ID, "message": "Closed Acme by mapping the whole group!"}).
		Want(http.StatusCreated).Decode(&r1)
	if r1.From.UserID != mgr.ID || r1.To.UserID != eve.ID || r1.Kind != "win" || r1.TeamName != "Kudos" {
		t.Fatalf("recognition = %+v", r1)
	}
	e.call(fay, "POST", path, map[string]any{"user_id": eve.ID, "message": "Five modules done", "kind": "milestone"}).
		Want(http.StatusCreated).Decode(&r2)
	msg := mailpittest.WaitFor(t, eve.Email, "recognised your win")
	if !strings.Contains(msg.Text, "Closed Acme by mapping the whole group!") || !strings.Contains(msg.HTML, "Closed Acme") {
		t.Errorf("recognition mail:\n%s", msg.Text)
	}
	mailpittest.WaitFor(t, eve.Email, "recognised your milestone")

	var feed struct {
		Recognitions []recognitionBody `json:"recognitions"`
	}
	for _, u := range []*user{mgr, eve, fay, e.admin} {
		e.call(u, "GET", path, nil).Want(http.StatusOK).Decode(&feed)
		if len(feed.Recognitions) != 2 || feed.Recognitions[0].ID != r2.ID || feed.Recognitions[1].ID != r1.ID {
			t.Fatalf("feed for %s = %+v, want both, newest first", u.Email, feed.Recognitions)
		}
	}
	e.call(mgr, "GET", path+"?limit=1", nil).Want(http.StatusOK).Decode(&feed)
	if len(feed.Recognitions) != 1 {
		t.Fatalf("limit=1 gave %d", len(feed.Recognitions))
	}
	wantProblem(t, e.call(mgr, "GET", path+"?limit=0", nil), http.StatusUnprocessableEntity)
	wantProblem(t, e.call(outsider, "GET", path, nil), http.StatusNotFound)

	e.call(eve, "GET", "/api/v1/me/recognitions", nil).Want(http.StatusOK).Decode(&feed)
	if len(feed.Recognitions) != 2 || feed.Recognitions[1].Message != "Closed Acme by mapping the whole group!" {
		t.Fatalf("eve's recognitions = %+v", feed.Recognitions)
	}
	e.call(fay, "GET", "/api/v1/me/recognitions", nil).Want(http.StatusOK).Decode(&feed)
	if len(feed.Recognitions) != 0 {
		t.Fatalf("fay received %+v", feed.Recognitions)
	}
}

func TestPrompts(t *testing.T) {
	e := newEnv(t)
	mgr, gil, hal := e.user("mgr", ""), e.user("gil", ""), e.user("hal", "")
	team := e.teamOf(mgr, "Prompts")
	e.seedMember(team, gil)
	e.seedMember(team, hal)
	path := "/api/v1/teams/" + team + "/prompts"
	type prompt struct{ UserID, Name, Reason, Detail string }
	prompts := func() []prompt {
		var out struct {
			Prompts []struct {
				UserID string `json:"user_id"`
				Name   string `json:"name"`
				Reason string `json:"reason"`
				Detail string `json:"detail"`
				At     string `json:"at"`
			} `json:"prompts"`
		}
		e.call(mgr, "GET", path, nil).Want(http.StatusOK).Decode(&out)
		ps := make([]prompt, len(out.Prompts))
		for i, p := range out.Prompts {
			ps[i] = prompt{p.UserID, p.Name, p.Reason, p.Detail}
		}
		return ps
	}
	if ps := prompts(); len(ps) != 0 {
		t.Fatalf("prompts before anything happened = %+v", ps)
	}
	// gil finishes a module and grows; hal only takes a baseline.
	e.assess(gil, 1, 3)
	e.complete(gil, e.lessons[modBeta]...)
	e.assess(gil, 4, 3)
	e.assess(hal, 2, 2)
	ps := prompts()
	reasons := map[string]bool{}
	for _, p := range ps {
		if p.UserID != gil.ID {
			t.Errorf("prompt for someone else: %+v", p)
		}
		reasons[p.Reason+": "+p.Detail] = true
	}
	if len(ps) != 2 || !reasons["completed_module: completed Module "+modBeta] || !reasons["significant_growth: Listening up 75.0 points since the baseline"] {
		t.Fatalf("prompts = %+v", ps)
	}
	wantProblem(t, e.call(gil, "GET", path, nil), http.StatusForbidden)

	// Recognising gil clears both prompts.
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/recognitions", map[string]any{"user_id": gil.ID, "message": "Great work"}).Want(http.StatusCreated)
	if ps := prompts(); len(ps) != 0 {
		t.Fatalf("prompts after recognising = %+v", ps)
	}
}
