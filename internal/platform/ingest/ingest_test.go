package ingest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name   string
		stored ingest.Stored
		hash   string
		want   ingest.Result
	}{
		{"new record", ingest.Stored{New: true}, "h1", ingest.Result{Slug: "s", Status: ingest.Created, Version: 1}},
		{"new record whose hash happens to match", ingest.Stored{New: true, Hash: "h1"}, "h1",
			ingest.Result{Slug: "s", Status: ingest.Created, Version: 1}},
		{"existing, same hash", ingest.Stored{Version: 3, Hash: "h1"}, "h1", ingest.Result{Slug: "s", Status: ingest.Unchanged, Version: 3}},
		{"existing, changed hash", ingest.Stored{Version: 3, Hash: "h1"}, "h2", ingest.Result{Slug: "s", Status: ingest.Updated, Version: 4}},
		{"existing, never imported (made in the studio)", ingest.Stored{Version: 2}, "h1",
			ingest.Result{Slug: "s", Status: ingest.Updated, Version: 3}},
		{"existing without a version yet", ingest.Stored{}, "h1", ingest.Result{Slug: "s", Status: ingest.Updated, Version: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.stored.Plan("s", tt.hash)
			if got != tt.want {
				t.Errorf("Plan = %+v, want %+v", got, tt.want)
			}
			if got.Changed() != (tt.want.Status != ingest.Unchanged) {
				t.Errorf("Changed = %v for %s", got.Changed(), got.Status)
			}
		})
	}
}

// TestHashesAreStable pins the hash formulas: they are stored beside every version, so a change
// would make the next import publish every module and instrument again.
func TestHashesAreStable(t *testing.T) {
	h := ingest.NewFileHash()
	h.Add("module.yaml", []byte("slug: a\n"))
	h.Add("01-x.md", []byte("body"))
	raw := sha256.Sum256([]byte("module.yaml\x008\x00slug: a\n" + "01-x.md\x004\x00body"))
	if got, want := h.Sum(), hex.EncodeToString(raw[:]); got != want {
		t.Errorf("FileHash = %s, want %s", got, want)
	}
	swapped := ingest.NewFileHash()
	swapped.Add("module.yaml", []byte("slug: a\n01-x.md"))
	swapped.Add("", []byte("body"))
	if swapped.Sum() == h.Sum() {
		t.Error("moving bytes from one file to the next must change the hash")
	}
	sum := sha256.Sum256([]byte(`{"a":1}`))
	if got := ingest.Sum([]byte(`{"a":1}`)); got != hex.EncodeToString(sum[:]) {
		t.Errorf("Sum = %s", got)
	}
}
