package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// TestContractLimits derives boundary cases from the OpenAPI document and checks the server
// agrees with each: for every field of every JSON request body (and every query or header
// parameter) with a limit, a value just inside is accepted and one just outside is refused with
// a problem+json 422 naming the field. Refusals: maxLength+1, minLength-1, maximum+1, minimum-1,
// a value not in the enum, a pattern or format violation, a wrong type, null (no request field is
// nullable), a required field left out, an unknown field, text that is not UTF-8. A document that
// promises more or less than the server enforces fails here, and so does an operation with a JSON
// body that has no fixture in limitFixtures.
func TestContractLimits(t *testing.T) {
	f := newAccessFixture(t)
	fixtures := limitFixtures(f)
	ops := bodyOperations(f.Contract.Doc)
	for key := range fixtures {
		if _, ok := ops[key]; !ok {
			t.Errorf("limitFixtures has %s, which is no operation with a JSON request body in the document", key)
		}
	}
	cases := paramsOfGets(f, ops)
	for _, key := range operationOrder(f.Contract.Doc, ops) {
		fx, ok := fixtures[key]
		if !ok {
			t.Errorf("%s has a JSON request body but no boundary fixture: add one to limitFixtures", key)
			continue
		}
		if fx.exempt != "" {
			continue
		}
		method, path, _ := strings.Cut(key, " ")
		bodies := make([]map[string]any, len(fx.bases))
		for i, base := range fx.bases {
			bodies[i] = base().json(t)
		}
		d := &deriver{t: t, op: key, refs: fx.refs, tooLong: fx.tooLong}
		d.object(ops[key], nil, bodies, allBases(len(bodies)))
		d.params(f.Contract.Doc.Paths.Find(path).GetOperation(method), f.Contract.Doc.Paths.Find(path))
		cases += len(d.cases)
		runLimitCases(f, key, fx, d.cases)
	}
	if cases < 300 {
		t.Errorf("only %d boundary cases derived; the walk is broken", cases)
	}
	t.Logf("%d boundary cases derived from the document", cases)
}

// names reports whether a problem's field list names want: the field itself, one of its items, or
// the list it is an item of.
func names(fields []string, want string) bool {
	for _, f := range fields {
		if f == want || strings.HasPrefix(f, want+"[") || strings.HasPrefix(want, f+"[") {
			return true
		}
	}
	return false
}

// bodyOperations maps "METHOD /path" to the request schema of every operation with a JSON body.
func bodyOperations(doc *openapi3.T) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				out[method+" "+path] = mt.Schema.Value
			}
		}
	}
	return out
}

// operationOrder sorts the operations, test-only ones last: moving the test clock by its maximum
// (a year) outlives every access token, so nothing may come after it.
func operationOrder(doc *openapi3.T, ops map[string]*openapi3.Schema) []string {
	keys := make([]string, 0, len(ops))
	for k := range ops {
		keys = append(keys, k)
	}
	testOnly := func(key string) bool {
		method, path, _ := strings.Cut(key, " ")
		v, _ := doc.Paths.Find(path).GetOperation(method).Extensions["x-test-only"].(bool)
		return v
	}
	sort.Slice(keys, func(i, j int) bool {
		if a, b := testOnly(keys[i]), testOnly(keys[j]); a != b {
			return b
		}
		return keys[i] < keys[j]
	})
	return keys
}

// paramsOfGets probes the limited query parameters of operations without a body, called by an
// admin (who may call every such route) on the access fixture's resources; it returns the number
// of cases.
func paramsOfGets(f *accessFixture, bodies map[string]*openapi3.Schema) int {
	n := 0
	for _, key := range apptest.Operations(f.Contract.Doc) {
		method, path, _ := strings.Cut(key, " ")
		if _, ok := bodies[key]; ok || method != "GET" {
			continue
		}
		d := &deriver{t: f.t, op: key}
		d.params(f.Contract.Doc.Paths.Find(path).GetOperation(method), f.Contract.Doc.Paths.Find(path))
		if len(d.cases) == 0 {
			continue
		}
		fx := limitFixture{ok: 200, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.admin, path: f.path(path)}
		}}}
		runLimitCases(f, key, fx, d.cases)
		n += len(d.cases)
	}
	return n
}

// runLimitCases sends an operation's cases, refusals first (they change nothing), and checks each
// answer.
func runLimitCases(f *accessFixture, op string, fx limitFixture, cases []limitCase) {
	t := f.t
	method, _, _ := strings.Cut(op, " ")
	sort.SliceStable(cases, func(i, j int) bool { return !cases[i].accept && cases[j].accept })
	for _, c := range cases {
		r := f.Do(limitRequest(t, method, fx.bases[c.base](), c))
		label := fmt.Sprintf("%s %s: %s", op, c.where(), c.what)
		if testing.Verbose() {
			t.Logf("%s (accept: %v) → %d", label, c.accept, r.Code)
		}
		checkLimitCase(t, label, fx.ok, c, r)
	}
}

// limitRequest is the fixture's valid call with the case applied.
func limitRequest(t *testing.T, method string, call limitCall, c limitCase) apptest.Request {
	req := apptest.Request{Method: method, Path: call.path, Header: map[string]string{}}
	if call.who != nil {
		req.Token = call.who.Token
	}
	if call.body != nil {
		req.Body = encodeCase(t, call.json(t), c)
	}
	if c.param == nil {
		return req
	}
	v := fmt.Sprint(c.value)
	if c.param.In == openapi3.ParameterInHeader {
		req.Header[c.param.Name] = v
		return req
	}
	q := c.param.Name + "=" + url.QueryEscape(v)
	if v == notUTF8 {
		q = c.param.Name + "=%FF"
	}
	sep := "?"
	if strings.Contains(req.Path, "?") {
		sep = "&"
	}
	req.Path += sep + q
	return req
}

// checkLimitCase checks the answer to a case: the fixture's status when the document allows the
// value, else the refusal's status with a problem+json that (for 422) names the field.
func checkLimitCase(t *testing.T, label string, ok int, c limitCase, r *apptest.Response) {
	t.Helper()
	if c.accept {
		if r.Code != ok {
			t.Errorf("%s: answered %d, want %d (the document allows it): %s", label, r.Code, ok, clip(r.Body.String()))
		}
		return
	}
	if r.Code != c.status {
		t.Errorf("%s: answered %d, want %d (the document refuses it): %s", label, r.Code, c.status, clip(r.Body.String()))
		return
	}
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q, want application/problem+json", label, ct)
	}
	if c.status != 422 {
		return
	}
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(r.Body.Bytes(), &p)
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	if !names(fields, c.field) {
		t.Errorf("%s: the problem names %v, want %q: %s", label, fields, c.field, clip(r.Body.String()))
	}
}

// encodeCase is the JSON of body with the case's value set at its path.
func encodeCase(t *testing.T, body map[string]any, c limitCase) []byte {
	t.Helper()
	if c.path != nil {
		var parent any = body
		for _, seg := range c.path[:len(c.path)-1] {
			switch s := seg.(type) {
			case string:
				parent = parent.(map[string]any)[s]
			case int:
				parent = parent.([]any)[s]
			}
		}
		switch last := c.path[len(c.path)-1].(type) {
		case string:
			if c.value == removed {
				delete(parent.(map[string]any), last)
			} else {
				parent.(map[string]any)[last] = c.value
			}
		case int:
			parent.([]any)[last] = c.value
		}
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte(notUTF8), []byte("bad \xff text"))
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
