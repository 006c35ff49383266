package progress

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// Deps are what the progress service needs from the process; every one is required.
type Deps struct {
	DB *db.DB
	// Jobs enqueues the reminder e-mails in the transaction of their claim.
	Jobs *jobs.Inserter
	Now  func() time.Time
	// PublicURL is the SPA's address, for links in reminder e-mails.
	PublicURL string
	Log       *slog.Logger
	// Reviews counts learners' due knowledge-check reviews, for the weekly reminder.
	Reviews DueReviews
	// Changes tells this process's caches of completed lessons (the catalog's) at once that a
	// learner completed a lesson, before the report is answered.
	Changes Announcer
}

// ChannelProgress is the change channel of learners' completed lessons, payload the learner's
// id; migration 20261208300000's trigger notifies it on every commit, the service announces it
// in-process (catalog.ChannelProgress is the same name).
const ChannelProgress = "rapport_progress"

// Announcer calls this process's subscribers of a change channel at once (the notify Listener
// implements it): the database's notification of the same commit arrives a little later.
type Announcer interface {
	Announce(channel, payload string)
}

// DueReviews tells, for each learner, the knowledge checks they have due for review at at (the
// review domain, through an adapter in app). Learners with none may be absent.
type DueReviews interface {
	DueReviews(ctx context.Context, userIDs []string, at time.Time) (map[string]DueReview, error)
}

// DueReview is a learner's due reviews: how many, and about how many minutes they take.
type DueReview struct {
	Count   int
	Minutes int
}

// NoReviews is a DueReviews for processes without reviews: nobody has any due.
type NoReviews struct{}

// DueReviews implements DueReviews.
func (NoReviews) DueReviews(context.Context, []string, time.Time) (map[string]DueReview, error) {
	return map[string]DueReview{}, nil
}

// Service implements the progress rules.
type Service struct {
	store     *Store
	now       func() time.Time
	publicURL string
	log       *slog.Logger
	reviews   DueReviews
	changes   Announcer
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
	// LessonCompletions lists when each learner completed each of their completed lessons,
	// keyed by user id (learners without one are absent).
	LessonCompletions(ctx context.Context, userIDs []string) (map[string][]time.Time, error)
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	return &Service{store: NewStore(d.DB, d.Jobs), now: d.Now, publicURL: d.PublicURL, log: d.Log, reviews: d.Reviews,
		changes: d.Changes}
}

// AddStudySeconds counts seconds of study outside the lesson text (answering knowledge checks of
// lessonID) toward the learner's weekly minutes and streak. key identifies the call: a repeated
// key adds nothing.
func (s *Service) AddStudySeconds(ctx context.Context, userID, lessonID, key string, seconds int) error {
	if seconds <= 0 {
		return nil
	}
	return s.store.AddTimeEvent(ctx, userID, lessonID, key, min(seconds, MaxSecondsPerCall), s.now().UTC())
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
	now := s.now().UTC()
	if u.Status != StatusCompleted {
		p, err := s.store.UpsertProgress(ctx, userID, lessonID, u, now)
		return p, lessonNotFound(err)
	}
	var out Progress
	// Whatever the outcome (a commit whose answer was lost included), this process's caches of
	// the learner's completions forget them before the report is answered.
	defer s.changes.Announce(ChannelProgress, userID)
	err := s.store.Tx(ctx, func(st *Store) error {
		if err := st.LockLearnerCompletions(ctx, userID); err != nil {
			return err
		}
		p, err := st.UpsertProgress(ctx, userID, lessonID, u, now)
		if err != nil {
			return lessonNotFound(err)
		}
		out = p
		c, err := st.FindModuleCompletion(ctx, userID, p.ModuleID)
		if err != nil || !c.EarnsCertificate() {
			out.CertificateCode = c.CertificateCode
			return err
		}
		code, err := newCertificateCode()
		if err != nil {
			return err
		}
		out.CertificateCode, err = st.CreateCertificate(ctx, userID, p.ModuleID, c.Version, code, now)
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
// progress (with the resume point) and the learner's calendar with their reading per day, from
// which NewWeek computes the week, goal and streak.
func (s *Service) Dashboard(ctx context.Context, userID string) (Dashboard, error) {
	mods, err := s.store.FindModuleStats(ctx, userID)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Modules: mods}
	for _, m := range mods {
		// Modules come newest activity first: resume in the most recent module not yet finished.
		if d.Resume == nil && m.NextLesson != nil {
			d.Resume = &Resume{ModuleSlug: m.Slug, ModuleTitle: m.Title, LessonID: m.NextLesson.ID,
				LessonSlug: m.NextLesson.Slug, LessonTitle: m.NextLesson.Title}
		}
	}
	// Reading dated after this week is left out by NewWeek; a week from now bounds the query.
	now := s.now()
	cal, days, err := s.store.FindWeekReading(ctx, userID, now, now.Add(8*24*time.Hour))
	if apperr.Is(err, apperr.NotFound) {
		return Dashboard{}, apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	if err != nil {
		return Dashboard{}, err
	}
	d.Week = NewWeek(cal, days)
	return d, nil
}

// SetGoal changes the learner's weekly goal (minutes).
func (s *Service) SetGoal(ctx context.Context, userID string, minutes int) (int, error) {
	if err := ValidateGoal(minutes); err != nil {
		return 0, err
	}
	return minutes, s.store.SetGoal(ctx, userID, minutes, s.now().UTC())
}

// Certificates lists the learner's certificates, newest first.
func (s *Service) Certificates(ctx context.Context, userID string) ([]Certificate, error) {
	return s.store.FindCertificates(ctx, userID)
}

// Certificate looks a certificate up by its public code (case-insensitive); unknown → NotFound.
func (s *Service) Certificate(ctx context.Context, code string) (Certificate, error) {
	notFound := apperr.New(apperr.NotFound, "We couldn’t find a certificate with this code. Check the link and try again.")
	code, ok := NormalizeCode(code)
	if !ok {
		return Certificate{}, notFound
	}
	c, err := s.store.FindCertificate(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		return Certificate{}, notFound
	}
	return c, err
}

// ModuleProgress implements Reader.
func (s *Service) ModuleProgress(ctx context.Context, userID string) (map[string]ModuleStat, error) {
	mods, err := s.store.FindModuleStats(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ModuleStat, len(mods))
	for _, m := range mods {
		out[m.ModuleID] = m
	}
	return out, nil
}

// LastCompletion implements Reader: the time of the learner's latest module completion, which
// is when that module's certificate was issued.
func (s *Service) LastCompletion(ctx context.Context, userID string) (*time.Time, error) {
	return s.store.LastCertificateAt(ctx, userID)
}

// LessonCompletions implements Reader in one query.
func (s *Service) LessonCompletions(ctx context.Context, userIDs []string) (map[string][]time.Time, error) {
	if len(userIDs) == 0 {
		return map[string][]time.Time{}, nil
	}
	return s.store.FindLessonCompletions(ctx, userIDs)
}

// TeamProgress implements Reader in one query. Unknown ids get zero progress.
func (s *Service) TeamProgress(ctx context.Context, userIDs []string) (map[string]MemberProgress, error) {
	if len(userIDs) == 0 {
		return map[string]MemberProgress{}, nil
	}
	return s.store.FindTeamProgress(ctx, userIDs)
}

// ModuleCounts implements Reader in one query; every learner gets an entry for every module
// that has a published version (zero counts included).
func (s *Service) ModuleCounts(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]ModuleCount, error) {
	if len(userIDs) == 0 || len(moduleIDs) == 0 {
		return map[string]map[string]ModuleCount{}, nil
	}
	return s.store.FindModuleCounts(ctx, userIDs, moduleIDs)
}

// Completions implements Reader in one query, from the learners' certificates.
func (s *Service) Completions(ctx context.Context, userIDs []string, since time.Time) ([]Completion, error) {
	if len(userIDs) == 0 {
		return []Completion{}, nil
	}
	return s.store.FindCompletions(ctx, userIDs, since)
}

// CompletedByModule serves the catalog's progress hook: completed lessons of each module's
// latest published version, keyed by module id.
func (s *Service) CompletedByModule(ctx context.Context, userID string, moduleIDs []string) (map[string]int, error) {
	if len(moduleIDs) == 0 {
		return map[string]int{}, nil
	}
	return s.store.CompletedByModule(ctx, userID, moduleIDs)
}

// CompletedLessons serves the catalog's progress hook: the completed lessons among lessonIDs.
func (s *Service) CompletedLessons(ctx context.Context, userID string, lessonIDs []string) (map[string]bool, error) {
	if len(lessonIDs) == 0 {
		return map[string]bool{}, nil
	}
	return s.store.CompletedLessons(ctx, userID, lessonIDs)
}
