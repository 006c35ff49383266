package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

// TestLargeExportIsQueuedMailedAndDownloadedOnce, on disk and on S3: with a tiny inline limit, a
// user with data gets 202 and an e-mailed link instead of the archive; the link works once, for
// anyone holding it, and the file is deleted after the download; an expired link is 410 and the
// sweep deletes its file; erasing the account deletes a prepared file too. A user whose export
// is under the limit still gets the archive at once.
func TestLargeExportIsQueuedMailedAndDownloadedOnce(t *testing.T) {
	mailpittest.Require(t)
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		env := map[string]string{"EXPORT_INLINE_MAX_MB": "0.0001"} // about 100 bytes
		for k, v := range b.Env {
			env[k] = v
		}
		a := apptest.New(t, env)
		ctx := context.Background()
		const prefix = "http://rapport.test/api/v1/me/export/"
		objects := func(userID string) int {
			t.Helper()
			objs, err := a.Storage.List(ctx, "exports/"+userID+"/")
			if err != nil {
				t.Fatal(err)
			}
			return len(objs)
		}
		// queue asks for u's export and returns the token of the link mailed for it: the n-th such
		// mail (an earlier one is already in Mailpit; waiting for "a" mail would return it at once,
		// while the new archive is still being written).
		queue := func(u *apptest.User, n int) string {
			t.Helper()
			var q struct {
				Status string `json:"status"`
			}
			a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: u.Token}).Want(http.StatusAccepted).Decode(&q)
			if q.Status != "queued" {
				t.Fatalf("queued answer %+v", q)
			}
			m := mailpittest.WaitForN(t, u.Email, "ready to download", n)[0] // newest first
			return strings.TrimPrefix(mailpittest.Link(t, m.Text, prefix), prefix)
		}
		pulse := func(u *apptest.User) {
			a.Do(apptest.Request{Method: "POST", Path: "/api/v1/pulses", Token: u.Token, Body: map[string]any{
				"meeting": "Discovery call", "prediction": map[string]int{"clarity": 3, "understood": 3, "again": 3}}}).Want(http.StatusCreated)
		}

		// Nothing to speak of: still the archive at once.
		small := a.NewUser(t, "small-export", "")
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: small.Token}).Want(http.StatusOK)

		u := a.NewUser(t, "large-export", "")
		pulse(u)
		token := queue(u, 1)
		if len(token) < 43 {
			t.Fatalf("the link's token %q is shorter than 256 bits", token)
		}
		if objects(u.ID) != 1 {
			t.Fatalf("the prepared archive is not in storage")
		}
		// Anyone with the link (no session) downloads it once; then the file is gone.
		r := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export/" + token}).Want(http.StatusOK)
		if cd := r.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("Content-Disposition %q", cd)
		}
		doc := unzipData(t, r.Body.Bytes())
		if doc["user_id"] != u.ID || !strings.Contains(string(mustJSON(t, doc["pulses"])), "Discovery call") {
			t.Fatalf("the downloaded archive: %v", doc)
		}
		if n := objects(u.ID); n != 0 {
			t.Errorf("%d export objects remain after the download", n)
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export/" + token}).Want(http.StatusGone)
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export/" + strings.Repeat("A", 43)}).Want(http.StatusNotFound)
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export/short"}).Want(http.StatusNotFound)

		// An unused link expires after 24 hours; the sweep deletes its file.
		late := queue(u, 2)
		if late == token {
			t.Fatal("the second export mailed the first link again")
		}
		a.Advance(25 * time.Hour)
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export/" + late}).Want(http.StatusGone)
		// Both links are past their day: the downloaded one (kept to answer 410) and the unused one
		// with its file.
		if n, err := a.Account.SweepExports(ctx, a.Now()); err != nil || n != 2 || objects(u.ID) != 0 {
			t.Fatalf("sweep: %d removed (err %v), %d objects left", n, err, objects(u.ID))
		}

		// Erasing the account deletes a prepared, never downloaded archive too.
		leaver := a.NewUser(t, "leaving-export", "")
		pulse(leaver)
		queue(leaver, 1)
		a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/me", Token: leaver.Token,
			Body: map[string]string{"password": apptest.Password}}).Want(http.StatusNoContent)
		if n := objects(leaver.ID); n != 0 {
			t.Errorf("%d export objects of an erased account remain", n)
		}
	})
}

func unzipData(t *testing.T, body []byte) map[string]any {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "data.json" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			var doc map[string]any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			return doc
		}
	}
	t.Fatal("no data.json")
	return nil
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
