package assess

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ModuleCompletions reports when a learner last completed a module (the progress domain
// implements it); completing one opens a progress attempt early. A nil time means never.
type ModuleCompletions interface {
	LastCompletion(ctx context.Context, userID string) (*time.Time, error)
}

// NoCompletions is a ModuleCompletions for processes without progress: nobody has completed a
// module, so progress attempts open on the timer alone.
type NoCompletions struct{}

// LastCompletion implements ModuleCompletions.
func (NoCompletions) LastCompletion(context.Context, string) (*time.Time, error) { return nil, nil }

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
	// ReliabilityTTL is how long computed reliability numbers are reused (zero: the default).
	ReliabilityTTL time.Duration
}
