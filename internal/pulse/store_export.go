package pulse

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is Buyer Pulse's section of a data export, in one statement: every pulse the rep
// sent, with the prediction and the buyer's answer and comment (never the link's token, which is
// not stored, nor the buyer's address, which never was).
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT coalesce(json_agg(json_build_object('id', p.id, 'meeting', p.meeting,
			'created_at', p.created_at, 'expires_at', p.expires_at,
			'prediction', json_build_object('clarity', p.predicted_clarity,
				'understood', p.predicted_understood, 'again', p.predicted_again),
			'response', CASE WHEN p.answered_at IS NULL THEN NULL ELSE json_build_object(
				'clarity', p.clarity, 'understood', p.understood, 'again', p.again,
				'comment', p.comment, 'answered_at', p.answered_at) END)
			ORDER BY p.created_at), '[]')
		FROM pulses p WHERE p.user_id = @u`, map[string]any{"u": userID})
}

// ExportUser is Buyer Pulse's section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "pulses", v, err
}

// CountExportRows counts the rep's pulses, for the export's size estimate.
func (s *Store) CountExportRows(ctx context.Context, userID string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM pulses WHERE user_id = ?`, userID).Scan(&n).Error
	return n, db.Err(err)
}

// ExportSize estimates Buyer Pulse's share of a data export (rows; no files).
func (s *Service) ExportSize(ctx context.Context, userID string) (rows, fileBytes int64, err error) {
	rows, err = s.store.CountExportRows(ctx, userID)
	return rows, 0, err
}
