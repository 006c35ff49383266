package db_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type probeArgs struct{ Tag string }

func (probeArgs) Kind() string { return "db_test_probe" }

// TestInsertJobFollowsTheTransaction proves the promise stores rely on: a job inserted in a
// transaction exists exactly when the transaction commits.
func TestInsertJobFollowsTheTransaction(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	ins, err := jobs.NewInserter(d.SQL)
	if err != nil {
		t.Fatal(err)
	}
	count := func(tag string) int {
		t.Helper()
		var n int
		if err := d.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'db_test_probe' AND args->>'Tag' = $1`, tag).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rollback := errors.New("roll back")
	cases := []struct {
		tag     string
		txErr   error
		inTx    bool
		wantJob int
	}{
		{tag: "committed", inTx: true, wantJob: 1},
		{tag: "rolled-back", inTx: true, txErr: rollback, wantJob: 0},
		{tag: "outside", inTx: false, wantJob: 1},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			if !c.inTx {
				if err := db.InsertJob(ctx, d.Gorm, ins, probeArgs{Tag: c.tag}); err != nil {
					t.Fatal(err)
				}
			} else {
				err := d.Tx(ctx, func(tx *gorm.DB) error {
					if err := db.InsertJob(ctx, tx, ins, probeArgs{Tag: c.tag}); err != nil {
						return err
					}
					if n := count(c.tag); n != 0 {
						t.Errorf("job visible outside the transaction before commit: %d", n)
					}
					return c.txErr
				})
				if !errors.Is(err, c.txErr) {
					t.Fatalf("Tx = %v, want %v", err, c.txErr)
				}
			}
			if n := count(c.tag); n != c.wantJob {
				t.Errorf("jobs after the transaction = %d, want %d", n, c.wantJob)
			}
		})
	}
}
