package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/app/openapi"
)

// spyTB records what a checker reports instead of failing the test.
type spyTB struct {
	*testing.T
	errs []string
}

func (s *spyTB) Helper() {}

func (s *spyTB) Errorf(format string, args ...any) {
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
}

// TestContractCheckerCatchesMismatches proves the checker fails on what it must catch, so a
// green scenario means the responses matched rather than that nothing was checked.
func TestContractCheckerCatchesMismatches(t *testing.T) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.NewContract(t, doc)
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		want               string
	}{
		{"valid", "GET", "/healthz", 200, json, `{"status":"ok","version":"dev"}`, ""},
		{"undocumented path", "GET", "/nowhere", 200, json, `{}`, "not in the OpenAPI document"},
		{"undocumented status", "GET", "/healthz", 418, json, `{}`, "does not document"},
		{"missing field", "GET", "/readyz", 200, json, `{}`, `property "status" is missing`},
		{"extra field", "GET", "/readyz", 200, json, `{"status":"ready","extra":1}`, "extra"},
		{"wrong content type", "GET", "/readyz", 200, http.Header{"Content-Type": {"text/plain"}}, `ready`, "Content-Type"},
		{"body on 204", "POST", "/api/v1/auth/logout", 204, http.Header{}, `{"ok":true}`, "has none"},
		{"no body where one is documented", "GET", "/api/v1/plans", 200, json, ``, "without a body"},
		{"time not in UTC", "GET", "/api/v1/certificates/X1", 200, http.Header{"Content-Type": {"application/json"}, "Cache-Control": {"public"}},
			`{"code":"X1","user_name":"A","module_slug":"m","module_title":"M","issued_at":"2026-01-02T03:04:05+01:00"}`, "date-time"},
		{"problem without status", "GET", "/api/v1/modules/x", 404, http.Header{"Content-Type": {"application/problem+json"}},
			`{"type":"about:blank","title":"Not Found"}`, `"status" is missing`},
		{"5xx falls to default", "GET", "/api/v1/plans", 500, http.Header{"Content-Type": {"application/problem+json"}},
			`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Something went wrong on our side. Please try again; if it keeps happening, contact support."}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spy := &spyTB{T: t}
			req := httptest.NewRequest(tt.method, tt.path, nil)
			c.Check(spy, req, nil, tt.status, tt.header, []byte(tt.body))
			got := strings.Join(spy.errs, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("checker reported a valid exchange: %s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("checker reported %q, want it to mention %q", got, tt.want)
			}
		})
	}
}

// TestValidateHelperOverHTTP checks the opt-in helper other packages use with their own
// requests, against a real HTTP server.
func TestValidateHelperOverHTTP(t *testing.T) {
	a := apptest.New(t, nil)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Echo)
	defer srv.Close()
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/healthz", ""},
		{"GET", "/api/v1/plans", ""},
		{"POST", "/api/v1/auth/login", `{"email":"nobody@example.com","password":"wrong password"}`},
		{"GET", "/api/v1/me", ""},
	} {
		req, err := http.NewRequest(r.method, srv.URL+r.path, strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		apptest.Validate(t, doc, req, resp)
		resp.Body.Close()
	}
}
