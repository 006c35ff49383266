package assess_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/assess"
)

type skillsBody struct {
	Competencies []struct {
		Assessment  string  `json:"assessment"`
		Competency  string  `json:"competency"`
		Name        string  `json:"name"`
		Baseline    float64 `json:"baseline"`
		Latest      float64 `json:"latest"`
		Delta       float64 `json:"delta"`
		RCI         float64 `json:"rci"`
		Band        string  `json:"band"`
		Significant bool    `json:"significant"`
		History     []struct {
			At    string  `json:"at"`
			Score float64 `json:"score"`
		} `json:"history"`
	} `json:"competencies"`
	AssessedAt *string `json:"assessed_at"`
}

func TestMySkillsByHand(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	u := MustUser(t, a, "learner")
	var sk skillsBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills"}).Want(401)
	r := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills", Token: u.Token}).Want(200)
	if r.Body.String() != `{"competencies":[],"assessed_at":null}`+"\n" {
		t.Errorf("before any attempt: %s", r.Body.String())
	}

	base := MustStart(t, a, u.Token, slug, 201)
	MustAnswerAll(t, a, u.Token, base, map[string]any{"a-l1": 2, "a-l2": 4, "a-s1": []int{3, 3, 3, 3}, "b-l1": 3,
		"b-c1": "y", "g-l1": 3, "g-l2": 3, "g-l3": 3}) // 46.875, 25, 50 (see TestMiniScoresByHand)
	MustSubmit(t, a, u.Token, base.ID)
	a.Advance(14 * 24 * time.Hour)
	a.Login(t, u, apptest.Password)
	prog := MustStart(t, a, u.Token, slug, 201)
	// alpha_skill: a-l1 5, a-l2 1 (→ 5): 100; SJT equals the keys: 100 → 100.
	// beta_skill: unchanged, 25. gamma_skill: 4, 4, 3 → mean 11/3 → 100*(8/3)/4 = 66.667.
	MustAnswerAll(t, a, u.Token, prog, map[string]any{"a-l1": 5, "a-l2": 1, "a-s1": []int{5, 1, 3, 2}, "b-l1": 3,
		"b-c1": "y", "g-l1": 4, "g-l2": 4, "g-l3": 3})
	MustSubmit(t, a, u.Token, prog.ID)

	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills", Token: u.Token}).Want(200).Decode(&sk)
	// One baseline exists, so the priors apply: S_diff = sqrt(2)*15*sqrt(1-.8) = 9.486833.
	want := []struct {
		competency, name        string
		baseline, latest, delta float64
		rci                     float64
		band                    string
		significant             bool
	}{
		{"alpha_skill", "Alpha skill", 46.88, 100, 53.13, 5.6, assess.BandSignificantGrowth, true}, // 53.125/9.4868 = 5.5999
		{"beta_skill", "Beta skill", 25, 25, 0, 0, assess.BandWithinNoise, false},
		{"gamma_skill", "Gamma skill", 50, 66.67, 16.67, 1.76, assess.BandLikelyGrowth, false}, // 16.667/9.4868 = 1.7568
	}
	if len(sk.Competencies) != len(want) || sk.AssessedAt == nil {
		t.Fatalf("skills = %+v", sk)
	}
	for i, w := range want {
		g := sk.Competencies[i]
		if g.Competency != w.competency || g.Name != w.name || g.Assessment != slug || !near(g.Baseline, w.baseline) ||
			!near(g.Latest, w.latest) || !near(g.Delta, w.delta) || !near(g.RCI, w.rci) || g.Band != w.band || g.Significant != w.significant {
			t.Errorf("%s: got %+v\nwant %+v", w.competency, g, w)
		}
		if len(g.History) != 2 || !near(g.History[0].Score, w.baseline) || !near(g.History[1].Score, w.latest) ||
			g.History[1].At != *sk.AssessedAt || g.History[0].At >= g.History[1].At {
			t.Errorf("%s history = %+v (assessed_at %s)", w.competency, g.History, *sk.AssessedAt)
		}
	}
}

// seed gives a learner n submitted attempts of slug through the service, 15 days apart; the
// gamma_skill answers vary so the history moves.
func seed(tb testing.TB, a *apptest.App, userID, slug string, n int) {
	tb.Helper()
	ctx := context.Background()
	for i := range n {
		at, _, err := a.Assess.Start(ctx, userID, slug)
		if err != nil {
			tb.Fatalf("start %d: %v", i, err)
		}
		g := json.RawMessage(fmt.Sprint(1 + i%5))
		values := map[string]json.RawMessage{"a-l1": g, "a-l2": json.RawMessage("3"), "a-s1": json.RawMessage("[5,1,3,2]"),
			"b-l1": json.RawMessage("4"), "b-c1": json.RawMessage(`"x"`), "g-l1": g, "g-l2": g, "g-l3": json.RawMessage("3")}
		for item, v := range values {
			if err := a.Assess.SaveResponse(ctx, userID, at.ID, item, v); err != nil {
				tb.Fatalf("answer %s: %v", item, err)
			}
		}
		if _, err := a.Assess.Submit(ctx, userID, at.ID); err != nil {
			tb.Fatalf("submit %d: %v", i, err)
		}
		a.Advance(15 * 24 * time.Hour)
	}
}

func TestSkillsReadABoundedNumberOfQueries(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	two, twenty, none := MustUser(t, a, "learner"), MustUser(t, a, "learner"), MustUser(t, a, "learner")
	seed(t, a, two.ID, slug, 2)
	seed(t, a, twenty.ID, slug, 20)
	ctx := context.Background()
	queries := CountQueries(t, a)
	count := func(fn func()) int64 {
		queries.Store(0)
		fn()
		return queries.Load()
	}
	skills := func(u *user) func() {
		return func() {
			a.Login(t, u, apptest.Password)
			queries.Store(0) // the login's own queries do not count
			a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills", Token: u.Token}).Want(200)
		}
	}
	cold := count(skills(two))
	warm2, warm20 := count(skills(two)), count(skills(twenty))
	t.Logf("GET /me/skills: %d queries cold, %d for 2 attempts, %d for 20 attempts", cold, warm2, warm20)
	// Cold: history, instruments, baseline answers and scores, first two attempts, lesson completions.
	if warm2 != warm20 || warm20 > 2 || cold > 6 {
		t.Errorf("queries: cold %d, 2 attempts %d, 20 attempts %d; want the same bounded number", cold, warm2, warm20)
	}

	var sk skillsBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills", Token: twenty.Token}).Want(200).Decode(&sk)
	if len(sk.Competencies) != 3 || len(sk.Competencies[2].History) != 20 {
		t.Fatalf("twenty: %+v", sk)
	}

	var sums map[string][]assess.CompetencySummary
	n := count(func() {
		var err error
		if sums, err = a.Assess.SkillSummaries(ctx, []string{two.ID, twenty.ID, none.ID}); err != nil {
			t.Fatal(err)
		}
	})
	if n > 2 {
		t.Errorf("SkillSummaries used %d queries, want at most 2", n)
	}
	if len(sums) != 2 || len(sums[twenty.ID]) != 3 || sums[none.ID] != nil {
		t.Fatalf("summaries = %+v", sums)
	}
	gamma := sums[twenty.ID][2]
	h := sk.Competencies[2].History
	if gamma.Competency != "gamma_skill" || !near(gamma.Baseline, h[0].Score, 0.005) || !near(gamma.Latest, h[19].Score, 0.005) ||
		!near(gamma.RCI, sk.Competencies[2].RCI, 0.005) || gamma.Band != sk.Competencies[2].Band {
		t.Errorf("summary %+v disagrees with /me/skills %+v", gamma, sk.Competencies[2])
	}

	g, err := a.Assess.Bands(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if c := g.Classify("gamma_skill", 50, 50+50.0/3); c.Band != assess.BandLikelyGrowth || c.Significant {
		t.Errorf("Bands: %+v, want likely growth", c)
	}
	if _, err := a.Assess.Bands(ctx, "no-such-thing"); err == nil {
		t.Error("Bands of an unknown instrument must fail")
	}
}

func BenchmarkMySkills(b *testing.B) {
	a := MustApp(b)
	slug := MustMini(b, a)
	u := MustUser(b, a, "learner")
	seed(b, a, u.ID, slug, 20)
	a.Login(b, u, apptest.Password)
	queries := CountQueries(b, a)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills", Token: u.Token}).Want(200)
	queries.Store(0)
	calls := 0
	b.ResetTimer()
	for b.Loop() {
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/skills", Token: u.Token}).Want(200)
		calls++
	}
	b.StopTimer()
	b.ReportMetric(float64(queries.Load())/float64(calls), "queries/op")
}
