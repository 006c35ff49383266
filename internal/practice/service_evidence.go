package practice

import (
	"context"
	"io"
	"log/slog"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/storage"
)

// SelfRatings is how learners rated themselves per competency: the Likert part (0-100) of their
// latest assessment (assessments implement it). It answers for many learners in one call;
// learners never assessed are absent.
type SelfRatings interface {
	SelfRatings(ctx context.Context, userIDs []string) (map[string]map[string]float64, error)
}

// NoSelfRatings is the SelfRatings of a process without assessments: nobody has rated themself.
type NoSelfRatings struct{}

// SelfRatings implements SelfRatings: none.
func (NoSelfRatings) SelfRatings(context.Context, []string) (map[string]map[string]float64, error) {
	return map[string]map[string]float64{}, nil
}

// EvidenceDeps are what the evidence side of practice needs; every one is required.
type EvidenceDeps struct {
	DB      *db.DB
	Jobs    *jobs.Inserter
	Log     *slog.Logger
	Storage *storage.Bucket
	Self    SelfRatings
}

// Evidence is what practice tells the rest of Rapport: a learner's observed scores beside their
// self-ratings, their managers' view of it, which submissions may back a recognition, what waits
// for review, and the learner's recordings as files of their data export. It shares the practice
// store and bucket with Service and writes nothing.
type Evidence struct {
	store  *Store
	bucket *storage.Bucket
	log    *slog.Logger
	self   SelfRatings
}

// NewEvidence prepares the evidence side.
func NewEvidence(d EvidenceDeps) *Evidence {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Evidence{store: NewStore(d.DB, d.Jobs), bucket: d.Storage, log: d.Log, self: d.Self}
}

// Observed compares the learner's self-ratings with what managers observed, on every competency
// (two queries: the self-ratings, the observed scores).
func (e *Evidence) Observed(ctx context.Context, userID string) ([]CompetencyEvidence, error) {
	all, err := e.ForLearners(ctx, []string{userID})
	if err != nil {
		return nil, err
	}
	return all[userID].Compare(Competencies), nil
}

// ForLearners answers for many learners at once (a team report): their submission counts,
// self-ratings and observed scores. Two queries whatever the number: the self-ratings, then the
// counts and observed scores together.
func (e *Evidence) ForLearners(ctx context.Context, userIDs []string) (map[string]LearnerEvidence, error) {
	out := make(map[string]LearnerEvidence, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	self, err := e.self.SelfRatings(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	counts, observed, err := e.store.FindEvidence(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range userIDs {
		out[id] = LearnerEvidence{Counts: counts[id], Self: self[id], Observed: observed[id]}
	}
	return out, nil
}

// ReviewedSubmissionOf reports whether submissionID is a reviewed submission of userID (the
// evidence a recognition may attach) and its activity's title.
func (e *Evidence) ReviewedSubmissionOf(ctx context.Context, submissionID, userID string) (string, bool, error) {
	if !isUUID(submissionID) || !isUUID(userID) {
		return "", false, nil
	}
	return e.store.FindReviewedTitle(ctx, submissionID, userID)
}

// ReviewsWaiting counts per manager the submissions of their reps waiting for their review.
func (e *Evidence) ReviewsWaiting(ctx context.Context, reps map[string][]string) (map[string]int, error) {
	return e.store.CountReviewsWaiting(ctx, reps)
}

// ---- your data ----

// ExportFiles lists the learner's recordings (one query); Open streams each into the export.
func (e *Evidence) ExportFiles(ctx context.Context, userID string) ([]ExportFile, error) {
	return e.store.FindRecordingFiles(ctx, userID)
}

// Open streams a stored recording from its start.
func (e *Evidence) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return e.bucket.OpenRange(ctx, key, 0, -1)
}

// ExportSize estimates practice's share of the user's data export, recordings included, so a
// learner with many recordings gets the queued export rather than a long-running download.
func (e *Evidence) ExportSize(ctx context.Context, userID string) (rows, fileBytes int64, err error) {
	return e.store.CountExportSize(ctx, userID)
}
