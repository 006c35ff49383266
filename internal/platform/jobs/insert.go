package jobs

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
)

// Inserter enqueues jobs, inside the caller's database transaction when it has one, so a write
// that is acknowledged and the job it promises (a verification e-mail, say) commit together or
// not at all. It runs on database/sql, the same pool GORM uses, so a store's transaction can
// carry the insert. It only inserts: the workers run in the Runner, which is built last, once
// every service exists, so an Inserter can be handed to services before any worker is known.
type Inserter struct {
	client *river.Client[*sql.Tx]
}

// NewInserter returns an insert-only River client on sqlDB.
func NewInserter(sqlDB *sql.DB) (*Inserter, error) {
	c, err := river.NewClient(riverdatabasesql.New(sqlDB), &river.Config{})
	if err != nil {
		return nil, err
	}
	return &Inserter{client: c}, nil
}

// Insert enqueues a job on its own (outside any transaction).
func (i *Inserter) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := i.client.Insert(ctx, args, opts)
	return err
}

// InsertTx enqueues a job in tx: it becomes visible to workers when tx commits and vanishes
// if tx rolls back.
func (i *Inserter) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := i.client.InsertTx(ctx, tx, args, opts)
	return err
}
