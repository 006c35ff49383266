// Package pgtest gives each Go test package its own fresh, migrated PostgreSQL database on the
// server named by DATABASE_URL. The schema is built once into a template database (named by a hash
// of the migrations) and each package's database is a cheap copy of it, dropped when the package
// finishes. A missing server fails the tests loudly; nothing is skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/migrations"
)

var (
	mu      sync.Mutex
	shared  *db.DB
	dbName  string
	baseURL *url.URL
)

// Main runs the package's tests and then drops its database. Use it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if shared != nil {
		shared.Close()
		if err := dropDatabase(context.Background(), dbName); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: drop:", err)
		}
	}
	mu.Unlock()
	os.Exit(code)
}

// New returns the package's database, creating it on first use.
func New(tb testing.TB) *db.DB {
	tb.Helper()
	d, err := get()
	if err != nil {
		tb.Fatalf("pgtest: %v (is PostgreSQL running at DATABASE_URL?)", err)
	}
	return d
}

// URL returns the connection URL of the package's database (after New).
func URL(tb testing.TB) string {
	tb.Helper()
	New(tb)
	return withDB(dbName)
}

func get() (*db.DB, error) {
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		return shared, nil
	}
	raw := os.Getenv("DATABASE_URL")
	if raw == "" {
		raw = config.DefaultDatabaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	baseURL = u
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "rapport_test_" + randomHex(6)
	if err := createFromTemplate(ctx, name); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, withDB(name), db.Options{MaxConns: 10})
	if err != nil {
		return nil, err
	}
	shared, dbName = d, name
	return d, nil
}

// createFromTemplate builds the template for the current migrations if needed and copies it,
// all under an advisory lock so parallel test packages never race on the template.
func createFromTemplate(ctx context.Context, name string) error {
	admin, err := pgx.Connect(ctx, withDB("postgres"))
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(727274)"); err != nil {
		return err
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock(727274)") //nolint:errcheck
	tmpl := "rapport_tmpl_" + migrationsHash()
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS(SELECT 1 FROM pg_database WHERE datname=$1)", tmpl).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if err := buildTemplate(ctx, admin, tmpl); err != nil {
			return err
		}
	}
	_, err = admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{tmpl}.Sanitize()))
	return err
}

func buildTemplate(ctx context.Context, admin *pgx.Conn, tmpl string) error {
	// Old templates belong to older migrations; drop them so they do not pile up.
	rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'rapport_tmpl_%'")
	if err != nil {
		return err
	}
	old, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, o := range old {
		_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{o}.Sanitize())
	}
	building := tmpl + "_wip"
	_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{building}.Sanitize())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{building}.Sanitize()); err != nil {
		return err
	}
	d, err := db.Open(ctx, withDB(building), db.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	err = d.Migrate(ctx, migrations.FS)
	d.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	_, err = admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", pgx.Identifier{building}.Sanitize(), pgx.Identifier{tmpl}.Sanitize()))
	return err
}

func dropDatabase(ctx context.Context, name string) error {
	admin, err := pgx.Connect(ctx, withDB("postgres"))
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

func withDB(name string) string {
	u := *baseURL
	u.Path = "/" + name
	return u.String()
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
