package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/openapi"
)

// TestOpenAPIPrintsTheProductionContract: the web app's types are generated from this output, so
// it must be the document production serves, byte for byte, without the test clock's route, and
// it must not need any configuration.
func TestOpenAPIPrintsTheProductionContract(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"openapi"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	served, err := openapi.Render(false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), served.JSON) {
		t.Fatal("rapport openapi differs from the document served at /api/v1/openapi.json")
	}
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Paths["/api/v1/modules"]; !ok {
		t.Error("the catalog is missing from the printed contract")
	}
	if _, ok := doc.Paths["/api/v1/testing/clock"]; ok {
		t.Error("the test clock's route is in the production contract")
	}
}
