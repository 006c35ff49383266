package catalog_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
)

// uniquePNG is a small PNG whose bytes no other test stores (media is hash-addressed).
func uniquePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	b := make([]byte, 16*3)
	_, _ = rand.Read(b)
	for i := 0; i < 16; i++ {
		img.Set(i%4, i/4, color.RGBA{b[3*i], b[3*i+1], b[3*i+2], 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLessonMediaOverHTTP runs the catalog's media rules through the real app: the media
// library, the Studio routes, publishing, and /media/{id} served by who may read the lessons.
func TestLessonMediaOverHTTP(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	p := MustPeople(t, a)
	upload := func(name string) string {
		t.Helper()
		it, err := a.Media.Import(ctx, name, uniquePNG(t), "Diagram "+name, "")
		if err != nil {
			t.Fatal(err)
		}
		return it.ID
	}
	freeImg, premImg, draftImg := upload("free.png"), upload("premium.png"), upload("draft.png")

	t.Run("preview names the line of an unknown or wrong-kind id", func(t *testing.T) {
		r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/preview", Token: p.Instructor,
			Body: map[string]string{"markdown": "Intro.\n\n![Map](media:00000000-0000-4000-8000-000000000000)\n"}}).Want(422)
		wantProblem(t, r, "markdown")
		if !strings.Contains(r.Body.String(), "Line 3: There is no media item") {
			t.Errorf("problem does not name line 3: %s", r.Body.String())
		}
		r = a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/preview", Token: p.Instructor,
			Body: map[string]string{"markdown": "::video{media=" + freeImg + "}"}}).Want(422)
		if !strings.Contains(r.Body.String(), "Line 1: Media item") || !strings.Contains(r.Body.String(), "is an image") {
			t.Errorf("problem = %s", r.Body.String())
		}
		var out struct{ HTML string }
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/preview", Token: p.Instructor,
			Body: map[string]string{"markdown": "![A map](media:" + freeImg + ")"}}).Want(200).Decode(&out)
		if !strings.Contains(out.HTML, `<img src="/media/`+freeImg+`" alt="A map" loading="lazy">`) {
			t.Errorf("preview = %s", out.HTML)
		}
	})

	lessonWith := func(access, md string) string {
		t.Helper()
		mod := MustModule(t, a, access, 0, false)
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + mod + "/lessons", Token: p.Instructor,
			Body: map[string]any{"slug": "pictures", "title": "Pictures", "minutes": 5, "markdown": md}}).Want(201)
		return mod
	}
	freeMod := lessonWith(catalog.AccessFree, "Look:\n\n![](media:"+freeImg+")\n")

	t.Run("save names the line", func(t *testing.T) {
		r := a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/studio/modules/" + freeMod + "/lessons/pictures", Token: p.Instructor,
			Body: map[string]any{"markdown": "a\n\nb\n\n::audio{media=" + freeImg + "}\n"}}).Want(422)
		wantProblem(t, r, "markdown")
		if !strings.Contains(r.Body.String(), "Line 5:") {
			t.Errorf("problem = %s", r.Body.String())
		}
	})

	t.Run("publishing needs alt text", func(t *testing.T) {
		r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + freeMod + "/publish", Token: p.Instructor}).Want(422)
		wantProblem(t, r, "lessons.pictures.markdown")
		if !strings.Contains(r.Body.String(), "Line 3: Image") {
			t.Errorf("problem = %s", r.Body.String())
		}
		a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/studio/modules/" + freeMod + "/lessons/pictures", Token: p.Instructor,
			Body: map[string]any{"markdown": "Look:\n\n![Two circles that overlap](media:" + freeImg + ")\n"}}).Want(200)
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + freeMod + "/publish", Token: p.Instructor}).Want(201)
	})

	premMod := lessonWith(catalog.AccessPremium, "![A premium chart](media:"+premImg+")\n")
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/modules/" + premMod + "/publish", Token: p.Instructor}).Want(201)
	lessonWith(catalog.AccessFree, "![A draft chart](media:"+draftImg+")\n")

	t.Run("serving follows the lessons", func(t *testing.T) {
		get := func(id, token string, want int) *apptest.Response {
			t.Helper()
			return a.Do(apptest.Request{Method: "GET", Path: "/media/" + id, Token: token}).Want(want)
		}
		if cc := get(freeImg, "", http.StatusOK).Header().Get("Cache-Control"); !strings.Contains(cc, "public") {
			t.Errorf("free media Cache-Control = %q", cc)
		}
		get(premImg, "", http.StatusUnauthorized)
		get(premImg, p.Learner, http.StatusPaymentRequired)
		if cc := get(premImg, p.Instructor, http.StatusOK).Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("premium media to staff Cache-Control = %q", cc)
		}
		get(premImg, p.Admin, http.StatusOK)
		get(draftImg, "", http.StatusNotFound)
		get(draftImg, p.Learner, http.StatusNotFound)
		get(draftImg, p.Instructor, http.StatusOK)
	})

	t.Run("media a published version shows can't be deleted", func(t *testing.T) {
		a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/studio/media/" + freeImg, Token: p.Instructor}).Want(http.StatusConflict)
		a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/studio/media/" + draftImg, Token: p.Instructor}).Want(http.StatusNoContent)
	})
}
