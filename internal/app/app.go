// Package app wires the process together: config → database → services → router, and runs the
// HTTP server and job workers until a signal asks it to drain and stop.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/media"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/obs"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	platweb "github.com/rapport-hq/rapport/internal/platform/web"
	"github.com/rapport-hq/rapport/internal/practice"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/review"
	"github.com/rapport-hq/rapport/internal/teams"
	"github.com/rapport-hq/rapport/migrations"
)

// Version is set at build time with -ldflags "-X github.com/rapport-hq/rapport/internal/app.Version=...".
var Version = "dev"

// App is one Rapport process.
type App struct {
	Config  *config.Config
	Log     *slog.Logger
	DB      *db.DB
	Echo    *echo.Echo
	Metrics *obs.Metrics
	// Jobs inserts jobs inside a store's transaction (database/sql, the pool GORM uses).
	Jobs *jobs.Inserter
	// Runner works the jobs with every domain's worker.
	Runner *jobs.Runner
	// Clock is the time source for domain rules; tests move it.
	Clock func() time.Time
	// Identity is the accounts service (the CLI uses it too).
	Identity *identity.Service
	// Catalog is the modules and lessons service (tests and the importer use it).
	Catalog *catalog.Service
	// Billing is plans, Stripe and entitlements (tests and `rapport demo` use it).
	Billing *billing.Service
	// Progress is the learner-progress service (tests call it; teams and assessments read it).
	Progress *progress.Service
	// Assess is the assessments service (tests and the content importer load instruments with it;
	// teams read skill summaries from it).
	Assess *assess.Service
	// Teams is the teams service (seats, invites, reports, assignments, recognition).
	Teams *teams.Service
	// Review is answers to knowledge checks and the spaced review queue.
	Review *review.Service
	// Media is instructors' files: uploads, the library, serving (tests and the importer use it).
	Media *media.Service
	// Storage is the bucket files are kept in (disk or S3, from STORAGE_URL).
	Storage *storage.Bucket
	// Practice is role-plays and pitch practice with blind reviews (tests use it).
	Practice *practice.Service
	// PracticeImporter loads practice activities from a content tree (`rapport demo` and tests).
	PracticeImporter *practice.Importer
	// jobPoll is River's fetch interval (tests use a short one).
	jobPoll time.Duration
	argon   identity.Argon2Params
}

// Option adjusts an App before it is built (tests use these).
type Option func(*App)

// WithClock replaces the wall clock.
func WithClock(now func() time.Time) Option { return func(a *App) { a.Clock = now } }

// WithJobPoll sets River's fetch poll interval.
func WithJobPoll(d time.Duration) Option { return func(a *App) { a.jobPoll = d } }

// WithArgon2 sets the password-hashing cost (tests lower it to keep the race detector fast).
func WithArgon2(p identity.Argon2Params) Option { return func(a *App) { a.argon = p } }

// New opens the database (waiting up to startWait for it), migrates it and builds the process.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, startWait time.Duration, opts ...Option) (*App, error) {
	a := &App{Config: cfg, Log: log, Metrics: obs.NewMetrics(), Clock: time.Now, jobPoll: time.Second}
	for _, o := range opts {
		o(a)
	}
	var tc *testClock
	if cfg.TestClock {
		tc = &testClock{}
		a.Clock = tc.Now
	}
	d, err := openDatabase(ctx, cfg, log, startWait)
	if err != nil {
		return nil, err
	}
	a.DB = d
	if err := a.build(ctx, tc); err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// openDatabase connects, waits up to startWait for PostgreSQL and applies the migrations.
func openDatabase(ctx context.Context, cfg *config.Config, log *slog.Logger, startWait time.Duration) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL, db.Options{MaxConns: cfg.DBMaxConns, Logger: log})
	if err != nil {
		return nil, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	if err := d.WaitReady(waitCtx); err != nil {
		d.Close()
		return nil, fmt.Errorf("%w (waited %s; is PostgreSQL running at DATABASE_URL?)", err, startWait)
	}
	if err := d.Migrate(ctx, migrations.FS); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// StartJobs starts the River workers.
func (a *App) StartJobs(ctx context.Context) error {
	return a.Runner.Start(ctx)
}

// StopJobs waits for running jobs to finish (up to ctx's deadline).
func (a *App) StopJobs(ctx context.Context) error {
	return a.Runner.Stop(ctx)
}

// Serve runs the HTTP server on ln until ctx ends, then drains in-flight requests and stops the
// job workers. It returns nil after a clean drain.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if err := a.StartJobs(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	srv := platweb.NewServer(ln.Addr().String(), a.Echo)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: draining in-flight requests", "timeout", a.Config.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if jerr := a.StopJobs(sctx); jerr != nil && !errors.Is(jerr, context.Canceled) {
		a.Log.Warn("job workers did not stop cleanly", "error", jerr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close releases the database.
func (a *App) Close() { a.DB.Close() }
