package progress

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
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
	p := Progress{LessonID: r.LessonID, ModuleID: r.ModuleID, ModuleSlug: r.ModuleSlug, Status: r.Status, Seconds: r.Seconds,
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

// Store is progress's data access: the only code of the package that knows GORM, tables and
// columns. Methods take and return domain types; errors come mapped by db.Err.
type Store struct {
	db *gorm.DB
	// pool is the same pool under GORM, for the statements on the hot path; nil in a store bound
	// to a transaction (those go through db, the transaction).
	pool *pgxpool.Pool
	jobs *jobs.Inserter
}

// NewStore returns the store on d's pool; mails are enqueued through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store {
	return &Store{db: d.Gorm, pool: d.Pool, jobs: ins}
}

// Tx runs fn in one transaction; fn gets a Store bound to it, so every write and every job it
// enqueues commit together or not at all.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, jobs: s.jobs})
	}))
}

func (s *Store) g(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// EnqueueMail queues m for sending, in the store's transaction when it is bound to one.
func (s *Store) EnqueueMail(ctx context.Context, m mail.Message) error {
	return db.InsertJob(ctx, s.db, s.jobs, mail.SendArgs{Message: m})
}

// UpsertProgress applies one report in a single statement, so concurrent calls for the same
// lesson serialise on the row and converge, and a plain report costs one round trip:
//   - ref finds the lesson if the learner may report on it: it is in its module's latest
//     published version, and the module is published, or unpublished but started by the learner
//     (no row back means NotFound);
//   - the time event is inserted only for a new key; its seconds are added to the row;
//   - a replayed key (the event already existed) changes nothing but returns the row;
//   - status only moves forward (completed wins), completed_at is set once;
//   - position and updated_at change only on a fresh call, updated_at never moves back.
func (s *Store) UpsertProgress(ctx context.Context, userID, lessonID string, u LessonUpdate, now time.Time) (Progress, error) {
	pos, hasPos := "", u.Position != nil
	if hasPos {
		pos = *u.Position
	}
	args := []any{userID, lessonID, u.Status, u.Seconds, pos, hasPos, u.Key, now}
	var r progressRow
	dest := []any{&r.UserID, &r.LessonID, &r.ModuleID, &r.Status, &r.Seconds, &r.Position, &r.StartedAt,
		&r.CompletedAt, &r.UpdatedAt, &r.ModuleSlug}
	var err error
	if s.pool != nil {
		// The hot path (every reading-position report): straight on pgx, no GORM statement
		// building or reflection.
		err = s.pool.QueryRow(ctx, UpsertProgressSQL, args...).Scan(dest...)
	} else {
		// Inside a transaction (a completion): the transaction's own connection.
		err = s.db.WithContext(ctx).Statement.ConnPool.QueryRowContext(ctx, UpsertProgressSQL, args...).Scan(dest...)
	}
	if err != nil {
		return Progress{}, db.Err(err)
	}
	return r.toProgress(), nil
}

// UpsertProgressSQL is UpsertProgress's statement: $1 user, $2 lesson, $3 status, $4 seconds,
// $5 position, $6 whether a position was given, $7 Idempotency-Key ("" for none), $8 now.
// Exported for `make bench`, which runs it through raw pgx to show what the statement alone
// costs next to the HTTP route (bench/pgxinsert -statement progress).
const UpsertProgressSQL = `
		WITH ref AS (
			SELECT l.id AS lesson_id, l.module_id, m.slug AS module_slug
			FROM lessons l
			JOIN modules m ON m.id = l.module_id
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			JOIN lesson_versions lv ON lv.module_version_id = v.id AND lv.lesson_id = l.id
			WHERE l.id = CAST($2 AS uuid)
			  AND (m.state = 'published' OR (m.state = 'unpublished' AND EXISTS (
			       SELECT 1 FROM lesson_progress x WHERE x.user_id = CAST($1 AS uuid) AND x.module_id = m.id)))
		), ev AS (
			INSERT INTO progress_time_events (user_id, idempotency_key, lesson_id, seconds, at)
			SELECT CAST($1 AS uuid), CAST($7 AS text), ref.lesson_id, CAST($4 AS integer), CAST($8 AS timestamptz)
			FROM ref WHERE CAST($7 AS text) <> ''
			ON CONFLICT DO NOTHING
			RETURNING seconds
		), fresh AS (
			SELECT CAST($7 AS text) = '' OR EXISTS (SELECT 1 FROM ev) AS yes
		)
		INSERT INTO lesson_progress AS p
			(user_id, lesson_id, module_id, status, seconds, position, started_at, completed_at, updated_at)
		SELECT CAST($1 AS uuid), ref.lesson_id, ref.module_id, CAST($3 AS text),
		       coalesce((SELECT seconds FROM ev), 0), CAST($5 AS text), CAST($8 AS timestamptz),
		       CASE WHEN CAST($3 AS text) = 'completed' THEN CAST($8 AS timestamptz) END, CAST($8 AS timestamptz)
		FROM ref
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status = CASE WHEN p.status = 'completed' OR EXCLUDED.status = 'completed' THEN 'completed' ELSE 'started' END,
			seconds = p.seconds + EXCLUDED.seconds,
			position = CASE WHEN CAST($6 AS boolean) AND (SELECT yes FROM fresh) THEN EXCLUDED.position ELSE p.position END,
			completed_at = coalesce(p.completed_at, EXCLUDED.completed_at),
			updated_at = CASE WHEN (SELECT yes FROM fresh) THEN GREATEST(p.updated_at, EXCLUDED.updated_at) ELSE p.updated_at END
		RETURNING CAST(p.user_id AS text), CAST(p.lesson_id AS text), CAST(p.module_id AS text), p.status, p.seconds,
		          p.position, p.started_at, p.completed_at, p.updated_at, (SELECT module_slug FROM ref)`

// AddTimeEvent adds study time that is not a lesson progress report (reviews) to the learner's
// time events, once per key.
func (s *Store) AddTimeEvent(ctx context.Context, userID, lessonID, key string, seconds int, at time.Time) error {
	return db.Err(s.g(ctx).Exec(`INSERT INTO progress_time_events (user_id, idempotency_key, lesson_id, seconds, at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, userID, key, lessonID, seconds, at).Error)
}

// LockLearnerCompletions serialises one learner's completions until tx ends, so two tabs
// finishing a module's last two lessons at once see each other and issue the certificate.
// Completions are rare (once per lesson), so one lock per learner costs nothing.
func (s *Store) LockLearnerCompletions(ctx context.Context, userID string) error {
	return db.Err(s.g(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 727275))`,
		"progress:"+userID).Error)
}

// FindModuleCompletion is where the learner stands in the module's latest version (its lessons,
// those completed) and the certificate they hold for the module, if any, in one query.
func (s *Store) FindModuleCompletion(ctx context.Context, userID, moduleID string) (ModuleCompletion, error) {
	var rows []ModuleCompletion
	err := s.g(ctx).Raw(`
		SELECT m.current_version AS version,
		       (SELECT count(*) FROM lesson_versions lv WHERE lv.module_version_id = v.id) AS lesson_count,
		       (SELECT count(*) FROM lesson_versions lv
		        JOIN lesson_progress p ON p.user_id = @user AND p.lesson_id = lv.lesson_id AND p.status = 'completed'
		        WHERE lv.module_version_id = v.id) AS completed,
		       coalesce((SELECT code FROM certificates c WHERE c.user_id = @user AND c.module_id = m.id), '') AS certificate_code
		FROM modules m JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		WHERE m.id = @module`, map[string]any{"user": userID, "module": moduleID}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return ModuleCompletion{}, db.Err(err)
	}
	return rows[0], nil
}

// CreateCertificate issues the learner's certificate for version of the module with code and
// returns the code the learner holds: an existing certificate is kept, never replaced.
func (s *Store) CreateCertificate(ctx context.Context, userID, moduleID string, version int, code string, now time.Time) (string, error) {
	var codes []string
	err := s.g(ctx).Raw(`
		WITH ins AS (
			INSERT INTO certificates (code, user_id, module_id, module_version, issued_at)
			VALUES (@code, @user, @module, @version, @now)
			ON CONFLICT (user_id, module_id) DO NOTHING
			RETURNING code
		)
		SELECT code FROM ins
		UNION ALL
		SELECT code FROM certificates WHERE user_id = @user AND module_id = @module`,
		map[string]any{"user": userID, "module": moduleID, "version": version, "code": code, "now": now}).Scan(&codes).Error
	if err == nil && len(codes) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
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

// FindCertificates lists a learner's certificates, newest first.
func (s *Store) FindCertificates(ctx context.Context, userID string) ([]Certificate, error) {
	var rows []certificateRow
	err := s.g(ctx).Raw(certificateSelect+` WHERE c.user_id = ? ORDER BY c.issued_at DESC, c.code`, userID).
		Scan(&rows).Error
	out := make([]Certificate, len(rows))
	for i, r := range rows {
		out[i] = r.toCertificate()
	}
	return out, db.Err(err)
}

// FindCertificate reads one certificate by its code.
func (s *Store) FindCertificate(ctx context.Context, code string) (Certificate, error) {
	var rows []certificateRow
	err := s.g(ctx).Raw(certificateSelect+` WHERE c.code = ?`, code).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return Certificate{}, db.Err(err)
	}
	return rows[0].toCertificate(), nil
}

// LastCertificateAt is when the learner last finished a module (nil: never).
func (s *Store) LastCertificateAt(ctx context.Context, userID string) (*time.Time, error) {
	var row struct{ At *time.Time }
	err := s.g(ctx).Raw(`SELECT max(issued_at) AS at FROM certificates WHERE user_id = ?`, userID).Scan(&row).Error
	if err != nil || row.At == nil {
		return nil, db.Err(err)
	}
	t := row.At.UTC()
	return &t, nil
}

// SetGoal stores a learner's weekly goal.
func (s *Store) SetGoal(ctx context.Context, userID string, minutes int, now time.Time) error {
	return db.Err(s.g(ctx).Exec(`
		INSERT INTO weekly_goals (user_id, goal_minutes, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET goal_minutes = EXCLUDED.goal_minutes, updated_at = EXCLUDED.updated_at`,
		userID, minutes, now).Error)
}

// CompletedByModule counts completed lessons of each module's latest version (one statement; the
// signed-in catalog's only query, so straight on pgx when the store is on the pool).
func (s *Store) CompletedByModule(ctx context.Context, userID string, moduleIDs []string) (map[string]int, error) {
	const q = `
		SELECT CAST(p.module_id AS text), count(*)
		FROM lesson_progress p
		JOIN modules m ON m.id = p.module_id
		JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		JOIN lesson_versions lv ON lv.module_version_id = v.id AND lv.lesson_id = p.lesson_id
		WHERE p.user_id = CAST($1 AS uuid) AND p.status = 'completed' AND p.module_id = ANY(CAST($2 AS uuid[]))
		GROUP BY p.module_id`
	out := make(map[string]int, len(moduleIDs))
	add := func(scan func(...any) error) error {
		var id string
		var n int
		if err := scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	}
	if s.pool == nil { // bound to a transaction: its connection
		rows, err := s.g(ctx).Statement.ConnPool.QueryContext(ctx, q, userID, moduleIDs)
		if err != nil {
			return nil, db.Err(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := add(rows.Scan); err != nil {
				return nil, db.Err(err)
			}
		}
		return out, db.Err(rows.Err())
	}
	rows, err := s.pool.Query(ctx, q, userID, moduleIDs)
	if err != nil {
		return nil, db.Err(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := add(rows.Scan); err != nil {
			return nil, db.Err(err)
		}
	}
	return out, db.Err(rows.Err())
}

// CompletedLessons returns the completed lessons among lessonIDs.
func (s *Store) CompletedLessons(ctx context.Context, userID string, lessonIDs []string) (map[string]bool, error) {
	var ids []string
	err := s.g(ctx).Raw(`
		SELECT lesson_id FROM lesson_progress
		WHERE user_id = ? AND status = 'completed' AND lesson_id = ANY(?::uuid[])`,
		userID, db.StringArray(lessonIDs)).Scan(&ids).Error
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, db.Err(err)
}
