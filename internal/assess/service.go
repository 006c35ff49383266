package assess

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// DefaultRetestAfter is how long after a learner's last attempt the next progress attempt opens.
const DefaultRetestAfter = 14 * 24 * time.Hour

// DefaultReliabilityTTL bounds how stale another process's reliability numbers may be (this
// process drops its copy whenever it records a baseline).
const DefaultReliabilityTTL = 5 * time.Minute

// ModuleCompletions reports when a learner last completed a module (the progress domain
// implements it); completing one opens a progress attempt early. nil means never.
type ModuleCompletions interface {
	LastCompletion(ctx context.Context, userID string) (*time.Time, error)
}

// Deps are what the assessments service needs from the process. Roles is needed by the studio
// routes only; Completions may be nil (progress attempts then open on the timer alone).
type Deps struct {
	DB          *db.DB
	Now         func() time.Time
	Roles       web.RoleSource
	Completions ModuleCompletions
	// RetestAfter is the wait between attempts (zero: DefaultRetestAfter).
	RetestAfter time.Duration
	// Priors are the reliability numbers used until enough baselines exist (zero fields take
	// DefaultPriors' values).
	Priors Priors
	// ReliabilityTTL is how long computed reliability numbers are reused (zero: the default).
	ReliabilityTTL time.Duration
}

// Service implements the assessment rules.
type Service struct {
	Deps
	st store

	mu   sync.Mutex
	defs map[string]*Instrument // by version id; versions are immutable, so never invalidated
	rels map[string]relEntry    // by instrument id
	// relGen counts recorded baselines, so a computation that raced one is not cached.
	relGen uint64
}

type relEntry struct {
	at  time.Time
	rel map[string]Reliability
}

// NewService prepares the service, filling unset Deps with their defaults.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.RetestAfter == 0 {
		d.RetestAfter = DefaultRetestAfter
	}
	if d.Priors.Alpha == 0 {
		d.Priors.Alpha = DefaultPriors.Alpha
	}
	if d.Priors.SD == 0 {
		d.Priors.SD = DefaultPriors.SD
	}
	if d.Priors.MinN == 0 {
		d.Priors.MinN = DefaultPriors.MinN
	}
	if d.ReliabilityTTL == 0 {
		d.ReliabilityTTL = DefaultReliabilityTTL
	}
	return &Service{Deps: d, defs: map[string]*Instrument{}, rels: map[string]relEntry{}}
}

// definitions returns the definitions of the given versions, reading only the uncached ones.
func (s *Service) definitions(ctx context.Context, versionIDs ...string) (map[string]*Instrument, error) {
	out := make(map[string]*Instrument, len(versionIDs))
	var missing []string
	s.mu.Lock()
	for _, id := range versionIDs {
		if d, ok := s.defs[id]; ok {
			out[id] = d
		} else {
			missing = append(missing, id)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	rows, err := s.st.findDefinitions(ctx, s.DB.Gorm, missing)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rows {
		d, err := decodeDefinition([]byte(r.Definition))
		if err != nil {
			return nil, fmt.Errorf("instrument version %s: %w", r.ID, err)
		}
		s.defs[r.ID], out[r.ID] = d, d
	}
	return out, nil
}

// definition returns one version's definition.
func (s *Service) definition(ctx context.Context, versionID string) (*Instrument, error) {
	defs, err := s.definitions(ctx, versionID)
	if err != nil {
		return nil, err
	}
	d, ok := defs[versionID]
	if !ok {
		return nil, fmt.Errorf("instrument version %s not found", versionID)
	}
	return d, nil
}

// Overviews lists every instrument with the learner's standing on it: baseline done, when the
// next progress attempt opens, and the unfinished attempt to resume.
func (s *Service) Overviews(ctx context.Context, userID string) ([]Overview, error) {
	currents, err := s.st.findCurrents(ctx, s.DB.Gorm)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(currents))
	for i, c := range currents {
		ids[i] = c.VersionID
	}
	defs, err := s.definitions(ctx, ids...)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.findOverviews(ctx, s.DB.Gorm, userID)
	if err != nil {
		return nil, err
	}
	mine := make(map[string]overviewRow, len(rows))
	for _, r := range rows {
		mine[r.InstrumentID] = r
	}
	var completed *time.Time
	if len(rows) > 0 && s.Completions != nil {
		if completed, err = s.Completions.LastCompletion(ctx, userID); err != nil {
			return nil, err
		}
	}
	now := s.Now()
	out := make([]Overview, len(currents))
	for i, c := range currents {
		d, r := defs[c.VersionID], mine[c.InstrumentID]
		o := Overview{Slug: c.Slug, Title: d.Title, Description: d.Description, Competencies: d.Competencies,
			ItemCount: c.ItemCount, BaselineDone: r.BaselineDone, InProgressAttemptID: r.OpenAttemptID,
			LastSubmittedAt: utcPtr(r.LastSubmittedAt), CanStart: true}
		if r.LastSubmittedAt != nil {
			due := s.dueAt(*r.LastSubmittedAt, completed)
			o.NextDueAt = &due
			o.CanStart = r.OpenAttemptID != nil || !now.Before(due)
		}
		out[i] = o
	}
	return out, nil
}

// dueAt is when the next progress attempt opens: RetestAfter after the last attempt, or at the
// learner's first module completion after it if that is sooner.
func (s *Service) dueAt(last time.Time, completed *time.Time) time.Time {
	due := last.Add(s.RetestAfter).UTC()
	if completed != nil && completed.After(last) && completed.Before(due) {
		due = completed.UTC()
	}
	return due
}

// nextDue looks up the learner's last module completion and returns dueAt.
func (s *Service) nextDue(ctx context.Context, userID string, last time.Time) (time.Time, error) {
	var completed *time.Time
	if s.Completions != nil {
		var err error
		if completed, err = s.Completions.LastCompletion(ctx, userID); err != nil {
			return time.Time{}, err
		}
	}
	return s.dueAt(last, completed), nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// notFound gives a NotFound error a helpful detail and passes other errors through.
func notFound(err error, detail string) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, detail, err)
	}
	return err
}
