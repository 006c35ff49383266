package assess

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

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

func (r attemptRow) toAttempt() Attempt {
	return Attempt{ID: r.ID, UserID: r.UserID, Kind: r.Kind, InstrumentID: r.InstrumentID, VersionID: r.InstrumentVersionID,
		ItemOrder: r.ItemOrder, StartedAt: r.StartedAt.UTC(), SubmittedAt: utcPtr(r.SubmittedAt)}
}

type responseRow struct {
	ItemID string
	Value  string
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

// FindOpenAttempt returns a learner's unfinished attempt of an instrument.
func (s *Store) FindOpenAttempt(ctx context.Context, userID, instrumentID string) (Attempt, error) {
	var r attemptRow
	err := s.db.WithContext(ctx).Where("user_id = ? AND instrument_id = ? AND submitted_at IS NULL", userID, instrumentID).Take(&r).Error
	return r.toAttempt(), db.Err(err)
}

// LastSubmitted returns when a learner last submitted an attempt of an instrument (nil: never).
func (s *Store) LastSubmitted(ctx context.Context, userID, instrumentID string) (*time.Time, error) {
	var r struct{ At *time.Time }
	err := s.db.WithContext(ctx).Raw(`SELECT max(submitted_at) AS at FROM attempts
		WHERE user_id = ? AND instrument_id = ? AND submitted_at IS NOT NULL`, userID, instrumentID).Scan(&r).Error
	return r.At, db.Err(err)
}

// CreateAttempt inserts an attempt and fills in its id, unless it collides with the learner's
// unfinished attempt (or baseline) of the instrument; it reports whether it did.
func (s *Store) CreateAttempt(ctx context.Context, a *Attempt) (bool, error) {
	r := attemptRow{UserID: a.UserID, InstrumentID: a.InstrumentID, InstrumentVersionID: a.VersionID, Kind: a.Kind,
		ItemOrder: a.ItemOrder, StartedAt: a.StartedAt}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	a.ID = r.ID
	return res.RowsAffected == 1, db.Err(res.Error)
}

// FindAttempt reads an attempt (without its answers and scores).
func (s *Store) FindAttempt(ctx context.Context, id string) (Attempt, error) {
	var r attemptRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r.toAttempt(), db.Err(err)
}

// LockAttempt reads an attempt FOR UPDATE (call it inside Tx): submitting waits for the autosaves
// under way and then excludes them.
func (s *Store) LockAttempt(ctx context.Context, id string) (Attempt, error) {
	return s.lockAttempt(ctx, id, "UPDATE")
}

// LockAttemptShared reads an attempt FOR SHARE (call it inside Tx): autosaves may run together,
// but never while the attempt is being submitted.
func (s *Store) LockAttemptShared(ctx context.Context, id string) (Attempt, error) {
	return s.lockAttempt(ctx, id, "SHARE")
}

func (s *Store) lockAttempt(ctx context.Context, id, strength string) (Attempt, error) {
	var r attemptRow
	err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: strength}).Where("id = ?", id).Take(&r).Error
	return r.toAttempt(), db.Err(err)
}

// MarkSubmitted records when an attempt was submitted.
func (s *Store) MarkSubmitted(ctx context.Context, id string, at time.Time) error {
	return db.Err(s.db.WithContext(ctx).Model(&attemptRow{}).Where("id = ?", id).Update("submitted_at", at).Error)
}

// FindResponses returns an attempt's answers by item id, as stored JSON.
func (s *Store) FindResponses(ctx context.Context, attemptID string) (map[string]json.RawMessage, error) {
	var rows []responseRow
	err := s.db.WithContext(ctx).Raw(`SELECT item_id, value::text AS value FROM responses
		WHERE attempt_id = ?`, attemptID).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	out := make(map[string]json.RawMessage, len(rows))
	for _, r := range rows {
		out[r.ItemID] = json.RawMessage(r.Value)
	}
	return out, nil
}

// SaveResponses stores an attempt's answers (values[i] answers items[i], as JSON) in one
// statement, replacing earlier ones.
func (s *Store) SaveResponses(ctx context.Context, attemptID string, at time.Time, items, values []string) error {
	if len(items) == 0 {
		return nil
	}
	return db.Err(s.db.WithContext(ctx).Exec(`INSERT INTO responses (attempt_id, item_id, value, updated_at)
		SELECT CAST(? AS uuid), x.item_id, CAST(x.value AS jsonb), CAST(? AS timestamptz)
		FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS x(item_id, value)
		ON CONFLICT (attempt_id, item_id) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
		attemptID, at, db.StringArray(items), db.StringArray(values)).Error)
}

// CreateScores stores a submitted attempt's competency scores.
func (s *Store) CreateScores(ctx context.Context, attemptID string, scores []Score) error {
	rows := make([]scoreRow, len(scores))
	for i, sc := range scores {
		rows[i] = scoreRow{AttemptID: attemptID, Competency: sc.Competency, Score: sc.Score, Likert: sc.Likert, SJT: sc.SJT}
	}
	return db.Err(s.db.WithContext(ctx).Create(&rows).Error)
}

// FindScores returns a submitted attempt's competency scores, in no particular order.
func (s *Store) FindScores(ctx context.Context, attemptID string) ([]Score, error) {
	var rows []scoreRow
	err := s.db.WithContext(ctx).Raw(`SELECT attempt_id, competency, score::float8 AS score, likert::float8 AS likert,
		sjt::float8 AS sjt FROM attempt_scores WHERE attempt_id = ?`, attemptID).Scan(&rows).Error
	out := make([]Score, len(rows))
	for i, r := range rows {
		out[i] = Score{Competency: r.Competency, Score: r.Score, Likert: r.Likert, SJT: r.SJT}
	}
	return out, db.Err(err)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
