package assess

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// DefaultRetestAfter is how long after a learner's last attempt the next progress attempt opens.
const DefaultRetestAfter = 14 * 24 * time.Hour

// DefaultReliabilityTTL bounds how stale another process's reliability numbers may be (this
// process drops its copy whenever it records a baseline).
const DefaultReliabilityTTL = 5 * time.Minute

// Service implements the assessment rules.
type Service struct {
	Deps
	store  *Store
	retest Retest

	mu   sync.Mutex
	defs map[string]*Instrument // by version id; versions are immutable, so never invalidated
	rels map[string]relEntry    // by instrument id
	// relGen counts recorded baselines, so a computation that raced one is not cached.
	relGen uint64
	// currentsCache is the instruments' current versions while the change feed is live.
	currentsCache *currentsCache
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
	return &Service{Deps: d, store: NewStore(d.DB), retest: Retest{After: d.RetestAfter},
		defs: map[string]*Instrument{}, rels: map[string]relEntry{}, currentsCache: newCurrentsCache(d.Changes)}
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
	found, err := s.store.FindDefinitions(ctx, missing)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, d := range found {
		s.defs[id], out[id] = d, d
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
	currents, err := s.currents(ctx)
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
	standings, err := s.store.FindStandings(ctx, userID)
	if err != nil {
		return nil, err
	}
	mine := make(map[string]Standing, len(standings))
	for _, st := range standings {
		mine[st.InstrumentID] = st
	}
	var completed *time.Time
	if len(standings) > 0 {
		if completed, err = s.Completions.LastCompletion(ctx, userID); err != nil {
			return nil, err
		}
	}
	now := s.Now()
	out := make([]Overview, len(currents))
	for i, c := range currents {
		d, st := defs[c.VersionID], mine[c.InstrumentID]
		out[i] = Overview{Slug: c.Slug, Title: d.Title, Description: d.Description, Competencies: d.Competencies,
			ItemCount: c.ItemCount, BaselineDone: st.BaselineDone, InProgressAttemptID: st.OpenAttemptID,
			LastSubmittedAt: st.LastSubmittedAt}
		out[i].NextDueAt, out[i].CanStart = st.Schedule(s.retest, now, completed)
	}
	return out, nil
}

// notFound gives a NotFound error a helpful detail and passes other errors through.
func notFound(err error, detail string) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, detail, err)
	}
	return err
}
