package apptest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Contract checks request/response exchanges against an OpenAPI document and remembers which
// operations answered with which statuses, so a test can demand that it exercised them all.
// It is safe for concurrent use.
type Contract struct {
	// Doc is the document exchanges are checked against.
	Doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]map[int]bool
}

// NewContract builds a checker for doc (loaded and validated by the caller).
func NewContract(tb testing.TB, doc *openapi3.T) *Contract {
	tb.Helper()
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatalf("contract: build the OpenAPI router: %v", err)
	}
	return &Contract{Doc: doc, router: r, seen: map[string]map[int]bool{}}
}

var contracts sync.Map // *openapi3.T → *Contract

// Validate checks one exchange against doc, failing tb on any mismatch. req is the request as
// sent; its body is read from req.GetBody when set (the handler consumed req.Body). It is the
// opt-in form for tests that send their own requests; a Contract reused across calls also
// records coverage.
func Validate(tb testing.TB, doc *openapi3.T, req *http.Request, resp *http.Response) {
	tb.Helper()
	c, ok := contracts.Load(doc)
	if !ok {
		c, _ = contracts.LoadOrStore(doc, NewContract(tb, doc))
	}
	var reqBody []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
		}
	}
	resBody, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("contract: read the response body: %v", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(resBody))
	c.(*Contract).Check(tb, req, reqBody, resp.StatusCode, resp.Header, resBody)
}

// Check validates one exchange: the operation must be documented, the status listed (only 5xx
// may fall to `default`), a request the server accepted (status below 400) must match the
// documented parameters, body and security, and the response must match the documented headers,
// content type and schema; a response documented without content must have no body.
func (c *Contract) Check(tb testing.TB, req *http.Request, reqBody []byte, status int, header http.Header, resBody []byte) {
	tb.Helper()
	what := req.Method + " " + req.URL.RequestURI()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		tb.Errorf("contract: %s (%d) is not in the OpenAPI document: %v", what, status, err)
		return
	}
	c.record(req.Method+" "+route.Path, status)
	op := route.Operation
	documented := op.Responses.Status(status)
	if documented == nil && (status < 500 || op.Responses.Default() == nil) {
		tb.Errorf("contract: %s answered %d, which %s %s does not document; body: %s",
			what, status, req.Method, route.Path, clip(resBody))
		return
	}
	if documented == nil {
		documented = op.Responses.Default()
	}
	if strings.EqualFold(header.Get("Content-Encoding"), "gzip") {
		if resBody, err = gunzip(resBody); err != nil {
			tb.Errorf("contract: %s: gzip body: %v", what, err)
			return
		}
		header = header.Clone()
		header.Del("Content-Encoding")
	}
	opts := c.options()
	in := &openapi3filter.RequestValidationInput{Request: withBody(req, reqBody), PathParams: params, Route: route, Options: opts}
	ctx := context.Background()
	if status < 400 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			tb.Errorf("contract: %s was accepted (%d) but does not match the documented request: %v", what, status, err)
		}
		in.Request = withBody(req, reqBody)
	}
	checkBodyPresence(tb, what, req.Method, status, documented.Value, resBody)
	if status == http.StatusNotModified { // ValidateResponse skips 304s, headers included
		for name, h := range documented.Value.Headers {
			if h.Value != nil && h.Value.Required && header.Get(name) == "" {
				tb.Errorf("contract: %s answered 304 without the documented %s header", what, name)
			}
		}
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts,
	})
	if err != nil {
		tb.Errorf("contract: %s answered %d (%s) not as documented: %v\nbody: %s",
			what, status, header.Get("Content-Type"), err, clip(resBody))
	}
}

// checkBodyPresence covers what ValidateResponse leaves out: a response documented without
// content must be empty, one documented with content must not be (HEAD answers carry none).
func checkBodyPresence(tb testing.TB, what, method string, status int, res *openapi3.Response, body []byte) {
	tb.Helper()
	if method == http.MethodHead {
		return
	}
	switch {
	case len(res.Content) == 0 && len(body) > 0:
		tb.Errorf("contract: %s answered %d with a body, but the document says it has none: %s", what, status, clip(body))
	case len(res.Content) > 0 && len(body) == 0:
		tb.Errorf("contract: %s answered %d without a body, but the document describes one", what, status)
	}
}

// options are the validation settings: every status must be documented, all errors are
// reported at once, UUIDs and e-mail addresses are checked, and the security schemes are
// checked for presence (a request the server accepted must carry what the document demands).
func (c *Contract) options() *openapi3filter.Options {
	o := &openapi3filter.Options{
		IncludeResponseStatus:             true,
		MultiError:                        true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                authenticate,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(
				`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)),
			openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
			// The API sends times in UTC (DESIGN.md), so an offset other than Z is a mismatch.
			openapi3.WithStringFormatValidator("date-time", openapi3.NewRegexpFormatValidator(
				`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?Z$`)),
		},
	}
	// Name the offending value and why, without kin-openapi's dump of the whole schema.
	o.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string {
		return fmt.Sprintf("at /%s: %s", strings.Join(e.JSONPointer(), "/"), e.Reason)
	})
	return o
}

// authenticate checks that the request carries the credential a security scheme names.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req, s := in.RequestValidationInput.Request, in.SecurityScheme
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		if scheme, _, ok := strings.Cut(req.Header.Get("Authorization"), " "); !ok || !strings.EqualFold(scheme, "Bearer") {
			return errors.New("no bearer token")
		}
	case s.Type == "apiKey" && s.In == "cookie":
		if _, err := req.Cookie(s.Name); err != nil {
			return fmt.Errorf("no %s cookie", s.Name)
		}
	default:
		return fmt.Errorf("security scheme %s is not checked by apptest", in.SecuritySchemeName)
	}
	return nil
}

func (c *Contract) record(op string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[op] == nil {
		c.seen[op] = map[int]bool{}
	}
	c.seen[op][status] = true
}

// Seen reports the statuses each operation ("GET /api/v1/teams/{id}") answered so far.
func (c *Contract) Seen() map[string][]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string][]int, len(c.seen))
	for op, set := range c.seen {
		for s := range set {
			out[op] = append(out[op], s)
		}
		sort.Ints(out[op])
	}
	return out
}

// Operations lists every documented operation as "METHOD /path", sorted.
func Operations(doc *openapi3.T) []string {
	var out []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// Checked drives an App like App.Do and checks every exchange against a Contract.
type Checked struct {
	*App
	// Contract checks the exchanges and records coverage.
	Contract *Contract
}

// WithContract returns a client of a that validates everything it sends and receives.
func (a *App) WithContract(c *Contract) *Checked { return &Checked{App: a, Contract: c} }

// Do sends r through the real router, as App.Do does, and checks the exchange.
func (c *Checked) Do(r Request) *Response {
	c.t.Helper()
	req, body := c.newRequest(r)
	rec := httptest.NewRecorder()
	c.Echo.ServeHTTP(rec, req)
	c.Contract.Check(c.t, req, body, rec.Code, rec.Header(), rec.Body.Bytes())
	return &Response{ResponseRecorder: rec, t: c.t}
}

// newRequest builds the request App.Do would send and returns its body bytes too.
func (a *App) newRequest(r Request) (*http.Request, []byte) {
	a.t.Helper()
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatalf("marshal: %v", err)
		}
		body = j
	}
	var rd io.Reader
	if r.Body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(r.Method, r.Path, rd)
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	for _, ck := range r.Cookie {
		req.AddCookie(ck)
	}
	return req, body
}

// withBody returns a shallow copy of req whose body reads body from the start.
func withBody(req *http.Request, body []byte) *http.Request {
	cp := req.Clone(req.Context())
	cp.Body = io.NopCloser(bytes.NewReader(body))
	cp.ContentLength = int64(len(body))
	if len(body) == 0 {
		cp.Body = http.NoBody
	}
	return cp
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// clip shortens a body for a failure message.
func clip(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
