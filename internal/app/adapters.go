package app

// The adapters translate one domain's batched readers into the small interfaces another domain
// declares, so neither domain imports the other.

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/pulse"
	"github.com/rapport-hq/rapport/internal/teams"
)

// teamsSkills adapts assessments' batched skill summaries to teams.SkillReader.
type teamsSkills struct{ s *assess.Service }

// SkillSummaries implements teams.SkillReader with one call to assessments.
func (t teamsSkills) SkillSummaries(ctx context.Context, userIDs []string) (map[string][]teams.CompetencySummary, error) {
	in, err := t.s.SkillSummaries(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]teams.CompetencySummary, len(in))
	for uid, cs := range in {
		list := make([]teams.CompetencySummary, len(cs))
		for i, c := range cs {
			list[i] = teams.CompetencySummary{Competency: c.Competency, Name: c.Name, Baseline: c.Baseline, Latest: c.Latest,
				Delta: c.Delta, Band: c.Band, Significant: c.Significant, LatestAt: c.LatestAt}
		}
		out[uid] = list
	}
	return out, nil
}

// teamsModules adapts the catalog to teams.ModuleCatalog.
type teamsModules struct{ c *catalog.Service }

// PublishedModule implements teams.ModuleCatalog: a published module by slug, NotFound otherwise.
func (t teamsModules) PublishedModule(ctx context.Context, slug string) (teams.ModuleRef, error) {
	m, err := t.c.CatalogModule(ctx, "", slug)
	if err != nil {
		return teams.ModuleRef{}, err
	}
	return teams.ModuleRef{ID: m.ID, Slug: m.Slug, Title: m.Title}, nil
}

// teamsProgress adapts progress to teams.ProgressReader. TeamProgress is progress's own batched
// reader; every call answers for all the team's learners at once.
type teamsProgress struct {
	p *progress.Service
}

// TeamProgress implements teams.ProgressReader with one call to progress.
func (t teamsProgress) TeamProgress(ctx context.Context, userIDs []string) (map[string]teams.MemberProgress, error) {
	in, err := t.p.TeamProgress(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]teams.MemberProgress, len(in))
	for uid, m := range in {
		out[uid] = teams.MemberProgress{CompletedLessons: m.CompletedLessons, LessonCount: m.LessonCount,
			Percent: m.Percent, LastActiveAt: m.LastActiveAt}
	}
	return out, nil
}

// ModuleProgress implements teams.ProgressReader with progress's batched per-module counts.
func (t teamsProgress) ModuleProgress(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]teams.ModuleCount, error) {
	in, err := t.p.ModuleCounts(ctx, userIDs, moduleIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]teams.ModuleCount, len(in))
	for uid, mods := range in {
		out[uid] = make(map[string]teams.ModuleCount, len(mods))
		for mid, c := range mods {
			out[uid][mid] = teams.ModuleCount{LessonCount: c.LessonCount, Started: c.Started, Completed: c.Completed}
		}
	}
	return out, nil
}

// Completions implements teams.ProgressReader with progress's certificates reader.
func (t teamsProgress) Completions(ctx context.Context, userIDs []string, since time.Time) ([]teams.Completion, error) {
	in, err := t.p.Completions(ctx, userIDs, since)
	if err != nil {
		return nil, err
	}
	out := make([]teams.Completion, len(in))
	for i, c := range in {
		out[i] = teams.Completion{UserID: c.UserID, ModuleSlug: c.ModuleSlug, ModuleTitle: c.ModuleTitle, At: c.At}
	}
	return out, nil
}

// meExtras supplies the parts of /me that other domains own: the entitlement from billing, and
// the user's teams from the teams directory.
type meExtras struct {
	billing *billing.Service
	teams   *teams.Directory
}

// Entitlement implements identity.MeExtras.
func (m meExtras) Entitlement(ctx context.Context, userID string) (identity.Entitlement, error) {
	return m.billing.Entitlement(ctx, userID)
}

// Teams implements identity.MeExtras: the teams the user is an active member of.
func (m meExtras) Teams(ctx context.Context, userID string) ([]identity.TeamRef, error) {
	out := []identity.TeamRef{}
	list, err := m.teams.MyTeams(ctx, userID)
	for _, t := range list {
		out = append(out, identity.TeamRef{ID: t.ID, Name: t.Name, Role: t.MyRole})
	}
	return out, err
}

// teamsPulses adapts Buyer Pulse to teams.PulseReader: recognition evidence and the report's
// per-rep aggregates (one batched call for the whole team).
type teamsPulses struct{ p *pulse.Service }

// AnsweredPulseOf implements teams.PulseReader.
func (t teamsPulses) AnsweredPulseOf(ctx context.Context, pulseID, userID string) (bool, error) {
	return t.p.AnsweredPulseOf(ctx, pulseID, userID)
}

// PulseAggregates implements teams.PulseReader with one call to pulse.
func (t teamsPulses) PulseAggregates(ctx context.Context, userIDs []string) (map[string]teams.PulseAggregate, error) {
	in, err := t.p.TeamAggregates(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]teams.PulseAggregate, len(in))
	for uid, a := range in {
		agg := teams.PulseAggregate{Responses: a.Responses}
		if a.Averages != nil {
			agg.Averages = &teams.PulseAverages{Clarity: a.Averages.Clarity, Understood: a.Averages.Understood, Again: a.Averages.Again}
		}
		out[uid] = agg
	}
	return out, nil
}
