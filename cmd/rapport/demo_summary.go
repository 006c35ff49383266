package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/teams"
)

// demoFacts is what the demo accounts show, read back through the services after the story.
type demoFacts struct {
	LearnerAttempts     int      // Lena's points on a competency's history
	LearnerGrowth       []string // competencies where her growth is real or likely
	LearnerCertificates []string // module titles
	LearnerInProgress   []string // module titles started and not finished
	LearnerStreak       int
	TeamReps            int
	TeamPending         int
	Assignments         int
	OverdueAssignments  int // assignments with at least one rep overdue
	Recognitions        int
	DraftLesson         string // "" when missing
	DraftModule         string // the draft's module title
	DraftModuleChanged  bool   // the draft's module has unpublished changes
}

// facts reads what the demo accounts show now.
func (s *story) facts(ctx context.Context) (demoFacts, error) {
	var f demoFacts
	lena, err := s.mustUser(demoLearner)
	if err != nil {
		return f, err
	}
	sk, err := s.a.Assess.MySkills(ctx, lena.ID)
	if err != nil {
		return f, err
	}
	for _, c := range sk.Competencies {
		f.LearnerAttempts = max(f.LearnerAttempts, len(c.History))
		if c.Band == assess.BandSignificantGrowth || c.Band == assess.BandLikelyGrowth {
			f.LearnerGrowth = append(f.LearnerGrowth, c.Name)
		}
	}
	certs, err := s.a.Progress.Certificates(ctx, lena.ID)
	if err != nil {
		return f, err
	}
	for _, c := range certs {
		f.LearnerCertificates = append(f.LearnerCertificates, c.ModuleTitle)
	}
	dash, err := s.a.Progress.Dashboard(ctx, lena.ID)
	if err != nil {
		return f, err
	}
	f.LearnerStreak = dash.Week.StreakWeeks
	for _, m := range dash.Modules {
		if m.CompletedLessons < m.LessonCount {
			f.LearnerInProgress = append(f.LearnerInProgress, m.Title)
		}
	}
	if err := s.teamFacts(ctx, &f); err != nil {
		return f, err
	}
	if l, err := s.a.Catalog.DraftLesson(ctx, draftModule, draftLessonSlug); err == nil {
		f.DraftLesson = l.Title
		m, _, err := s.a.Catalog.StudioModule(ctx, draftModule)
		if err != nil {
			return f, err
		}
		f.DraftModule, f.DraftModuleChanged = m.Title, m.HasUnpublishedChanges
	}
	return f, nil
}

// teamFacts reads the demo team as its manager sees it.
func (s *story) teamFacts(ctx context.Context, f *demoFacts) error {
	mgr, err := s.mustUser(demoManager)
	if err != nil || s.teamID == "" {
		return err
	}
	d, err := s.a.Teams.Team(ctx, mgr.ID, s.teamID)
	if err != nil {
		return err
	}
	for _, m := range d.Members {
		if m.IsLearner {
			f.TeamReps++
		}
	}
	invs, err := s.a.Teams.Invites(ctx, mgr.ID, s.teamID)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if inv.State == teams.InvitePending {
			f.TeamPending++
		}
	}
	as, err := s.a.Teams.Assignments(ctx, mgr.ID, s.teamID)
	if err != nil {
		return err
	}
	f.Assignments = len(as)
	for _, a := range as {
		for _, m := range a.Members {
			if m.Status == teams.StatusOverdue {
				f.OverdueAssignments++
				break
			}
		}
	}
	feed, err := s.a.Teams.Feed(ctx, mgr.ID, s.teamID, time.Time{}, teams.MaxFeedLimit)
	f.Recognitions = len(feed)
	return err
}

// summarise prints what each demo account shows and where.
func (s *story) summarise(ctx context.Context, e *env) error {
	f, err := s.facts(ctx)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "demo: %s: %d profile results, growth in %s; certificates for %s; reading %s; weekly goal met %d weeks running\n",
		demoLearner, f.LearnerAttempts, list(f.LearnerGrowth), list(f.LearnerCertificates), list(f.LearnerInProgress), f.LearnerStreak)
	fmt.Fprintf(e.stdout, "demo: %s: Demo Sales Team with %d reps and %d pending invite(s), %d assignments (%d overdue), %d recognitions\n",
		demoManager, f.TeamReps, f.TeamPending, f.Assignments, f.OverdueAssignments, f.Recognitions)
	if f.DraftLesson != "" {
		fmt.Fprintf(e.stdout, "demo: %s: draft lesson %q in %s, not yet published\n", demoInstructor, f.DraftLesson, f.DraftModule)
	}
	return nil
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
