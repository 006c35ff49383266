package media_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

func TestUploadEachKind(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		e := newEnv(t, b, nil)
		cases := []struct {
			name, kind, ctype string
			data              []byte
			seconds           float64 // 0: no duration expected
		}{
			{"diagram.png", "image", "image/png", pngFile(500), 0},
			{"photo.jpg", "image", "image/jpeg", jpegFile(), 0},
			{"photo.webp", "image", "image/webp", webpFile(), 0},
			{"call.mp4", "video", "video/mp4", mp4File("isom", 1000, 12345), 12.345},
			{"call.webm", "video", "video/webm", webmFile(7.5), 7.5},
			{"pitch.mp3", "audio", "audio/mpeg", mp3File(), 0},
			{"pitch.m4a", "audio", "audio/mp4", mp4File("M4A ", 44100, 441000), 10},
			{"pitch.aac", "audio", "audio/aac", aacFile(), 0},
			{"pitch.ogg", "audio", "audio/ogg", oggFile(3), 3},
			{"worksheet.pdf", "document", "application/pdf", pdfFile(), 0},
			{"call.vtt", "captions", "text/vtt; charset=utf-8", vttFile(), 0},
		}
		for _, c := range cases {
			var it item
			e.upload(t, c.name, "application/octet-stream", c.data, map[string]string{"alt": "Alt of " + c.name}).
				Want(http.StatusCreated).Decode(&it)
			if it.Kind != c.kind || it.ContentType != c.ctype || it.Bytes != int64(len(c.data)) || it.URL != "/media/"+it.ID ||
				it.FileName != c.name || it.Alt != "Alt of "+c.name || it.Title == "" || it.UsedIn == nil {
				t.Fatalf("%s: got %+v", c.name, it)
			}
			switch {
			case c.seconds == 0 && it.DurationSeconds != nil:
				t.Fatalf("%s: duration %v, want null", c.name, *it.DurationSeconds)
			case c.seconds != 0 && (it.DurationSeconds == nil || *it.DurationSeconds != c.seconds):
				t.Fatalf("%s: duration %v, want %v", c.name, it.DurationSeconds, c.seconds)
			}
			// The stored bytes come back exactly, with the stored type.
			r := e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Token: e.staff.Token}).Want(http.StatusOK)
			if !bytes.Equal(r.Body.Bytes(), c.data) || r.Header().Get("Content-Type") != c.ctype {
				t.Fatalf("%s: served %d bytes as %q", c.name, r.Body.Len(), r.Header().Get("Content-Type"))
			}
		}
		var list struct{ Media []item }
		e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media", Token: e.staff.Token}).Want(http.StatusOK).Decode(&list)
		if len(list.Media) < len(cases) || list.Media[0].FileName != "call.vtt" {
			t.Fatalf("library: %d items, newest %+v", len(list.Media), list.Media[0])
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		e := newEnv(t, b, map[string]string{"MEDIA_MAX_IMAGE_MB": "1"})
		before := count(t, e.a)
		for _, c := range []struct {
			what, name, ctype string
			data              []byte
			status            int
		}{
			{"SVG", "logo.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415},
			{"HTML named .png and sent as image/png", "cat.png", "image/png", []byte("<!doctype html><script>alert(1)</script>"), 415},
			{"a PNG's extension on a script", "evil.png", "image/png", []byte("#!/bin/sh\nrm -rf /\n"), 415},
			{"an executable named .mp4", "movie.mp4", "video/mp4", append([]byte("MZ\x90\x00"), make([]byte, 100)...), 415},
			{"an empty file", "empty.pdf", "application/pdf", nil, 422},
			{"an image over 1 MB", "huge.png", "image/png", pngFile(1<<20 + 1), 413},
		} {
			r := e.upload(t, c.name, c.ctype, c.data, nil).Want(c.status)
			p := decodeProblem(t, r)
			if p.Detail == "" || len(p.Errors) != 1 || p.Errors[0].Field != "file" {
				t.Fatalf("%s: problem %+v", c.what, p)
			}
		}
		// Exactly at the limit is fine.
		e.upload(t, "exact.png", "", pngFile(1<<20), nil).Want(http.StatusCreated)
		if got := count(t, e.a); got != before+1 {
			t.Fatalf("rows = %d, want %d: a refused upload was recorded", got, before+1)
		}
		// Nothing of the refused files is left in storage either: one object, the accepted one.
		objs, err := e.a.Storage.List(t.Context(), "media/")
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) != 1 {
			t.Fatalf("storage holds %d objects, want 1", len(objs))
		}
		// Not multipart, no file part, a title too long.
		e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/media", Token: e.staff.Token, Body: map[string]any{"file": "x"}}).Want(415)
		body, ct := form(t, "x.png", "", pngFile(100), map[string]string{"title": strings.Repeat("t", 201)})
		r := e.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/media", Token: e.staff.Token, Body: body,
			Header: map[string]string{"Content-Type": ct}}).Want(422)
		if p := decodeProblem(t, r); len(p.Errors) != 1 || p.Errors[0].Field != "title" {
			t.Fatalf("long title: %+v", p)
		}
	})
}

func TestUploadFileNamesAreSanitised(t *testing.T) {
	e := newEnv(t, storagetest.File(t), nil)
	for name, want := range map[string]string{
		"../../etc/passwd.png":         "passwd.png",
		`..\..\windows\system32\a.png`: "a.png",
		"/absolute/path/shot.png":      "shot.png",
		"..png":                        "png",
		"....":                         "file",
		`quote"and<angle>.png`:         "quote_and_angle_.png",
	} {
		it := e.mustUpload(t, name, pngFile(64))
		if it.FileName != want {
			t.Errorf("%q stored as %q, want %q", name, it.FileName, want)
		}
		r := e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Token: e.staff.Token}).Want(http.StatusOK)
		if cd := r.Header().Get("Content-Disposition"); strings.Contains(cd, "..") || strings.Contains(cd, "/") {
			t.Errorf("%q: Content-Disposition %q", name, cd)
		}
	}
	// The bytes live under the item's id, whatever the name said.
	objs, _ := e.a.Storage.List(t.Context(), "")
	for _, o := range objs {
		if !strings.HasPrefix(o.Key, "media/") || strings.Count(o.Key, "/") != 1 {
			t.Fatalf("object stored at %q", o.Key)
		}
	}
}

func TestStorageDownIs503AndNothingRecorded(t *testing.T) {
	e := newEnv(t, storagetest.Backend{Env: map[string]string{
		"STORAGE_URL":      "s3://down?endpoint=http://127.0.0.1:1&region=us-east-1&use_path_style=true",
		"S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s"}}, nil)
	before := count(t, e.a)
	r := e.upload(t, "diagram.png", "", pngFile(300), nil).Want(http.StatusServiceUnavailable)
	if p := decodeProblem(t, r); !strings.Contains(p.Detail, "Nothing was saved") {
		t.Fatalf("detail = %q", p.Detail)
	}
	if got := count(t, e.a); got != before {
		t.Fatalf("rows = %d, want %d", got, before)
	}
	// The rest of the app keeps working.
	e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media", Token: e.staff.Token}).Want(http.StatusOK)
}

func TestLibraryEditAndDelete(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		e := newEnv(t, b, nil)
		it := e.mustUpload(t, "call-flow.png", pngFile(400))
		if it.Title != "call flow" {
			t.Fatalf("default title = %q", it.Title)
		}
		var got item
		e.a.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/studio/media/" + it.ID, Token: e.staff.Token,
			Body: map[string]any{"title": "Call flow", "alt": "Five steps of a discovery call"}}).Want(http.StatusOK).Decode(&got)
		if got.Title != "Call flow" || got.Alt != "Five steps of a discovery call" {
			t.Fatalf("patched: %+v", got)
		}
		e.a.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/studio/media/" + it.ID, Token: e.staff.Token,
			Body: map[string]any{"title": ""}}).Want(422)
		e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media/" + it.ID, Token: e.staff.Token}).Want(http.StatusOK).Decode(&got)
		if got.Title != "Call flow" {
			t.Fatalf("a refused patch changed the item: %+v", got)
		}
		e.a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/studio/media/" + it.ID, Token: e.staff.Token}).Want(http.StatusNoContent)
		e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media/" + it.ID, Token: e.staff.Token}).Want(http.StatusNotFound)
		e.a.Do(apptest.Request{Method: "GET", Path: it.URL, Token: e.staff.Token}).Want(http.StatusNotFound)
		if _, err := e.a.Storage.Size(t.Context(), "media/"+it.ID); err == nil {
			t.Fatal("bytes left after delete")
		}
		// Learners see none of it.
		l := e.a.NewUser(t, "learner", "")
		e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media", Token: l.Token}).Want(http.StatusForbidden)
		e.a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/media"}).Want(http.StatusUnauthorized)
	})
}

func TestImportIsHashAddressed(t *testing.T) {
	e := newEnv(t, storagetest.File(t), nil)
	ctx := t.Context()
	pdf := append(pdfFile(), []byte("% import test\n")...)
	a, err := e.a.Media.Import(ctx, "worksheet.pdf", pdf, "Worksheet", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.a.Media.Import(ctx, "copy.pdf", pdf, "Other", "")
	if err != nil || b.ID != a.ID {
		t.Fatalf("second import = %v, %v; want the same item %s", b.ID, err, a.ID)
	}
	if _, err := e.a.Media.Import(ctx, "content/modules/01-x/media/evil.svg", []byte("<svg/>"), "", ""); err == nil ||
		!strings.Contains(err.Error(), "can’t be used") {
		t.Fatalf("svg import: %v", err)
	}
	found, err := e.a.Media.FindMany(ctx, []string{a.ID, "not-an-id", "00000000-0000-0000-0000-000000000000"})
	if err != nil || len(found) != 1 || found[a.ID].Title != "Worksheet" {
		t.Fatalf("FindMany = %v, %v", found, err)
	}
}
