package assess

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rapport-hq/rapport/content"
)

// shippedInstrument parses the instrument Rapport ships.
func shippedInstrument(tb testing.TB) *Instrument {
	tb.Helper()
	srcs, errs, err := ParseInstruments(content.FS)
	if err != nil || len(errs) > 0 || len(srcs) != 1 {
		tb.Fatalf("parse: %v %v (%d instruments)", err, errs, len(srcs))
	}
	return &srcs[0].Instrument
}

// simLearner answers like a learner whose true standing on each competency is theta (z-score):
// Likert answers are 3 + 0.9·theta plus noise, rounded and kept within 1-5 (reverse-keyed items
// answered in reverse); SJT ratings are the expert key plus noise that shrinks as theta grows.
func simLearner(r *rand.Rand, def *Instrument, theta map[string]float64) map[string]Answer {
	clamp := func(x float64) int { return int(math.Max(ScaleMin, math.Min(ScaleMax, math.Round(x)))) }
	out := make(map[string]Answer, len(def.Items))
	for _, it := range def.Items {
		th := theta[it.Competency]
		switch it.Type {
		case TypeLikert:
			v := clamp(3 + 0.9*th + r.NormFloat64()*0.9)
			out[it.ID] = Answer{Likert: KeyLikert(v, it.Reverse)}
		case TypeSJT:
			sd := math.Max(0.3, 1.2-0.35*th)
			ratings := make([]int, len(it.Options))
			for i, o := range it.Options {
				ratings[i] = clamp(float64(o.Key) + r.NormFloat64()*sd)
			}
			out[it.ID] = Answer{Ratings: ratings}
		default:
			out[it.ID] = Answer{Choice: it.Options[0].ID}
		}
	}
	return out
}

// TestSimulatedNoChangeRarelyReadsAsGrowth runs learners with known true scores through the real
// scoring and reliability code twice with fresh measurement error and no true change: the share
// judged "significant growth" must stay at or below 5% (about 2.5% is expected of a two-sided
// 95% criterion).
func TestSimulatedNoChangeRarelyReadsAsGrowth(t *testing.T) {
	def := shippedInstrument(t)
	r := rand.New(rand.NewPCG(2026, 17))
	const n = 400
	b := baselines{answers: map[string]map[string]Answer{}, scores: map[string][]float64{}}
	thetas := make([]map[string]float64, n)
	first := make([][]Score, n)
	for i := range n {
		thetas[i] = map[string]float64{}
		for _, c := range def.Competencies {
			thetas[i][c.Key] = r.NormFloat64()
		}
		ans := simLearner(r, def, thetas[i])
		scores, err := ScoreAttempt(def, ans)
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprint(i)
		b.answers[id], first[i] = ans, scores
		for _, s := range scores {
			b.scores[s.Competency] = append(b.scores[s.Competency], s.Score)
		}
	}
	rel := b.reliability(def, DefaultPriors)
	second := make([][]Score, n)
	changes := map[string][]float64{}
	for i := range n {
		scores, err := ScoreAttempt(def, simLearner(r, def, thetas[i]))
		if err != nil {
			t.Fatal(err)
		}
		second[i] = scores
		for j, s := range scores {
			changes[s.Competency] = append(changes[s.Competency], s.Score-first[i][j].Score)
		}
	}
	growth, decline, total := 0, 0, 0
	priorGrowth := 0
	prior := ReliabilityFrom(Composite{}, 0, DefaultPriors)
	for _, c := range def.Competencies {
		rc := rel[c.Key]
		rc.Practice = PracticeFrom(changes[c.Key], 0, DefaultPriors)
		if rc.Source != SourceSample {
			t.Fatalf("%s: reliability from %s, want the sample of %d", c.Key, rc.Source, n)
		}
		t.Logf("%s: alpha_likert %.3f alpha_sjt %.3f alpha_composite %.3f SD %.2f SEM %.2f practice %+.2f",
			c.Key, *rc.Sample.Likert, *rc.Sample.SJT, rc.Alpha, rc.SD, rc.SEM(), rc.Practice.Effect)
		for i := range n {
			var before, after float64
			for j, s := range first[i] {
				if s.Competency == c.Key {
					before, after = s.Score, second[i][j].Score
				}
			}
			switch Classify(before, after, true, rc).Band {
			case BandSignificantGrowth:
				growth++
			case BandSignificantDecline:
				decline++
			}
			if Classify(before, after, true, prior).Band == BandSignificantGrowth {
				priorGrowth++
			}
			total++
		}
	}
	rate := float64(growth) / float64(total)
	t.Logf("no true change, %d learner-competencies: false significant growth %.2f%%, significant decline %.2f%% (with the priors alone: growth %.2f%%)",
		total, 100*rate, 100*float64(decline)/float64(total), 100*float64(priorGrowth)/float64(total))
	if rate > 0.05 {
		t.Errorf("false significant growth %.2f%%, want at most 5%%", 100*rate)
	}
}

// TestTestWiseHeuristicGainsNothing answers every scenario by option length (the longest 5, the
// shortest 1, the rest 3) and compares its SJT half, through the real scoring, with answering 3
// everywhere: the heuristic must score no higher.
func TestTestWiseHeuristicGainsNothing(t *testing.T) {
	def := shippedInstrument(t)
	heuristic, threes := map[string]Answer{}, map[string]Answer{}
	for _, it := range def.Items {
		switch it.Type {
		case TypeLikert:
			heuristic[it.ID], threes[it.ID] = Answer{Likert: 3}, Answer{Likert: 3}
		case TypeSJT:
			long, short := 0, 0
			for i, o := range it.Options {
				if len([]rune(o.Text)) > len([]rune(it.Options[long].Text)) {
					long = i
				}
				if len([]rune(o.Text)) < len([]rune(it.Options[short].Text)) {
					short = i
				}
			}
			h, th := make([]int, len(it.Options)), make([]int, len(it.Options))
			for i := range h {
				h[i], th[i] = 3, 3
			}
			h[long], h[short] = 5, 1
			heuristic[it.ID], threes[it.ID] = Answer{Ratings: h}, Answer{Ratings: th}
		default:
			heuristic[it.ID], threes[it.ID] = Answer{Choice: it.Options[0].ID}, Answer{Choice: it.Options[0].ID}
		}
	}
	sjtMean := func(ans map[string]Answer) float64 {
		scores, err := ScoreAttempt(def, ans)
		if err != nil {
			t.Fatal(err)
		}
		var xs []float64
		for _, s := range scores {
			xs = append(xs, *s.SJT)
		}
		return Mean(xs)
	}
	h, th := sjtMean(heuristic), sjtMean(threes)
	t.Logf("SJT half: longest 5 / shortest 1 / rest 3 scores %.2f; 3 everywhere scores %.2f", h, th)
	if h > th {
		t.Errorf("the length heuristic scores %.2f on the SJT half, more than %.2f for answering 3 everywhere", h, th)
	}
}
