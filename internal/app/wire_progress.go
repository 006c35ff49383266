package app

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/progress"
)

// buildProgress creates the progress service, registers the weekly reminder worker (its periodic
// job is listed in periodicJobs) and mounts the progress routes. It runs before the catalog is
// built, which shows learners their progress through it.
func (a *App) buildProgress(_ context.Context, api *echo.Group) error {
	a.Progress = progress.NewService(progress.Deps{
		DB: a.DB, Queue: a.Queue, Now: a.Clock, PublicURL: a.Config.PublicURL, Log: a.Log,
	})
	river.AddWorker(a.Queue.Workers, progress.NewReminderWorker(a.Progress))
	progress.NewHandler(a.Progress).Routes(api)
	return nil
}
