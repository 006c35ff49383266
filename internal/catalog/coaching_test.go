package catalog_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
)

// coachingBody is GET /api/v1/modules/{slug}/coaching.
type coachingBody struct {
	ModuleSlug string `json:"module_slug"`
	Title      string `json:"title"`
	HTML       string `json:"html"`
}

// mustManager creates a signed-in user who manages a team (created through the API).
func mustManager(tb testing.TB, a *apptest.App) string {
	tb.Helper()
	u := a.NewUser(tb, "manager", "")
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams", Token: u.Token, Body: map[string]string{"name": "Coached team"}}).Want(201)
	return u.Token
}

// setCoaching writes a module's guide through the studio API and publishes it.
func setCoaching(tb testing.TB, a *apptest.App, ins, slug, md string) {
	tb.Helper()
	a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/studio/modules/" + slug, Token: ins, Body: map[string]string{"coaching": md}}).Want(200)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + slug + "/publish", Token: ins}).Want(201)
}

func TestCoachingAccess(t *testing.T) {
	a := apptest.New(t, nil)
	p := MustPeople(t, a)
	manager := mustManager(t, a)
	premium := MustModule(t, a, "premium", 1, true)
	setCoaching(t, a, p.Instructor, premium, "## What good looks like\n\nReps ask one more question.\n")
	noGuide := MustModule(t, a, "free", 1, true)
	draftOnly := MustModule(t, a, "free", 1, false)
	a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/studio/modules/" + draftOnly, Token: p.Instructor,
		Body: map[string]string{"coaching": "Not yet published."}}).Want(200)
	path := func(slug string) string { return "/api/v1/modules/" + slug + "/coaching" }
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"anonymous", path(premium), "", 401},
		{"plain learner (not revealed)", path(premium), p.Learner, 404},
		{"manager without a premium entitlement", path(premium), manager, 200},
		{"instructor", path(premium), p.Instructor, 200},
		{"admin", path(premium), p.Admin, 200},
		{"module without a guide", path(noGuide), manager, 404},
		{"guide only in the drafts", path(draftOnly), manager, 404},
		{"unknown module", path("no-such-module"), manager, 404},
		{"plain learner, unknown module", path("no-such-module"), p.Learner, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: "GET", Path: tt.path, Token: tt.token}).Want(tt.want)
			if tt.want != 200 {
				wantProblem(t, r, "")
				return
			}
			var g coachingBody
			r.Decode(&g)
			if g.ModuleSlug != premium || g.Title != "Module "+premium || !strings.Contains(g.HTML, "<h2") ||
				!strings.Contains(g.HTML, "Reps ask one more question.") {
				t.Errorf("guide = %+v", g)
			}
		})
	}
	// The learner's 404 reads exactly like a module without a guide: nothing is revealed.
	asLearner := a.Do(apptest.Request{Method: "GET", Path: path(premium), Token: p.Learner}).Want(404).JSON()["detail"]
	missing := a.Do(apptest.Request{Method: "GET", Path: path(noGuide), Token: manager}).Want(404).JSON()["detail"]
	if asLearner != missing {
		t.Errorf("learner's 404 %q differs from a missing guide's %q", asLearner, missing)
	}
}

func TestCoachingIsSanitised(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	manager := mustManager(t, a)
	slug := MustModule(t, a, "free", 1, true)
	setCoaching(t, a, ins, slug, "Hello <script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n[ok](https://example.com)\n")
	var g coachingBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug + "/coaching", Token: manager}).Want(200).Decode(&g)
	for _, bad := range []string{"<script", "javascript:", "onerror", "<img"} {
		if strings.Contains(g.HTML, bad) {
			t.Errorf("guide HTML keeps %q: %s", bad, g.HTML)
		}
	}
	if !strings.Contains(g.HTML, `rel="nofollow noopener"`) {
		t.Errorf("links lack the fixed rel: %s", g.HTML)
	}
}

func TestCoachingValidation(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	slug := MustModule(t, a, "free", 1, false)
	put := func(body any) *apptest.Response {
		return a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/studio/modules/" + slug, Token: ins, Body: body})
	}
	wantProblem(t, put(map[string]string{"coaching": strings.Repeat("a", catalog.MaxCoachingBytes+1)}).Want(422), "coaching")
	wantProblem(t, put(map[string]any{"coaching": nil}).Want(422), "coaching")
	var m struct {
		Coaching string `json:"coaching"`
	}
	put(map[string]string{"coaching": "  " + strings.Repeat("a", catalog.MaxCoachingBytes) + "\n\n"}).Want(200)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + slug, Token: ins}).Want(200).Decode(&m)
	if len(m.Coaching) != catalog.MaxCoachingBytes+1 {
		t.Errorf("stored guide is %d bytes, want the trimmed text and one newline", len(m.Coaching))
	}
	put(map[string]string{"coaching": "   "}).Want(200)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + slug, Token: ins}).Want(200).Decode(&m)
	if m.Coaching != "" {
		t.Errorf("blank guide stored as %q, want it removed", m.Coaching)
	}
}

// TestCoachingVersioned publishes a guide, then a changed guide, then removes it: each version
// keeps the guide it was published with, and managers read the current version's.
func TestCoachingVersioned(t *testing.T) {
	a := apptest.New(t, nil)
	ins := MustToken(t, a, "instructor")
	manager := mustManager(t, a)
	slug := MustModule(t, a, "free", 1, true) // v1: no guide
	setCoaching(t, a, ins, slug, "First guide.")
	setCoaching(t, a, ins, slug, "Second guide.")
	guide := func() string {
		var g coachingBody
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug + "/coaching", Token: manager}).Want(200).Decode(&g)
		return g.HTML
	}
	if h := guide(); !strings.Contains(h, "Second guide.") {
		t.Errorf("current guide = %q", h)
	}
	version := func(n string) (md, html *string) {
		var v struct {
			Markdown *string `json:"coaching_markdown"`
			HTML     *string `json:"coaching_html"`
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + slug + "/versions/" + n, Token: ins}).Want(200).Decode(&v)
		return v.Markdown, v.HTML
	}
	if md, html := version("1"); md != nil || html != nil {
		t.Errorf("v1 had no guide, got %v %v", md, html)
	}
	if md, html := version("2"); md == nil || *md != "First guide.\n" || html == nil || !strings.Contains(*html, "First guide.") {
		t.Errorf("v2 lost its guide: %v %v", md, html)
	}
	if md, _ := version("3"); md == nil || *md != "Second guide.\n" {
		t.Errorf("v3 guide = %v", md)
	}
	// Editing the draft changes nothing for managers until the next publish.
	a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/studio/modules/" + slug, Token: ins, Body: map[string]string{"coaching": "Draft only."}}).Want(200)
	if h := guide(); !strings.Contains(h, "Second guide.") {
		t.Errorf("draft edit leaked to managers: %q", h)
	}
	setCoaching(t, a, ins, slug, "")
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug + "/coaching", Token: manager}).Want(404)
	if md, _ := version("3"); md == nil || *md != "Second guide.\n" {
		t.Errorf("removing the guide rewrote v3: %v", md)
	}
}

// TestImportCoaching imports a module with coaching.md, then a changed guide: the new version has
// the new guide and the old version keeps its own; a module without coaching.md has none.
func TestImportCoaching(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	ins := MustToken(t, a, "instructor")
	manager := mustManager(t, a)
	slug := "sample"
	dir := "modules/03-sample/"
	rep, err := a.Catalog.Import(ctx, sampleFS(map[string]string{dir + "coaching.md": "## Team discussion\n\nWhat did the buyer say next?\n"}))
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	var g coachingBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug + "/coaching", Token: manager}).Want(200).Decode(&g)
	if !strings.Contains(g.HTML, "What did the buyer say next?") {
		t.Errorf("imported guide = %q", g.HTML)
	}
	// coaching.md is not a lesson.
	var mod struct {
		Lessons []struct{ Slug string } `json:"lessons"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug, Token: manager}).Want(200).Decode(&mod)
	if len(mod.Lessons) != 1 {
		t.Errorf("lessons = %+v, want the one lesson", mod.Lessons)
	}
	v1 := versionOf(t, a, ins, slug)
	if _, err := a.Catalog.Import(ctx, sampleFS(map[string]string{dir + "coaching.md": "Changed guide.\n"})); err != nil {
		t.Fatal(err)
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug + "/coaching", Token: manager}).Want(200).Decode(&g)
	if !strings.Contains(g.HTML, "Changed guide.") {
		t.Errorf("re-imported guide = %q", g.HTML)
	}
	var old struct {
		Markdown *string `json:"coaching_markdown"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + slug + "/versions/" + v1, Token: ins}).Want(200).Decode(&old)
	if old.Markdown == nil || !strings.Contains(*old.Markdown, "What did the buyer say next?") {
		t.Errorf("the old version lost its guide: %v", old.Markdown)
	}
	// Deleting coaching.md publishes a version without a guide.
	if _, err := a.Catalog.Import(ctx, sampleFS(nil)); err != nil {
		t.Fatal(err)
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + slug + "/coaching", Token: manager}).Want(404)
}

func versionOf(tb testing.TB, a *apptest.App, ins, slug string) string {
	tb.Helper()
	var m struct {
		Version int `json:"version"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/modules/" + slug, Token: ins}).Want(200).Decode(&m)
	return strconv.Itoa(m.Version)
}

func TestParseCoachingErrors(t *testing.T) {
	const file = "modules/03-sample/coaching.md"
	for name, body := range map[string]string{
		"empty":     "  \n\n",
		"too long":  strings.Repeat("a", catalog.MaxCoachingBytes+1),
		"not UTF-8": "caf\xe9",
	} {
		t.Run(name, func(t *testing.T) {
			mods, errs, err := catalog.ParseContent(sampleFS(map[string]string{file: body}))
			if err != nil {
				t.Fatal(err)
			}
			if len(mods) != 0 || len(errs) != 1 || errs[0].File != file || errs[0].Field != "coaching" {
				t.Errorf("mods %d, errs %v", len(mods), errs)
			}
		})
	}
}

// TestShippedCoachingGuides holds the shipped guides to their brief: every module of the course
// has one, and every guide fits one page (about 300-450 words), names the manager's sections and
// renders without raw HTML.
func TestShippedCoachingGuides(t *testing.T) {
	mods, errs, err := catalog.ParseContent(content.FS)
	if err != nil || len(errs) != 0 {
		t.Fatalf("shipped content has errors: %v %v", err, errs)
	}
	guides := map[string]string{}
	for _, m := range mods {
		if m.Coaching != "" {
			guides[m.Dir+"/coaching.md"] = m.Coaching
		} else {
			t.Errorf("%s has no coaching.md", m.Dir)
		}
	}
	r := catalog.NewRenderer()
	for file, md := range guides {
		if n := len(strings.Fields(md)); n < 280 || n > 470 {
			t.Errorf("%s has %d words; a one-page guide has about 300-450", file, n)
		}
		for _, section := range []string{"## What good looks like", "## Team discussion questions", "## 1:1 prompts", "## Recognise it when you see it"} {
			if !strings.Contains(md, section) {
				t.Errorf("%s has no %q section", file, section)
			}
		}
		for _, word := range []string{"**empower**", "**direct**", "**care**"} {
			if !strings.Contains(md, word) {
				t.Errorf("%s does not tie recognition to %s", file, word)
			}
		}
		html, err := r.Render(md, nil)
		if err != nil || strings.Contains(html, "raw HTML omitted") {
			t.Errorf("%s renders with raw HTML or fails: %v", file, err)
		}
	}
}
