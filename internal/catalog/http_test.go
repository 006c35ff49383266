package catalog_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
)

func TestAccessMatrix(t *testing.T) {
	a := apptest.New(t, nil)
	p := MustPeople(t, a)
	free := MustModule(t, a, "free", 2, true)
	premium := MustModule(t, a, "premium", 2, true)
	draft := MustModule(t, a, "free", 1, false)
	lesson := func(mod, l string) string { return "/api/v1/modules/" + mod + "/lessons/" + l }

	tests := []struct {
		name         string
		method, path string
		body         any
		token        string
		want         int
		field        string // for 4xx: the field the problem must name
	}{
		{"catalog, anonymous", "GET", "/api/v1/modules", nil, "", 200, ""},
		{"module, anonymous", "GET", "/api/v1/modules/" + premium, nil, "", 200, ""},
		{"free lesson, anonymous", "GET", lesson(free, "l1"), nil, "", 200, ""},
		{"free lesson, learner", "GET", lesson(free, "l2"), nil, p.Learner, 200, ""},
		{"premium lesson, anonymous", "GET", lesson(premium, "l1"), nil, "", 401, ""},
		{"premium lesson, learner", "GET", lesson(premium, "l1"), nil, p.Learner, 402, ""},
		{"premium lesson, instructor", "GET", lesson(premium, "l1"), nil, p.Instructor, 402, ""},
		{"premium lesson, admin", "GET", lesson(premium, "l1"), nil, p.Admin, 200, ""},
		// A stale or broken token is ignored on public routes: the caller is anonymous.
		{"bad token, free lesson", "GET", lesson(free, "l1"), nil, "not-a-token", 200, ""},
		{"bad token, catalog", "GET", "/api/v1/modules", nil, "not-a-token", 200, ""},
		{"bad token, module", "GET", "/api/v1/modules/" + premium, nil, "not-a-token", 200, ""},
		{"bad token, premium lesson", "GET", lesson(premium, "l1"), nil, "not-a-token", 401, ""},
		{"bad token, studio", "GET", "/api/v1/studio/modules", nil, "not-a-token", 401, ""},
		{"unknown module", "GET", "/api/v1/modules/no-such-module", nil, "", 404, ""},
		{"unknown lesson", "GET", lesson(free, "l9"), nil, "", 404, ""},
		{"unknown lesson of premium, anonymous", "GET", lesson(premium, "l9"), nil, "", 404, ""},
		{"draft module", "GET", "/api/v1/modules/" + draft, nil, p.Admin, 404, ""},
		{"draft lesson", "GET", lesson(draft, "l1"), nil, p.Admin, 404, ""},

		{"studio list, anonymous", "GET", "/api/v1/studio/modules", nil, "", 401, ""},
		{"studio list, learner", "GET", "/api/v1/studio/modules", nil, p.Learner, 403, ""},
		{"studio list, instructor", "GET", "/api/v1/studio/modules", nil, p.Instructor, 200, ""},
		{"studio list, admin", "GET", "/api/v1/studio/modules", nil, p.Admin, 200, ""},
		{"studio module, learner", "GET", "/api/v1/studio/modules/" + draft, nil, p.Learner, 403, ""},
		{"studio create, learner", "POST", "/api/v1/studio/modules", map[string]any{"slug": "x", "title": "X", "access": "free"}, p.Learner, 403, ""},
		{"studio update, learner", "PUT", "/api/v1/studio/modules/" + draft, map[string]any{"title": "X"}, p.Learner, 403, ""},
		{"studio lesson create, learner", "POST", "/api/v1/studio/modules/" + draft + "/lessons", map[string]any{}, p.Learner, 403, ""},
		{"studio lesson read, learner", "GET", "/api/v1/studio/modules/" + draft + "/lessons/l1", nil, p.Learner, 403, ""},
		{"studio lesson update, learner", "PUT", "/api/v1/studio/modules/" + draft + "/lessons/l1", map[string]any{}, p.Learner, 403, ""},
		{"studio lesson delete, learner", "DELETE", "/api/v1/studio/modules/" + draft + "/lessons/l1", nil, p.Learner, 403, ""},
		{"studio publish, learner", "POST", "/api/v1/studio/modules/" + draft + "/publish", nil, p.Learner, 403, ""},
		{"studio unpublish, learner", "POST", "/api/v1/studio/modules/" + free + "/unpublish", nil, p.Learner, 403, ""},
		{"studio versions, learner", "GET", "/api/v1/studio/modules/" + free + "/versions", nil, p.Learner, 403, ""},
		{"studio preview, learner", "POST", "/api/v1/studio/preview", map[string]any{"markdown": "x"}, p.Learner, 403, ""},
		{"studio preview, anonymous", "POST", "/api/v1/studio/preview", map[string]any{"markdown": "x"}, "", 401, ""},
		{"studio unknown module", "GET", "/api/v1/studio/modules/no-such-module", nil, p.Instructor, 404, ""},
		{"studio unknown lesson", "GET", "/api/v1/studio/modules/" + draft + "/lessons/nope", nil, p.Instructor, 404, ""},
		{"studio publish unknown", "POST", "/api/v1/studio/modules/no-such-module/publish", nil, p.Instructor, 404, ""},
		{"studio versions unknown", "GET", "/api/v1/studio/modules/no-such-module/versions", nil, p.Instructor, 404, ""},
		{"studio delete unknown lesson", "DELETE", "/api/v1/studio/modules/" + draft + "/lessons/nope", nil, p.Instructor, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: tt.method, Path: tt.path, Body: tt.body, Token: tt.token}).Want(tt.want)
			if tt.want >= 400 {
				wantProblem(t, r, tt.field)
			}
		})
	}
	t.Run("402 is a problem that says upgrade", func(t *testing.T) {
		r := a.Do(apptest.Request{Method: "GET", Path: lesson(premium, "l1"), Token: p.Learner}).Want(402)
		if m := r.JSON(); m["status"] != float64(402) || !strings.Contains(m["detail"].(string), "premium") {
			t.Errorf("problem = %v", m)
		}
	})
}

func TestLessonShape(t *testing.T) {
	a := apptest.New(t, nil)
	mod := MustModule(t, a, "free", 3, true)
	var l struct {
		ID, Slug, Title, HTML, ModuleSlug, ModuleTitle string
		Minutes, Version                               int
		Prev, Next                                     *struct{ Slug, Title string }
	}
	r := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + mod + "/lessons/l2"}).Want(200)
	r.Decode(&l)
	m := r.JSON()
	for _, k := range []string{"id", "slug", "title", "minutes", "html", "version", "module_slug", "module_title", "prev", "next"} {
		if _, ok := m[k]; !ok {
			t.Errorf("lesson lacks %q: %v", k, m)
		}
	}
	if l.Slug != "l2" || l.Version != 1 || l.Minutes != 5 || !strings.Contains(l.HTML, "lesson 2") ||
		l.Prev == nil || l.Prev.Slug != "l1" || l.Next == nil || l.Next.Slug != "l3" {
		t.Errorf("lesson = %+v", l)
	}
	first := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + mod + "/lessons/l1"}).Want(200).JSON()
	if first["prev"] != nil {
		t.Errorf("first lesson has prev %v", first["prev"])
	}

	var detail struct {
		Slug        string `json:"slug"`
		LessonCount int    `json:"lesson_count"`
		Minutes     int    `json:"minutes"`
		Lessons     []struct {
			ID, Slug, Title string
			Minutes         int
		} `json:"lessons"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules/" + mod}).Want(200).Decode(&detail)
	if detail.LessonCount != 3 || detail.Minutes != 15 || len(detail.Lessons) != 3 || detail.Lessons[1].ID != l.ID {
		t.Errorf("module = %+v", detail)
	}
	list := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/modules"}).Want(200).JSON()
	mods, _ := list["modules"].([]any)
	for _, x := range mods {
		if mm := x.(map[string]any); mm["slug"] == mod {
			for _, k := range []string{"id", "title", "summary", "access", "competencies", "lesson_count", "minutes"} {
				if _, ok := mm[k]; !ok {
					t.Errorf("catalog entry lacks %q", k)
				}
			}
			if _, ok := mm["progress"]; ok {
				t.Error("progress present without a progress reader")
			}
			return
		}
	}
	t.Errorf("catalog lacks %s", mod)
}

func TestLessonETag(t *testing.T) {
	a := apptest.New(t, nil)
	p := MustPeople(t, a)
	mod := MustModule(t, a, "premium", 1, true)
	path := "/api/v1/modules/" + mod + "/lessons/l1"
	r := a.Do(apptest.Request{Method: "GET", Path: path, Token: p.Admin}).Want(200)
	etag := r.Header().Get("ETag")
	if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
		t.Fatalf("ETag = %q", etag)
	}
	if cc := r.Header().Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("Cache-Control = %q", cc)
	}
	tests := []struct {
		name, inm, token string
		want             int
	}{
		{"same tag", etag, p.Admin, 304},
		{"weak form of the tag", "W/" + etag, p.Admin, 304},
		{"one of a list", `"other", ` + etag, p.Admin, 304},
		{"star", "*", p.Admin, 304},
		{"another tag", `"other"`, p.Admin, 200},
		{"no header", "", p.Admin, 200},
		{"access still checked first", etag, p.Learner, 402},
		{"anonymous still checked first", etag, "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.inm != "" {
				h["If-None-Match"] = tt.inm
			}
			r := a.Do(apptest.Request{Method: "GET", Path: path, Token: tt.token, Header: h}).Want(tt.want)
			if tt.want == 304 && (r.Body.Len() != 0 || r.Header().Get("ETag") != etag) {
				t.Errorf("304 with body %q, ETag %q", r.Body.String(), r.Header().Get("ETag"))
			}
		})
	}
	t.Run("a new version changes the tag", func(t *testing.T) {
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + mod + "/publish", Token: p.Admin}).Want(201)
		r := a.Do(apptest.Request{Method: "GET", Path: path, Token: p.Admin, Header: map[string]string{"If-None-Match": etag}}).Want(200)
		if r.Header().Get("ETag") == etag {
			t.Error("ETag unchanged after a new version")
		}
	})
}

func TestVersioning(t *testing.T) {
	a := apptest.New(t, nil)
	p := MustPeople(t, a)
	ins := p.Instructor
	mod := uniqueSlug("versioned")
	studio := "/api/v1/studio/modules/" + mod
	learnerPath := "/api/v1/modules/" + mod + "/lessons/intro"
	do := func(method, path string, body any, token string, want int) map[string]any {
		t.Helper()
		r := a.Do(apptest.Request{Method: method, Path: path, Body: body, Token: token}).Want(want)
		if r.Body.Len() == 0 {
			return nil
		}
		return r.JSON()
	}

	m := do("POST", "/api/v1/studio/modules", map[string]any{"slug": mod, "title": "Versioned", "summary": "s",
		"access": "free", "competencies": []string{"job_diagnosis"}}, ins, 201)
	if m["state"] != "draft" || m["status"] != "draft" || m["has_unpublished_changes"] != true {
		t.Errorf("new module = %v", m)
	}
	l := do("POST", studio+"/lessons", map[string]any{"slug": "intro", "title": "Intro", "minutes": 4, "markdown": "first draft"}, ins, 201)
	lessonID := l["id"].(string)
	if slices.Contains(moduleSlugs(t, a, ""), mod) {
		t.Error("a draft module is in the catalog")
	}
	do("GET", learnerPath, nil, "", 404)

	if v := do("POST", studio+"/publish", nil, ins, 201); v["version"] != float64(1) {
		t.Errorf("publish = %v", v)
	}
	if got := do("GET", learnerPath, nil, "", 200); got["id"] != lessonID || !strings.Contains(got["html"].(string), "first draft") {
		t.Errorf("learner reads %v", got)
	}
	if m := do("GET", studio, nil, ins, 200); m["status"] != "published v1" || m["has_unpublished_changes"] != false {
		t.Errorf("after publish: %v", m)
	}

	do("PUT", studio+"/lessons/intro", map[string]any{"markdown": "second draft"}, ins, 200)
	if got := do("GET", learnerPath, nil, "", 200); !strings.Contains(got["html"].(string), "first draft") || got["version"] != float64(1) {
		t.Errorf("a draft edit leaked to learners: %v", got)
	}
	if m := do("GET", studio, nil, ins, 200); m["has_unpublished_changes"] != true {
		t.Errorf("draft edit not flagged: %v", m)
	}
	if d := do("GET", studio+"/lessons/intro", nil, ins, 200); d["markdown"] != "second draft" {
		t.Errorf("draft = %v", d)
	}

	if v := do("POST", studio+"/publish", nil, ins, 201); v["version"] != float64(2) {
		t.Errorf("second publish = %v", v)
	}
	if got := do("GET", learnerPath, nil, "", 200); !strings.Contains(got["html"].(string), "second draft") || got["version"] != float64(2) || got["id"] != lessonID {
		t.Errorf("after republish learner reads %v", got)
	}

	do("POST", studio+"/unpublish", nil, ins, 204)
	if slices.Contains(moduleSlugs(t, a, ""), mod) {
		t.Error("an unpublished module is in the catalog")
	}
	do("GET", learnerPath, nil, "", 404)
	do("GET", "/api/v1/modules/"+mod, nil, "", 404)
	m = do("GET", studio, nil, ins, 200)
	lessons := m["lessons"].([]any)
	if m["status"] != "unpublished" || len(lessons) != 1 || lessons[0].(map[string]any)["id"] != lessonID {
		t.Errorf("after unpublish studio shows %v", m)
	}
	vs := do("GET", studio+"/versions", nil, ins, 200)["versions"].([]any)
	if len(vs) != 2 || vs[0].(map[string]any)["version"] != float64(2) || vs[0].(map[string]any)["lesson_count"] != float64(1) ||
		vs[0].(map[string]any)["published_by"] == nil || vs[0].(map[string]any)["published_at"] == "" {
		t.Errorf("versions = %v", vs)
	}

	do("POST", studio+"/publish", nil, ins, 201)
	if got := do("GET", learnerPath, nil, "", 200); got["id"] != lessonID || got["version"] != float64(3) {
		t.Errorf("republished lesson = %v", got)
	}

	do("DELETE", studio+"/lessons/intro", nil, ins, 204)
	do("GET", learnerPath, nil, "", 200) // still published until the next publish
	do("POST", studio+"/publish", nil, ins, 422)
	do("POST", studio+"/lessons", map[string]any{"slug": "intro", "title": "Intro again", "minutes": 3, "markdown": "revived"}, ins, 201)
	if d := do("GET", studio+"/lessons/intro", nil, ins, 200); d["id"] != lessonID {
		t.Errorf("re-created lesson has a new id: %v", d)
	}
}

// fakeProgress says the learner completed lesson l1 of every module.
type fakeProgress struct{ lessonIDs map[string]bool }

func (f fakeProgress) CompletedByModule(_ context.Context, _ string, ids []string) (map[string]int, error) {
	out := map[string]int{}
	for _, id := range ids {
		out[id] = 1
	}
	return out, nil
}

func (f fakeProgress) CompletedLessons(_ context.Context, _ string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = f.lessonIDs[id]
	}
	return out, nil
}

func TestProgressHook(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	mod := MustModule(t, a, "free", 4, true)
	first, err := a.Catalog.DraftLesson(ctx, mod, "l1")
	if err != nil {
		t.Fatal(err)
	}
	svc := catalog.NewService(catalog.Deps{DB: a.DB, Roles: catalog.NoRoles{}, Entitlements: catalog.NoEntitlements{},
		Progress: fakeProgress{lessonIDs: map[string]bool{first.ID: true}}, Managers: catalog.NoManagers{}, Media: catalog.NoMedia{}, MediaImporter: catalog.NoMedia{}})
	mods, err := svc.Catalog(ctx, "some-user")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		if m.Slug == mod && (m.Progress == nil || m.Progress.CompletedLessons != 1 || m.Progress.Percent != 25) {
			t.Errorf("catalog progress = %+v", m.Progress)
		}
	}
	m, err := svc.CatalogModule(ctx, "some-user", mod)
	if err != nil {
		t.Fatal(err)
	}
	if m.Lessons[0].Completed == nil || !*m.Lessons[0].Completed || *m.Lessons[1].Completed || m.Progress.Percent != 25 {
		t.Errorf("module progress = %+v %+v", m.Progress, m.Lessons)
	}
	anon, _ := svc.Catalog(ctx, "")
	for _, m := range anon {
		if m.Progress != nil {
			t.Error("anonymous caller got progress")
		}
	}
}
