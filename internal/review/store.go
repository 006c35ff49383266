package review

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type cardRow struct {
	UserID     string `gorm:"primaryKey"`
	CheckID    string `gorm:"primaryKey"`
	Box        int
	DueAt      time.Time
	AnsweredAt time.Time
}

func (cardRow) TableName() string { return "review_cards" }

func (r cardRow) toCard() Card {
	return Card{UserID: r.UserID, CheckID: r.CheckID, Box: r.Box, DueAt: r.DueAt, AnsweredAt: r.AnsweredAt}
}

type answerRow struct {
	ID         string `gorm:"primaryKey;default:gen_random_uuid()"`
	UserID     string
	CheckID    string
	OptionID   string
	Correct    bool
	Scheduled  bool
	Seconds    int
	AnsweredAt time.Time
}

func (answerRow) TableName() string { return "check_answers" }

// Answer is one answer as recorded.
type Answer struct {
	ID        string
	CheckID   string
	OptionID  string
	Correct   bool
	Scheduled bool
	Seconds   int
	At        time.Time
}

// Store is the review domain's data access: review_cards and check_answers.
type Store struct{ db *gorm.DB }

// NewStore returns a store on the process's database.
func NewStore(d *db.DB) *Store { return &Store{db: d.Gorm} }

// Tx runs fn in one transaction with a Store bound to it.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(&Store{db: tx}) }))
}

// LockCard reads a learner's card for a check (the zero Card when they never answered it) and
// holds a lock on that pair until the transaction ends, so two answers sent at once apply one
// after the other (a card that does not exist yet has no row to lock, hence the advisory lock).
func (s *Store) LockCard(ctx context.Context, userID, checkID string) (Card, error) {
	g := s.db.WithContext(ctx)
	if err := g.Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 7377))`, "review:"+userID+":"+checkID).Error; err != nil {
		return Card{}, db.Err(err)
	}
	var rows []cardRow
	if err := g.Where("user_id = ? AND check_id = ?", userID, checkID).Limit(1).Find(&rows).Error; err != nil {
		return Card{}, db.Err(err)
	}
	if len(rows) == 0 {
		return Card{UserID: userID, CheckID: checkID}, nil
	}
	return rows[0].toCard(), nil
}

// SaveCard writes a card (insert or update).
func (s *Store) SaveCard(ctx context.Context, c Card) error {
	r := cardRow{UserID: c.UserID, CheckID: c.CheckID, Box: c.Box, DueAt: c.DueAt, AnsweredAt: c.AnsweredAt}
	return db.Err(s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "check_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"box", "due_at", "answered_at"}),
	}).Create(&r).Error)
}

// CreateAnswer records an answer and fills in its id.
func (s *Store) CreateAnswer(ctx context.Context, userID string, a *Answer) error {
	r := answerRow{UserID: userID, CheckID: a.CheckID, OptionID: a.OptionID, Correct: a.Correct, Scheduled: a.Scheduled,
		Seconds: a.Seconds, AnsweredAt: a.At}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return db.Err(err)
	}
	a.ID = r.ID
	return nil
}

// FindCards lists every card of a learner (one per check they answered: at most the course's
// checks).
func (s *Store) FindCards(ctx context.Context, userID string) ([]Card, error) {
	var rows []cardRow
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Find(&rows).Error
	out := make([]Card, len(rows))
	for i, r := range rows {
		out[i] = r.toCard()
	}
	return out, db.Err(err)
}

// FindDueCheckIDs lists the checks due at at for each of the learners, in one query.
func (s *Store) FindDueCheckIDs(ctx context.Context, userIDs []string, at time.Time) (map[string][]string, error) {
	var rows []cardRow
	err := s.db.WithContext(ctx).Select("user_id", "check_id").
		Where("user_id = ANY(CAST(? AS uuid[])) AND due_at <= ?", db.StringArray(userIDs), at).Find(&rows).Error
	out := map[string][]string{}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.CheckID)
	}
	return out, db.Err(err)
}
