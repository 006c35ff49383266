// Package jobs wraps River, the Postgres-backed job queue: durable jobs that any server process
// may run, each completed exactly once.
package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Queue enqueues jobs. Domain services hold a Queue; the River client behind it is created once
// every worker is registered (workers may themselves depend on the services).
type Queue struct {
	mu      sync.RWMutex
	client  *river.Client[pgx.Tx]
	Workers *river.Workers
}

// NewQueue returns a Queue with an empty worker registry.
func NewQueue() *Queue { return &Queue{Workers: river.NewWorkers()} }

// Options tune the River client.
type Options struct {
	Logger       *slog.Logger
	PollInterval time.Duration
	Workers      int
	// Periodic jobs (weekly reminders and such) registered by domains.
	Periodic []*river.PeriodicJob
}

// Init creates the River client on pool once every worker is registered. Jobs can be inserted
// from then on; they are worked only after Start.
func (q *Queue) Init(pool *pgxpool.Pool, opt Options) error {
	if opt.PollInterval < 100*time.Millisecond {
		opt.PollInterval = time.Second // River panics below 100 ms
	}
	if opt.Workers <= 0 {
		opt.Workers = 10
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.Workers}},
		Workers:           q.Workers,
		Logger:            opt.Logger,
		FetchPollInterval: opt.PollInterval,
		PeriodicJobs:      opt.Periodic,
		JobTimeout:        time.Minute,
	})
	if err != nil {
		return err
	}
	q.mu.Lock()
	q.client = client
	q.mu.Unlock()
	return nil
}

// Start works jobs until ctx ends or Stop is called.
func (q *Queue) Start(ctx context.Context) error {
	c, err := q.get()
	if err != nil {
		return err
	}
	return c.Start(ctx)
}

// Stop waits for running jobs to finish (up to ctx's deadline).
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.RLock()
	c := q.client
	q.mu.RUnlock()
	if c == nil {
		return nil
	}
	return c.Stop(ctx)
}

// ErrNotStarted is returned when a job is enqueued before Start.
var ErrNotStarted = errors.New("jobs: queue not started")

// Insert enqueues a job. Domains insert after their own transaction commits (GORM runs on
// database/sql, River's transactional insert needs pgx.Tx); jobs that must not be lost are
// made unique and re-enqueued on retry, so a crash between the two is repaired by the retry.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	c, err := q.get()
	if err != nil {
		return err
	}
	_, err = c.Insert(ctx, args, opts)
	return err
}

func (q *Queue) get() (*river.Client[pgx.Tx], error) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.client == nil {
		return nil, ErrNotStarted
	}
	return q.client, nil
}
