package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// stripeRecorder sits between the app and stripe-mock and remembers each call's method and
// path. stripe-mock keeps no state, so what Stripe was asked to do is what a test can check.
type stripeRecorder struct {
	URL   string
	mu    sync.Mutex
	calls []string
}

func newStripeRecorder(tb testing.TB, target string) *stripeRecorder {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	rec := &stripeRecorder{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.calls = append(rec.calls, r.Method+" "+r.URL.Path)
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// Called reports whether the app sent method path to Stripe.
func (r *stripeRecorder) Called(methodPath string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.calls {
		if c == methodPath {
			return true
		}
	}
	return false
}
