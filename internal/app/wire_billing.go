package app

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/teams"
)

// buildBilling creates the billing service, registers its webhook worker (before the queue is
// initialised) and mounts its routes. The teams directory tells it who holds a team seat and who
// manages a team.
func (a *App) buildBilling(_ context.Context, api *echo.Group, ids *identity.Service, teamDir *teams.Directory) error {
	plans, err := billing.LoadPlans(a.Config.PlansFile)
	if err != nil {
		return err
	}
	// Stripe's own retries are safe (creates carry idempotency keys) but only slow down tests
	// against stripe-mock, which is what a custom API base means.
	retries := int64(2)
	if a.Config.StripeAPIBase != "" {
		retries = 0
	}
	svc, err := billing.NewService(billing.Deps{
		DB: a.DB, Queue: a.Queue, Now: a.Clock, Log: a.Log, Plans: plans, PublicURL: a.Config.PublicURL,
		StripeSecretKey: a.Config.StripeSecretKey, StripeWebhookSecret: a.Config.StripeWebhookSecret,
		StripeAPIBase: a.Config.StripeAPIBase, StripeRetries: retries,
		GracePeriod: time.Duration(a.Config.GracePeriodDays) * 24 * time.Hour,
		Users:       ids, Roles: ids, Teams: teamDir,
	})
	if err != nil {
		return err
	}
	river.AddWorker(a.Queue.Workers, billing.NewWorker(svc))
	billing.NewHandler(svc).Routes(api)
	a.Billing = svc
	return nil
}
