// Package db opens PostgreSQL (one pgx pool shared by GORM and River), applies migrations and
// turns driver errors into application errors so nothing above a store needs to know GORM.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// DB bundles the pgx pool (River, raw SQL) and the GORM handle on top of the same pool.
type DB struct {
	Pool *pgxpool.Pool
	SQL  *sql.DB
	Gorm *gorm.DB
	// Health follows outages, so the HTTP layer logs each one once.
	Health *Health
}

// Options tune the pool.
type Options struct {
	MaxConns int32
	// Logger receives the end of each outage (nil: discarded).
	Logger *slog.Logger
	// Tracer sees every statement on the pool, GORM's included (tests count statements with it).
	Tracer pgx.QueryTracer
}

// Open connects to url. The pool is lazy: Open succeeds while the server is down and connections
// are made (and remade after an outage) on demand, so the process recovers by itself.
// Statements are prepared and cached per connection by pgx (QueryExecModeCacheStatement).
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	cfg.MinConns = 0
	cfg.MaxConnLifetime = 30 * time.Minute
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 15 * time.Second
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	if opt.Tracer != nil {
		cfg.ConnConfig.Tracer = opt.Tracer
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		TranslateError:         false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open gorm: %w", err)
	}
	health := newHealth(opt.Logger)
	if err := health.watch(gdb); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open gorm: %w", err)
	}
	return &DB{Pool: pool, SQL: sqlDB, Gorm: gdb, Health: health}, nil
}

// Close releases every connection.
func (d *DB) Close() {
	_ = d.SQL.Close()
	d.Pool.Close()
}

// Ping checks that the database answers within a second; its error is marked ErrUnavailable.
func (d *DB) Ping(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := d.Pool.Ping(pctx); err != nil {
		return markUnavailable(err)
	}
	d.Health.Answered(ctx)
	return nil
}

// WaitReady pings until the database answers or ctx ends, backing off up to 2 s between tries.
func (d *DB) WaitReady(ctx context.Context) error {
	wait := 100 * time.Millisecond
	for {
		err := d.Ping(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("database not reachable: %w", err)
		case <-time.After(wait):
		}
		if wait < 2*time.Second {
			wait *= 2
		}
	}
}

// Tx runs fn in a transaction on ctx, committing when it returns nil.
func (d *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return Err(d.Gorm.WithContext(ctx).Transaction(fn))
}

// Err maps driver errors to application errors: no rows → NotFound, unique and foreign-key
// violations → Conflict, lost connection → Unavailable, text PostgreSQL cannot hold (a NUL
// character, which JSON can carry as \u0000) → Invalid. Application errors pass through unchanged.
func Err(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, pgx.ErrNoRows) || errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(apperr.NotFound, "We couldn’t find what you were looking for. Check the link and try again.", err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return apperr.Wrap(apperr.Conflict, "This already exists. Refresh the page to see the latest version.", err)
		case "23503":
			// A row this write refers to was deleted a moment ago (a lesson unpublished, or the
			// caller's own account erased while an access token is still valid): a clear 409,
			// never a 500.
			return apperr.Wrap(apperr.Conflict, "Something this refers to has just been removed. Refresh the page and try again.", err)
		case "40001", "40P01":
			return apperr.Wrap(apperr.Conflict, "Someone else changed this at the same moment. Please try again.", err)
		case "57P01", "57P02", "57P03", "53300":
			return apperr.Wrap(apperr.Unavailable, "Rapport is temporarily unavailable. Please try again in a moment.", markUnavailable(err))
		case "22021", "22P05":
			return apperr.Wrap(apperr.Invalid, "The text contains characters we can’t store. Remove any invisible or unusual characters and try again.", err)
		}
		return err
	}
	if IsUnavailable(err) {
		return apperr.Wrap(apperr.Unavailable, "Rapport is temporarily unavailable. Please try again in a moment.", markUnavailable(err))
	}
	return err
}

// IsUnavailable reports whether err means the database could not be reached.
func IsUnavailable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03" || pg.Code == "53300"
	}
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		pgconn.SafeToRetry(err) || errors.Is(err, io.ErrUnexpectedEOF)
}
