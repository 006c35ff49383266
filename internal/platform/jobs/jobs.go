// Package jobs wraps River, the Postgres-backed job queue: durable jobs that any server process
// may run, each completed exactly once. Services enqueue through an Inserter (in their own
// transaction); the Runner, built last, works the jobs.
package jobs

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// Options tune the Runner.
type Options struct {
	Logger       *slog.Logger
	PollInterval time.Duration
	Workers      int
	// Periodic jobs (weekly reminders and such) registered by domains.
	Periodic []*river.PeriodicJob
}
