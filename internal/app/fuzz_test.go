package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
)

// fuzzRoute is one route that reads a JSON body. Its path may hold the fixture markers of
// fuzzFixture.expand; who names the account that sends it. After a 2xx, the target reads back
// what the request wrote (readBack, GET paths with the account that reads them): a stored value
// that breaks a later read is a 5xx too, only a delayed one.
type fuzzRoute struct {
	name, method, path string
	who                fuzzWho
	readBack           []fuzzRead
}

// fuzzRead is a GET that shows what a route stored.
type fuzzRead struct {
	who  fuzzWho
	path string
}

// fuzzWho is the caller of a fuzzed route.
type fuzzWho int

const (
	anonymous fuzzWho = iota
	asLearner
	asAdmin
	asPasswordUser
	asStripe // anonymous, with a valid Stripe-Signature over the fuzzed body
)

// fuzzRoutes are every route with a JSON request body. FuzzJSONBodies picks one by the fuzzed
// route index (modulo the length), so the committed seeds name routes by position: append new
// routes at the end.
var fuzzRoutes = []fuzzRoute{
	{"register", "POST", "/api/v1/auth/register", anonymous, []fuzzRead{{asAdmin, "/api/v1/admin/users"}}},
	{"login", "POST", "/api/v1/auth/login", anonymous, nil},
	{"forgot", "POST", "/api/v1/auth/password/forgot", anonymous, nil},
	{"reset", "POST", "/api/v1/auth/password/reset", anonymous, nil},
	{"verify", "POST", "/api/v1/auth/verify-email", anonymous, nil},
	{"patch me", "PATCH", "/api/v1/me", asLearner, []fuzzRead{{asLearner, "/api/v1/me"}, {asLearner, "/api/v1/progress"}}},
	{"change password", "PUT", "/api/v1/me/password", asPasswordUser, nil},
	{"studio create module", "POST", "/api/v1/studio/modules", asAdmin, []fuzzRead{{asAdmin, "/api/v1/studio/modules"}}},
	{"studio update module", "PUT", "/api/v1/studio/modules/@draft@", asAdmin, []fuzzRead{{asAdmin, "/api/v1/studio/modules/@draft@"}}},
	{"studio create lesson", "POST", "/api/v1/studio/modules/@draft@/lessons", asAdmin, []fuzzRead{{asAdmin, "/api/v1/studio/modules/@draft@"}}},
	{"studio update lesson", "PUT", "/api/v1/studio/modules/@draft@/lessons/fuzz-lesson", asAdmin, []fuzzRead{{asAdmin, "/api/v1/studio/modules/@draft@"}}},
	{"studio preview", "POST", "/api/v1/studio/preview", asAdmin, nil},
	{"progress", "PUT", "/api/v1/progress/lessons/@lesson@", asLearner, []fuzzRead{{asLearner, "/api/v1/progress"}}},
	{"goal", "PUT", "/api/v1/progress/goal", asLearner, []fuzzRead{{asLearner, "/api/v1/progress"}}},
	{"likert response", "PUT", "/api/v1/attempts/@attempt@/responses/@likert@", asLearner, []fuzzRead{{asLearner, "/api/v1/attempts/@attempt@"}}},
	{"sjt response", "PUT", "/api/v1/attempts/@attempt@/responses/@sjt@", asLearner, []fuzzRead{{asLearner, "/api/v1/attempts/@attempt@"}}},
	{"choice response", "PUT", "/api/v1/attempts/@attempt@/responses/@choice@", asLearner, []fuzzRead{{asLearner, "/api/v1/attempts/@attempt@"}}},
	{"checkout", "POST", "/api/v1/billing/checkout", asLearner, []fuzzRead{{asLearner, "/api/v1/me/subscription"}}},
	{"portal", "POST", "/api/v1/billing/portal", asLearner, nil},
	{"grants", "POST", "/api/v1/admin/grants", asAdmin, []fuzzRead{{asAdmin, "/api/v1/admin/grants"}, {asLearner, "/api/v1/me"}}},
	{"create team", "POST", "/api/v1/teams", asLearner, []fuzzRead{{asLearner, "/api/v1/teams"}}},
	{"rename team", "PATCH", "/api/v1/teams/@team@", asLearner, []fuzzRead{{asLearner, "/api/v1/teams/@team@"}}},
	{"member role", "PATCH", "/api/v1/teams/@team@/members/@member@", asLearner, []fuzzRead{{asLearner, "/api/v1/teams/@team@"}}},
	{"invites", "POST", "/api/v1/teams/@team@/invites", asLearner, []fuzzRead{{asLearner, "/api/v1/teams/@team@/invites"}}},
	{"assignments", "POST", "/api/v1/teams/@team@/assignments", asLearner, []fuzzRead{{asLearner, "/api/v1/teams/@team@/assignments"},
		{asLearner, "/api/v1/teams/@team@/report"}}},
	{"recognitions", "POST", "/api/v1/teams/@team@/recognitions", asLearner, []fuzzRead{{asLearner, "/api/v1/teams/@team@/recognitions"}}},
	{"roles", "PUT", "/api/v1/admin/users/@victim@/roles", asAdmin, []fuzzRead{{asAdmin, "/api/v1/admin/users"}}},
	{"stripe webhook", "POST", "/api/v1/billing/webhook", asStripe, []fuzzRead{{asAdmin, "/api/v1/admin/billing/events"}}},
}

// fuzzInstrument has one item of each type, so every answer shape is fuzzed. %s is its slug.
const fuzzInstrument = `slug: %s
title: Fuzz check
weights: {likert: 0.5, sjt: 0.5}
likert_labels: [Very inaccurate, Moderately inaccurate, Neither, Moderately accurate, Very accurate]
sjt_instruction: Rate each action from 1 to 5.
competencies:
  - {key: listening, name: Listening}
items:
  - {id: l1, competency: listening, type: likert, prompt: I listen.}
  - id: s1
    competency: listening
    type: sjt
    prompt: A buyer goes quiet.
    options:
      - {id: a, text: Ask what changed., key: 5}
      - {id: b, text: Push for the close., key: 1}
  - id: c1
    competency: listening
    type: choice
    prompt: Which buying job comes first?
    options:
      - {id: x, text: Problem identification, correct: true}
      - {id: y, text: Supplier selection}
`

// fuzzAccount is a signed-in account of the fixture.
type fuzzAccount struct {
	id, email, token string
	issued           time.Time
}

// fuzzFixture is the one app FuzzJSONBodies drives, with its accounts and the ids its routes
// need. It is built once per process (the fuzzing coordinator and each worker build their own,
// each on its own package database).
type fuzzFixture struct {
	a                       *apptest.App
	learner, admin, pwUser  *fuzzAccount
	vars                    map[string]string
	next                    int // counts requests, to give each a client address of its own
	lessonSlug, draftModule string
}

// newFuzzFixture builds the app (billing against stripe-mock, mail to the log) and what the
// routes act on: a learner who manages a team with seats and a second member, has an unfinished
// attempt and a published lesson to record progress on; an admin with a draft module and lesson
// in the studio; an account whose roles the admin sets; an account whose password the fuzzer
// changes.
func newFuzzFixture(f *testing.F) *fuzzFixture {
	f.Helper()
	ctx := context.Background()
	env := stripeEnv(f)
	// Mail goes to the log: fuzzed registrations and invites would flood the shared Mailpit, which
	// keeps 500 messages and drops the oldest, ones other tests may be waiting for.
	env["SMTP_URL"] = ""
	a := apptest.New(f, env)
	// Slugs are unique per fixture: the package's tests share one database, and -count may build
	// the fixture again in the same process.
	suffix := randomHex(4)
	fx := &fuzzFixture{a: a, lessonSlug: "fuzz-lesson", draftModule: "fuzz-draft-" + suffix}
	fx.learner = fx.account(f, "learner", "")
	fx.admin = fx.account(f, "admin", "admin")
	fx.pwUser = fx.account(f, "password", "")
	member := fx.account(f, "member", "")
	victim := fx.account(f, "victim", "")

	published, instrument := "fuzz-published-"+suffix, "fuzz-check-"+suffix
	for _, slug := range []string{published, fx.draftModule} {
		s, title, access, lesson, lt, md, minutes := slug, "Module "+slug, catalog.AccessFree, fx.lessonSlug, "Lesson", "## Lesson\n\nText.\n", 5
		if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: &s, Title: &title, Access: &access,
			Competencies: []string{"self_awareness"}}); err != nil {
			f.Fatalf("create module: %v", err)
		}
		if _, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: &lesson, Title: &lt, Minutes: &minutes, Markdown: &md}); err != nil {
			f.Fatalf("create lesson: %v", err)
		}
	}
	if _, err := a.Catalog.Publish(ctx, published, ""); err != nil {
		f.Fatalf("publish: %v", err)
	}
	mod, err := a.Catalog.CatalogModule(ctx, "", published)
	if err != nil || len(mod.Lessons) == 0 {
		f.Fatalf("published module: %v", err)
	}

	fsys := fstest.MapFS{"assessments/" + instrument + ".yaml": {Data: []byte(fmt.Sprintf(fuzzInstrument, instrument))}}
	if rep, err := a.Assess.ImportInstruments(ctx, fsys); err != nil || len(rep.Errors) > 0 {
		f.Fatalf("import instrument: %v %v", err, rep.Errors)
	}
	var at struct {
		ID    string `json:"id"`
		Items []struct{ ID, Type string }
	}
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/assessments/" + instrument + "/attempts", Token: fx.learner.token}).
		Want(http.StatusCreated).Decode(&at)

	var team struct{ ID string }
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams", Token: fx.learner.token,
		Body: map[string]string{"name": "Fuzz team"}}).Want(http.StatusCreated).Decode(&team)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: fx.admin.token, Body: map[string]any{
		"team_id": team.ID, "seats": 500, "ends_at": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)}}).
		Want(http.StatusCreated)
	if err := a.DB.Gorm.Exec(`INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
		VALUES (?, ?, 'member', true, now())`, team.ID, member.id).Error; err != nil {
		f.Fatalf("seed member: %v", err)
	}

	fx.vars = map[string]string{"@lesson@": mod.Lessons[0].ID, "@draft@": fx.draftModule, "@published@": published, "@attempt@": at.ID, "@team@": team.ID,
		"@member@": member.id, "@victim@": victim.id, "@learner@": fx.learner.id, "@admin@": fx.admin.id,
		"@learner_email@": fx.learner.email, "@password@": testPassword}
	for _, it := range at.Items {
		fx.vars["@"+it.Type+"@"] = it.ID
	}
	return fx
}

// account creates a verified account with role (learner when "") and signs it in through the API.
func (fx *fuzzFixture) account(f *testing.F, prefix, role string) *fuzzAccount {
	f.Helper()
	u := fx.a.NewUser(f, "fuzz-"+prefix, role)
	return &fuzzAccount{id: u.ID, email: u.Email, token: u.Token, issued: time.Now()}
}

// bearer returns the account's access token, issuing a fresh one when it is older than ten
// minutes (tokens live fifteen), so long fuzzing runs keep reaching the handlers.
func (fx *fuzzFixture) bearer(t *testing.T, u *fuzzAccount) string {
	if time.Since(u.issued) > 10*time.Minute {
		tok, _, err := fx.a.Identity.Keys().Issue(u.id)
		if err != nil {
			t.Fatalf("issue token: %v", err)
		}
		u.token, u.issued = tok, time.Now()
	}
	return u.token
}

// expand replaces the fixture markers (@team@, @lesson@, …) in a path or body, so the
// committed seeds can name the ids of whichever process runs them.
func (fx *fuzzFixture) expand(b []byte) []byte {
	if !bytes.Contains(b, []byte("@")) {
		return b
	}
	for k, v := range fx.vars {
		b = bytes.ReplaceAll(b, []byte(k), []byte(v))
	}
	return b
}

// send sends body to route as its caller and returns the recorded response.
func (fx *fuzzFixture) send(t *testing.T, r fuzzRoute, body []byte) *httptest.ResponseRecorder {
	if body == nil {
		body = []byte{} // still a JSON request, with an empty body
	}
	rec := fx.do(t, r.method, r.path, fx.expand(body), r.who)
	fx.restore(t, r, rec)
	return rec
}

// do sends one request as who through the app's router; a nil body sends none.
func (fx *fuzzFixture) do(t *testing.T, method, path string, body []byte, who fuzzWho) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, string(fx.expand([]byte(path))), rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	fx.next++
	// A client address per request keeps the login throttle (per address) from answering every
	// later login with 429; the per-e-mail throttle still applies.
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:4321", fx.next>>16&255, fx.next>>8&255, fx.next&255)
	switch who {
	case asLearner:
		req.Header.Set("Authorization", "Bearer "+fx.bearer(t, fx.learner))
	case asAdmin:
		req.Header.Set("Authorization", "Bearer "+fx.bearer(t, fx.admin))
	case asPasswordUser:
		req.Header.Set("Authorization", "Bearer "+fx.bearer(t, fx.pwUser))
	case asStripe:
		sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: webhookSecret, Timestamp: time.Now()})
		req.Header.Set("Stripe-Signature", sig.Header)
	}
	rec := httptest.NewRecorder()
	fx.a.Echo.ServeHTTP(rec, req)
	return rec
}

// checkAnswer fails on a 5xx, and on an error that is not a problem+json document carrying its
// status.
func checkAnswer(t *testing.T, what string, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s answered %d to body %q:\n%s", what, rec.Code, body, rec.Body.String())
	}
	if rec.Code < 400 {
		return
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("%s answered %d with Content-Type %q, want application/problem+json; body %q", what, rec.Code, ct, body)
	}
	var p struct{ Status int }
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code {
		t.Fatalf("%s answered %d with problem %s (%v)", what, rec.Code, rec.Body.String(), err)
	}
}

// restore undoes what a fuzzed request changed that later requests rely on: a lesson renamed
// away from fuzz-lesson gets its slug back, and a changed password brings a new session.
func (fx *fuzzFixture) restore(t *testing.T, r fuzzRoute, rec *httptest.ResponseRecorder) {
	if rec.Code != http.StatusOK {
		return
	}
	switch r.name {
	case "studio update lesson":
		var l struct{ Slug string }
		if json.Unmarshal(rec.Body.Bytes(), &l) == nil && l.Slug != fx.lessonSlug {
			slug := fx.lessonSlug
			if _, err := fx.a.Catalog.UpdateLesson(context.Background(), fx.draftModule, l.Slug, catalog.LessonInput{Slug: &slug}); err != nil {
				t.Fatalf("rename lesson %q back: %v", l.Slug, err)
			}
		}
	case "change password":
		var s struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &s) == nil && s.AccessToken != "" {
			fx.pwUser.token, fx.pwUser.issued = s.AccessToken, time.Now()
		}
	}
}

// FuzzJSONBodies sends fuzzed bodies to every route that reads JSON, as the account that may
// call it: whatever the body (empty, null, arrays, huge numbers, deep nesting, invalid UTF-8,
// unknown fields, wrong types, NUL characters), the answer is never a 5xx, and every error is an
// application/problem+json document carrying its status; after a 2xx, reading back what was
// stored is never a 5xx either. The input is (route index, body); the app is built once per
// process, outside the fuzz function, and every iteration is one request (plus its read-backs).
func FuzzJSONBodies(f *testing.F) {
	f.Add(uint8(0), []byte(`{"email":"fuzz-new@example.com","password":"correct horse battery","name":"New"}`))
	fx := newFuzzFixture(f)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		rec := fx.send(t, r, body)
		what := fmt.Sprintf("%s %s (%s)", r.method, r.path, r.name)
		checkAnswer(t, what, body, rec)
		if rec.Code >= 300 {
			return
		}
		for _, rb := range r.readBack {
			checkAnswer(t, fmt.Sprintf("GET %s, read back after %s,", rb.path, what), body, fx.do(t, "GET", rb.path, nil, rb.who))
		}
	})
}
