package teams

import (
	"context"
	"sort"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
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

// Report builds the team report (managers and admins) from one aggregation over the team's
// learners plus one batched call each to progress and assessments, whatever the team's size.
func (s *Service) Report(ctx context.Context, actorID, teamID string) (Report, error) {
	t, err := s.authorize(ctx, teamID, actorID, manageTeam)
	if err != nil {
		return Report{}, err
	}
	rows, err := s.store.FindLearners(ctx, teamID, nil)
	if err != nil {
		return Report{}, err
	}
	members, err := s.reportMembers(ctx, rows)
	if err != nil {
		return Report{}, err
	}
	return Report{TeamID: t.ID, TeamName: t.Name, Members: members, Competencies: teamAverages(members),
		GeneratedAt: s.Now().UTC().Truncate(time.Second)}, nil
}

// MemberDetail is one learner's report row: the manager's drill-down (managers and admins).
func (s *Service) MemberDetail(ctx context.Context, actorID, teamID, userID string) (ReportMember, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return ReportMember{}, err
	}
	rows, err := s.store.FindLearners(ctx, teamID, []string{userID})
	if err != nil {
		return ReportMember{}, err
	}
	if len(rows) == 0 {
		return ReportMember{}, apperr.New(apperr.NotFound, "We couldn’t find that member on this team. They may have left it.")
	}
	members, err := s.reportMembers(ctx, rows)
	if err != nil {
		return ReportMember{}, err
	}
	return members[0], nil
}

// reportMembers joins the learners with their progress and skills (two batched calls).
func (s *Service) reportMembers(ctx context.Context, rows []Learner) ([]ReportMember, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	prog, skills, err := s.readers(ctx, ids)
	if err != nil {
		return nil, err
	}
	pulses := map[string]PulseAggregate{}
	practice := map[string]PracticeEvidence{}
	if len(ids) > 0 {
		if pulses, err = s.Pulses.PulseAggregates(ctx, ids); err != nil {
			return nil, err
		}
		if practice, err = s.Practice.PracticeEvidence(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]ReportMember, len(rows))
	for i, r := range rows {
		p := prog[r.UserID]
		m := ReportMember{UserID: r.UserID, Name: r.Name, Email: r.Email, Role: r.Role, JoinedAt: r.JoinedAt,
			CompletedLessons: p.CompletedLessons, LessonCount: p.LessonCount, Percent: p.Percent,
			LastActiveAt: p.LastActiveAt, Recognitions: r.Recognitions, Competencies: []CompetencySummary{},
			Pulse: pulses[r.UserID], Practice: practice[r.UserID]}
		for _, c := range skills[r.UserID] {
			c = c.rounded()
			if o, ok := m.Practice.Observed[c.Competency]; ok {
				c.Observed, c.Gap = round1Ptr(&o.Score), round1Ptr(o.Gap)
			}
			m.Competencies = append(m.Competencies, c)
		}
		out[i] = m
	}
	return out, nil
}

// readers calls the progress and skills readers once each.
func (s *Service) readers(ctx context.Context, ids []string) (map[string]MemberProgress, map[string][]CompetencySummary, error) {
	if len(ids) == 0 {
		return map[string]MemberProgress{}, map[string][]CompetencySummary{}, nil
	}
	prog, err := s.Progress.TeamProgress(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	skills, err := s.Skills.SkillSummaries(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	return prog, skills, nil
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
