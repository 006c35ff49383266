package practice

import (
	"context"
	"database/sql"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// FindEvidence reads, for many learners in one statement, their submission counts and the
// managers' mean rubric score per competency (observed[userID][competency]). For each learner
// and competency it takes the last ObservedWindow reviewed submissions whose activity's rubric
// scores the competency, and averages every submitted manager review's scores on that
// competency's criteria in them. Peer reviews never count: the observed score is the managers'.
func (s *Store) FindEvidence(ctx context.Context, userIDs []string) (map[string]SubmissionCounts, map[string]map[string]ObservedMean, error) {
	var rows []struct {
		UserID         string
		Submitted      int
		Reviewed       int
		AwaitingReview int
		Competency     *string
		Mean           *float64
		Reviews        *int
	}
	err := s.db.WithContext(ctx).Raw(`
		WITH counts AS (
			SELECT user_id, count(*) AS submitted,
			       count(*) FILTER (WHERE status = 'reviewed') AS reviewed,
			       count(*) FILTER (WHERE status = 'submitted') AS awaiting_review
			FROM practice_submissions
			WHERE user_id = ANY(CAST(@users AS uuid[])) AND status <> 'draft'
			GROUP BY user_id
		), criteria AS (
			-- every criterion of every reviewed submission, with its competency
			SELECT s.id, s.user_id, s.reviewed_at, c->>'id' AS criterion_id, c->>'competency' AS competency
			FROM practice_submissions s
			JOIN practice_activities a ON a.id = s.activity_id
			CROSS JOIN LATERAL jsonb_array_elements(a.rubric) c
			WHERE s.user_id = ANY(CAST(@users AS uuid[])) AND s.status = 'reviewed'
		), recent AS (
			SELECT id, competency,
			       row_number() OVER (PARTITION BY user_id, competency ORDER BY reviewed_at DESC, id DESC) AS n
			FROM (SELECT DISTINCT id, user_id, competency, reviewed_at FROM criteria) d
		), observed AS (
			SELECT c.user_id, c.competency, avg((sc->>'score')::float8) AS mean, count(DISTINCT r.id) AS reviews
			FROM recent w
			JOIN criteria c ON c.id = w.id AND c.competency = w.competency
			JOIN practice_reviews r ON r.submission_id = w.id AND r.role = @manager AND r.submitted_at IS NOT NULL
			CROSS JOIN LATERAL jsonb_array_elements(r.scores) sc
			WHERE w.n <= @window AND sc->>'criterion_id' = c.criterion_id
			GROUP BY c.user_id, c.competency
		)
		-- a reviewed submission is a submitted one, so every learner with observed scores has counts
		SELECT k.user_id, k.submitted, k.reviewed, k.awaiting_review, o.competency, o.mean, o.reviews
		FROM counts k LEFT JOIN observed o ON o.user_id = k.user_id`,
		map[string]any{"users": db.StringArray(userIDs), "manager": string(RoleManager), "window": ObservedWindow}).
		Scan(&rows).Error
	if err != nil {
		return nil, nil, db.Err(err)
	}
	counts := map[string]SubmissionCounts{}
	observed := map[string]map[string]ObservedMean{}
	for _, r := range rows {
		counts[r.UserID] = SubmissionCounts{Submitted: r.Submitted, Reviewed: r.Reviewed, AwaitingReview: r.AwaitingReview}
		if r.Competency == nil || r.Mean == nil || r.Reviews == nil {
			continue
		}
		if observed[r.UserID] == nil {
			observed[r.UserID] = map[string]ObservedMean{}
		}
		observed[r.UserID][*r.Competency] = ObservedMean{Mean: *r.Mean, Reviews: *r.Reviews}
	}
	return counts, observed, nil
}

// FindReviewedTitle reads the activity title of submissionID when it is a reviewed submission of
// userID; ok is false otherwise (another learner's, not reviewed yet, or none).
func (s *Store) FindReviewedTitle(ctx context.Context, submissionID, userID string) (title string, ok bool, err error) {
	var titles []string
	err = s.db.WithContext(ctx).Raw(`
		SELECT a.title FROM practice_submissions s JOIN practice_activities a ON a.id = s.activity_id
		WHERE s.id = ? AND s.user_id = ? AND s.status = 'reviewed'`, submissionID, userID).Scan(&titles).Error
	if err != nil || len(titles) == 0 {
		return "", false, db.Err(err)
	}
	return titles[0], true, nil
}

// CountReviewsWaiting counts, in one statement for every manager, the submissions of their reps
// (reps[manager]) that wait for a manager's review and that the manager has not reviewed: the
// manager part of the review queue (FindQueue).
func (s *Store) CountReviewsWaiting(ctx context.Context, reps map[string][]string) (map[string]int, error) {
	var managers, owners []string
	for m, rs := range reps {
		for _, r := range rs {
			managers, owners = append(managers, m), append(owners, r)
		}
	}
	out := map[string]int{}
	if len(managers) == 0 {
		return out, nil
	}
	var rows []struct {
		ManagerID string
		Waiting   int
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT p.manager_id, count(DISTINCT s.id) AS waiting
		FROM unnest(CAST(@managers AS uuid[]), CAST(@owners AS uuid[])) AS p(manager_id, owner_id)
		JOIN practice_submissions s ON s.user_id = p.owner_id AND s.status = 'submitted'
		WHERE p.owner_id <> p.manager_id
		  AND NOT EXISTS (SELECT 1 FROM practice_reviews r
		                  WHERE r.submission_id = s.id AND r.reviewer_id = p.manager_id AND r.submitted_at IS NOT NULL)
		GROUP BY p.manager_id`,
		map[string]any{"managers": db.StringArray(managers), "owners": db.StringArray(owners)}).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.ManagerID] = r.Waiting
	}
	return out, nil
}

// recordingFile is the SQL for a recording's path in the export ZIP, on practice_submissions x
// joined to practice_activities a: recordings/<activity>-attempt-<n>.<container>. data.json's
// "file" and the ZIP entry are both this expression, so they always agree.
const recordingFile = `'recordings/' || a.slug || '-attempt-' || x.attempt ||
	coalesce(substring(x.recording_key from '\.[A-Za-z0-9]+$'), '')`

// FindRecordingFiles lists the learner's recordings as files of their export, oldest first.
func (s *Store) FindRecordingFiles(ctx context.Context, userID string) ([]ExportFile, error) {
	var out []ExportFile
	err := s.db.WithContext(ctx).Raw(`
		SELECT `+recordingFile+` AS name, x.recording_key AS key, x.bytes AS size, x.updated_at AS modified
		FROM practice_submissions x JOIN practice_activities a ON a.id = x.activity_id
		WHERE x.user_id = ? AND x.recording_key IS NOT NULL
		ORDER BY x.created_at, x.id`, userID).Scan(&out).Error
	return out, db.Err(err)
}

// CountExportSize is practice's share of a data export: its rows (submissions and the reviews
// they received) and the stored bytes of the learner's recordings, in one statement.
func (s *Store) CountExportSize(ctx context.Context, userID string) (rows, fileBytes int64, err error) {
	var r struct{ Rows, Bytes int64 }
	err = s.db.WithContext(ctx).Raw(`
		SELECT (SELECT count(*) FROM practice_submissions WHERE user_id = @u)
		     + (SELECT count(*) FROM practice_reviews v JOIN practice_submissions x ON x.id = v.submission_id
		        WHERE x.user_id = @u) AS rows,
		       (SELECT coalesce(sum(bytes), 0) FROM practice_submissions
		        WHERE user_id = @u AND recording_key IS NOT NULL) AS bytes`, sql.Named("u", userID)).Scan(&r).Error
	return r.Rows, r.Bytes, db.Err(err)
}
