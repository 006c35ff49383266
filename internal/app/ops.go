package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// opsRoutes are the operational endpoints: liveness, readiness, metrics and the OpenAPI document.
func (a *App) opsRoutes() {
	a.openapiRoute()
	a.Echo.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": Version})
	})
	a.Echo.GET("/readyz", func(c echo.Context) error {
		if err := a.DB.Ping(c.Request().Context()); err != nil {
			return apperr.Wrap(apperr.Unavailable, "The database is not answering, so Rapport cannot serve requests right now.", err)
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})
	a.Echo.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(a.Metrics.Registry, promhttp.HandlerOpts{})))
}
