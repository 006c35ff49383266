package app

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/progress"
)

// buildProgress creates the progress service, lets the catalog show learners their progress,
// registers the weekly reminder worker (its periodic job is listed in periodicJobs) and mounts
// the progress routes. It runs after the catalog is built.
func (a *App) buildProgress(_ context.Context, api *echo.Group) error {
	a.Progress = progress.NewService(progress.Deps{
		DB: a.DB, Jobs: a.Jobs, Now: a.Clock, PublicURL: a.Config.PublicURL, Log: a.Log,
	})
	a.Catalog.Progress = a.Progress
	river.AddWorker(a.Queue.Workers, progress.NewReminderWorker(a.Progress))
	progress.NewHandler(a.Progress).Routes(api)
	return nil
}
