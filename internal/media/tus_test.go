package media_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/media"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

func tusHeaders(extra map[string]string) map[string]string {
	h := map[string]string{"Tus-Resumable": "1.0.0"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// create starts a resumable upload of size bytes and returns its path.
func (e env) create(t *testing.T, size int, name string) string {
	t.Helper()
	r := e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: e.staff.Token, Header: tusHeaders(map[string]string{
		"Upload-Length": strconv.Itoa(size), "Upload-Metadata": "filename " + b64(name) + ",title " + b64("Demo call"),
	})}).Want(http.StatusCreated)
	u, err := url.Parse(r.Header().Get("Location"))
	if err != nil || !strings.HasPrefix(u.Path, "/api/v1/uploads/") {
		t.Fatalf("location %q", r.Header().Get("Location"))
	}
	return u.Path
}

func (e env) patch(t *testing.T, loc string, off int, body []byte) *apptest.Response {
	t.Helper()
	return e.a.Do(apptest.Request{Method: "PATCH", Path: loc, Token: e.staff.Token, Body: body, Header: tusHeaders(map[string]string{
		"Upload-Offset": strconv.Itoa(off), "Content-Type": "application/offset+octet-stream"})})
}

func (e env) offset(t *testing.T, loc, token string) (int, int) {
	t.Helper()
	r := e.a.Do(apptest.Request{Method: "HEAD", Path: loc, Token: token, Header: tusHeaders(nil)})
	n, _ := strconv.Atoi(r.Header().Get("Upload-Offset"))
	return r.Code, n
}

// brokenBody delivers n bytes of data and then fails, like a connection that drops.
type brokenBody struct {
	r *bytes.Reader
}

func (b *brokenBody) Read(p []byte) (int, error) {
	if b.r.Len() == 0 {
		return 0, errors.New("connection reset by peer")
	}
	return b.r.Read(p)
}

func TestResumableUploadInterruptedAndResumed(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		e := newEnv(t, b, nil)
		video := mp4File("isom", 600, 6000)
		half := len(video) / 2
		loc := e.create(t, len(video), "../../demo.mp4")

		// The first PATCH breaks off halfway: the bytes that arrived are kept.
		req := httptest.NewRequest("PATCH", loc, io.NopCloser(&brokenBody{r: bytes.NewReader(video[:half])}))
		req.Header.Set("Authorization", "Bearer "+e.staff.Token)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Offset", "0")
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		e.a.Echo.ServeHTTP(httptest.NewRecorder(), req)
		code, off := e.offset(t, loc, e.staff.Token)
		if code != http.StatusOK || off != half {
			t.Fatalf("after the break: HEAD %d, offset %d, want %d", code, off, half)
		}
		// Another instructor cannot see or touch it; learners cannot upload at all.
		other := e.a.NewUser(t, "instructor", "instructor")
		if code, _ := e.offset(t, loc, other.Token); code != http.StatusNotFound {
			t.Fatalf("someone else's upload: HEAD %d, want 404", code)
		}
		l := e.a.NewUser(t, "learner", "")
		e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: l.Token, Header: tusHeaders(map[string]string{"Upload-Length": "10"})}).Want(http.StatusForbidden)
		e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Header: tusHeaders(map[string]string{"Upload-Length": "10"})}).Want(http.StatusUnauthorized)
		// A PATCH at the wrong offset is refused; the right one completes the upload into an item.
		e.patch(t, loc, 0, video).Want(http.StatusConflict)
		r := e.patch(t, loc, half, video[half:]).Want(http.StatusNoContent)
		id := r.Header().Get(media.MediaIDHeader)
		var it item
		e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media/" + id, Token: e.staff.Token}).Want(http.StatusOK).Decode(&it)
		if it.Kind != "video" || it.Bytes != int64(len(video)) || it.Title != "Demo call" || it.FileName != "demo.mp4" ||
			it.DurationSeconds == nil || *it.DurationSeconds != 10 {
			t.Fatalf("item: %+v", it)
		}
		got := e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Token: e.staff.Token}).Want(http.StatusOK)
		if !bytes.Equal(got.Body.Bytes(), video) {
			t.Fatal("the resumed upload's bytes differ from the file")
		}
		// The upload's own objects are gone once it became an item.
		if objs, _ := e.a.Storage.List(t.Context(), "uploads/"); len(objs) != 0 {
			t.Fatalf("upload objects left: %+v", objs)
		}
		if code, _ := e.offset(t, loc, e.staff.Token); code != http.StatusNotFound {
			t.Fatalf("finished upload: HEAD %d, want 404", code)
		}
	})
}

func TestResumableUploadChecksAtCompletion(t *testing.T) {
	e := newEnv(t, storagetest.File(t), map[string]string{"MEDIA_MAX_IMAGE_MB": "1"})
	before := count(t, e.a)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	loc := e.create(t, len(svg), "logo.png")
	r := e.patch(t, loc, 0, svg).Want(http.StatusUnsupportedMediaType)
	if p := decodeProblem(t, r); len(p.Errors) != 1 || p.Errors[0].Field != "file" {
		t.Fatalf("problem %+v", p)
	}
	big := pngFile(1<<20 + 10)
	loc = e.create(t, len(big), "big.png")
	e.patch(t, loc, 0, big).Want(http.StatusRequestEntityTooLarge)
	e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: e.staff.Token, Header: tusHeaders(map[string]string{"Upload-Length": "0"})}).Want(422)
	e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: e.staff.Token,
		Header: tusHeaders(map[string]string{"Upload-Length": strconv.Itoa(600 << 20)})}).Want(http.StatusRequestEntityTooLarge)
	if got := count(t, e.a); got != before {
		t.Fatalf("rows %d, want %d", got, before)
	}
	if objs, _ := e.a.Storage.List(t.Context(), ""); len(objs) != 0 {
		t.Fatalf("objects left: %+v", objs)
	}
}

func TestSweepRemovesStaleIncompleteUploads(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		e := newEnv(t, b, nil)
		data := pdfFile()
		stale := e.create(t, len(data), "stale.pdf")
		e.patch(t, stale, 0, data[:10]).Want(http.StatusNoContent)
		e.a.Advance(23 * time.Hour)
		e.a.Login(t, e.staff, apptest.Password)
		fresh := e.create(t, len(data), "fresh.pdf")
		e.patch(t, fresh, 0, data[:10]).Want(http.StatusNoContent)
		if n, err := e.a.Media.SweepUploads(t.Context(), e.a.Now()); err != nil || n != 0 {
			t.Fatalf("sweep at 23 h: %d, %v", n, err)
		}
		e.a.Advance(2 * time.Hour)
		e.a.Login(t, e.staff, apptest.Password)
		n, err := e.a.Media.SweepUploads(t.Context(), e.a.Now())
		if err != nil || n != 1 {
			t.Fatalf("sweep at 25 h: %d, %v; want 1", n, err)
		}
		if code, _ := e.offset(t, stale, e.staff.Token); code != http.StatusNotFound {
			t.Fatalf("stale upload: HEAD %d, want 404", code)
		}
		if code, off := e.offset(t, fresh, e.staff.Token); code != http.StatusOK || off != 10 {
			t.Fatalf("fresh upload: HEAD %d offset %d", code, off)
		}
		objs, _ := e.a.Storage.List(t.Context(), "uploads/")
		for _, o := range objs {
			if !strings.Contains(o.Key, strings.TrimPrefix(fresh, "/api/v1/uploads/")) {
				t.Fatalf("left behind: %s", o.Key)
			}
		}
	})
}
