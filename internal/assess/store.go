package assess

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type instrumentRow struct {
	ID             string `gorm:"primaryKey;default:gen_random_uuid()"`
	Slug           string
	Title          string
	CurrentVersion int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName names the table for GORM.
func (instrumentRow) TableName() string { return "instruments" }

type versionRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	InstrumentID string
	Version      int
	ContentHash  string
	Definition   string
	ItemCount    int
	CreatedAt    time.Time
}

// TableName names the table for GORM.
func (versionRow) TableName() string { return "instrument_versions" }

type attemptRow struct {
	ID                  string `gorm:"primaryKey;default:gen_random_uuid()"`
	UserID              string
	InstrumentID        string
	InstrumentVersionID string
	Kind                string
	ItemOrder           db.StringArray `gorm:"type:text[]"`
	StartedAt           time.Time
	SubmittedAt         *time.Time
}

// TableName names the table for GORM.
func (attemptRow) TableName() string { return "attempts" }

type responseRow struct {
	AttemptID string
	ItemID    string
	Value     string
	UpdatedAt time.Time
}

type scoreRow struct {
	AttemptID  string
	Competency string
	Score      float64
	Likert     *float64
	SJT        *float64 `gorm:"column:sjt"`
}

// TableName names the table for GORM.
func (scoreRow) TableName() string { return "attempt_scores" }

// currentRow is an instrument with its current version.
type currentRow struct {
	InstrumentID string
	Slug         string
	VersionID    string
	Version      int
	ItemCount    int
}

// overviewRow summarises one learner's attempts on one instrument.
type overviewRow struct {
	InstrumentID    string
	BaselineDone    bool
	LastSubmittedAt *time.Time
	OpenAttemptID   *string
}

// historyRow is one competency score of one submitted attempt.
type historyRow struct {
	UserID       string
	InstrumentID string
	AttemptID    string
	Kind         string
	SubmittedAt  time.Time
	Competency   string
	Score        float64
}

// baselineResponseRow is one answer of a finished baseline.
type baselineResponseRow struct {
	AttemptID string
	ItemID    string
	Value     string
}

// store is the assessments' data access. Every method takes the *gorm.DB to use (the pool or a tx).
type store struct{}

const currentSelect = `
	SELECT i.id AS instrument_id, i.slug, v.id AS version_id, v.version, v.item_count
	FROM instruments i
	JOIN instrument_versions v ON v.instrument_id = i.id AND v.version = i.current_version`

// findCurrents lists every instrument with its current version, by slug.
func (store) findCurrents(ctx context.Context, g *gorm.DB) ([]currentRow, error) {
	var rows []currentRow
	err := g.WithContext(ctx).Raw(currentSelect + ` ORDER BY i.slug`).Scan(&rows).Error
	return rows, db.Err(err)
}

// findCurrent returns one instrument's current version.
func (store) findCurrent(ctx context.Context, g *gorm.DB, slug string) (currentRow, error) {
	var rows []currentRow
	err := g.WithContext(ctx).Raw(currentSelect+` WHERE i.slug = ?`, slug).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return currentRow{}, db.Err(err)
	}
	return rows[0], nil
}

// findDefinitions reads the definitions of the given versions.
func (store) findDefinitions(ctx context.Context, g *gorm.DB, versionIDs []string) ([]versionRow, error) {
	var rows []versionRow
	err := g.WithContext(ctx).Select("id", "definition").Where("id IN ?", versionIDs).Find(&rows).Error
	return rows, db.Err(err)
}

// insertInstrumentIfNew creates the instrument row unless the slug exists.
func (store) insertInstrumentIfNew(ctx context.Context, tx *gorm.DB, r *instrumentRow) error {
	return db.Err(tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r).Error)
}

// lockInstrument reads an instrument FOR UPDATE, so two imports of it serialise.
func (store) lockInstrument(ctx context.Context, tx *gorm.DB, slug string) (instrumentRow, error) {
	var r instrumentRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("slug = ?", slug).Take(&r).Error
	return r, db.Err(err)
}

// findVersionHash returns the content hash of an instrument's version ("" when there is none).
func (store) findVersionHash(ctx context.Context, g *gorm.DB, instrumentID string, version int) (string, error) {
	var hashes []string
	err := g.WithContext(ctx).Model(&versionRow{}).Where("instrument_id = ? AND version = ?", instrumentID, version).
		Pluck("content_hash", &hashes).Error
	if err != nil || len(hashes) == 0 {
		return "", db.Err(err)
	}
	return hashes[0], nil
}

// createVersion inserts a version and makes it the instrument's current one.
func (store) createVersion(ctx context.Context, tx *gorm.DB, v versionRow, title string) error {
	err := tx.WithContext(ctx).Exec(`INSERT INTO instrument_versions (instrument_id, version, content_hash, definition, item_count, created_at)
		VALUES (?, ?, ?, ?::jsonb, ?, ?)`, v.InstrumentID, v.Version, v.ContentHash, v.Definition, v.ItemCount, v.CreatedAt).Error
	if err != nil {
		return db.Err(err)
	}
	return db.Err(tx.WithContext(ctx).Model(&instrumentRow{}).Where("id = ?", v.InstrumentID).
		Updates(map[string]any{"current_version": v.Version, "title": title, "updated_at": v.CreatedAt}).Error)
}

// findOpenAttempt returns a learner's unfinished attempt of an instrument.
func (store) findOpenAttempt(ctx context.Context, g *gorm.DB, userID, instrumentID string) (attemptRow, error) {
	var r attemptRow
	err := g.WithContext(ctx).Where("user_id = ? AND instrument_id = ? AND submitted_at IS NULL", userID, instrumentID).Take(&r).Error
	return r, db.Err(err)
}

// lastSubmitted returns when a learner last submitted an attempt of an instrument (nil: never).
func (store) lastSubmitted(ctx context.Context, g *gorm.DB, userID, instrumentID string) (*time.Time, error) {
	var r struct{ At *time.Time }
	err := g.WithContext(ctx).Raw(`SELECT max(submitted_at) AS at FROM attempts
		WHERE user_id = ? AND instrument_id = ? AND submitted_at IS NOT NULL`, userID, instrumentID).Scan(&r).Error
	return r.At, db.Err(err)
}

// insertAttempt creates an attempt unless it collides with the learner's open attempt (or
// baseline); it reports whether it did.
func (store) insertAttempt(ctx context.Context, g *gorm.DB, r *attemptRow) (bool, error) {
	res := g.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r)
	return res.RowsAffected == 1, db.Err(res.Error)
}

func (store) findAttempt(ctx context.Context, g *gorm.DB, id string) (attemptRow, error) {
	var r attemptRow
	err := g.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r, db.Err(err)
}

// lockAttempt reads an attempt with a row lock: "SHARE" for autosaves (many may run together),
// "UPDATE" for submitting (which waits for them and then excludes them).
func (store) lockAttempt(ctx context.Context, tx *gorm.DB, id, strength string) (attemptRow, error) {
	var r attemptRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: strength}).Where("id = ?", id).Take(&r).Error
	return r, db.Err(err)
}

func (store) markSubmitted(ctx context.Context, tx *gorm.DB, id string, at time.Time) error {
	return db.Err(tx.WithContext(ctx).Model(&attemptRow{}).Where("id = ?", id).Update("submitted_at", at).Error)
}

func (store) findResponses(ctx context.Context, g *gorm.DB, attemptID string) ([]responseRow, error) {
	var rows []responseRow
	err := g.WithContext(ctx).Raw(`SELECT attempt_id, item_id, value::text AS value, updated_at FROM responses
		WHERE attempt_id = ?`, attemptID).Scan(&rows).Error
	return rows, db.Err(err)
}

// upsertResponses stores an attempt's answers (values[i] answers items[i], as JSON) in one
// statement, replacing earlier ones.
func (store) upsertResponses(ctx context.Context, g *gorm.DB, attemptID string, at time.Time, items, values []string) error {
	if len(items) == 0 {
		return nil
	}
	return db.Err(g.WithContext(ctx).Exec(`INSERT INTO responses (attempt_id, item_id, value, updated_at)
		SELECT CAST(? AS uuid), x.item_id, CAST(x.value AS jsonb), CAST(? AS timestamptz)
		FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS x(item_id, value)
		ON CONFLICT (attempt_id, item_id) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
		attemptID, at, db.StringArray(items), db.StringArray(values)).Error)
}

func (store) insertScores(ctx context.Context, tx *gorm.DB, rows []scoreRow) error {
	return db.Err(tx.WithContext(ctx).Create(&rows).Error)
}

func (store) findScores(ctx context.Context, g *gorm.DB, attemptID string) ([]scoreRow, error) {
	var rows []scoreRow
	err := g.WithContext(ctx).Raw(`SELECT attempt_id, competency, score::float8 AS score, likert::float8 AS likert,
		sjt::float8 AS sjt FROM attempt_scores WHERE attempt_id = ?`, attemptID).Scan(&rows).Error
	return rows, db.Err(err)
}

// findOverviews summarises a learner's attempts per instrument in one query.
func (store) findOverviews(ctx context.Context, g *gorm.DB, userID string) ([]overviewRow, error) {
	var rows []overviewRow
	err := g.WithContext(ctx).Raw(`
		SELECT instrument_id,
		       bool_or(kind = 'baseline' AND submitted_at IS NOT NULL) AS baseline_done,
		       max(submitted_at) AS last_submitted_at,
		       (array_agg(id::text) FILTER (WHERE submitted_at IS NULL))[1] AS open_attempt_id
		FROM attempts WHERE user_id = ? GROUP BY instrument_id`, userID).Scan(&rows).Error
	return rows, db.Err(err)
}

// findHistory lists every competency score of a learner's submitted attempts, oldest first, in
// one query however many attempts there are.
func (store) findHistory(ctx context.Context, g *gorm.DB, userID string) ([]historyRow, error) {
	var rows []historyRow
	err := g.WithContext(ctx).Raw(`
		SELECT a.user_id, a.instrument_id, a.id AS attempt_id, a.kind, a.submitted_at, s.competency, s.score::float8 AS score
		FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.user_id = ? AND a.submitted_at IS NOT NULL
		ORDER BY a.submitted_at, a.id`, userID).Scan(&rows).Error
	return rows, db.Err(err)
}

// findBaselineAndLatest lists, for many learners in one query, the competency scores of each
// one's baseline and latest submitted attempt of every instrument.
func (store) findBaselineAndLatest(ctx context.Context, g *gorm.DB, userIDs []string) ([]historyRow, error) {
	var rows []historyRow
	err := g.WithContext(ctx).Raw(`
		WITH mine AS (
		    SELECT id, user_id, instrument_id, kind, submitted_at FROM attempts
		    WHERE user_id IN ? AND submitted_at IS NOT NULL
		), latest AS (
		    -- one pass for everyone's latest attempt, instead of a sub-select per attempt
		    SELECT DISTINCT ON (user_id, instrument_id) id FROM mine
		    ORDER BY user_id, instrument_id, submitted_at DESC, id DESC
		)
		SELECT a.user_id, a.instrument_id, a.id AS attempt_id, a.kind, a.submitted_at, s.competency, s.score::float8 AS score
		FROM mine a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.kind = 'baseline' OR a.id IN (SELECT id FROM latest)
		ORDER BY a.user_id, a.submitted_at, a.id`, userIDs).Scan(&rows).Error
	return rows, db.Err(err)
}

// findBaselineResponses lists every answer of every finished baseline of an instrument.
func (store) findBaselineResponses(ctx context.Context, g *gorm.DB, instrumentID string) ([]baselineResponseRow, error) {
	var rows []baselineResponseRow
	err := g.WithContext(ctx).Raw(`
		SELECT r.attempt_id, r.item_id, r.value::text AS value
		FROM attempts a JOIN responses r ON r.attempt_id = a.id
		WHERE a.instrument_id = ? AND a.kind = 'baseline' AND a.submitted_at IS NOT NULL`, instrumentID).Scan(&rows).Error
	return rows, db.Err(err)
}

// findBaselineScores lists every finished baseline's competency scores of an instrument.
func (store) findBaselineScores(ctx context.Context, g *gorm.DB, instrumentID string) ([]historyRow, error) {
	var rows []historyRow
	err := g.WithContext(ctx).Raw(`
		SELECT a.user_id, a.instrument_id, a.id AS attempt_id, a.kind, a.submitted_at, s.competency, s.score::float8 AS score
		FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.instrument_id = ? AND a.kind = 'baseline' AND a.submitted_at IS NOT NULL`, instrumentID).Scan(&rows).Error
	return rows, db.Err(err)
}
