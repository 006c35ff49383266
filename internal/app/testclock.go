package app

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// testClock is real time plus an offset that end-to-end tests move forward (RAPPORT_TEST_CLOCK=1),
// so a browser test can "come back in 14 days" against a real server.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

type advanceReq struct {
	AdvanceSeconds int64 `json:"advance_seconds" validate:"min=1,max=31536000"`
}

// testClockRoutes mounts POST /api/v1/testing/clock for admins. It exists only when the test clock
// is enabled by configuration; production never registers it.
func (a *App) testClockRoutes(c *testClock) {
	a.Log.Warn("RAPPORT_TEST_CLOCK is on: admins can move this server's clock; never enable it in production")
	g := a.Echo.Group("/api/v1/testing", web.Authenticate(a.Identity.Sessions()), web.RequireRole(a.Identity, role.Admin))
	g.POST("/clock", func(ctx echo.Context) error {
		var req advanceReq
		if err := web.BindValid(ctx, &req); err != nil {
			return err
		}
		c.mu.Lock()
		c.offset += time.Duration(req.AdvanceSeconds) * time.Second
		c.mu.Unlock()
		return ctx.JSON(http.StatusOK, map[string]any{"now": c.Now().UTC()})
	})
}
