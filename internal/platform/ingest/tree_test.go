package ingest_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

// src is a test source: a file whose first line is its slug; "bad" in it is a content problem.
type src struct{ file, slug string }

var srcs = ingest.Set[src]{
	Dir:   "things",
	Entry: func(e fs.DirEntry) bool { return !e.IsDir() && strings.HasSuffix(e.Name(), ".txt") },
	Parse: func(fsys fs.FS, name string) (src, srcerr.List, error) {
		data, err := ingest.ReadFile(fsys, name)
		if err != nil {
			return src{}, nil, err
		}
		s := src{file: name, slug: strings.SplitN(string(data), "\n", 2)[0]}
		if strings.Contains(string(data), "bad") {
			return s, srcerr.List{{File: name, Line: 2, Field: "body", Message: "is bad"}}, nil
		}
		return s, nil, nil
	},
	Key: func(s src) ingest.Key { return ingest.Key{Slug: s.slug, Name: s.file, File: s.file, Line: 1} },
}

func TestCollect(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		optional  bool
		wantFiles []string
		wantErrs  []string
		wantFail  bool
	}{
		{"valid sources, others ignored", map[string]string{"things/a.txt": "a\n", "things/b.txt": "b\n",
			"things/notes.md": "x", "things/sub/c.txt": "c"}, false, []string{"things/a.txt", "things/b.txt"}, nil, false},
		{"a source with a problem is left out", map[string]string{"things/a.txt": "a\nbad", "things/b.txt": "b\n"}, false,
			[]string{"things/b.txt"}, []string{"things/a.txt:2: body: is bad"}, false},
		{"a repeated slug is a problem of the later source", map[string]string{"things/a.txt": "same\n", "things/b.txt": "same\n"}, false,
			[]string{"things/a.txt"}, []string{"things/b.txt:1: slug: is also the slug of things/a.txt"}, false},
		{"an invalid source does not reserve its slug", map[string]string{"things/a.txt": "same\nbad", "things/b.txt": "same\n"}, false,
			[]string{"things/b.txt"}, []string{"things/a.txt:2: body: is bad"}, false},
		{"missing folder, optional", map[string]string{"other/a.txt": "a"}, true, nil, nil, false},
		{"missing folder, required", map[string]string{"other/a.txt": "a"}, false, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range tt.files {
				fsys[k] = &fstest.MapFile{Data: []byte(v)}
			}
			set := srcs
			set.Optional = tt.optional
			got, errs, err := set.Collect(fsys)
			if (err != nil) != tt.wantFail {
				t.Fatalf("err = %v, want failure %v", err, tt.wantFail)
			}
			var files, msgs []string
			for _, s := range got {
				files = append(files, s.file)
			}
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			if strings.Join(files, ",") != strings.Join(tt.wantFiles, ",") || strings.Join(msgs, "|") != strings.Join(tt.wantErrs, "|") {
				t.Errorf("sources %v, problems %v; want %v, %v", files, msgs, tt.wantFiles, tt.wantErrs)
			}
		})
	}
}

func TestImportStopsAtTheFirstFailureNamingTheSource(t *testing.T) {
	boom := errors.New("boom")
	apply := func(_ context.Context, s src) (ingest.Result, error) {
		if s.slug == "c" {
			return ingest.Result{}, boom
		}
		return ingest.Result{Slug: s.slug, Status: ingest.Created, Version: 1}, nil
	}
	fsys := fstest.MapFS{}
	for _, f := range []string{"a", "b", "c", "d"} {
		fsys["things/"+f+".txt"] = &fstest.MapFile{Data: []byte(f + "\n")}
	}
	fsys["things/e.txt"] = &fstest.MapFile{Data: []byte("e\nbad")}
	got, problems, err := srcs.Import(context.Background(), fsys, apply)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "import things/c.txt") {
		t.Fatalf("err = %v, want boom naming things/c.txt", err)
	}
	if len(got) != 2 || got[0].Slug != "a" || got[1].Slug != "b" || len(problems) != 1 {
		t.Errorf("results before the failure = %+v, problems %v", got, problems)
	}
	delete(fsys, "things/c.txt")
	if got, problems, err = srcs.Import(context.Background(), fsys, apply); err != nil || len(got) != 3 || len(problems) != 1 {
		t.Errorf("without the failing source: %+v, %v, %v", got, problems, err)
	}
	if _, _, err := srcs.Import(context.Background(), fstest.MapFS{}, apply); err == nil {
		t.Error("a tree without the folder imported")
	}
}
