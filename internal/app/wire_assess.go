package app

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/identity"
)

// buildAssess creates the assessments service and mounts its routes. Instruments are not imported
// here: `rapport content import` and `rapport demo` call Assess.ImportInstruments (tests too), so
// starting a server never rewrites content. Module completions (from progress, built before
// this) open progress attempts early.
func (a *App) buildAssess(_ context.Context, api *echo.Group, ids *identity.Service) error {
	a.Assess = assess.NewService(assess.Deps{DB: a.DB, Now: a.Clock, Completions: a.Progress})
	assess.NewHandler(a.Assess, ids).Routes(api)
	return nil
}
