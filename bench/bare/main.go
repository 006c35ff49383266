// Command bare is the baseline of `make bench`: an Echo server with one JSON route and no
// middleware, so the cost of net/http + Echo routing + encoding/json alone is measured on the
// same machine, in the same run, as Rapport's routes.
//
//	go run ./bench/bare -addr 127.0.0.1:18090   # then GET http://127.0.0.1:18090/ or /sized/7500
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address")
	flag.Parse()

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.GET("/", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": "bare"})
	})
	// /sized/N answers a JSON object of N bytes (N ≥ 12), encoded per request as the tiny route
	// is: the reference for Rapport routes whose bodies are that large.
	var mu sync.Mutex
	fillers := map[int]string{}
	e.GET("/sized/:bytes", func(c echo.Context) error {
		n, err := strconv.Atoi(c.Param("bytes"))
		if err != nil || n < 12 || n > 1<<20 {
			return echo.NewHTTPError(http.StatusBadRequest, "bytes: 12 to 1048576")
		}
		mu.Lock()
		f, ok := fillers[n]
		if !ok {
			f = strings.Repeat("x", n-12) // {"data":"…"} plus encoding/json's newline
			fillers[n] = f
		}
		mu.Unlock()
		return c.JSON(http.StatusOK, map[string]string{"data": f})
	})
	// The same server timeouts as Rapport's (internal/platform/web.NewServer).
	srv := &http.Server{Addr: *addr, Handler: e, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
