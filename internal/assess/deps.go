package assess

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ModuleCompletions reports what learners studied (the progress domain implements it).
type ModuleCompletions interface {
	// LastCompletion is when a learner last completed a module (nil: never); completing one
	// opens a progress attempt early.
	LastCompletion(ctx context.Context, userID string) (*time.Time, error)
	// LessonCompletions lists, for many learners at once, when each completed a lesson (learners
	// who completed none may be absent); the practice effect is measured on those who studied
	// nothing between two attempts.
	LessonCompletions(ctx context.Context, userIDs []string) (map[string][]time.Time, error)
}

// NoCompletions is a ModuleCompletions for processes without progress: nobody has completed a
// module, so progress attempts open on the timer alone.
type NoCompletions struct{}

// LastCompletion implements ModuleCompletions.
func (NoCompletions) LastCompletion(context.Context, string) (*time.Time, error) { return nil, nil }

// LessonCompletions implements ModuleCompletions: nobody has completed a lesson.
func (NoCompletions) LessonCompletions(context.Context, []string) (map[string][]time.Time, error) {
	return map[string][]time.Time{}, nil
}

// Deps are what the assessments service needs from the process. DB and Completions are required
// (a process without progress passes NoCompletions); the other fields have defaults.
type Deps struct {
	DB          *db.DB
	Now         func() time.Time
	Completions ModuleCompletions
	// RetestAfter is the wait between attempts (zero: DefaultRetestAfter).
	RetestAfter time.Duration
	// Priors are the reliability numbers used until enough baselines exist (zero fields take
	// DefaultPriors' values).
	Priors Priors
	// PracticePrior is the practice effect (score points) used until MinN learners have retaken
	// the assessment without studying in between (PRACTICE_EFFECT_PRIOR; default 0).
	PracticePrior float64
	// ReliabilityTTL is how long computed reliability numbers are reused (zero: the default).
	ReliabilityTTL time.Duration
	// Changes is the process's change feed: with it the instruments' current versions are kept in
	// memory while it is live; nil (a command, a unit test) reads them every time.
	Changes Changes
}
