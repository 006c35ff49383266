package catalog

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/rapport-hq/rapport/content"
)

// The fuzz targets of the content pipeline: lesson and module files as authors write them, whole
// content trees, and the Markdown renderer with its sanitiser. Their seed corpora live in
// testdata/fuzz/<FuzzName>/ and run with every plain `go test`; scripts/fuzz.sh fuzzes each target
// for a few seconds in `make test`.

// fuzzLessonFile and fuzzModuleFile are the paths the parser targets report errors against.
const (
	fuzzLessonFile = "modules/03-sample/01-first-lesson.md"
	fuzzModuleFile = "modules/03-sample/module.yaml"
)

// addShippedContent adds every shipped module.yaml or lesson file as a seed, so the fuzzers start
// from real content as well as from the committed corpus.
func addShippedContent(f *testing.F, lessons bool) {
	f.Helper()
	err := fs.WalkDir(content.FS, "modules", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if lessons != strings.HasSuffix(p, ".md") || (!lessons && path.Base(p) != "module.yaml") {
			return nil
		}
		data, err := fs.ReadFile(content.FS, p)
		if err == nil {
			f.Add(data)
		}
		return err
	})
	if err != nil {
		f.Fatalf("read shipped content: %v", err)
	}
}

// FuzzRenderMarkdown renders arbitrary Markdown: it never panics, rendering the same input twice
// gives the same HTML, and the HTML carries no script, iframe or style element, no on… event
// attribute and no javascript: URL. The text checks look at markup only (tags, attribute names,
// URL attribute values): the same words in escaped text are harmless and allowed.
func FuzzRenderMarkdown(f *testing.F) {
	for _, md := range []string{"", "# Title\n\nText with **bold**, _em_ and `code`.\n",
		"<script>alert(1)</script>", "[x](javascript:alert(1))", `<img src=x onerror="alert(1)">`,
		"![A map](media:img1)\n\n::video{media=vid1 captions=cap1 lang=en}\n::audio{media=aud1}\n::download{media=doc1 title=\"Sheet\"}\n",
		"::video{media=\"javascript:alert(1)\"}", "![x](media:../x)"} {
		f.Add(md)
	}
	r := NewRenderer()
	// Every media form resolves, so the fuzzer reaches the media renderer too.
	media := map[string]MediaRef{
		"img1": {ID: "img1", Kind: MediaImage, Alt: "alt"}, "vid1": {ID: "vid1", Kind: MediaVideo},
		"cap1": {ID: "cap1", Kind: MediaCaptions}, "aud1": {ID: "aud1", Kind: MediaAudio},
		"doc1": {ID: "doc1", Kind: MediaDocument, ContentType: "application/pdf", Bytes: 1000},
	}
	f.Fuzz(func(t *testing.T, md string) {
		out, err := r.Render(md, media)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		_ = r.Scan(md)
		again, err := r.Render(md, media)
		if err != nil || again != out {
			t.Fatalf("rendering twice differs (err %v):\n%s\n---\n%s", err, out, again)
		}
		checkSafeHTML(t, out)
	})
}

// forbiddenTags are elements sanitised lesson HTML must never contain.
var forbiddenTags = []string{"script", "iframe", "style", "frame", "object", "embed", "svg", "math",
	"form", "input", "button", "textarea", "link", "meta", "base", "template"}

// urlAttrs are attributes a browser follows as URLs.
var urlAttrs = []string{"href", "src", "srcset", "cite", "action", "formaction", "poster", "background",
	"xlink:href", "data"}

// checkSafeHTML fails on a forbidden element, an event-handler attribute or a javascript: URL.
func checkSafeHTML(t *testing.T, out string) {
	t.Helper()
	low := strings.ToLower(out)
	// Text is always escaped (&lt;), so a raw "<script" can only be a tag.
	for _, bad := range []string{"<script", "<iframe", "<style"} {
		if strings.Contains(low, bad) {
			t.Fatalf("%q survived sanitising:\n%s", bad, out)
		}
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		for _, bad := range forbiddenTags {
			if tok.Data == bad {
				t.Fatalf("<%s> survived sanitising:\n%s", bad, out)
			}
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				t.Fatalf("event attribute %s survived sanitising:\n%s", key, out)
			}
			switch tok.Data {
			case "img", "video", "audio", "track", "source":
				if (key == "src" && !mediaSrc.MatchString(a.Val)) || key == "srcset" || key == "poster" {
					t.Fatalf("%s=%q on <%s> survived sanitising:\n%s", key, a.Val, tok.Data, out)
				}
			}
			for _, u := range urlAttrs {
				if key == u && strings.Contains(browserURL(a.Val), "javascript:") {
					t.Fatalf("javascript: URL in %s survived sanitising:\n%s", key, out)
				}
			}
		}
	}
}

// browserURL lower-cases an (already entity-decoded) URL and drops the ASCII whitespace and
// control characters browsers ignore inside a scheme, so "java\tscript:" is caught too.
func browserURL(v string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(v) {
		if r > ' ' && r != 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzParseLesson parses arbitrary bytes as the lesson file 01-first-lesson.md: no panic, every
// error names the file and a line inside it, and an accepted lesson holds only valid values.
func FuzzParseLesson(f *testing.F) {
	addShippedContent(f, true)
	f.Fuzz(func(t *testing.T, data []byte) {
		l, errs := parseLesson(fuzzLessonFile, data)
		checkErrors(t, errs, fuzzLessonFile, data)
		if len(errs) > 0 {
			return
		}
		switch {
		case l.Slug != "first-lesson":
			t.Fatalf("accepted slug %q for file %s", l.Slug, fuzzLessonFile)
		case l.Title == "" || utf8.RuneCountInString(l.Title) > MaxTitleLen:
			t.Fatalf("accepted title %q", l.Title)
		case l.Minutes < MinMinutes || l.Minutes > MaxMinutes:
			t.Fatalf("accepted minutes %d", l.Minutes)
		case !utf8.ValidString(l.Markdown) || strings.TrimSpace(l.Markdown) == "":
			t.Fatalf("accepted body %q", l.Markdown)
		case l.Position != 1 || l.File != fuzzLessonFile:
			t.Fatalf("accepted lesson has position %d, file %q", l.Position, l.File)
		}
	})
}

// FuzzParseModule parses arbitrary bytes as modules/03-sample/module.yaml: no panic, every error
// names the file and a line inside it, and an accepted module holds only valid values.
func FuzzParseModule(f *testing.F) {
	addShippedContent(f, false)
	f.Fuzz(func(t *testing.T, data []byte) {
		m := ModuleSource{Dir: path.Dir(fuzzModuleFile)}
		errs := parseModuleYAML(&m, fuzzModuleFile, data, "sample")
		checkErrors(t, errs, fuzzModuleFile, data)
		if len(errs) > 0 {
			return
		}
		if m.Slug != "sample" || m.Title == "" || (m.Access != AccessFree && m.Access != AccessPremium) {
			t.Fatalf("accepted module slug %q, title %q, access %q", m.Slug, m.Title, m.Access)
		}
		if len(m.Competencies) == 0 || validateCompetencies("competencies", m.Competencies) != nil {
			t.Fatalf("accepted competencies %q", m.Competencies)
		}
	})
}

// checkErrors fails unless every error names file and a line from 0 (the whole file) to one past
// the file's last line (a missing part at its end). Lines end as YAML ends them: at \n, \r\n or
// a lone \r.
func checkErrors(t *testing.T, errs ContentErrors, file string, data []byte) {
	t.Helper()
	lines := 1 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n"))
	for _, e := range errs {
		if e.File != file {
			t.Fatalf("error names file %q, want %q: %v", e.File, file, e)
		}
		if e.Line < 0 || e.Line > lines+1 {
			t.Fatalf("error line %d is outside the %d-line file: %v", e.Line, lines, e)
		}
		if e.Message == "" || !strings.HasPrefix(e.Error(), file) {
			t.Fatalf("error lacks a message: %#v", e)
		}
	}
}

// FuzzImportDir parses a content tree built from fuzzed folder and file names and contents (one
// module folder with a module.yaml and two lessons) the way `rapport content import` does, short
// of the database: no panic, no read error, errors name files of the tree, accepted modules are
// complete, and parsing twice gives the same modules and hashes.
func FuzzImportDir(f *testing.F) {
	f.Add("03-sample", []byte(sampleModuleYAML), "01-first-lesson.md", []byte(sampleLesson), "02-second.md",
		[]byte(strings.Replace(sampleLesson, "slug: first-lesson", "slug: second", 1)))
	f.Fuzz(func(t *testing.T, dir string, module []byte, name1 string, lesson1 []byte, name2 string, lesson2 []byte) {
		fsys := fstest.MapFS{}
		add := func(name string, data []byte) {
			p := path.Join("modules", cleanName(dir), cleanName(name))
			if fs.ValidPath(p) && strings.Count(p, "/") == 2 {
				fsys[p] = &fstest.MapFile{Data: data}
			}
		}
		add("module.yaml", module)
		add(name1, lesson1)
		add(name2, lesson2)
		if len(fsys) == 0 {
			return
		}
		mods, errs, err := ParseContent(fsys)
		if err != nil {
			t.Fatalf("ParseContent: %v", err)
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.File, "modules/") || e.Message == "" {
				t.Fatalf("error does not name a file of the tree: %#v", e)
			}
		}
		for _, m := range mods {
			if m.Slug == "" || m.Title == "" || len(m.Lessons) == 0 || len(m.Hash) != 64 {
				t.Fatalf("incomplete module accepted: %+v", m)
			}
			for i, l := range m.Lessons {
				if i > 0 && m.Lessons[i-1].Position > l.Position {
					t.Fatalf("lessons out of order: %+v", m.Lessons)
				}
			}
		}
		again, errs2, err := ParseContent(fsys)
		if err != nil || len(again) != len(mods) || len(errs2) != len(errs) {
			t.Fatalf("parsing twice differs: %d/%d modules, %d/%d errors, %v", len(mods), len(again), len(errs), len(errs2), err)
		}
		for i := range mods {
			if mods[i].Hash != again[i].Hash {
				t.Fatalf("module hash is not stable: %s vs %s", mods[i].Hash, again[i].Hash)
			}
		}
	})
}

// cleanName makes a fuzzed name one path element ("/" cannot be part of a file name).
func cleanName(s string) string { return strings.ReplaceAll(s, "/", "_") }

const sampleModuleYAML = `slug: sample
title: A Sample Module
summary: What it teaches.
access: premium
order: 3
competencies:
  - job_diagnosis
  - social_awareness
`

const sampleLesson = `---
slug: first-lesson
title: The First Lesson
minutes: 6
---
Body text.

## Practice

Do it.
`
