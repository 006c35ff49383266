// Package notify carries PostgreSQL LISTEN/NOTIFY to in-process callbacks, so every process
// running against one database learns within milliseconds that something it caches has changed.
//
// A Listener holds one dedicated connection (never one of the pool's: LISTEN state belongs to a
// session, and a pooled connection would lose it on release). Notifications are only delivered
// for committed transactions, which is what makes them safe to drive cache invalidation: a
// writer calls pg_notify (directly, or through a trigger) inside its transaction, and nobody
// hears of a change that rolled back.
//
// While the connection is down, notifications are lost. The Listener therefore reports Live()
// false from the moment it notices until it is listening again, and calls every resync callback
// after each (re)connect: caches bypass themselves while not live and drop everything on resync,
// so nothing missed in between is ever served.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Backoff bounds between reconnect attempts.
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// Listener subscribes one dedicated connection to channels and calls the callbacks subscribed
// to each. Subscribe and OnResync before Start; callbacks run on the Listener's goroutine (and on
// an Announce caller's), so they must be quick and safe to run concurrently (dropping a cache
// entry under its lock, not a query).
type Listener struct {
	connString string
	log        *slog.Logger

	mu       sync.Mutex
	handlers map[string][]func(payload string)
	resync   []func()
	started  bool

	live atomic.Bool
	pid  atomic.Uint32
	// listening is closed and replaced each time the Listener (re)starts listening.
	listening chan struct{}
	cancel    context.CancelFunc
	done      chan struct{}
}

// New prepares a Listener on the database connString names; nothing connects before Start.
func New(connString string, log *slog.Logger) *Listener {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Listener{connString: connString, log: log, handlers: map[string][]func(string){},
		listening: make(chan struct{})}
}

// Subscribe calls fn with the payload of every notification on channel.
func (l *Listener) Subscribe(channel string, fn func(payload string)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		panic("notify: Subscribe after Start")
	}
	l.handlers[channel] = append(l.handlers[channel], fn)
}

// Announce calls channel's subscribers with payload at once, in the caller's goroutine, as if a
// notification had arrived. A process that has just committed a write calls it before answering,
// so its own caches forget what the write changed before the next request; the database's
// notification of the same commit reaches the other processes (and this one, a little later:
// dropping a cache twice is harmless). Callbacks may thus run concurrently with the Listener's
// own. A nil Listener announces to nobody.
func (l *Listener) Announce(channel, payload string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	hs := l.handlers[channel]
	l.mu.Unlock()
	for _, fn := range hs {
		fn(payload)
	}
}

// OnResync calls fn each time the Listener starts listening (the first time and after every
// reconnect): whatever fn's owner cached may have changed unheard.
func (l *Listener) OnResync(fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		panic("notify: OnResync after Start")
	}
	l.resync = append(l.resync, fn)
}

// Live reports whether the Listener is listening now, so no change can go unheard: caches serve
// from memory only while it is true.
func (l *Listener) Live() bool { return l != nil && l.live.Load() }

// BackendPID is the PostgreSQL backend of the listening connection (0 while down); tests
// terminate it to exercise the reconnect.
func (l *Listener) BackendPID() uint32 { return l.pid.Load() }

// WaitLive blocks until the Listener is listening (or ctx ends).
func (l *Listener) WaitLive(ctx context.Context) error {
	for {
		l.mu.Lock()
		ch := l.listening
		l.mu.Unlock()
		if l.Live() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Start runs the Listener in the background until Stop (or ctx ends).
func (l *Listener) Start(ctx context.Context) {
	l.mu.Lock()
	if l.started {
		l.mu.Unlock()
		return
	}
	l.started = true
	ctx, l.cancel = context.WithCancel(ctx)
	l.done = make(chan struct{})
	l.mu.Unlock()
	go func() {
		defer close(l.done)
		l.run(ctx)
	}()
}

// Stop ends the Listener and waits for its connection to close.
func (l *Listener) Stop() {
	l.mu.Lock()
	cancel, done := l.cancel, l.done
	l.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// run connects, listens and dispatches until ctx ends, reconnecting with backoff.
func (l *Listener) run(ctx context.Context) {
	wait := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := l.session(ctx)
		l.live.Store(false)
		l.pid.Store(0)
		if ctx.Err() != nil {
			return
		}
		// A session that lasted a while was healthy: start the backoff again from the bottom.
		if time.Since(began) > maxBackoff {
			wait = minBackoff
		}
		l.log.Warn("change notifications interrupted; caches bypassed until reconnected", "error", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, maxBackoff)
	}
}

// session is one connection's life: LISTEN, resync, then dispatch until an error.
func (l *Listener) session(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := pgx.Connect(cctx, l.connString)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	l.mu.Lock()
	channels := make([]string, 0, len(l.handlers))
	for ch := range l.handlers {
		channels = append(channels, ch)
	}
	resync := l.resync
	l.mu.Unlock()
	for _, ch := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return fmt.Errorf("listen %s: %w", ch, err)
		}
	}
	// Listening from here on: anything that changed before this point is covered by the resync,
	// anything after by a notification.
	for _, fn := range resync {
		fn()
	}
	l.pid.Store(conn.PgConn().PID())
	l.live.Store(true)
	l.mu.Lock()
	close(l.listening)
	l.listening = make(chan struct{})
	l.mu.Unlock()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) && ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		l.mu.Lock()
		hs := l.handlers[n.Channel]
		l.mu.Unlock()
		for _, fn := range hs {
			fn(n.Payload)
		}
	}
}

// Execer runs a statement: a pgx.Tx, *pgx.Conn or *pgxpool.Pool.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// PublishSQL is the statement Publish runs, for writers on another driver (GORM's Exec with the
// channel and payload as arguments).
const PublishSQL = "SELECT pg_notify($1, $2)"

// Publish notifies channel with payload from inside the caller's transaction: listeners hear of
// it when (and only if) the transaction commits. Called outside a transaction it notifies at once.
func Publish(ctx context.Context, tx Execer, channel, payload string) error {
	_, err := tx.Exec(ctx, PublishSQL, channel, payload)
	return err
}
