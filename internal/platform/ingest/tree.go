package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

// Set describes one kind of source in a content tree: the folder holding them (one entry each)
// and how one is parsed.
type Set[S any] struct {
	// Dir is the folder of the tree, such as "modules".
	Dir string
	// Optional makes a tree without Dir hold no sources instead of failing.
	Optional bool
	// Entry tells which entries of Dir are sources; the others are ignored.
	Entry func(fs.DirEntry) bool
	// Parse reads the source at name (Dir/entry): errs are problems in its files, err a failure
	// to read them.
	Parse func(fsys fs.FS, name string) (src S, errs srcerr.List, err error)
	// Key names a parsed source for the check that no two share a slug.
	Key func(S) Key
}

// Key is a parsed source's slug, the name another source's error cites it by, and where an error
// about its slug is reported.
type Key struct {
	Slug string
	Name string
	File string
	Line int
}

// Collect reads every source of the set in fsys. A source with any problem is left out of the
// result entirely, and its problems are returned, so nothing half-valid is imported; a slug
// already taken by an earlier valid source is a problem too.
func (set Set[S]) Collect(fsys fs.FS) ([]S, srcerr.List, error) {
	entries, err := fs.ReadDir(fsys, set.Dir)
	if set.Optional && errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", set.Dir, err)
	}
	var out []S
	var all srcerr.List
	seen := map[string]string{}
	for _, e := range entries {
		if !set.Entry(e) {
			continue
		}
		src, errs, err := set.Parse(fsys, path.Join(set.Dir, e.Name()))
		if err != nil {
			return nil, nil, err
		}
		k := set.Key(src)
		if other, dup := seen[k.Slug]; dup && len(errs) == 0 {
			errs = append(errs, srcerr.Error{File: k.File, Line: k.Line, Field: "slug", Message: "is also the slug of " + other})
		}
		if len(errs) > 0 {
			all = append(all, errs...)
			continue
		}
		seen[k.Slug] = k.Name
		out = append(out, src)
	}
	return out, all, nil
}

// Import collects the sources of the set in fsys, then applies each valid one in turn with apply
// (which runs one source's transaction). It stops at the first failure, naming the source, and
// returns the results so far with it; the problems of the sources left out are returned too.
func (set Set[S]) Import(ctx context.Context, fsys fs.FS, apply func(context.Context, S) (Result, error)) ([]Result, srcerr.List, error) {
	srcs, problems, err := set.Collect(fsys)
	if err != nil {
		return nil, nil, err
	}
	var out []Result
	for _, src := range srcs {
		r, err := apply(ctx, src)
		if err != nil {
			return out, problems, fmt.Errorf("import %s: %w", set.Key(src).Name, err)
		}
		out = append(out, r)
	}
	return out, problems, nil
}

// ReadFile reads one file of a source, naming it in the error.
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}
