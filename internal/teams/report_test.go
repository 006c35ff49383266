package teams_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

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

// TestReportQueryCount proves the report costs the same number of queries for 10 reps as for 50:
// one aggregation plus the batched progress and skills reads, never a query per rep.
func TestReportQueryCount(t *testing.T) {
	e := newEnv(t)
	const slug = "teams-load" // its own instrument, so these baselines leave the fixture's reliability alone
	e.importInstrument(slug)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Load")
	var counting atomic.Bool
	var queries atomic.Int64
	count := func(*gorm.DB) {
		if counting.Load() {
			queries.Add(1)
		}
	}
	cb := e.DB.Gorm.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("teams_test:count_query", count),
		"row":    cb.Row().After("gorm:row").Register("teams_test:count_row", count),
		"raw":    cb.Raw().After("gorm:raw").Register("teams_test:count_raw", count),
		"create": cb.Create().After("gorm:create").Register("teams_test:count_create", count),
		"update": cb.Update().After("gorm:update").Register("teams_test:count_update", count),
		"delete": cb.Delete().After("gorm:delete").Register("teams_test:count_delete", count),
	} {
		if err != nil {
			t.Fatalf("register %s callback: %v", name, err)
		}
	}
	addReps := func(n int) {
		for i := 0; i < n; i++ {
			u := e.user(fmt.Sprintf("load%d", i), "")
			e.seedMember(team, u)
			e.complete(u, e.lessons[modAlpha][i%4])
			e.assessOn(slug, u, 1+i%5, 1+(i+2)%5)
		}
	}
	measure := func(members int) int64 {
		var r reportBody
		e.call(mgr, "GET", "/api/v1/teams/"+team+"/report", nil).Want(http.StatusOK).Decode(&r) // warms caches
		if len(r.Members) != members {
			t.Fatalf("%d members in the report, want %d", len(r.Members), members)
		}
		queries.Store(0)
		counting.Store(true)
		e.call(mgr, "GET", "/api/v1/teams/"+team+"/report", nil).Want(http.StatusOK)
		counting.Store(false)
		return queries.Load()
	}
	addReps(10)
	at10 := measure(10)
	addReps(40)
	at50 := measure(50)
	if at10 != at50 || at50 > 8 {
		t.Fatalf("report queries: %d with 10 reps, %d with 50; want the same small number", at10, at50)
	}
	t.Logf("report: %d queries for 10 reps and for 50", at50)
}
