package app

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/teams"
)

// buildTeams creates the teams service on top of billing (seats), progress, assessments and the
// catalog, lets billing ask it who holds a team seat and who manages a team, registers the
// assignment-reminder worker (its periodic job is listed in periodicJobs) and mounts the routes.
// It runs after every domain it reads is built.
func (a *App) buildTeams(_ context.Context, api *echo.Group, _ *identity.Service) error {
	deps := teams.Deps{DB: a.DB, Queue: a.Queue, Now: a.Clock, Log: a.Log, PublicURL: a.Config.PublicURL}
	if a.Billing != nil {
		deps.Seats = a.Billing
	}
	if a.Progress != nil {
		deps.Progress = teamsProgress{p: a.Progress, db: a.DB}
	}
	if a.Assess != nil {
		deps.Skills = teamsSkills{a.Assess}
	}
	if a.Catalog != nil {
		deps.Modules = teamsModules{a.Catalog}
	}
	a.Teams = teams.NewService(deps)
	if a.Billing != nil {
		a.Billing.Teams = a.Teams
		a.Billing.TeamAuthority = a.Teams
	}
	river.AddWorker(a.Queue.Workers, &teams.ReminderWorker{Service: a.Teams})
	teams.NewHandler(a.Teams).Routes(api)
	return nil
}

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
// reader. Progress exports no batched per-module counts or completions yet, so those two are
// single read-only queries over progress's tables here; each answers for every learner at once.
type teamsProgress struct {
	p  *progress.Service
	db *db.DB
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

// ModuleProgress implements teams.ProgressReader: every learner's started and completed lessons
// of each module's latest published version, in one query.
func (t teamsProgress) ModuleProgress(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]teams.ModuleCount, error) {
	var rows []struct {
		UserID, ModuleID                string
		LessonCount, Started, Completed int
	}
	err := t.db.Gorm.WithContext(ctx).Raw(`
		WITH live AS (
			SELECT m.id AS module_id, lv.lesson_id, v.lesson_count
			FROM modules m
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			JOIN lesson_versions lv ON lv.module_version_id = v.id
			WHERE m.id = ANY(CAST(@modules AS uuid[]))
		)
		SELECT u.id AS user_id, l.module_id, max(l.lesson_count) AS lesson_count,
		       count(p.lesson_id) AS started,
		       count(p.lesson_id) FILTER (WHERE p.status = 'completed') AS completed
		FROM unnest(CAST(@users AS uuid[])) AS u(id)
		CROSS JOIN live l
		LEFT JOIN lesson_progress p ON p.user_id = u.id AND p.lesson_id = l.lesson_id
		GROUP BY u.id, l.module_id`,
		map[string]any{"users": db.StringArray(userIDs), "modules": db.StringArray(moduleIDs)}).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	out := map[string]map[string]teams.ModuleCount{}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]teams.ModuleCount{}
		}
		out[r.UserID][r.ModuleID] = teams.ModuleCount{LessonCount: r.LessonCount, Started: r.Started, Completed: r.Completed}
	}
	return out, nil
}

// Completions implements teams.ProgressReader: the modules the learners completed since, from
// their certificates, in one query.
func (t teamsProgress) Completions(ctx context.Context, userIDs []string, since time.Time) ([]teams.Completion, error) {
	var rows []teams.Completion
	err := t.db.Gorm.WithContext(ctx).Raw(`
		SELECT c.user_id, m.slug AS module_slug, v.title AS module_title, c.issued_at AS at
		FROM certificates c
		JOIN modules m ON m.id = c.module_id
		JOIN module_versions v ON v.module_id = c.module_id AND v.version = c.module_version
		WHERE c.user_id = ANY(CAST(@users AS uuid[])) AND c.issued_at >= @since
		ORDER BY c.issued_at DESC`, map[string]any{"users": db.StringArray(userIDs), "since": since}).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	return rows, nil
}
