package assess_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/assess"
)

type overviewBody struct {
	Assessments []struct {
		Slug         string `json:"slug"`
		Title        string `json:"title"`
		Description  string `json:"description"`
		Competencies []struct {
			Key  string `json:"key"`
			Name string `json:"name"`
		} `json:"competencies"`
		ItemCount    int     `json:"item_count"`
		BaselineDone bool    `json:"baseline_done"`
		NextDueAt    *string `json:"next_due_at"`
		CanStart     bool    `json:"can_start"`
		InProgress   *string `json:"in_progress_attempt_id"`
	} `json:"assessments"`
}

func overview(t *testing.T, a *apptest.App, token, slug string) (o struct {
	ItemCount, Competencies int
	BaselineDone, CanStart  bool
	NextDueAt, InProgress   *string
}) {
	t.Helper()
	var b overviewBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/assessments", Token: token}).Want(200).Decode(&b)
	for _, x := range b.Assessments {
		if x.Slug == slug {
			o.ItemCount, o.Competencies, o.BaselineDone, o.CanStart = x.ItemCount, len(x.Competencies), x.BaselineDone, x.CanStart
			o.NextDueAt, o.InProgress = x.NextDueAt, x.InProgress
			return o
		}
	}
	t.Fatalf("%s is not listed: %+v", slug, b)
	return o
}

func TestBaselineFlow(t *testing.T) {
	a := MustApp(t)
	tok := MustUser(t, a, "learner").Token
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/assessments"}).Want(401)
	o := overview(t, a, tok, shipped)
	if o.ItemCount != 56 || o.Competencies != 8 || o.BaselineDone || o.NextDueAt != nil || o.InProgress != nil || !o.CanStart {
		t.Fatalf("before: %+v", o)
	}

	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/assessments/" + shipped + "/attempts", Token: tok}).Want(201)
	for _, secret := range []string{`"key"`, `"correct"`, `"reverse"`} {
		if strings.Contains(r.Body.String(), secret) {
			t.Errorf("the attempt leaks %s to the client", secret)
		}
	}
	var at attemptBody
	r.Decode(&at)
	if at.Kind != assess.KindBaseline || len(at.Items) != 56 || len(at.LikertLabels) != 5 || at.SJTInstruction == "" || len(at.Responses) != 0 {
		t.Fatalf("attempt: kind %s, %d items, labels %v, %d responses", at.Kind, len(at.Items), at.LikertLabels, len(at.Responses))
	}
	for _, it := range at.Items {
		var labels []string
		var opts []map[string]string
		switch {
		case it.Type == "likert" && (json.Unmarshal(it.Options, &labels) != nil || !slices.Equal(labels, at.LikertLabels)):
			t.Errorf("likert %s options = %s, want the five labels", it.ID, it.Options)
		case it.Type == "sjt" && (json.Unmarshal(it.Options, &opts) != nil || len(opts) != 4 || opts[0]["id"] == "" || opts[0]["text"] == ""):
			t.Errorf("sjt %s options = %s", it.ID, it.Options)
		}
		if it.Prompt == "" || it.Competency == "" {
			t.Errorf("item %+v lacks prompt or competency", it)
		}
	}

	// Resuming returns the same attempt in the same order, with the answers saved so far.
	first := at.Items[0]
	answer(a, tok, at.ID, first.ID, neutral(t, first.Type, first.Options)).Want(204)
	again := MustStart(t, a, tok, shipped, 200)
	if again.ID != at.ID || !slices.Equal(again.itemIDs(), at.itemIDs()) || len(again.Responses) != 1 {
		t.Fatalf("resume: id %s (want %s), same order %v, %d responses", again.ID, at.ID, slices.Equal(again.itemIDs(), at.itemIDs()), len(again.Responses))
	}
	if o := overview(t, a, tok, shipped); o.InProgress == nil || *o.InProgress != at.ID {
		t.Errorf("in_progress_attempt_id = %v, want %s", o.InProgress, at.ID)
	}

	// Autosave replaces: the last value wins.
	var likert string
	for _, it := range at.Items {
		if it.Type == "likert" {
			likert = it.ID
			break
		}
	}
	answer(a, tok, at.ID, likert, 2).Want(204)
	answer(a, tok, at.ID, likert, 5).Want(204)
	var got attemptBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/attempts/" + at.ID, Token: tok}).Want(200).Decode(&got)
	if string(got.Responses[likert]) != "5" || !slices.Equal(got.itemIDs(), at.itemIDs()) || got.SubmittedAt != nil {
		t.Errorf("after autosave: %s = %s, submitted %v", likert, got.Responses[likert], got.SubmittedAt)
	}

	MustAnswerAll(t, a, tok, at, map[string]any{likert: 5})
	sub, scores := MustSubmit(t, a, tok, at.ID)
	if sub.Kind != assess.KindBaseline || len(sub.Scores) != 8 || sub.Scores[0].Competency != "self_awareness" {
		t.Fatalf("submit: %+v", sub)
	}
	for c, s := range scores {
		if s < 0 || s > 100 {
			t.Errorf("%s = %v, outside 0-100", c, s)
		}
	}
	o = overview(t, a, tok, shipped)
	if !o.BaselineDone || o.InProgress != nil || o.CanStart || o.NextDueAt == nil {
		t.Fatalf("after: %+v", o)
	}
	due, _ := time.Parse(time.RFC3339, *o.NextDueAt)
	if d := due.Sub(a.Now()); d < 14*24*time.Hour-time.Minute || d > 14*24*time.Hour {
		t.Errorf("next_due_at %s is %v away, want 14 days", *o.NextDueAt, d)
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/attempts/" + at.ID, Token: tok}).Want(200).Decode(&got)
	if got.SubmittedAt == nil {
		t.Error("the submitted attempt has no submitted_at")
	}
}

func TestMiniScoresByHand(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	tok := MustUser(t, a, "learner").Token
	at := MustStart(t, a, tok, slug, 201)
	// alpha_skill: a-l1 2, a-l2 4 (reverse → 2): Likert 25; SJT 3,3,3,3 vs keys 5,1,3,2 → 50,50,100,75
	// → 68.75; score .5*25 + .5*68.75 = 46.875. beta_skill: b-l1 3 → 50; wrong choice → 0; 25.
	// gamma_skill: 3,3,3 → 50.
	MustAnswerAll(t, a, tok, at, map[string]any{"a-l1": 2, "a-l2": 4, "a-s1": []int{3, 3, 3, 3}, "b-l1": 3, "b-c1": "y",
		"g-l1": 3, "g-l2": 3, "g-l3": 3})
	sub, scores := MustSubmit(t, a, tok, at.ID)
	want := map[string]float64{"alpha_skill": 46.88, "beta_skill": 25, "gamma_skill": 50}
	for c, w := range want {
		if !near(scores[c], w) {
			t.Errorf("%s = %v, want %v", c, scores[c], w)
		}
	}
	if s := sub.Scores[0]; s.Likert == nil || *s.Likert != 25 || s.SJT == nil || *s.SJT != 68.75 || s.Name != "Alpha skill" {
		t.Errorf("alpha_skill halves: %+v", s)
	}
	if s := sub.Scores[2]; s.SJT != nil {
		t.Errorf("gamma_skill has no SJT items, sjt = %v", *s.SJT)
	}
}

func TestAnswersAreValidated(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	tok := MustUser(t, a, "learner").Token
	other := MustUser(t, a, "learner").Token
	at := MustStart(t, a, tok, slug, 201)
	base := "/api/v1/attempts/" + at.ID
	tests := []struct {
		name  string
		token string
		path  string
		body  any
		want  int
		field string
	}{
		{"likert 0", tok, base + "/responses/a-l1", map[string]any{"value": 0}, 422, "value"},
		{"likert 6", tok, base + "/responses/a-l1", map[string]any{"value": 6}, 422, "value"},
		{"likert as text", tok, base + "/responses/a-l1", map[string]any{"value": "3"}, 422, "value"},
		{"likert fraction", tok, base + "/responses/a-l1", `{"value": 3.5}`, 422, "value"},
		{"likert null", tok, base + "/responses/a-l1", `{"value": null}`, 422, "value"},
		{"no value", tok, base + "/responses/a-l1", `{}`, 422, "value"},
		{"likert as list", tok, base + "/responses/a-l1", map[string]any{"value": []int{3}}, 422, "value"},
		{"unknown field", tok, base + "/responses/a-l1", `{"value": 3, "extra": 1}`, 422, "extra"},
		{"sjt too few ratings", tok, base + "/responses/a-s1", map[string]any{"value": []int{3, 3, 3}}, 422, "value"},
		{"sjt rating out of range", tok, base + "/responses/a-s1", map[string]any{"value": []int{3, 3, 3, 6}}, 422, "value"},
		{"sjt as a number", tok, base + "/responses/a-s1", map[string]any{"value": 4}, 422, "value"},
		{"choice unknown option", tok, base + "/responses/b-c1", map[string]any{"value": "z"}, 422, "value"},
		{"choice as a number", tok, base + "/responses/b-c1", map[string]any{"value": 1}, 422, "value"},
		{"unknown item", tok, base + "/responses/zz-9", map[string]any{"value": 3}, 404, ""},
		{"malformed json", tok, base + "/responses/a-l1", `{"value":`, 400, ""},
		{"another user's attempt", other, base + "/responses/a-l1", map[string]any{"value": 3}, 404, ""},
		{"anonymous", "", base + "/responses/a-l1", map[string]any{"value": 3}, 401, ""},
		{"not a uuid", tok, "/api/v1/attempts/nope/responses/a-l1", map[string]any{"value": 3}, 404, ""},
		{"unknown attempt", tok, "/api/v1/attempts/00000000-0000-4000-8000-000000000000/responses/a-l1", map[string]any{"value": 3}, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Do(apptest.Request{Method: "PUT", Path: tt.path, Token: tt.token, Body: tt.body}).Want(tt.want)
			wantProblem(t, r, tt.field)
		})
	}
	for _, ok := range []struct {
		item  string
		value any
	}{{"a-l1", 1}, {"a-s1", []int{5, 1, 3, 2}}, {"b-c1", "x"}} {
		answer(a, tok, at.ID, ok.item, ok.value).Want(204)
	}
	var got attemptBody
	a.Do(apptest.Request{Method: "GET", Path: base, Token: tok}).Want(200).Decode(&got)
	if len(got.Responses) != 3 || string(got.Responses["a-s1"]) != "[5,1,3,2]" || string(got.Responses["b-c1"]) != `"x"` {
		t.Errorf("stored responses = %v, want only the three valid ones", got.Responses)
	}
	for _, path := range []string{base, base + "/submit"} {
		method := map[bool]string{true: "GET", false: "POST"}[path == base]
		a.Do(apptest.Request{Method: method, Path: path, Token: other}).Want(404)
	}
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/assessments/no-such-thing/attempts", Token: tok}).Want(404)
}

func TestSubmitRules(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	tok := MustUser(t, a, "learner").Token
	at := MustStart(t, a, tok, slug, 201)
	for _, it := range at.Items {
		if it.ID != "b-c1" && it.ID != "g-l2" {
			answer(a, tok, at.ID, it.ID, neutral(t, it.Type, it.Options)).Want(204)
		}
	}
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/attempts/" + at.ID + "/submit", Token: tok}).Want(422)
	wantProblem(t, r, "items.b-c1")
	wantProblem(t, r, "items.g-l2")
	if n := strings.Count(r.Body.String(), `"field":"items.`); n != 2 {
		t.Errorf("%d missing items listed, want 2: %s", n, r.Body.String())
	}
	answer(a, tok, at.ID, "b-c1", "x").Want(204)
	answer(a, tok, at.ID, "g-l2", 4).Want(204)
	MustSubmit(t, a, tok, at.ID)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/attempts/" + at.ID + "/submit", Token: tok}).Want(409)
	wantProblem(t, answer(a, tok, at.ID, "g-l2", 5).Want(409), "")
	var got attemptBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/attempts/" + at.ID, Token: tok}).Want(200).Decode(&got)
	if string(got.Responses["g-l2"]) != "4" {
		t.Errorf("an answer after submit was stored: %s", got.Responses["g-l2"])
	}
}

func TestProgressAttemptOpensAfterFourteenDays(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	u := MustUser(t, a, "learner")
	at := MustStart(t, a, u.Token, slug, 201)
	MustAnswerAll(t, a, u.Token, at, nil)
	MustSubmit(t, a, u.Token, at.ID)
	o := overview(t, a, u.Token, slug)

	start := func(want int) *apptest.Response {
		t.Helper()
		return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/assessments/" + slug + "/attempts", Token: u.Token}).Want(want)
	}
	due, err := time.Parse(time.RFC3339, *o.NextDueAt)
	if err != nil {
		t.Fatal(err)
	}
	if r := start(409); !strings.Contains(r.Body.String(), "opens on "+due.Format("2 January 2006")) {
		t.Errorf("409 does not name when the next attempt opens (%s): %s", *o.NextDueAt, r.Body.String())
	}
	a.Advance(13 * 24 * time.Hour)
	a.Login(t, u, apptest.Password)
	start(409)
	a.Advance(24 * time.Hour)
	a.Login(t, u, apptest.Password)
	if o := overview(t, a, u.Token, slug); !o.CanStart {
		t.Errorf("can_start is false after 14 days: %+v", o)
	}
	p := MustStart(t, a, u.Token, slug, 201)
	if p.Kind != assess.KindProgress || p.ID == at.ID {
		t.Fatalf("second attempt: kind %s id %s", p.Kind, p.ID)
	}
	MustAnswerAll(t, a, u.Token, p, nil)
	if sub, _ := MustSubmit(t, a, u.Token, p.ID); sub.Kind != assess.KindProgress {
		t.Errorf("submitted kind = %s, want progress", sub.Kind)
	}
}

// completions is a ModuleCompletions with a fixed answer.
type completions struct {
	assess.NoCompletions
	at *time.Time
}

func (c completions) LastCompletion(context.Context, string) (*time.Time, error) { return c.at, nil }

func TestModuleCompletionOpensProgressEarly(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	u := MustUser(t, a, "learner")
	tok, uid := u.Token, u.ID
	at := MustStart(t, a, tok, slug, 201)
	MustAnswerAll(t, a, tok, at, nil)
	MustSubmit(t, a, tok, at.ID)
	ctx := context.Background()

	before := a.Now().Add(-time.Hour)
	svc := assess.NewService(assess.Deps{DB: a.DB, Now: a.Now, Completions: completions{at: &before}})
	if _, _, err := svc.Start(ctx, uid, slug); !strings.Contains(fmt.Sprint(err), "opens on") {
		t.Fatalf("a completion before the last attempt must not open one early: %v", err)
	}
	a.Advance(time.Hour)
	after := a.Now().Add(-time.Minute)
	svc = assess.NewService(assess.Deps{DB: a.DB, Now: a.Now, Completions: completions{at: &after}})
	got, created, err := svc.Start(ctx, uid, slug)
	if err != nil || !created || got.Kind != assess.KindProgress {
		t.Fatalf("after a module completion: %+v created=%v err=%v", got.Kind, created, err)
	}
	// A shorter configured wait opens attempts on its own.
	svc = assess.NewService(assess.Deps{DB: a.DB, Now: a.Now, Completions: assess.NoCompletions{}, RetestAfter: time.Minute})
	if _, created, err := svc.Start(ctx, uid, slug); err != nil || created {
		t.Errorf("the open attempt should be returned again: created=%v err=%v", created, err)
	}
}

func TestConcurrentStartsReturnOneAttempt(t *testing.T) {
	a := MustApp(t)
	tok := MustUser(t, a, "learner").Token
	const n = 8
	codes, ids := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/assessments/" + shipped + "/attempts", Token: tok})
			var b attemptBody
			_ = json.Unmarshal(r.Body.Bytes(), &b)
			codes[i], ids[i] = r.Code, b.ID
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for i := range n {
		if codes[i] == 201 {
			created++
		}
		if (codes[i] != 200 && codes[i] != 201) || ids[i] != ids[0] || ids[i] == "" {
			t.Errorf("call %d: %d %q (first: %q)", i, codes[i], ids[i], ids[0])
		}
	}
	if created != 1 {
		t.Errorf("%d calls created an attempt, want exactly 1 (codes %v)", created, codes)
	}
}

// SaveResponses saves a whole attempt in one call under SaveResponse's rules: one bad answer
// saves nothing, and the saved attempt can be submitted.
func TestSaveResponsesAllOrNothing(t *testing.T) {
	a := MustApp(t)
	u := MustUser(t, a, "learner")
	ctx := context.Background()
	at := MustStart(t, a, u.Token, shipped, 201)
	values := map[string]json.RawMessage{}
	for _, it := range at.Items {
		b, _ := json.Marshal(neutral(t, it.Type, it.Options))
		values[it.ID] = b
	}
	bad := maps.Clone(values)
	bad[at.Items[0].ID] = json.RawMessage(`[9]`)
	if err := a.Assess.SaveResponses(ctx, u.ID, at.ID, bad); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a bad answer: %v, want Invalid", err)
	}
	if got := MustStart(t, a, u.Token, shipped, 200); len(got.Responses) != 0 {
		t.Fatalf("%d answers saved from a batch with a bad one", len(got.Responses))
	}
	foreign := maps.Clone(values)
	foreign["no-such-item"] = json.RawMessage(`3`)
	if err := a.Assess.SaveResponses(ctx, u.ID, at.ID, foreign); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("an unknown item: %v, want NotFound", err)
	}
	if err := a.Assess.SaveResponses(ctx, "00000000-0000-0000-0000-000000000000", at.ID, values); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("someone else's attempt: %v, want NotFound", err)
	}
	if err := a.Assess.SaveResponses(ctx, u.ID, at.ID, values); err != nil {
		t.Fatal(err)
	}
	if got := MustStart(t, a, u.Token, shipped, 200); len(got.Responses) != len(at.Items) {
		t.Fatalf("%d of %d answers saved", len(got.Responses), len(at.Items))
	}
	if _, scores := MustSubmit(t, a, u.Token, at.ID); len(scores) != 8 {
		t.Errorf("scores %v, want all 8 competencies", scores)
	}
}
