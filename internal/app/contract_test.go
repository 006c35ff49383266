package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/app/openapi"
)

// routerOps lists the app's routes as the document names operations: "METHOD /path/{param}".
// Echo's own entries are left out on purpose: the per-group "echo_route_not_found" handlers,
// and `/api/*` (every method), the problem+json 404 for API paths that are no route, which no
// path template can express (the document's description states it). The SPA's history
// fallback `/*` (GET and HEAD) is documented as `/`.
func routerOps(a *apptest.App) []string {
	var out []string
	for _, r := range a.Echo.Routes() {
		switch {
		case r.Method == "echo_route_not_found", r.Path == "/api/*":
			continue
		case r.Path == "/*":
			out = append(out, r.Method+" /")
			continue
		}
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = "{" + s[1:] + "}"
			}
		}
		out = append(out, r.Method+" "+strings.Join(segs, "/"))
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIDocumentIsServedAndValid(t *testing.T) {
	a := apptest.New(t, nil)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := a.WithContract(apptest.NewContract(t, doc))

	r := c.Do(apptest.Request{Method: "GET", Path: "/api/v1/openapi.json", Token: "not-a-token"}).Want(http.StatusOK)
	etag := r.Header().Get("ETag")
	if etag == "" || !strings.HasPrefix(r.Header().Get("Cache-Control"), "public") {
		t.Errorf("ETag %q, Cache-Control %q: want a public, cacheable answer with an ETag", etag, r.Header().Get("Cache-Control"))
	}
	served, err := openapi3.NewLoader().LoadFromData(r.Body.Bytes())
	if err != nil {
		t.Fatalf("the served JSON does not load as OpenAPI: %v", err)
	}
	if err := served.Validate(context.Background()); err != nil {
		t.Fatalf("the served document is invalid: %v", err)
	}
	if got, want := len(apptest.Operations(served)), len(apptest.Operations(doc)); got != want {
		t.Errorf("served document has %d operations, the YAML %d", got, want)
	}
	var probe struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &probe); err != nil || !strings.HasPrefix(probe.OpenAPI, "3.0") {
		t.Errorf("openapi = %q (%v), want 3.0.x", probe.OpenAPI, err)
	}

	again := c.Do(apptest.Request{Method: "GET", Path: "/api/v1/openapi.json"}).Want(http.StatusOK)
	if !bytes.Equal(again.Body.Bytes(), r.Body.Bytes()) || again.Header().Get("ETag") != etag {
		t.Error("the document or its ETag changed between two requests")
	}
	c.Do(apptest.Request{Method: "GET", Path: "/api/v1/openapi.json", Header: map[string]string{"If-None-Match": etag}}).
		Want(http.StatusNotModified)
	c.Do(apptest.Request{Method: "GET", Path: "/api/v1/openapi.json", Header: map[string]string{"If-None-Match": `"other"`}}).
		Want(http.StatusOK)
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	// With the end-to-end test clock on, the router also has its test-only route; every other
	// configuration registers a subset of these routes.
	a := apptest.New(t, map[string]string{"RAPPORT_TEST_CLOCK": "1"})
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	routes := routerOps(a)
	documented := map[string]bool{}
	for _, op := range apptest.Operations(doc) {
		documented[op] = true
	}
	inRouter := map[string]bool{}
	for _, op := range routes {
		inRouter[op] = true
		if !documented[op] {
			t.Errorf("route %s is not in internal/app/openapi/openapi.yaml", op)
		}
	}
	for op := range documented {
		if !inRouter[op] {
			t.Errorf("the document describes %s, which the router does not have", op)
		}
	}
	if len(routes) < 70 {
		t.Errorf("only %d routes found; the walk is broken", len(routes))
	}
}

// TestContractScenario drives every documented operation through realistic flows of every
// persona, and checks each exchange (status, headers, content type, body; the request too when
// the server accepted it) against the OpenAPI document.
func TestContractScenario(t *testing.T) {
	s := &scenario{world: newWorld(t)}
	s.operations()
	s.identity()
	s.studio()
	s.catalog()
	s.seo()
	s.baseline()
	s.progress()
	s.progressAttempt()
	s.billing()
	s.teams()
	s.adminRoutes()
	s.signOut()

	seen := s.Contract.Seen()
	for _, op := range apptest.Operations(s.Contract.Doc) {
		if len(seen[op]) == 0 {
			t.Errorf("the scenario never called %s", op)
		}
	}
	statuses := map[int]bool{}
	for _, ss := range seen {
		for _, st := range ss {
			statuses[st] = true
		}
	}
	for _, st := range []int{200, 201, 202, 204, 304, 400, 401, 402, 403, 404, 409, 422, 429} {
		if !statuses[st] {
			t.Errorf("no response with status %d was validated", st)
		}
	}
}

// scenario is the shared state of TestContractScenario's steps.
type scenario struct {
	*world
	learner, instructor, admin, manager, rep, outsider, subscriber *account
	// free and premium are published module slugs; freeLessons their lesson ids in order.
	free, premium string
	freeLessons   []string
	instrument    string
	attemptID     string
	teamID        string
}

func (s *scenario) operations() {
	s.want(nil, 200, "GET", "/healthz", nil, nil)
	s.want(nil, 200, "GET", "/readyz", nil, nil)
	s.want(nil, 200, "GET", "/metrics", nil, nil)
	etag := s.want(nil, 200, "GET", "/", nil, nil).Header().Get("ETag")
	s.send(nil, "GET", "/", nil, map[string]string{"If-None-Match": etag}).Want(304)
	s.want(nil, 200, "HEAD", "/", nil, nil)
	s.want(nil, 200, "GET", "/api/v1/openapi.json", nil, nil)
}
