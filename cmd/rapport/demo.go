package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/identity"
)

// DemoPassword is the password of every demo account (local use only; README says so).
const DemoPassword = "rapport-demo-2026"

var demoUsers = []struct{ email, name, role string }{
	{"learner@demo.rapport.local", "Lena Learner", identity.RoleLearner},
	{"manager@demo.rapport.local", "Marco Manager", identity.RoleLearner},
	{"instructor@demo.rapport.local", "Ines Instructor", identity.RoleInstructor},
	{"admin@demo.rapport.local", "Ada Admin", identity.RoleAdmin},
}

// cmdDemo loads what a local run needs: the shipped curriculum and the demo accounts. It is
// idempotent, so `make run` calls it every time. With --learners N (N > 0) it also seeds N load
// learners with teams, progress and assessment attempts (demo_load.go), for `make bench`.
func cmdDemo(ctx context.Context, e *env) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	learners := fs.Int("learners", 0, "also seed this many load learners (learner-00001@load.rapport.test …, password "+
		LoadPassword+") with teams of 50, progress and attempts; idempotent")
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	if *learners < 0 || fs.NArg() > 0 {
		return fmt.Errorf("demo: usage: rapport demo [--learners N]")
	}
	a, err := app.New(ctx, e.cfg, e.log, startWait)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := importEmbeddedContent(ctx, a, e); err != nil {
		return err
	}
	for _, u := range demoUsers {
		_, err := a.Identity.CreateUser(ctx, u.email, DemoPassword, u.name, u.role)
		switch {
		case err == nil:
			fmt.Fprintf(e.stdout, "demo: created %s (%s)\n", u.email, u.role)
		case apperr.Is(err, apperr.Conflict):
		default:
			return describe(err)
		}
	}
	if err := grantDemoAccess(ctx, a, e); err != nil {
		return err
	}
	if *learners > 0 {
		return seedLoad(ctx, a, e, *learners)
	}
	return nil
}

// grantDemoAccess gives every demo account a complimentary grant for a year (unless it has an
// active one), so every premium module can be read locally without Stripe.
func grantDemoAccess(ctx context.Context, a *app.App, e *env) error {
	for _, d := range demoUsers {
		users, err := a.Identity.ListUsers(ctx, d.email)
		if err != nil {
			return describe(err)
		}
		for _, u := range users {
			if u.Email != d.email {
				continue
			}
			created, err := a.Billing.EnsureUserGrant(ctx, u.ID, a.Clock().AddDate(1, 0, 0))
			if err != nil {
				return describe(err)
			}
			if created {
				fmt.Fprintf(e.stdout, "demo: %s has complimentary premium access for a year\n", d.email)
			}
		}
	}
	return nil
}
