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
		DB: a.DB, Queue: a.Queue, Now: a.Clock, PublicURL: a.Config.PublicURL,
		JWTSecret: a.Config.JWTSecret, Log: a.Log, Params: a.argon,
	})
	if err != nil {
		return err
	}
	a.Identity = ids

	api := a.Echo.Group("/api/v1", web.Authenticate(ids.Keys()))
	// The teams directory reads only the teams tables, so billing (and /me) can ask it who is on
	// which team before the teams service, which needs billing's seats, exists.
	teamDir := teams.NewDirectory(a.DB)
	if err := a.buildBilling(ctx, api, ids, teamDir); err != nil {
		return err
	}
	identity.NewHandler(ids, a.Config.SecureCookies(), meExtras{a.Billing, teamDir}).Routes(api)

	if err := a.buildProgress(ctx, api); err != nil {
		return err
	}
	a.Catalog = catalog.NewService(catalog.Deps{DB: a.DB, Now: a.Clock, Roles: ids, Entitlements: a.Billing, Progress: a.Progress})
	catalog.NewHandler(a.Catalog).Routes(api)
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
