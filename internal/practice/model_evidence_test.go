package practice

import (
	"fmt"
	"reflect"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestObservedPercent(t *testing.T) {
	for _, c := range []struct{ mean, want float64 }{{1, 0}, {3, 50}, {5, 100}, {3.5, 62.5}, {4.25, 81.25}} {
		if got := ObservedPercent(c.mean); got != c.want {
			t.Errorf("ObservedPercent(%v) = %v, want %v", c.mean, got, c.want)
		}
	}
}

func TestCompareEvidence(t *testing.T) {
	self := map[string]float64{"self_awareness": 75, "job_diagnosis": 40, "consensus_building": 62.5}
	observed := map[string]ObservedMean{
		"self_awareness":      {Mean: 2, Reviews: 2},        // 100*(2-1)/4 = 25, gap 75-25 = 50
		"job_diagnosis":       {Mean: 11.0 / 3, Reviews: 3}, // 100*(8/3)/4 = 66.666… → 66.67, gap 40-66.67 = -26.67
		"stakeholder_mapping": {Mean: 4, Reviews: 1},        // 75, no self-rating: no gap
	}
	got := CompareEvidence(Competencies, self, observed)
	want := []CompetencyEvidence{
		{Competency: "self_awareness", Self: f(75), Observed: f(25), Gap: f(50), Reviews: 2},
		{Competency: "self_management"},
		{Competency: "social_awareness"},
		{Competency: "relationship_management"},
		{Competency: "job_diagnosis", Self: f(40), Observed: f(66.67), Gap: f(-26.67), Reviews: 3},
		{Competency: "consensus_building", Self: f(62.5)},
		{Competency: "prescriptive_guidance"},
		{Competency: "stakeholder_mapping", Observed: f(75), Reviews: 1},
	}
	if !reflect.DeepEqual(got, want) {
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%s: got %s, want %s", want[i].Competency, show(got[i]), show(want[i]))
			}
		}
	}
	l := LearnerEvidence{Self: self, Observed: observed}
	if keys := l.ObservedKeys(); !reflect.DeepEqual(keys, []string{"job_diagnosis", "self_awareness", "stakeholder_mapping"}) {
		t.Errorf("ObservedKeys = %v", keys)
	}
}

func show(e CompetencyEvidence) string {
	p := func(x *float64) any {
		if x == nil {
			return nil
		}
		return *x
	}
	return fmt.Sprint(e.Competency, p(e.Self), p(e.Observed), p(e.Gap), e.Reviews)
}
