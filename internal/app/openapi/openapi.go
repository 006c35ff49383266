// Package openapi holds Rapport's HTTP contract as an OpenAPI 3.0 document. The YAML source is
// embedded in the binary, checked with kin-openapi, and served as JSON at
// GET /api/v1/openapi.json; the contract tests validate every response they see against it.
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

var (
	renderOnce sync.Once
	rendered   Rendered
	renderErr  error
)

// Render loads, validates and marshals the document once per process; the embedded source never
// changes while the process runs, so neither does the answer.
func Render() (Rendered, error) {
	renderOnce.Do(func() {
		doc, err := Load(context.Background())
		if err != nil {
			renderErr = err
			return
		}
		b, err := doc.MarshalJSON()
		if err != nil {
			renderErr = fmt.Errorf("openapi: marshal: %w", err)
			return
		}
		sum := sha256.Sum256(b)
		rendered = Rendered{JSON: b, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	})
	return rendered, renderErr
}
