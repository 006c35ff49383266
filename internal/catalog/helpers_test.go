package catalog_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// people are the callers of an access matrix: their bearer tokens ("" is anonymous).
type people struct {
	Learner, Instructor, Admin string
}

// MustPeople creates a learner, an instructor and an admin and signs each in.
func MustPeople(tb testing.TB, a *apptest.App) people {
	tb.Helper()
	return people{
		Learner:    MustToken(tb, a, "learner"),
		Instructor: MustToken(tb, a, "instructor"),
		Admin:      MustToken(tb, a, "admin"),
	}
}

// MustToken creates a verified user holding role and returns an access token from a real login.
func MustToken(tb testing.TB, a *apptest.App, role string) string {
	tb.Helper()
	return a.NewUser(tb, role, role).Token
}

// uniqueSlug returns a fresh module slug, since every test of the package shares one database.
func uniqueSlug(prefix string) string { return prefix + "-" + randomSuffix() }

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// lessonBody is valid lesson Markdown with a recognisable marker.
func lessonBody(marker string) string {
	return "## " + marker + "\n\nSome text about " + marker + ".\n\n## Practice\n\nTry it.\n"
}

// MustModule creates a module with n lessons (slugs l1..ln) through the service and, when
// publish is set, publishes it. It returns the module slug.
func MustModule(tb testing.TB, a *apptest.App, access string, n int, publish bool) string {
	tb.Helper()
	ctx := context.Background()
	slug := uniqueSlug("mod")
	title := "Module " + slug
	if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: &slug, Title: &title, Access: &access,
		Competencies: []string{"self_awareness"}}); err != nil {
		tb.Fatalf("create module: %v", err)
	}
	for i := 1; i <= n; i++ {
		ls, lt, md, minutes := fmt.Sprintf("l%d", i), fmt.Sprintf("Lesson %d", i), lessonBody(fmt.Sprintf("lesson %d", i)), 5
		if _, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: &ls, Title: &lt, Minutes: &minutes, Markdown: &md}); err != nil {
			tb.Fatalf("create lesson: %v", err)
		}
	}
	if publish {
		if _, err := a.Catalog.Publish(ctx, slug, ""); err != nil {
			tb.Fatalf("publish: %v", err)
		}
	}
	return slug
}

// moduleSlugs returns the slugs of GET /api/v1/modules.
func moduleSlugs(tb testing.TB, a *apptest.App, token string) []string {
	tb.Helper()
	var out struct {
		Modules []struct {
			Slug string `json:"slug"`
		} `json:"modules"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules", Token: token}).Want(200).Decode(&out)
	slugs := make([]string, len(out.Modules))
	for i, m := range out.Modules {
		slugs[i] = m.Slug
	}
	return slugs
}

// wantProblem checks a problem+json response names the given field (when field is not "").
func wantProblem(tb testing.TB, r *apptest.Response, field string) {
	tb.Helper()
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		tb.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	if field != "" && !strings.Contains(r.Body.String(), `"field":"`+field+`"`) {
		tb.Errorf("problem does not name field %q: %s", field, r.Body.String())
	}
}
