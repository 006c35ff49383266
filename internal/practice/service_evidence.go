package practice

import (
	"context"
	"io"
	"log/slog"
	"path"
	"strconv"
	"time"

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
// for review, and the learner's practice in their data export and erasure. It shares the
// practice store and bucket with Service and writes nothing but the erasure's file deletions.
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
// self-ratings and observed scores. Three queries whatever the number.
func (e *Evidence) ForLearners(ctx context.Context, userIDs []string) (map[string]LearnerEvidence, error) {
	out := make(map[string]LearnerEvidence, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	self, err := e.self.SelfRatings(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	observed, err := e.store.FindObserved(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	counts, err := e.store.CountSubmissions(ctx, userIDs)
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

// RecordingsFolder is the folder of the export ZIP that holds the learner's recordings.
const RecordingsFolder = "recordings/"

// exportFileName is a recording's path in the export: the activity and attempt, and the
// container's extension from its storage key.
func exportFileName(a Activity, sub Submission) string {
	slug := a.Slug
	if slug == "" {
		slug = "practice"
	}
	return RecordingsFolder + slug + "-attempt-" + strconv.Itoa(sub.Attempt) + path.Ext(sub.Recording.Key)
}

// exportedSubmissions reads every attempt of the learner with its activity and the submitted
// reviews, as the learner sees them (three queries).
func (e *Evidence) exportedSubmissions(ctx context.Context, userID string) ([]ExportedSubmission, error) {
	subs, err := e.store.FindSubmissionsOf(ctx, userID)
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	ids, actIDs := make([]string, len(subs)), make([]string, len(subs))
	for i, s := range subs {
		ids[i], actIDs[i] = s.ID, s.ActivityID
	}
	acts, err := e.store.FindActivitiesByID(ctx, actIDs)
	if err != nil {
		return nil, err
	}
	reviews, err := e.store.FindReviews(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]ExportedSubmission, len(subs))
	for i, s := range subs {
		x := ExportedSubmission{Submission: s, Activity: acts[s.ActivityID], Reviews: []Review{}}
		// The owner sees reviews once they are submitted: drafts are the reviewer's, not theirs.
		for _, r := range reviews[s.ID] {
			if r.Submitted() {
				x.Reviews = append(x.Reviews, r)
			}
		}
		if s.Recording != nil {
			x.File = exportFileName(x.Activity, s)
		}
		out[i] = x
	}
	return out, nil
}

// ExportFile is one recording of the learner for the export ZIP.
type ExportFile struct {
	Name     string
	Key      string
	Size     int64
	Modified time.Time
}

// ExportFiles lists the learner's recordings (what Open streams into the export).
func (e *Evidence) ExportFiles(ctx context.Context, userID string) ([]ExportFile, error) {
	subs, err := e.exportedSubmissions(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out []ExportFile
	for _, x := range subs {
		if rec := x.Submission.Recording; rec != nil {
			out = append(out, ExportFile{Name: x.File, Key: rec.Key, Size: rec.Bytes, Modified: x.Submission.UpdatedAt})
		}
	}
	return out, nil
}

// Open streams a stored recording from its start.
func (e *Evidence) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return e.bucket.OpenRange(ctx, key, 0, -1)
}

// ExportUser implements account.Exporter: the "practice" section of data.json, with every
// attempt (its response, self-review and the submitted reviews it received, reviewers named as
// the learner sees them) and the reviews the learner wrote on teammates' attempts.
func (e *Evidence) ExportUser(ctx context.Context, userID string) (string, any, error) {
	subs, err := e.exportedSubmissions(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	written, err := e.store.FindReviewsWrittenBy(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	return "practice", exportDoc(subs, written), nil
}

// EraseUser implements account.Eraser: it deletes every stored file under each of the learner's
// attempts (recordings, and any upload still under way) before the account row, and with it the
// attempts, goes. Storage being down fails the erasure, which leaves the account whole to try
// again; a file already gone counts as deleted, so repeating is safe.
func (e *Evidence) EraseUser(ctx context.Context, userID string) error {
	ids, err := e.store.FindSubmissionIDsOf(ctx, userID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		objs, err := e.bucket.List(ctx, recordingPrefix(id))
		if err != nil {
			return err
		}
		for _, o := range objs {
			if err := e.bucket.Delete(ctx, o.Key); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordingPrefix is the storage folder of a submission's recordings.
func recordingPrefix(submissionID string) string { return "practice/" + submissionID + "/" }
