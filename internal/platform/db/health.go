package db

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// ErrUnavailable marks an error as the database not answering (errors.Is): Err and Ping mark the
// errors they return for an unreachable database, so the HTTP layer can tell an outage from
// another service being down.
var ErrUnavailable = errors.New("the database is not answering")

// unavailableError keeps the driver's error and adds the ErrUnavailable mark.
type unavailableError struct{ err error }

func (e unavailableError) Error() string   { return e.err.Error() }
func (e unavailableError) Unwrap() []error { return []error{e.err, ErrUnavailable} }

func markUnavailable(err error) error {
	if errors.Is(err, ErrUnavailable) {
		return err
	}
	return unavailableError{err: err}
}

// Health follows whether the database answers, so that an outage is logged once: its first
// failed request at error level, then, when a statement or a ping succeeds again, one line with
// how long it lasted and how many requests failed meanwhile.
type Health struct {
	log *slog.Logger
	// isDown lets Answered, called after every statement, return without the lock.
	isDown atomic.Bool

	mu     sync.Mutex
	down   bool
	since  time.Time
	failed int
}

func newHealth(log *slog.Logger) *Health {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Health{log: log}
}

// Failed records a request that failed because the database did not answer; only the first of
// an outage is logged, with attrs describing it.
func (h *Health) Failed(ctx context.Context, err error, attrs ...any) {
	h.mu.Lock()
	first := !h.down
	if first {
		h.down, h.since, h.failed = true, time.Now(), 0
		h.isDown.Store(true)
	}
	h.failed++
	h.mu.Unlock()
	if first {
		h.log.ErrorContext(ctx, "the database is not answering; requests that need it answer 503 until it is back",
			append(attrs, "error", err.Error())...)
	}
}

// Answered records that the database answered; the first answer after an outage logs its end.
func (h *Health) Answered(ctx context.Context) {
	if !h.isDown.Load() {
		return
	}
	h.mu.Lock()
	if !h.down {
		h.mu.Unlock()
		return
	}
	h.down = false
	h.isDown.Store(false)
	lasted, failed := time.Since(h.since), h.failed
	h.mu.Unlock()
	h.log.WarnContext(ctx, "the database answers again",
		"outage_ms", lasted.Milliseconds(), "failed_requests", failed)
}

// watch registers a GORM callback after every kind of statement: a statement that did not fail
// for want of a database (success, or an error PostgreSQL itself answered) ends an outage.
func (h *Health) watch(g *gorm.DB) error {
	after := func(tx *gorm.DB) {
		if tx.Error == nil || !IsUnavailable(tx.Error) {
			h.Answered(tx.Statement.Context)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("rapport:health", after),
		cb.Query().After("gorm:query").Register("rapport:health", after),
		cb.Update().After("gorm:update").Register("rapport:health", after),
		cb.Delete().After("gorm:delete").Register("rapport:health", after),
		cb.Row().After("gorm:row").Register("rapport:health", after),
		cb.Raw().After("gorm:raw").Register("rapport:health", after),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
