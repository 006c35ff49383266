package jobs

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Runner works the queued jobs: River's client with every domain's worker and periodic job. The
// app builds it last, once every service (and so every worker) exists; services enqueue through
// an Inserter, which needs no workers, so nothing is set on anything after it is built.
type Runner struct {
	*river.Client[pgx.Tx]
}

// NewRunner returns the River client that works jobs from pool with workers; Start runs it.
func NewRunner(pool *pgxpool.Pool, workers *river.Workers, opt Options) (*Runner, error) {
	if opt.PollInterval < 100*time.Millisecond {
		opt.PollInterval = time.Second // River panics below 100 ms
	}
	if opt.Workers <= 0 {
		opt.Workers = 10
	}
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.Workers}},
		Workers:           workers,
		Logger:            opt.Logger,
		FetchPollInterval: opt.PollInterval,
		PeriodicJobs:      opt.Periodic,
		JobTimeout:        time.Minute,
		// A job whose fetch was lost in a database crash is worked again after this, not an hour later.
		RescueStuckJobsAfter: 5 * time.Minute,
	})
	if err != nil {
		return nil, err
	}
	return &Runner{Client: c}, nil
}
