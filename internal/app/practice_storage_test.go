package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/app/openapi"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

// newWorldWith is newWorld with extra configuration (a storage backend, a smaller limit).
func newWorldWith(t *testing.T, extra map[string]string) *world {
	t.Helper()
	mailpittest.Require(t)
	env := stripeEnv(t)
	for k, v := range extra {
		env[k] = v
	}
	a := apptest.New(t, env)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &world{Checked: a.WithContract(apptest.NewContract(t, doc)), t: t}
}

// recordings lists the recording files the bucket holds for a submission.
func recordings(t *testing.T, w *world, submissionID string) []string {
	t.Helper()
	objs, err := w.Storage.List(context.Background(), "practice/"+submissionID+"/")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	return keys
}

// TestPracticeRecordingStorage stores recordings on disk and on S3: a file over PRACTICE_MAX_MB
// is refused and leaves nothing behind, recording again replaces the file, a tus upload cut
// halfway resumes and becomes the recording, and deleting the submission deletes its file.
func TestPracticeRecordingStorage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		env := map[string]string{"PRACTICE_MAX_MB": "1"}
		for k, v := range b.Env {
			env[k] = v
		}
		w := newWorldWith(t, env)
		practiceActivities(w)
		rep, other := w.account("st-rae", ""), w.account("st-oli", "")
		var sub struct {
			ID string `json:"id"`
		}
		w.want(rep, 201, "POST", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &sub)
		base := "/api/v1/submissions/" + sub.ID
		webm := map[string]string{"Content-Type": "video/webm"}

		w.send(rep, "PUT", base+"/recording", webmClip(1<<20), webm).Want(413)
		if keys := recordings(t, w, sub.ID); len(keys) != 0 {
			t.Fatalf("a refused recording left %v", keys)
		}
		w.send(rep, "PUT", base+"/recording", webmClip(2000), webm).Want(204)
		first := recordings(t, w, sub.ID)
		w.send(rep, "PUT", base+"/recording", webmClip(3000), map[string]string{"Content-Type": "audio/webm"}).Want(204)
		second := recordings(t, w, sub.ID)
		if len(first) != 1 || len(second) != 1 || first[0] == second[0] {
			t.Fatalf("recording again: %v then %v, want one file replaced by another", first, second)
		}

		// tus: only the draft's owner starts an upload for it, within the limit; a cut PATCH resumes.
		tus := func(m map[string]string) map[string]string { m["Tus-Resumable"] = "1.0.0"; return m }
		meta := "submission_id " + base64.StdEncoding.EncodeToString([]byte(sub.ID)) +
			",filetype " + base64.StdEncoding.EncodeToString([]byte("video/webm"))
		clip := webmClip(5000)
		w.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: other.Token,
			Header: tus(map[string]string{"Upload-Length": strconv.Itoa(len(clip)), "Upload-Metadata": meta})}).Want(404)
		w.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: rep.Token,
			Header: tus(map[string]string{"Upload-Length": strconv.Itoa(len(clip))})}).Want(403)
		w.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: rep.Token,
			Header: tus(map[string]string{"Upload-Length": strconv.Itoa(2 << 20), "Upload-Metadata": meta})}).Want(413)
		r := w.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: rep.Token,
			Header: tus(map[string]string{"Upload-Length": strconv.Itoa(len(clip)), "Upload-Metadata": meta})}).Want(201)
		loc, _ := url.Parse(r.Header().Get("Location"))
		w.Do(apptest.Request{Method: "PATCH", Path: loc.Path, Token: rep.Token, Body: clip[:2000],
			Header: tus(map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})}).Want(204)
		w.Do(apptest.Request{Method: "HEAD", Path: loc.Path, Token: other.Token, Header: tus(map[string]string{})}).Want(404)
		head := w.Do(apptest.Request{Method: "HEAD", Path: loc.Path, Token: rep.Token, Header: tus(map[string]string{})}).Want(200)
		if got := head.Header().Get("Upload-Offset"); got != "2000" {
			t.Fatalf("resume offset %q, want 2000", got)
		}
		done := w.Do(apptest.Request{Method: "PATCH", Path: loc.Path, Token: rep.Token, Body: clip[2000:],
			Header: tus(map[string]string{"Upload-Offset": "2000", "Content-Type": "application/offset+octet-stream"})}).Want(204)
		if done.Header().Get("Submission-Id") != sub.ID {
			t.Errorf("final PATCH names submission %q", done.Header().Get("Submission-Id"))
		}
		third := recordings(t, w, sub.ID)
		if len(third) != 1 || third[0] == second[0] {
			t.Fatalf("after the tus upload: %v (before %v)", third, second)
		}
		var got struct {
			HasRecording bool   `json:"has_recording"`
			RecordingURL string `json:"recording_url"`
		}
		w.want(rep, 200, "GET", base, nil, &got)
		if !got.HasRecording {
			t.Fatal("the tus upload is not the recording")
		}
		body := w.want(nil, 200, "GET", got.RecordingURL, nil, nil).Body.Bytes()
		if string(body) != string(clip) {
			t.Errorf("served %d bytes, want the %d uploaded", len(body), len(clip))
		}
		if objs, _ := w.Storage.List(context.Background(), "uploads/"); len(objs) != 0 {
			t.Errorf("the upload's parts stayed behind: %d objects", len(objs))
		}

		w.want(rep, 204, "DELETE", base, nil, nil)
		if keys := recordings(t, w, sub.ID); len(keys) != 0 {
			t.Errorf("deleting the submission left %v", keys)
		}

		// The export lists the attempts; erasing the account deletes its recordings' files.
		var again struct {
			ID string `json:"id"`
		}
		w.want(rep, 201, "POST", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &again)
		w.send(rep, "PUT", "/api/v1/submissions/"+again.ID+"/recording", webmClip(1500), webm).Want(204)
		raw := w.want(rep, 200, "GET", "/api/v1/me/export", nil, nil).Body.Bytes()
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		var export string
		for _, f := range zr.File {
			if f.Name == "data.json" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				export = string(b)
			}
		}
		if !strings.Contains(export, `"practice"`) || !strings.Contains(export, again.ID) {
			t.Errorf("the export lacks the practice attempt: %.300s", export)
		}
		w.want(rep, 204, "DELETE", "/api/v1/me", map[string]string{"password": testPassword}, nil)
		if keys := recordings(t, w, again.ID); len(keys) != 0 {
			t.Errorf("erasing the account left %v", keys)
		}
	})
}

// TestPracticeStorageDown: with the bucket unreachable a recording is refused with 503 and the
// draft keeps what it had (its written response); nothing else fails.
func TestPracticeStorageDown(t *testing.T) {
	w := newWorldWith(t, map[string]string{
		"STORAGE_URL":      "s3://practice-down?endpoint=" + url.QueryEscape("http://127.0.0.1:9") + "&region=us-east-1&use_path_style=true",
		"S3_ACCESS_KEY_ID": "down", "S3_SECRET_ACCESS_KEY": "down-down-down",
	})
	practiceActivities(w)
	rep := w.account("down-rae", "")
	var sub struct {
		ID string `json:"id"`
	}
	w.want(rep, 201, "POST", "/api/v1/practice/reframe-the-status-quo/submissions", nil, &sub)
	base := "/api/v1/submissions/" + sub.ID
	w.want(rep, 204, "PUT", base+"/text", map[string]string{"text": "What I would say."}, nil)
	r := w.send(rep, "PUT", base+"/recording", webmClip(2000), map[string]string{"Content-Type": "video/webm"}).Want(503)
	if !strings.Contains(r.Body.String(), "problem") && r.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("503 body: %s", r.Body.String())
	}
	var got struct {
		HasRecording bool   `json:"has_recording"`
		Text         string `json:"text"`
		Status       string `json:"status"`
	}
	w.want(rep, 200, "GET", base, nil, &got)
	if got.HasRecording || got.Text != "What I would say." || got.Status != "draft" {
		t.Errorf("after the outage the draft is %+v", got)
	}
}
