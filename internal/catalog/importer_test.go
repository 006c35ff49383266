package catalog_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

const goodModuleYAML = `slug: sample
title: A Sample Module
summary: What it teaches.
access: premium
order: 3
competencies:
  - job_diagnosis
  - social_awareness
`

const goodLesson = `---
slug: first-lesson
title: The First Lesson
minutes: 6
---
Body text.

## Practice

Do it.
`

// sampleFS is a valid one-module content tree; edit replaces (or with "" removes) files.
func sampleFS(edit map[string]string) fstest.MapFS {
	files := map[string]string{
		"modules/03-sample/module.yaml":        goodModuleYAML,
		"modules/03-sample/01-first-lesson.md": goodLesson,
	}
	for k, v := range edit {
		files[k] = v
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		if v != "" {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
	}
	return fsys
}

func TestParseContentErrorsNameFileLineAndField(t *testing.T) {
	const lessonFile = "modules/03-sample/01-first-lesson.md"
	const yamlFile = "modules/03-sample/module.yaml"
	tests := []struct {
		name string
		edit map[string]string
		want string // the error's "file:line: field" prefix
	}{
		{"minutes out of range", map[string]string{lessonFile: strings.Replace(goodLesson, "minutes: 6", "minutes: 500", 1)}, lessonFile + ":4: minutes"},
		{"minutes not a number", map[string]string{lessonFile: strings.Replace(goodLesson, "minutes: 6", "minutes: six", 1)}, lessonFile + ":4: minutes"},
		{"minutes missing", map[string]string{lessonFile: strings.Replace(goodLesson, "minutes: 6\n", "", 1)}, lessonFile + ":2: minutes"},
		{"bad lesson slug", map[string]string{lessonFile: strings.Replace(goodLesson, "slug: first-lesson", "slug: First_Lesson", 1)}, lessonFile + ":2: slug"},
		{"lesson slug differs from file", map[string]string{lessonFile: strings.Replace(goodLesson, "slug: first-lesson", "slug: other", 1)}, lessonFile + ":2: slug"},
		{"empty title", map[string]string{lessonFile: strings.Replace(goodLesson, "title: The First Lesson", `title: ""`, 1)}, lessonFile + ":3: title"},
		{"unknown front matter field", map[string]string{lessonFile: strings.Replace(goodLesson, "minutes: 6", "minutes: 6\nauthor: me", 1)}, lessonFile + ":5: author"},
		{"empty body", map[string]string{lessonFile: "---\nslug: first-lesson\ntitle: T\nminutes: 3\n---\n\n  \n"}, lessonFile + ":6: body"},
		{"no front matter", map[string]string{lessonFile: "# Just markdown\n"}, lessonFile + ":1: front matter"},
		{"unterminated front matter", map[string]string{lessonFile: "---\nslug: first-lesson\n"}, lessonFile + ":1: front matter"},
		{"front matter syntax", map[string]string{lessonFile: "---\nslug: [oops\ntitle: x\n---\nbody\n"}, lessonFile + ":"},
		{"bad lesson file name", map[string]string{lessonFile: "", "modules/03-sample/first.md": goodLesson}, "modules/03-sample/first.md: file name"},
		{"bad module access", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "access: premium", "access: gold", 1)}, yamlFile + ":4: access"},
		{"unknown competency", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "  - social_awareness", "  - charisma", 1)}, yamlFile + ":8: competencies[1]"},
		{"duplicate competency", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "  - social_awareness", "  - job_diagnosis", 1)}, yamlFile + ":8: competencies[1]"},
		{"no competencies", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "competencies:\n  - job_diagnosis\n  - social_awareness\n", "", 1)}, yamlFile + ":1: competencies"},
		{"module slug too long", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "slug: sample", "slug: "+strings.Repeat("a", 61), 1)}, yamlFile + ":1: slug"},
		{"module slug differs from folder", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "slug: sample", "slug: other", 1)}, yamlFile + ":1: slug"},
		{"module title missing", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "title: A Sample Module\n", "", 1)}, yamlFile + ":1: title"},
		{"order not a number", map[string]string{yamlFile: strings.Replace(goodModuleYAML, "order: 3", "order: third", 1)}, yamlFile + ":5: order"},
		{"unknown module field", map[string]string{yamlFile: goodModuleYAML + "price: 10\n"}, yamlFile + ":9: price"},
		{"module.yaml missing", map[string]string{yamlFile: ""}, yamlFile + ": module.yaml"},
		{"no lessons", map[string]string{lessonFile: ""}, "modules/03-sample: lessons"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFirstContentError(t, tt.edit, tt.want) })
	}
	t.Run("valid sample parses", func(t *testing.T) {
		mods, errs, err := catalog.ParseContent(sampleFS(nil))
		if err != nil || len(errs) != 0 || len(mods) != 1 {
			t.Fatalf("mods=%v errs=%v err=%v", mods, errs, err)
		}
		m := mods[0]
		if m.Slug != "sample" || m.Order != 3 || m.Access != "premium" || len(m.Lessons) != 1 || m.Lessons[0].Minutes != 6 {
			t.Errorf("parsed %+v", m)
		}
	})
}

// words counts the words of Markdown prose: tokens holding at least one letter or digit.
func words(md string) int {
	n := 0
	for _, f := range strings.Fields(md) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

var h2RE = regexp.MustCompile(`(?m)^## +(.+)$`)

func TestShippedContentIsComplete(t *testing.T) {
	mods, errs, err := catalog.ParseContent(content.FS)
	if err != nil || len(errs) != 0 {
		t.Fatalf("shipped content has errors: %v %v", err, errs)
	}
	want := []string{"buyer-has-changed", "self-awareness", "self-management", "reading-buyers",
		"relationships-across-the-account", "diagnose-the-buying-job", "build-consensus", "leading-sellers",
		"pipeline-volume-and-quality", "worked-examples", "templates"}
	if len(mods) != len(want) {
		t.Fatalf("%d modules, want %d", len(mods), len(want))
	}
	for i, m := range mods {
		if m.Slug != want[i] {
			t.Errorf("module %d is %s, want %s", i+1, m.Slug, want[i])
		}
		if wantAccess := map[bool]string{true: "free", false: "premium"}[i == 0]; m.Access != wantAccess {
			t.Errorf("%s access = %s, want %s", m.Slug, m.Access, wantAccess)
		}
		if len(m.Lessons) < 3 || len(m.Lessons) > 5 {
			t.Errorf("%s has %d lessons, want 3-5", m.Slug, len(m.Lessons))
		}
		for _, l := range m.Lessons {
			if n := words(l.Markdown); n < 500 || n > 900 {
				t.Errorf("%s: %d words, want 500-900", l.File, n)
			}
			heads := h2RE.FindAllStringSubmatch(l.Markdown, -1)
			// The Sources a lesson credits may follow its Practice.
			if n := len(heads); n > 1 && heads[n-1][1] == "Sources" {
				heads = heads[:n-1]
			}
			if len(heads) == 0 || !strings.HasPrefix(heads[len(heads)-1][1], "Practice") {
				t.Errorf("%s does not end with a Practice section", l.File)
			}
		}
	}
}

func TestImport(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	versions := func(slug string) int {
		t.Helper()
		vs, err := a.Catalog.Versions(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}

	first, err := a.Catalog.Import(ctx, content.FS)
	if err != nil || len(first.Errors) != 0 || len(first.Modules) != 11 {
		t.Fatalf("shipped import: %+v, %v", first, err)
	}
	for _, m := range first.Modules {
		if m.Status == ingest.Updated || m.Version < 1 {
			t.Errorf("first import of %s: %+v", m.Slug, m)
		}
	}

	t.Run("second import of unchanged files creates no version", func(t *testing.T) {
		before := versions("self-awareness")
		rep, err := a.Catalog.Import(ctx, content.FS)
		if err != nil || len(rep.Errors) != 0 {
			t.Fatal(rep.Errors, err)
		}
		for _, m := range rep.Modules {
			if m.Status != ingest.Unchanged {
				t.Errorf("%s: %s, want unchanged", m.Slug, m.Status)
			}
		}
		if after := versions("self-awareness"); after != before {
			t.Errorf("versions %d → %d", before, after)
		}
	})

	dir := t.TempDir()
	if err := os.CopyFS(dir, content.FS); err != nil {
		t.Fatal(err)
	}
	lesson := filepath.Join(dir, "modules/02-self-awareness/01-naming-emotions.md")

	t.Run("a changed lesson file publishes a new version of its module only", func(t *testing.T) {
		before := versions("self-awareness")
		appendFile(t, lesson, "\nA sentence added by the test, marker-7f3a.\n")
		rep, err := a.Catalog.Import(ctx, os.DirFS(dir))
		if err != nil || len(rep.Errors) != 0 {
			t.Fatal(rep.Errors, err)
		}
		for _, m := range rep.Modules {
			switch {
			case m.Slug == "self-awareness" && (m.Status != ingest.Updated || m.Version != before+1):
				t.Errorf("self-awareness: %+v, want updated v%d", m, before+1)
			case m.Slug != "self-awareness" && m.Status != ingest.Unchanged:
				t.Errorf("%s: %s, want unchanged", m.Slug, m.Status)
			}
		}
		admin := MustToken(t, a, "admin")
		body := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/self-awareness/lessons/naming-emotions", Token: admin}).Want(200).Body.String()
		if !strings.Contains(body, "marker-7f3a") {
			t.Errorf("the learner does not see the changed lesson: %.600s", body)
		}
	})

	t.Run("a removed lesson file is soft-deleted and keeps its id", func(t *testing.T) {
		_, drafts, _ := a.Catalog.StudioModule(ctx, "self-management")
		gone := drafts[len(drafts)-1]
		path := filepath.Join(dir, "modules/03-self-management", "04-"+gone.Slug+".md")
		saved, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(path)
		if _, err := a.Catalog.Import(ctx, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/self-management/lessons/" + gone.Slug}).Want(404)
		admin := MustToken(t, a, "admin")
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/self-management/lessons/" + gone.Slug, Token: admin}).Want(404)
		if err := os.WriteFile(path, saved, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Catalog.Import(ctx, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		back, err := a.Catalog.DraftLesson(ctx, "self-management", gone.Slug)
		if err != nil || back.ID != gone.ID {
			t.Errorf("restored lesson id = %q (%v), want %q", back.ID, err, gone.ID)
		}
	})

	t.Run("a module with an error imports nothing", func(t *testing.T) {
		slug := uniqueSlug("broken")
		fsys := fstest.MapFS{
			"modules/09-" + slug + "/module.yaml":        {Data: []byte(strings.Replace(goodModuleYAML, "slug: sample", "slug: "+slug, 1))},
			"modules/09-" + slug + "/01-first-lesson.md": {Data: []byte(goodLesson)},
			"modules/09-" + slug + "/02-second.md":       {Data: []byte("---\nslug: second\ntitle: Two\nminutes: 0\n---\nbody\n")},
		}
		rep, err := a.Catalog.Import(ctx, fsys)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Modules) != 0 || len(rep.Errors) != 1 || rep.Errors[0].Error() != "modules/09-"+slug+"/02-second.md:4: minutes: Choose between 1 and 120 minutes." {
			t.Fatalf("report = %+v", rep)
		}
		if _, _, err := a.Catalog.StudioModule(ctx, slug); err == nil {
			t.Error("the broken module was created")
		}
	})
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
