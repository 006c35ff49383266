package assess_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/assess"
)

type statsBody struct {
	Assessment string `json:"assessment"`
	Baselines  int    `json:"baselines"`
	Items      []struct {
		ID         string   `json:"id"`
		Competency string   `json:"competency"`
		Type       string   `json:"type"`
		Text       string   `json:"text"`
		Reverse    bool     `json:"reverse"`
		N          int      `json:"n"`
		Mean       float64  `json:"mean"`
		SD         float64  `json:"sd"`
		ItemRestR  *float64 `json:"item_rest_r"`
		CeilingPct float64  `json:"ceiling_pct"`
		Flags      []string `json:"flags"`
	} `json:"items"`
	Competencies []struct {
		Competency     string   `json:"competency"`
		Name           string   `json:"name"`
		N              int      `json:"n"`
		Baselines      int      `json:"baselines"`
		Mean           *float64 `json:"mean"`
		AlphaLikert    *float64 `json:"alpha_likert"`
		AlphaSJT       *float64 `json:"alpha_sjt"`
		AlphaComposite *float64 `json:"alpha_composite"`
		SD             float64  `json:"sd"`
		Alpha          float64  `json:"alpha"`
		SDUsed         float64  `json:"sd_used"`
		Source         string   `json:"source"`
		SEM            float64  `json:"sem"`
		PracticeEffect struct {
			Effect float64  `json:"effect"`
			Source string   `json:"source"`
			N      int      `json:"n"`
			Sample *float64 `json:"sample"`
		} `json:"practice_effect"`
	} `json:"competencies"`
}

// baseline gives a new learner a submitted baseline with the given answers (JSON values).
func baseline(tb testing.TB, a *apptest.App, slug string, values map[string]string, submit bool) {
	tb.Helper()
	ctx := context.Background()
	u, err := a.Identity.CreateUser(ctx, "stats-"+randomSuffix()+"@example.com", apptest.Password, "", "learner")
	if err != nil {
		tb.Fatal(err)
	}
	at, _, err := a.Assess.Start(ctx, u.ID, slug)
	if err != nil {
		tb.Fatal(err)
	}
	for item, v := range values {
		if err := a.Assess.SaveResponse(ctx, u.ID, at.ID, item, json.RawMessage(v)); err != nil {
			tb.Fatalf("%s = %s: %v", item, v, err)
		}
	}
	if submit {
		if _, err := a.Assess.Submit(ctx, u.ID, at.ID); err != nil {
			tb.Fatal(err)
		}
	}
}

// statsLearner is one learner's baseline in the stats data set: a-l1, a-l2 (raw; reversed), the
// three gamma items and the choice.
func statsLearner(al1, al2, g1, g2, g3 int, choice string) map[string]string {
	return map[string]string{"a-l1": fmt.Sprint(al1), "a-l2": fmt.Sprint(al2), "a-s1": "[5,1,3,2]", "b-l1": "3",
		"b-c1": `"` + choice + `"`, "g-l1": fmt.Sprint(g1), "g-l2": fmt.Sprint(g2), "g-l3": fmt.Sprint(g3)}
}

func TestStatsAccessAndNumbers(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	path := "/api/v1/studio/assessments/" + slug + "/stats"
	for _, tt := range []struct {
		role string
		want int
	}{{"", 401}, {"learner", 403}, {"instructor", 200}, {"admin", 200}} {
		tok := ""
		if tt.role != "" {
			tok = MustUser(t, a, tt.role).Token
		}
		if r := a.Do(apptest.Request{Method: "GET", Path: path, Token: tok}).Want(tt.want); tt.want != 200 {
			wantProblem(t, r, "")
		}
	}
	inst := MustUser(t, a, "instructor").Token
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/assessments/no-such-thing/stats", Token: inst}).Want(404)

	// a-l2 is reverse keyed but these learners answer it like a-l1: keyed 5,4,2,1 against 1,2,4,5.
	baseline(t, a, slug, statsLearner(1, 1, 2, 3, 3, "x"), true)
	baseline(t, a, slug, statsLearner(2, 2, 3, 4, 3, "x"), true)
	baseline(t, a, slug, statsLearner(4, 4, 4, 4, 5, "y"), true)
	baseline(t, a, slug, statsLearner(5, 5, 5, 5, 5, "y"), true)
	baseline(t, a, slug, statsLearner(1, 5, 1, 1, 1, "y"), false) // unfinished: not counted

	var st statsBody
	a.Do(apptest.Request{Method: "GET", Path: path, Token: inst}).Want(200).Decode(&st)
	if st.Assessment != slug || st.Baselines != 4 || len(st.Items) != 8 || len(st.Competencies) != 3 {
		t.Fatalf("stats = %+v", st)
	}
	r := func(v float64) *float64 { return &v }
	low, ceil := []string{assess.FlagLowR}, []string{assess.FlagCeiling}
	wantItems := map[string]struct {
		mean, sd float64
		r        *float64
		ceiling  float64
		flags    []string
	}{
		"a-l1": {3, math.Sqrt(10.0 / 3), r(-1), 25, low}, // 1,2,4,5 against a-l2 keyed 5,4,2,1
		"a-l2": {3, math.Sqrt(10.0 / 3), r(-1), 25, low},
		"a-s1": {100, 0, nil, 100, ceil},                   // the competency's only judged item
		"b-l1": {3, 0, nil, 0, nil},                        // the competency's only Likert item
		"b-c1": {50, math.Sqrt(10000.0 / 3), nil, 50, nil}, // 100,100,0,0
		// gamma: 2,3,4,5 | 3,4,4,5 | 3,3,5,5; rest-totals 6,7,9,10 | 5,6,9,10 | 5,7,8,10.
		"g-l1": {3.5, math.Sqrt(5.0 / 3), r(7 / math.Sqrt(50)), 25, nil}, // sxy 7, sxx 5, syy 10
		"g-l2": {4, math.Sqrt(2.0 / 3), r(5 / math.Sqrt(34)), 25, nil},   // sxy 5, sxx 2, syy 17
		"g-l3": {4, math.Sqrt(4.0 / 3), r(6 / math.Sqrt(52)), 50, nil},   // sxy 6, sxx 4, syy 13
	}
	// Each item carries its prompt as learners read it, so instructors see more than codes.
	wantText := map[string]string{"a-l1": "I notice things.", "a-l2": "I miss things.", "a-s1": "A buyer goes quiet.",
		"b-l1": "I plan my week.", "b-c1": "Which buying job comes first?", "g-l1": "I map the group.",
		"g-l2": "I know who decides.", "g-l3": "I know who blocks."}
	for _, it := range st.Items {
		if it.Text != wantText[it.ID] || it.Reverse != (it.ID == "a-l2") {
			t.Errorf("%s: text %q reverse %v, want %q reverse %v", it.ID, it.Text, it.Reverse, wantText[it.ID], it.ID == "a-l2")
		}
	}
	for _, it := range st.Items {
		w := wantItems[it.ID]
		okR := (w.r == nil) == (it.ItemRestR == nil) && (w.r == nil || near(*it.ItemRestR, *w.r))
		if it.N != 4 || !near(it.Mean, w.mean) || !near(it.SD, w.sd) || !okR || it.CeilingPct != w.ceiling ||
			fmt.Sprint(it.Flags) != fmt.Sprint(append([]string{}, w.flags...)) {
			t.Errorf("%s: n %d mean %v sd %v r %v ceiling %v flags %v; want mean %v sd %v r %v ceiling %v flags %v",
				it.ID, it.N, it.Mean, it.SD, it.ItemRestR, it.CeilingPct, it.Flags, w.mean, w.sd, w.r, w.ceiling, w.flags)
		}
	}
	// gamma: alpha 27/29 from the sample, but 4 < 30 learners so the prior .80 is used. alpha_skill's
	// keyed totals are all 6 (no variance) and beta_skill has one Likert item: no sample alpha.
	for _, c := range st.Competencies {
		if c.N != 4 || c.Baselines != 4 || c.Alpha != 0.8 || c.Source != "prior" || c.SDUsed != 15 ||
			!near(c.SEM, 15*math.Sqrt(0.2)) || c.PracticeEffect.Source != "prior" || c.PracticeEffect.Effect != 0 {
			t.Errorf("%s: %+v, want n 4 and the priors", c.Competency, c)
		}
		if c.Competency == "gamma_skill" {
			// The scale mean is the mean baseline score: gamma is all Likert, so each learner's score
			// is the percent of their three answers.
			want := assess.Mean([]float64{assess.LikertPercent([]int{2, 3, 3}), assess.LikertPercent([]int{3, 4, 3}),
				assess.LikertPercent([]int{4, 4, 5}), assess.LikertPercent([]int{5, 5, 5})})
			if c.Name != "Gamma skill" || c.Mean == nil || !near(*c.Mean, want, 0.005) {
				t.Errorf("gamma_skill: name %q mean %v, want Gamma skill and %v", c.Name, c.Mean, want)
			}
		}
		wantSample := c.Competency == "gamma_skill"
		if (c.AlphaComposite != nil) != wantSample || (wantSample && !near(*c.AlphaComposite, 27.0/29)) {
			t.Errorf("%s: alpha_composite %v", c.Competency, c.AlphaComposite)
		}
	}
}

func TestReliabilityUsesTheSampleFromThirtyBaselines(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	ctx := context.Background()
	patterns := [][3]int{{2, 3, 3}, {3, 4, 3}, {4, 4, 5}, {5, 5, 5}}
	var rows [][]float64
	var scores []float64
	for i := range 30 {
		p := patterns[i%len(patterns)]
		if i == 29 {
			g, err := a.Assess.Bands(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			if r := g.Reliability("gamma_skill"); r.Source != assess.SourcePrior || r.Alpha != 0.8 || r.SD != 15 || r.N != 29 {
				t.Fatalf("29 baselines: %+v, want the priors", r)
			}
		}
		baseline(t, a, slug, statsLearner(3, 3, p[0], p[1], p[2], "x"), true)
		rows = append(rows, []float64{float64(p[0]), float64(p[1]), float64(p[2])})
		scores = append(scores, assess.LikertPercent(p[:]))
	}
	wantAlpha, _ := assess.CronbachAlpha(rows)
	g, err := a.Assess.Bands(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	r := g.Reliability("gamma_skill")
	if r.Source != assess.SourceSample || !near(r.Alpha, wantAlpha) ||
		!near(r.SD, assess.SampleSD(scores)) || r.N != 30 {
		t.Errorf("30 baselines: %+v, want sample alpha %v and SD %v", r, wantAlpha, assess.SampleSD(scores))
	}
	// alpha_skill answers never vary: its numbers stay the priors.
	if r := g.Reliability("alpha_skill"); r.Source != assess.SourcePrior {
		t.Errorf("alpha_skill: %+v, want the priors (no variance)", r)
	}
}
