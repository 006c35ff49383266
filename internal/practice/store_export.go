package practice

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is practice's section of a data export, in one statement: every attempt of the
// user (its activity, response text, self-review, recording facts, and the submitted reviews it
// received, with reviewers' names) and every review the user wrote. Recording files are not
// inlined; their presence, type, size and duration are listed.
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT json_build_object(
			'submissions', coalesce((SELECT json_agg(json_build_object(
				'id', x.id, 'activity', a.slug, 'attempt', x.attempt, 'status', x.status,
				'created_at', x.created_at, 'submitted_at', x.submitted_at, 'reviewed_at', x.reviewed_at,
				'text', x.text, 'self_review', x.self_review,
				'recording', CASE WHEN x.recording_key IS NULL THEN NULL ELSE json_build_object(
					'content_type', x.content_type, 'bytes', x.bytes, 'duration_seconds', x.duration_seconds) END,
				'reviews', coalesce((SELECT json_agg(json_build_object('reviewer', coalesce(u.name, @former), 'role', r.role,
					'scores', r.scores, 'comments', r.comments, 'summary', r.summary, 'submitted_at', r.submitted_at)
					ORDER BY r.submitted_at)
					FROM practice_reviews r LEFT JOIN users u ON u.id = r.reviewer_id
					WHERE r.submission_id = x.id AND r.submitted_at IS NOT NULL), '[]'))
				ORDER BY x.created_at)
				FROM practice_submissions x JOIN practice_activities a ON a.id = x.activity_id
				WHERE x.user_id = @u), '[]'),
			'reviews_written', coalesce((SELECT json_agg(json_build_object('submission_id', r.submission_id, 'role', r.role,
				'scores', r.scores, 'comments', r.comments, 'summary', r.summary, 'submitted_at', r.submitted_at)
				ORDER BY r.created_at)
				FROM practice_reviews r WHERE r.reviewer_id = @u), '[]'))`,
		map[string]any{"u": userID, "former": FormerReviewer})
}
