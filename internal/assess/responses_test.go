package assess_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/assess"
)

// csvYAML is a two-competency instrument with both halves in each: three Likert items (one
// reverse keyed) and two SJT scenarios per competency, ids saying which is which.
const csvYAML = `slug: %s
title: CSV Profile
description: Two competencies with both halves.
weights: {likert: 0.5, sjt: 0.5}
likert_labels: [Very inaccurate, Moderately inaccurate, Neither, Moderately accurate, Very accurate]
sjt_instruction: Rate each action from 1 to 5.
competencies:
  - {key: pace, name: Pace}
  - {key: tact, name: Tact}
items:
  - {id: pace-l1, competency: pace, type: likert, prompt: I plan calls.}
  - {id: pace-l2, competency: pace, type: likert, reverse: true, prompt: I run late.}
  - {id: pace-l3, competency: pace, type: likert, prompt: I follow up the same day.}
  - {id: pace-s1, competency: pace, type: sjt, prompt: A buyer wants to wait a quarter., options: [{id: a, text: One, key: 4}, {id: b, text: Two, key: 2}, {id: c, text: Three, key: 5}, {id: d, text: Four, key: 1}]}
  - {id: pace-s2, competency: pace, type: sjt, prompt: The champion goes quiet., options: [{id: a, text: One, key: 3}, {id: b, text: Two, key: 5}, {id: c, text: Three, key: 1}, {id: d, text: Four, key: 4}]}
  - {id: tact-l1, competency: tact, type: likert, prompt: I name the risk out loud.}
  - {id: tact-l2, competency: tact, type: likert, prompt: I ask before advising.}
  - {id: tact-l3, competency: tact, type: likert, reverse: true, prompt: I interrupt buyers.}
  - {id: tact-s1, competency: tact, type: sjt, prompt: Legal asks for changes., options: [{id: a, text: One, key: 2}, {id: b, text: Two, key: 4}, {id: c, text: Three, key: 4}, {id: d, text: Four, key: 1}]}
  - {id: tact-s2, competency: tact, type: sjt, prompt: Two buyers disagree., options: [{id: a, text: One, key: 5}, {id: b, text: Two, key: 3}, {id: c, text: Three, key: 1}, {id: d, text: Four, key: 3}]}
`

var csvKeys = map[string][]int{"pace-s1": {4, 2, 5, 1}, "pace-s2": {3, 5, 1, 4}, "tact-s1": {2, 4, 4, 1}, "tact-s2": {5, 3, 1, 3}}

// csvAnswers answers like a learner of ability theta (about -1.5..1.5) with noise.
func csvAnswers(r *rand.Rand, theta float64) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	clamp := func(x float64) int { return int(math.Max(1, math.Min(5, math.Round(x)))) }
	for _, id := range []string{"pace-l1", "pace-l2", "pace-l3", "tact-l1", "tact-l2", "tact-l3"} {
		v := clamp(3 + theta + r.NormFloat64()*0.8)
		if id == "pace-l2" || id == "tact-l3" {
			v = 6 - v
		}
		out[id] = json.RawMessage(strconv.Itoa(v))
	}
	for id, keys := range csvKeys {
		ratings := make([]int, len(keys))
		for i, k := range keys {
			// Abler learners land nearer the key.
			ratings[i] = clamp(float64(k) + r.NormFloat64()*(1.4-0.4*theta))
		}
		b, _ := json.Marshal(ratings)
		out[id] = b
	}
	return out
}

// TestStatsEqualAnIndependentComputationFromTheCSV seeds 34 baselines and 32 retakes, then
// recomputes every statistic of /stats from responses.csv alone with the small implementation
// below (not the package's), and requires agreement to 1e-6.
func TestStatsEqualAnIndependentComputationFromTheCSV(t *testing.T) {
	a := MustApp(t)
	ctx := context.Background()
	slug := "csv-" + randomSuffix()
	rep, err := a.Assess.ImportInstruments(ctx, fstest.MapFS{"assessments/" + slug + ".yaml": {Data: []byte(fmt.Sprintf(csvYAML, slug))}})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	r := rand.New(rand.NewPCG(17, 4))
	var learners []*user
	var emails []string
	take := func(u *user, theta float64) {
		at, _, err := a.Assess.Start(ctx, u.ID, slug)
		if err != nil {
			t.Fatal(err)
		}
		for id, v := range csvAnswers(r, theta) {
			if err := a.Assess.SaveResponse(ctx, u.ID, at.ID, id, v); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Assess.Submit(ctx, u.ID, at.ID); err != nil {
			t.Fatal(err)
		}
	}
	thetas := make([]float64, 34)
	for i := range thetas {
		email := fmt.Sprintf("csv-%d-%s@example.com", i, randomSuffix())
		u, err := a.Identity.CreateUser(ctx, email, apptest.Password, "", "learner")
		if err != nil {
			t.Fatal(err)
		}
		learners, emails = append(learners, &user{ID: u.ID}), append(emails, email)
		thetas[i] = r.Float64()*3 - 1.5
		take(learners[i], thetas[i])
	}
	a.Advance(15 * 24 * time.Hour)
	for i := range 32 { // retakes with a small true gain: none of them studied (no lessons exist)
		take(learners[i], thetas[i]+0.2)
	}

	path := "/api/v1/studio/assessments/" + slug
	learner := MustUser(t, a, "learner").Token
	a.Do(apptest.Request{Method: "GET", Path: path + "/responses.csv", Token: learner}).Want(403)
	a.Do(apptest.Request{Method: "GET", Path: path + "/responses.csv"}).Want(401)
	inst := MustUser(t, a, "instructor").Token
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/studio/assessments/nope/responses.csv", Token: inst}).Want(404)
	res := a.Do(apptest.Request{Method: "GET", Path: path + "/responses.csv", Token: inst}).Want(200)
	body := res.Body.String()
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	for i, u := range learners {
		if strings.Contains(body, u.ID) || strings.Contains(body, emails[i]) {
			t.Fatalf("responses.csv names learner %d by id or e-mail", i)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	if strings.Join(head[:3], ",") != "respondent,kind,submitted_at" || len(head) != 13 || len(recs) != 1+34+32 {
		t.Fatalf("header %v, %d rows", head, len(recs))
	}
	// The same learner keeps the same pseudonym across attempts and exports.
	again := a.Do(apptest.Request{Method: "GET", Path: path + "/responses.csv", Token: inst}).Want(200)
	if again.Body.String() != body {
		t.Error("a second export differs")
	}

	// ---- the independent computation, from the CSV alone
	type row struct {
		who, kind, at string
		v             map[string]float64
	}
	var rows []row
	for _, rec := range recs[1:] {
		rw := row{who: rec[0], kind: rec[1], at: rec[2], v: map[string]float64{}}
		for j, cell := range rec[3:] {
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatalf("cell %q: %v", cell, err)
			}
			rw.v[head[3+j]] = x
		}
		rows = append(rows, rw)
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	cov := func(xs, ys []float64) float64 {
		mx, my, s := mean(xs), mean(ys), 0.0
		for i := range xs {
			s += (xs[i] - mx) * (ys[i] - my)
		}
		return s / float64(len(xs)-1)
	}
	vr := func(xs []float64) float64 { return cov(xs, xs) }
	col := func(rs []row, id string) []float64 {
		out := make([]float64, len(rs))
		for i, rw := range rs {
			out[i] = rw.v[id]
		}
		return out
	}
	sumOf := func(rs []row, ids []string) []float64 {
		out := make([]float64, len(rs))
		for _, id := range ids {
			for i, x := range col(rs, id) {
				out[i] += x
			}
		}
		return out
	}
	alpha := func(rs []row, ids []string) float64 {
		k, items := float64(len(ids)), 0.0
		for _, id := range ids {
			items += vr(col(rs, id))
		}
		return k / (k - 1) * (1 - items/vr(sumOf(rs, ids)))
	}
	parts := map[string][2][]string{
		"pace": {{"pace-l1", "pace-l2", "pace-l3"}, {"pace-s1", "pace-s2"}},
		"tact": {{"tact-l1", "tact-l2", "tact-l3"}, {"tact-s1", "tact-s2"}},
	}
	score := func(rw row, comp string) (l, s, c float64) {
		p := parts[comp]
		l = 100 * (mean(sumOf([]row{rw}, p[0]))/3 - 1) / 4
		s = mean(sumOf([]row{rw}, p[1])) / 2
		return l, s, 0.5*l + 0.5*s
	}
	var base []row
	for _, rw := range rows {
		if rw.kind == "baseline" {
			base = append(base, rw)
		}
	}

	var st statsBody
	a.Do(apptest.Request{Method: "GET", Path: path + "/stats", Token: inst}).Want(200).Decode(&st)
	if st.Baselines != 34 || len(st.Items) != 10 || len(st.Competencies) != 2 {
		t.Fatalf("stats: %d baselines, %d items, %d competencies", st.Baselines, len(st.Items), len(st.Competencies))
	}
	const eps = 1e-6
	for _, it := range st.Items {
		comp := strings.Split(it.ID, "-")[0]
		group := parts[comp][0]
		best := 5.0
		if strings.Contains(it.ID, "-s") {
			group, best = parts[comp][1], 100
		}
		xs := col(base, it.ID)
		var rest []string
		for _, id := range group {
			if id != it.ID {
				rest = append(rest, id)
			}
		}
		restSum := sumOf(base, rest)
		wantR := cov(xs, restSum) / math.Sqrt(vr(xs)*vr(restSum))
		at := 0.0
		for _, x := range xs {
			if x == best {
				at++
			}
		}
		wantCeil := 100 * at / float64(len(xs))
		if it.N != 34 || math.Abs(it.Mean-mean(xs)) > eps || math.Abs(it.SD-math.Sqrt(vr(xs))) > eps ||
			it.ItemRestR == nil || math.Abs(*it.ItemRestR-wantR) > eps || math.Abs(it.CeilingPct-wantCeil) > eps {
			t.Errorf("%s: n %d mean %v sd %v r %v ceiling %v; want mean %v sd %v r %v ceiling %v", it.ID, it.N,
				it.Mean, it.SD, it.ItemRestR, it.CeilingPct, mean(xs), math.Sqrt(vr(xs)), wantR, wantCeil)
		}
		wantFlags := []string{}
		if wantR < 0.20 {
			wantFlags = append(wantFlags, "low_item_rest_r")
		}
		if wantCeil > 60 {
			wantFlags = append(wantFlags, "ceiling")
		}
		if fmt.Sprint(it.Flags) != fmt.Sprint(wantFlags) {
			t.Errorf("%s: flags %v, want %v", it.ID, it.Flags, wantFlags)
		}
	}
	for _, c := range st.Competencies {
		p := parts[c.Competency]
		var ls, ss, cs []float64
		for _, rw := range base {
			l, s, comp := score(rw, c.Competency)
			ls, ss, cs = append(ls, l), append(ss, s), append(cs, comp)
		}
		aL, aS := alpha(base, p[0]), alpha(base, p[1])
		aC := 1 - (0.25*vr(ls)*(1-aL)+0.25*vr(ss)*(1-aS))/vr(cs)
		sd := math.Sqrt(vr(cs))
		// Practice: each respondent's first two attempts (rows are oldest first).
		first := map[string]float64{}
		var changes []float64
		seen := map[string]int{}
		for _, rw := range rows {
			_, _, comp := score(rw, c.Competency)
			seen[rw.who]++
			switch seen[rw.who] {
			case 1:
				first[rw.who] = comp
			case 2:
				changes = append(changes, comp-first[rw.who])
			}
		}
		pe := mean(changes)
		t.Logf("%s: alpha_likert %.4f alpha_sjt %.4f alpha_composite %.4f sd %.3f practice %.3f (%d pairs)",
			c.Competency, aL, aS, aC, sd, pe, len(changes))
		ok := func(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) <= eps }
		if c.N != 34 || !ok(c.AlphaLikert, aL) || !ok(c.AlphaSJT, aS) || !ok(c.AlphaComposite, aC) ||
			math.Abs(c.SD-sd) > eps || !ok(c.Mean, mean(cs)) {
			t.Errorf("%s: %+v; want alphas %v %v %v sd %v mean %v", c.Competency, c, aL, aS, aC, sd, mean(cs))
		}
		// 34 baselines: the sample's numbers judge growth; SEM = SD·sqrt(1-alpha_c).
		if c.Source != "sample" || math.Abs(c.Alpha-aC) > eps || math.Abs(c.SEM-sd*math.Sqrt(1-aC)) > eps {
			t.Errorf("%s: used alpha %v (%s) sem %v, want %v and %v", c.Competency, c.Alpha, c.Source, c.SEM, aC, sd*math.Sqrt(1-aC))
		}
		if len(changes) != 32 || c.PracticeEffect.Source != "sample" || c.PracticeEffect.N != 32 ||
			math.Abs(c.PracticeEffect.Effect-pe) > eps {
			t.Errorf("%s: practice %+v, want %v from %d pairs", c.Competency, c.PracticeEffect, pe, len(changes))
		}
	}
}

// studied is a ModuleCompletions where the listed learners completed a lesson at a given time.
type studied struct {
	assess.NoCompletions
	at map[string][]time.Time
}

func (s studied) LessonCompletions(context.Context, []string) (map[string][]time.Time, error) {
	return s.at, nil
}

// TestPracticeEffectLeavesOutLearnersWhoStudied: a learner who completed a lesson between the
// baseline and the next attempt is not part of the practice effect; one who completed a lesson
// only before the baseline is.
func TestPracticeEffectLeavesOutLearnersWhoStudied(t *testing.T) {
	a := MustApp(t)
	slug := MustMini(t, a)
	ctx := context.Background()
	users := []*user{MustUser(t, a, "learner"), MustUser(t, a, "learner"), MustUser(t, a, "learner")}
	// gamma_skill is all Likert: g-l1..3 all 2 at baseline; retakes at 3, 4 and 5 (+25, +50, +75).
	take := func(u *user, g int) {
		at, _, err := a.Assess.Start(ctx, u.ID, slug)
		if err != nil {
			t.Fatal(err)
		}
		for id, v := range statsLearner(3, 3, g, g, g, "x") {
			if err := a.Assess.SaveResponse(ctx, u.ID, at.ID, id, json.RawMessage(v)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Assess.Submit(ctx, u.ID, at.ID); err != nil {
			t.Fatal(err)
		}
	}
	before := a.Now().Add(-time.Hour)
	for _, u := range users {
		take(u, 2)
	}
	a.Advance(15 * 24 * time.Hour)
	between := a.Now().Add(-time.Hour)
	for i, u := range users {
		take(u, 3+i)
	}
	svc := assess.NewService(assess.Deps{DB: a.DB, Now: a.Now, Completions: studied{at: map[string][]time.Time{
		users[0].ID: {before},  // studied before the baseline only: counts
		users[2].ID: {between}, // studied in between: left out
	}}})
	st, err := svc.Stats(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Competencies {
		if c.Competency != "gamma_skill" {
			continue
		}
		p := c.Practice
		if p.N != 2 || p.Sample == nil || !near(*p.Sample, 37.5) || p.Source != assess.SourcePrior || p.Effect != 0 {
			t.Errorf("practice %+v, want 2 pairs with mean change 37.5 (25 and 50), the prior 0 in use", p)
		}
	}
}
