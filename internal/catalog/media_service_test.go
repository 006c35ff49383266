package catalog_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// library is an in-test media library: hash-addressed like the real one, counting calls.
type library struct {
	mu      sync.Mutex
	items   map[string]catalog.MediaRef
	finds   int
	imports int
}

func newLibrary() *library {
	l := &library{items: map[string]catalog.MediaRef{}}
	for id, m := range testMedia {
		l.items[id] = m
	}
	return l
}

func (l *library) FindMany(_ context.Context, ids []string) (map[string]catalog.MediaRef, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.finds++
	out := map[string]catalog.MediaRef{}
	for _, id := range ids {
		if m, ok := l.items[id]; ok {
			out[id] = m
		}
	}
	return out, nil
}

func (l *library) ImportMedia(_ context.Context, name string, data []byte, title, alt string) (catalog.MediaRef, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.imports++
	kind := map[string]string{".png": catalog.MediaImage, ".pdf": catalog.MediaDocument, ".vtt": catalog.MediaCaptions, ".mp4": catalog.MediaVideo}[path.Ext(name)]
	if kind == "" {
		return catalog.MediaRef{}, apperr.New(apperr.Invalid, "This file type isn’t supported.")
	}
	sum := sha256.Sum256(data)
	id := "h" + hex.EncodeToString(sum[:8])
	if m, ok := l.items[id]; ok {
		return m, nil
	}
	m := catalog.MediaRef{ID: id, Kind: kind, Title: title, Alt: alt, Bytes: int64(len(data))}
	l.items[id] = m
	return m, nil
}

func (l *library) counts() (finds, imports int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.finds, l.imports
}

// mediaService is a catalog service on the test app's database with lib as its media library
// and the app's real roles and entitlements.
func usesOf(a *apptest.App) *catalog.MediaGate {
	return catalog.NewMediaGate(a.DB, catalog.NoRoles{}, catalog.NoEntitlements{})
}

func mediaService(a *apptest.App, lib *library) *catalog.Service {
	return catalog.NewService(catalog.Deps{DB: a.DB, Roles: a.Identity, Entitlements: a.Billing,
		Progress: catalog.NoProgress{}, Media: lib, MediaImporter: lib})
}

// wantLineProblem checks err is a 422 naming field with a message that starts "Line N:".
func wantLineProblem(t *testing.T, err error, field, line, text string) {
	t.Helper()
	var e *apperr.Error
	if !apperr.Is(err, apperr.Invalid) || !asAppErr(err, &e) {
		t.Fatalf("err = %v, want a 422", err)
	}
	for _, f := range e.Fields {
		if f.Field == field && strings.HasPrefix(f.Message, "Line "+line+":") && strings.Contains(f.Message, text) {
			return
		}
	}
	t.Errorf("fields %+v lack %s: Line %s: …%s…", e.Fields, field, line, text)
}

func asAppErr(err error, e **apperr.Error) bool {
	ae, ok := err.(*apperr.Error)
	*e = ae
	return ok
}

func TestMediaChecksAtPreviewSaveAndPublish(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	lib := newLibrary()
	svc := mediaService(a, lib)
	bad := "Intro.\n\n![Map](media:img1)\n\n::video{media=img1}\n"

	t.Run("preview", func(t *testing.T) {
		before, _ := lib.counts()
		html, err := svc.Preview(ctx, "![Map](media:img1)\n\n::video{media=vid1 captions=cap1}\n\n::download{media=doc1}\n")
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{`src="/media/img1"`, `src="/media/vid1"`, `src="/media/cap1"`, `href="/media/doc1"`} {
			if !strings.Contains(html, w) {
				t.Errorf("preview lacks %s: %s", w, html)
			}
		}
		if after, _ := lib.counts(); after != before+1 {
			t.Errorf("preview looked media up %d times, want once for every reference", after-before)
		}
		_, err = svc.Preview(ctx, bad)
		wantLineProblem(t, err, "markdown", "5", "is an image, so it can’t be shown as a video")
		_, err = svc.Preview(ctx, "a\n\n::video{media=vid1 captions=doc1}")
		wantLineProblem(t, err, "markdown", "3", "WebVTT")
	})

	mod := MustModule(t, a, "free", 1, false)
	t.Run("save", func(t *testing.T) {
		slug, title, minutes := "pics", "Pictures", 5
		_, err := svc.CreateLesson(ctx, mod, catalog.LessonInput{Slug: &slug, Title: &title, Minutes: &minutes, Markdown: &bad})
		wantLineProblem(t, err, "markdown", "5", "is an image")
		unknown := "x\n\n![A](media:gone)"
		_, err = svc.UpdateLesson(ctx, mod, "l1", catalog.LessonInput{Markdown: &unknown})
		wantLineProblem(t, err, "markdown", "3", `There is no media item "gone"`)
		noalt := "Text.\n\n![](media:noalt)\n"
		if _, err := svc.UpdateLesson(ctx, mod, "l1", catalog.LessonInput{Markdown: &noalt}); err != nil {
			t.Fatalf("a draft may show an image without alt text: %v", err)
		}
		uses, err := usesOf(a).MediaUses(ctx, []string{"noalt"})
		if err != nil || len(uses["noalt"]) != 1 || uses["noalt"][0].Published || uses["noalt"][0].LessonSlug != "l1" {
			t.Errorf("uses = %+v, %v", uses, err)
		}
	})

	t.Run("publish needs alt text", func(t *testing.T) {
		_, err := svc.Publish(ctx, mod, "")
		wantLineProblem(t, err, "lessons.l1.markdown", "3", "has no alt text")
		ok := "Text.\n\n![A quiet meeting room](media:noalt)\n"
		if _, err := svc.UpdateLesson(ctx, mod, "l1", catalog.LessonInput{Markdown: &ok}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, mod, ""); err != nil {
			t.Fatal(err)
		}
		l, err := svc.Lesson(ctx, "", mod, "l1")
		if err != nil || !strings.Contains(l.HTML, `<img src="/media/noalt" alt="A quiet meeting room" loading="lazy">`) {
			t.Errorf("published HTML = %s (%v)", l.HTML, err)
		}
	})

	t.Run("publish refuses media deleted since the save", func(t *testing.T) {
		lib.mu.Lock()
		delete(lib.items, "noalt")
		lib.mu.Unlock()
		defer func() { lib.mu.Lock(); lib.items["noalt"] = testMedia["noalt"]; lib.mu.Unlock() }()
		_, err := svc.Publish(ctx, mod, "")
		wantLineProblem(t, err, "lessons.l1.markdown", "3", `There is no media item "noalt"`)
	})
}

// TestMediaUsesAndAccess decides media access against the real database, roles and entitlements.
func TestMediaUsesAndAccess(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	lib := newLibrary()
	svc := mediaService(a, lib)
	gate := catalog.NewMediaGate(a.DB, a.Identity, a.Billing)
	newModule := func(access, md string, publish bool) string {
		t.Helper()
		slug, title, minutes := uniqueSlug("media"), "Media module", 5
		if _, err := svc.CreateModule(ctx, catalog.ModuleInput{Slug: &slug, Title: &title, Access: &access,
			Competencies: []string{"self_awareness"}}); err != nil {
			t.Fatal(err)
		}
		ls, lt := "shows", "Shows media"
		if _, err := svc.CreateLesson(ctx, slug, catalog.LessonInput{Slug: &ls, Title: &lt, Minutes: &minutes, Markdown: &md}); err != nil {
			t.Fatal(err)
		}
		if publish {
			if _, err := svc.Publish(ctx, slug, ""); err != nil {
				t.Fatal(err)
			}
		}
		return slug
	}
	// Fresh ids per test run: the database is shared by the package's tests.
	ids := map[string]string{}
	for _, name := range []string{"free", "premium", "both", "draft", "unpub", "unused", "cap"} {
		id := "t" + randomSuffix() + name
		kind := catalog.MediaImage
		if name == "cap" {
			kind = catalog.MediaCaptions
		}
		if name == "both" {
			kind = catalog.MediaVideo
		}
		lib.items[id] = catalog.MediaRef{ID: id, Kind: kind, Alt: "alt"}
		ids[name] = id
	}
	freeMod := newModule("free", "![A](media:"+ids["free"]+")\n\n::video{media="+ids["both"]+" captions="+ids["cap"]+"}\n", true)
	premMod := newModule("premium", "![A](media:"+ids["premium"]+")\n\n::video{media="+ids["both"]+"}\n", true)
	newModule("free", "![A](media:"+ids["draft"]+")\n", false)
	unpub := newModule("free", "![A](media:"+ids["unpub"]+")\n", true)
	if err := svc.Unpublish(ctx, unpub); err != nil {
		t.Fatal(err)
	}

	t.Run("uses", func(t *testing.T) {
		all := []string{ids["free"], ids["premium"], ids["both"], ids["draft"], ids["unpub"], ids["unused"], ids["cap"]}
		uses, err := gate.MediaUses(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"free": freeMod + "/shows:true", "premium": premMod + "/shows:true",
			"both": freeMod + "/shows:true " + premMod + "/shows:true", "draft": "/shows:false", "unpub": unpub + "/shows:true",
			"unused": "", "cap": freeMod + "/shows:true"}
		for name, w := range want {
			var got []string
			for _, u := range uses[ids[name]] {
				got = append(got, u.ModuleSlug+"/"+u.LessonSlug+":"+map[bool]string{true: "true", false: "false"}[u.Published])
			}
			g := strings.Join(got, " ")
			if name == "draft" {
				if len(got) != 1 || !strings.HasSuffix(g, w) {
					t.Errorf("%s: uses %q, want one draft use", name, g)
				}
				continue
			}
			if g != w && !(name == "both" && g == premMod+"/shows:true "+freeMod+"/shows:true") {
				t.Errorf("%s: uses %q, want %q", name, g, w)
			}
		}
	})

	learner := a.NewUser(t, "learner", "")
	entitled := a.NewUser(t, "entitled", "")
	instructor := a.NewUser(t, "instructor", "instructor")
	admin := a.NewUser(t, "admin", "admin")
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: admin.Token,
		Body: map[string]any{"user_id": entitled.ID, "ends_at": time.Now().Add(365 * 24 * time.Hour).Format(time.RFC3339)}}).Want(http.StatusCreated)

	P, Pr, N, L, Pay := catalog.MediaAccessPublic, catalog.MediaAccessPrivate, catalog.MediaAccessNone, catalog.MediaAccessLogin, catalog.MediaAccessPay
	callers := []struct {
		name, id string
	}{{"anonymous", ""}, {"learner", learner.ID}, {"entitled", entitled.ID}, {"instructor", instructor.ID}, {"admin", admin.ID}, {"deleted account", "00000000-0000-0000-0000-000000000000"}}
	want := map[string][]catalog.MediaAccess{
		//        anonymous learner entitled instructor admin deleted
		"free":    {P, P, P, P, P, P},
		"both":    {P, P, P, P, P, P},
		"cap":     {P, P, P, P, P, P},
		"premium": {L, Pay, Pr, Pr, Pr, L},
		"draft":   {N, N, N, Pr, Pr, N},
		"unpub":   {N, N, N, Pr, Pr, N},
		"unused":  {N, N, N, Pr, Pr, N},
	}
	for item, wants := range want {
		for i, c := range callers {
			got, err := gate.MediaAccess(ctx, ids[item], c.id)
			if err != nil || got != wants[i] {
				t.Errorf("%s item, %s caller: access %d (%v), want %d", item, c.name, got, err, wants[i])
			}
		}
	}
}

func TestImportMedia(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	lib := newLibrary()
	svc := mediaService(a, lib)
	slug := uniqueSlug("withmedia")
	dir := "modules/09-" + slug
	lesson := "---\nslug: first-lesson\ntitle: The First Lesson\nminutes: 6\n---\nBody text.\n\n![The six buying jobs, in a circle](media:six-jobs.png)\n\n::download{media=journal-worksheet.pdf title=\"Post-call journal\"}\n\n## Practice\n\nDo it.\n"
	fsys := fstest.MapFS{
		dir + "/module.yaml":                 {Data: []byte(strings.Replace(strings.Replace(goodModuleYAML, "slug: sample", "slug: "+slug, 1), "access: premium", "access: free", 1))},
		dir + "/01-first-lesson.md":          {Data: []byte(lesson)},
		dir + "/media/six-jobs.png":          {Data: []byte("png bytes " + slug)},
		dir + "/media/journal-worksheet.pdf": {Data: []byte("pdf bytes " + slug)},
	}
	rep, err := svc.Import(ctx, fsys)
	if err != nil || len(rep.Errors) > 0 || len(rep.Modules) != 1 || rep.Modules[0].Status != ingest.Created {
		t.Fatalf("import: %+v %v", rep, err)
	}
	draft, err := svc.DraftLesson(ctx, slug, "first-lesson")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(draft.Markdown, "six-jobs.png") || !strings.Contains(draft.Markdown, "](media:h") || !strings.Contains(draft.Markdown, "::download{media=h") {
		t.Errorf("file names not replaced by ids:\n%s", draft.Markdown)
	}
	img, doc := "", ""
	for id, m := range lib.items {
		if !strings.HasPrefix(id, "h") {
			continue // testMedia's items, one of which shares a title
		}
		switch m.Title {
		case "Six jobs":
			img = id
			if m.Alt != "The six buying jobs, in a circle" {
				t.Errorf("image stored with alt %q", m.Alt)
			}
		case "Post-call journal":
			doc = id
		}
	}
	if img == "" || doc == "" {
		t.Fatalf("library = %+v", lib.items)
	}
	l, err := svc.Lesson(ctx, "", slug, "first-lesson")
	if err != nil {
		t.Fatal(err)
	}
	if l.HTML == "" || !strings.Contains(l.HTML, `<img src="/media/`+img+`" alt="The six buying jobs, in a circle"`) || !strings.Contains(l.HTML, `href="/media/`+doc+`" download=""`) {
		t.Errorf("published HTML:\n%s", l.HTML)
	}

	t.Run("importing twice changes nothing", func(t *testing.T) {
		_, imports := lib.counts()
		items := len(lib.items)
		uses, _ := usesOf(a).MediaUses(ctx, []string{img, doc})
		rep, err := svc.Import(ctx, fsys)
		if err != nil || len(rep.Errors) > 0 || rep.Modules[0].Status != ingest.Unchanged {
			t.Fatalf("second import: %+v %v", rep, err)
		}
		_, after := lib.counts()
		again, _ := usesOf(a).MediaUses(ctx, []string{img, doc})
		if after != imports || len(lib.items) != items || len(again[img]) != len(uses[img]) || len(again[doc]) != len(uses[doc]) {
			t.Errorf("second import stored media again: %d → %d calls, %d → %d items", imports, after, items, len(lib.items))
		}
	})

	t.Run("a changed lesson keeps the same media ids", func(t *testing.T) {
		changed := fstest.MapFS{}
		for k, v := range fsys {
			changed[k] = v
		}
		changed[dir+"/01-first-lesson.md"] = &fstest.MapFile{Data: []byte(strings.Replace(lesson, "Body text.", "Body text, changed.", 1))}
		items := len(lib.items)
		rep, err := svc.Import(ctx, changed)
		if err != nil || len(rep.Errors) > 0 || rep.Modules[0].Status != ingest.Updated {
			t.Fatalf("import: %+v %v", rep, err)
		}
		if len(lib.items) != items {
			t.Errorf("the same bytes made new items: %d → %d", items, len(lib.items))
		}
		uses, _ := usesOf(a).MediaUses(ctx, []string{img})
		if len(uses[img]) != 1 || !uses[img][0].Published {
			t.Errorf("uses = %+v", uses[img])
		}
	})

	t.Run("content errors name the file and line", func(t *testing.T) {
		tests := []struct {
			name  string
			files map[string]string
			want  string
		}{
			{"missing file", map[string]string{"/01-first-lesson.md": strings.Replace(lesson, "media:six-jobs.png", "media:nope.png", 1)},
				"/01-first-lesson.md:8: body: media:nope.png is not a file of this module's media/ folder"},
			{"image as video", map[string]string{"/01-first-lesson.md": strings.Replace(lesson, "![The six buying jobs, in a circle](media:six-jobs.png)", "::video{media=six-jobs.png}", 1)},
				"/01-first-lesson.md:8: body: Media item \"six-jobs.png\" is an image, so it can’t be shown as a video."},
			{"image without alt", map[string]string{"/01-first-lesson.md": strings.Replace(lesson, "The six buying jobs, in a circle", "", 1), "/media/six-jobs.png": "other bytes " + randomSuffix()},
				"/01-first-lesson.md:8: body: Image \"six-jobs.png\" has no alt text."},
			{"file the library refuses", map[string]string{"/media/notes.txt": "hello"},
				"/media/notes.txt: media: This file type isn’t supported."},
			{"bad file name", map[string]string{"/media/Bad Name.PNG": "x"},
				"/media/Bad Name.PNG: media: name media files in lower case"},
			{"malformed directive", map[string]string{"/01-first-lesson.md": strings.Replace(lesson, "::download{", "::dowload{", 1)},
				"/01-first-lesson.md:10: body: ::dowload is not a media form."},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := uniqueSlug("bad")
				d := "modules/09-" + s
				files := fstest.MapFS{}
				for k, v := range fsys {
					files[strings.Replace(k, dir, d, 1)] = v
				}
				files[d+"/module.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodModuleYAML, "slug: sample", "slug: "+s, 1))}
				for k, v := range tt.files {
					files[d+k] = &fstest.MapFile{Data: []byte(v)}
				}
				rep, err := svc.Import(ctx, files)
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Modules) != 0 || len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0].Error(), d+tt.want) {
					t.Fatalf("report = %+v, want one error %s%s", rep, d, tt.want)
				}
				if _, _, err := svc.StudioModule(ctx, s); err == nil {
					t.Error("the module was imported")
				}
			})
		}
	})
}
