package app_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/practice"
)

// webmClip is the start of a WebM file (its EBML magic) followed by bytes no player needs here:
// enough for the server, which checks the magic, streams the rest and reads no duration from it.
func webmClip(n int) []byte {
	// EBML header: version 1, DocType "webm".
	head := []byte{0x1A, 0x45, 0xDF, 0xA3, 0x8B, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, 'w', 'e', 'b', 'm'}
	b := append(head, make([]byte, n)...)
	for i := len(head); i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	return b
}

// practiceTeam is a team for the review loop: two managers, the rep whose attempts are reviewed,
// a teammate who can be invited as a peer, and an outsider in no team.
type practiceTeam struct {
	teamID                                 string
	manager, manager2, rep, mate, outsider *account
}

// practiceActivities loads the fixture activities (internal/practice/testdata) after publishing
// the free module they refer to, once per database.
func practiceActivities(w *world) {
	w.t.Helper()
	ins := w.account("pr-ins", "instructor")
	if r := w.call(nil, "GET", "/api/v1/modules/buyer-has-changed", nil); r.Code == 404 {
		w.want(ins, 201, "POST", "/api/v1/studio/modules", map[string]any{"slug": "buyer-has-changed", "title": "The buyer has changed", "access": "free"}, nil)
		w.want(ins, 201, "POST", "/api/v1/studio/modules/buyer-has-changed/lessons",
			map[string]any{"slug": "l1", "title": "Lesson", "minutes": 3, "markdown": "Text."}, nil)
		w.want(ins, 201, "POST", "/api/v1/studio/modules/buyer-has-changed/publish", nil, nil)
	}
	rep, err := w.PracticeImporter.Import(context.Background(), os.DirFS("../practice/testdata"))
	if err != nil || len(rep.Errors) > 0 || len(rep.Activities) != 2 {
		w.t.Fatalf("practice import: %v %v %+v", err, rep.Errors, rep.Activities)
	}
}

func newPracticeTeam(w *world) practiceTeam {
	w.t.Helper()
	p := practiceTeam{manager: w.account("pr-max", ""), manager2: w.account("pr-mia", ""), rep: w.account("pr-rae", ""),
		mate: w.account("pr-mat", ""), outsider: w.account("pr-out", "")}
	admin := w.account("pr-adm", "admin")
	var team struct {
		ID string `json:"id"`
	}
	w.want(p.manager, 201, "POST", "/api/v1/teams", map[string]string{"name": "Practice team"}, &team)
	p.teamID = team.ID
	w.want(admin, 201, "POST", "/api/v1/admin/grants", map[string]any{"team_id": p.teamID, "seats": 5, "ends_at": inAYear()}, nil)
	w.want(p.manager, 201, "POST", "/api/v1/teams/"+p.teamID+"/invites",
		map[string]any{"emails": []string{p.rep.Email, p.mate.Email, p.manager2.Email}}, nil)
	for _, u := range []*account{p.rep, p.mate, p.manager2} {
		tok := mailToken(w.t, u.Email, "invited you to", "http://rapport.test/invites/")
		w.want(u, 200, "POST", "/api/v1/invites/"+tok+"/accept", nil, nil)
	}
	w.want(p.manager, 200, "PATCH", "/api/v1/teams/"+p.teamID+"/members/"+p.manager2.ID, map[string]string{"role": "manager"}, nil)
	return p
}

// fullScores scores every criterion of the video fixture.
func fullScores(a, b, c int) []map[string]any {
	return []map[string]any{{"criterion_id": "acknowledges", "score": a}, {"criterion_id": "reframes-cost", "score": b},
		{"criterion_id": "closing-question", "score": c}}
}

// practice drives every practice operation through the review loop, checking the blind rule for
// each role along the way.
func (s *scenario) practice() {
	t := s.t
	practiceActivities(s.world)
	p := newPracticeTeam(s.world)
	rep := p.rep

	var list struct {
		Activities []struct {
			Slug     string `json:"slug"`
			Access   string `json:"access"`
			MyStatus string `json:"my_status"`
		} `json:"activities"`
	}
	s.want(nil, 200, "GET", "/api/v1/practice", nil, &list)
	access := map[string]string{}
	for _, a := range list.Activities {
		access[a.Slug] = a.Access
	}
	if access["reframe-the-status-quo"] != "free" || access["recognise-a-reps-win"] != "premium" {
		t.Errorf("access: %v", access)
	}
	s.want(nil, 200, "GET", "/api/v1/practice/reframe-the-status-quo", nil, nil)
	s.want(nil, 401, "GET", "/api/v1/practice/recognise-a-reps-win", nil, nil)
	s.want(p.outsider, 402, "GET", "/api/v1/practice/recognise-a-reps-win", nil, nil)
	s.want(p.outsider, 402, "POST", "/api/v1/practice/recognise-a-reps-win/submissions", nil, nil)
	s.want(rep, 200, "GET", "/api/v1/practice/recognise-a-reps-win", nil, nil)
	s.want(rep, 404, "GET", "/api/v1/practice/no-such-activity", nil, nil)

	var sub struct {
		ID           string `json:"id"`
		Status       string `json:"status"`
		Attempt      int    `json:"attempt"`
		RecordingURL string `json:"recording_url"`
	}
	s.want(rep, 201, "POST", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &sub)
	var again struct {
		ID string `json:"id"`
	}
	s.want(rep, 200, "POST", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &again)
	if again.ID != sub.ID || sub.Status != "draft" || sub.Attempt != 1 {
		t.Errorf("open draft: %+v then %s", sub, again.ID)
	}
	base := "/api/v1/submissions/" + sub.ID

	// Nothing to submit yet: the 422 lists the recording and every self-score.
	r := s.call(rep, "POST", base+"/submit", nil).Want(422)
	for _, want := range []string{`"recording"`, `"self_review.scores.acknowledges"`, `"self_review.scores.closing-question"`} {
		if !strings.Contains(r.Body.String(), want) {
			t.Errorf("submit without anything: %s lacks %s", r.Body.String(), want)
		}
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	s.send(rep, "PUT", base+"/recording", png, map[string]string{"Content-Type": "video/webm"}).Want(415)
	s.send(rep, "PUT", base+"/recording", webmClip(4096), map[string]string{"Content-Type": "video/webm", "X-Duration-Seconds": "41.5"}).Want(204)
	s.send(p.outsider, "PUT", base+"/recording", webmClip(64), map[string]string{"Content-Type": "video/webm"}).Want(404)
	s.want(rep, 422, "PUT", base+"/text", map[string]any{"text": "   "}, nil)
	s.want(rep, 204, "PUT", base+"/text", map[string]any{"text": "Notes on what I said."}, nil)
	s.want(rep, 422, "PUT", base+"/self-review", map[string]any{"scores": []map[string]any{{"criterion_id": "made-up", "score": 3}}}, nil)
	s.want(rep, 422, "PUT", base+"/self-review", map[string]any{"scores": []map[string]any{{"criterion_id": "acknowledges", "score": 6}}}, nil)
	s.want(rep, 204, "PUT", base+"/self-review", map[string]any{"scores": fullScores(4, 4, 3)[:1], "note": "I rushed the question."}, nil)
	s.want(rep, 422, "POST", base+"/submit", nil, nil)
	s.want(rep, 204, "PUT", base+"/self-review", map[string]any{"scores": fullScores(4, 4, 3), "note": "I rushed the question."}, nil)

	// Managers see nothing of a draft.
	s.want(p.manager, 404, "GET", base, nil, nil)
	s.want(rep, 200, "GET", base, nil, &sub)
	if sub.RecordingURL == "" {
		t.Fatal("the owner's view has no recording_url")
	}
	rec := s.send(nil, "GET", sub.RecordingURL, nil, map[string]string{"Range": "bytes=0-3"}).Want(206)
	if got := rec.Header().Get("Cache-Control"); got != "private, no-store" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("recording headers: %v", rec.Header())
	}
	if rec.Body.String() != string(webmClip(0)[:4]) {
		t.Errorf("recording range: %q", rec.Body.String())
	}
	s.want(nil, 200, "GET", sub.RecordingURL, nil, nil)
	s.want(nil, 404, "GET", strings.Replace(sub.RecordingURL, "sig=", "sig=x", 1), nil, nil)

	s.want(rep, 200, "POST", base+"/submit", nil, nil)
	s.want(rep, 409, "POST", base+"/submit", nil, nil)
	s.want(rep, 409, "PUT", base+"/text", map[string]any{"text": "Too late."}, nil)
	reviewID := mailToken(t, p.manager.Email, "submitted a practice attempt", "http://rapport.test/reviews/")
	if reviewID != sub.ID {
		t.Errorf("the manager's e-mail links to %q, want %q", reviewID, sub.ID)
	}

	// Blind before their own review: no self_review, and no other reviewer's scores.
	var queue struct {
		Submissions []struct {
			ID   string `json:"id"`
			Role string `json:"role"`
		} `json:"submissions"`
	}
	s.want(p.manager, 200, "GET", "/api/v1/reviews/queue", nil, &queue)
	if len(queue.Submissions) != 1 || queue.Submissions[0].ID != sub.ID || queue.Submissions[0].Role != "manager" {
		t.Errorf("manager's queue: %+v", queue.Submissions)
	}
	blind(t, s.want(p.manager, 200, "GET", base, nil, nil).JSON(), "the manager before reviewing")
	s.want(rep, 403, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(3, 3, 3)}, nil)
	s.want(p.outsider, 404, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(3, 3, 3)}, nil)
	s.want(p.manager, 422, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(3, 0, 3)}, nil)
	s.want(p.manager, 204, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(2, 3, 3)[:2],
		"comments": []map[string]any{{"at_seconds": 12.5, "text": "Good playback of her words."}, {"text": "Slow down overall."}}}, nil)
	s.want(p.manager, 422, "POST", base+"/reviews/mine/submit", nil, nil)
	s.want(p.manager, 204, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(2, 3, 3),
		"comments": []map[string]any{{"at_seconds": 12.5, "text": "Good playback of her words."}}, "summary": "A solid start."}, nil)
	// The owner sees no draft review.
	if revs := s.want(rep, 200, "GET", base, nil, nil).JSON()["reviews"].([]any); len(revs) != 0 {
		t.Errorf("the owner sees a draft review: %v", revs)
	}

	// Peers: teammates only, invited by the owner or a manager.
	s.want(rep, 422, "POST", base+"/peer-reviewers", map[string]any{"user_ids": []string{p.outsider.ID}}, nil)
	s.want(p.outsider, 404, "POST", base+"/peer-reviewers", map[string]any{"user_ids": []string{p.mate.ID}}, nil)
	s.want(rep, 201, "POST", base+"/peer-reviewers", map[string]any{"user_ids": []string{p.mate.ID}}, nil)
	s.want(p.mate, 403, "POST", base+"/peer-reviewers", map[string]any{"user_ids": []string{p.mate.ID}}, nil)
	blind(t, s.want(p.mate, 200, "GET", base, nil, nil).JSON(), "the peer before reviewing")

	var done map[string]any
	s.want(p.manager, 200, "POST", base+"/reviews/mine/submit", nil, &done)
	if done["self_review"] == nil || done["status"] != "reviewed" {
		t.Errorf("after submitting, the manager sees: %v", done)
	}
	s.want(p.manager, 409, "POST", base+"/reviews/mine/submit", nil, nil)
	s.want(p.manager, 409, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(5, 5, 5)}, nil)

	// Still blind: the peer and the second manager, who have not reviewed.
	for name, u := range map[string]*account{"the peer": p.mate, "the second manager": p.manager2} {
		v := s.want(u, 200, "GET", base, nil, nil).JSON()
		blind(t, v, name+" after the first manager's review")
		if revs := v["reviews"].([]any); len(revs) != 1 {
			t.Errorf("%s sees %d reviews, want the manager's (without its scores)", name, len(revs))
		}
	}
	// The owner sees the submitted review in full.
	owner := s.want(rep, 200, "GET", base, nil, nil).JSON()
	revs := owner["reviews"].([]any)
	if len(revs) != 1 || revs[0].(map[string]any)["scores"] == nil || revs[0].(map[string]any)["summary"] != "A solid start." {
		t.Errorf("the owner's view of the review: %v", revs)
	}
	s.want(p.mate, 200, "GET", "/api/v1/reviews/queue", nil, &queue)
	if len(queue.Submissions) != 1 || queue.Submissions[0].Role != "peer" {
		t.Errorf("peer's queue: %+v", queue.Submissions)
	}
	s.want(p.mate, 204, "PUT", base+"/reviews/mine", map[string]any{"scores": fullScores(3, 3, 4), "summary": "Nice."}, nil)
	s.want(p.mate, 200, "POST", base+"/reviews/mine/submit", nil, &done)
	if done["self_review"] == nil || len(done["reviews"].([]any)) != 1 || done["reviews"].([]any)[0].(map[string]any)["scores"] == nil {
		t.Errorf("after the peer's review: %v", done)
	}
	s.want(p.outsider, 404, "GET", base, nil, nil)
	s.want(p.outsider, 404, "POST", base+"/reviews/mine/submit", nil, nil)
	counts, err := s.Practice.TeamCounts(context.Background(), []string{rep.ID, p.mate.ID})
	if err != nil || counts[rep.ID] != (practice.Counts{Submitted: 1, Reviewed: 1}) || len(counts) != 1 {
		t.Errorf("team counts: %+v %v", counts, err)
	}

	// Try again: attempt 2, listed beside attempt 1.
	var second struct {
		ID      string `json:"id"`
		Attempt int    `json:"attempt"`
	}
	s.want(rep, 201, "POST", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &second)
	var mine struct {
		Submissions []struct {
			ID      string `json:"id"`
			Attempt int    `json:"attempt"`
		} `json:"submissions"`
	}
	s.want(rep, 200, "GET", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &mine)
	if second.Attempt != 2 || len(mine.Submissions) != 2 || mine.Submissions[0].ID != second.ID {
		t.Errorf("attempts: %+v then %+v", second, mine.Submissions)
	}
	s.want(rep, 200, "GET", "/api/v1/practice", nil, nil)

	// Leaving the team ends a manager's access.
	s.want(p.manager, 204, "DELETE", "/api/v1/teams/"+p.teamID+"/members/"+rep.ID, nil, nil)
	s.want(p.manager, 404, "GET", base, nil, nil)
	s.want(p.mate, 200, "GET", base, nil, nil)

	s.want(p.mate, 403, "DELETE", base, nil, nil)
	s.want(rep, 204, "DELETE", base, nil, nil)
	s.want(rep, 404, "GET", base, nil, nil)
	s.want(nil, 404, "GET", sub.RecordingURL, nil, nil)
	s.want(nil, 404, "GET", "/practice-media/"+sub.ID+"?exp=1&sig=x", nil, nil)
}

// blind fails unless a submission's view hides the self-review and every other reviewer's scores,
// comments and summary (keys absent, not null).
func blind(t *testing.T, v map[string]any, who string) {
	t.Helper()
	if _, ok := v["self_review"]; ok {
		t.Errorf("%s sees self_review", who)
	}
	for _, r := range v["reviews"].([]any) {
		for _, k := range []string{"scores", "comments", "summary"} {
			if _, ok := r.(map[string]any)[k]; ok {
				t.Errorf("%s sees another reviewer's %s", who, k)
			}
		}
	}
}

// TestPracticeReviewLoop runs the practice scenario on its own (TestContractScenario runs it too,
// with every other domain).
func TestPracticeReviewLoop(t *testing.T) {
	s := &scenario{world: newWorld(t)}
	s.practice()
	_ = apptest.Password
}
