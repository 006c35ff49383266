package assess

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// The rules of an attempt's life: when a learner may start one and of which kind, who may see
// and answer it, and how it is scored when submitted. The service loads what they need and
// stores what they decide, so each rule is written here once.

// Retest is the rule that spaces a learner's attempts of an instrument: the first is the
// baseline; once one is submitted, the next (a progress attempt) opens After the last submitted
// one, or at the learner's first module completion after it if that is sooner.
type Retest struct {
	After time.Duration
}

// DueAt is when the next progress attempt opens after the last submitted attempt at last, given
// the learner's last module completion (nil: none).
func (r Retest) DueAt(last time.Time, completed *time.Time) time.Time {
	due := last.Add(r.After).UTC()
	if completed != nil && completed.After(last) && completed.Before(due) {
		due = completed.UTC()
	}
	return due
}

// Next decides the kind of an attempt started at now, given the last submitted attempt (nil:
// none) and the last module completion; before the next one is due it is a Conflict naming
// the date.
func (r Retest) Next(now time.Time, last, completed *time.Time) (string, error) {
	if last == nil {
		return KindBaseline, nil
	}
	if due := r.DueAt(*last, completed); now.Before(due) {
		return "", apperr.New(apperr.Conflict, "Your next progress check opens on "+
			due.Format("2 January 2006")+", or as soon as you complete a module.")
	}
	return KindProgress, nil
}

// Schedule tells the learner when their next progress attempt opens (nil before any attempt is
// submitted) and whether they can start or resume one at now.
func (st Standing) Schedule(r Retest, now time.Time, completed *time.Time) (nextDue *time.Time, canStart bool) {
	if st.LastSubmittedAt == nil {
		return nil, true
	}
	due := r.DueAt(*st.LastSubmittedAt, completed)
	return &due, st.OpenAttemptID != nil || !now.Before(due)
}

// NewAttempt is a learner's new attempt of an instrument's current version (whose definition is
// def), with the items in a fresh random order so that order effects average out.
func NewAttempt(userID, kind string, cur CurrentVersion, def *Instrument, now time.Time) Attempt {
	order := make([]string, len(def.Items))
	for i, it := range def.Items {
		order[i] = it.ID
	}
	rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	return Attempt{UserID: userID, Kind: kind, InstrumentID: cur.InstrumentID, VersionID: cur.VersionID,
		Instrument: def, ItemOrder: order, StartedAt: now, Responses: map[string]json.RawMessage{}}
}

const attemptNotFound = "We couldn’t find that assessment attempt. Start the assessment again from the Assessments page."

// VisibleTo lets only the attempt's learner see it: anyone else's is NotFound, exactly like a
// missing one, so attempt ids reveal nothing.
func (a Attempt) VisibleTo(userID string) error {
	if a.UserID != userID {
		return apperr.New(apperr.NotFound, attemptNotFound)
	}
	return nil
}

// OpenTo lets only the attempt's learner answer or submit it, and only until it is submitted.
func (a Attempt) OpenTo(userID string) error {
	if err := a.VisibleTo(userID); err != nil {
		return err
	}
	if a.SubmittedAt != nil {
		return apperr.New(apperr.Conflict, "This assessment has already been submitted. See your results on the Skills page.")
	}
	return nil
}

// EncodeAnswers validates answers (by item id) against the attempt's items and returns them in
// item id order, each in its canonical JSON (what is stored and resumed). An item outside the
// attempt is NotFound; an invalid answer is Invalid naming "value".
func (a Attempt) EncodeAnswers(values map[string]json.RawMessage) (items, encoded []string, err error) {
	items = slices.Sorted(maps.Keys(values))
	encoded = make([]string, len(items))
	for i, itemID := range items {
		it, ok := a.Instrument.Item(itemID)
		if !ok || !slices.Contains(a.ItemOrder, itemID) {
			return nil, nil, apperr.New(apperr.NotFound, "This question isn’t part of this assessment. Please refresh the page and try again.")
		}
		ans, err := ParseAnswer(it, values[itemID])
		if err != nil {
			return nil, nil, err
		}
		encoded[i] = string(encodeAnswer(it.Type, ans))
	}
	return items, encoded, nil
}

// Submit scores the attempt from its responses and marks it submitted at at. Every item must be
// answered: else Invalid, listing each missing one as items.<id>.
func (a *Attempt) Submit(at time.Time) error {
	answers, err := a.answers()
	if err != nil {
		return err
	}
	scores, err := ScoreAttempt(a.Instrument, answers)
	if err != nil {
		return err
	}
	a.SubmittedAt, a.Scores = &at, scores
	return nil
}

// answers parses the stored answers and lists every item of the attempt left unanswered.
func (a Attempt) answers() (map[string]Answer, error) {
	answers := make(map[string]Answer, len(a.ItemOrder))
	var missing []apperr.FieldError
	for _, id := range a.ItemOrder {
		raw, ok := a.Responses[id]
		if !ok {
			missing = append(missing, apperr.Field("items."+id, "Please answer this question."))
			continue
		}
		it, _ := a.Instrument.Item(id)
		ans, err := ParseAnswer(it, raw)
		if err != nil {
			return nil, err
		}
		answers[id] = ans
	}
	if len(missing) > 0 {
		return nil, &apperr.Error{Kind: apperr.Invalid, Fields: missing,
			Detail: "Please answer every question before submitting: " + strconv.Itoa(len(missing)) + " still unanswered."}
	}
	return answers, nil
}

// orderScores puts stored scores in the definition's competency order.
func orderScores(def *Instrument, scores []Score) []Score {
	out := make([]Score, 0, len(scores))
	for _, c := range def.Competencies {
		for _, sc := range scores {
			if sc.Competency == c.Key {
				out = append(out, sc)
			}
		}
	}
	return out
}
