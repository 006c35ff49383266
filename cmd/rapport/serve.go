package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/migrations"
)

// startWait is how long serve waits for PostgreSQL before giving up with a clear error.
const startWait = 30 * time.Second

func cmdServe(ctx context.Context, e *env) error {
	a, err := app.New(ctx, e.cfg, e.log, startWait)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on HTTP_ADDR %s: %w", e.cfg.HTTPAddr, err)
	}
	mail := "SMTP at " + redactURL(e.cfg.SMTPURL)
	if e.cfg.SMTPURL == "" {
		mail = "no SMTP_URL: e-mails are written to the log"
	}
	billing := "enabled"
	if !e.cfg.BillingEnabled() {
		billing = "not configured (no STRIPE_SECRET_KEY)"
	}
	e.log.Info("rapport is listening", "addr", ln.Addr().String(), "url", e.cfg.PublicURL,
		"version", app.Version, "mail", mail, "billing", billing)
	return a.Serve(ctx, ln)
}

func cmdMigrate(ctx context.Context, e *env) error {
	d, err := db.Open(ctx, e.cfg.DatabaseURL, db.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer d.Close()
	wctx, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	if err := d.WaitReady(wctx); err != nil {
		return err
	}
	dir := "up"
	if len(e.args) > 0 {
		dir = e.args[0]
	}
	switch dir {
	case "up":
		return d.Migrate(ctx, migrations.FS)
	case "down":
		return d.MigrateDown(ctx, migrations.FS)
	case "status":
		st, err := d.MigrationStatus(ctx, migrations.FS)
		if err != nil {
			return err
		}
		for _, s := range st {
			applied := "pending"
			if s.State == "applied" {
				applied = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(e.stdout, "%-50s %s\n", s.Source.Path, applied)
		}
		return nil
	default:
		return fmt.Errorf("migrate: unknown direction %q (want up, down or status)", dir)
	}
}
