package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// TestErasedAccountTokenIsRefusedEverywhere: after DELETE /me the account's still-unexpired access
// token is answered 401 on every authenticated route (never a 404, 500 or an empty 200), by the
// process that erased it at once and by another process sharing the database within about a
// second of its poll.
func TestErasedAccountTokenIsRefusedEverywhere(t *testing.T) {
	here, there := apptest.New(t, nil), apptest.New(t, nil)
	u := here.NewUser(t, "erased-token", "")
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/me"}, {"GET", "/api/v1/me/export"}, {"GET", "/api/v1/me/skills"}, {"GET", "/api/v1/teams"},
		{"GET", "/api/v1/me/recognitions"}, {"GET", "/api/v1/me/assignments"}, {"GET", "/api/v1/pulses"},
		{"GET", "/api/v1/review"}, {"POST", "/api/v1/pulses"},
	}
	call := func(a *apptest.App, method, path string) int {
		var body any
		if method == "POST" {
			body = map[string]any{"meeting": "Discovery call", "prediction": map[string]int{"clarity": 3, "understood": 3, "again": 3}}
		}
		return a.Do(apptest.Request{Method: method, Path: path, Token: u.Token, Body: body}).Code
	}
	// Before: both processes accept the token (a reader, and a write that will outlive nothing).
	for _, a := range []*apptest.App{here, there} {
		if code := call(a, "GET", "/api/v1/me"); code != http.StatusOK {
			t.Fatalf("before the erasure: GET /me = %d", code)
		}
	}

	here.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/me", Token: u.Token,
		Body: map[string]string{"password": apptest.Password}}).Want(http.StatusNoContent)
	erasedAt := time.Now()

	for _, r := range routes {
		if code := call(here, r.method, r.path); code != http.StatusUnauthorized {
			t.Errorf("the erasing process: %s %s = %d, want 401", r.method, r.path, code)
		}
	}
	// The other process learns it from its poll of the audit log.
	deadline := erasedAt.Add(2 * time.Second)
	for {
		refused := 0
		for _, r := range routes {
			if call(there, r.method, r.path) == http.StatusUnauthorized {
				refused++
			}
		}
		if refused == len(routes) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("another process still accepts the erased account's token on %d of %d routes 2 s after the erasure",
				len(routes)-refused, len(routes))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if waited := time.Since(erasedAt); waited > 2*time.Second {
		t.Errorf("the other process took %s", waited)
	}
}
