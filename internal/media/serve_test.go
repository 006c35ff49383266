package media_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/media"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

func TestServingRangesValidatorsAndHeaders(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		e := newEnv(t, b, nil)
		video := mp4File("isom", 1000, 60000)
		it := e.mustUpload(t, "demo call.mp4", video)
		get := func(h map[string]string) *apptest.Response {
			return e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Token: e.staff.Token, Header: h})
		}
		full := get(nil).Want(http.StatusOK)
		etag := full.Header().Get("ETag")
		for k, want := range map[string]string{
			"Content-Type": "video/mp4", "X-Content-Type-Options": "nosniff", "Accept-Ranges": "bytes",
			"Cache-Control": "private, max-age=300", "Content-Disposition": "inline; filename*=UTF-8''demo%20call.mp4",
		} {
			if got := full.Header().Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if len(etag) != 66 || full.Header().Get("Content-Encoding") != "" {
			t.Fatalf("etag %q, encoding %q", etag, full.Header().Get("Content-Encoding"))
		}
		r := get(map[string]string{"Range": "bytes=100-199", "Accept-Encoding": "gzip"}).Want(http.StatusPartialContent)
		if r.Header().Get("Content-Range") != "bytes 100-199/"+strconv.Itoa(len(video)) || r.Body.String() != string(video[100:200]) {
			t.Fatalf("range: %q, %d bytes", r.Header().Get("Content-Range"), r.Body.Len())
		}
		r = get(map[string]string{"Range": "bytes=-10"}).Want(http.StatusPartialContent)
		if r.Body.String() != string(video[len(video)-10:]) {
			t.Fatal("suffix range returned the wrong bytes")
		}
		get(map[string]string{"Range": "bytes=999999-"}).Want(http.StatusRequestedRangeNotSatisfiable)
		get(map[string]string{"If-None-Match": etag}).Want(http.StatusNotModified)
		r = get(map[string]string{"Range": "bytes=0-9", "If-Range": `"stale"`}).Want(http.StatusOK)
		if r.Body.Len() != len(video) {
			t.Fatal("a stale If-Range must return the whole file")
		}
		e.a.Do(apptest.Request{Method: "HEAD", Path: it.URL, Token: e.staff.Token}).Want(http.StatusOK)

		doc := e.mustUpload(t, "worksheet.pdf", append(pdfFile(), "% serve "+b.Name+"\n"...))
		r = e.a.Do(apptest.Request{Method: "GET", Path: doc.URL, Token: e.staff.Token}).Want(http.StatusOK)
		if cd := r.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Fatalf("document disposition %q", cd)
		}
		// The media cookie stands in for the Authorization header (media elements cannot send one).
		e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Cookie: []*http.Cookie{{Name: media.CookieName, Value: e.staff.Token}}}).Want(http.StatusOK)
		// Anonymous callers and learners learn nothing while no lesson uses the file.
		e.a.Do(apptest.Request{Method: "GET", Path: it.URL}).Want(http.StatusNotFound)
		l := e.a.NewUser(t, "learner", "")
		e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Token: l.Token}).Want(http.StatusNotFound)
		e.a.Do(apptest.Request{Method: "GET", Path: "/media/not-a-uuid", Token: e.staff.Token}).Want(http.StatusNotFound)
		e.a.Do(apptest.Request{Method: "GET", Path: "/media/00000000-0000-4000-8000-000000000000", Token: e.staff.Token}).Want(http.StatusNotFound)
	})
}

// fixedGate answers fixed access per media id: premium ids (AccessLogin) are 401 anonymously,
// 402 signed in, private for the user "paid".
type fixedGate map[string]media.Access

func (g fixedGate) MediaAccess(_ context.Context, id, userID string) (media.Access, error) {
	acc := g[id]
	switch {
	case acc != media.AccessLogin:
		return acc, nil
	case userID == "":
		return media.AccessLogin, nil
	case userID == "paid":
		return media.AccessPrivate, nil
	}
	return media.AccessPay, nil
}

// fixedUsage reports fixed uses.
type fixedUsage map[string][]media.Use

func (u fixedUsage) MediaUses(_ context.Context, ids []string) (map[string][]media.Use, error) {
	out := map[string][]media.Use{}
	for _, id := range ids {
		if us, ok := u[id]; ok {
			out[id] = us
		}
	}
	return out, nil
}

// tokens treats a token as the user id itself; roles: "staff" is an instructor.
type tokens struct{}

func (tokens) Verify(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("empty")
	}
	return raw, nil
}

func (tokens) UserRoles(_ context.Context, id string) ([]string, error) {
	if id == "staff" {
		return []string{role.Instructor}, nil
	}
	return []string{role.Learner}, nil
}

// harness is the media routes alone with a chosen gate and usage, on the package database.
func harness(t testing.TB, gate media.Gate, usage media.Usage) (*media.Service, http.Handler) {
	t.Helper()
	b := storagetest.File(t)
	storageDir = strings.TrimPrefix(b.URL, "file://")
	bucket, err := storage.Open(t.Context(), b.URL, storage.Keys{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := media.NewService(media.Deps{DB: pgtest.New(t), Storage: bucket, Now: time.Now, Log: log,
		Limits: media.DefaultLimits, Usage: usage, Gate: gate})
	tus, err := media.NewTus(svc, media.NoRecordings)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(log, nil)
	h := media.NewHandler(svc, tokens{}, tokens{}, tus)
	h.Routes(e.Group("/api/v1", web.Authenticate(tokens{})))
	h.FileRoutes(e, web.Authenticate(tokens{}))
	return svc, e
}

func call(h http.Handler, method, path, user string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestGateDecidesWhoGetsAFile(t *testing.T) {
	gate := fixedGate{}
	svc, h := harness(t, gate, media.NoUsage)
	free, err := svc.Import(t.Context(), "free.png", pngFile(777), "Free", "")
	if err != nil {
		t.Fatal(err)
	}
	premium, _ := svc.Import(t.Context(), "premium.png", pngFile(778), "Premium", "")
	hidden, _ := svc.Import(t.Context(), "hidden.png", pngFile(779), "Hidden", "")
	gate[free.ID], gate[premium.ID], gate[hidden.ID] = media.AccessPublic, media.AccessLogin, media.AccessNone

	r := call(h, "GET", free.URL(), "")
	if r.Code != 200 || r.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("free: %d %q", r.Code, r.Header().Get("Cache-Control"))
	}
	for _, c := range []struct {
		id, user string
		status   int
	}{
		{premium.ID, "", 401}, {premium.ID, "learner", 402}, {premium.ID, "paid", 200}, {hidden.ID, "", 404}, {hidden.ID, "learner", 404},
	} {
		r := call(h, "GET", "/media/"+c.id, c.user)
		if r.Code != c.status {
			t.Fatalf("%s as %q: %d, want %d (%s)", c.id, c.user, r.Code, c.status, r.Body.String())
		}
		if c.status >= 400 && (r.Header().Get("Content-Type") != "application/problem+json" || r.Header().Get("ETag") != "") {
			t.Fatalf("refusal headers: %v", r.Header())
		}
		if c.status == 200 && r.Header().Get("Cache-Control") != "private, max-age=300" {
			t.Fatalf("premium cache: %q", r.Header().Get("Cache-Control"))
		}
	}
}

func TestDeleteInUseIsConflict(t *testing.T) {
	usage := fixedUsage{}
	svc, h := harness(t, fixedGate{}, usage)
	used, _ := svc.Import(t.Context(), "used.png", pngFile(801), "Used", "")
	draft, _ := svc.Import(t.Context(), "draft.png", pngFile(802), "Draft", "")
	usage[used.ID] = []media.Use{{ModuleSlug: "discovery", LessonSlug: "open", LessonTitle: "Open questions", Published: true}}
	usage[draft.ID] = []media.Use{{ModuleSlug: "discovery", LessonSlug: "close", LessonTitle: "Closing", Published: false}}

	r := call(h, "DELETE", "/api/v1/studio/media/"+used.ID, "staff")
	if r.Code != 409 || !strings.Contains(r.Body.String(), "Open questions") {
		t.Fatalf("delete used: %d %s", r.Code, r.Body.String())
	}
	r = call(h, "GET", "/api/v1/studio/media/"+used.ID, "staff")
	if r.Code != 200 || !strings.Contains(r.Body.String(), `"used_in":[{"module_slug":"discovery","lesson_slug":"open","lesson_title":"Open questions","published":true}]`) {
		t.Fatalf("still there with its use: %d %s", r.Code, r.Body.String())
	}
	if r := call(h, "DELETE", "/api/v1/studio/media/"+draft.ID, "staff"); r.Code != 204 {
		t.Fatalf("delete used only by a draft: %d %s", r.Code, r.Body.String())
	}
	if r := call(h, "DELETE", "/api/v1/studio/media/"+draft.ID, "learner"); r.Code != 403 {
		t.Fatalf("learner delete: %d", r.Code)
	}
}
