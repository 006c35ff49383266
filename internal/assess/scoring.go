package assess

import (
	"fmt"
	"math"
)

// Growth bands of the reliable change index (RCI).
const (
	BandSignificantGrowth  = "significant_growth"
	BandLikelyGrowth       = "likely_growth"
	BandWithinNoise        = "within_noise"
	BandLikelyDecline      = "likely_decline"
	BandSignificantDecline = "significant_decline"
)

// RCI thresholds: |RCI| >= 1.96 is reliable change at 95% (two-sided); >= 1.645 is likely change.
const (
	SignificantRCI = 1.96
	LikelyRCI      = 1.645
)

// Where a reliability number came from.
const (
	SourceSample = "sample"
	SourcePrior  = "prior"
)

// MaxAlpha caps a sample alpha so a tiny SEM never turns noise into "significant" growth.
const MaxAlpha = 0.99

// Priors are the reliability numbers used until MinN learners have a baseline.
type Priors struct {
	Alpha float64
	SD    float64
	MinN  int
}

// DefaultPriors: alpha .80, SD 15 points, sample values from 30 baselines on.
var DefaultPriors = Priors{Alpha: 0.80, SD: 15, MinN: 30}

// KeyLikert applies reverse keying: a reverse-keyed item's answer x counts as 6-x.
func KeyLikert(v int, reverse bool) int {
	if reverse {
		return ScaleMin + ScaleMax - v
	}
	return v
}

// LikertPercent is the percent of the maximum possible: 100*(mean-1)/4 of already keyed answers.
func LikertPercent(keyed []int) float64 {
	xs := make([]float64, len(keyed))
	for i, v := range keyed {
		xs[i] = float64(v)
	}
	return 100 * (Mean(xs) - ScaleMin) / (ScaleMax - ScaleMin)
}

// SJTOptionScore scores one rating against the expert key: 100*(1-|r-key|/4).
func SJTOptionScore(rating, key int) float64 {
	return 100 * (1 - math.Abs(float64(rating-key))/(ScaleMax-ScaleMin))
}

// SJTItemScore is the mean option score of one scenario.
func SJTItemScore(ratings []int, keys []int) float64 {
	xs := make([]float64, len(ratings))
	for i := range ratings {
		xs[i] = SJTOptionScore(ratings[i], keys[i])
	}
	return Mean(xs)
}

// ChoiceScore is 100 for the correct option of a knowledge question, else 0.
func ChoiceScore(correct bool) float64 {
	if correct {
		return 100
	}
	return 0
}

// CombineScore weighs a competency's halves. A competency with only one kind of item scores that
// half alone. The result is kept within [0, 100]: weights add up to 1 only to within rounding, and
// a perfect score a hair above 100 would break the database's range check.
func CombineScore(likert, sjt *float64, w Weights) float64 {
	switch {
	case likert == nil && sjt == nil:
		return 0
	case sjt == nil:
		return *likert
	case likert == nil:
		return *sjt
	}
	return min(max(w.Likert**likert+w.SJT**sjt, 0), 100)
}

// ItemScore scores one answered item on 0-100 (Likert items: percent of maximum after keying).
func ItemScore(it Item, a Answer) float64 {
	switch it.Type {
	case TypeLikert:
		return LikertPercent([]int{KeyLikert(a.Likert, it.Reverse)})
	case TypeSJT:
		keys := make([]int, len(it.Options))
		for i, o := range it.Options {
			keys[i] = o.Key
		}
		return SJTItemScore(a.Ratings, keys)
	}
	for _, o := range it.Options {
		if o.ID == a.Choice {
			return ChoiceScore(o.Correct)
		}
	}
	return 0
}

// ScoreAttempt scores every competency of def from answers (keyed by item id), in the
// instrument's competency order. Likert answers are keyed and averaged; SJT and choice items are
// scored per item and averaged into the SJT half; the halves are combined with def.Weights.
func ScoreAttempt(def *Instrument, answers map[string]Answer) ([]Score, error) {
	likert := map[string][]int{}
	judged := map[string][]float64{}
	for _, it := range def.Items {
		a, ok := answers[it.ID]
		if !ok {
			return nil, fmt.Errorf("item %s is not answered", it.ID)
		}
		if it.Type == TypeLikert {
			likert[it.Competency] = append(likert[it.Competency], KeyLikert(a.Likert, it.Reverse))
		} else {
			judged[it.Competency] = append(judged[it.Competency], ItemScore(it, a))
		}
	}
	out := make([]Score, 0, len(def.Competencies))
	for _, c := range def.Competencies {
		s := Score{Competency: c.Key}
		if vs := likert[c.Key]; len(vs) > 0 {
			v := LikertPercent(vs)
			s.Likert = &v
		}
		if vs := judged[c.Key]; len(vs) > 0 {
			v := Mean(vs)
			s.SJT = &v
		}
		s.Score = CombineScore(s.Likert, s.SJT, def.Weights)
		out = append(out, s)
	}
	return out, nil
}

// Mean is the arithmetic mean (0 for no values).
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// SampleVariance is the unbiased variance, sum((x-mean)^2)/(n-1); 0 for fewer than two values.
func SampleVariance(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := Mean(xs)
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return ss / float64(len(xs)-1)
}

// SampleSD is the square root of SampleVariance.
func SampleSD(xs []float64) float64 { return math.Sqrt(SampleVariance(xs)) }

// CronbachAlpha computes alpha = k/(k-1) * (1 - sum(item variances)/variance(total)) from rows of
// keyed item responses (one row per learner, one column per item), with sample variances. ok is
// false when alpha is undefined: fewer than two items or learners, or a total with no variance.
// The result is not clamped.
func CronbachAlpha(rows [][]float64) (alpha float64, ok bool) {
	if len(rows) < 2 || len(rows[0]) < 2 {
		return 0, false
	}
	k := len(rows[0])
	totals := make([]float64, len(rows))
	sumItemVar := 0.0
	col := make([]float64, len(rows))
	for j := 0; j < k; j++ {
		for i, r := range rows {
			col[i] = r[j]
			totals[i] += r[j]
		}
		sumItemVar += SampleVariance(col)
	}
	vt := SampleVariance(totals)
	if vt == 0 {
		return 0, false
	}
	return float64(k) / float64(k-1) * (1 - sumItemVar/vt), true
}

// Pearson is the correlation of xs and ys; ok is false with fewer than three pairs or when either
// has no variance.
func Pearson(xs, ys []float64) (r float64, ok bool) {
	if len(xs) < 3 || len(xs) != len(ys) {
		return 0, false
	}
	mx, my := Mean(xs), Mean(ys)
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// Reliability is what growth on one competency is judged with.
type Reliability struct {
	// N is the number of learners with a baseline score on the competency.
	N int
	// AlphaN is the number of learners whose baseline answers every Likert item of it.
	AlphaN      int
	Alpha       float64
	AlphaSource string
	// SampleAlpha is alpha from the baselines whatever their number (unclamped); nil if undefined.
	SampleAlpha *float64
	SD          float64
	SDSource    string
}

// ReliabilityFrom picks the reliability numbers of one competency. likertRows are the keyed
// baseline Likert answers of learners who answered them all; baselineScores every learner's
// baseline competency score. Sample alpha (clamped to [0, MaxAlpha]) is used from p.MinN rows on
// and when defined, else p.Alpha; the sample SD from p.MinN scores on and when not 0, else p.SD.
func ReliabilityFrom(likertRows [][]float64, baselineScores []float64, p Priors) Reliability {
	r := Reliability{N: len(baselineScores), AlphaN: len(likertRows),
		Alpha: p.Alpha, AlphaSource: SourcePrior, SD: p.SD, SDSource: SourcePrior}
	if a, ok := CronbachAlpha(likertRows); ok {
		r.SampleAlpha = &a
		if len(likertRows) >= p.MinN {
			r.Alpha, r.AlphaSource = min(max(a, 0), MaxAlpha), SourceSample
		}
	}
	if len(baselineScores) >= p.MinN {
		if sd := SampleSD(baselineScores); sd > 0 {
			r.SD, r.SDSource = sd, SourceSample
		}
	}
	return r
}

// SEM is the standard error of measurement: SD*sqrt(1-alpha).
func SEM(sd, alpha float64) float64 { return sd * math.Sqrt(1-alpha) }

// SDiff is the standard error of the difference of two scores: sqrt(2)*SEM.
func SDiff(sem float64) float64 { return math.Sqrt2 * sem }

// RCI is the reliable change index (latest-baseline)/S_diff.
func RCI(baseline, latest, sdiff float64) float64 {
	if sdiff <= 0 {
		return 0
	}
	return (latest - baseline) / sdiff
}

// BandOf names the growth band of an RCI.
func BandOf(rci float64) string {
	switch {
	case rci >= SignificantRCI:
		return BandSignificantGrowth
	case rci >= LikelyRCI:
		return BandLikelyGrowth
	case rci <= -SignificantRCI:
		return BandSignificantDecline
	case rci <= -LikelyRCI:
		return BandLikelyDecline
	}
	return BandWithinNoise
}

// Classify judges the change from baseline to latest with a competency's reliability.
func Classify(baseline, latest float64, r Reliability) Change {
	rci := RCI(baseline, latest, SDiff(SEM(r.SD, r.Alpha)))
	return Change{RCI: rci, Band: BandOf(rci), Significant: math.Abs(rci) >= SignificantRCI}
}
