package main

import (
	"context"
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
// idempotent, so `make run` calls it every time.
func cmdDemo(ctx context.Context, e *env) error {
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
	return grantDemoAccess(ctx, a, e)
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
