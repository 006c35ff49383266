package teams

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type recognitionRow struct {
	ID         string `gorm:"primaryKey;default:gen_random_uuid()"`
	TeamID     string
	FromUserID *string
	ToUserID   string
	Message    string
	Kind       string
	CreatedAt  time.Time
	Competency *string
	// EvidenceKind, EvidenceID (a pulse or a submission) and EvidenceText (a note, or the
	// submission's activity title) are the evidence, all nil when there is none.
	EvidenceKind *string
	EvidenceID   *string
	EvidenceText *string
}

func (r recognitionRow) evidence() *Evidence {
	if r.EvidenceKind == nil {
		return nil
	}
	if *r.EvidenceKind == EvidenceSubmission {
		return &Evidence{Kind: *r.EvidenceKind, ID: deref(r.EvidenceID), Title: deref(r.EvidenceText)}
	}
	return &Evidence{Kind: *r.EvidenceKind, ID: deref(r.EvidenceID), Text: deref(r.EvidenceText)}
}

func (recognitionRow) TableName() string { return "recognitions" }

// CreateRecognition stores a recognition and returns it with its id.
func (s *Store) CreateRecognition(ctx context.Context, r Recognition) (Recognition, error) {
	row := recognitionRow{TeamID: r.TeamID, FromUserID: ptr(r.FromID), ToUserID: r.ToID, Message: r.Message, Kind: r.Kind,
		CreatedAt: r.CreatedAt, Competency: ptr(r.Competency)}
	if e := r.Evidence; e != nil {
		row.EvidenceKind, row.EvidenceID, row.EvidenceText = &e.Kind, ptr(e.ID), ptr(e.Text)
		if e.Kind == EvidenceSubmission {
			row.EvidenceText = ptr(e.Title)
		}
	}
	err := s.db.WithContext(ctx).Create(&row).Error
	r.ID = row.ID
	return r, db.Err(err)
}

// RecognitionFilter selects recognitions: a team's feed (TeamID set) or those a user received
// (ToUserID set), before Before when it is not zero, at most Limit.
type RecognitionFilter struct {
	TeamID   string
	ToUserID string
	Before   time.Time
	Limit    int
}

// FindRecognitions lists recognitions newest first with their team's and people's names
// (reading users).
func (s *Store) FindRecognitions(ctx context.Context, f RecognitionFilter) ([]Recognition, error) {
	var lines []struct {
		Recognition recognitionRow `gorm:"embedded"`
		TeamName    string
		FromName    *string
		ToName      string
	}
	where, args := ` WHERE true`, map[string]any{"limit": f.Limit}
	if f.TeamID != "" {
		where += ` AND r.team_id = @team`
		args["team"] = f.TeamID
	}
	if f.ToUserID != "" {
		where += ` AND r.to_user_id = @to`
		args["to"] = f.ToUserID
	}
	if !f.Before.IsZero() {
		where += ` AND r.created_at < @before`
		args["before"] = f.Before
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT r.*, t.name AS team_name, f.name AS from_name, tu.name AS to_name
		FROM recognitions r
		JOIN teams t ON t.id = r.team_id
		LEFT JOIN users f ON f.id = r.from_user_id
		JOIN users tu ON tu.id = r.to_user_id`+where+` ORDER BY r.created_at DESC, r.id DESC LIMIT @limit`, args).
		Scan(&lines).Error
	out := make([]Recognition, len(lines))
	for i, l := range lines {
		r := l.Recognition
		out[i] = Recognition{ID: r.ID, TeamID: r.TeamID, TeamName: l.TeamName, FromID: deref(r.FromUserID),
			FromName: fromName(r.FromUserID, l.FromName), ToID: r.ToUserID, ToName: l.ToName, Message: r.Message, Kind: r.Kind,
			CreatedAt: r.CreatedAt.UTC(), Competency: deref(r.Competency), Evidence: r.evidence()}
	}
	return out, db.Err(err)
}
