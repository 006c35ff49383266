package teams_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// Practice is seeded straight into its tables (the practice flow itself is tested in
// internal/practice): an activity whose rubric scores the fixture instrument's two competencies,
// attempts in each state, and reviews with chosen scores.

// seedActivity stores an activity with criteria l1, l2 (listening) and m1 (mapping).
func (e *env) seedActivity(title string) string {
	e.t.Helper()
	rubric := `[{"id":"l1","competency":"listening","criterion":"Asks","anchors":{"1":"a","3":"b","5":"c"}},
		{"id":"l2","competency":"listening","criterion":"Plays back","anchors":{"1":"a","3":"b","5":"c"}},
		{"id":"m1","competency":"mapping","criterion":"Names the decider","anchors":{"1":"a","3":"b","5":"c"}}]`
	var id string
	slug := "teams-practice-" + strings.ToLower(randomHex(4))
	if err := e.DB.Gorm.Raw(`INSERT INTO practice_activities (slug, title, competencies, kind, brief, brief_html, time_limit_seconds, rubric)
		VALUES (?, ?, '{listening,mapping}', 'text', 'Respond.', '<p>Respond.</p>', 120, ?) RETURNING id`, slug, title, rubric).
		Scan(&id).Error; err != nil {
		e.t.Fatalf("seed activity: %v", err)
	}
	return id
}

// seedSubmission stores attempt n of u at the activity in a state, handed in (and reviewed)
// at the given time; it returns the attempt's id.
func (e *env) seedSubmission(activity string, u *user, n int, status string, at time.Time) string {
	e.t.Helper()
	var submitted, reviewed *time.Time
	if status != "draft" {
		submitted = &at
	}
	if status == "reviewed" {
		reviewed = &at
	}
	var id string
	if err := e.DB.Gorm.Raw(`INSERT INTO practice_submissions (activity_id, user_id, attempt, status, text, self_review, submitted_at, reviewed_at)
		VALUES (?, ?, ?, ?, 'My answer', '{"scores":[]}', ?, ?) RETURNING id`, activity, u.ID, n, status, submitted, reviewed).
		Scan(&id).Error; err != nil {
		e.t.Fatalf("seed submission: %v", err)
	}
	return id
}

// seedReview stores a submitted review of the attempt by reviewer in role with scores l1, l2, m1.
func (e *env) seedReview(submission string, reviewer *user, role string, l1, l2, m1 int) {
	e.t.Helper()
	scores := fmt.Sprintf(`[{"criterion_id":"l1","score":%d},{"criterion_id":"l2","score":%d},{"criterion_id":"m1","score":%d}]`, l1, l2, m1)
	if err := e.DB.Gorm.Exec(`INSERT INTO practice_reviews (submission_id, reviewer_id, role, scores, summary, submitted_at)
		VALUES (?, ?, ?, ?, 'Good', now())`, submission, reviewer.ID, role, scores).Error; err != nil {
		e.t.Fatalf("seed review: %v", err)
	}
}

type practiceCounts struct {
	Submitted      int `json:"submitted"`
	Reviewed       int `json:"reviewed"`
	AwaitingReview int `json:"awaiting_review"`
}

type observedComp struct {
	Competency string   `json:"competency"`
	Latest     float64  `json:"latest"`
	Observed   *float64 `json:"observed"`
	Gap        *float64 `json:"gap"`
}

type practiceMember struct {
	UserID       string         `json:"user_id"`
	Practice     practiceCounts `json:"practice"`
	Competencies []observedComp `json:"competencies"`
}

func num(v float64) *float64 { return &v }

// TestReportPractice checks the report's practice columns against values computed by hand:
//
//	ada: self-ratings (Likert part) listening 100 (5s), mapping 25 (2s). Two reviewed attempts,
//	     manager scores (l1, l2, m1) = (3, 4, 2) and (5, 4, 1); a peer's 5s never count.
//	     listening mean (3+4+5+4)/4 = 4 → 100·3/4 = 75, gap 100-75 = 25;
//	     mapping mean (2+1)/2 = 1.5 → 12.5, gap 25-12.5 = 12.5.
//	     Plus one attempt waiting for review and one draft: submitted 3, reviewed 2, waiting 1.
//	bob: self 50 and 50 (3s). Six reviewed attempts: the oldest scored 1s, the five newest 5s; the
//	     observed score averages the last five only → 100, gap 50-100 = -50 on both.
//	cid: assessed, no practice: counts 0, observed and gap null.
func TestReportPractice(t *testing.T) {
	e := newEnv(t)
	mgr, peer := e.user("pmgr", ""), e.user("ppeer", "")
	team := e.teamOf(mgr, "Practice report")
	ada, bob, cid := e.user("pada", ""), e.user("pbob", ""), e.user("pcid", "")
	for _, u := range []*user{ada, bob, cid, peer} {
		e.seedMember(team, u)
	}
	e.assess(ada, 5, 2)
	e.assess(bob, 3, 3)
	e.assess(cid, 4, 4)
	act := e.seedActivity("Price push-back")
	now := time.Now().UTC()
	a1 := e.seedSubmission(act, ada, 1, "reviewed", now.Add(-3*time.Hour))
	e.seedReview(a1, mgr, "manager", 3, 4, 2)
	e.seedReview(a1, peer, "peer", 5, 5, 5)
	a2 := e.seedSubmission(act, ada, 2, "reviewed", now.Add(-2*time.Hour))
	e.seedReview(a2, mgr, "manager", 5, 4, 1)
	e.seedSubmission(act, ada, 3, "submitted", now.Add(-time.Hour))
	e.seedSubmission(act, ada, 4, "draft", now)
	for i := 1; i <= 6; i++ {
		s := e.seedSubmission(act, bob, i, "reviewed", now.Add(time.Duration(i-10)*time.Hour))
		v := 5
		if i == 1 {
			v = 1
		}
		e.seedReview(s, mgr, "manager", v, v, v)
	}

	var r struct {
		Members []practiceMember `json:"members"`
	}
	e.call(mgr, "GET", "/api/v1/teams/"+team+"/report", nil).Want(http.StatusOK).Decode(&r)
	want := map[string]practiceMember{
		ada.ID: {ada.ID, practiceCounts{3, 2, 1}, []observedComp{{"listening", 100, num(75), num(25)}, {"mapping", 25, num(12.5), num(12.5)}}},
		bob.ID: {bob.ID, practiceCounts{6, 6, 0}, []observedComp{{"listening", 50, num(100), num(-50)}, {"mapping", 50, num(100), num(-50)}}},
		cid.ID: {cid.ID, practiceCounts{}, []observedComp{{"listening", 75, nil, nil}, {"mapping", 75, nil, nil}}},
	}
	for _, m := range r.Members {
		w, ok := want[m.UserID]
		if !ok {
			continue
		}
		delete(want, m.UserID)
		if !reflect.DeepEqual(w, m) {
			got, _ := json.Marshal(m)
			exp, _ := json.Marshal(w)
			t.Errorf("member:\n got %s\nwant %s", got, exp)
		}
	}
	if len(want) > 0 {
		t.Errorf("report lacks %v", want)
	}

	res := e.Do(apptest.Request{Method: "GET", Path: "/api/v1/teams/" + team + "/report", Token: mgr.Token,
		Header: map[string]string{"Accept": "text/csv"}}).Want(http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(res.Body.String())).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		if row[0] != ada.ID {
			continue
		}
		for k, v := range map[string]string{"practice_submitted": "3", "practice_reviewed": "2", "practice_awaiting_review": "1",
			"listening_observed": "75", "listening_gap": "+25", "mapping_observed": "13", "mapping_gap": "+13"} {
			if row[col[k]] != v {
				t.Errorf("csv %s = %q, want %q", k, row[col[k]], v)
			}
		}
	}
}

// TestRecognitionWithSubmission: a reviewed attempt of the recognised rep is evidence; another
// rep's, one not reviewed yet, or an id that names nothing is 422 on evidence.id.
func TestRecognitionWithSubmission(t *testing.T) {
	e := newEnv(t)
	mgr := e.user("rsmgr", "")
	team := e.teamOf(mgr, "Practice evidence")
	ada, bob := e.user("rsada", ""), e.user("rsbob", "")
	e.seedMember(team, ada)
	e.seedMember(team, bob)
	act := e.seedActivity("Discovery opener")
	now := time.Now().UTC()
	reviewed := e.seedSubmission(act, ada, 1, "reviewed", now.Add(-time.Hour))
	waiting := e.seedSubmission(act, ada, 2, "submitted", now)
	bobs := e.seedSubmission(act, bob, 1, "reviewed", now)

	path := "/api/v1/teams/" + team + "/recognitions"
	for name, id := range map[string]string{"another rep's": bobs, "not reviewed yet": waiting,
		"unknown": "6f1c1c1e-0000-4000-8000-000000000000"} {
		res := e.call(mgr, "POST", path, map[string]any{"user_id": ada.ID, "message": "Strong opener",
			"evidence": map[string]any{"kind": "submission", "id": id}}).Want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body.String(), `"evidence.id"`) {
			t.Errorf("%s attempt: %s", name, res.Body.String())
		}
	}
	e.call(mgr, "POST", path, map[string]any{"user_id": ada.ID, "message": "Strong opener",
		"evidence": map[string]any{"kind": "submission", "id": reviewed, "text": "x"}}).Want(http.StatusUnprocessableEntity)

	var rec struct {
		Evidence struct {
			Kind  string `json:"kind"`
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"evidence"`
	}
	e.call(mgr, "POST", path, map[string]any{"user_id": ada.ID, "message": "Strong opener", "competency": "job_diagnosis",
		"evidence": map[string]any{"kind": "submission", "id": reviewed}}).Want(http.StatusCreated).Decode(&rec)
	if rec.Evidence.Kind != "submission" || rec.Evidence.ID != reviewed || rec.Evidence.Title != "Discovery opener" {
		t.Fatalf("evidence = %+v", rec.Evidence)
	}
	var feed struct {
		Recognitions []struct {
			Evidence *struct {
				Kind  string  `json:"kind"`
				ID    string  `json:"id"`
				Title string  `json:"title"`
				Text  *string `json:"text"`
			} `json:"evidence"`
		} `json:"recognitions"`
	}
	e.call(ada, "GET", path, nil).Want(http.StatusOK).Decode(&feed)
	if len(feed.Recognitions) != 1 || feed.Recognitions[0].Evidence == nil {
		t.Fatalf("feed = %+v", feed)
	}
	if ev := feed.Recognitions[0].Evidence; ev.Kind != "submission" || ev.ID != reviewed || ev.Title != "Discovery opener" || ev.Text != nil {
		t.Errorf("feed evidence = %+v", ev)
	}
}

// TestDigestReviewsWaiting: the manager's digest counts their reps' attempts waiting for a
// manager's review (not drafts, not reviewed ones, not one they reviewed, not another team's)
// and links to the review queue.
func TestDigestReviewsWaiting(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	ctx := context.Background()
	const zone = "Europe/Paris"
	mgr, other := e.user("rwmgr", ""), e.user("rwother", "")
	ann, ben, far := e.user("rwann", ""), e.user("rwben", ""), e.user("rwfar", "")
	one, two := e.teamOf(mgr, "Waiting One"), e.teamOf(mgr, "Waiting Two")
	e.seedMember(one, ann)
	e.seedMember(two, ann) // in both teams: counted once
	e.seedMember(two, ben)
	e.seedMember(e.teamOf(other, "Waiting Elsewhere"), far)
	for _, u := range []*user{mgr, other} {
		e.call(u, "PATCH", "/api/v1/me", map[string]any{"time_zone": zone}).Want(http.StatusOK)
	}
	act := e.seedActivity("Multi-threading")
	now := time.Now().UTC()
	e.seedSubmission(act, ann, 1, "submitted", now)
	e.seedSubmission(act, ann, 2, "draft", now)
	e.seedSubmission(act, ben, 1, "submitted", now)
	done := e.seedSubmission(act, ben, 2, "reviewed", now)
	e.seedReview(done, mgr, "manager", 4, 4, 4)
	e.seedSubmission(act, far, 1, "submitted", now)

	fri := fridayNine(t, zone, e.Now())
	if _, err := e.Teams.SendManagerDigests(ctx, fri); err != nil {
		t.Fatalf("digests: %v", err)
	}
	msg := mailpittest.WaitFor(t, mgr.Email, "your teams this week")
	want := "Reviews waiting: 2 practice attempts from your teams are waiting for your review."
	if !strings.Contains(msg.Text, want) {
		t.Errorf("digest text lacks %q:\n%s", want, msg.Text)
	}
	mailpittest.Link(t, msg.Text, "http://rapport.test/practice/reviews")
	if !strings.Contains(msg.HTML, "Review now") || !strings.Contains(msg.HTML, "http://rapport.test/practice/reviews") {
		t.Errorf("digest HTML lacks the review link:\n%s", msg.HTML)
	}
	otherMsg := mailpittest.WaitFor(t, other.Email, "your team this week")
	if !strings.Contains(otherMsg.Text, "Reviews waiting: 1 practice attempt from your team is waiting for your review.") {
		t.Errorf("other manager's digest:\n%s", otherMsg.Text)
	}
}
