package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/obs"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestOperationalEndpointsAndErrors(t *testing.T) {
	a := apptest.New(t, nil)
	tests := []struct {
		name, method, path string
		body               any
		header             map[string]string
		want               int
		wantType           string
		wantIn             string
	}{
		{"health", "GET", "/healthz", nil, nil, 200, "application/json", `"status":"ok"`},
		{"ready", "GET", "/readyz", nil, nil, 200, "application/json", `"ready"`},
		{"unknown api route", "GET", "/api/v1/nope", nil, nil, 404, "application/problem+json", `"status":404`},
		{"unknown api route, other method", "DELETE", "/api/v2/x", nil, nil, 404, "application/problem+json", `"title":"Not Found"`},
		{"wrong method", "POST", "/healthz", nil, nil, 405, "application/problem+json", `"status":405`},
		{"metrics", "GET", "/metrics", nil, nil, 200, "text/plain", "rapport_http_requests_total"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: tt.method, Path: tt.path, Body: tt.body, Header: tt.header}).Want(tt.want)
			if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
			}
			if !strings.Contains(r.Body.String(), tt.wantIn) {
				t.Errorf("body %q does not contain %q", r.Body.String(), tt.wantIn)
			}
			if r.Header().Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id header")
			}
		})
	}
	t.Run("security headers", func(t *testing.T) {
		r := a.Do(apptest.Request{Method: "GET", Path: "/healthz"})
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
			if r.Header().Get(h) == "" {
				t.Errorf("missing %s", h)
			}
		}
	})
	t.Run("metrics count requests by route", func(t *testing.T) {
		a.Do(apptest.Request{Method: "GET", Path: "/healthz"})
		body := a.Do(apptest.Request{Method: "GET", Path: "/metrics"}).Body.String()
		if !strings.Contains(body, `rapport_http_requests_total{code="200",method="GET",route="/healthz"}`) {
			t.Errorf("metrics lack the /healthz counter:\n%s", firstLines(body, "rapport_http"))
		}
		if !strings.Contains(body, `rapport_http_request_duration_seconds_bucket{method="GET",route="/healthz"`) {
			t.Error("metrics lack the latency histogram")
		}
	})
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	proxy, url := pgtest.NewProxy(t)
	a := apptest.New(t, map[string]string{"DATABASE_URL": url})
	a.Do(apptest.Request{Method: "GET", Path: "/readyz"}).Want(200)

	proxy.Cut()
	a.Do(apptest.Request{Method: "GET", Path: "/readyz"}).Want(503)
	if got := a.Do(apptest.Request{Method: "GET", Path: "/healthz"}).Code; got != 200 {
		t.Errorf("healthz while the database is down = %d, want 200", got)
	}

	proxy.Restore(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		code := a.Do(apptest.Request{Method: "GET", Path: "/readyz"}).Code
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d 10 s after the database came back", code)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestServeDrainsInFlightRequestsOnShutdown(t *testing.T) {
	cfg, err := config.Load(apptest.Env(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ShutdownTimeout = 10 * time.Second
	a, err := app.New(context.Background(), cfg, obs.NewLogger(io.Discard, "error"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	started := make(chan struct{})
	a.Echo.GET("/test/slow", func(c echo.Context) error {
		close(started)
		time.Sleep(700 * time.Millisecond)
		return c.String(http.StatusOK, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/test/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel() // what SIGTERM does in main
	if body := <-got; body != "finished" {
		t.Fatalf("in-flight request got %q, want it to finish", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve returned %v, want nil after a clean drain", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func firstLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) && len(out) < 20 {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
