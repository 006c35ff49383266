package teams_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/practice"
	"github.com/rapport-hq/rapport/internal/teams"
)

// The report as the domains' own batched readers compose it: the oracle the report's own
// statements must match byte for byte. The types copy the report's JSON shape field for field.

type oracleComp struct {
	Competency  string    `json:"competency"`
	Name        string    `json:"name"`
	Baseline    float64   `json:"baseline"`
	Latest      float64   `json:"latest"`
	Delta       float64   `json:"delta"`
	Band        string    `json:"band"`
	Significant bool      `json:"significant"`
	LatestAt    time.Time `json:"latest_at"`
	Observed    *float64  `json:"observed"`
	Gap         *float64  `json:"gap"`
}

type oracleAverages struct {
	Clarity    float64 `json:"clarity"`
	Understood float64 `json:"understood"`
	Again      float64 `json:"again"`
}

type oracleMember struct {
	UserID           string       `json:"user_id"`
	Name             string       `json:"name"`
	Email            string       `json:"email"`
	Role             string       `json:"role"`
	JoinedAt         time.Time    `json:"joined_at"`
	CompletedLessons int          `json:"completed_lessons"`
	LessonCount      int          `json:"lesson_count"`
	Percent          int          `json:"percent"`
	LastActiveAt     *time.Time   `json:"last_active_at"`
	Recognitions     int          `json:"recognitions"`
	Competencies     []oracleComp `json:"competencies"`
	Pulse            struct {
		Responses int             `json:"responses"`
		Averages  *oracleAverages `json:"averages"`
	} `json:"pulse"`
	Practice struct {
		Submitted      int `json:"submitted"`
		Reviewed       int `json:"reviewed"`
		AwaitingReview int `json:"awaiting_review"`
	} `json:"practice"`
}

type oracleTeamComp struct {
	Competency  string  `json:"competency"`
	Name        string  `json:"name"`
	BaselineAvg float64 `json:"baseline_avg"`
	LatestAvg   float64 `json:"latest_avg"`
	DeltaAvg    float64 `json:"delta_avg"`
	Members     int     `json:"members"`
}

type oracleReport struct {
	TeamID   string         `json:"team_id"`
	TeamName string         `json:"team_name"`
	Members  []oracleMember `json:"members"`
	Team     struct {
		MemberCount  int              `json:"member_count"`
		Competencies []oracleTeamComp `json:"competencies"`
	} `json:"team"`
	GeneratedAt time.Time `json:"generated_at"`
}

func oracleRound1(x float64) float64 { return math.Round(x*10) / 10 }

func oracleRound1Ptr(x *float64) *float64 {
	if x == nil {
		return nil
	}
	v := oracleRound1(*x)
	return &v
}

// oracle composes the report of team from the seat holders (the statement the report used to
// list them with) and the progress, assessments, Buyer Pulse and practice readers.
func (e *env) oracle(teamID, teamName string, generatedAt time.Time) oracleReport {
	e.t.Helper()
	ctx := context.Background()
	var learners []struct {
		UserID       string
		Name         string
		Email        string
		Role         string
		JoinedAt     time.Time
		Recognitions int
	}
	if err := e.DB.Gorm.Raw(`
		SELECT m.user_id, u.name, u.email, m.role, m.joined_at, count(r.id) AS recognitions
		FROM team_members m
		JOIN users u ON u.id = m.user_id
		LEFT JOIN recognitions r ON r.team_id = m.team_id AND r.to_user_id = m.user_id
		WHERE m.team_id = ? AND m.removed_at IS NULL AND m.is_learner
		GROUP BY m.user_id, u.name, u.email, m.role, m.joined_at ORDER BY lower(u.name), m.user_id`, teamID).
		Scan(&learners).Error; err != nil {
		e.t.Fatal(err)
	}
	ids := make([]string, len(learners))
	for i, l := range learners {
		ids[i] = l.UserID
	}
	prog, err := e.Progress.TeamProgress(ctx, ids)
	if err != nil {
		e.t.Fatal(err)
	}
	skills, err := e.Assess.SkillSummaries(ctx, ids)
	if err != nil {
		e.t.Fatal(err)
	}
	pulses, err := e.Pulse.TeamAggregates(ctx, ids)
	if err != nil {
		e.t.Fatal(err)
	}
	evidence, err := practice.NewEvidence(practice.EvidenceDeps{DB: e.DB, Self: e.Assess}).ForLearners(ctx, ids)
	if err != nil {
		e.t.Fatal(err)
	}
	out := oracleReport{TeamID: teamID, TeamName: teamName, Members: []oracleMember{}, GeneratedAt: generatedAt}
	for _, l := range learners {
		p, ev := prog[l.UserID], evidence[l.UserID]
		m := oracleMember{UserID: l.UserID, Name: l.Name, Email: l.Email, Role: l.Role, JoinedAt: l.JoinedAt.UTC(),
			CompletedLessons: p.CompletedLessons, LessonCount: p.LessonCount, Percent: p.Percent,
			LastActiveAt: p.LastActiveAt, Recognitions: l.Recognitions, Competencies: []oracleComp{}}
		m.Pulse.Responses = pulses[l.UserID].Responses
		if a := pulses[l.UserID].Averages; a != nil {
			m.Pulse.Averages = &oracleAverages{a.Clarity, a.Understood, a.Again}
		}
		m.Practice.Submitted, m.Practice.Reviewed, m.Practice.AwaitingReview =
			ev.Counts.Submitted, ev.Counts.Reviewed, ev.Counts.AwaitingReview
		observed := map[string]practice.CompetencyEvidence{}
		for _, c := range ev.Compare(ev.ObservedKeys()) {
			observed[c.Competency] = c
		}
		for _, c := range skills[l.UserID] {
			m.Competencies = append(m.Competencies, oracleCompOf(c, observed))
		}
		out.Members = append(out.Members, m)
	}
	out.Team.MemberCount = len(out.Members)
	out.Team.Competencies = oracleAveragesOf(out.Members)
	return out
}

// oracleCompOf is one competency as the report showed it: rounded, with the observed score.
func oracleCompOf(c assess.CompetencySummary, observed map[string]practice.CompetencyEvidence) oracleComp {
	b, l := oracleRound1(c.Baseline), oracleRound1(c.Latest)
	oc := oracleComp{Competency: c.Competency, Name: c.Name, Baseline: b, Latest: l, Delta: oracleRound1(l - b),
		Band: c.Band, Significant: c.Significant, LatestAt: c.LatestAt.UTC()}
	if o, ok := observed[c.Competency]; ok {
		oc.Observed, oc.Gap = oracleRound1Ptr(o.Observed), oracleRound1Ptr(o.Gap)
	}
	return oc
}

// oracleAveragesOf averages baseline and latest per competency over the members assessed on it.
func oracleAveragesOf(members []oracleMember) []oracleTeamComp {
	type acc struct {
		name             string
		baseline, latest float64
		n                int
	}
	sums := map[string]*acc{}
	for _, m := range members {
		for _, c := range m.Competencies {
			if sums[c.Competency] == nil {
				sums[c.Competency] = &acc{name: c.Name}
			}
			a := sums[c.Competency]
			a.baseline, a.latest, a.n = a.baseline+c.Baseline, a.latest+c.Latest, a.n+1
		}
	}
	out := []oracleTeamComp{}
	for k, a := range sums {
		b, l := a.baseline/float64(a.n), a.latest/float64(a.n)
		out = append(out, oracleTeamComp{Competency: k, Name: a.name, BaselineAvg: oracleRound1(b),
			LatestAvg: oracleRound1(l), DeltaAvg: oracleRound1(l - b), Members: a.n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Competency < out[j].Competency })
	return out
}

// oracleJSON encodes v as the report's handler does (encoding/json, then a newline).
func oracleJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReportMatchesDomainReaders builds a team with every kind of evidence and checks that the
// report (and each member's drill-down) is byte for byte what the domains' readers compose:
// progress on both published modules and on a module unpublished after it was started, a
// baseline then later attempts on two instruments, pulses below and from three answers, practice
// reviewed (by managers and a peer, more than the observed window), waiting and drafted, observed
// scores without a self-rating, recognitions, a removed member who keeps their data, a manager
// who also learns, and a name that JSON escapes.
func TestReportMatchesDomainReaders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mgr, peer := e.user("omgr", ""), e.user("opeer", "")
	team := e.teamOf(mgr, "Oracle <team> & co")
	ada, bob, cid, dan, eve := e.user("oada", ""), e.user("obob", ""), e.user("ocid", ""), e.user("odan", ""), e.user("oeve", "")
	for _, u := range []*user{ada, bob, cid, dan, eve, peer} {
		e.seedMember(team, u)
	}
	if err := e.DB.Gorm.Exec(`UPDATE team_members SET is_learner = true WHERE team_id = ? AND user_id = ?`, team, mgr.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.DB.Gorm.Exec(`UPDATE users SET name = ? WHERE id = ?`, `Éve "<script>" & Co`, eve.ID).Error; err != nil {
		t.Fatal(err)
	}

	// Progress, one module started and then unpublished (its lesson still counts as activity).
	gamma := e.module("teams-oracle-gamma", 1)
	e.start(eve, gamma[0])
	if err := e.Catalog.Unpublish(ctx, "teams-oracle-gamma"); err != nil {
		t.Fatal(err)
	}
	e.start(bob, e.lessons[modAlpha][1])
	e.complete(mgr, e.lessons[modAlpha]...)
	e.complete(dan, e.lessons[modBeta]...)

	// Assessments: baselines, later attempts (each after a completed module), a second instrument.
	const second = "teams-oracle"
	e.importInstrument(second)
	e.assess(ada, 3, 3)
	e.complete(ada, e.lessons[modBeta]...)
	e.complete(ada, e.lessons[modAlpha][0])
	e.assess(ada, 5, 4)
	e.assess(bob, 2, 4)
	e.assess(eve, 1, 5)
	e.assessOn(second, eve, 3, 2)
	e.complete(eve, e.lessons[modBeta]...) // a completed module opens the next progress check
	e.assess(eve, 2, 4)
	e.complete(eve, e.lessons[modAlpha]...)
	e.assessOn(second, eve, 5, 1)
	e.assess(mgr, 4, 4)
	e.assess(dan, 1, 1)

	// Buyer Pulse: ada two answers (no averages), bob three (averages), eve one waiting.
	for _, a := range []map[string]any{{"clarity": 5, "understood": 4, "again": 3}, {"clarity": 2, "understood": 4, "again": 5}} {
		e.pulseOf(ada, a)
	}
	for _, a := range []map[string]any{{"clarity": 5, "understood": 4, "again": 3}, {"clarity": 1, "understood": 2, "again": 4},
		{"clarity": 4, "understood": 4, "again": 4, "comment": "never shown"}} {
		e.pulseOf(bob, a)
	}
	e.pulseOf(eve, nil)

	// Practice: reviewed by the manager and a peer, waiting, drafted; bob past the window; cid
	// observed without any assessment.
	act := e.seedActivity("Oracle push-back")
	now := time.Now().UTC()
	a1 := e.seedSubmission(act, ada, 1, "reviewed", now.Add(-3*time.Hour))
	e.seedReview(a1, mgr, "manager", 3, 4, 2)
	e.seedReview(a1, peer, "peer", 5, 5, 5)
	e.seedSubmission(act, ada, 2, "submitted", now.Add(-time.Hour))
	e.seedSubmission(act, ada, 3, "draft", now)
	for i := 1; i <= 7; i++ {
		s := e.seedSubmission(act, bob, i, "reviewed", now.Add(time.Duration(i-10)*time.Hour))
		e.seedReview(s, mgr, "manager", 1+i%5, 2, 1+i%3)
	}
	c1 := e.seedSubmission(act, cid, 1, "reviewed", now.Add(-2*time.Hour))
	e.seedReview(c1, mgr, "manager", 4, 4, 4)
	e1 := e.seedSubmission(act, eve, 1, "reviewed", now.Add(-2*time.Hour))
	e.seedReview(e1, mgr, "manager", 2, 3, 5)

	// Recognitions, then dan leaves with all his data.
	for _, u := range []*user{ada, ada, eve} {
		e.call(mgr, "POST", "/api/v1/teams/"+team+"/recognitions", map[string]any{"user_id": u.ID, "message": "Well done."}).
			Want(http.StatusCreated)
	}
	e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+dan.ID, nil).Want(http.StatusNoContent)

	res := e.call(mgr, "GET", "/api/v1/teams/"+team+"/report", nil).Want(http.StatusOK)
	var got struct {
		GeneratedAt time.Time `json:"generated_at"`
	}
	res.Decode(&got)
	want := e.oracle(team, "Oracle <team> & co", got.GeneratedAt)
	if len(want.Members) != 6 || strings.Contains(res.Body.String(), dan.ID) {
		t.Fatalf("%d members in the oracle, want 6 without the removed one:\n%s", len(want.Members), res.Body.String())
	}
	if body := oracleJSON(t, want); !bytes.Equal(res.Body.Bytes(), body) {
		t.Fatalf("report differs from the readers' composition:\n got %s\nwant %s", res.Body.String(), body)
	}
	if ct := res.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	for _, m := range want.Members {
		r := e.call(mgr, "GET", "/api/v1/teams/"+team+"/members/"+m.UserID, nil).Want(http.StatusOK)
		if body := oracleJSON(t, m); !bytes.Equal(r.Body.Bytes(), body) {
			t.Errorf("drill-down of %s:\n got %s\nwant %s", m.Email, r.Body.String(), body)
		}
	}
	wantProblem(t, e.call(mgr, "GET", "/api/v1/teams/"+team+"/members/"+dan.ID, nil), http.StatusNotFound)
}

// TestReportGenerationMovesOnCommittedWrites: every committed membership or team change moves the
// generation report builds are keyed by (so no request joins a build begun before it), and a
// refused one does not.
func TestReportGenerationMovesOnCommittedWrites(t *testing.T) {
	e := newEnv(t)
	mgr, rep := e.user("gmgr", ""), e.user("grep", "")
	team := e.teamOf(mgr, "Generations")
	e.seedMember(team, rep)
	gen := func() uint64 { return teams.ReportGeneration(e.Teams) }
	steps := []struct {
		name  string
		write func()
		moves bool
	}{
		{"refused removal of the last manager", func() {
			wantProblem(t, e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+mgr.ID, nil), http.StatusConflict)
		}, false},
		{"rename", func() {
			e.call(mgr, "PATCH", "/api/v1/teams/"+team, map[string]string{"name": "Generations 2"}).Want(http.StatusOK)
		}, true},
		{"role change", func() {
			e.call(mgr, "PATCH", "/api/v1/teams/"+team+"/members/"+rep.ID, map[string]string{"role": "manager"}).Want(http.StatusOK)
		}, true},
		{"removal", func() {
			e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+rep.ID, nil).Want(http.StatusNoContent)
		}, true},
	}
	for _, s := range steps {
		before := gen()
		s.write()
		if moved := gen() > before; moved != s.moves {
			t.Errorf("%s: generation moved %v, want %v", s.name, moved, s.moves)
		}
	}
}
