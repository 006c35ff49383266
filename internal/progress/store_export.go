package progress

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is progress's section of a data export, in one statement: lesson progress, the
// time log summed per week in the user's time zone (the weekly history), the weekly goal,
// certificates and the weeks a reminder was sent.
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		WITH u AS (SELECT id, time_zone FROM users WHERE id = @u)
		SELECT json_build_object(
			'lessons', (SELECT coalesce(json_agg(json_build_object('module', m.slug, 'lesson', l.slug,
				'status', p.status, 'seconds', p.seconds, 'position', p.position, 'started_at', p.started_at,
				'completed_at', p.completed_at, 'updated_at', p.updated_at) ORDER BY p.started_at, l.slug), '[]')
				FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id JOIN modules m ON m.id = l.module_id
				WHERE p.user_id = @u),
			'weekly_history', (SELECT coalesce(json_agg(w ORDER BY w.week_start), '[]') FROM (
				SELECT date_trunc('week', e.at AT TIME ZONE u.time_zone)::date AS week_start,
					sum(e.seconds)::int AS seconds
				FROM progress_time_events e, u WHERE e.user_id = @u GROUP BY 1) w),
			'weekly_goal_minutes', (SELECT g.goal_minutes FROM weekly_goals g WHERE g.user_id = @u),
			'certificates', (SELECT coalesce(json_agg(json_build_object('code', c.code, 'module', m.slug,
				'module_title', m.title, 'module_version', c.module_version, 'issued_at', c.issued_at) ORDER BY c.issued_at), '[]')
				FROM certificates c JOIN modules m ON m.id = c.module_id WHERE c.user_id = @u),
			'reminders_sent', (SELECT coalesce(json_agg(r.week_start ORDER BY r.week_start), '[]')
				FROM reminder_log r WHERE r.user_id = @u))
		FROM u`, map[string]any{"u": userID})
}

// CountExportRows counts the user's rows the export lists (lessons, time events, certificates),
// each by its user index, for the export's size estimate.
func (s *Store) CountExportRows(ctx context.Context, userID string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT (SELECT count(*) FROM lesson_progress WHERE user_id = @u)
		+ (SELECT count(*) FROM progress_time_events WHERE user_id = @u)
		+ (SELECT count(*) FROM certificates WHERE user_id = @u)`, map[string]any{"u": userID}).Scan(&n).Error
	return n, db.Err(err)
}
