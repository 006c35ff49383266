package db

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrate applies River's own migrations and then ours (goose, from the embedded files), up to the
// latest. Both are safe to run from several processes at once: goose takes a session lock.
func (d *DB) Migrate(ctx context.Context, migrations fs.FS) error {
	if err := d.migrateRiver(ctx, rivermigrate.DirectionUp); err != nil {
		return err
	}
	p, err := d.goose(migrations)
	if err != nil {
		return err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	for _, r := range res {
		slog.InfoContext(ctx, "migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration.String())
	}
	return nil
}

// MigrateDown rolls back our most recent migration (River's schema is left alone).
func (d *DB) MigrateDown(ctx context.Context, migrations fs.FS) error {
	p, err := d.goose(migrations)
	if err != nil {
		return err
	}
	r, err := p.Down(ctx)
	if err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	slog.InfoContext(ctx, "migration rolled back", "version", r.Source.Version, "file", r.Source.Path)
	return nil
}

// MigrationStatus lists each migration and whether it is applied.
func (d *DB) MigrationStatus(ctx context.Context, migrations fs.FS) ([]*goose.MigrationStatus, error) {
	p, err := d.goose(migrations)
	if err != nil {
		return nil, err
	}
	return p.Status(ctx)
}

func (d *DB) goose(migrations fs.FS) (*goose.Provider, error) {
	p, err := goose.NewProvider(goose.DialectPostgres, d.SQL, migrations,
		goose.WithSessionLocker(mustLocker()))
	if err != nil {
		return nil, fmt.Errorf("goose: %w", err)
	}
	return p, nil
}

func (d *DB) migrateRiver(ctx context.Context, dir rivermigrate.Direction) error {
	m, err := rivermigrate.New(riverpgxv5.New(d.Pool), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, dir, nil); err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	return nil
}
