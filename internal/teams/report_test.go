package teams_test

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/app/apptest"
)

type compBody struct {
	Competency  string  `json:"competency"`
	Baseline    float64 `json:"baseline"`
	Latest      float64 `json:"latest"`
	Delta       float64 `json:"delta"`
	Band        string  `json:"band"`
	Significant bool    `json:"significant"`
}

type reportMember struct {
	UserID           string     `json:"user_id"`
	Name             string     `json:"name"`
	Email            string     `json:"email"`
	CompletedLessons int        `json:"completed_lessons"`
	LessonCount      int        `json:"lesson_count"`
	Percent          int        `json:"percent"`
	LastActiveAt     *string    `json:"last_active_at"`
	Competencies     []compBody `json:"competencies"`
}

type teamComp struct {
	Competency  string  `json:"competency"`
	BaselineAvg float64 `json:"baseline_avg"`
	LatestAvg   float64 `json:"latest_avg"`
	DeltaAvg    float64 `json:"delta_avg"`
	Members     int     `json:"members"`
}

type reportBody struct {
	Members []reportMember `json:"members"`
	Team    struct {
		MemberCount  int        `json:"member_count"`
		Competencies []teamComp `json:"competencies"`
	} `json:"team"`
	GeneratedAt string `json:"generated_at"`
}

// TestReportNumbers checks the report against values computed by hand for three reps:
//
//	ada: baseline listening 3s, mapping 3s → 50, 50; then completes beta (2 lessons) and alpha l1,
//	     which opens a progress attempt early: listening 5s, mapping 4s → 100, 75.
//	     3 of 6 published lessons → 50%. Growth +50 and +25 are both beyond 1.96 × S_diff
//	     (S_diff = √2 × 15 × √(1−.8) ≈ 9.49, so 18.6 points) → significant_growth.
//	bob: baseline 2s → 25, 25, no progress attempt (latest = baseline); all 6 lessons → 100%.
//	cid: nothing yet.
//
// Team averages over the two assessed reps: listening (50+25)/2 = 37.5 → (100+25)/2 = 62.5;
// mapping 37.5 → (75+25)/2 = 50.
func TestReportNumbers(t *testing.T) {
	e := newEnv(t)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Numbers")
	ada, bob, cid := e.user("ada", ""), e.user("bob", ""), e.user("cid", "")
	for _, u := range []*user{ada, bob, cid} {
		e.seedMember(team, u)
	}
	e.assess(ada, 3, 3)
	e.complete(ada, e.lessons[modBeta]...)
	e.complete(ada, e.lessons[modAlpha][0])
	e.assess(ada, 5, 4)
	e.assess(bob, 2, 2)
	e.complete(bob, e.lessons[modAlpha]...)
	e.complete(bob, e.lessons[modBeta]...)

	var r reportBody
	e.call(mgr, "GET", "/api/v1/teams/"+team+"/report", nil).Want(http.StatusOK).Decode(&r)
	if len(r.Members) != 3 || r.Team.MemberCount != 3 || r.GeneratedAt == "" {
		t.Fatalf("report = %+v", r)
	}
	sig := func(c string, b, l float64) compBody {
		return compBody{Competency: c, Baseline: b, Latest: l, Delta: l - b, Band: "significant_growth", Significant: true}
	}
	flat := func(c string, v float64) compBody {
		return compBody{Competency: c, Baseline: v, Latest: v, Band: "within_noise"}
	}
	want := []struct {
		u              *user
		completed, pct int
		active         bool
		comps          []compBody
	}{
		{ada, 3, 50, true, []compBody{sig("listening", 50, 100), sig("mapping", 50, 75)}},
		{bob, 6, 100, true, []compBody{flat("listening", 25), flat("mapping", 25)}},
		{cid, 0, 0, false, []compBody{}},
	}
	for i, w := range want {
		m := r.Members[i]
		if m.UserID != w.u.ID || m.Email != w.u.Email || m.CompletedLessons != w.completed || m.LessonCount != 6 ||
			m.Percent != w.pct || (m.LastActiveAt != nil) != w.active {
			t.Errorf("member %d = %+v, want %s with %d lessons, %d%%", i, m, w.u.Email, w.completed, w.pct)
		}
		if !reflect.DeepEqual(w.comps, m.Competencies) {
			t.Errorf("%s competencies:\n got %+v\nwant %+v", w.u.Email, m.Competencies, w.comps)
		}
	}
	wantTeam := []teamComp{
		{Competency: "listening", BaselineAvg: 37.5, LatestAvg: 62.5, DeltaAvg: 25, Members: 2},
		{Competency: "mapping", BaselineAvg: 37.5, LatestAvg: 50, DeltaAvg: 12.5, Members: 2},
	}
	if !reflect.DeepEqual(wantTeam, r.Team.Competencies) {
		t.Errorf("team averages:\n got %+v\nwant %+v", r.Team.Competencies, wantTeam)
	}

	t.Run("csv", func(t *testing.T) {
		res := e.Do(apptest.Request{Method: "GET", Path: "/api/v1/teams/" + team + "/report", Token: mgr.Token,
			Header: map[string]string{"Accept": "text/csv"}}).Want(http.StatusOK)
		if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type = %q", ct)
		}
		if cd := res.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		rows, err := csv.NewReader(strings.NewReader(res.Body.String())).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v\n%s", err, res.Body.String())
		}
		header := []string{"user_id", "name", "email", "completed_lessons", "lesson_count", "percent", "last_active_at",
			"practice_submitted", "practice_reviewed", "practice_awaiting_review",
			"listening_baseline", "listening_latest", "listening_delta", "listening_band", "listening_observed", "listening_gap",
			"mapping_baseline", "mapping_latest", "mapping_delta", "mapping_band", "mapping_observed", "mapping_gap"}
		if len(rows) != 4 {
			t.Fatalf("%d rows, want a header and 3 members:\n%s", len(rows), res.Body.String())
		}
		if !reflect.DeepEqual(header, rows[0]) {
			t.Errorf("header:\n got %+v\nwant %+v", rows[0], header)
		}
		wantRows := [][]string{
			{ada.ID, ada.Name, ada.Email, "3", "6", "50", "*", "0", "0", "0",
				"50", "100", "+50", "significant_growth", "", "", "50", "75", "+25", "significant_growth", "", ""},
			{bob.ID, bob.Name, bob.Email, "6", "6", "100", "*", "0", "0", "0",
				"25", "25", "0", "within_noise", "", "", "25", "25", "0", "within_noise", "", ""},
			{cid.ID, cid.Name, cid.Email, "0", "6", "0", "", "0", "0", "0", "", "", "", "", "", "", "", "", "", "", "", ""},
		}
		for i, w := range wantRows {
			got := rows[i+1]
			if w[6] == "*" && got[6] != "" {
				w[6] = got[6] // a timestamp: checked for presence only
			}
			if !reflect.DeepEqual(w, got) {
				t.Errorf("row %d:\n got %+v\nwant %+v", i+1, got, w)
			}
		}
	})

	t.Run("drill-down", func(t *testing.T) {
		var m reportMember
		e.call(mgr, "GET", "/api/v1/teams/"+team+"/members/"+ada.ID, nil).Want(http.StatusOK).Decode(&m)
		if m.UserID != ada.ID || m.CompletedLessons != 3 || len(m.Competencies) != 2 || m.Competencies[0].Latest != 100 {
			t.Errorf("drill-down = %+v", m)
		}
		wantProblem(t, e.call(mgr, "GET", "/api/v1/teams/"+team+"/members/"+mgr.ID, nil), http.StatusNotFound)
	})

	t.Run("reps never see scores", func(t *testing.T) {
		wantProblem(t, e.call(bob, "GET", "/api/v1/teams/"+team+"/report", nil), http.StatusForbidden)
		wantProblem(t, e.call(bob, "GET", "/api/v1/teams/"+team+"/members/"+ada.ID, nil), http.StatusForbidden)
		wantProblem(t, e.call(bob, "GET", "/api/v1/teams/"+team+"/members/"+bob.ID, nil), http.StatusForbidden)
		body := e.call(bob, "GET", "/api/v1/teams/"+team, nil).Want(http.StatusOK).Body.String()
		for _, leak := range []string{"baseline", "latest", "percent", "completed_lessons"} {
			if strings.Contains(body, leak) {
				t.Errorf("a rep's team view contains %q: %s", leak, body)
			}
		}
	})
}

// TestReportQueryCount proves the report costs exactly three statements for 10 reps as for 50,
// counted on the wire by a pgx tracer (GORM's statements and pgx's alike), among the statements
// of the request alone: the caller's access, the learners with their numbers, their
// per-competency rows. The drill-down costs the same three.
func TestReportQueryCount(t *testing.T) {
	counter := &requestStatements{}
	e := newEnvWith(t, app.WithQueryTracer(counter))
	const slug = "teams-load" // its own instrument, so these baselines leave the fixture's reliability alone
	e.importInstrument(slug)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Load")
	var first *user
	added := 0
	addReps := func(n int) { // up to n reps in all
		for ; added < n; added++ {
			i := added
			u := e.user(fmt.Sprintf("load%d", i), "")
			first = cmp.Or(first, u)
			e.seedMember(team, u)
			e.complete(u, e.lessons[modAlpha][i%4])
			e.assessOn(slug, u, 1+i%5, 1+(i+2)%5)
		}
	}
	measure := func(members int) (report, member []string) {
		var r reportBody
		e.call(mgr, "GET", "/api/v1/teams/"+team+"/report", nil).Want(http.StatusOK).Decode(&r) // warms caches
		if len(r.Members) != members {
			t.Fatalf("%d members in the report, want %d", len(r.Members), members)
		}
		report = counter.during(t, func(ctx context.Context) {
			e.serve(ctx, mgr, "/api/v1/teams/"+team+"/report", http.StatusOK)
		})
		member = counter.during(t, func(ctx context.Context) {
			e.serve(ctx, mgr, "/api/v1/teams/"+team+"/members/"+first.ID, http.StatusOK)
		})
		return report, member
	}
	const budget = 3
	for _, n := range []int{10, 50} {
		addReps(n)
		report, member := measure(n)
		if len(report) != budget || len(member) != budget {
			t.Fatalf("%d reps: the report sent %d statements and the drill-down %d, want %d each:\n%s",
				n, len(report), len(member), budget, strings.Join(append(report, member...), "\n"))
		}
	}
}
