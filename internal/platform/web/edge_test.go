package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/obs"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// edgeServer is web.New with routes that exercise the shared chain.
func edgeServer(t *testing.T, logs io.Writer) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e := web.New(web.Options{Logger: log, Metrics: obs.NewMetrics(), BodyLimit: "1M", Timeout: 200 * time.Millisecond})
	big := map[string]string{"text": strings.Repeat("a paragraph of lesson text ", 200)}
	prepared, err := web.NewBody(big)
	if err != nil {
		t.Fatal(err)
	}
	e.GET("/api/v1/big", func(c echo.Context) error { return c.JSON(http.StatusOK, big) })
	e.GET("/api/v1/small", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]int{"n": 1}) })
	e.GET("/api/v1/prepared", func(c echo.Context) error { return web.ServeBody(c, http.StatusOK, prepared) })
	e.GET("/api/v1/invalid", func(c echo.Context) error {
		return apperr.InvalidFields(apperr.FieldError{Field: "name", Message: "Please enter a name."})
	})
	e.GET("/api/v1/panic", func(c echo.Context) error { panic("boom") })
	e.GET("/api/v1/slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	e.GET("/page", func(c echo.Context) error { return c.HTML(http.StatusOK, "<p>hi</p>") })
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// get sends a GET with the given headers through a transport that never decompresses, so the
// test sees the bytes on the wire.
func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEdgeHeaders: every response has an id and the security headers; API responses carry the
// strict API policy and documents the SPA's; a caller's sane request id is kept, a forged one
// replaced; ids are unique.
func TestEdgeHeaders(t *testing.T) {
	srv := edgeServer(t, io.Discard)
	api, _ := get(t, srv.URL+"/api/v1/small", nil)
	page, _ := get(t, srv.URL+"/page", nil)
	if got := api.Header.Get("Content-Security-Policy"); got != web.APIContentSecurityPolicy {
		t.Errorf("API CSP = %q", got)
	}
	if got := page.Header.Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
		t.Errorf("page CSP = %q", got)
	}
	if page.Header.Get("Permissions-Policy") != web.PermissionsPolicy || api.Header.Get("Permissions-Policy") != "" {
		t.Errorf("Permissions-Policy: page %q, API %q", page.Header.Get("Permissions-Policy"), api.Header.Get("Permissions-Policy"))
	}
	for _, r := range []*http.Response{api, page} {
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
			if r.Header.Get(h) == "" {
				t.Errorf("%s missing on %s", h, r.Request.URL.Path)
			}
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS over plain HTTP")
		}
	}
	tls, _ := get(t, srv.URL+"/api/v1/small", map[string]string{"X-Forwarded-Proto": "https"})
	if tls.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind a TLS proxy")
	}
	a, b := api.Header.Get("X-Request-Id"), page.Header.Get("X-Request-Id")
	if a == "" || a == b {
		t.Errorf("request ids %q and %q", a, b)
	}
	kept, _ := get(t, srv.URL+"/api/v1/small", map[string]string{"X-Request-Id": "lb-7f3a"})
	if got := kept.Header.Get("X-Request-Id"); got != "lb-7f3a" {
		t.Errorf("caller's id replaced by %q", got)
	}
	forged, _ := get(t, srv.URL+"/api/v1/small", map[string]string{"X-Request-Id": strings.Repeat("x", 300)})
	if got := forged.Header.Get("X-Request-Id"); len(got) > 128 || got == "" {
		t.Errorf("oversized id kept: %d bytes", len(got))
	}
}

// TestEdgeCompression: dynamic JSON over 1 kB is gzipped for clients that ask and has a length
// otherwise; small bodies go out as they are; a prepared body is served in its stored gzip
// (byte-equal), or plain with its length; errors are problem+json either way.
func TestEdgeCompression(t *testing.T) {
	srv := edgeServer(t, io.Discard)
	plain, plainBody := get(t, srv.URL+"/api/v1/big", nil)
	if plain.Header.Get("Content-Encoding") != "" || plain.ContentLength != int64(len(plainBody)) {
		t.Errorf("plain big: encoding %q, length %d for %d bytes", plain.Header.Get("Content-Encoding"), plain.ContentLength, len(plainBody))
	}
	zipped, zippedBody := get(t, srv.URL+"/api/v1/big", map[string]string{"Accept-Encoding": "gzip"})
	if zipped.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, zippedBody), plainBody) {
		t.Errorf("gzipped big: encoding %q", zipped.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary = %q", zipped.Header.Get("Vary"))
	}
	small, _ := get(t, srv.URL+"/api/v1/small", map[string]string{"Accept-Encoding": "gzip"})
	if small.Header.Get("Content-Encoding") != "" {
		t.Error("a 8-byte body was gzipped")
	}

	want, _ := web.NewBody(map[string]string{"text": strings.Repeat("a paragraph of lesson text ", 200)})
	pz, pzBody := get(t, srv.URL+"/api/v1/prepared", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if pz.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(pzBody, want.Gzip) {
		t.Errorf("prepared gzip: encoding %q, %d bytes (stored %d): compressed again?", pz.Header.Get("Content-Encoding"), len(pzBody), len(want.Gzip))
	}
	if v := pz.Header.Values("Vary"); len(v) != 1 {
		t.Errorf("Vary said %d times: %q", len(v), v)
	}
	if !bytes.Equal(gunzip(t, pzBody), plainBody) {
		t.Error("prepared body differs from c.JSON's")
	}
	pp, ppBody := get(t, srv.URL+"/api/v1/prepared", map[string]string{"Accept-Encoding": "gzip;q=0"})
	if pp.Header.Get("Content-Encoding") != "" || !bytes.Equal(ppBody, want.JSON) ||
		pp.Header.Get("Content-Length") != strconv.Itoa(len(want.JSON)) {
		t.Errorf("prepared plain: encoding %q, %d bytes, length %q", pp.Header.Get("Content-Encoding"), len(ppBody), pp.Header.Get("Content-Length"))
	}

	bad, badBody := get(t, srv.URL+"/api/v1/invalid", map[string]string{"Accept-Encoding": "gzip"})
	var p web.Problem
	if bad.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(badBody, &p) != nil || p.Status != 422 {
		t.Errorf("invalid: %d %s", bad.StatusCode, badBody)
	}
}

// TestEdgeFailures: a panic is a logged 500 with a problem body and the server keeps serving; a
// handler that runs out of its deadline answers 503.
func TestEdgeFailures(t *testing.T) {
	var logs bytes.Buffer
	srv := edgeServer(t, &logs)
	res, body := get(t, srv.URL+"/api/v1/panic", map[string]string{"Accept-Encoding": "gzip"})
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), `"status":500`) {
		t.Errorf("panic: %d %s", res.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "panic recovered") || !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	if res, _ := get(t, srv.URL+"/api/v1/small", nil); res.StatusCode != http.StatusOK {
		t.Errorf("after the panic: %d", res.StatusCode)
	}
	slow, _ := get(t, srv.URL+"/api/v1/slow", nil)
	if slow.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("past the deadline: %d, want 503", slow.StatusCode)
	}
	if !strings.Contains(logs.String(), `"route":"/api/v1/small"`) {
		t.Errorf("no request log line: %s", logs.String())
	}
}
