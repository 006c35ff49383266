package assess_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/assess"
)

// These tests need no database: they check the attempt rules the service applies between
// loading and saving.

var (
	t0   = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	week = 7 * 24 * time.Hour
)

func at(d time.Duration) *time.Time {
	t := t0.Add(d)
	return &t
}

func TestRetestDueAt(t *testing.T) {
	r := assess.Retest{After: 2 * week}
	tests := []struct {
		name      string
		completed *time.Time
		want      time.Time
	}{
		{"no module completed", nil, t0.Add(2 * week)},
		{"a completion before the last attempt does not count", at(-time.Hour), t0.Add(2 * week)},
		{"a completion at the last attempt does not count", at(0), t0.Add(2 * week)},
		{"a completion since opens it at once", at(3 * 24 * time.Hour), t0.Add(3 * 24 * time.Hour)},
		{"a completion after the wait changes nothing", at(3 * week), t0.Add(2 * week)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.DueAt(t0, tt.completed); !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("DueAt = %v, want %v (UTC)", got, tt.want)
			}
		})
	}
}

func TestRetestNext(t *testing.T) {
	r := assess.Retest{After: 2 * week}
	tests := []struct {
		name      string
		now       time.Time
		last      *time.Time
		completed *time.Time
		want      string
		wantDate  string // in the Conflict's message
	}{
		{"the first attempt is the baseline", t0, nil, nil, assess.KindBaseline, ""},
		{"too early", t0.Add(week), at(0), nil, "", "15 March 2026"},
		{"just before it opens", t0.Add(2*week - time.Second), at(0), nil, "", "15 March 2026"},
		{"when it opens", t0.Add(2 * week), at(0), nil, assess.KindProgress, ""},
		{"a module completed since opens it early", t0.Add(week), at(0), at(24 * time.Hour), assess.KindProgress, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, err := r.Next(tt.now, tt.last, tt.completed)
			if tt.wantDate != "" {
				if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), tt.wantDate) {
					t.Fatalf("err = %v, want a Conflict naming %s", err, tt.wantDate)
				}
				return
			}
			if err != nil || kind != tt.want {
				t.Errorf("Next = %q, %v; want %q", kind, err, tt.want)
			}
		})
	}
}

func TestStandingSchedule(t *testing.T) {
	r := assess.Retest{After: 2 * week}
	open := "attempt-1"
	tests := []struct {
		name     string
		standing assess.Standing
		now      time.Time
		wantDue  *time.Time
		wantCan  bool
	}{
		{"never attempted", assess.Standing{}, t0, nil, true},
		{"baseline under way", assess.Standing{OpenAttemptID: &open}, t0, nil, true},
		{"waiting", assess.Standing{BaselineDone: true, LastSubmittedAt: at(0)}, t0.Add(week), at(2 * week), false},
		{"due", assess.Standing{BaselineDone: true, LastSubmittedAt: at(0)}, t0.Add(2 * week), at(2 * week), true},
		{"an attempt to resume, even before the date", assess.Standing{BaselineDone: true, LastSubmittedAt: at(0), OpenAttemptID: &open},
			t0.Add(week), at(2 * week), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, can := tt.standing.Schedule(r, tt.now, nil)
			if (due == nil) != (tt.wantDue == nil) || due != nil && !due.Equal(*tt.wantDue) || can != tt.wantCan {
				t.Errorf("Schedule = %v, %v; want %v, %v", due, can, tt.wantDue, tt.wantCan)
			}
		})
	}
}

// def is a small instrument: one Likert item, one SJT item with three actions and one choice
// item, all on one competency.
var def = &assess.Instrument{
	Slug: "tiny", Weights: assess.DefaultWeights,
	Competencies: []assess.Competency{{Key: "skill", Name: "Skill"}},
	Items: []assess.Item{
		{ID: "l1", Competency: "skill", Type: assess.TypeLikert},
		{ID: "s1", Competency: "skill", Type: assess.TypeSJT, Options: []assess.Option{{ID: "a", Key: 5}, {ID: "b", Key: 1}, {ID: "c", Key: 3}}},
		{ID: "c1", Competency: "skill", Type: assess.TypeChoice, Options: []assess.Option{{ID: "x", Correct: true}, {ID: "y"}}},
	},
}

func newAttempt(user string) assess.Attempt {
	cur := assess.CurrentVersion{InstrumentID: "i1", Slug: "tiny", VersionID: "v1", Version: 1, ItemCount: 3}
	return assess.NewAttempt(user, assess.KindBaseline, cur, def, t0)
}

func TestNewAttempt(t *testing.T) {
	a := newAttempt("u1")
	order := slices.Clone(a.ItemOrder)
	slices.Sort(order)
	if !slices.Equal(order, []string{"c1", "l1", "s1"}) || a.UserID != "u1" || a.Kind != assess.KindBaseline ||
		a.InstrumentID != "i1" || a.VersionID != "v1" || !a.StartedAt.Equal(t0) || a.SubmittedAt != nil || a.Responses == nil {
		t.Errorf("attempt = %+v", a)
	}
}

func TestAttemptAccess(t *testing.T) {
	open, done := newAttempt("u1"), newAttempt("u1")
	done.SubmittedAt = at(time.Hour)
	tests := []struct {
		name            string
		a               assess.Attempt
		user            string
		visible, answer apperr.Kind // Internal: allowed
	}{
		{"own, unfinished", open, "u1", apperr.Internal, apperr.Internal},
		{"own, submitted", done, "u1", apperr.Internal, apperr.Conflict},
		{"someone else's", open, "u2", apperr.NotFound, apperr.NotFound},
		{"someone else's, submitted", done, "u2", apperr.NotFound, apperr.NotFound},
	}
	check := func(t *testing.T, what string, err error, want apperr.Kind) {
		t.Helper()
		if want == apperr.Internal && err != nil || want != apperr.Internal && !apperr.Is(err, want) {
			t.Errorf("%s: err = %v, want kind %v", what, err, want)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, "VisibleTo", tt.a.VisibleTo(tt.user), tt.visible)
			check(t, "OpenTo", tt.a.OpenTo(tt.user), tt.answer)
		})
	}
}

func TestEncodeAnswers(t *testing.T) {
	a := newAttempt("u1")
	a.ItemOrder = []string{"l1", "s1"} // c1 is in the definition but not in this attempt
	tests := []struct {
		name     string
		values   map[string]string
		want     []string // item=json, in item order
		wantKind apperr.Kind
	}{
		{"canonical JSON, by item id", map[string]string{"s1": "[ 1, 2,3 ]", "l1": " 4 "}, []string{"l1=4", "s1=[1,2,3]"}, apperr.Internal},
		{"an item of another instrument", map[string]string{"zz": "3"}, nil, apperr.NotFound},
		{"an item left out of this attempt", map[string]string{"c1": `"x"`}, nil, apperr.NotFound},
		{"an invalid answer saves nothing", map[string]string{"l1": "3", "s1": "[1,2]"}, nil, apperr.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := map[string]json.RawMessage{}
			for k, v := range tt.values {
				values[k] = json.RawMessage(v)
			}
			items, encoded, err := a.EncodeAnswers(values)
			if tt.wantKind != apperr.Internal {
				if !apperr.Is(err, tt.wantKind) || items != nil {
					t.Fatalf("err = %v, items %v; want kind %v", err, items, tt.wantKind)
				}
				return
			}
			var got []string
			for i := range items {
				got = append(got, items[i]+"="+encoded[i])
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("EncodeAnswers = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestSubmit(t *testing.T) {
	tests := []struct {
		name        string
		responses   map[string]string
		wantMissing []string
		wantScore   float64
	}{
		{"nothing answered", nil, []string{"items.l1", "items.s1", "items.c1"}, 0},
		{"one missing", map[string]string{"l1": "5", "s1": "[5,1,3]"}, []string{"items.c1"}, 0},
		// Likert 5 → 100; SJT exactly on the key → 100 and the correct choice → 100: 100 overall.
		{"all answered", map[string]string{"l1": "5", "s1": "[5,1,3]", "c1": `"x"`}, nil, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAttempt("u1")
			a.ItemOrder = []string{"l1", "s1", "c1"}
			for k, v := range tt.responses {
				a.Responses[k] = json.RawMessage(v)
			}
			err := a.Submit(t0.Add(time.Hour))
			if tt.wantMissing != nil {
				var fields []string
				if e, ok := err.(*apperr.Error); ok {
					for _, f := range e.Fields {
						fields = append(fields, f.Field)
					}
				}
				if !apperr.Is(err, apperr.Invalid) || !slices.Equal(fields, tt.wantMissing) || a.SubmittedAt != nil {
					t.Fatalf("err = %v (fields %v), want Invalid naming %v, not submitted", err, fields, tt.wantMissing)
				}
				return
			}
			if err != nil || a.SubmittedAt == nil || !a.SubmittedAt.Equal(t0.Add(time.Hour)) || len(a.Scores) != 1 ||
				a.Scores[0].Competency != "skill" || a.Scores[0].Score != tt.wantScore {
				t.Errorf("submitted: err %v, at %v, scores %+v", err, a.SubmittedAt, a.Scores)
			}
		})
	}
}
