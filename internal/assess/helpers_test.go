package assess_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// shipped is the slug of the instrument in content/assessments.
const shipped = "sales-eq-profile"

// MustApp builds an app with the shipped instruments imported.
func MustApp(tb testing.TB) *apptest.App {
	tb.Helper()
	a := apptest.New(tb, nil)
	rep, err := a.Assess.ImportInstruments(context.Background(), content.FS)
	if err != nil || len(rep.Errors) > 0 {
		tb.Fatalf("import shipped instruments: %v %v", err, rep.Errors)
	}
	return a
}

// user is a signed-in test account.
type user = apptest.User

// MustUser creates a verified user holding role and signs it in with a real login.
func MustUser(tb testing.TB, a *apptest.App, role string) *user {
	tb.Helper()
	return a.NewUser(tb, role, role)
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// miniYAML is a small instrument whose scores are easy to compute by hand:
//
//	alpha_skill: a-l1, a-l2 (reverse) Likert; a-s1 SJT with keys 5,1,3,2
//	beta_skill:  b-l1 Likert; b-c1 choice (x is correct)
//	gamma_skill: g-l1, g-l2, g-l3 Likert
const miniYAML = `slug: %s
title: Mini Profile
description: A tiny instrument for tests.
weights:
  likert: 0.5
  sjt: 0.5
likert_labels: [Very inaccurate, Moderately inaccurate, Neither, Moderately accurate, Very accurate]
sjt_instruction: Rate each action from 1 to 5.
competencies:
  - key: alpha_skill
    name: Alpha skill
  - key: beta_skill
    name: Beta skill
  - key: gamma_skill
    name: Gamma skill
items:
  - {id: a-l1, competency: alpha_skill, type: likert, prompt: I notice things.}
  - {id: a-l2, competency: alpha_skill, type: likert, reverse: true, prompt: I miss things.}
  - id: a-s1
    competency: alpha_skill
    type: sjt
    prompt: A buyer goes quiet.
    options:
      - {id: a, text: Ask what changed., key: 5}
      - {id: b, text: Push for the close., key: 1}
      - {id: c, text: Send a summary., key: 3}
      - {id: d, text: Wait a week., key: 2}
  - {id: b-l1, competency: beta_skill, type: likert, prompt: I plan my week.}
  - id: b-c1
    competency: beta_skill
    type: choice
    prompt: Which buying job comes first?
    options:
      - {id: x, text: Problem identification, correct: true}
      - {id: y, text: Supplier selection}
  - {id: g-l1, competency: gamma_skill, type: likert, prompt: I map the group.}
  - {id: g-l2, competency: gamma_skill, type: likert, prompt: I know who decides.}
  - {id: g-l3, competency: gamma_skill, type: likert, prompt: I know who blocks.}
`

// MustMini imports a fresh copy of the mini instrument under a unique slug and returns the slug.
func MustMini(tb testing.TB, a *apptest.App) string {
	tb.Helper()
	slug := "mini-" + randomSuffix()
	fsys := fstest.MapFS{"assessments/" + slug + ".yaml": {Data: []byte(fmt.Sprintf(miniYAML, slug))}}
	rep, err := a.Assess.ImportInstruments(context.Background(), fsys)
	if err != nil || len(rep.Errors) > 0 {
		tb.Fatalf("import mini: %v %v", err, rep.Errors)
	}
	return slug
}

// attemptBody is the JSON of an attempt as POST .../attempts and GET /attempts/{id} return it.
type attemptBody struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Items []struct {
		ID         string          `json:"id"`
		Type       string          `json:"type"`
		Prompt     string          `json:"prompt"`
		Competency string          `json:"competency"`
		Options    json.RawMessage `json:"options"`
	} `json:"items"`
	Responses      map[string]json.RawMessage `json:"responses"`
	LikertLabels   []string                   `json:"likert_labels"`
	SJTInstruction string                     `json:"sjt_instruction"`
	SubmittedAt    *string                    `json:"submitted_at"`
}

func (b attemptBody) itemIDs() []string {
	ids := make([]string, len(b.Items))
	for i, it := range b.Items {
		ids[i] = it.ID
	}
	return ids
}

// MustStart starts (or resumes) an attempt and checks the status.
func MustStart(tb testing.TB, a *apptest.App, token, slug string, want int) attemptBody {
	tb.Helper()
	var b attemptBody
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/assessments/" + slug + "/attempts", Token: token}).Want(want).Decode(&b)
	return b
}

// answer PUTs one value.
func answer(a *apptest.App, token, attemptID, itemID string, value any) *apptest.Response {
	return a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/attempts/" + attemptID + "/responses/" + itemID,
		Token: token, Body: map[string]any{"value": value}})
}

// MustAnswerAll answers every item: values[item id] when given, else a neutral answer (3 for
// Likert, all 3s for SJT, the first option for choice).
func MustAnswerAll(tb testing.TB, a *apptest.App, token string, at attemptBody, values map[string]any) {
	tb.Helper()
	for _, it := range at.Items {
		v, ok := values[it.ID]
		if !ok {
			v = neutral(tb, it.Type, it.Options)
		}
		answer(a, token, at.ID, it.ID, v).Want(204)
	}
}

func neutral(tb testing.TB, typ string, options json.RawMessage) any {
	switch typ {
	case "likert":
		return 3
	case "sjt":
		var opts []map[string]string
		if err := json.Unmarshal(options, &opts); err != nil {
			tb.Fatalf("sjt options: %v", err)
		}
		return []int{3, 3, 3, 3, 3, 3, 3, 3}[:len(opts)]
	default:
		var opts []map[string]string
		if err := json.Unmarshal(options, &opts); err != nil {
			tb.Fatalf("choice options: %v", err)
		}
		return opts[0]["id"]
	}
}

// submitBody is the JSON of a submitted attempt.
type submitBody struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Scores []struct {
		Competency string   `json:"competency"`
		Name       string   `json:"name"`
		Score      float64  `json:"score"`
		Likert     *float64 `json:"likert"`
		SJT        *float64 `json:"sjt"`
	} `json:"scores"`
}

// MustSubmit submits an attempt and returns its scores by competency.
func MustSubmit(tb testing.TB, a *apptest.App, token, attemptID string) (submitBody, map[string]float64) {
	tb.Helper()
	var b submitBody
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/attempts/" + attemptID + "/submit", Token: token}).Want(200).Decode(&b)
	m := map[string]float64{}
	for _, s := range b.Scores {
		m[s.Competency] = s.Score
	}
	return b, m
}

// CountQueries counts the SQL statements the app sends through GORM from now on.
func CountQueries(tb testing.TB, a *apptest.App) *atomic.Int64 {
	tb.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := a.DB.Gorm.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("test:count_query", count),
		cb.Row().Before("gorm:row").Register("test:count_row", count),
		cb.Raw().Before("gorm:raw").Register("test:count_raw", count),
		cb.Create().Before("gorm:create").Register("test:count_create", count),
		cb.Update().Before("gorm:update").Register("test:count_update", count),
	} {
		if err != nil {
			tb.Fatal(err)
		}
	}
	return &n
}

// near reports whether got equals want to within 1e-9 (or tol when given).
func near(got, want float64, tol ...float64) bool {
	t := 1e-9
	if len(tol) > 0 {
		t = tol[0]
	}
	return math.Abs(got-want) <= t
}

// wantProblem checks a problem+json response names the given field (when field is not "").
func wantProblem(tb testing.TB, r *apptest.Response, field string) {
	tb.Helper()
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		tb.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	if field != "" && !strings.Contains(r.Body.String(), `"field":"`+field+`"`) {
		tb.Errorf("problem does not name field %q: %s", field, r.Body.String())
	}
}
