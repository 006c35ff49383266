// Package web is the HTTP plumbing shared by every domain: the Echo factory and middleware, the
// problem+json error handler, request binding with validation, and authentication middleware.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/obs"
)

// Options configure the Echo instance.
type Options struct {
	Logger    *slog.Logger
	Metrics   *obs.Metrics
	BodyLimit string
	// Timeout bounds each request's handler time (not long-polls; we have none).
	Timeout time.Duration
	// DBHealth, when set, logs a database outage once instead of every 503 it causes.
	DBHealth *db.Health
	// Streams tells the requests whose bodies or responses are files (uploads, media): their
	// handlers enforce their own size limits, they may take longer than Timeout and they are never
	// gzipped (ranges address raw bytes).
	Streams func(*http.Request) bool
}

// ContentSecurityPolicy allows only our own scripts and styles (Vite emits no inline scripts),
// images from us and data: URLs, and fetches to our own origin. Stripe Checkout is a redirect,
// so it needs no frame or script allowance. Media may also play from blob: URLs: a practice
// recording is played back from the browser's memory before it is uploaded.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// PermissionsPolicy lets only Rapport's own origin use the camera and microphone (practice
// recordings) and nobody the location.
const PermissionsPolicy = "camera=(self), microphone=(self), geolocation=()"

// New builds the Echo instance with the middleware chain every route shares.
func New(opt Options) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = ErrorHandler(opt.Logger, opt.DBHealth)
	e.Binder = &Binder{}
	e.Validator = NewValidator()
	e.IPExtractor = echo.ExtractIPFromXFFHeader(echo.TrustLoopback(true), echo.TrustPrivateNet(true))

	e.JSONSerializer = bufferedJSON{}

	isStream := func(c echo.Context) bool { return opt.Streams != nil && opt.Streams(c.Request()) }
	e.Use(edge(edgeConfig{log: opt.Logger, metrics: opt.Metrics, timeout: opt.Timeout, stream: isStream}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: opt.BodyLimit, Skipper: isStream}))
	e.Use(compress(func(c echo.Context) bool { return c.Path() == "/metrics" || isStream(c) }))
	return e
}

// NewServer wraps e in an http.Server with timeouts that stop slow clients holding connections.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
}
