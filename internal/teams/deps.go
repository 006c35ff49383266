package teams

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// SeatCounter reports a team's seats: subscription quantity plus granted seats (billing).
type SeatCounter interface {
	TeamSeats(ctx context.Context, teamID string) (int, error)
	// TeamsSeats answers for many teams in one call (the admin's team search).
	TeamsSeats(ctx context.Context, teamIDs []string) (map[string]int, error)
}

// NoSeats is the SeatCounter of a process that sells no seats: every team has none, so invites
// are refused. Tests that need no billing pass it.
type NoSeats struct{}

// TeamSeats implements SeatCounter: no seats.
func (NoSeats) TeamSeats(context.Context, string) (int, error) { return 0, nil }

// TeamsSeats implements SeatCounter: no seats for any team.
func (NoSeats) TeamsSeats(context.Context, []string) (map[string]int, error) {
	return map[string]int{}, nil
}

// AccessChanges is told, once a membership write has committed and before the caller answers,
// that who holds a seat may have changed: premium access follows seats, and the process keeps
// access decisions in memory (the app announces it on billing's access channel; other processes
// hear the database's notification of the same commit).
type AccessChanges interface {
	AccessChanged()
}

// NoAccessChanges is the AccessChanges of a process that keeps no access decisions.
type NoAccessChanges struct{}

// AccessChanged implements AccessChanges: nothing to tell.
func (NoAccessChanges) AccessChanged() {}

// ProgressReader is what teams read of learner progress. Every reading method answers for many
// learners in one call, so a page costs the same number of queries for 5 reps or 500. The team
// report reads the progress totals itself, in its statement over the members
// (docs/ARCHITECTURE.md), and asks progress only for its rule (Percent).
type ProgressReader interface {
	// Percent is the share of lessons completed, rounded as progress shows it everywhere.
	Percent(completed, total int) int
	// ModuleProgress counts each learner's lessons in each module: result[userID][moduleID].
	ModuleProgress(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]ModuleCount, error)
	// Completions lists the modules the learners completed at or after since.
	Completions(ctx context.Context, userIDs []string, since time.Time) ([]Completion, error)
}

// NoProgress is the ProgressReader of a process without learner progress: nobody has started
// anything.
type NoProgress struct{}

// Percent implements ProgressReader: nothing is ever completed.
func (NoProgress) Percent(int, int) int { return 0 }

// ModuleProgress implements ProgressReader: no lesson started.
func (NoProgress) ModuleProgress(context.Context, []string, []string) (map[string]map[string]ModuleCount, error) {
	return map[string]map[string]ModuleCount{}, nil
}

// Completions implements ProgressReader: no module completed.
func (NoProgress) Completions(context.Context, []string, time.Time) ([]Completion, error) {
	return nil, nil
}

// SkillReader is what teams read of assessment results (assessments implement it).
type SkillReader interface {
	// SkillSummaries reads and judges the learners' baseline and latest scores.
	SkillSummaries(ctx context.Context, userIDs []string) (map[string][]CompetencySummary, error)
	// JudgeSkills judges score rows the team report read itself (each learner's baseline and
	// latest attempt per instrument, in time order within each learner): names, competency order,
	// bands and significance stay the assessments' rules. It reads nothing while the
	// assessments' caches are warm.
	JudgeSkills(ctx context.Context, scores []SkillScore) (map[string][]CompetencySummary, error)
}

// SkillScore is one competency score of one submitted attempt, as the team report reads it.
type SkillScore struct {
	UserID       string
	InstrumentID string
	AttemptID    string
	// Kind is the attempt's kind as assessments store it ("baseline" or another).
	Kind        string
	SubmittedAt time.Time
	Competency  string
	Score       float64
}

// NoSkills is the SkillReader of a process without assessments: nobody is assessed.
type NoSkills struct{}

// SkillSummaries implements SkillReader: no results.
func (NoSkills) SkillSummaries(context.Context, []string) (map[string][]CompetencySummary, error) {
	return map[string][]CompetencySummary{}, nil
}

// JudgeSkills implements SkillReader: nobody is assessed.
func (NoSkills) JudgeSkills(context.Context, []SkillScore) (map[string][]CompetencySummary, error) {
	return map[string][]CompetencySummary{}, nil
}

// ModuleCatalog resolves a published module for an assignment (the catalog implements it).
type ModuleCatalog interface {
	PublishedModule(ctx context.Context, slug string) (ModuleRef, error)
}

// NoModules is the ModuleCatalog of a process without a catalog: no module is published, so
// nothing can be assigned.
type NoModules struct{}

// PublishedModule implements ModuleCatalog: NotFound for every slug.
func (NoModules) PublishedModule(context.Context, string) (ModuleRef, error) {
	return ModuleRef{}, apperr.New(apperr.NotFound, "This module isn’t published.")
}

// MemberProgress is one learner's overall progress.
type MemberProgress struct {
	CompletedLessons int
	LessonCount      int
	Percent          int
	LastActiveAt     *time.Time
}

// ModuleCount is one learner's lessons in one module's latest published version.
type ModuleCount struct {
	LessonCount int
	Started     int
	Completed   int
}

// Completion is a module a learner finished.
type Completion struct {
	UserID      string
	ModuleSlug  string
	ModuleTitle string
	At          time.Time
}

// CompetencySummary is a learner's baseline and latest score on one competency.
type CompetencySummary struct {
	Competency  string
	Name        string
	Baseline    float64
	Latest      float64
	Delta       float64
	Band        string
	Significant bool
	LatestAt    time.Time
	// Observed is the managers' mean rubric score from practice reviews (0-100) and Gap the
	// learner's self-rating minus it; nil while there is nothing to compute them from. Set by the
	// report, not by the SkillReader.
	Observed *float64
	Gap      *float64
}

// ModuleRef is a published module as an assignment points at it.
type ModuleRef struct {
	ID    string
	Slug  string
	Title string
}

// PulseReader is what teams read of Buyer Pulse: whether a pulse is evidence a rep may be
// recognised for, and each rep's aggregates for managers (pulse implements it through an adapter).
type PulseReader interface {
	// AnsweredPulseOf reports whether pulseID is an answered pulse of userID.
	AnsweredPulseOf(ctx context.Context, pulseID, userID string) (bool, error)
	// PulseAggregate is what a manager may see of a rep's answers, summed by the team report:
	// answers counted and, from the minimum number of answers on, their averages (never a
	// comment or a single answer).
	PulseAggregate(sums PulseSums) PulseAggregate
	// PulseTrend is the weekly trend of the answers to the users' pulses together, oldest week
	// first, with averages only in weeks holding the minimum number of answers.
	PulseTrend(ctx context.Context, userIDs []string) ([]PulseWeek, error)
}

// PulseWeek is one week of a team's Buyer Pulse trend.
type PulseWeek struct {
	WeekStart time.Time
	Responses int
	// Averages and MeanAbsError (the reps' prediction error) are nil below the minimum.
	Averages     *PulseAverages
	MeanAbsError *float64
}

// PulseAggregate is what a manager may see of a rep's pulses.
type PulseAggregate struct {
	Responses int
	// Averages are nil below the minimum number of answers.
	Averages *PulseAverages
}

// PulseSums are a rep's answered pulses counted and their answers summed per question.
type PulseSums struct {
	Responses, Clarity, Understood, Again int
}

// PulseAverages are a rep's mean answers per question.
type PulseAverages struct {
	Clarity, Understood, Again float64
}

// NoPulses is the PulseReader of a process without Buyer Pulse: no pulse exists, so none is
// evidence, and nobody has answers.
type NoPulses struct{}

// AnsweredPulseOf implements PulseReader: no pulse.
func (NoPulses) AnsweredPulseOf(context.Context, string, string) (bool, error) { return false, nil }

// PulseAggregate implements PulseReader: no answers for anyone.
func (NoPulses) PulseAggregate(PulseSums) PulseAggregate { return PulseAggregate{} }

// PulseTrend implements PulseReader: no weeks to show.
func (NoPulses) PulseTrend(context.Context, []string) ([]PulseWeek, error) { return nil, nil }
