package teams

import (
	"context"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"
)

// ReportMember is one learner's row of the team report.
type ReportMember struct {
	UserID           string
	Name             string
	Email            string
	Role             string
	JoinedAt         time.Time
	CompletedLessons int
	LessonCount      int
	Percent          int
	LastActiveAt     *time.Time
	// Recognitions counts the recognitions the member received in this team.
	Recognitions int
	Competencies []CompetencySummary
	// Pulse is the member's Buyer Pulse aggregate (no comments, averages from 3 answers).
	Pulse PulseAggregate
	// Practice counts the member's practice submissions (its Observed scores are merged into
	// Competencies).
	Practice PracticeEvidence
}

// TeamCompetency is the team's average on one competency, over the members assessed on it.
type TeamCompetency struct {
	Competency  string
	Name        string
	BaselineAvg float64
	LatestAvg   float64
	DeltaAvg    float64
	Members     int
}

// Report is the team report: every learning member's progress and growth, and team averages.
type Report struct {
	TeamID       string
	TeamName     string
	Members      []ReportMember
	Competencies []TeamCompetency
	GeneratedAt  time.Time
}

// CompetencyKeys lists the competencies that appear in the report, in the team's order.
func (r Report) CompetencyKeys() []string {
	out := make([]string, len(r.Competencies))
	for i, c := range r.Competencies {
		out[i] = c.Competency
	}
	return out
}

// Report builds the team report (managers and admins) in three statements whatever the team's
// size: the caller's access, the learners with their numbers, and their per-competency rows.
func (s *Service) Report(ctx context.Context, actorID, teamID string) (Report, error) {
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return Report{}, err
	}
	return s.buildReport(ctx, t)
}

// buildReport builds the report of a team the caller may manage (two statements).
func (s *Service) buildReport(ctx context.Context, t Team) (Report, error) {
	members, err := s.reportMembers(ctx, t.ID, nil)
	if err != nil {
		return Report{}, err
	}
	return Report{TeamID: t.ID, TeamName: t.Name, Members: members, Competencies: teamAverages(members),
		GeneratedAt: s.Now().UTC().Truncate(time.Second)}, nil
}

// MemberDetail is one learner's report row: the manager's drill-down (managers and admins), in
// the report's three statements.
func (s *Service) MemberDetail(ctx context.Context, actorID, teamID, userID string) (ReportMember, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return ReportMember{}, err
	}
	members, err := s.reportMembers(ctx, teamID, []string{userID})
	if err != nil {
		return ReportMember{}, err
	}
	if len(members) == 0 {
		return ReportMember{}, errNoMember
	}
	return members[0], nil
}

// reportMembers reads the team's seat holders (only those listed, when only is not nil) with
// their numbers, then their per-competency rows (two statements), and applies each domain's rule
// to the raw numbers: progress's percentage, Buyer Pulse's minimum for averages, assessments'
// bands, practice's observed scores.
//
// The two statements run at the same time on two connections: each selects the learners itself,
// and a 500-rep report then waits for the slower one instead of both in turn.
func (s *Service) reportMembers(ctx context.Context, teamID string, only []string) ([]ReportMember, error) {
	var facts []reportFacts
	var comps competencyFacts
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		facts, err = s.store.FindReportMembers(gctx, teamID, only)
		return err
	})
	g.Go(func() (err error) {
		comps, err = s.store.FindReportCompetencies(gctx, teamID, only, s.Practice.ObservedWindow())
		return err
	})
	if err := g.Wait(); err != nil || len(facts) == 0 {
		return []ReportMember{}, err
	}
	var err error
	skills := map[string][]CompetencySummary{}
	if len(comps.Scores) > 0 {
		if skills, err = s.Skills.JudgeSkills(ctx, comps.Scores); err != nil {
			return nil, err
		}
	}
	out := make([]ReportMember, len(facts))
	for i, f := range facts {
		out[i] = s.reportMember(f, skills[f.UserID], comps.Self[f.UserID], comps.Observed[f.UserID])
	}
	return out, nil
}

// reportMember is one learner's row from their numbers, judged skills, self-ratings and the
// managers' mean rubric scores.
func (s *Service) reportMember(f reportFacts, skills []CompetencySummary, self map[string]float64,
	means map[string]ObservedMean) ReportMember {
	p, practice := f.Progress, f.Practice
	practice.Observed = s.Practice.ObservedScores(self, means)
	m := ReportMember{UserID: f.UserID, Name: f.Name, Email: f.Email, Role: f.Role, JoinedAt: f.JoinedAt,
		CompletedLessons: p.CompletedLessons, LessonCount: p.LessonCount,
		Percent: s.Progress.Percent(p.CompletedLessons, p.LessonCount), LastActiveAt: p.LastActiveAt,
		Recognitions: f.Recognitions, Competencies: make([]CompetencySummary, 0, len(skills)),
		Pulse: s.Pulses.PulseAggregate(f.Pulse), Practice: practice}
	for _, c := range skills {
		c = c.rounded()
		if o, ok := practice.Observed[c.Competency]; ok {
			c.Observed, c.Gap = round1Ptr(&o.Score), round1Ptr(o.Gap)
		}
		m.Competencies = append(m.Competencies, c)
	}
	return m
}

// teamAverages averages baseline and latest per competency over the members assessed on it,
// in competency-key order.
func teamAverages(members []ReportMember) []TeamCompetency {
	type acc struct {
		name             string
		baseline, latest float64
		n                int
	}
	sums := map[string]*acc{}
	for _, m := range members {
		for _, c := range m.Competencies {
			a := sums[c.Competency]
			if a == nil {
				a = &acc{name: c.Name}
				sums[c.Competency] = a
			}
			a.baseline += c.Baseline
			a.latest += c.Latest
			a.n++
		}
	}
	out := make([]TeamCompetency, 0, len(sums))
	for k, a := range sums {
		b, l := a.baseline/float64(a.n), a.latest/float64(a.n)
		out = append(out, TeamCompetency{Competency: k, Name: a.name, BaselineAvg: round1(b), LatestAvg: round1(l),
			DeltaAvg: round1(l - b), Members: a.n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Competency < out[j].Competency })
	return out
}

// PulseTrend is the team's Buyer Pulse trend, week by week, over its current seat holders'
// answers (managers and admins). A week's averages appear only from the minimum number of
// answers, the same rule as each rep's aggregates, so no buyer's single answer can be read off.
func (s *Service) PulseTrend(ctx context.Context, actorID, teamID string) ([]PulseWeek, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	learners, err := s.store.FindLearners(ctx, teamID, nil)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(learners))
	for i, l := range learners {
		ids[i] = l.UserID
	}
	return s.Pulses.PulseTrend(ctx, ids)
}
