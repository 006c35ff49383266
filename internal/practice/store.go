package practice

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// Store is the practice data access, the only code that knows the practice tables. Besides
// them it reads identity's users table (names only): a submission's owner and its reviewers are
// shown by name, read in the statement that reads the submission or its reviews.
type Store struct {
	db   *gorm.DB
	jobs *jobs.Inserter
}

// NewStore returns the store on d; its jobs are inserted through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store { return &Store{db: d.Gorm, jobs: ins} }

// Tx runs fn in one transaction; fn gets a Store bound to it. An error from fn rolls back every
// write and every job fn made.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, jobs: s.jobs})
	}))
}

// InsertJob enqueues args in the store's transaction (or on its own outside one).
func (s *Store) InsertJob(ctx context.Context, args river.JobArgs) error {
	return db.InsertJob(ctx, s.db, s.jobs, args)
}

// ---- activities ----

type activityRow struct {
	ID               string `gorm:"primaryKey;default:gen_random_uuid()"`
	Slug             string
	Title            string
	ModuleSlug       *string
	Competencies     db.StringArray
	Kind             string
	Brief            string
	BriefHTML        string `gorm:"column:brief_html"`
	BuyerMediaID     *string
	TimeLimitSeconds int
	Rubric           []byte
	Position         int
	SourceHash       string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (activityRow) TableName() string { return "practice_activities" }

func (r activityRow) toActivity() (Activity, error) {
	a := Activity{ID: r.ID, Slug: r.Slug, Title: r.Title, Competencies: []string(r.Competencies), Kind: Kind(r.Kind),
		Brief: r.Brief, BriefHTML: r.BriefHTML, BuyerMediaID: r.BuyerMediaID, TimeLimitSeconds: r.TimeLimitSeconds,
		Position: r.Position, SourceHash: r.SourceHash, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.ModuleSlug != nil {
		a.ModuleSlug = *r.ModuleSlug
	}
	if err := json.Unmarshal(r.Rubric, &a.Rubric); err != nil {
		return Activity{}, fmt.Errorf("practice: rubric of %s: %w", r.Slug, err)
	}
	return a, nil
}

func toActivities(rows []activityRow) ([]Activity, error) {
	out := make([]Activity, 0, len(rows))
	for _, r := range rows {
		a, err := r.toActivity()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// FindActivities lists every activity in order.
func (s *Store) FindActivities(ctx context.Context) ([]Activity, error) {
	var rows []activityRow
	if err := s.db.WithContext(ctx).Order("position, slug").Find(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	return toActivities(rows)
}

// FindActivity reads one activity by slug.
func (s *Store) FindActivity(ctx context.Context, slug string) (Activity, error) {
	var r activityRow
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error; err != nil {
		return Activity{}, db.Err(err)
	}
	return r.toActivity()
}

// FindActivitiesByID reads the activities with these ids.
func (s *Store) FindActivitiesByID(ctx context.Context, ids []string) (map[string]Activity, error) {
	out := map[string]Activity{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []activityRow
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	list, err := toActivities(rows)
	for _, a := range list {
		out[a.ID] = a
	}
	return out, err
}

// UpsertActivity writes an activity by slug unless its source hash is unchanged; created tells
// a new activity, changed whether anything was written.
func (s *Store) UpsertActivity(ctx context.Context, a Activity, now time.Time) (created, changed bool, err error) {
	rubric, err := json.Marshal(a.Rubric)
	if err != nil {
		return false, false, err
	}
	var module *string
	if a.ModuleSlug != "" {
		module = &a.ModuleSlug
	}
	var out []struct{ Created bool }
	err = s.db.WithContext(ctx).Raw(`
		INSERT INTO practice_activities (slug, title, module_slug, competencies, kind, brief, brief_html, buyer_media_id,
			time_limit_seconds, rubric, position, source_hash, created_at, updated_at)
		VALUES (@slug, @title, @module, @competencies, @kind, @brief, @html, @media, @limit, @rubric, @position, @hash, @now, @now)
		ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, module_slug = EXCLUDED.module_slug,
			competencies = EXCLUDED.competencies, kind = EXCLUDED.kind, brief = EXCLUDED.brief,
			brief_html = EXCLUDED.brief_html, buyer_media_id = EXCLUDED.buyer_media_id,
			time_limit_seconds = EXCLUDED.time_limit_seconds, rubric = EXCLUDED.rubric,
			position = EXCLUDED.position, source_hash = EXCLUDED.source_hash, updated_at = EXCLUDED.updated_at
		WHERE practice_activities.source_hash IS DISTINCT FROM EXCLUDED.source_hash
		RETURNING (xmax = 0) AS created`,
		map[string]any{"slug": a.Slug, "title": a.Title, "module": module, "competencies": db.StringArray(a.Competencies),
			"kind": string(a.Kind), "brief": a.Brief, "html": a.BriefHTML, "media": a.BuyerMediaID,
			"limit": a.TimeLimitSeconds, "rubric": string(rubric), "position": a.Position, "hash": a.SourceHash, "now": now}).
		Scan(&out).Error
	if err != nil {
		return false, false, db.Err(err)
	}
	if len(out) == 0 {
		return false, false, nil
	}
	return out[0].Created, true, nil
}

// ---- submissions ----

type submissionRow struct {
	ID              string `gorm:"primaryKey;default:gen_random_uuid()"`
	ActivityID      string
	UserID          string
	Attempt         int
	Status          string
	RecordingKey    *string
	ContentType     *string
	Bytes           *int64
	DurationSeconds *float64
	Text            *string
	SelfReview      []byte
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SubmittedAt     *time.Time
	ReviewedAt      *time.Time
	// OwnerName is identity's users.name, read with the row.
	OwnerName string `gorm:"->;-:migration"`
}

func (submissionRow) TableName() string { return "practice_submissions" }

func (r submissionRow) toSubmission() (Submission, error) {
	s := Submission{ID: r.ID, ActivityID: r.ActivityID, UserID: r.UserID, OwnerName: r.OwnerName, Attempt: r.Attempt,
		Status: Status(r.Status), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		SubmittedAt: utc(r.SubmittedAt), ReviewedAt: utc(r.ReviewedAt)}
	if r.RecordingKey != nil && r.ContentType != nil && r.Bytes != nil {
		s.Recording = &Recording{Key: *r.RecordingKey, ContentType: *r.ContentType, Bytes: *r.Bytes, DurationSeconds: r.DurationSeconds}
	}
	if r.Text != nil {
		s.Text = *r.Text
	}
	if len(r.SelfReview) > 0 {
		var sr SelfReview
		if err := json.Unmarshal(r.SelfReview, &sr); err != nil {
			return Submission{}, fmt.Errorf("practice: self-review of %s: %w", r.ID, err)
		}
		s.SelfReview = &sr
	}
	return s, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

const submissionCols = `s.id, s.activity_id, s.user_id, s.attempt, s.status, s.recording_key, s.content_type, s.bytes,
	s.duration_seconds, s.text, s.self_review, s.created_at, s.updated_at, s.submitted_at, s.reviewed_at,
	u.name AS owner_name`

func (s *Store) findSubmissions(ctx context.Context, where string, args map[string]any, order string) ([]Submission, error) {
	var rows []submissionRow
	q := `SELECT ` + submissionCols + ` FROM practice_submissions s JOIN users u ON u.id = s.user_id WHERE ` + where
	if order != "" {
		q += ` ORDER BY ` + order
	}
	if err := s.db.WithContext(ctx).Raw(q, args).Scan(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	out := make([]Submission, 0, len(rows))
	for _, r := range rows {
		sub, err := r.toSubmission()
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// FindSubmission reads one submission with its owner's name (NotFound when there is none).
func (s *Store) FindSubmission(ctx context.Context, id string) (Submission, error) {
	list, err := s.findSubmissions(ctx, `s.id = @id`, map[string]any{"id": id}, "")
	if err != nil {
		return Submission{}, err
	}
	if len(list) == 0 {
		return Submission{}, apperr.New(apperr.NotFound, "We couldn’t find this practice attempt. It may have been deleted.")
	}
	return list[0], nil
}

// LockSubmission reads a submission and locks its row for the rest of the transaction.
func (s *Store) LockSubmission(ctx context.Context, id string) (Submission, error) {
	var r submissionRow
	err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&r).Error
	if err != nil {
		return Submission{}, db.Err(err)
	}
	return r.toSubmission()
}

// FindMySubmissions lists a learner's attempts at an activity, newest first.
func (s *Store) FindMySubmissions(ctx context.Context, userID, activityID string) ([]Submission, error) {
	return s.findSubmissions(ctx, `s.user_id = @u AND s.activity_id = @a`, map[string]any{"u": userID, "a": activityID}, "s.attempt DESC")
}

// LatestStatuses is the state of the learner's latest attempt per activity id.
func (s *Store) LatestStatuses(ctx context.Context, userID string) (map[string]Status, error) {
	var rows []struct {
		ActivityID string
		Status     string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT ON (activity_id) activity_id, status FROM practice_submissions
		WHERE user_id = ? ORDER BY activity_id, attempt DESC`, userID).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	out := make(map[string]Status, len(rows))
	for _, r := range rows {
		out[r.ActivityID] = Status(r.Status)
	}
	return out, nil
}

// LockLearnerActivity serialises starting attempts of one learner at one activity for the rest
// of the transaction, so two starts at once make one draft with one attempt number.
func (s *Store) LockLearnerActivity(ctx context.Context, userID, activityID string) error {
	return db.Err(s.db.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended('practice-start:' || ? || ':' || ?, 0))`,
		userID, activityID).Error)
}

// FindDraft reads the learner's open draft of an activity (NotFound when there is none).
func (s *Store) FindDraft(ctx context.Context, userID, activityID string) (Submission, error) {
	list, err := s.findSubmissions(ctx, `s.user_id = @u AND s.activity_id = @a AND s.status = 'draft'`,
		map[string]any{"u": userID, "a": activityID}, "")
	if err != nil {
		return Submission{}, err
	}
	if len(list) == 0 {
		return Submission{}, apperr.New(apperr.NotFound, "No open draft.")
	}
	return list[0], nil
}

// CreateDraft inserts the learner's next attempt at the activity as a draft.
func (s *Store) CreateDraft(ctx context.Context, userID, activityID string, now time.Time) (string, error) {
	var id string
	err := s.db.WithContext(ctx).Raw(`
		INSERT INTO practice_submissions (activity_id, user_id, attempt, status, created_at, updated_at)
		SELECT @a, @u, coalesce(max(attempt), 0) + 1, 'draft', @now, @now
		FROM practice_submissions WHERE user_id = @u AND activity_id = @a
		RETURNING id`, map[string]any{"a": activityID, "u": userID, "now": now}).Scan(&id).Error
	return id, db.Err(err)
}

// SetRecording stores the recording's facts on a submission.
func (s *Store) SetRecording(ctx context.Context, id string, rec Recording, now time.Time) error {
	return s.updateSubmission(ctx, id, map[string]any{"recording_key": rec.Key, "content_type": rec.ContentType,
		"bytes": rec.Bytes, "duration_seconds": rec.DurationSeconds, "updated_at": now})
}

// SetText stores the written response.
func (s *Store) SetText(ctx context.Context, id, text string, now time.Time) error {
	return s.updateSubmission(ctx, id, map[string]any{"text": text, "updated_at": now})
}

// SetSelfReview stores the learner's own scores.
func (s *Store) SetSelfReview(ctx context.Context, id string, sr SelfReview, now time.Time) error {
	b, err := json.Marshal(sr)
	if err != nil {
		return err
	}
	return s.updateSubmission(ctx, id, map[string]any{"self_review": string(b), "updated_at": now})
}

// MarkSubmitted makes a draft submitted at now.
func (s *Store) MarkSubmitted(ctx context.Context, id string, now time.Time) error {
	return s.updateSubmission(ctx, id, map[string]any{"status": string(StatusSubmitted), "submitted_at": now, "updated_at": now})
}

// MarkReviewed records the first manager review of a submitted attempt.
func (s *Store) MarkReviewed(ctx context.Context, id string, now time.Time) error {
	return db.Err(s.db.WithContext(ctx).Exec(`UPDATE practice_submissions SET status = 'reviewed', reviewed_at = ?, updated_at = ?
		WHERE id = ? AND status = 'submitted'`, now, now, id).Error)
}

func (s *Store) updateSubmission(ctx context.Context, id string, fields map[string]any) error {
	res := s.db.WithContext(ctx).Model(&submissionRow{}).Where("id = ?", id).Updates(fields)
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "We couldn’t find this practice attempt. It may have been deleted.")
	}
	return nil
}

// DeleteSubmission removes a submission (its reviews and peer invitations go with it).
func (s *Store) DeleteSubmission(ctx context.Context, id string) error {
	return db.Err(s.db.WithContext(ctx).Exec(`DELETE FROM practice_submissions WHERE id = ?`, id).Error)
}

// RecordingKeysOf lists the storage keys of every recording of the learner.
func (s *Store) RecordingKeysOf(ctx context.Context, userID string) ([]string, error) {
	var keys []string
	err := s.db.WithContext(ctx).Raw(`SELECT recording_key FROM practice_submissions WHERE user_id = ? AND recording_key IS NOT NULL`,
		userID).Scan(&keys).Error
	return keys, db.Err(err)
}

// ---- reviews ----

type reviewRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	SubmissionID string
	ReviewerID   *string
	Role         string
	Scores       []byte
	Comments     []byte
	Summary      string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SubmittedAt  *time.Time
	ReviewerName *string `gorm:"->;-:migration"`
}

func (reviewRow) TableName() string { return "practice_reviews" }

func (r reviewRow) toReview() (Review, error) {
	rv := Review{ID: r.ID, SubmissionID: r.SubmissionID, ReviewerID: r.ReviewerID, Role: ReviewRole(r.Role), Summary: r.Summary,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), SubmittedAt: utc(r.SubmittedAt), ReviewerName: FormerReviewer}
	if r.ReviewerName != nil {
		rv.ReviewerName = *r.ReviewerName
	}
	if err := json.Unmarshal(r.Scores, &rv.Scores); err != nil {
		return Review{}, fmt.Errorf("practice: scores of review %s: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.Comments, &rv.Comments); err != nil {
		return Review{}, fmt.Errorf("practice: comments of review %s: %w", r.ID, err)
	}
	return rv, nil
}

// FindReviews reads the reviews of these submissions (drafts included), by submission id,
// oldest first, with their reviewers' names.
func (s *Store) FindReviews(ctx context.Context, submissionIDs []string) (map[string][]Review, error) {
	out := map[string][]Review{}
	if len(submissionIDs) == 0 {
		return out, nil
	}
	var rows []reviewRow
	err := s.db.WithContext(ctx).Raw(`SELECT r.*, u.name AS reviewer_name FROM practice_reviews r
		LEFT JOIN users u ON u.id = r.reviewer_id WHERE r.submission_id IN ? ORDER BY r.submitted_at NULLS LAST, r.created_at`,
		submissionIDs).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		rv, err := r.toReview()
		if err != nil {
			return nil, err
		}
		out[rv.SubmissionID] = append(out[rv.SubmissionID], rv)
	}
	return out, nil
}

// LockReview reads the reviewer's review of a submission and locks it (NotFound when none).
func (s *Store) LockReview(ctx context.Context, submissionID, reviewerID string) (Review, error) {
	var r reviewRow
	err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("submission_id = ? AND reviewer_id = ?", submissionID, reviewerID).Take(&r).Error
	if err != nil {
		return Review{}, db.Err(err)
	}
	return r.toReview()
}

// SaveReviewDraft creates or replaces the reviewer's draft; a submitted review is left as it is
// and answers Conflict.
func (s *Store) SaveReviewDraft(ctx context.Context, submissionID, reviewerID string, role ReviewRole, d ReviewDraft, now time.Time) error {
	scores, err := json.Marshal(d.Scores)
	if err != nil {
		return err
	}
	comments, err := json.Marshal(d.Comments)
	if err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Exec(`
		INSERT INTO practice_reviews (submission_id, reviewer_id, role, scores, comments, summary, created_at, updated_at)
		VALUES (@s, @r, @role, @scores, @comments, @summary, @now, @now)
		ON CONFLICT (submission_id, reviewer_id) DO UPDATE SET scores = EXCLUDED.scores, comments = EXCLUDED.comments,
			summary = EXCLUDED.summary, updated_at = EXCLUDED.updated_at
		WHERE practice_reviews.submitted_at IS NULL`,
		map[string]any{"s": submissionID, "r": reviewerID, "role": string(role), "scores": string(scores),
			"comments": string(comments), "summary": d.Summary, "now": now})
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.Conflict, "You have submitted this review already; it can’t change.")
	}
	return nil
}

// MarkReviewSubmitted makes a review final.
func (s *Store) MarkReviewSubmitted(ctx context.Context, reviewID string, now time.Time) error {
	return db.Err(s.db.WithContext(ctx).Exec(`UPDATE practice_reviews SET submitted_at = ?, updated_at = ? WHERE id = ?`,
		now, now, reviewID).Error)
}

// ---- peer reviewers ----

// Person is an account's id and name.
type Person struct {
	ID   string
	Name string
}

// AddPeers invites users to review a submission; existing invitations stay as they are.
func (s *Store) AddPeers(ctx context.Context, submissionID string, userIDs []string, invitedBy string, now time.Time) error {
	for _, u := range userIDs {
		err := s.db.WithContext(ctx).Exec(`INSERT INTO practice_peer_reviewers (submission_id, user_id, invited_by, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, submissionID, u, invitedBy, now).Error
		if err != nil {
			return db.Err(err)
		}
	}
	return nil
}

// FindPeers lists the peer reviewers of these submissions with their names, by submission id.
func (s *Store) FindPeers(ctx context.Context, submissionIDs []string) (map[string][]Person, error) {
	out := map[string][]Person{}
	if len(submissionIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		SubmissionID string
		UserID       string
		Name         string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT p.submission_id, p.user_id, u.name FROM practice_peer_reviewers p
		JOIN users u ON u.id = p.user_id WHERE p.submission_id IN ? ORDER BY p.created_at, u.name`, submissionIDs).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.SubmissionID] = append(out[r.SubmissionID], Person{ID: r.UserID, Name: r.Name})
	}
	return out, nil
}

// IsPeer reports whether the user is invited to review the submission.
func (s *Store) IsPeer(ctx context.Context, submissionID, userID string) (bool, error) {
	var ok bool
	err := s.db.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM practice_peer_reviewers WHERE submission_id = ? AND user_id = ?)`,
		submissionID, userID).Scan(&ok).Error
	return ok, db.Err(err)
}

// ---- the review queue ----

// QueueEntry is a submission awaiting a reviewer, with the role they review it in.
type QueueEntry struct {
	Submission    Submission
	Role          ReviewRole
	ReviewStarted bool
}

// FindQueue lists, oldest first, submitted attempts awaiting reviewerID: attempts of owners (the
// learners the reviewer manages) that no manager has reviewed yet, and attempts the reviewer is
// invited to as a peer; attempts the reviewer has reviewed already are left out.
func (s *Store) FindQueue(ctx context.Context, reviewerID string, owners []string) ([]QueueEntry, error) {
	if len(owners) == 0 {
		// No learner: a nil id keeps both IN lists well-formed (NOT IN (NULL) would match nothing).
		owners = []string{"00000000-0000-0000-0000-000000000000"}
	}
	var rows []struct {
		ID      string
		Role    string
		Started bool
	}
	err := s.db.WithContext(ctx).Raw(`
		WITH candidates AS (
			SELECT s.id, 'manager' AS role FROM practice_submissions s
			WHERE s.user_id IN @owners AND s.status = 'submitted' AND s.user_id <> @me
			UNION
			SELECT p.submission_id, 'peer' FROM practice_peer_reviewers p
			JOIN practice_submissions s ON s.id = p.submission_id
			WHERE p.user_id = @me AND s.status <> 'draft' AND s.user_id NOT IN @owners
		)
		SELECT c.id, c.role, (r.id IS NOT NULL) AS started
		FROM candidates c
		LEFT JOIN practice_reviews r ON r.submission_id = c.id AND r.reviewer_id = @me
		WHERE r.submitted_at IS NULL`,
		map[string]any{"owners": owners, "me": reviewerID}).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	if len(rows) == 0 {
		return []QueueEntry{}, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	subs, err := s.findSubmissions(ctx, `s.id IN @ids`, map[string]any{"ids": ids}, "s.submitted_at, s.id")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]int, len(rows))
	for i, r := range rows {
		byID[r.ID] = i
	}
	out := make([]QueueEntry, 0, len(subs))
	for _, sub := range subs {
		r := rows[byID[sub.ID]]
		out = append(out, QueueEntry{Submission: sub, Role: ReviewRole(r.Role), ReviewStarted: r.Started})
	}
	return out, nil
}

// FindBuyerLineUses lists, for each media id of ids, the titles of the activities whose buyer
// line it is, in title order.
func (s *Store) FindBuyerLineUses(ctx context.Context, ids []string) (map[string][]string, error) {
	var rows []struct {
		MediaID string
		Title   string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT CAST(buyer_media_id AS text) AS media_id, title FROM practice_activities
		WHERE buyer_media_id = ANY(CAST(? AS uuid[])) ORDER BY title`, db.StringArray(ids)).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.MediaID] = append(out[r.MediaID], r.Title)
	}
	return out, nil
}
