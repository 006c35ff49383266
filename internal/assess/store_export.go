package assess

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is assess's section of a data export, in one statement: every attempt with its
// answers and scores, and the skills history (each submitted attempt's competency scores in
// time order, which is what the skills chart is drawn from).
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT json_build_object(
			'attempts', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'instrument', i.slug,
				'instrument_version', v.version, 'kind', a.kind, 'started_at', a.started_at,
				'submitted_at', a.submitted_at,
				'responses', (SELECT coalesce(json_agg(json_build_object('item_id', r.item_id, 'value', r.value,
					'updated_at', r.updated_at) ORDER BY r.item_id), '[]') FROM responses r WHERE r.attempt_id = a.id),
				'scores', (SELECT coalesce(json_agg(json_build_object('competency', sc.competency, 'score', sc.score,
					'likert', sc.likert, 'sjt', sc.sjt) ORDER BY sc.competency), '[]')
					FROM attempt_scores sc WHERE sc.attempt_id = a.id)) ORDER BY a.started_at), '[]')
				FROM attempts a JOIN instruments i ON i.id = a.instrument_id
				JOIN instrument_versions v ON v.id = a.instrument_version_id WHERE a.user_id = @u),
			'skills_history', (SELECT coalesce(json_agg(json_build_object('at', a.submitted_at, 'instrument', i.slug,
				'scores', (SELECT coalesce(json_object_agg(sc.competency, sc.score), '{}')
					FROM attempt_scores sc WHERE sc.attempt_id = a.id)) ORDER BY a.submitted_at), '[]')
				FROM attempts a JOIN instruments i ON i.id = a.instrument_id
				WHERE a.user_id = @u AND a.submitted_at IS NOT NULL))`, map[string]any{"u": userID})
}

// CountExportRows counts the user's attempts and their answers and scores, for the export's size
// estimate (through the attempts' user index and the answers' attempt keys).
func (s *Store) CountExportRows(ctx context.Context, userID string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) + coalesce(sum((SELECT count(*) FROM responses r WHERE r.attempt_id = a.id)
		+ (SELECT count(*) FROM attempt_scores sc WHERE sc.attempt_id = a.id)), 0)
		FROM attempts a WHERE a.user_id = ?`, userID).Scan(&n).Error
	return n, db.Err(err)
}
