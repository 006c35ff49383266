package progress

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// progressRow is a lesson_progress row.
type progressRow struct {
	UserID      string
	LessonID    string
	ModuleID    string
	Status      string
	Seconds     int
	Position    string
	StartedAt   time.Time
	CompletedAt *time.Time
	UpdatedAt   time.Time
	// ModuleSlug is filled by upsertProgress.
	ModuleSlug string `gorm:"->;-:migration"`
}

// TableName tells GORM which table the row maps to.
func (progressRow) TableName() string { return "lesson_progress" }

func (r progressRow) toProgress() Progress {
	p := Progress{LessonID: r.LessonID, ModuleSlug: r.ModuleSlug, Status: r.Status, Seconds: r.Seconds,
		Position: r.Position, StartedAt: r.StartedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.CompletedAt != nil {
		t := r.CompletedAt.UTC()
		p.CompletedAt = &t
	}
	return p
}

// certificateRow is a certificate joined to the names it shows.
type certificateRow struct {
	Code        string
	UserName    string
	ModuleSlug  string
	ModuleTitle string
	IssuedAt    time.Time
}

func (r certificateRow) toCertificate() Certificate {
	return Certificate{Code: r.Code, UserName: r.UserName, ModuleSlug: r.ModuleSlug, ModuleTitle: r.ModuleTitle,
		IssuedAt: r.IssuedAt.UTC()}
}

// store is progress's data access. Every method takes the *gorm.DB to use (the pool or a tx).
type store struct{}

// upsertProgress applies one report in a single statement, so concurrent calls for the same
// lesson serialise on the row and converge, and a plain report costs one round trip:
//   - ref finds the lesson if the learner may report on it: it is in its module's latest
//     published version, and the module is published, or unpublished but started by the learner
//     (no row back means NotFound);
//   - the time event is inserted only for a new key; its seconds are added to the row;
//   - a replayed key (the event already existed) changes nothing but returns the row;
//   - status only moves forward (completed wins), completed_at is set once;
//   - position and updated_at change only on a fresh call, updated_at never moves back.
func (store) upsertProgress(ctx context.Context, g *gorm.DB, userID, lessonID string, u LessonUpdate, now time.Time) (progressRow, error) {
	pos, hasPos := "", u.Position != nil
	if hasPos {
		pos = *u.Position
	}
	var rows []progressRow
	err := g.WithContext(ctx).Raw(`
		WITH ref AS (
			SELECT l.id AS lesson_id, l.module_id, m.slug AS module_slug
			FROM lessons l
			JOIN modules m ON m.id = l.module_id
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			JOIN lesson_versions lv ON lv.module_version_id = v.id AND lv.lesson_id = l.id
			WHERE l.id = @lesson
			  AND (m.state = 'published' OR (m.state = 'unpublished' AND EXISTS (
			       SELECT 1 FROM lesson_progress x WHERE x.user_id = @user AND x.module_id = m.id)))
		), ev AS (
			INSERT INTO progress_time_events (user_id, idempotency_key, lesson_id, seconds, at)
			SELECT CAST(@user AS uuid), CAST(@key AS text), ref.lesson_id, CAST(@seconds AS integer), CAST(@now AS timestamptz)
			FROM ref WHERE CAST(@key AS text) <> ''
			ON CONFLICT DO NOTHING
			RETURNING seconds
		), fresh AS (
			SELECT CAST(@key AS text) = '' OR EXISTS (SELECT 1 FROM ev) AS yes
		)
		INSERT INTO lesson_progress AS p
			(user_id, lesson_id, module_id, status, seconds, position, started_at, completed_at, updated_at)
		SELECT CAST(@user AS uuid), ref.lesson_id, ref.module_id, CAST(@status AS text),
		       coalesce((SELECT seconds FROM ev), 0), CAST(@position AS text), CAST(@now AS timestamptz),
		       CASE WHEN CAST(@status AS text) = 'completed' THEN CAST(@now AS timestamptz) END, CAST(@now AS timestamptz)
		FROM ref
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status = CASE WHEN p.status = 'completed' OR EXCLUDED.status = 'completed' THEN 'completed' ELSE 'started' END,
			seconds = p.seconds + EXCLUDED.seconds,
			position = CASE WHEN CAST(@has_position AS boolean) AND (SELECT yes FROM fresh) THEN EXCLUDED.position ELSE p.position END,
			completed_at = coalesce(p.completed_at, EXCLUDED.completed_at),
			updated_at = CASE WHEN (SELECT yes FROM fresh) THEN GREATEST(p.updated_at, EXCLUDED.updated_at) ELSE p.updated_at END
		RETURNING p.*, (SELECT module_slug FROM ref) AS module_slug`,
		map[string]any{"user": userID, "lesson": lessonID, "status": u.Status, "seconds": u.Seconds,
			"position": pos, "has_position": hasPos, "key": u.Key, "now": now}).
		Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return progressRow{}, db.Err(err)
	}
	return rows[0], nil
}

// lockLearnerCompletions serialises one learner's completions until tx ends, so two tabs
// finishing a module's last two lessons at once see each other and issue the certificate.
// Completions are rare (once per lesson), so one lock per learner costs nothing.
func (store) lockLearnerCompletions(ctx context.Context, tx *gorm.DB, userID string) error {
	return db.Err(tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 727275))`,
		"progress:"+userID).Error)
}

// issueCertificate issues the module's certificate when every lesson of its latest published
// version is completed, and returns the learner's certificate code for the module ("" if none).
// It is idempotent: an existing certificate is returned, never replaced.
func (store) issueCertificate(ctx context.Context, tx *gorm.DB, userID, moduleID, code string, now time.Time) (string, error) {
	var codes []string
	err := tx.WithContext(ctx).Raw(`
		WITH cur AS (
			SELECT m.id, m.current_version, v.id AS version_id
			FROM modules m JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			WHERE m.id = @module
		), ins AS (
			INSERT INTO certificates (code, user_id, module_id, module_version, issued_at)
			SELECT CAST(@code AS text), CAST(@user AS uuid), cur.id, cur.current_version, CAST(@now AS timestamptz) FROM cur
			WHERE NOT EXISTS (
				SELECT 1 FROM lesson_versions lv
				LEFT JOIN lesson_progress p ON p.user_id = @user AND p.lesson_id = lv.lesson_id AND p.status = 'completed'
				WHERE lv.module_version_id = cur.version_id AND p.lesson_id IS NULL)
			ON CONFLICT DO NOTHING
			RETURNING code
		)
		SELECT code FROM ins
		UNION ALL
		SELECT code FROM certificates WHERE user_id = @user AND module_id = @module`,
		map[string]any{"user": userID, "module": moduleID, "code": code, "now": now}).Scan(&codes).Error
	if err != nil || len(codes) == 0 {
		return "", db.Err(err)
	}
	return codes[0], nil
}

const certificateSelect = `
	SELECT c.code, u.name AS user_name, m.slug AS module_slug, v.title AS module_title, c.issued_at
	FROM certificates c
	JOIN users u ON u.id = c.user_id
	JOIN modules m ON m.id = c.module_id
	JOIN module_versions v ON v.module_id = c.module_id AND v.version = c.module_version`

// findCertificates lists a learner's certificates, newest first.
func (store) findCertificates(ctx context.Context, g *gorm.DB, userID string) ([]certificateRow, error) {
	var rows []certificateRow
	err := g.WithContext(ctx).Raw(certificateSelect+` WHERE c.user_id = ? ORDER BY c.issued_at DESC, c.code`, userID).
		Scan(&rows).Error
	return rows, db.Err(err)
}

// findCertificate reads one certificate by its code.
func (store) findCertificate(ctx context.Context, g *gorm.DB, code string) (certificateRow, error) {
	var rows []certificateRow
	err := g.WithContext(ctx).Raw(certificateSelect+` WHERE c.code = ?`, code).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return certificateRow{}, db.Err(err)
	}
	return rows[0], nil
}

// lastCertificateAt is when the learner last finished a module (nil: never).
func (store) lastCertificateAt(ctx context.Context, g *gorm.DB, userID string) (*time.Time, error) {
	var row struct{ At *time.Time }
	err := g.WithContext(ctx).Raw(`SELECT max(issued_at) AS at FROM certificates WHERE user_id = ?`, userID).Scan(&row).Error
	if err != nil || row.At == nil {
		return nil, db.Err(err)
	}
	t := row.At.UTC()
	return &t, nil
}

// setGoal stores a learner's weekly goal.
func (store) setGoal(ctx context.Context, g *gorm.DB, userID string, minutes int, now time.Time) error {
	return db.Err(g.WithContext(ctx).Exec(`
		INSERT INTO weekly_goals (user_id, goal_minutes, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET goal_minutes = EXCLUDED.goal_minutes, updated_at = EXCLUDED.updated_at`,
		userID, minutes, now).Error)
}

// completedByModule counts completed lessons of each module's latest version.
func (store) completedByModule(ctx context.Context, g *gorm.DB, userID string, moduleIDs []string) (map[string]int, error) {
	var rows []struct {
		ModuleID string
		N        int
	}
	err := g.WithContext(ctx).Raw(`
		SELECT p.module_id, count(*) AS n
		FROM lesson_progress p
		JOIN modules m ON m.id = p.module_id
		JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		JOIN lesson_versions lv ON lv.module_version_id = v.id AND lv.lesson_id = p.lesson_id
		WHERE p.user_id = ? AND p.status = 'completed' AND p.module_id = ANY(?::uuid[])
		GROUP BY p.module_id`, userID, db.StringArray(moduleIDs)).Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.ModuleID] = r.N
	}
	return out, db.Err(err)
}

// completedLessons returns the completed lessons among lessonIDs.
func (store) completedLessons(ctx context.Context, g *gorm.DB, userID string, lessonIDs []string) (map[string]bool, error) {
	var ids []string
	err := g.WithContext(ctx).Raw(`
		SELECT lesson_id FROM lesson_progress
		WHERE user_id = ? AND status = 'completed' AND lesson_id = ANY(?::uuid[])`,
		userID, db.StringArray(lessonIDs)).Scan(&ids).Error
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, db.Err(err)
}
