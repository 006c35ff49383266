package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/obs"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestDatabaseOutageIsLoggedOnce: while PostgreSQL is unreachable every request that needs it
// answers 503, but the error log gets one line for the outage (not one per request); the first
// statement that succeeds afterwards logs the end of the outage once; a second outage is logged
// again.
func TestDatabaseOutageIsLoggedOnce(t *testing.T) {
	p, dsn := pgtest.NewProxy(t)

	var logs bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewJSONHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := db.Open(context.Background(), dsn, db.Options{MaxConns: 4, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	e := web.New(web.Options{Logger: log, Metrics: obs.NewMetrics(), BodyLimit: "1M", DBHealth: d.Health})
	e.GET("/need-db", func(c echo.Context) error {
		var n int
		if err := d.Gorm.WithContext(c.Request().Context()).Raw("SELECT 1").Scan(&n).Error; err != nil {
			return db.Err(err)
		}
		return c.JSON(http.StatusOK, map[string]int{"n": n})
	})
	get := func() int {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/need-db", nil))
		return rec.Code
	}
	count := func(level, msg string) int {
		logMu.Lock()
		defer logMu.Unlock()
		n := 0
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var l struct{ Level, Msg string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Level == level && (msg == "" || l.Msg == msg) {
				n++
			}
		}
		return n
	}
	const down, back = "the database is not answering; requests that need it answer 503 until it is back", "the database answers again"

	if got := get(); got != http.StatusOK {
		t.Fatalf("before the outage: %d, want 200", got)
	}
	for outage := 1; outage <= 2; outage++ {
		p.Cut()
		for i := 0; i < 5; i++ {
			if got := get(); got != http.StatusServiceUnavailable {
				t.Fatalf("outage %d, request %d: %d, want 503", outage, i, got)
			}
		}
		if n := count("ERROR", ""); n != outage {
			t.Fatalf("after outage %d with 5 failed requests: %d error lines, want %d:\n%s", outage, n, outage, logs.String())
		}
		if n := count("ERROR", down); n != outage {
			t.Errorf("%d %q lines, want %d", n, down, outage)
		}
		if n := count("WARN", "request"); n != 5*outage {
			t.Errorf("%d request lines at warn level, want %d (each 503 is still in the access log)", n, 5*outage)
		}
		p.Restore(t)
		for i := 0; i < 3; i++ {
			if got := get(); got != http.StatusOK {
				t.Fatalf("after outage %d: %d, want 200", outage, got)
			}
		}
		if n := count("WARN", back); n != outage {
			t.Errorf("after outage %d: %d %q lines, want %d:\n%s", outage, n, back, outage, logs.String())
		}
	}
}

// lockedWriter serialises writes to the log buffer.
type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
