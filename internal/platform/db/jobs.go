package db

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// InsertJob enqueues args through ins in the transaction g runs in (a store bound by its Tx), or
// on its own when g is not in a transaction. Stores call it, so services can promise "the write
// and its job commit together" without knowing how.
func InsertJob(ctx context.Context, g *gorm.DB, ins *jobs.Inserter, args river.JobArgs) error {
	if tx, ok := g.Statement.ConnPool.(*sql.Tx); ok {
		return Err(ins.InsertTx(ctx, tx, args, nil))
	}
	return Err(ins.Insert(ctx, args, nil))
}
