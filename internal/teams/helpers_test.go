package teams_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/progress"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const testPassword = apptest.Password

// The package's fixed curriculum. Every test of the package shares one database, and progress
// percentages count every published lesson, so the tests publish exactly these two modules and
// nothing else: six lessons in all.
const (
	modAlpha = "teams-alpha" // 4 lessons
	modBeta  = "teams-beta"  // 2 lessons
	// instrument is a two-competency Likert-only assessment: every answer v scores 25*(v-1).
	instrument = "teams-check"
)

const instrumentYAML = `slug: %s
title: Team check
description: A two-skill check whose scores are easy to compute by hand.
weights:
  likert: 0.5
  sjt: 0.5
likert_labels: [Very inaccurate, Moderately inaccurate, Neither, Moderately accurate, Very accurate]
sjt_instruction: Rate each action from 1 to 5.
competencies:
  - key: listening
    name: Listening
  - key: mapping
    name: Mapping
items:
  - {id: l1, competency: listening, type: likert, prompt: I listen.}
  - {id: l2, competency: listening, type: likert, prompt: I ask.}
  - {id: m1, competency: mapping, type: likert, prompt: I map.}
  - {id: m2, competency: mapping, type: likert, prompt: I know who decides.}
`

// env is an app under test with an admin and the fixture curriculum.
type env struct {
	*apptest.App
	t       *testing.T
	admin   *user
	lessons map[string][]string // module slug → lesson ids in order
}

// user is a signed-in account.
type user = apptest.User

// newEnv builds an app, an admin and (once per database) the fixture curriculum and instrument.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{App: apptest.New(t, nil), t: t}
	e.admin = e.user("admin", "admin")
	e.lessons = map[string][]string{modAlpha: e.module(modAlpha, 4), modBeta: e.module(modBeta, 2)}
	e.importInstrument(instrument)
	return e
}

// module publishes a free module with n lessons unless it exists, and returns its lesson ids.
func (e *env) module(slug string, n int) []string {
	e.t.Helper()
	ctx := context.Background()
	if m, err := e.Catalog.CatalogModule(ctx, "", slug); err == nil {
		ids := make([]string, len(m.Lessons))
		for i, l := range m.Lessons {
			ids[i] = l.ID
		}
		return ids
	}
	title, access := "Module "+slug, catalog.AccessFree
	if _, err := e.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: &slug, Title: &title, Access: &access,
		Competencies: []string{"self_awareness"}}); err != nil {
		e.t.Fatalf("create module: %v", err)
	}
	for i := 1; i <= n; i++ {
		ls, lt, md, minutes := fmt.Sprintf("l%d", i), fmt.Sprintf("Lesson %d", i), "## Lesson\n\nText.\n", 5
		if _, err := e.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: &ls, Title: &lt, Minutes: &minutes, Markdown: &md}); err != nil {
			e.t.Fatalf("create lesson: %v", err)
		}
	}
	if _, err := e.Catalog.Publish(ctx, slug, ""); err != nil {
		e.t.Fatalf("publish: %v", err)
	}
	return e.module(slug, n)
}

// user creates a verified account with the role (and learner) and signs it in.
func (e *env) user(prefix, role string) *user {
	e.t.Helper()
	return e.NewUser(e.t, prefix, role)
}

// login signs the user in again (access tokens expire when a test moves the clock by days).
func (e *env) login(u *user) {
	e.t.Helper()
	e.Login(e.t, u, testPassword)
}

// call sends a request as u (nil: anonymous).
func (e *env) call(u *user, method, path string, body any) *apptest.Response {
	r := apptest.Request{Method: method, Path: path, Body: body}
	if u != nil {
		r.Token = u.Token
	}
	return e.Do(r)
}

// teamOf creates a team managed by m and returns its id.
func (e *env) teamOf(m *user, name string) string {
	e.t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	e.call(m, "POST", "/api/v1/teams", map[string]string{"name": name}).Want(http.StatusCreated).Decode(&out)
	return out.ID
}

// grant gives the team complimentary seats through billing's admin route and returns the grant id.
func (e *env) grant(teamID string, seats int) string {
	e.t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	e.call(e.admin, "POST", "/api/v1/admin/grants", map[string]any{"team_id": teamID, "seats": seats,
		"ends_at": time.Now().Add(365 * 24 * time.Hour).UTC().Format(time.RFC3339)}).Want(http.StatusCreated).Decode(&out)
	return out.ID
}

// revokeGrant ends a grant through billing's admin route.
func (e *env) revokeGrant(id string) {
	e.t.Helper()
	e.call(e.admin, "DELETE", "/api/v1/admin/grants/"+id, nil).Want(http.StatusNoContent)
}

// seedMember makes u a learning member of the team directly in the teams table (test setup for
// tests that are not about invites; the invite flow itself is tested through the API and mail).
func (e *env) seedMember(teamID string, u *user) {
	e.t.Helper()
	if err := e.DB.Gorm.Exec(`INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
		VALUES (?, ?, 'member', true, now())
		ON CONFLICT (team_id, user_id) DO UPDATE SET role = 'member', is_learner = true, removed_at = NULL`, teamID, u.ID).Error; err != nil {
		e.t.Fatalf("seed member: %v", err)
	}
}

// seedInvite stores an open invite with a known token directly in the teams table (test setup for
// the concurrency test, which needs more invites than the team now has seats) and returns the token.
func (e *env) seedInvite(teamID, email, by string) string {
	e.t.Helper()
	raw := base64.RawURLEncoding.EncodeToString([]byte(randomHex(16)))
	sum := sha256.Sum256([]byte(raw))
	if err := e.DB.Gorm.Exec(`INSERT INTO team_invites (team_id, email, token_hash, invited_by, expires_at)
		VALUES (?, ?, ?, ?, ?)`, teamID, email, sum[:], by, time.Now().Add(24*time.Hour)).Error; err != nil {
		e.t.Fatalf("seed invite: %v", err)
	}
	return raw
}

// complete marks lessons completed through the progress service.
func (e *env) complete(u *user, lessonIDs ...string) {
	e.t.Helper()
	for _, id := range lessonIDs {
		if _, err := e.Progress.RecordLesson(context.Background(), u.ID, id, progress.LessonUpdate{Status: progress.StatusCompleted}); err != nil {
			e.t.Fatalf("complete lesson: %v", err)
		}
	}
}

// start marks a lesson started through the progress service.
func (e *env) start(u *user, lessonID string) {
	e.t.Helper()
	if _, err := e.Progress.RecordLesson(context.Background(), u.ID, lessonID, progress.LessonUpdate{Status: progress.StatusStarted}); err != nil {
		e.t.Fatalf("start lesson: %v", err)
	}
}

// assess takes an attempt of the fixture instrument through the assessments service, answering
// every listening item with lv and every mapping item with mv (scores 25*(v-1)).
func (e *env) assess(u *user, lv, mv int) { e.assessOn(instrument, u, lv, mv) }

// importInstrument imports a copy of the fixture instrument under another slug.
func (e *env) importInstrument(slug string) {
	e.t.Helper()
	fsys := fstest.MapFS{"assessments/" + slug + ".yaml": {Data: []byte(fmt.Sprintf(instrumentYAML, slug))}}
	if rep, err := e.Assess.ImportInstruments(context.Background(), fsys); err != nil || len(rep.Errors) > 0 {
		e.t.Fatalf("import instrument %s: %v %v", slug, err, rep.Errors)
	}
}

// assessOn is assess on the instrument with the given slug.
func (e *env) assessOn(slug string, u *user, lv, mv int) {
	e.t.Helper()
	ctx := context.Background()
	at, _, err := e.Assess.Start(ctx, u.ID, slug)
	if err != nil {
		e.t.Fatalf("start attempt: %v", err)
	}
	for _, item := range at.ItemOrder {
		v := mv
		if strings.HasPrefix(item, "l") {
			v = lv
		}
		if err := e.Assess.SaveResponse(ctx, u.ID, at.ID, item, json.RawMessage(fmt.Sprint(v))); err != nil {
			e.t.Fatalf("answer %s: %v", item, err)
		}
	}
	if _, err := e.Assess.Submit(ctx, u.ID, at.ID); err != nil {
		e.t.Fatalf("submit: %v", err)
	}
}

// problem is an RFC 9457 body.
type problem struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// wantProblem asserts a problem+json response with the status and returns it.
func wantProblem(t *testing.T, r *apptest.Response, status int) problem {
	t.Helper()
	r.Want(status)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q, want problem+json", ct)
	}
	var p problem
	r.Decode(&p)
	return p
}

// hasField reports whether a problem names the field.
func (p problem) hasField(f string) bool {
	for _, e := range p.Errors {
		if e.Field == f {
			return true
		}
	}
	return false
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
