package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/storage/storagetest"
)

// The evidence side of practice, through the whole app: the learner's observed scores beside
// their self-ratings, and their practice in the data export and erasure. Practice rows are seeded
// straight into its tables (the practice flow is tested in internal/practice).

func shortID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// seedPracticeActivity stores a video activity with the given rubric criteria (id → competency).
func seedPracticeActivity(t *testing.T, a *apptest.App, slug, title string, criteria [][2]string) string {
	t.Helper()
	var rubric []map[string]any
	comps := map[string]bool{}
	var list []string
	for _, c := range criteria {
		rubric = append(rubric, map[string]any{"id": c[0], "competency": c[1], "criterion": "Does " + c[0],
			"anchors": map[string]string{"1": "Not yet", "3": "Partly", "5": "Fully"}})
		if !comps[c[1]] {
			comps[c[1]] = true
			list = append(list, c[1])
		}
	}
	rj, _ := json.Marshal(rubric)
	var id string
	if err := a.DB.Gorm.Raw(`INSERT INTO practice_activities (slug, title, competencies, kind, brief, brief_html, time_limit_seconds, rubric)
		VALUES (?, ?, ?, 'video', 'Respond.', '<p>Respond.</p>', 120, ?) RETURNING id`,
		slug, title, "{"+strings.Join(list, ",")+"}", string(rj)).Scan(&id).Error; err != nil {
		t.Fatalf("seed activity: %v", err)
	}
	return id
}

// seedPracticeSubmission stores attempt n of userID in status, handed in at at; key (optional)
// names its recording in storage.
func seedPracticeSubmission(t *testing.T, a *apptest.App, activity, userID string, n int, status string, at time.Time, key string, size int) string {
	t.Helper()
	var submitted, reviewed *time.Time
	if status != "draft" {
		submitted = &at
	}
	if status == "reviewed" {
		reviewed = &at
	}
	var id string
	q := `INSERT INTO practice_submissions (activity_id, user_id, attempt, status, self_review, submitted_at, reviewed_at, text)
		VALUES (?, ?, ?, ?, '{"scores":[{"criterion_id":"c1","score":4}],"note":"I rushed the close."}', ?, ?, 'Typed answer') RETURNING id`
	args := []any{activity, userID, n, status, submitted, reviewed}
	if err := a.DB.Gorm.Raw(q, args...).Scan(&id).Error; err != nil {
		t.Fatalf("seed submission: %v", err)
	}
	if key != "" {
		key = strings.ReplaceAll(key, "{id}", id)
		if err := a.DB.Gorm.Exec(`UPDATE practice_submissions SET recording_key = ?, content_type = 'video/webm', bytes = ?,
			duration_seconds = 12.5, text = NULL WHERE id = ?`, key, size, id).Error; err != nil {
			t.Fatalf("seed recording: %v", err)
		}
	}
	return id
}

// seedPracticeReview stores a review (submitted unless draft) with scores by criterion id.
func seedPracticeReview(t *testing.T, a *apptest.App, submission, reviewerID, role string, draft bool, scores map[string]int) {
	t.Helper()
	var list []map[string]any
	for _, k := range []string{"c1", "c2", "c3"} {
		if v, ok := scores[k]; ok {
			list = append(list, map[string]any{"criterion_id": k, "score": v})
		}
	}
	sj, _ := json.Marshal(list)
	var at *time.Time
	if !draft {
		now := time.Now().UTC()
		at = &now
	}
	if err := a.DB.Gorm.Exec(`INSERT INTO practice_reviews (submission_id, reviewer_id, role, scores, comments, summary, submitted_at)
		VALUES (?, ?, ?, ?, '[{"at_seconds":3,"text":"Good pause"}]', 'Clear and calm.', ?)`, submission, reviewerID, role, string(sj), at).Error; err != nil {
		t.Fatalf("seed review: %v", err)
	}
}

const observedInstrument = `slug: %s
title: Observed check
description: A two-skill Likert check whose scores are easy to compute by hand.
weights:
  likert: 0.5
  sjt: 0.5
likert_labels: [Very inaccurate, Moderately inaccurate, Neither, Moderately accurate, Very accurate]
sjt_instruction: Rate each action from 1 to 5.
competencies:
  - key: self_awareness
    name: Self-awareness
  - key: job_diagnosis
    name: Job diagnosis
items:
  - {id: s1, competency: self_awareness, type: likert, prompt: I notice my mood.}
  - {id: s2, competency: self_awareness, type: likert, prompt: I know my triggers.}
  - {id: j1, competency: job_diagnosis, type: likert, prompt: I find the job to be done.}
  - {id: j2, competency: job_diagnosis, type: likert, prompt: I ask why now.}
`

// TestObservedSkills checks GET /me/observed against values computed by hand:
//
//	self (Likert part, 25·(v-1)): self_awareness 4s → 75, job_diagnosis 2s → 25.
//	Attempt A (reviewed), criteria c1 self_awareness, c2 and c3 job_diagnosis:
//	  manager 1 (2, 3, 4), manager 2 (3, 5, 5), a peer (1, 1, 1) that never counts.
//	Attempt B (reviewed): manager 1 (4, 2, 2); manager 3's draft (1, 1, 1) does not count.
//	Attempt C (submitted, not reviewed) and a draft do not count.
//	self_awareness: 2, 3, 4 → mean 3 → 100·2/4 = 50, 3 reviews, gap 75-50 = 25.
//	job_diagnosis: 3, 4, 5, 5, 2, 2 → 21/6 = 3.5 → 62.5, 3 reviews, gap 25-62.5 = -37.5.
//	Every other competency: all null, 0 reviews.
func TestObservedSkills(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	ada := a.NewUser(t, "obsada", "")
	m1, m2, m3, peer := a.NewUser(t, "obsm1", ""), a.NewUser(t, "obsm2", ""), a.NewUser(t, "obsm3", ""), a.NewUser(t, "obspeer", "")
	slug := "observed-" + shortID()
	if rep, err := a.Assess.ImportInstruments(ctx, fstest.MapFS{"assessments/" + slug + ".yaml": {Data: []byte(fmt.Sprintf(observedInstrument, slug))}}); err != nil || len(rep.Errors) > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}

	var empty struct {
		Competencies []map[string]any `json:"competencies"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/observed", Token: ada.Token}).Want(http.StatusOK).Decode(&empty)
	if len(empty.Competencies) != 8 {
		t.Fatalf("before anything: %+v, want all 8 competencies", empty)
	}
	for _, c := range empty.Competencies {
		if c["self"] != nil || c["observed"] != nil || c["gap"] != nil || c["reviews"] != float64(0) {
			t.Errorf("before anything: %v", c)
		}
	}

	at, _, err := a.Assess.Start(ctx, ada.ID, slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range at.ItemOrder {
		v := "2"
		if strings.HasPrefix(item, "s") {
			v = "4"
		}
		if err := a.Assess.SaveResponse(ctx, ada.ID, at.ID, item, json.RawMessage(v)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Assess.Submit(ctx, ada.ID, at.ID); err != nil {
		t.Fatal(err)
	}

	act := seedPracticeActivity(t, a, "observed-act-"+shortID(), "Observed", [][2]string{{"c1", "self_awareness"}, {"c2", "job_diagnosis"}, {"c3", "job_diagnosis"}})
	now := time.Now().UTC()
	subA := seedPracticeSubmission(t, a, act, ada.ID, 1, "reviewed", now.Add(-3*time.Hour), "", 0)
	seedPracticeReview(t, a, subA, m1.ID, "manager", false, map[string]int{"c1": 2, "c2": 3, "c3": 4})
	seedPracticeReview(t, a, subA, m2.ID, "manager", false, map[string]int{"c1": 3, "c2": 5, "c3": 5})
	seedPracticeReview(t, a, subA, peer.ID, "peer", false, map[string]int{"c1": 1, "c2": 1, "c3": 1})
	subB := seedPracticeSubmission(t, a, act, ada.ID, 2, "reviewed", now.Add(-2*time.Hour), "", 0)
	seedPracticeReview(t, a, subB, m1.ID, "manager", false, map[string]int{"c1": 4, "c2": 2, "c3": 2})
	seedPracticeReview(t, a, subB, m3.ID, "manager", true, map[string]int{"c1": 1, "c2": 1, "c3": 1})
	subC := seedPracticeSubmission(t, a, act, ada.ID, 3, "submitted", now.Add(-time.Hour), "", 0)
	seedPracticeReview(t, a, subC, m3.ID, "manager", true, map[string]int{"c1": 1, "c2": 1, "c3": 1})
	seedPracticeSubmission(t, a, act, ada.ID, 4, "draft", now, "", 0)

	type comp struct {
		Competency string   `json:"competency"`
		Self       *float64 `json:"self"`
		Observed   *float64 `json:"observed"`
		Gap        *float64 `json:"gap"`
		Reviews    int      `json:"reviews"`
	}
	var got struct {
		Competencies []comp `json:"competencies"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/observed", Token: ada.Token}).Want(http.StatusOK).Decode(&got)
	n := func(v float64) *float64 { return &v }
	want := []comp{
		{"self_awareness", n(75), n(50), n(25), 3},
		{"self_management", nil, nil, nil, 0},
		{"social_awareness", nil, nil, nil, 0},
		{"relationship_management", nil, nil, nil, 0},
		{"job_diagnosis", n(25), n(62.5), n(-37.5), 3},
		{"consensus_building", nil, nil, nil, 0},
		{"prescriptive_guidance", nil, nil, nil, 0},
		{"stakeholder_mapping", nil, nil, nil, 0},
	}
	if !reflect.DeepEqual(got.Competencies, want) {
		g, _ := json.Marshal(got.Competencies)
		w, _ := json.Marshal(want)
		t.Errorf("observed:\n got %s\nwant %s", g, w)
	}
	// The reviewers' own view has nothing of ada's.
	var mine struct {
		Competencies []comp `json:"competencies"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/observed", Token: m1.Token}).Want(http.StatusOK).Decode(&mine)
	for _, c := range mine.Competencies {
		if c.Observed != nil || c.Reviews != 0 {
			t.Errorf("a reviewer's own observed scores: %+v", c)
		}
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/observed"}).Want(http.StatusUnauthorized)
}

// TestPracticeExportAndErasure: a learner's recording is in their export ZIP byte for byte,
// data.json has the attempt, its self-review, the recording's path in the ZIP and the review
// they received (reviewer by name); erasing the account deletes their recording from storage,
// the team report no longer lists them, and the review they wrote on a teammate's attempt stays
// with that teammate as "A former reviewer".
func TestPracticeExportAndErasure(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, b storagetest.Backend) {
		a := apptest.New(t, b.Env)
		ctx := context.Background()
		mgr, rep, mate := a.NewUser(t, "pxmgr", ""), a.NewUser(t, "pxrep", ""), a.NewUser(t, "pxmate", "")
		var team struct {
			ID string `json:"id"`
		}
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams", Token: mgr.Token, Body: map[string]string{"name": "Export " + b.Name}}).
			Want(http.StatusCreated).Decode(&team)
		for _, u := range []*apptest.User{rep, mate} {
			if err := a.DB.Gorm.Exec(`INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
				VALUES (?, ?, 'member', true, now())`, team.ID, u.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		slug := "export-act-" + shortID()
		act := seedPracticeActivity(t, a, slug, "Price push-back", [][2]string{{"c1", "prescriptive_guidance"}, {"c2", "job_diagnosis"}, {"c3", "consensus_building"}})

		// A recording of a few hundred kilobytes: WebM magic, then bytes that do not compress.
		clip := make([]byte, 300<<10)
		_, _ = rand.Read(clip)
		copy(clip, []byte{0x1A, 0x45, 0xDF, 0xA3})
		sub := seedPracticeSubmission(t, a, act, rep.ID, 1, "reviewed", time.Now().UTC(), "practice/{id}/take1.webm", len(clip))
		key := "practice/" + sub + "/take1.webm"
		if _, err := a.Storage.Put(ctx, key, "video/webm", bytes.NewReader(clip)); err != nil {
			t.Fatalf("put: %v", err)
		}
		seedPracticeReview(t, a, sub, mgr.ID, "manager", false, map[string]int{"c1": 4, "c2": 3, "c3": 5})
		mateSub := seedPracticeSubmission(t, a, act, mate.ID, 1, "submitted", time.Now().UTC(), "", 0)
		seedPracticeReview(t, a, mateSub, rep.ID, "peer", false, map[string]int{"c1": 2, "c2": 2, "c3": 2})

		res := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: rep.Token}).Want(http.StatusOK)
		files := unzip(t, res.Body.Bytes())
		var doc struct {
			Practice struct {
				Submissions []struct {
					ID        string `json:"id"`
					Activity  string `json:"activity"`
					Recording *struct {
						File  string `json:"file"`
						Bytes int    `json:"bytes"`
					} `json:"recording"`
					SelfReview struct {
						Note string `json:"note"`
					} `json:"self_review"`
					Reviews []struct {
						Reviewer string `json:"reviewer"`
						Role     string `json:"role"`
						Summary  string `json:"summary"`
					} `json:"reviews"`
				} `json:"submissions"`
				ReviewsWritten []struct {
					SubmissionID string `json:"submission_id"`
					Role         string `json:"role"`
				} `json:"reviews_written"`
			} `json:"practice"`
		}
		if err := json.Unmarshal(files["data.json"], &doc); err != nil {
			t.Fatalf("data.json: %v", err)
		}
		ps := doc.Practice.Submissions
		if len(ps) != 1 || ps[0].ID != sub || ps[0].Activity != slug || ps[0].Recording == nil || ps[0].SelfReview.Note != "I rushed the close." ||
			len(ps[0].Reviews) != 1 || ps[0].Reviews[0].Reviewer != mgr.Name || ps[0].Reviews[0].Role != "manager" {
			t.Fatalf("practice section: %s", files["data.json"])
		}
		file := ps[0].Recording.File
		if file != "recordings/"+slug+"-attempt-1.webm" || ps[0].Recording.Bytes != len(clip) {
			t.Errorf("recording = %+v", ps[0].Recording)
		}
		if !bytes.Equal(files[file], clip) {
			t.Errorf("%s in the ZIP: %d bytes, not the recording's %d", file, len(files[file]), len(clip))
		}
		if w := doc.Practice.ReviewsWritten; len(w) != 1 || w[0].SubmissionID != mateSub || w[0].Role != "peer" {
			t.Errorf("reviews written: %+v", w)
		}
		// Nobody else's recordings: the mate's export has no file.
		if mf := unzip(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: mate.Token}).Want(http.StatusOK).Body.Bytes()); len(mf) != 1 {
			t.Errorf("mate's export holds %d files, want data.json alone", len(mf))
		}

		a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/me", Token: rep.Token, Body: map[string]string{"password": apptest.Password}}).
			Want(http.StatusNoContent)
		left, err := a.Storage.List(ctx, "practice/"+sub+"/")
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Errorf("objects left after erasure: %+v", left)
		}
		var rows int
		a.DB.Gorm.Raw(`SELECT count(*) FROM practice_submissions WHERE user_id = ?`, rep.ID).Scan(&rows)
		if rows != 0 {
			t.Errorf("%d submissions of the erased user remain", rows)
		}
		var report struct {
			Members []struct {
				UserID string `json:"user_id"`
			} `json:"members"`
		}
		a.Do(apptest.Request{Method: "GET", Path: "/api/v1/teams/" + team.ID + "/report", Token: mgr.Token}).Want(http.StatusOK).Decode(&report)
		for _, m := range report.Members {
			if m.UserID == rep.ID {
				t.Errorf("the report still lists the erased rep")
			}
		}
		// The review the rep wrote stays with the mate, by "A former reviewer".
		var mateDoc struct {
			Practice struct {
				Submissions []struct {
					Reviews []struct {
						Reviewer string `json:"reviewer"`
					} `json:"reviews"`
				} `json:"submissions"`
			} `json:"practice"`
		}
		mf := unzip(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: mate.Token}).Want(http.StatusOK).Body.Bytes())
		if err := json.Unmarshal(mf["data.json"], &mateDoc); err != nil {
			t.Fatal(err)
		}
		if s := mateDoc.Practice.Submissions; len(s) != 1 || len(s[0].Reviews) != 1 || s[0].Reviews[0].Reviewer != "A former reviewer" {
			t.Errorf("the mate's attempt after the reviewer left: %s", mf["data.json"])
		}
	})
}

// unzip reads every file of a ZIP into memory (test exports are small).
func unzip(t *testing.T, body []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b
	}
	return out
}

// TestRecordingsCountTowardsAQueuedExport: the size estimate that decides between streaming an
// export at once and preparing it by a job includes the learner's stored recordings.
func TestRecordingsCountTowardsAQueuedExport(t *testing.T) {
	a := apptest.New(t, map[string]string{"EXPORT_INLINE_MAX_MB": "1"})
	rep := a.NewUser(t, "pxsize", "")
	act := seedPracticeActivity(t, a, "size-act-"+shortID(), "Size", [][2]string{{"c1", "prescriptive_guidance"}, {"c2", "job_diagnosis"}, {"c3", "consensus_building"}})
	seedPracticeSubmission(t, a, act, rep.ID, 1, "submitted", time.Now().UTC(), "", 0)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: rep.Token}).Want(http.StatusOK)

	// A second attempt with a 2 MB recording takes the estimate over the 1 MB inline limit.
	seedPracticeSubmission(t, a, act, rep.ID, 2, "submitted", time.Now().UTC(), "practice/{id}/take.webm", 2<<20)
	var got struct {
		Status string `json:"status"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/export", Token: rep.Token}).Want(http.StatusAccepted).Decode(&got)
	if got.Status != "queued" {
		t.Fatalf("status %q, want queued", got.Status)
	}
}
