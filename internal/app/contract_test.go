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
	// This server runs without the test clock: it serves the YAML's operations but the test-only ones.
	production, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	openapi.DropTestOnly(production)
	if got, want := len(apptest.Operations(served)), len(apptest.Operations(production)); got != want || want >= len(apptest.Operations(doc)) {
		t.Errorf("served document has %d operations, the YAML %d of which %d are not test-only", got, len(apptest.Operations(doc)), want)
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
	s.media()
	s.catalog()
	s.seo()
	s.baseline()
	s.progress()
	s.progressAttempt()
	s.review()
	s.billing()
	s.pulse()
	s.teams()
	s.practice()
	s.practiceStudio()
	s.yourData()
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
	// pulseID is a pulse of rep's that its buyer answered (recognition evidence).
	pulseID string
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

// TestOpenAPIDocumentListsTheTestClockOnlyWhenItIsOn: a production server (no RAPPORT_TEST_CLOCK)
// has no POST /api/v1/testing/clock, so its document does not describe it either; a server with
// the test clock has the route and documents it.
func TestOpenAPIDocumentListsTheTestClockOnlyWhenItIsOn(t *testing.T) {
	const clock = "/api/v1/testing/clock"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"production", nil, false},
		{"test clock off", map[string]string{"RAPPORT_TEST_CLOCK": ""}, false},
		{"test clock on", map[string]string{"RAPPORT_TEST_CLOCK": "1"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := apptest.New(t, tc.env)
			body := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/openapi.json"}).Want(http.StatusOK).Body.Bytes()
			served, err := openapi3.NewLoader().LoadFromData(body)
			if err != nil {
				t.Fatal(err)
			}
			if err := served.Validate(context.Background()); err != nil {
				t.Fatalf("the served document is invalid: %v", err)
			}
			if got := served.Paths.Find(clock) != nil; got != tc.want {
				t.Errorf("document describes %s: %v, want %v", clock, got, tc.want)
			}
			routed := false
			for _, op := range routerOps(a) {
				routed = routed || op == "POST "+clock
			}
			if routed != tc.want {
				t.Errorf("router has POST %s: %v, want %v", clock, routed, tc.want)
			}
		})
	}
}

// TestOpenAPIDocumentsAdminAccessToManagerRoutes: every route the access matrix opens to a team's
// managers and to admins (TestAccessMatrix checks the server enforces exactly that) says so in
// its summary and in its 403 answer.
func TestOpenAPIDocumentsAdminAccessToManagerRoutes(t *testing.T) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for op, r := range accessMatrix {
		if r.who != teamManager {
			continue
		}
		n++
		method, path, _ := strings.Cut(op, " ")
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is not in the document", op)
			continue
		}
		o := item.GetOperation(method)
		if !strings.Contains(o.Summary, "the team's managers or an admin") {
			t.Errorf("%s: summary %q does not say the team's managers or an admin may call it", op, o.Summary)
		}
		forbidden := o.Responses.Status(http.StatusForbidden)
		if forbidden == nil || forbidden.Value == nil || forbidden.Value.Description == nil ||
			!strings.Contains(*forbidden.Value.Description, "nor an admin") {
			t.Errorf("%s: the 403 answer does not say it is for callers who are neither a manager of the team nor an admin", op)
		}
	}
	if n < 10 {
		t.Errorf("only %d team manager routes in the access matrix; the walk is broken", n)
	}
}
