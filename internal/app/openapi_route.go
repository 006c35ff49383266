package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/app/openapi"
	"github.com/rapport-hq/rapport/internal/apperr"
)

// openapiCacheControl lets clients and proxies keep the document briefly and then revalidate it
// with its ETag (a deploy changes the document, so it is not immutable).
const openapiCacheControl = "public, max-age=300"

// openapiRoute serves the contract at GET /api/v1/openapi.json: public (mounted on Echo itself,
// outside the /api/v1 group, so not even a stale bearer token makes it answer 401), cached, and
// revalidated with an ETag. It describes the routes this server has: the test-clock route only
// when the test clock is on.
func (a *App) openapiRoute() {
	a.Echo.GET("/api/v1/openapi.json", func(c echo.Context) error {
		doc, err := openapi.Render(a.Config.TestClock)
		if err != nil {
			return apperr.Wrap(apperr.Internal, "The API description could not be loaded.", err)
		}
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, openapiCacheControl)
		h.Set("ETag", doc.ETag)
		if etagListed(c.Request().Header.Get("If-None-Match"), doc.ETag) {
			return c.NoContent(http.StatusNotModified)
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc.JSON)
	})
}

// etagListed implements If-None-Match's weak comparison against one strong ETag.
func etagListed(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
