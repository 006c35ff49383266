package main

// Answers for the demo's assessment attempts (demo_story.go).
//
// The demo never writes a score: its learners answer every item through the assessment service
// and the server scores the attempt as it would any learner's. To make a story ("Lena grew in
// self-awareness, stayed flat elsewhere") come out of the real scoring, a demo learner has a
// skill level (0-100) per competency at each sitting, and answersFor turns the levels into the
// answers a person at that level would give: Likert self-ratings whose keyed mean is the level,
// and scenario ratings that stray from the expert key in proportion to the distance from 100.
// Both halves then score close to the level (within a few points: answers are whole numbers),
// so a level raised by 25 points between sittings shows as real growth, and an unchanged level
// stays within the normal ups and downs.

import (
	"encoding/json"
	"math"
	"math/rand/v2"

	"github.com/rapport-hq/rapport/internal/assess"
)

// answersFor answers every item of def for a learner at the given levels (a competency missing
// from levels is answered at 50). rng varies which items get the higher and lower ratings, so two
// learners at the same level do not answer identically; the totals, and so the scores, do not
// depend on it.
func answersFor(def *assess.Instrument, levels map[string]float64, rng *rand.Rand) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(def.Items))
	for _, c := range def.Competencies {
		level, ok := levels[c.Key]
		if !ok {
			level = 50
		}
		level = min(max(level, 0), 100)
		var likert []assess.Item
		for _, it := range def.Items {
			if it.Competency != c.Key {
				continue
			}
			switch it.Type {
			case assess.TypeLikert:
				likert = append(likert, it)
			case assess.TypeSJT:
				out[it.ID] = mustJSON(scenarioRatings(it, level, rng))
			case assess.TypeChoice:
				out[it.ID] = mustJSON(choiceAt(it, level, rng))
			}
		}
		for i, v := range keyedRatings(len(likert), level, rng) {
			out[likert[i].ID] = mustJSON(assess.KeyLikert(v, likert[i].Reverse)) // keying is its own inverse
		}
	}
	return out
}

// keyedRatings returns n keyed Likert values (1-5) whose mean is as close to the level as whole
// numbers allow, spread a little around it the way real answers are.
func keyedRatings(n int, level float64, rng *rand.Rand) []int {
	if n == 0 {
		return nil
	}
	span := assess.ScaleMax - assess.ScaleMin
	total := int(math.Round(float64(n) * (assess.ScaleMin + float64(span)*level/100)))
	total = min(max(total, n*assess.ScaleMin), n*assess.ScaleMax)
	vs := make([]int, n)
	for i := range vs {
		vs[i] = total / n
	}
	for _, i := range rng.Perm(n)[:total%n] {
		vs[i]++
	}
	for k := 0; k < n/2; k++ { // move a point from one answer to another: the sum stays
		i, j := rng.IntN(n), rng.IntN(n)
		if i != j && vs[i] < assess.ScaleMax && vs[j] > assess.ScaleMin {
			vs[i]++
			vs[j]--
		}
	}
	return vs
}

// scenarioRatings rates each action of a scenario. At level 100 every rating is the expert key;
// below it the ratings stray from the key by a total of (100-level)% of the largest possible
// distance, the way a less skilled seller overrates weak actions and underrates strong ones.
func scenarioRatings(it assess.Item, level float64, rng *rand.Rand) []int {
	span := assess.ScaleMax - assess.ScaleMin
	stray := int(math.Round(float64(len(it.Options)*span) * (1 - level/100)))
	room := make([]int, len(it.Options)) // how far each rating can move away from its key
	ratings := make([]int, len(it.Options))
	for i, o := range it.Options {
		ratings[i] = o.Key
		room[i] = max(o.Key-assess.ScaleMin, assess.ScaleMax-o.Key)
	}
	order := rng.Perm(len(it.Options))
	for stray > 0 {
		moved := false
		for _, i := range order {
			if stray == 0 {
				break
			}
			if room[i] == 0 {
				continue
			}
			if it.Options[i].Key*2 >= assess.ScaleMin+assess.ScaleMax { // a good action: rated lower
				ratings[i]--
			} else {
				ratings[i]++
			}
			room[i]--
			stray--
			moved = true
		}
		if !moved {
			break
		}
	}
	return ratings
}

// choiceAt picks the correct option with a probability of level%, else another one.
func choiceAt(it assess.Item, level float64, rng *rand.Rand) string {
	right := rng.Float64()*100 < level
	for _, i := range rng.Perm(len(it.Options)) {
		if it.Options[i].Correct == right {
			return it.Options[i].ID
		}
	}
	return it.Options[0].ID
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // ints, int slices and strings always marshal
	}
	return b
}
