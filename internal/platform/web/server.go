// Package web is the HTTP plumbing shared by every domain: the Echo factory and middleware, the
// problem+json error handler, request binding with validation, and authentication middleware.
package web

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
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

	e.Pre(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: uuid.NewString}))
	e.Use(metricsMiddleware(opt.Metrics))
	e.Use(requestLogger(opt.Logger))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			opt.Logger.ErrorContext(c.Request().Context(), "panic recovered",
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"error", err.Error(), "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            31536000,
		ContentSecurityPolicy: ContentSecurityPolicy,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
	}))
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			// Practice recordings use the camera and microphone on Rapport's own pages; no other
			// origin (an embedded frame, say) may ask for them.
			c.Response().Header().Set("Permissions-Policy", PermissionsPolicy)
			c.Response().Header().Set("Cross-Origin-Opener-Policy", "same-origin")
			return next(c)
		}
	})
	isStream := func(c echo.Context) bool { return opt.Streams != nil && opt.Streams(c.Request()) }
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: opt.BodyLimit, Skipper: isStream}))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		MinLength: 1024,
		Skipper:   func(c echo.Context) bool { return c.Path() == "/metrics" || isStream(c) },
	}))
	if opt.Timeout > 0 {
		e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: opt.Timeout, Skipper: isStream}))
	}
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

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			req, res := c.Request(), c.Response()
			// A 503 is a known state (an outage, logged once by the error handler), not a new error.
			level := slog.LevelInfo
			switch {
			case res.Status == http.StatusServiceUnavailable:
				level = slog.LevelWarn
			case res.Status >= 500:
				level = slog.LevelError
			}
			// The query string is left out on purpose: tokens may travel there.
			log.LogAttrs(req.Context(), level, "request",
				slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.String("route", c.Path()),
				slog.Int("status", res.Status),
				slog.Int64("bytes", res.Size),
				slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
				slog.String("ip", c.RealIP()),
			)
			return nil
		}
	}
}

func metricsMiddleware(m *obs.Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			route := c.Path()
			if route == "" || strings.HasSuffix(route, "/*") || route == "/*" {
				route = routeGroup(c.Request().URL.Path)
			}
			method := c.Request().Method
			m.Requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
			m.RequestDuration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
			return nil
		}
	}
}

// routeGroup keeps label cardinality bounded for unmatched paths and the SPA catch-all.
func routeGroup(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return "/api/unmatched"
	case strings.HasPrefix(path, "/assets/"):
		return "/assets/*"
	default:
		return "/spa"
	}
}
