// Package openapi holds Rapport's HTTP contract as an OpenAPI 3.0 document. The YAML source is
// embedded in the binary, checked with kin-openapi, and served as JSON at
// GET /api/v1/openapi.json; the contract tests validate every response they see against it.
// Operations marked `x-test-only: true` exist only on a server with the end-to-end test clock, so
// the document served without it leaves them out.
package openapi

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var source []byte

// YAML returns the document's source as written.
func YAML() []byte { return source }

// Load parses the embedded document and validates it against the OpenAPI 3.0 rules. Each call
// returns a fresh document, so callers may mutate it.
func Load(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(source)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	return doc, nil
}

// Rendered is the document as served: its JSON and a strong ETag naming that JSON.
type Rendered struct {
	// JSON is the document as JSON.
	JSON []byte
	// ETag is a strong entity tag derived from JSON's SHA-256.
	ETag string
}

// testOnly is the extension marking an operation that only a server with the test clock has.
const testOnly = "x-test-only"

// rendering is one cached rendering of the document.
type rendering struct {
	once sync.Once
	doc  Rendered
	err  error
}

// renders holds the production document [0] and the one with the test-only operations [1].
var renders [2]rendering

// Render loads, validates and marshals the document once per process and variant; the embedded
// source never changes while the process runs, so neither does the answer. Without
// withTestOnly (production), operations marked x-test-only are left out.
func Render(withTestOnly bool) (Rendered, error) {
	r := &renders[0]
	if withTestOnly {
		r = &renders[1]
	}
	r.once.Do(func() {
		doc, err := Load(context.Background())
		if err != nil {
			r.err = err
			return
		}
		if !withTestOnly {
			DropTestOnly(doc)
		}
		b, err := doc.MarshalJSON()
		if err != nil {
			r.err = fmt.Errorf("openapi: marshal: %w", err)
			return
		}
		sum := sha256.Sum256(b)
		r.doc = Rendered{JSON: b, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	})
	return r.doc, r.err
}

// DropTestOnly removes the operations marked x-test-only from doc, and a path left without
// operations.
func DropTestOnly(doc *openapi3.T) {
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if v, ok := op.Extensions[testOnly].(bool); ok && v {
				item.SetOperation(method, nil)
			}
		}
		if len(item.Operations()) == 0 {
			doc.Paths.Delete(path)
		}
	}
}
