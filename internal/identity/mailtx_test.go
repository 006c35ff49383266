package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// testDeps are a service's dependencies on the package's test database, every one of them real
// (cheap hashing, a fixed JWT key, logs discarded).
func testDeps(t *testing.T) Deps {
	t.Helper()
	d := pgtest.New(t)
	ins, err := jobs.NewInserter(d.SQL)
	if err != nil {
		t.Fatal(err)
	}
	return Deps{DB: d, Jobs: ins, Now: time.Now, PublicURL: "http://rapport.test",
		JWTSecret: []byte("0123456789abcdef0123456789abcdef"), Log: slog.New(slog.DiscardHandler), Params: cheap}
}

// TestRegistrationAndItsMailAreOneTransaction: the verification e-mail is queued in the
// registration's transaction, so a registration that does not commit (the database lost before
// the commit, say) leaves neither an account nor a mail job, and one that commits has exactly one.
func TestRegistrationAndItsMailAreOneTransaction(t *testing.T) {
	ctx := context.Background()
	deps := testDeps(t)
	d := deps.DB
	s, err := NewService(ctx, deps)
	if err != nil {
		t.Fatal(err)
	}
	count := func(query, email string) int {
		t.Helper()
		var n int
		if err := d.SQL.QueryRowContext(ctx, query, email).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	lost := errors.New("the database went away before the commit")
	const pw, name = "correct horse battery", "Tx Test"
	// registerIn runs the registration's work in the transaction st is bound to.
	registerIn := func(st *Store, email string) error {
		u, hash, err := s.newAccount(email, pw, name)
		if err == nil {
			_, err = s.register(ctx, st, u, hash)
		}
		return err
	}
	for _, tc := range []struct {
		name  string
		run   func(email string) error
		wantN int
	}{
		{name: "committed", wantN: 1, run: func(email string) error {
			_, err := s.Register(ctx, email, pw, name)
			return err
		}},
		{name: "rolled back after the mail was queued", run: func(email string) error {
			err := s.store.Tx(ctx, func(st *Store) error {
				if err := registerIn(st, email); err != nil {
					return err
				}
				if n := count(`SELECT count(*) FROM river_job WHERE kind = 'send_email' AND args->>'to' = $1`, email); n != 0 {
					t.Errorf("mail job visible outside the transaction before the commit: %d", n)
				}
				return lost
			})
			if !errors.Is(err, lost) {
				return fmt.Errorf("want the transaction's own error, got %w", err)
			}
			return nil
		}},
		{name: "the mail cannot be queued: no account either", run: func(email string) error {
			// Bounded: an enqueue outside the transaction would wait for the lock the DDL holds.
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			err := s.store.Tx(ctx, func(st *Store) error {
				// Refuses mail jobs until this transaction ends (DDL is transactional).
				if err := st.db.Exec(`ALTER TABLE river_job ADD CONSTRAINT mailtx_refuse CHECK (kind <> 'send_email') NOT VALID`).Error; err != nil {
					return err
				}
				return registerIn(st, email)
			})
			if err == nil {
				return errors.New("the registration succeeded although its mail could not be queued")
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			email := fmt.Sprintf("mailtx-%d@example.com", time.Now().UnixNano())
			if err := tc.run(email); err != nil {
				t.Fatal(err)
			}
			mails := count(`SELECT count(*) FROM river_job WHERE kind = 'send_email' AND args->>'to' = $1 AND args->>'subject' LIKE '%Confirm%'`, email)
			users := count(`SELECT count(*) FROM users WHERE email = $1`, email)
			if mails != tc.wantN || users != tc.wantN {
				t.Errorf("after the registration: %d verification mail jobs and %d accounts, want %d of each", mails, users, tc.wantN)
			}
		})
	}
}
