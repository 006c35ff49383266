package app

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/web"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/teams"
)

// buildDomains creates the domain services, registers their job workers and mounts their routes
// under /api/v1.
func (a *App) buildDomains(ctx context.Context) error {
	sender, err := mail.NewSender(a.Config.SMTPURL, a.Config.MailFrom, a.Log)
	if err != nil {
		return err
	}
	river.AddWorker(a.Queue.Workers, &mail.Worker{Sender: sender})

	ids, err := identity.NewService(ctx, identity.Deps{
		DB: a.DB, Jobs: a.Jobs, Now: a.Clock, PublicURL: a.Config.PublicURL,
		JWTSecret: a.Config.JWTSecret, Log: a.Log, Params: a.argon,
	})
	if err != nil {
		return err
	}
	a.Identity = ids

	api := a.Echo.Group("/api/v1", web.Authenticate(ids.Keys()))
	if err := a.buildBilling(ctx, api, ids); err != nil {
		return err
	}
	identity.NewHandler(ids, a.Config.SecureCookies(), meExtras{a.Billing, a}).Routes(api)

	a.Catalog = catalog.NewService(catalog.Deps{DB: a.DB, Now: a.Clock, Roles: ids, Entitlements: a.Billing})
	catalog.NewHandler(a.Catalog).Routes(api)
	if err := a.buildProgress(ctx, api); err != nil {
		return err
	}
	if err := a.buildAssess(ctx, api, ids); err != nil {
		return err
	}
	if err := a.buildTeams(ctx, api, ids); err != nil {
		return err
	}
	return nil
}

// periodicJobs lists the scheduled jobs of every domain.
func (a *App) periodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{progress.ReminderJob(), teams.ReminderJob()}
}
