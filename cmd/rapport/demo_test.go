package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/config"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/obs"
	"github.com/rapport-hq/rapport/internal/practice"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/teams"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// demoTables are the tables the demo writes to; a second run must leave every count alone.
var demoTables = []string{"users", "billing_grants", "modules", "lessons", "module_versions", "instrument_versions",
	"attempts", "responses", "attempt_scores", "lesson_progress", "progress_time_events", "weekly_goals",
	"certificates", "teams", "team_members", "team_invites", "assignments", "assignment_targets", "recognitions",
	"pulses", "review_cards", "check_answers", "practice_submissions", "practice_reviews"}

// TestDemoTellsItsStoryOnce runs `rapport demo` twice on a fresh database: the first run leaves
// the demo accounts with their history (checked through the services, as the web app reads it),
// the second adds nothing.
func TestDemoTellsItsStoryOnce(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Load(apptest.Env(t, map[string]string{"RAPPORT_TEST_CLOCK": "1"}))
	if err != nil {
		t.Fatal(err)
	}
	runDemo := func() string {
		var out bytes.Buffer
		if err := cmdDemo(ctx, &env{cfg: cfg, log: obs.NewLogger(io.Discard, "error"), stdout: &out}); err != nil {
			t.Fatalf("rapport demo: %v\n%s", err, out.String())
		}
		return out.String()
	}
	start := time.Now()
	first := runDemo()
	t.Logf("first run took %s:\n%s", time.Since(start).Round(time.Millisecond), first)
	a, err := app.New(ctx, cfg, obs.NewLogger(io.Discard, "error"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	before := countRows(t, a)

	t.Run("learner", func(t *testing.T) { checkLearner(t, a) })
	t.Run("manager", func(t *testing.T) { checkManager(t, a) })
	t.Run("instructor", func(t *testing.T) { checkInstructor(t, a) })
	t.Run("pulse and review", func(t *testing.T) { checkEngagement(t, a) })
	t.Run("practice", func(t *testing.T) { checkPractice(t, a) })

	second := runDemo()
	if !strings.Contains(second, "already in place") {
		t.Errorf("second run planned more history:\n%s", second)
	}
	after := countRows(t, a)
	for _, table := range demoTables {
		if before[table] != after[table] {
			t.Errorf("%s: %d rows after the first run, %d after the second", table, before[table], after[table])
		}
	}
}

func countRows(t *testing.T, a *app.App) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range demoTables {
		var n int64
		if err := a.DB.Gorm.Raw(`SELECT count(*) FROM ` + table).Scan(&n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func demoUserID(t *testing.T, a *app.App, email string) string {
	t.Helper()
	list, err := a.Identity.ListUsers(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range list {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no account %s", email)
	return ""
}

// checkLearner: a baseline and a check-in 14+ days later with real growth, a certificate, a
// module in progress and a weekly-goal streak.
func checkLearner(t *testing.T, a *app.App) {
	ctx := context.Background()
	id := demoUserID(t, a, demoLearner)
	sk, err := a.Assess.MySkills(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var significant, likely int
	for _, c := range sk.Competencies {
		if len(c.History) < 2 {
			t.Errorf("%s: %d results, want a baseline and at least one check-in", c.Competency, len(c.History))
			continue
		}
		if gap := c.LatestAt.Sub(c.BaselineAt); gap < 14*24*time.Hour {
			t.Errorf("%s: latest result %s after the baseline, want 14 days or more", c.Competency, gap)
		}
		switch c.Band {
		case assess.BandSignificantGrowth:
			significant++
		case assess.BandLikelyGrowth:
			likely++
		}
	}
	if significant < 2 {
		t.Errorf("real growth in %d competencies (likely in %d), want at least 2: %+v", significant, likely, sk.Competencies)
	}
	certs, err := a.Progress.Certificates(ctx, id)
	if err != nil || len(certs) == 0 {
		t.Fatalf("certificates %v, %v; want at least one", certs, err)
	}
	if c, err := a.Progress.Certificate(ctx, certs[0].Code); err != nil || c.UserName != "Lena Learner" {
		t.Errorf("public certificate %s: %+v, %v", certs[0].Code, c, err)
	}
	d, err := a.Progress.Dashboard(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Week.StreakWeeks < 2 {
		t.Errorf("streak %d weeks, want at least 2", d.Week.StreakWeeks)
	}
	if !slices.ContainsFunc(d.Modules, func(m progress.ModuleStat) bool { return m.CompletedLessons < m.LessonCount }) || d.Resume == nil {
		t.Errorf("no module in progress to resume: %+v", d)
	}
}

// checkManager: Demo Sales Team with 6-8 reps on complimentary seats, reps with and without
// growth, two assignments of which one is overdue, and recognitions.
func checkManager(t *testing.T, a *app.App) {
	ctx := context.Background()
	id := demoUserID(t, a, demoManager)
	mine, err := a.Teams.MyTeams(ctx, id)
	if err != nil || len(mine) != 1 || mine[0].Name != "Demo Sales Team" {
		t.Fatalf("manager's teams %+v, %v", mine, err)
	}
	teamID := mine[0].ID
	r, err := a.Teams.Report(ctx, id, teamID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Members); n < 6 || n > 8 {
		t.Errorf("%d reps, want 6 to 8", n)
	}
	var grown, baselineOnly, unassessed int
	for _, m := range r.Members {
		switch {
		case len(m.Competencies) == 0:
			unassessed++
		case slices.ContainsFunc(m.Competencies, func(c teams.CompetencySummary) bool { return c.Band == assess.BandSignificantGrowth }):
			grown++
		case !slices.ContainsFunc(m.Competencies, func(c teams.CompetencySummary) bool { return c.Delta != 0 }):
			baselineOnly++ // one result: latest is the baseline
		}
	}
	if grown < 2 || baselineOnly < 1 || unassessed < 1 {
		t.Errorf("reps with real growth %d, baseline only %d, not assessed %d; want varied progress", grown, baselineOnly, unassessed)
	}
	invs, err := a.Teams.Invites(ctx, id, teamID)
	if err != nil || len(invs) != 1 || invs[0].State != teams.InvitePending {
		t.Errorf("invites %+v, %v; want one pending", invs, err)
	}
	seats, err := a.Billing.TeamSeats(ctx, teamID)
	if err != nil || seats < len(r.Members)+1 {
		t.Errorf("team seats %d (%v) for %d reps and a pending invite", seats, err, len(r.Members))
	}
	as, err := a.Teams.Assignments(ctx, id, teamID)
	if err != nil || len(as) != 2 {
		t.Fatalf("assignments %+v, %v; want 2", as, err)
	}
	overdue := 0
	for _, x := range as {
		if slices.ContainsFunc(x.Members, func(m teams.AssignmentMember) bool { return m.Status == teams.StatusOverdue }) {
			overdue++
		}
	}
	if overdue != 1 {
		t.Errorf("%d assignments overdue, want 1: %+v", overdue, as)
	}
	feed, err := a.Teams.Feed(ctx, id, teamID, time.Time{}, 50)
	if err != nil || len(feed) < 2 || feed[0].FromID != id {
		t.Errorf("recognitions %+v, %v; want several from the manager", feed, err)
	}
}

// checkInstructor: a saved draft lesson that learners do not see yet.
func checkInstructor(t *testing.T, a *app.App) {
	ctx := context.Background()
	l, err := a.Catalog.DraftLesson(ctx, draftModule, draftLessonSlug)
	if err != nil || l.Title != draftLessonTitle {
		t.Fatalf("draft lesson %+v, %v", l, err)
	}
	m, _, err := a.Catalog.StudioModule(ctx, draftModule)
	if err != nil || !m.HasUnpublishedChanges || m.Version < 1 {
		t.Errorf("module %+v, %v; want published with unpublished changes", m, err)
	}
	pub, err := a.Catalog.CatalogModule(ctx, "", draftModule)
	if err != nil || slices.ContainsFunc(pub.Lessons, func(x catalog.CatalogLesson) bool { return x.Slug == draftLessonSlug }) {
		t.Errorf("learners see the draft lesson: %+v, %v", pub.Lessons, err)
	}
}

// checkEngagement: Lena has answered Buyer Pulses with accuracy (and one still waiting) and a
// review schedule in progress (checks due now and later); the manager sees Priya's pulse averages
// (three answers) and a recognition of her with a pulse answer as evidence.
func checkEngagement(t *testing.T, a *app.App) {
	ctx := context.Background()
	lena := demoUserID(t, a, demoLearner)
	ps, sum, err := a.Pulse.Mine(ctx, lena)
	if err != nil || sum.Responses < 3 || sum.MeanAbsError == nil || len(ps) <= sum.Responses {
		t.Errorf("Lena's pulses %d, summary %+v, %v; want 3+ answered with accuracy and one waiting", len(ps), sum, err)
	}
	q, err := a.Review.Queue(ctx, lena)
	if err != nil || q.DueCount == 0 || q.NextDueAt == nil {
		t.Errorf("Lena's review: %d due, next %v, %v; want checks due now and later", q.DueCount, q.NextDueAt, err)
	}
	mgr := demoUserID(t, a, demoManager)
	mine, err := a.Teams.MyTeams(ctx, mgr)
	if err != nil || len(mine) != 1 {
		t.Fatalf("manager's teams %+v, %v", mine, err)
	}
	r, err := a.Teams.Report(ctx, mgr, mine[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	priya := demoUserID(t, a, priyaEmail)
	i := slices.IndexFunc(r.Members, func(m teams.ReportMember) bool { return m.UserID == priya })
	if i < 0 || r.Members[i].Pulse.Responses < 3 || r.Members[i].Pulse.Averages == nil {
		t.Errorf("Priya's pulse on the team report: %+v; want averages from 3 answers", r.Members)
	}
	trend, err := a.Teams.PulseTrend(ctx, mgr, mine[0].ID)
	if err != nil || !slices.ContainsFunc(trend, func(w teams.PulseWeek) bool { return w.Averages != nil }) {
		t.Errorf("the team's pulse trend has no week with averages: %+v (%v)", trend, err)
	}
	feed, err := a.Teams.Feed(ctx, mgr, mine[0].ID, time.Time{}, 50)
	if err != nil || !slices.ContainsFunc(feed, func(rc teams.Recognition) bool {
		return rc.ToID == priya && rc.Evidence != nil && rc.Evidence.Kind == teams.EvidencePulse
	}) {
		t.Errorf("no recognition of Priya with pulse evidence in %+v (%v)", feed, err)
	}
}

// checkPractice: Priya's written attempt is reviewed by Marco, who scored some criteria lower
// than she did (the gap her skills page shows), with comments and a summary; Sam's attempt is
// the one item waiting in Marco's review queue.
func checkPractice(t *testing.T, a *app.App) {
	ctx := context.Background()
	priya, mgr := demoUserID(t, a, priyaEmail), demoUserID(t, a, demoManager)
	mine, err := a.Practice.MySubmissions(ctx, priya, "equip-the-champion")
	if err != nil || len(mine) != 1 {
		t.Fatalf("Priya's attempts %+v, %v; want one", mine, err)
	}
	sub := mine[0]
	if sub.Submission.Status != practice.StatusReviewed || sub.Submission.SelfReview == nil {
		t.Fatalf("Priya's attempt is %s (self-review %v); want reviewed, self-scored", sub.Submission.Status, sub.Submission.SelfReview)
	}
	if len(sub.Visibility.Reviews) != 1 {
		t.Fatalf("Priya sees %d reviews, want Marco's", len(sub.Visibility.Reviews))
	}
	r := sub.Visibility.Reviews[0]
	if !r.Review.By(mgr) || r.Review.Role != practice.RoleManager || !r.Full || len(r.Review.Comments) != 2 || r.Review.Summary == "" {
		t.Errorf("the review Priya sees: %+v; want Marco's, in full, with two comments and a summary", r)
	}
	self := map[string]int{}
	for _, s := range sub.Submission.SelfReview.Scores {
		self[s.CriterionID] = s.Score
	}
	lower := 0
	for _, s := range r.Review.Scores {
		if s.Score < self[s.CriterionID] {
			lower++
		}
	}
	if len(r.Review.Scores) != len(self) || lower == 0 {
		t.Errorf("Marco scored %d criteria (Priya %d), %d lower than she did; want every one, some lower", len(r.Review.Scores), len(self), lower)
	}
	q, err := a.Practice.Queue(ctx, mgr)
	if err != nil || len(q) != 1 {
		t.Fatalf("Marco's review queue %+v, %v; want one attempt", q, err)
	}
	if sam := demoUserID(t, a, "sam.okafor@demo.rapport.local"); q[0].Submission.UserID != sam || q[0].Activity.Slug != "keep-or-qualify-out" {
		t.Errorf("Marco's queue holds %s's %s; want Sam's keep-or-qualify-out", q[0].Submission.OwnerName, q[0].Activity.Slug)
	}
}
