package progress

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// Deps are what the progress service needs from the process.
type Deps struct {
	DB    *db.DB
	Queue *jobs.Inserter
	Now   func() time.Time
	// PublicURL is the SPA's address, for links in reminder e-mails.
	PublicURL string
	Log       *slog.Logger
}

// Service implements the progress rules.
type Service struct {
	Deps
	st store
}

// *Service is the Reader other domains use (and, wired by app, the catalog's ProgressReader).
var _ Reader = (*Service)(nil)

// Reader is what other domains may ask of progress (assessments, teams, the home page).
type Reader interface {
	// ModuleProgress is the learner's progress per started published module, keyed by module id.
	ModuleProgress(ctx context.Context, userID string) (map[string]ModuleStat, error)
	// LastCompletion is when the learner last finished a module (nil: never).
	LastCompletion(ctx context.Context, userID string) (*time.Time, error)
	// TeamProgress totals each learner's progress over all published lessons, keyed by user id.
	TeamProgress(ctx context.Context, userIDs []string) (map[string]MemberProgress, error)
	// ModuleCounts counts each learner's lessons in each module: result[userID][moduleID].
	ModuleCounts(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]ModuleCount, error)
	// Completions lists the modules the learners completed at or after since, newest first.
	Completions(ctx context.Context, userIDs []string, since time.Time) ([]Completion, error)
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{Deps: d}
}

// RecordLesson applies one progress report and returns the learner's record for the lesson.
//
// The lesson must be in its module's latest published version; a lesson of an unpublished module
// is accepted only from learners who already have progress in that module (so they can finish).
// Replaying a call changes nothing: reading time counts once per Idempotency-Key (calls without
// a key never add time), status never goes from completed back to started, and a replayed key
// leaves position and recency untouched. A report that is not a completion is one statement;
// a completion runs in a transaction that also issues the module's certificate when it was the
// last lesson of the module's latest published version.
func (s *Service) RecordLesson(ctx context.Context, userID, lessonID string, u LessonUpdate) (Progress, error) {
	if err := u.Validate(); err != nil {
		return Progress{}, err
	}
	now := s.Now().UTC()
	if u.Status != StatusCompleted {
		row, err := s.st.upsertProgress(ctx, s.DB.Gorm, userID, lessonID, u, now)
		if err != nil {
			return Progress{}, lessonNotFound(err)
		}
		return row.toProgress(), nil
	}
	var out Progress
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.st.lockLearnerCompletions(ctx, tx, userID); err != nil {
			return err
		}
		row, err := s.st.upsertProgress(ctx, tx, userID, lessonID, u, now)
		if err != nil {
			return lessonNotFound(err)
		}
		out = row.toProgress()
		code, err := newCertificateCode()
		if err != nil {
			return err
		}
		out.CertificateCode, err = s.st.issueCertificate(ctx, tx, userID, row.ModuleID, code, now)
		return err
	})
	return out, err
}

// lessonNotFound gives NotFound from the upsert its meaning: no lesson the learner may report on.
func lessonNotFound(err error) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, "We couldn’t find that lesson. It may have been renamed or removed.", err)
	}
	return err
}

// Dashboard summarises the learner's progress for the home page in two queries: per-module
// progress (with the resume point) and the current week with goal and streak.
func (s *Service) Dashboard(ctx context.Context, userID string) (Dashboard, error) {
	rows, err := s.st.findModuleStats(ctx, s.DB.Gorm, userID)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Modules: make([]ModuleStat, len(rows))}
	for i, r := range rows {
		d.Modules[i] = r.toModuleStat()
		// Rows come newest activity first: resume in the most recent module not yet finished.
		if m := d.Modules[i]; d.Resume == nil && m.NextLesson != nil {
			d.Resume = &Resume{ModuleSlug: m.Slug, ModuleTitle: m.Title, LessonID: m.NextLesson.ID,
				LessonSlug: m.NextLesson.Slug, LessonTitle: m.NextLesson.Title}
		}
	}
	w, err := s.st.findWeek(ctx, s.DB.Gorm, userID, s.Now())
	if apperr.Is(err, apperr.NotFound) {
		return Dashboard{}, apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	if err != nil {
		return Dashboard{}, err
	}
	d.Week = Week{Start: w.WeekStart.Format(time.DateOnly), TimeZone: w.TimeZone, Minutes: w.Minutes,
		GoalMinutes: w.GoalMinutes, GoalSet: w.GoalSet, StreakWeeks: w.StreakWeeks}
	return d, nil
}

// SetGoal changes the learner's weekly goal (minutes).
func (s *Service) SetGoal(ctx context.Context, userID string, minutes int) (int, error) {
	if err := ValidateGoal(minutes); err != nil {
		return 0, err
	}
	return minutes, s.st.setGoal(ctx, s.DB.Gorm, userID, minutes, s.Now().UTC())
}

// Certificates lists the learner's certificates, newest first.
func (s *Service) Certificates(ctx context.Context, userID string) ([]Certificate, error) {
	rows, err := s.st.findCertificates(ctx, s.DB.Gorm, userID)
	out := make([]Certificate, len(rows))
	for i, r := range rows {
		out[i] = r.toCertificate()
	}
	return out, err
}

// Certificate looks a certificate up by its public code (case-insensitive); unknown → NotFound.
func (s *Service) Certificate(ctx context.Context, code string) (Certificate, error) {
	code, ok := NormalizeCode(code)
	if !ok {
		return Certificate{}, apperr.New(apperr.NotFound, "We couldn’t find a certificate with this code. Check the link and try again.")
	}
	r, err := s.st.findCertificate(ctx, s.DB.Gorm, code)
	if apperr.Is(err, apperr.NotFound) {
		return Certificate{}, apperr.New(apperr.NotFound, "We couldn’t find a certificate with this code. Check the link and try again.")
	}
	return r.toCertificate(), err
}

// ModuleProgress implements Reader.
func (s *Service) ModuleProgress(ctx context.Context, userID string) (map[string]ModuleStat, error) {
	rows, err := s.st.findModuleStats(ctx, s.DB.Gorm, userID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ModuleStat, len(rows))
	for _, r := range rows {
		out[r.ModuleID] = r.toModuleStat()
	}
	return out, nil
}

// LastCompletion implements Reader: the time of the learner's latest module completion, which
// is when that module's certificate was issued.
func (s *Service) LastCompletion(ctx context.Context, userID string) (*time.Time, error) {
	return s.st.lastCertificateAt(ctx, s.DB.Gorm, userID)
}

// TeamProgress implements Reader in one query. Unknown ids get zero progress.
func (s *Service) TeamProgress(ctx context.Context, userIDs []string) (map[string]MemberProgress, error) {
	out := make(map[string]MemberProgress, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	rows, err := s.st.findTeamProgress(ctx, s.DB.Gorm, userIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		var last *time.Time
		if r.LastActiveAt != nil {
			t := r.LastActiveAt.UTC()
			last = &t
		}
		out[r.UserID] = MemberProgress{CompletedLessons: r.CompletedLessons, LessonCount: r.LessonCount,
			Percent: percent(r.CompletedLessons, r.LessonCount), LastActiveAt: last}
	}
	return out, nil
}

// ModuleCounts implements Reader in one query; every learner gets an entry for every module
// that has a published version (zero counts included).
func (s *Service) ModuleCounts(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]ModuleCount, error) {
	out := map[string]map[string]ModuleCount{}
	if len(userIDs) == 0 || len(moduleIDs) == 0 {
		return out, nil
	}
	rows, err := s.st.findModuleCounts(ctx, s.DB.Gorm, userIDs, moduleIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]ModuleCount{}
		}
		out[r.UserID][r.ModuleID] = ModuleCount{LessonCount: r.LessonCount, Started: r.Started, Completed: r.Completed}
	}
	return out, nil
}

// Completions implements Reader in one query, from the learners' certificates.
func (s *Service) Completions(ctx context.Context, userIDs []string, since time.Time) ([]Completion, error) {
	if len(userIDs) == 0 {
		return []Completion{}, nil
	}
	return s.st.findCompletions(ctx, s.DB.Gorm, userIDs, since)
}

// CompletedByModule serves the catalog's progress hook: completed lessons of each module's
// latest published version, keyed by module id.
func (s *Service) CompletedByModule(ctx context.Context, userID string, moduleIDs []string) (map[string]int, error) {
	if len(moduleIDs) == 0 {
		return map[string]int{}, nil
	}
	return s.st.completedByModule(ctx, s.DB.Gorm, userID, moduleIDs)
}

// CompletedLessons serves the catalog's progress hook: the completed lessons among lessonIDs.
func (s *Service) CompletedLessons(ctx context.Context, userID string, lessonIDs []string) (map[string]bool, error) {
	if len(lessonIDs) == 0 {
		return map[string]bool{}, nil
	}
	return s.st.completedLessons(ctx, s.DB.Gorm, userID, lessonIDs)
}
