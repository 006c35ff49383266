package catalog_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/migrations"
)

// versionBody is GET /api/v1/studio/modules/{slug}/versions/{version}.
type versionBody struct {
	Version      int      `json:"version"`
	PublishedBy  *string  `json:"published_by"`
	LessonCount  int      `json:"lesson_count"`
	Slug         string   `json:"slug"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Access       string   `json:"access"`
	Competencies []string `json:"competencies"`
	Minutes      int      `json:"minutes"`
	Lessons      []struct {
		ID       string  `json:"id"`
		Slug     string  `json:"slug"`
		Title    string  `json:"title"`
		Minutes  int     `json:"minutes"`
		Markdown *string `json:"markdown"`
		HTML     string  `json:"html"`
	} `json:"lessons"`
}

func TestStudioVersionAccessAndNotFound(t *testing.T) {
	a := apptest.New(t, nil)
	p := MustPeople(t, a)
	published := MustModule(t, a, "premium", 2, true)
	draft := MustModule(t, a, "free", 1, false)
	path := func(slug, v string) string { return "/api/v1/studio/modules/" + slug + "/versions/" + v }
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"anonymous", path(published, "1"), "", 401},
		{"learner", path(published, "1"), p.Learner, 403},
		{"instructor", path(published, "1"), p.Instructor, 200},
		{"admin", path(published, "1"), p.Admin, 200},
		{"version not published yet", path(published, "2"), p.Instructor, 404},
		{"never published module", path(draft, "1"), p.Instructor, 404},
		{"unknown module", path("no-such-module", "1"), p.Instructor, 404},
		{"version zero", path(published, "0"), p.Instructor, 404},
		{"negative version", path(published, "-1"), p.Instructor, 404},
		{"version not a number", path(published, "latest"), p.Instructor, 404},
		{"version with a fraction", path(published, "1.5"), p.Instructor, 404},
		{"version beyond int", path(published, "99999999999999999999"), p.Instructor, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: "GET", Path: tt.path, Token: tt.token}).Want(tt.want)
			if tt.want >= 400 {
				wantProblem(t, r, "")
			}
			if tt.want == 404 {
				detail, _ := r.JSON()["detail"].(string)
				if !strings.HasSuffix(detail, ".") || detail[0] < 'A' || detail[0] > 'Z' {
					t.Errorf("detail %q is not a sentence", detail)
				}
			}
		})
	}
}

// TestStudioVersionIsTheSnapshot edits the drafts after publishing and checks that the version
// still answers what was published, Markdown and HTML, while the drafts have moved on.
func TestStudioVersionIsTheSnapshot(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	mod := MustModule(t, a, "free", 2, false)
	studio := "/api/v1/studio/modules/" + mod
	var me struct {
		ID string `json:"id"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: ins}).Want(200).Decode(&me)
	a.Do(apptest.Request{Method: "POST", Path: studio + "/publish", Token: ins}).Want(201)

	a.Do(apptest.Request{Method: "PUT", Path: studio, Token: ins, Body: map[string]any{"title": "Renamed", "access": "premium"}}).Want(200)
	a.Do(apptest.Request{Method: "PUT", Path: studio + "/lessons/l1", Token: ins, Body: map[string]any{"markdown": "## Rewritten\n\nNew words."}}).Want(200)
	a.Do(apptest.Request{Method: "DELETE", Path: studio + "/lessons/l2", Token: ins}).Want(204)
	a.Do(apptest.Request{Method: "POST", Path: studio + "/lessons", Token: ins,
		Body: map[string]any{"slug": "l9", "title": "Added later", "minutes": 3, "markdown": "Later."}}).Want(201)

	var v versionBody
	a.Do(apptest.Request{Method: "GET", Path: studio + "/versions/1", Token: ins}).Want(200).Decode(&v)
	if v.Version != 1 || v.Slug != mod || v.Title != "Module "+mod || v.Access != "free" || v.LessonCount != 2 ||
		v.Minutes != 10 || len(v.Competencies) != 1 || v.Competencies[0] != "self_awareness" {
		t.Errorf("module fields = %+v, want the published ones", v)
	}
	if v.PublishedBy == nil || *v.PublishedBy != me.ID {
		t.Errorf("published_by = %v, want the instructor %s", v.PublishedBy, me.ID)
	}
	if len(v.Lessons) != 2 {
		t.Fatalf("%d lessons, want the 2 published", len(v.Lessons))
	}
	for i, l := range v.Lessons {
		want := lessonBody([]string{"lesson 1", "lesson 2"}[i])
		if l.Markdown == nil || *l.Markdown != want {
			t.Errorf("lesson %s markdown = %v, want %q", l.Slug, l.Markdown, want)
		}
		if !strings.Contains(l.HTML, "<h2") || strings.Contains(l.HTML, "Rewritten") {
			t.Errorf("lesson %s html = %q, want the published rendering", l.Slug, l.HTML)
		}
	}

	// The drafts' lesson ids are the version's: that is how the studio compares them.
	var d struct {
		Lessons []struct {
			ID   string `json:"id"`
			Slug string `json:"slug"`
		} `json:"lessons"`
	}
	a.Do(apptest.Request{Method: "GET", Path: studio, Token: ins}).Want(200).Decode(&d)
	if len(d.Lessons) != 2 || d.Lessons[0].ID != v.Lessons[0].ID || d.Lessons[1].Slug != "l9" {
		t.Errorf("drafts = %+v, want l1 (same id as in v1) and l9", d.Lessons)
	}

	a.Do(apptest.Request{Method: "POST", Path: studio + "/publish", Token: ins}).Want(201)
	var v2 versionBody
	a.Do(apptest.Request{Method: "GET", Path: studio + "/versions/2", Token: ins}).Want(200).Decode(&v2)
	if v2.Title != "Renamed" || v2.Access != "premium" || len(v2.Lessons) != 2 || *v2.Lessons[0].Markdown != "## Rewritten\n\nNew words." {
		t.Errorf("v2 = %+v", v2)
	}
	a.Do(apptest.Request{Method: "GET", Path: studio + "/versions/1", Token: ins}).Want(200).Decode(&v)
	if v.Title != "Module "+mod || len(v.Lessons) != 2 || v.Lessons[1].Slug != "l2" {
		t.Errorf("v1 changed after v2 was published: %+v", v)
	}
}

// TestStudioVersionQueryCount: reading a version costs the same whatever its number of lessons.
func TestStudioVersionQueryCount(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	small, large := MustModule(t, a, "free", 1, true), MustModule(t, a, "free", 15, true)
	qc := countQueries(t, a.DB.Gorm)
	count := func(slug string) int {
		return qc.during(func() {
			a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + slug + "/versions/1", Token: ins}).Want(200)
		})
	}
	n1, n15 := count(small), count(large)
	t.Logf("GET .../versions/1: %d queries with 1 lesson, %d with 15", n1, n15)
	if n1 != n15 || n15 > 5 {
		t.Errorf("queries: %d with 1 lesson, %d with 15; want the same small number", n1, n15)
	}
}

// TestVersionMarkdownBackfill checks the migration's rule on a version published before the
// Markdown was kept: lessons untouched since then get it back, edited ones stay unknown (null).
func TestVersionMarkdownBackfill(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	mod := MustModule(t, a, "free", 2, true)
	ctx := context.Background()
	if err := a.DB.Gorm.WithContext(ctx).Exec(`UPDATE lessons SET markdown = 'edited', updated_at = now() + interval '1 hour'
		WHERE slug = 'l2' AND module_id = (SELECT id FROM modules WHERE slug = ?)`, mod).Error; err != nil {
		t.Fatal(err)
	}
	// Forget this module's Markdown as an old version would have, then run the migration's own
	// fill-in statement on it.
	fill := migrationStatement(t, "20261205160000_lesson_versions_markdown.sql", "UPDATE lesson_versions lv")
	mine := ` AND lv.module_version_id IN (SELECT v.id FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = @mod)`
	steps := []string{
		`ALTER TABLE lesson_versions DISABLE TRIGGER lesson_versions_immutable`,
		`UPDATE lesson_versions lv SET markdown = NULL WHERE true` + mine,
		fill + mine,
		`ALTER TABLE lesson_versions ENABLE TRIGGER lesson_versions_immutable`,
	}
	err := a.DB.Tx(ctx, func(tx *gorm.DB) error {
		for _, q := range steps {
			var args []any
			if strings.Contains(q, "@mod") {
				args = append(args, map[string]any{"mod": mod})
			}
			if err := tx.Exec(q, args...).Error; err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var v versionBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + mod + "/versions/1", Token: ins}).Want(200).Decode(&v)
	if v.Lessons[0].Markdown == nil || *v.Lessons[0].Markdown != lessonBody("lesson 1") {
		t.Errorf("untouched lesson markdown = %v, want it filled in", v.Lessons[0].Markdown)
	}
	if v.Lessons[1].Markdown != nil {
		t.Errorf("edited lesson markdown = %q, want null (unknown)", *v.Lessons[1].Markdown)
	}
}

// migrationStatement returns the statement of a migration file that starts with prefix, without
// its closing semicolon.
func migrationStatement(tb testing.TB, file, prefix string) string {
	tb.Helper()
	b, err := fs.ReadFile(migrations.FS, file)
	if err != nil {
		tb.Fatal(err)
	}
	src := string(b)
	i := strings.Index(src, prefix)
	if i < 0 {
		tb.Fatalf("%s has no statement starting %q", file, prefix)
	}
	end := strings.Index(src[i:], ";")
	return src[i : i+end]
}
