package pulse

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// Store is the pulse data access, the only code that knows the pulses table. Besides it, it reads
// identity's users table (the rep's name on the buyer's page, read with the pulse in one
// statement) and touches River's river_job rows of its own invitation kind only (to strip the
// buyer's address once the mail is sent, and to drop an unsent invitation with its pulse).
type Store struct {
	db   *gorm.DB
	jobs *jobs.Inserter
}

// NewStore returns the store on d; its invitation jobs are inserted through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store { return &Store{db: d.Gorm, jobs: ins} }

// Tx runs fn in one transaction; fn gets a Store bound to it. An error from fn rolls back every
// write and every job fn made.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, jobs: s.jobs})
	}))
}

type pulseRow struct {
	ID                  string `gorm:"primaryKey;default:gen_random_uuid()"`
	UserID              string
	TokenHash           []byte
	Meeting             string
	PredictedClarity    int
	PredictedUnderstood int
	PredictedAgain      int
	CreatedAt           time.Time
	ExpiresAt           time.Time
	AnsweredAt          *time.Time
	Clarity             *int
	Understood          *int
	Again               *int
	Comment             *string
}

func (pulseRow) TableName() string { return "pulses" }

func (r pulseRow) toPulse(repName string) Pulse {
	p := Pulse{ID: r.ID, UserID: r.UserID, RepName: repName, Meeting: r.Meeting,
		Prediction: Scores{r.PredictedClarity, r.PredictedUnderstood, r.PredictedAgain},
		CreatedAt:  r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
	if r.AnsweredAt != nil && r.Clarity != nil && r.Understood != nil && r.Again != nil {
		p.Response = &Response{Scores: Scores{*r.Clarity, *r.Understood, *r.Again}, AnsweredAt: r.AnsweredAt.UTC()}
		if r.Comment != nil {
			p.Response.Comment = *r.Comment
		}
	}
	return p
}

// LockRep serialises pulse creation per rep for the rest of the transaction, so two requests at
// once cannot both pass the daily limit.
func (s *Store) LockRep(ctx context.Context, userID string) error {
	return db.Err(s.db.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended('pulse-create:' || ?, 0))`, userID).Error)
}

// CountCreatedSince counts the rep's pulses created at or after since, with the oldest's time.
func (s *Store) CountCreatedSince(ctx context.Context, userID string, since time.Time) (int, time.Time, error) {
	var out struct {
		N      int
		Oldest *time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) AS n, min(created_at) AS oldest FROM pulses
		WHERE user_id = ? AND created_at >= ?`, userID, since).Scan(&out).Error
	var oldest time.Time
	if out.Oldest != nil {
		oldest = out.Oldest.UTC()
	}
	return out.N, oldest, db.Err(err)
}

// CreatePulse stores a new pulse under tokenHash and returns it with its id.
func (s *Store) CreatePulse(ctx context.Context, p Pulse, tokenHash []byte) (Pulse, error) {
	row := pulseRow{UserID: p.UserID, TokenHash: tokenHash, Meeting: p.Meeting,
		PredictedClarity: p.Prediction.Clarity, PredictedUnderstood: p.Prediction.Understood,
		PredictedAgain: p.Prediction.Again, CreatedAt: p.CreatedAt, ExpiresAt: p.ExpiresAt}
	err := s.db.WithContext(ctx).Create(&row).Error
	p.ID = row.ID
	return p, db.Err(err)
}

// EnqueueInvite queues the invitation mail. Inside Tx it commits with the pulse or not at all.
func (s *Store) EnqueueInvite(ctx context.Context, a InviteArgs) error {
	return db.InsertJob(ctx, s.db, s.jobs, a)
}

// ForgetInvite replaces a sent (or finally failed) invitation job's arguments with the pulse id
// alone, so River's record of the job keeps neither the buyer's address nor the link.
func (s *Store) ForgetInvite(ctx context.Context, jobID int64, pulseID string) error {
	return db.Err(s.db.WithContext(ctx).Exec(`UPDATE river_job SET args = jsonb_build_object('pulse_id', ?::text)
		WHERE id = ? AND kind = ?`, pulseID, jobID, InviteArgs{}.Kind()).Error)
}

// FindMine lists the rep's pulses, newest first.
func (s *Store) FindMine(ctx context.Context, userID string) ([]Pulse, error) {
	var rows []pulseRow
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Find(&rows).Error
	out := make([]Pulse, len(rows))
	for i, r := range rows {
		out[i] = r.toPulse("")
	}
	return out, db.Err(err)
}

// FindByToken reads the pulse whose token hashes to hash, with the rep's name (reading users);
// lock holds the row until the transaction ends. NotFound when there is none.
func (s *Store) FindByToken(ctx context.Context, hash []byte, lock bool) (Pulse, error) {
	var line struct {
		Pulse   pulseRow `gorm:"embedded"`
		RepName string
	}
	q := `SELECT p.*, u.name AS rep_name FROM pulses p JOIN users u ON u.id = p.user_id WHERE p.token_hash = ?`
	if lock {
		q += ` FOR UPDATE OF p`
	}
	res := s.db.WithContext(ctx).Raw(q, hash).Scan(&line)
	if res.Error != nil {
		return Pulse{}, db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return Pulse{}, ErrUnknown
	}
	return line.Pulse.toPulse(line.RepName), nil
}

// SaveResponse records the buyer's answer on a pulse not answered yet; Conflict when it was.
func (s *Store) SaveResponse(ctx context.Context, id string, r Response) error {
	var comment *string
	if r.Comment != "" {
		comment = &r.Comment
	}
	res := s.db.WithContext(ctx).Model(&pulseRow{}).Where("id = ? AND answered_at IS NULL", id).Updates(map[string]any{
		"answered_at": r.AnsweredAt, "clarity": r.Clarity, "understood": r.Understood, "again": r.Again, "comment": comment,
	})
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrAnswered
	}
	return nil
}

// DeleteMine deletes the rep's pulse with its answer, and its invitation when still unsent;
// NotFound when the rep has no such pulse.
func (s *Store) DeleteMine(ctx context.Context, id, userID string) error {
	res := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Delete(&pulseRow{})
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return errNoPulse
	}
	return db.Err(s.db.WithContext(ctx).Exec(`DELETE FROM river_job WHERE kind = ? AND args->>'pulse_id' = ?
		AND state IN ('available', 'scheduled', 'retryable', 'pending')`, InviteArgs{}.Kind(), id).Error)
}

// AnsweredPulseOf reports whether pulse id belongs to userID and was answered.
func (s *Store) AnsweredPulseOf(ctx context.Context, id, userID string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&pulseRow{}).Where("id = ? AND user_id = ? AND answered_at IS NOT NULL", id, userID).Count(&n).Error
	return n > 0, db.Err(err)
}

// AnswerSums counts each rep's answered pulses and sums their answers, for the managers'
// aggregates, in one query for all of userIDs. Comments are never read.
func (s *Store) AnswerSums(ctx context.Context, userIDs []string) (map[string]answerSum, error) {
	out := make(map[string]answerSum, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID     string
		N          int
		Clarity    int
		Understood int
		Again      int
	}
	err := s.db.WithContext(ctx).Raw(`SELECT user_id, count(*) AS n, sum(clarity) AS clarity,
		sum(understood) AS understood, sum(again) AS again
		FROM pulses WHERE user_id IN ? AND answered_at IS NOT NULL GROUP BY user_id`, userIDs).Scan(&rows).Error
	for _, r := range rows {
		out[r.UserID] = answerSum{N: r.N, Sum: Scores{r.Clarity, r.Understood, r.Again}}
	}
	return out, db.Err(err)
}

type answerSum struct {
	N   int
	Sum Scores
}

// FindAnsweredSince lists the pulses of userIDs answered at or after since (no comments), for
// the managers' weekly digest.
func (s *Store) FindAnsweredSince(ctx context.Context, userIDs []string, since time.Time) ([]Pulse, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	var rows []pulseRow
	err := s.db.WithContext(ctx).Select("id, user_id, meeting, predicted_clarity, predicted_understood, predicted_again, created_at, expires_at, answered_at, clarity, understood, again").
		Where("user_id IN ? AND answered_at >= ?", userIDs, since).Order("answered_at DESC").Find(&rows).Error
	out := make([]Pulse, len(rows))
	for i, r := range rows {
		out[i] = r.toPulse("")
	}
	return out, db.Err(err)
}

// FindRepName reads the rep's display name (reading users), for the invitation mail.
func (s *Store) FindRepName(ctx context.Context, userID string) (string, error) {
	var name string
	err := s.db.WithContext(ctx).Raw(`SELECT name FROM users WHERE id = ?`, userID).Scan(&name).Error
	return name, db.Err(err)
}

// WeeklySums sums the answers of userIDs answered at or after since, per week (Monday, UTC), with
// each answer's prediction error, in one query for the whole group. Comments are never read.
func (s *Store) WeeklySums(ctx context.Context, userIDs []string, since time.Time) ([]WeekSum, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	var rows []struct {
		Week       time.Time
		N          int
		Clarity    int
		Understood int
		Again      int
		ErrSum     float64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT date_trunc('week', answered_at AT TIME ZONE 'UTC') AS week, count(*) AS n,
		sum(clarity) AS clarity, sum(understood) AS understood, sum(again) AS again,
		sum((abs(predicted_clarity - clarity) + abs(predicted_understood - understood) + abs(predicted_again - again)) / 3.0) AS err_sum
		FROM pulses WHERE user_id IN ? AND answered_at >= ? GROUP BY 1 ORDER BY 1`, userIDs, since).Scan(&rows).Error
	out := make([]WeekSum, len(rows))
	for i, r := range rows {
		w := r.Week
		out[i] = WeekSum{WeekStart: time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC), N: r.N,
			Sum: Scores{r.Clarity, r.Understood, r.Again}, ErrSum: r.ErrSum}
	}
	return out, db.Err(err)
}
