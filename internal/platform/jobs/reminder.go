package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Reminder is one run of a periodic "claim → mail → release" job: Claim records, in one statement,
// who is due a mail now (so concurrent or repeated runs never pick the same person twice); Mail
// queues the mail of one claimed item; Release gives a claim back when its mail could not be
// queued, so a later run tries again. Who names an item in errors.
type Reminder[T any] struct {
	Claim   func(ctx context.Context, now time.Time) ([]T, error)
	Mail    func(ctx context.Context, item T) error
	Release func(ctx context.Context, item T) error
	Who     func(item T) string
}

// Run claims what is due at now and mails each claimed item, releasing the claims whose mail
// fails. It returns how many mails it queued and every failure, joined; mails already queued
// keep their claims, so a retry mails only the rest.
func (r Reminder[T]) Run(ctx context.Context, now time.Time) (int, error) {
	items, err := r.Claim(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, it := range items {
		if err := r.Mail(ctx, it); err != nil {
			errs = append(errs, fmt.Errorf("reminder for %s: %w", r.Who(it), err))
			if rerr := r.Release(ctx, it); rerr != nil {
				errs = append(errs, rerr)
			}
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// OncePer is the insert options of a periodic job: a pending run is unique per interval, so a
// backlog never piles up duplicate runs, and a failed run is retried at most twice.
func OncePer(interval time.Duration) river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: interval}}
}

// Every is the periodic job the app registers with River: one run of args per interval, enqueued
// by the elected leader only, however many server processes run.
func Every(interval time.Duration, args river.JobArgs) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{ID: args.Kind()})
}
