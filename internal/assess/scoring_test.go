package assess_test

import (
	"math"
	"testing"

	"github.com/rapport-hq/rapport/internal/assess"
)

func TestKeyLikertAndLikertPercent(t *testing.T) {
	keys := []struct {
		v       int
		reverse bool
		want    int
	}{{1, false, 1}, {5, false, 5}, {1, true, 5}, {2, true, 4}, {3, true, 3}, {5, true, 1}}
	for _, k := range keys {
		if got := assess.KeyLikert(k.v, k.reverse); got != k.want {
			t.Errorf("KeyLikert(%d, %v) = %d, want %d", k.v, k.reverse, got, k.want)
		}
	}
	tests := []struct {
		name  string
		keyed []int
		want  float64
	}{
		{"all top", []int{5, 5, 5, 5, 5}, 100},
		{"all bottom", []int{1, 1, 1, 1, 1}, 0},
		{"all equal middle", []int{3, 3, 3, 3, 3}, 50},
		{"mean 3", []int{4, 2, 5, 3, 1}, 50},
		// mean (5+4+4+3+5)/5 = 4.2 → 100*(4.2-1)/4 = 80
		{"mean 4.2", []int{5, 4, 4, 3, 5}, 80},
		// mean 3.6 → 65
		{"mean 3.6", []int{4, 4, 4, 3, 3}, 65},
	}
	for _, tt := range tests {
		if got := assess.LikertPercent(tt.keyed); !near(got, tt.want) {
			t.Errorf("%s: LikertPercent = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Reverse keys: answers 4, 2(r), 5, 1(r), 3 are keyed 4, 4, 5, 5, 3 → mean 4.2 → 80.
	answers, reverse := []int{4, 2, 5, 1, 3}, []bool{false, true, false, true, false}
	keyed := make([]int, len(answers))
	for i := range answers {
		keyed[i] = assess.KeyLikert(answers[i], reverse[i])
	}
	if got := assess.LikertPercent(keyed); !near(got, 80) {
		t.Errorf("reverse-keyed percent = %v, want 80", got)
	}
}

func TestSJTAndChoiceScores(t *testing.T) {
	opts := []struct {
		r, key int
		want   float64
	}{
		{5, 5, 100}, {1, 5, 0}, {4, 5, 75}, {3, 5, 50}, {2, 1, 75}, {1, 3, 50},
	}
	for _, o := range opts {
		if got := assess.SJTOptionScore(o.r, o.key); !near(got, o.want) {
			t.Errorf("SJTOptionScore(%d, %d) = %v, want %v", o.r, o.key, got, o.want)
		}
	}
	keys := []int{2, 5, 1, 3}
	// Distances 3, 1, 0, 1 → 25, 75, 100, 75 → mean 68.75.
	if got := assess.SJTItemScore([]int{5, 4, 1, 2}, keys); !near(got, 68.75) {
		t.Errorf("SJTItemScore = %v, want 68.75", got)
	}
	if got := assess.SJTItemScore(keys, keys); !near(got, 100) {
		t.Errorf("SJTItemScore(keys) = %v, want 100", got)
	}
	// All answers equal (3): distances 1, 2, 2, 0 → 75, 50, 50, 100 → 68.75.
	if got := assess.SJTItemScore([]int{3, 3, 3, 3}, keys); !near(got, 68.75) {
		t.Errorf("SJTItemScore(all 3) = %v, want 68.75", got)
	}
	if assess.ChoiceScore(true) != 100 || assess.ChoiceScore(false) != 0 {
		t.Error("ChoiceScore must be 100 for correct, 0 otherwise")
	}
}

func TestCombineScore(t *testing.T) {
	l, s := 80.0, 68.75
	tests := []struct {
		name   string
		likert *float64
		sjt    *float64
		w      assess.Weights
		want   float64
	}{
		{"half and half", &l, &s, assess.DefaultWeights, 74.375},       // .5*80 + .5*68.75
		{"60/40", &l, &s, assess.Weights{Likert: 0.6, SJT: 0.4}, 75.5}, // 48 + 27.5
		{"no sjt items: likert only", &l, nil, assess.DefaultWeights, 80},
		{"no likert items: sjt only", nil, &s, assess.DefaultWeights, 68.75},
	}
	for _, tt := range tests {
		if got := assess.CombineScore(tt.likert, tt.sjt, tt.w); !near(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// scoringDef has c1 (three Likert items, one reversed; an SJT item; a choice item) and c2 (two
// Likert items only).
func scoringDef() *assess.Instrument {
	sjt := []assess.Option{{ID: "a", Key: 2}, {ID: "b", Key: 5}, {ID: "c", Key: 1}, {ID: "d", Key: 3}}
	return &assess.Instrument{Weights: assess.DefaultWeights,
		Competencies: []assess.Competency{{Key: "c1"}, {Key: "c2"}},
		Items: []assess.Item{
			{ID: "l1", Competency: "c1", Type: assess.TypeLikert},
			{ID: "l2", Competency: "c1", Type: assess.TypeLikert, Reverse: true},
			{ID: "l3", Competency: "c1", Type: assess.TypeLikert},
			{ID: "s1", Competency: "c1", Type: assess.TypeSJT, Options: sjt},
			{ID: "k1", Competency: "c1", Type: assess.TypeChoice, Options: []assess.Option{{ID: "x"}, {ID: "y", Correct: true}}},
			{ID: "m1", Competency: "c2", Type: assess.TypeLikert},
			{ID: "m2", Competency: "c2", Type: assess.TypeLikert},
		}}
}

func TestScoreAttempt(t *testing.T) {
	def := scoringDef()
	answers := map[string]assess.Answer{
		"l1": {Likert: 5}, "l2": {Likert: 2}, "l3": {Likert: 3}, // keyed 5, 4, 3 → mean 4 → 75
		"s1": {Ratings: []int{5, 4, 1, 2}},   // 68.75
		"k1": {Choice: "y"},                  // 100; SJT half = (68.75+100)/2 = 84.375
		"m1": {Likert: 1}, "m2": {Likert: 2}, // mean 1.5 → 12.5; no SJT half
	}
	scores, err := assess.ScoreAttempt(def, answers)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 2 || scores[0].Competency != "c1" || scores[1].Competency != "c2" {
		t.Fatalf("scores = %+v", scores)
	}
	c1, c2 := scores[0], scores[1]
	if !near(*c1.Likert, 75) || !near(*c1.SJT, 84.375) || !near(c1.Score, 79.6875) { // .5*75 + .5*84.375
		t.Errorf("c1 = %v (likert %v, sjt %v), want 79.6875 (75, 84.375)", c1.Score, *c1.Likert, *c1.SJT)
	}
	if !near(c2.Score, 12.5) || c2.SJT != nil {
		t.Errorf("c2 = %+v, want 12.5 with no SJT half", c2)
	}

	// All answers equal: every Likert 3 (reverse keyed 3 is still 3) → 50; SJT all 3s → 68.75;
	// wrong choice → 0; SJT half 34.375; c1 = 42.1875; c2 = 50.
	for id, a := range answers {
		switch {
		case a.Ratings != nil:
			answers[id] = assess.Answer{Ratings: []int{3, 3, 3, 3}}
		case a.Choice != "":
			answers[id] = assess.Answer{Choice: "x"}
		default:
			answers[id] = assess.Answer{Likert: 3}
		}
	}
	scores, _ = assess.ScoreAttempt(def, answers)
	if !near(scores[0].Score, 42.1875) || !near(scores[1].Score, 50) {
		t.Errorf("all-equal scores = %v, %v; want 42.1875, 50", scores[0].Score, scores[1].Score)
	}
	delete(answers, "m2")
	if _, err := assess.ScoreAttempt(def, answers); err == nil {
		t.Error("scoring with an unanswered item must fail")
	}
}

func TestVarianceAndPearson(t *testing.T) {
	// mean 5, squared deviations sum to 32, n-1 = 7.
	xs := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	if got := assess.SampleVariance(xs); !near(got, 32.0/7) {
		t.Errorf("SampleVariance = %v, want 32/7", got)
	}
	if got := assess.SampleSD(xs); !near(got, math.Sqrt(32.0/7)) {
		t.Errorf("SampleSD = %v", got)
	}
	if assess.SampleVariance([]float64{3}) != 0 {
		t.Error("variance of one value must be 0")
	}
	// x = 1,2,3,4; y = 2,4,5,9: sxy = 11, sxx = 5, syy = 26 → r = 11/sqrt(130).
	if r, ok := assess.Pearson([]float64{1, 2, 3, 4}, []float64{2, 4, 5, 9}); !ok || !near(r, 11/math.Sqrt(130)) {
		t.Errorf("Pearson = %v %v, want %v", r, ok, 11/math.Sqrt(130))
	}
	if _, ok := assess.Pearson([]float64{1, 2, 3}, []float64{4, 4, 4}); ok {
		t.Error("Pearson with a constant must be undefined")
	}
}

func TestCronbachAlpha(t *testing.T) {
	// Items 2,3,4,5 / 3,4,4,5 / 3,3,5,5: variances 5/3, 2/3, 4/3 (sum 11/3); totals 8,10,13,15:
	// variance 29/3. alpha = 3/2 * (1 - 11/29) = 27/29.
	rows := [][]float64{{2, 3, 3}, {3, 4, 3}, {4, 4, 5}, {5, 5, 5}}
	if a, ok := assess.CronbachAlpha(rows); !ok || !near(a, 27.0/29) {
		t.Errorf("alpha = %v %v, want 27/29", a, ok)
	}
	// Opposed items: variances 5/3 each, totals 5,5,4,6 variance 2/3: alpha = 2*(1-5) = -8.
	if a, ok := assess.CronbachAlpha([][]float64{{1, 4}, {4, 1}, {2, 2}, {3, 3}}); !ok || !near(a, -8) {
		t.Errorf("alpha = %v %v, want -8", a, ok)
	}
	// Zero variance of the total: undefined.
	if _, ok := assess.CronbachAlpha([][]float64{{3, 3}, {3, 3}, {3, 3}}); ok {
		t.Error("alpha with no total variance must be undefined")
	}
	if _, ok := assess.CronbachAlpha([][]float64{{1}, {2}, {3}}); ok {
		t.Error("alpha of one item must be undefined")
	}
}

// repeat returns n rows cycling through base.
func repeat(base [][]float64, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = base[i%len(base)]
	}
	return out
}

// Four learners, two Likert items and two SJT scenarios. By hand:
//
//	Likert items (1,3,3,5) var 8/3, (1,2,4,5) var 10/3, totals (2,5,7,10) var 34/3
//	  → alphaL = 2(1 - 18/34) = 16/17
//	SJT scenarios: sums of squares 1718.75 and 3125, totals 7968.75 → alphaS = 2·3125/7968.75 = 40/51
//	L = 100(mean-1)/4 = 0, 37.5, 62.5, 100 (var 10625/6); S = 37.5, 62.5, 62.5, 100 (var 10625/16)
//	C = (L+S)/2 = 18.75, 50, 62.5, 100 (var 216875/192)
//	alpha_c = 1 - (¼·10625/6·(1/17) + ¼·10625/16·(11/51)) / (216875/192) = 328/347
var (
	compLikert = [][]float64{{1, 1}, {3, 2}, {3, 4}, {5, 5}}
	compSJT    = [][]float64{{50, 25}, {50, 75}, {75, 50}, {100, 100}}
)

func TestCompositeReliability(t *testing.T) {
	half := assess.Weights{Likert: 0.5, SJT: 0.5}
	tests := []struct {
		name              string
		likert, sjt       [][]float64
		w                 assess.Weights
		aL, aS, aC, sd    float64
		undefL, undefS, n int
	}{
		{"both halves", compLikert, compSJT, half, 16.0 / 17, 40.0 / 51, 328.0 / 347, math.Sqrt(216875.0 / 192), 0, 0, 4},
		// Weights .7/.3: var C = 262075/192, alpha_c = 1 - (.49·10625/6/17 + .09·10625/16·11/51)/(262075/192).
		{"uneven weights", compLikert, compSJT, assess.Weights{Likert: 0.7, SJT: 0.3}, 16.0 / 17, 40.0 / 51,
			9992.0 / 10483, math.Sqrt(262075.0 / 192), 0, 0, 4},
		// Likert only: the score is the Likert half, so alpha_c is alphaL and SD that of L.
		{"likert only", compLikert, nil, half, 16.0 / 17, 0, 16.0 / 17, math.Sqrt(10625.0 / 6), 0, 1, 4},
		{"sjt only", nil, compSJT, half, 0, 40.0 / 51, 40.0 / 51, math.Sqrt(10625.0 / 16), 1, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := assess.CompositeReliability(tt.likert, tt.sjt, tt.w)
			if c.N != tt.n || !near(c.SD, tt.sd) || c.Alpha == nil || !near(*c.Alpha, tt.aC) {
				t.Fatalf("got n=%d sd=%v alpha=%v, want %d %v %v", c.N, c.SD, c.Alpha, tt.n, tt.sd, tt.aC)
			}
			if (c.Likert == nil) != (tt.undefL == 1) || (c.Likert != nil && !near(*c.Likert, tt.aL)) {
				t.Errorf("alphaL = %v, want %v", c.Likert, tt.aL)
			}
			if (c.SJT == nil) != (tt.undefS == 1) || (c.SJT != nil && !near(*c.SJT, tt.aS)) {
				t.Errorf("alphaS = %v, want %v", c.SJT, tt.aS)
			}
		})
	}
	// One scenario only: its part has no alpha, so neither has the composite.
	one := [][]float64{{50}, {75}, {25}, {100}}
	if c := assess.CompositeReliability(compLikert, one, half); c.Alpha != nil || c.SJT != nil || c.Likert == nil {
		t.Errorf("one scenario: %+v, want alpha_c undefined", c)
	}
	// Everyone alike: no variance, no alpha.
	flat := [][]float64{{3, 3}, {3, 3}, {3, 3}}
	if c := assess.CompositeReliability(flat, [][]float64{{50, 50}, {50, 50}, {50, 50}}, half); c.Alpha != nil || c.SD != 0 {
		t.Errorf("no variance: %+v", c)
	}
}

func TestReliabilitySwitchesFromPriorAtThirty(t *testing.T) {
	p := assess.DefaultPriors
	half := assess.Weights{Likert: 0.5, SJT: 0.5}
	c29 := assess.CompositeReliability(repeat(compLikert, 29), repeat(compSJT, 29), half)
	r29 := assess.ReliabilityFrom(c29, 29, p)
	if r29.Source != assess.SourcePrior || r29.Alpha != 0.80 || r29.SD != 15 || r29.N != 29 || r29.SampleAlpha() == nil {
		t.Errorf("n=29: %+v, want the priors .80 and 15 with the sample alpha still reported", r29)
	}
	if !near(r29.SEM(), 15*math.Sqrt(0.2)) {
		t.Errorf("prior SEM = %v", r29.SEM())
	}
	c32 := assess.CompositeReliability(repeat(compLikert, 32), repeat(compSJT, 32), half)
	r32 := assess.ReliabilityFrom(c32, 32, p)
	// Whole copies of the four rows: alphas and SD follow from the same sums of squares,
	// scaled by (n-1) only in the variances' denominators.
	wantA := *c32.Alpha
	if r32.Source != assess.SourceSample || !near(r32.Alpha, wantA) || !near(r32.SD, c32.SD) || r32.AlphaN != 32 {
		t.Errorf("n=32: %+v", r32)
	}
	if !near(r32.SEM(), c32.SD*math.Sqrt(1-wantA)) {
		t.Errorf("SEM = %v, want SD·sqrt(1-alpha_c)", r32.SEM())
	}
	// Perfectly parallel halves clamp to .99; opposed items give a negative alpha, clamped to 0.
	par := assess.CompositeReliability(repeat([][]float64{{1, 1}, {3, 3}, {5, 5}}, 30), repeat([][]float64{{0, 0}, {50, 50}, {100, 100}}, 30), half)
	if r := assess.ReliabilityFrom(par, 30, p); r.Alpha != assess.MaxAlpha {
		t.Errorf("alpha 1 clamps to %v, got %v", assess.MaxAlpha, r.Alpha)
	}
	opp := assess.CompositeReliability(repeat([][]float64{{1, 4}, {4, 1}, {2, 2}, {3, 3}}, 32), nil, half)
	if r := assess.ReliabilityFrom(opp, 32, p); r.Alpha != 0 || *r.SampleAlpha() >= 0 {
		t.Errorf("negative alpha clamps to 0, got %v (sample %v)", r.Alpha, *r.SampleAlpha())
	}
	custom := assess.ReliabilityFrom(assess.Composite{}, 0, assess.Priors{Alpha: 0.7, SD: 12, MinN: 30})
	if custom.Alpha != 0.7 || custom.SD != 12 {
		t.Errorf("custom priors: %+v", custom)
	}
}

func TestPracticeEffect(t *testing.T) {
	p := assess.DefaultPriors
	few := []float64{2, 4, 6}
	if pe := assess.PracticeFrom(few, 1.5, p); pe.Effect != 1.5 || pe.Source != assess.SourcePrior || *pe.Sample != 4 || pe.N != 3 {
		t.Errorf("3 pairs: %+v, want the prior 1.5 (sample 4 reported)", pe)
	}
	thirty := make([]float64, 30) // 15 × 2 and 15 × 5: mean 3.5
	for i := range thirty {
		thirty[i] = 2 + 3*float64(i%2)
	}
	if pe := assess.PracticeFrom(thirty, 1.5, p); pe.Effect != 3.5 || pe.Source != assess.SourceSample {
		t.Errorf("30 pairs: %+v, want 3.5 from the sample", pe)
	}
	// rci = (latest - baseline - pe) / (sqrt 2 · SEM): SD 10, alpha .5 → SEM sqrt(50), S_diff 10.
	r := assess.Reliability{SD: 10, Alpha: 0.5, Practice: assess.Practice{Effect: 4}}
	tests := []struct {
		latest  float64
		retaken bool
		rci     float64
		band    string
	}{
		{74, true, 2.0, assess.BandSignificantGrowth},
		{70, true, 1.6, assess.BandWithinNoise},        // 20 points, 4 of them practice
		{70, false, 2.0, assess.BandSignificantGrowth}, // the baseline itself: nothing subtracted
		{50, true, -0.4, assess.BandWithinNoise},
	}
	for _, tt := range tests {
		c := assess.Classify(50, tt.latest, tt.retaken, r)
		if !near(c.RCI, tt.rci) || c.Band != tt.band {
			t.Errorf("50 → %v retaken=%v: %+v, want rci %v %s", tt.latest, tt.retaken, c, tt.rci, tt.band)
		}
	}
	// The interval is latest ± 1.645·SEM, clamped to 0-100.
	sem := math.Sqrt(50)
	c := assess.Classify(50, 95, true, r)
	if !near(c.SEM, sem) || !near(c.Interval[0], 95-1.645*sem) || c.Interval[1] != 100 {
		t.Errorf("interval %v sem %v", c.Interval, c.SEM)
	}
	if lo := assess.Classify(50, 3, true, r).Interval[0]; lo != 0 {
		t.Errorf("interval low end clamps to 0, got %v", lo)
	}
}

func TestGrowthFormulas(t *testing.T) {
	prior := assess.ReliabilityFrom(assess.Composite{}, 0, assess.DefaultPriors)
	sem := assess.SEM(15, 0.8) // 15*sqrt(.2)
	if !near(sem, 6.708203932499369) {
		t.Errorf("SEM = %v", sem)
	}
	sdiff := assess.SDiff(sem) // sqrt(2)*SEM = 15*sqrt(.4)
	if !near(sdiff, 9.486832980505138) {
		t.Errorf("S_diff = %v", sdiff)
	}
	if got := assess.RCI(50, 70, 0, sdiff); !near(got, 20/9.486832980505138) {
		t.Errorf("RCI = %v", got)
	}
	tests := []struct {
		latest      float64
		rci         float64
		band        string
		significant bool
	}{
		{70, 2.1081851067789197, assess.BandSignificantGrowth, true},
		{66, 1.6865480854231358, assess.BandLikelyGrowth, false},
		{60, 1.0540925533894598, assess.BandWithinNoise, false},
		{50, 0, assess.BandWithinNoise, false},
		{34, -1.6865480854231358, assess.BandLikelyDecline, false},
		{30, -2.1081851067789197, assess.BandSignificantDecline, true},
	}
	for _, tt := range tests {
		c := assess.Classify(50, tt.latest, true, prior)
		if !near(c.RCI, tt.rci) || c.Band != tt.band || c.Significant != tt.significant {
			t.Errorf("50 → %v: %+v, want rci %v %s significant=%v", tt.latest, c, tt.rci, tt.band, tt.significant)
		}
	}
}

func TestBandThresholds(t *testing.T) {
	tests := []struct {
		rci  float64
		want string
	}{
		{3, assess.BandSignificantGrowth},
		{1.96, assess.BandSignificantGrowth},
		{1.9599, assess.BandLikelyGrowth},
		{1.645, assess.BandLikelyGrowth},
		{1.6449, assess.BandWithinNoise},
		{0, assess.BandWithinNoise},
		{-1.6449, assess.BandWithinNoise},
		{-1.645, assess.BandLikelyDecline},
		{-1.9599, assess.BandLikelyDecline},
		{-1.96, assess.BandSignificantDecline},
		{-3, assess.BandSignificantDecline},
	}
	for _, tt := range tests {
		if got := assess.BandOf(tt.rci); got != tt.want {
			t.Errorf("BandOf(%v) = %s, want %s", tt.rci, got, tt.want)
		}
	}
	// Significant is |RCI| >= 1.96 either way: S_diff = 10 here (SD 10, alpha .5 → SEM 10/sqrt 2).
	r := assess.Reliability{SD: 10, Alpha: 0.5}
	for _, tt := range []struct {
		latest float64
		want   bool
	}{{70, true}, {30, true}, {69, false}, {31, false}} {
		if got := assess.Classify(50, tt.latest, true, r).Significant; got != tt.want {
			t.Errorf("Classify(50, %v).Significant = %v, want %v", tt.latest, got, tt.want)
		}
	}
}
