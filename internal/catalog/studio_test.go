package catalog_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

func TestStudioValidation(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	mod := MustModule(t, a, "free", 1, false)
	empty := MustModule(t, a, "free", 0, false)
	studio := "/api/v1/studio/modules"
	newModule := func(k string, v any) map[string]any {
		m := map[string]any{"slug": uniqueSlug("v"), "title": "T", "access": "free", "competencies": []string{}}
		m[k] = v
		return m
	}
	newLesson := func(k string, v any) map[string]any {
		m := map[string]any{"slug": "x" + randomSuffix(), "title": "T", "minutes": 5, "markdown": "text"}
		m[k] = v
		return m
	}
	tests := []struct {
		name, method, path string
		body               any
		want               int
		field              string
	}{
		{"module slug uppercase", "POST", studio, newModule("slug", "Bad-Slug"), 422, "slug"},
		{"module slug with space", "POST", studio, newModule("slug", "bad slug"), 422, "slug"},
		{"module slug leading dash", "POST", studio, newModule("slug", "-bad"), 422, "slug"},
		{"module slug double dash", "POST", studio, newModule("slug", "bad--slug"), 422, "slug"},
		{"module slug too long", "POST", studio, newModule("slug", strings.Repeat("a", 61)), 422, "slug"},
		{"module slug script", "POST", studio, newModule("slug", "<script>"), 422, "slug"},
		{"module slug missing", "POST", studio, map[string]any{"title": "T", "access": "free"}, 422, "slug"},
		{"module title blank", "POST", studio, newModule("title", "   "), 422, "title"},
		{"module access", "POST", studio, newModule("access", "gold"), 422, "access"},
		{"module competency", "POST", studio, newModule("competencies", []string{"charisma"}), 422, "competencies[0]"},
		{"module wrong type", "POST", studio, newModule("title", 5), 422, "title"},
		{"module unknown field", "POST", studio, newModule("colour", "red"), 422, "colour"},
		{"module duplicate slug", "POST", studio, newModule("slug", mod), 409, "slug"},
		{"module slug change", "PUT", studio + "/" + mod, map[string]any{"slug": "renamed"}, 422, "slug"},
		{"module update ok", "PUT", studio + "/" + mod, map[string]any{"slug": mod, "title": "New title", "access": "premium"}, 200, ""},
		{"lesson slug", "POST", studio + "/" + mod + "/lessons", newLesson("slug", "Nope!"), 422, "slug"},
		{"lesson minutes zero", "POST", studio + "/" + mod + "/lessons", newLesson("minutes", 0), 422, "minutes"},
		{"lesson minutes too many", "POST", studio + "/" + mod + "/lessons", newLesson("minutes", 121), 422, "minutes"},
		{"lesson markdown too large", "POST", studio + "/" + mod + "/lessons", newLesson("markdown", strings.Repeat("a", 200<<10+1)), 422, "markdown"},
		{"lesson duplicate slug", "POST", studio + "/" + mod + "/lessons", newLesson("slug", "l1"), 409, "slug"},
		{"lesson of unknown module", "POST", studio + "/no-such-module/lessons", newLesson("slug", "a"), 404, ""},
		{"lesson update bad minutes", "PUT", studio + "/" + mod + "/lessons/l1", map[string]any{"minutes": -1}, 422, "minutes"},
		{"publish without lessons", "POST", studio + "/" + empty + "/publish", nil, 422, "lessons"},
		{"unpublish a draft", "POST", studio + "/" + empty + "/unpublish", nil, 409, ""},
		{"preview too large", "POST", "/api/v1/studio/preview", map[string]any{"markdown": strings.Repeat("a", 200<<10+1)}, 413, ""},
		{"preview ok", "POST", "/api/v1/studio/preview", map[string]any{"markdown": "# Hi\n\n<script>x</script>"}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: tt.method, Path: tt.path, Body: tt.body, Token: ins}).Want(tt.want)
			if tt.want >= 400 {
				wantProblem(t, r, tt.field)
			}
		})
	}
	t.Run("preview renders as publish does", func(t *testing.T) {
		md := "## Heading\n\n| a |\n|---|\n| b |\n\n[x](javascript:alert(1))"
		html := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/preview", Body: map[string]any{"markdown": md}, Token: ins}).Want(200).JSON()["html"].(string)
		want, _ := a.Catalog.Preview(context.Background(), md)
		if html != want || !strings.Contains(html, `<h2 id="heading">`) || strings.Contains(html, "javascript") {
			t.Errorf("preview = %q", html)
		}
	})
	t.Run("studio list shows state and lesson counts", func(t *testing.T) {
		var out struct {
			Modules []struct {
				Slug, State, Status string
				LessonCount         int `json:"lesson_count"`
			} `json:"modules"`
		}
		a.Do(apptest.Request{Method: "GET", Path: studio, Token: ins}).Want(200).Decode(&out)
		for _, m := range out.Modules {
			if m.Slug == mod && (m.State != "draft" || m.LessonCount != 1) {
				t.Errorf("%+v", m)
			}
		}
	})
}

func TestConcurrentPublishesYieldConsistentVersions(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	for round := 0; round < 5; round++ {
		mod := MustModule(t, a, "free", 5, false)
		var wg sync.WaitGroup
		versions := make([]int, 2)
		for i := range versions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var out struct{ Version int }
				a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + mod + "/publish", Token: ins}).Want(201).Decode(&out)
				versions[i] = out.Version
			}()
		}
		wg.Wait()
		sort.Ints(versions)
		if versions[0] != 1 || versions[1] != 2 {
			t.Fatalf("round %d: versions %v, want [1 2]", round, versions)
		}
		var rows []struct {
			Version     int
			LessonCount int
			Lessons     int
			Slugs       string
		}
		err := a.DB.Gorm.Raw(`
			SELECT v.version, v.lesson_count, count(l.lesson_id) AS lessons, string_agg(l.slug, ',' ORDER BY l.position) AS slugs
			FROM module_versions v JOIN modules m ON m.id = v.module_id
			LEFT JOIN lesson_versions l ON l.module_version_id = v.id
			WHERE m.slug = ? GROUP BY v.version, v.lesson_count ORDER BY v.version`, mod).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("round %d: %d versions stored", round, len(rows))
		}
		for _, r := range rows {
			if r.LessonCount != 5 || r.Lessons != 5 || r.Slugs != "l1,l2,l3,l4,l5" {
				t.Errorf("round %d: version %d is inconsistent: %+v", round, r.Version, r)
			}
		}
	}
}

// queryCounter counts the SQL statements GORM runs on one app's handle while enabled.
type queryCounter struct {
	on atomic.Bool
	n  atomic.Int64
}

func countQueries(t *testing.T, g *gorm.DB) *queryCounter {
	t.Helper()
	qc := &queryCounter{}
	count := func(*gorm.DB) {
		if qc.on.Load() {
			qc.n.Add(1)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", count),
		cb.Row().After("gorm:row").Register("test:count_row", count),
		cb.Raw().After("gorm:raw").Register("test:count_raw", count),
		cb.Create().After("gorm:create").Register("test:count_create", count),
		cb.Update().After("gorm:update").Register("test:count_update", count),
		cb.Delete().After("gorm:delete").Register("test:count_delete", count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return qc
}

func (qc *queryCounter) during(fn func()) int {
	qc.n.Store(0)
	qc.on.Store(true)
	fn()
	qc.on.Store(false)
	return int(qc.n.Load())
}

func TestCatalogQueryCount(t *testing.T) {
	a := apptest.New(t, nil)
	var slugs []string
	for i := 0; i < 30; i++ {
		slugs = append(slugs, MustModule(t, a, "free", 2, true))
	}
	qc := countQueries(t, a.DB.Gorm)
	var listed int
	n := qc.during(func() {
		listed = len(moduleSlugs(t, a, ""))
	})
	if listed < 30 {
		t.Fatalf("catalog lists %d modules, want at least 30", listed)
	}
	t.Logf("GET /api/v1/modules with %d modules: %d queries", listed, n)
	if n < 1 || n > 2 {
		t.Errorf("catalog list ran %d queries, want 1-2", n)
	}
	n = qc.during(func() {
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slugs[7]}).Want(200)
	})
	t.Logf("GET /api/v1/modules/{slug}: %d queries", n)
	if n > 2 {
		t.Errorf("module detail ran %d queries, want at most 2", n)
	}
	n = qc.during(func() {
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slugs[7] + "/lessons/l2"}).Want(200)
	})
	t.Logf("GET /api/v1/modules/{slug}/lessons/{lesson} (free): %d queries", n)
	if n != 1 {
		t.Errorf("free lesson read ran %d queries, want 1", n)
	}
}

func TestPublishedVersionsAreImmutable(t *testing.T) {
	a := apptest.New(t, nil)
	mod := MustModule(t, a, "free", 1, true)
	for _, q := range []string{
		`UPDATE module_versions SET title = 'changed' WHERE slug = ?`,
		`UPDATE lesson_versions SET html = 'changed' WHERE module_version_id IN (SELECT id FROM module_versions WHERE slug = ?)`,
	} {
		if err := a.DB.Gorm.Exec(q, mod).Error; err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s: err = %v, want the immutability trigger", q, err)
		}
	}
}
