package review

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is the knowledge checks' section of a data export, in one statement: every answer
// as given and the review schedule (Leitner box and due date) of each check.
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT json_build_object(
			'answers', (SELECT coalesce(json_agg(json_build_object('check_id', a.check_id,
				'option_id', a.option_id, 'correct', a.correct, 'review', a.scheduled,
				'seconds', a.seconds, 'answered_at', a.answered_at) ORDER BY a.answered_at), '[]')
				FROM check_answers a WHERE a.user_id = @u),
			'schedule', (SELECT coalesce(json_agg(json_build_object('check_id', c.check_id,
				'box', c.box, 'due_at', c.due_at, 'last_answered_at', c.answered_at) ORDER BY c.due_at), '[]')
				FROM review_cards c WHERE c.user_id = @u))`, map[string]any{"u": userID})
}

// ExportUser is the knowledge checks' section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "knowledge_checks", v, err
}
