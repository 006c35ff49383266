package assess

import (
	"context"
	"encoding/json"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// baselineResponseRow is one answer of a finished baseline.
type baselineResponseRow struct {
	AttemptID string
	ItemID    string
	Value     string
}

// FindStandings summarises a learner's attempts per instrument in one query (instruments never
// attempted are absent).
func (s *Store) FindStandings(ctx context.Context, userID string) ([]Standing, error) {
	var out []Standing
	err := s.db.WithContext(ctx).Raw(`
		SELECT instrument_id,
		       bool_or(kind = ? AND submitted_at IS NOT NULL) AS baseline_done,
		       max(submitted_at) AS last_submitted_at,
		       (array_agg(id::text) FILTER (WHERE submitted_at IS NULL))[1] AS open_attempt_id
		FROM attempts WHERE user_id = ? GROUP BY instrument_id`, KindBaseline, userID).Scan(&out).Error
	for i := range out {
		out[i].LastSubmittedAt = utcPtr(out[i].LastSubmittedAt)
	}
	return out, db.Err(err)
}

// scoreColumns are the columns of a ScoreRecord, from attempts a joined to attempt_scores s.
const scoreColumns = `SELECT a.user_id, a.instrument_id, a.id AS attempt_id, a.kind, a.submitted_at, s.competency,
	s.score::float8 AS score`

// findScoreRecords runs a query selecting scoreColumns.
func (s *Store) findScoreRecords(ctx context.Context, sql string, args ...any) ([]ScoreRecord, error) {
	var out []ScoreRecord
	err := s.db.WithContext(ctx).Raw(sql, args...).Scan(&out).Error
	return out, db.Err(err)
}

// FindHistory lists every competency score of a learner's submitted attempts, oldest first, in
// one query however many attempts there are.
func (s *Store) FindHistory(ctx context.Context, userID string) ([]ScoreRecord, error) {
	return s.findScoreRecords(ctx, scoreColumns+`
		FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.user_id = ? AND a.submitted_at IS NOT NULL
		ORDER BY a.submitted_at, a.id`, userID)
}

// FindBaselineAndLatest lists, for many learners in one query, the competency scores of each
// one's baseline and latest submitted attempt of every instrument.
func (s *Store) FindBaselineAndLatest(ctx context.Context, userIDs []string) ([]ScoreRecord, error) {
	return s.findScoreRecords(ctx, `
		WITH mine AS (
		    SELECT id, user_id, instrument_id, kind, submitted_at FROM attempts
		    WHERE user_id IN ? AND submitted_at IS NOT NULL
		), latest AS (
		    -- one pass for everyone's latest attempt, instead of a sub-select per attempt
		    SELECT DISTINCT ON (user_id, instrument_id) id FROM mine
		    ORDER BY user_id, instrument_id, submitted_at DESC, id DESC
		)
		`+scoreColumns+`
		FROM mine a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.kind = ? OR a.id IN (SELECT id FROM latest)
		ORDER BY a.user_id, a.submitted_at, a.id`, userIDs, KindBaseline)
}

// FindBaselineAnswers lists every answer of every finished baseline of an instrument.
func (s *Store) FindBaselineAnswers(ctx context.Context, instrumentID string) ([]BaselineAnswer, error) {
	var rows []baselineResponseRow
	err := s.db.WithContext(ctx).Raw(`
		SELECT r.attempt_id, r.item_id, r.value::text AS value
		FROM attempts a JOIN responses r ON r.attempt_id = a.id
		WHERE a.instrument_id = ? AND a.kind = ? AND a.submitted_at IS NOT NULL`, instrumentID, KindBaseline).Scan(&rows).Error
	out := make([]BaselineAnswer, len(rows))
	for i, r := range rows {
		out[i] = BaselineAnswer{AttemptID: r.AttemptID, ItemID: r.ItemID, Value: json.RawMessage(r.Value)}
	}
	return out, db.Err(err)
}

// FindBaselineScores lists every finished baseline's competency scores of an instrument.
func (s *Store) FindBaselineScores(ctx context.Context, instrumentID string) ([]ScoreRecord, error) {
	return s.findScoreRecords(ctx, scoreColumns+`
		FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.instrument_id = ? AND a.kind = ? AND a.submitted_at IS NOT NULL`, instrumentID, KindBaseline)
}

// FindFirstTwo lists the competency scores of every learner's first two submitted attempts of an
// instrument (the baseline and the next one), in one query.
func (s *Store) FindFirstTwo(ctx context.Context, instrumentID string) ([]ScoreRecord, error) {
	return s.findScoreRecords(ctx, `
		WITH firsts AS (
		    SELECT id, user_id, instrument_id, kind, submitted_at,
		           row_number() OVER (PARTITION BY user_id ORDER BY submitted_at, id) AS n
		    FROM attempts WHERE instrument_id = ? AND submitted_at IS NOT NULL
		)
		`+scoreColumns+`
		FROM firsts a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.n <= 2 AND a.user_id IN (SELECT user_id FROM firsts WHERE n = 2)`, instrumentID)
}

// submittedAnswerRow is one answer of a submitted attempt.
type submittedAnswerRow struct {
	AttemptID   string
	UserID      string
	Kind        string
	SubmittedAt time.Time
	ItemID      string
	Value       string
}

// SubmittedAnswer is one stored answer of a submitted attempt, with its attempt.
type SubmittedAnswer struct {
	AttemptID   string
	UserID      string
	Kind        string
	SubmittedAt time.Time
	ItemID      string
	Value       json.RawMessage
}

// FindSubmittedAnswers lists every answer of every submitted attempt of an instrument, attempts
// oldest first, in one query.
func (s *Store) FindSubmittedAnswers(ctx context.Context, instrumentID string) ([]SubmittedAnswer, error) {
	var rows []submittedAnswerRow
	err := s.db.WithContext(ctx).Raw(`
		SELECT a.id AS attempt_id, a.user_id, a.kind, a.submitted_at, r.item_id, r.value::text AS value
		FROM attempts a JOIN responses r ON r.attempt_id = a.id
		WHERE a.instrument_id = ? AND a.submitted_at IS NOT NULL
		ORDER BY a.submitted_at, a.id, r.item_id`, instrumentID).Scan(&rows).Error
	out := make([]SubmittedAnswer, len(rows))
	for i, r := range rows {
		out[i] = SubmittedAnswer{AttemptID: r.AttemptID, UserID: r.UserID, Kind: r.Kind, SubmittedAt: r.SubmittedAt,
			ItemID: r.ItemID, Value: json.RawMessage(r.Value)}
	}
	return out, db.Err(err)
}

// Setting returns the stored value of a process-wide setting, storing value first when there is
// none (so concurrent first calls agree on one).
func (s *Store) Setting(ctx context.Context, key, value string) (string, error) {
	err := s.db.WithContext(ctx).Exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value).Error
	if err != nil {
		return "", db.Err(err)
	}
	var v string
	err = s.db.WithContext(ctx).Raw("SELECT value FROM settings WHERE key = ?", key).Scan(&v).Error
	return v, db.Err(err)
}
