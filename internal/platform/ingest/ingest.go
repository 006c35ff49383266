// Package ingest is the driver both content importers share (the curriculum's module folders and
// the assessments' instrument files): it walks a content tree, keeps the sources whose files are
// valid, reads their YAML reporting problems as file:line: field: message, hashes what they were
// made from, and applies the one versioning rule of an idempotent import. What a source means
// (its fields, its validation, its tables) stays in its domain.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
)

// Outcomes of importing one source.
const (
	Created   = "created"
	Updated   = "updated"
	Unchanged = "unchanged"
)

// Result is what importing did to one source: its slug, the outcome, and the version learners
// get from now on (the existing one when unchanged).
type Result struct {
	Slug    string
	Status  string
	Version int
}

// Stored is what the database holds for a source's slug when its import reaches it (with the
// record locked, so two imports of it serialise).
type Stored struct {
	// New is true when this import has just created the record.
	New bool
	// Version is the latest version, 0 when there is none.
	Version int
	// Hash is the content hash the latest version was made from ("" when unknown).
	Hash string
}

// Plan is the versioning rule of every content import: an existing source whose content hash is
// unchanged keeps its version (nothing is written); otherwise the next version is made, and the
// outcome says whether the record was new.
func (st Stored) Plan(slug, hash string) Result {
	switch {
	case !st.New && st.Hash == hash:
		return Result{Slug: slug, Status: Unchanged, Version: st.Version}
	case st.New:
		return Result{Slug: slug, Status: Created, Version: st.Version + 1}
	default:
		return Result{Slug: slug, Status: Updated, Version: st.Version + 1}
	}
}

// Changed reports whether the import wrote a new version.
func (r Result) Changed() bool { return r.Status != Unchanged }

// Sum is the content hash of data (hex SHA-256), as stored beside a version.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// FileHash hashes a source made of several files, by name and content: an unchanged hash means
// unchanged files.
type FileHash struct{ h hash.Hash }

// NewFileHash starts an empty hash.
func NewFileHash() *FileHash { return &FileHash{h: sha256.New()} }

// Add hashes one file; its length is hashed too, so no two sets of files hash alike by chance of
// where one ends and the next begins.
func (f *FileHash) Add(name string, data []byte) {
	_, _ = f.h.Write([]byte(name + "\x00" + strconv.Itoa(len(data)) + "\x00"))
	_, _ = f.h.Write(data)
}

// Sum returns the hash (hex SHA-256) of every file added.
func (f *FileHash) Sum() string { return hex.EncodeToString(f.h.Sum(nil)) }
