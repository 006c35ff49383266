package media_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// item is a media item as the API returns it.
type item struct {
	ID              string   `json:"id"`
	Kind            string   `json:"kind"`
	ContentType     string   `json:"content_type"`
	Bytes           int64    `json:"bytes"`
	Title           string   `json:"title"`
	Alt             string   `json:"alt"`
	FileName        string   `json:"file_name"`
	DurationSeconds *float64 `json:"duration_seconds"`
	URL             string   `json:"url"`
	UsedIn          []any    `json:"used_in"`
}

// problem is a problem+json body.
type problem struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// env is an app on backend b, with an instructor signed in.
type env struct {
	a     *apptest.App
	staff *apptest.User
}

func newEnv(t *testing.T, b storagetest.Backend, extra map[string]string) env {
	t.Helper()
	cfg := map[string]string{}
	for k, v := range b.Env {
		cfg[k] = v
	}
	for k, v := range extra {
		cfg[k] = v
	}
	a := apptest.New(t, cfg)
	return env{a: a, staff: a.NewUser(t, "instructor", "instructor")}
}

// form builds a multipart body: fields first, then the file part with the given header type.
func form(t *testing.T, name, ctype string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`}
	if ctype != "" {
		h["Content-Type"] = []string{ctype}
	}
	p, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = p.Write(data)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// upload posts a file and returns the response.
func (e env) upload(t *testing.T, name, ctype string, data []byte, fields map[string]string) *apptest.Response {
	t.Helper()
	body, ct := form(t, name, ctype, data, fields)
	return e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/media", Token: e.staff.Token, Body: body,
		Header: map[string]string{"Content-Type": ct}})
}

func (e env) mustUpload(t *testing.T, name string, data []byte) item {
	t.Helper()
	var it item
	e.upload(t, name, "", data, nil).Want(http.StatusCreated).Decode(&it)
	return it
}

func decodeProblem(t *testing.T, r *apptest.Response) problem {
	t.Helper()
	var p problem
	if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil {
		t.Fatalf("not problem+json: %s", r.Body.String())
	}
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type = %q, want application/problem+json", ct)
	}
	return p
}

// count is how many media rows exist.
func count(t *testing.T, a *apptest.App) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Gorm.Raw(`SELECT count(*) FROM media`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
