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
	return LikertPart(xs)
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

// Composite is the sample reliability of one competency's 0-100 score, computed from the
// baselines of the learners who answered every item of it.
type Composite struct {
	// N is the number of such learners.
	N int
	// Likert and SJT are each part's Cronbach alpha (Likert items; SJT scenarios as items); nil
	// when the part has fewer than two items or no variance.
	Likert *float64
	SJT    *float64
	// Alpha is the stratified alpha of the weighted composite (unclamped); nil when undefined.
	Alpha *float64
	// SD is the sample SD of the composite scores (0 for fewer than two learners).
	SD float64
}

// CompositeReliability computes the stratified alpha of a competency's composite score
// w.Likert*L + w.SJT*S, where L is the Likert part (percent of maximum of the keyed answers) and S
// the SJT part (mean scenario score):
//
//	alpha_c = 1 - (wL^2 varL (1-alphaL) + wS^2 varS (1-alphaS)) / var(wL L + wS S)
//
// likert holds each learner's keyed Likert answers (1-5), sjt the same learners' scenario scores
// (0-100), row i being learner i in both. A competency with items of one kind only takes that
// part's alpha, as its score is that part alone (see CombineScore).
func CompositeReliability(likert, sjt [][]float64, w Weights) Composite {
	hasL, hasS := len(likert) > 0 && len(likert[0]) > 0, len(sjt) > 0 && len(sjt[0]) > 0
	n := max(len(likert), len(sjt))
	if hasL && hasS && len(likert) != len(sjt) {
		return Composite{} // rows of different learners cannot be combined
	}
	out := Composite{N: n}
	ls, ss, cs := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		var l, s *float64
		if hasL {
			v := LikertPart(likert[i])
			ls[i], l = v, &v
		}
		if hasS {
			v := Mean(sjt[i])
			ss[i], s = v, &v
		}
		cs[i] = CombineScore(l, s, w)
	}
	out.SD = SampleSD(cs)
	if hasL {
		if a, ok := CronbachAlpha(likert); ok {
			out.Likert = &a
		}
	}
	if hasS {
		if a, ok := CronbachAlpha(sjt); ok {
			out.SJT = &a
		}
	}
	switch {
	case hasL && hasS:
		vc := SampleVariance(cs)
		if out.Likert == nil || out.SJT == nil || vc == 0 {
			return out
		}
		errVar := w.Likert*w.Likert*SampleVariance(ls)*(1-*out.Likert) + w.SJT*w.SJT*SampleVariance(ss)*(1-*out.SJT)
		a := 1 - errVar/vc
		out.Alpha = &a
	case hasL:
		out.Alpha = out.Likert
	case hasS:
		out.Alpha = out.SJT
	}
	return out
}

// LikertPart is the Likert half of a score from keyed answers: 100*(mean-1)/4.
func LikertPart(keyed []float64) float64 {
	return 100 * (Mean(keyed) - ScaleMin) / (ScaleMax - ScaleMin)
}

// Reliability is what growth on one competency is judged with.
type Reliability struct {
	// N is the number of learners with a baseline score on the competency.
	N int
	// AlphaN is the number of learners whose baseline answers every item of it.
	AlphaN int
	// Alpha and SD are the composite's alpha and SD that SEM is computed from: the sample's once
	// MinN complete baselines give a defined alpha, else the priors (Source says which).
	Alpha  float64
	SD     float64
	Source string
	// Sample is the sample composite whatever its size (its alphas unclamped).
	Sample Composite
	// Practice is the practice effect subtracted from change before the RCI.
	Practice Practice
}

// SampleAlpha is the sample's composite alpha whatever the number of baselines (nil: undefined).
func (r Reliability) SampleAlpha() *float64 { return r.Sample.Alpha }

// ReliabilityFrom picks the reliability numbers of one competency from its sample composite and
// the number n of learners with a baseline score: the sample alpha (clamped to [0, MaxAlpha])
// and SD from p.MinN complete baselines on, when alpha is defined and the SD not 0; else the
// priors.
func ReliabilityFrom(c Composite, n int, p Priors) Reliability {
	r := Reliability{N: n, AlphaN: c.N, Alpha: p.Alpha, SD: p.SD, Source: SourcePrior, Sample: c}
	if c.N >= p.MinN && c.Alpha != nil && c.SD > 0 {
		r.Alpha, r.SD, r.Source = min(max(*c.Alpha, 0), MaxAlpha), c.SD, SourceSample
	}
	return r
}

// SEM is the standard error of measurement of the competency score: SD*sqrt(1-alpha).
func (r Reliability) SEM() float64 { return SEM(r.SD, r.Alpha) }

// SEM is the standard error of measurement: SD*sqrt(1-alpha).
func SEM(sd, alpha float64) float64 { return sd * math.Sqrt(1-alpha) }

// SDiff is the standard error of the difference of two scores: sqrt(2)*SEM.
func SDiff(sem float64) float64 { return math.Sqrt2 * sem }

// RCI is the reliable change index corrected for practice: (latest-baseline-pe)/S_diff.
func RCI(baseline, latest, pe, sdiff float64) float64 {
	if sdiff <= 0 {
		return 0
	}
	return (latest - baseline - pe) / sdiff
}

// IntervalZ makes Interval a 90% interval (two-sided), the same level as the "likely" band.
const IntervalZ = 1.645

// Interval is where a score's true value likely lies: score ± 1.645·SEM, clamped to 0-100.
func Interval(score, sem float64) [2]float64 {
	return [2]float64{max(score-IntervalZ*sem, 0), min(score+IntervalZ*sem, 100)}
}

// Practice is the practice effect of a competency: the mean change of learners who completed no
// lesson between their baseline and their next attempt, which retaking the same items alone
// produces.
type Practice struct {
	// Effect is what is subtracted before the RCI: the sample's from MinN pairs on, else the
	// prior (Source says which).
	Effect float64
	Source string
	// N is the number of such pairs; Sample their mean change (nil without pairs).
	N      int
	Sample *float64
}

// PracticeFrom picks the practice effect from the changes of learners who studied nothing
// between two attempts: their mean from p.MinN pairs on, else prior.
func PracticeFrom(changes []float64, prior float64, p Priors) Practice {
	out := Practice{Effect: prior, Source: SourcePrior, N: len(changes)}
	if len(changes) > 0 {
		m := Mean(changes)
		out.Sample = &m
		if len(changes) >= p.MinN {
			out.Effect, out.Source = m, SourceSample
		}
	}
	return out
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

// Classify judges the change from baseline to latest with a competency's reliability and
// practice effect. retaken is false when the latest score is the baseline itself: no practice
// has happened, so none is subtracted.
func Classify(baseline, latest float64, retaken bool, r Reliability) Change {
	sem := r.SEM()
	pe := 0.0
	if retaken {
		pe = r.Practice.Effect
	}
	rci := RCI(baseline, latest, pe, SDiff(sem))
	return Change{RCI: rci, Band: BandOf(rci), Significant: math.Abs(rci) >= SignificantRCI,
		SEM: sem, Interval: Interval(latest, sem), Practice: pe, Reliability: r}
}
