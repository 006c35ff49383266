package teams_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// pulseOf creates a pulse of u's and, when answer is set, answers it as the buyer; it returns the
// pulse id.
func (e *env) pulseOf(u *user, answer map[string]any) string {
	e.t.Helper()
	var p struct {
		ID   string `json:"id"`
		Link string `json:"link"`
	}
	e.call(u, "POST", "/api/v1/pulses", map[string]any{"meeting": "Call", "prediction": map[string]int{"clarity": 3, "understood": 3, "again": 3}}).
		Want(http.StatusCreated).Decode(&p)
	if answer != nil {
		e.call(nil, "POST", "/api/v1/pulse/"+p.Link[strings.LastIndex(p.Link, "/")+1:], answer).Want(http.StatusNoContent)
	}
	return p.ID
}

type pulseAgg struct {
	Responses int                 `json:"responses"`
	Averages  *map[string]float64 `json:"averages"`
}

func (e *env) reportPulse(m *user, teamID, userID string) (pulseAgg, string) {
	e.t.Helper()
	r := e.call(m, "GET", "/api/v1/teams/"+teamID+"/report", nil).Want(http.StatusOK)
	var rep struct {
		Members []struct {
			UserID string   `json:"user_id"`
			Pulse  pulseAgg `json:"pulse"`
		} `json:"members"`
	}
	r.Decode(&rep)
	for _, mb := range rep.Members {
		if mb.UserID == userID {
			return mb.Pulse, r.Body.String()
		}
	}
	e.t.Fatalf("%s not in the report", userID)
	return pulseAgg{}, ""
}

// TestRecognitionWithPulseEvidenceAndAggregates: a manager recognises a rep with the rep's
// answered pulse as evidence (another rep's, or an unanswered one, is 422); the report shows the
// rep's pulse aggregates, averages only from the third answer, never a comment; the gap list
// names reps not recognised in 30 days, longest first.
func TestRecognitionWithPulseEvidenceAndAggregates(t *testing.T) {
	e := newEnv(t)
	m, rep, other := e.user("mgr", ""), e.user("rep", ""), e.user("other", "")
	teamID := e.teamOf(m, "Pulse team")
	e.grant(teamID, 5)
	e.seedMember(teamID, rep)
	e.seedMember(teamID, other)
	base := "/api/v1/teams/" + teamID

	secret := "<b>only for the rep</b> secret-comment"
	mine := e.pulseOf(rep, map[string]any{"clarity": 5, "understood": 4, "again": 3, "comment": secret})
	waiting := e.pulseOf(rep, nil)
	theirs := e.pulseOf(other, map[string]any{"clarity": 1, "understood": 1, "again": 1})

	agg, body := e.reportPulse(m, teamID, rep.ID)
	if agg.Responses != 1 || agg.Averages != nil || strings.Contains(body, "secret-comment") {
		t.Fatalf("one answer: %+v", agg)
	}

	recognise := func(ev map[string]any) *struct{ Code int } {
		r := e.call(m, "POST", base+"/recognitions", map[string]any{"user_id": rep.ID, "message": "Your buyer felt understood.",
			"competency": "social_awareness", "evidence": ev})
		return &struct{ Code int }{r.Code}
	}
	for name, ev := range map[string]map[string]any{
		"another rep's pulse":   {"kind": "pulse", "id": theirs},
		"a pulse not answered":  {"kind": "pulse", "id": waiting},
		"an unknown pulse":      {"kind": "pulse", "id": "33333333-3333-4333-8333-333333333333"},
		"a submission (absent)": {"kind": "submission", "id": mine},
	} {
		if got := recognise(ev).Code; got != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, got)
		}
	}
	if got := recognise(map[string]any{"kind": "pulse", "id": mine}).Code; got != http.StatusCreated {
		t.Fatalf("own pulse: %d", got)
	}
	feed := e.call(rep, "GET", base+"/recognitions", nil).Want(http.StatusOK).Body.String()
	if !strings.Contains(feed, `"competency":"social_awareness"`) || !strings.Contains(feed, `"evidence":{"kind":"pulse","id":"`+mine+`"}`) ||
		strings.Contains(feed, "secret-comment") {
		t.Fatalf("feed %s", feed)
	}

	e.pulseOf(rep, map[string]any{"clarity": 3, "understood": 4, "again": 5})
	if agg, _ := e.reportPulse(m, teamID, rep.ID); agg.Responses != 2 || agg.Averages != nil {
		t.Fatalf("two answers: %+v", agg)
	}
	e.pulseOf(rep, map[string]any{"clarity": 4, "understood": 4, "again": 4})
	agg, body = e.reportPulse(m, teamID, rep.ID)
	if agg.Responses != 3 || agg.Averages == nil || (*agg.Averages)["clarity"] != 4 || (*agg.Averages)["understood"] != 4 ||
		(*agg.Averages)["again"] != 4 || strings.Contains(body, "secret-comment") {
		t.Fatalf("three answers: %+v", agg)
	}

	// Gaps: other was never recognised; rep was just now. After 31 days both are due, never first.
	type gaps struct {
		Members []struct {
			UserID string     `json:"user_id"`
			Last   *time.Time `json:"last_recognized_at"`
		} `json:"members"`
	}
	var g gaps
	e.call(m, "GET", base+"/recognition-gaps", nil).Want(http.StatusOK).Decode(&g)
	if len(g.Members) != 1 || g.Members[0].UserID != other.ID || g.Members[0].Last != nil {
		t.Fatalf("gaps now: %+v", g)
	}
	e.call(rep, "GET", base+"/recognition-gaps", nil).Want(http.StatusForbidden)
	e.Advance(31 * 24 * time.Hour)
	e.login(m)
	e.call(m, "GET", base+"/recognition-gaps", nil).Want(http.StatusOK).Decode(&g)
	if len(g.Members) != 2 || g.Members[0].UserID != other.ID || g.Members[1].UserID != rep.ID || g.Members[1].Last == nil {
		t.Fatalf("gaps later: %+v", g)
	}
}

// TestPulseTrendWeeklyAndOnlyFromThreeAnswers: the team trend counts every week's answers of the
// team's reps (never an outsider's), shows averages and prediction error only in a week with 3
// answers, never a comment, and only to the team's managers (a rep 403, an outsider 404).
func TestPulseTrendWeeklyAndOnlyFromThreeAnswers(t *testing.T) {
	e := newEnv(t)
	m, rep, other, outsider := e.user("mgr", ""), e.user("rep", ""), e.user("other", ""), e.user("outsider", "")
	teamID := e.teamOf(m, "Trend team")
	e.grant(teamID, 5)
	e.seedMember(teamID, rep)
	e.seedMember(teamID, other)
	path := "/api/v1/teams/" + teamID + "/pulse-trend"

	// Last week: two answers, too few for averages.
	e.pulseOf(rep, map[string]any{"clarity": 2, "understood": 2, "again": 2, "comment": "secret-comment"})
	e.pulseOf(other, map[string]any{"clarity": 2, "understood": 2, "again": 2})
	e.Advance(7 * 24 * time.Hour)
	for _, u := range []*user{m, rep, other, outsider} {
		e.login(u)
	}
	// This week: three answers of the team (predictions are 3, 3, 3) and one of an outsider.
	e.pulseOf(rep, map[string]any{"clarity": 5, "understood": 4, "again": 3})
	e.pulseOf(rep, map[string]any{"clarity": 4, "understood": 4, "again": 4})
	e.pulseOf(other, map[string]any{"clarity": 1, "understood": 1, "again": 1})
	e.pulseOf(outsider, map[string]any{"clarity": 5, "understood": 5, "again": 5})

	type week struct {
		WeekStart    string              `json:"week_start"`
		Responses    int                 `json:"responses"`
		Averages     *map[string]float64 `json:"averages"`
		MeanAbsError *float64            `json:"mean_abs_error"`
	}
	var trend struct {
		Weeks        []week `json:"weeks"`
		MinResponses int    `json:"min_responses"`
	}
	r := e.call(m, "GET", path, nil).Want(http.StatusOK)
	if strings.Contains(r.Body.String(), "secret-comment") {
		t.Fatalf("a comment reached the manager: %s", r.Body.String())
	}
	r.Decode(&trend)
	if len(trend.Weeks) != 12 || trend.MinResponses != 3 {
		t.Fatalf("trend shape: %d weeks, min %d", len(trend.Weeks), trend.MinResponses)
	}
	now, prev := trend.Weeks[11], trend.Weeks[10]
	if prev.Responses != 2 || prev.Averages != nil || prev.MeanAbsError != nil {
		t.Fatalf("last week (2 answers) must show no averages: %+v", prev)
	}
	if now.Responses != 3 || now.Averages == nil || now.MeanAbsError == nil {
		t.Fatalf("this week (3 answers, outsider excluded): %+v", now)
	}
	a := *now.Averages
	if a["clarity"] != 3.33 || a["understood"] != 3 || a["again"] != 2.67 || *now.MeanAbsError != 1.33 {
		t.Fatalf("this week's averages %v, error %v", a, *now.MeanAbsError)
	}
	first, _ := time.Parse(time.DateOnly, trend.Weeks[0].WeekStart)
	last, _ := time.Parse(time.DateOnly, now.WeekStart)
	if first.Weekday() != time.Monday || last.Sub(first) != 11*7*24*time.Hour {
		t.Fatalf("weeks run %s..%s", trend.Weeks[0].WeekStart, now.WeekStart)
	}
	for _, w := range trend.Weeks[:10] {
		if w.Responses != 0 || w.Averages != nil {
			t.Fatalf("an empty week has data: %+v", w)
		}
	}

	e.call(rep, "GET", path, nil).Want(http.StatusForbidden)
	e.call(outsider, "GET", path, nil).Want(http.StatusNotFound)
	e.call(nil, "GET", path, nil).Want(http.StatusUnauthorized)
}
