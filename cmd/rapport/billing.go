package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/billing"
)

// cmdBilling: `billing sync` creates or updates the Stripe Products and Prices of the plans.
func cmdBilling(ctx context.Context, e *env) error {
	if len(e.args) != 1 || e.args[0] != "sync" {
		return errors.New("billing: want a subcommand: sync")
	}
	if !e.cfg.BillingEnabled() {
		return errors.New("billing sync: STRIPE_SECRET_KEY is not set")
	}
	a, err := app.New(ctx, e.cfg, e.log, startWait)
	if err != nil {
		return err
	}
	defer a.Close()
	results, err := a.Billing.SyncPlans(ctx)
	printSync(e, results)
	if err != nil {
		return describe(err)
	}
	return nil
}

func printSync(e *env, results []billing.SyncResult) {
	for _, r := range results {
		switch r.Action {
		case billing.SyncCreated:
			fmt.Fprintf(e.stdout, "%-20s created product %s and price %s (lookup key %s)\n", r.PlanID, r.ProductID, r.PriceID, r.LookupKey)
		case billing.SyncUpdated:
			fmt.Fprintf(e.stdout, "%-20s created price %s on product %s; lookup key %s moved to it\n", r.PlanID, r.PriceID, r.ProductID, r.LookupKey)
		default:
			fmt.Fprintf(e.stdout, "%-20s unchanged (price %s)\n", r.PlanID, r.PriceID)
		}
	}
}
