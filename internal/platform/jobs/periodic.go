package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// Periodic is the worker of a periodic job (A names the job kind): each run calls Run with the
// domain's clock and logs how many items it handled. An error makes River retry the run; Run
// keeps its own claims, so a retry handles only what is left.
type Periodic[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	// Run does one run's work at now and returns how many items it handled.
	Run func(ctx context.Context, now time.Time) (int, error)
	Now func() time.Time
	Log *slog.Logger
	// Done is the log message of a run that handled items, e.g. "weekly reminders queued".
	Done string
}

// Work runs one scheduled run.
func (p *Periodic[A]) Work(ctx context.Context, _ *river.Job[A]) error {
	n, err := p.Run(ctx, p.Now())
	if n > 0 {
		p.Log.InfoContext(ctx, p.Done, "count", n)
	}
	return err
}
