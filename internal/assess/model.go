// Package assess owns the assessments: instruments and their immutable versions, attempts with
// autosaved answers, scoring on the server, reliability (Cronbach's alpha), growth as a reliable
// change index, and item statistics for instructors.
package assess

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Item types.
const (
	TypeLikert = "likert"
	TypeSJT    = "sjt"
	TypeChoice = "choice"
)

// Attempt kinds: the first finished attempt is the baseline, later ones are progress attempts.
const (
	KindBaseline = "baseline"
	KindProgress = "progress"
)

// Likert answers and SJT ratings are whole numbers on this scale.
const (
	ScaleMin = 1
	ScaleMax = 5
)

// Weights split a competency score between its Likert and SJT halves; they add up to 1.
type Weights struct {
	Likert float64
	SJT    float64
}

// DefaultWeights are used when an instrument names none: half self-rating, half judgement.
var DefaultWeights = Weights{Likert: 0.5, SJT: 0.5}

// Competency is one skill an instrument measures.
type Competency struct {
	Key         string
	Name        string
	Description string
}

// Option is an SJT action (with its expert Key, 1-5) or a choice answer (Correct marks the one
// right answer). Key and Correct are answer keys: never sent to clients.
type Option struct {
	ID      string
	Text    string
	Key     int
	Correct bool
}

// Item is one question. Reverse applies to Likert items: an answer x counts as 6-x.
type Item struct {
	ID         string
	Competency string
	Type       string
	Prompt     string
	Reverse    bool
	Options    []Option
}

// Instrument is one version of an assessment's definition, answer keys included.
type Instrument struct {
	Slug           string
	Title          string
	Description    string
	Weights        Weights
	LikertLabels   []string
	SJTInstruction string
	Competencies   []Competency
	Items          []Item
}

// Item finds an item by id.
func (in *Instrument) Item(id string) (Item, bool) {
	i := slices.IndexFunc(in.Items, func(it Item) bool { return it.ID == id })
	if i < 0 {
		return Item{}, false
	}
	return in.Items[i], true
}

// CompetencyName is the display name of a competency key (the key itself when unknown).
func (in *Instrument) CompetencyName(key string) string {
	for _, c := range in.Competencies {
		if c.Key == key {
			return c.Name
		}
	}
	return key
}

// Answer is a validated response value: Likert for likert items, Ratings (one per action, in the
// listed order) for sjt items, Choice (an option id) for choice items.
type Answer struct {
	Likert  int
	Ratings []int
	Choice  string
}

// ParseAnswer validates a JSON value against an item: likert takes a whole number 1-5, sjt an
// array of whole numbers 1-5 with one rating per action, choice one of the option ids. Anything
// else is an Invalid error naming the field "value".
func ParseAnswer(it Item, raw json.RawMessage) (Answer, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Answer{}, apperr.InvalidFields(apperr.Field("value", "Choose an answer."))
	}
	switch it.Type {
	case TypeLikert:
		var v int
		if json.Unmarshal(raw, &v) != nil || v < ScaleMin || v > ScaleMax {
			return Answer{}, apperr.InvalidFields(apperr.Field("value", "Choose a rating from 1 to 5."))
		}
		return Answer{Likert: v}, nil
	case TypeSJT:
		var vs []int
		err := json.Unmarshal(raw, &vs)
		if err != nil || len(vs) != len(it.Options) || slices.ContainsFunc(vs, outOfScale) {
			return Answer{}, apperr.InvalidFields(apperr.Field("value",
				fmt.Sprintf("Rate each of the %d actions from 1 to 5, in the order listed.", len(it.Options))))
		}
		return Answer{Ratings: vs}, nil
	case TypeChoice:
		var s string
		if json.Unmarshal(raw, &s) != nil || !slices.ContainsFunc(it.Options, func(o Option) bool { return o.ID == s }) {
			return Answer{}, apperr.InvalidFields(apperr.Field("value", "Choose one of the options."))
		}
		return Answer{Choice: s}, nil
	}
	return Answer{}, fmt.Errorf("item %s has unknown type %q", it.ID, it.Type)
}

func outOfScale(v int) bool { return v < ScaleMin || v > ScaleMax }

// encodeAnswer is the canonical JSON of an answer for an item type (what is stored and resumed).
func encodeAnswer(itemType string, a Answer) json.RawMessage {
	var v any
	switch itemType {
	case TypeLikert:
		v = a.Likert
	case TypeSJT:
		v = a.Ratings
	default:
		v = a.Choice
	}
	b, _ := json.Marshal(v) // ints, int slices and strings always marshal
	return b
}

// Attempt is one sitting of an instrument, with the definition of the version it started on.
type Attempt struct {
	ID     string
	UserID string
	Kind   string
	// InstrumentID and VersionID name the instrument and the version the attempt scores against.
	InstrumentID string
	VersionID    string
	Version      int
	Instrument   *Instrument
	ItemOrder    []string
	Responses    map[string]json.RawMessage
	StartedAt    time.Time
	SubmittedAt  *time.Time
	// Scores are filled once the attempt is submitted, in the instrument's competency order.
	Scores []Score
}

// Score is a competency's score (0-100) in one attempt, with its halves (nil when the competency
// has no items of that kind).
type Score struct {
	Competency string
	Score      float64
	Likert     *float64
	SJT        *float64
}

// CurrentVersion is an instrument with its current version, the one new attempts start on.
type CurrentVersion struct {
	InstrumentID string
	Slug         string
	VersionID    string
	Version      int
	ItemCount    int
}

// InstrumentHead is an instrument's record as an import finds it: its latest version (0 before
// the first) and the content hash that version was made from.
type InstrumentHead struct {
	ID      string
	Version int
	Hash    string
}

// Standing summarises one learner's attempts of one instrument.
type Standing struct {
	InstrumentID    string
	BaselineDone    bool
	LastSubmittedAt *time.Time
	// OpenAttemptID is the unfinished attempt, nil when there is none.
	OpenAttemptID *string
}

// ScoreRecord is one competency score of one submitted attempt.
type ScoreRecord struct {
	UserID       string
	InstrumentID string
	AttemptID    string
	Kind         string
	SubmittedAt  time.Time
	Competency   string
	Score        float64
}

// BaselineAnswer is one stored answer of a finished baseline (as JSON, parsed against the
// current definition by whoever reads it).
type BaselineAnswer struct {
	AttemptID string
	ItemID    string
	Value     json.RawMessage
}

// Overview is an instrument as a learner sees it in the assessments list.
type Overview struct {
	Slug         string
	Title        string
	Description  string
	Competencies []Competency
	ItemCount    int
	BaselineDone bool
	// NextDueAt is when the next progress attempt opens; nil before the baseline.
	NextDueAt *time.Time
	// CanStart is true when POST .../attempts would start or resume an attempt now.
	CanStart            bool
	InProgressAttemptID *string
	LastSubmittedAt     *time.Time
}

// Change is growth between a baseline and a latest score, judged by the reliable change index.
type Change struct {
	RCI         float64
	Band        string
	Significant bool
	// SEM is the latest score's standard error of measurement, Interval the latest ± 1.645·SEM
	// (clamped to 0-100), Practice the practice effect subtracted before the RCI.
	SEM         float64
	Interval    [2]float64
	Practice    float64
	Reliability Reliability
}

// CompetencySummary is a learner's baseline and latest score on one competency and what the
// change means.
type CompetencySummary struct {
	Assessment string
	Competency string
	Name       string
	Baseline   float64
	Latest     float64
	Delta      float64
	BaselineAt time.Time
	LatestAt   time.Time
	Change
}

// Point is one score in a competency's history.
type Point struct {
	At    time.Time
	Score float64
}

// SkillTrend is a competency summary with every score the learner has had on it.
type SkillTrend struct {
	CompetencySummary
	History []Point
}

// Skills is a learner's growth on every competency assessed so far.
type Skills struct {
	Competencies []SkillTrend
	// AssessedAt is the learner's latest submitted attempt; nil when none.
	AssessedAt *time.Time
}
