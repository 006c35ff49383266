package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/obs"
)

// APIContentSecurityPolicy is the policy of API responses (paths under /api/): JSON is never a
// document, so nothing may load from it and nobody may frame it (OWASP's advice for REST APIs).
// Documents (the SPA, public pages) get ContentSecurityPolicy; handlers that serve files or pages
// of their own set their own.
const APIContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

// The security headers every response carries, as ready header values: the edge assigns them to
// the header map directly, with no canonicalisation or allocation per request. Nothing appends to
// or edits these slices in place (Header.Set and Add replace or grow a copy).
var (
	documentHeaders = http.Header{
		"Content-Security-Policy":    {ContentSecurityPolicy},
		"Permissions-Policy":         {PermissionsPolicy},
		"Cross-Origin-Opener-Policy": {"same-origin"},
		"X-Content-Type-Options":     {"nosniff"},
		"X-Frame-Options":            {"DENY"},
		"Referrer-Policy":            {"strict-origin-when-cross-origin"},
	}
	// apiHeaders leave out what only a document uses (Permissions-Policy, the opener policy).
	apiHeaders = http.Header{
		"Content-Security-Policy": {APIContentSecurityPolicy},
		"X-Content-Type-Options":  {"nosniff"},
		"X-Frame-Options":         {"DENY"},
		"Referrer-Policy":         {"strict-origin-when-cross-origin"},
	}
	hstsValue = []string{"max-age=31536000"}
)

// edgeConfig is what the edge middleware needs.
type edgeConfig struct {
	log     *slog.Logger
	metrics *obs.Metrics
	timeout time.Duration
	// stream tells requests exempt from the timeout (uploads and media).
	stream func(echo.Context) bool
}

// edge is the one middleware every request passes first. It does in one frame what used to be
// six (request id, metrics, request log, panic recovery, security headers, handler deadline),
// because on a response served from memory the chain was half the request's CPU:
//   - the request id: the client's X-Request-Id if it sent a sane one, else a process-unique id
//     (a random per-process prefix and a counter: unique across processes, no entropy per request);
//   - the security headers, assigned ready-made; HSTS only when the request came over TLS;
//   - a deadline on the request's context (not for streams), so database work stops with it;
//   - a handler's error rendered by the error handler, a panic turned into a logged 500;
//   - the Prometheus counter and histogram by route, and one log line, built only when the
//     logger's level lets it through (the query string is left out: tokens may travel there).
func edge(cfg edgeConfig) echo.MiddlewareFunc {
	ids := newRequestIDs()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			start := time.Now()
			req, res := c.Request(), c.Response()
			h := res.Header()
			id := req.Header.Get(echo.HeaderXRequestID)
			if !saneRequestID(id) {
				id = ids.next()
			}
			h[echo.HeaderXRequestID] = []string{id}
			set := documentHeaders
			if strings.HasPrefix(req.URL.Path, "/api/") {
				set = apiHeaders
			}
			for k, v := range set {
				h[k] = v
			}
			if c.IsTLS() || req.Header.Get(echo.HeaderXForwardedProto) == "https" {
				h["Strict-Transport-Security"] = hstsValue
			}
			if cfg.timeout > 0 && !cfg.stream(c) {
				ctx, cancel := context.WithTimeout(req.Context(), cfg.timeout)
				defer cancel()
				c.SetRequest(req.WithContext(ctx))
			}
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					cfg.log.ErrorContext(c.Request().Context(), "panic recovered", "request_id", id,
						"error", fmt.Sprint(r), "stack", string(debug.Stack()))
					c.Error(fmt.Errorf("panic: %v", r))
				}
				cfg.observe(c, id, start)
			}()
			if err := next(c); err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					// The handler ran out of its time: the service is slow, not the request wrong.
					err = echo.ErrServiceUnavailable.WithInternal(err)
				}
				c.Error(err)
			}
			return nil
		}
	}
}

// observe records the request's metrics and log line.
func (cfg edgeConfig) observe(c echo.Context, id string, start time.Time) {
	req, res := c.Request(), c.Response()
	elapsed := time.Since(start)
	route := c.Path()
	if route == "" || route == "/*" || strings.HasSuffix(route, "/*") {
		route = routeGroup(req.URL.Path)
	}
	cfg.metrics.Requests.WithLabelValues(req.Method, route, strconv.Itoa(res.Status)).Inc()
	cfg.metrics.RequestDuration.WithLabelValues(req.Method, route).Observe(elapsed.Seconds())
	// A 503 is a known state (an outage, logged once by the error handler), not a new error.
	level := slog.LevelInfo
	switch {
	case res.Status == http.StatusServiceUnavailable:
		level = slog.LevelWarn
	case res.Status >= 500:
		level = slog.LevelError
	}
	if !cfg.log.Enabled(req.Context(), level) {
		return
	}
	cfg.log.LogAttrs(req.Context(), level, "request",
		slog.String("request_id", id),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("route", c.Path()),
		slog.Int("status", res.Status),
		slog.Int64("bytes", res.Size),
		slog.Float64("ms", float64(elapsed.Microseconds())/1000),
		slog.String("ip", c.RealIP()),
	)
}

// requestIDs makes ids unique across processes without reading entropy per request: 16 hex
// characters drawn once per process, then a counter.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails on Linux; a zero prefix would still be unique per process start
	return &requestIDs{prefix: hex.EncodeToString(b) + "-"}
}

func (r *requestIDs) next() string {
	return r.prefix + strconv.FormatUint(r.n.Add(1), 36)
}

// saneRequestID accepts a caller's id for correlation only if it is short and printable, so a
// log line cannot be forged or bloated through it.
func saneRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; b < 0x21 || b > 0x7e {
			return false
		}
	}
	return true
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
