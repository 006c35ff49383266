package practice

import (
	"math"
	"slices"
	"time"
)

// ObservedWindow is how many of a learner's latest reviewed submissions on a competency its
// observed score averages: recent enough to show change, enough to steady one odd review.
const ObservedWindow = 5

// ObservedMean is the managers' mean rubric score (1-5) on a competency's criteria over the
// learner's last ObservedWindow reviewed submissions that score it, and how many manager reviews
// it rests on.
type ObservedMean struct {
	Mean    float64
	Reviews int
}

// CompetencyEvidence is a learner's self-rating and observed score on one competency, both on
// 0-100; Gap is self minus observed. Each is nil while there is nothing to compute it from.
type CompetencyEvidence struct {
	Competency string
	Self       *float64
	Observed   *float64
	Gap        *float64
	Reviews    int
}

// SubmissionCounts counts a learner's submitted attempts: all handed in, reviewed by a
// manager, and still waiting for one.
type SubmissionCounts struct {
	Submitted      int
	Reviewed       int
	AwaitingReview int
}

// LearnerEvidence is a learner's practice as their managers see it: submission counts, their
// self-ratings (0-100) and the observed means, both keyed by competency.
type LearnerEvidence struct {
	Counts   SubmissionCounts
	Self     map[string]float64
	Observed map[string]ObservedMean
}

// Compare lists the competencies keys with self-rating, observed score and gap (CompareEvidence).
func (l LearnerEvidence) Compare(keys []string) []CompetencyEvidence {
	return CompareEvidence(keys, l.Self, l.Observed)
}

// ObservedKeys lists the competencies a manager has scored, in key order.
func (l LearnerEvidence) ObservedKeys() []string {
	keys := make([]string, 0, len(l.Observed))
	for k := range l.Observed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ObservedPercent rescales a mean rubric score (1-5) to 0-100, the scale of the assessment's
// Likert part: 100*(score-1)/4.
func ObservedPercent(mean float64) float64 {
	return 100 * (mean - MinScore) / (MaxScore - MinScore)
}

// CompareEvidence lists the competencies keys, in that order, with the learner's self-rating
// (0-100, from self), the observed score (from observed) and their gap, rounded to two decimals.
func CompareEvidence(keys []string, self map[string]float64, observed map[string]ObservedMean) []CompetencyEvidence {
	out := make([]CompetencyEvidence, len(keys))
	for i, c := range keys {
		e := CompetencyEvidence{Competency: c}
		if v, ok := self[c]; ok {
			e.Self = round2(v)
		}
		if o, ok := observed[c]; ok {
			v := ObservedPercent(o.Mean)
			e.Observed, e.Reviews = round2(v), o.Reviews
			if s, ok := self[c]; ok {
				e.Gap = round2(s - v)
			}
		}
		out[i] = e
	}
	return out
}

func round2(x float64) *float64 {
	v := math.Round(x*100) / 100
	return &v
}

// ExportFile is one recording of the learner for the export ZIP: Name is its path there (the one
// data.json's recording lists as "file"), Key where its bytes are in storage.
type ExportFile struct {
	Name     string
	Key      string
	Size     int64
	Modified time.Time
}
