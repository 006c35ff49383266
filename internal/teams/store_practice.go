package teams

import (
	"context"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// PracticeManager is a manager to e-mail about a rep's practice attempt.
type PracticeManager struct {
	UserID string
	Name   string
	Email  string
}

// FindManagersOfLearner lists the active managers of every team where the user holds a seat
// (the user left out), each once, with name and address.
func (s *Store) FindManagersOfLearner(ctx context.Context, userID string) ([]PracticeManager, error) {
	var out []PracticeManager
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT u.id AS user_id, u.name, u.email
		FROM team_members m
		JOIN team_members g ON g.team_id = m.team_id AND g.role = ? AND g.removed_at IS NULL AND g.user_id <> m.user_id
		JOIN users u ON u.id = g.user_id
		WHERE m.user_id = ? AND `+seatHolder+`
		ORDER BY u.name, u.id`, RoleManager, userID).Scan(&out).Error
	return out, db.Err(err)
}

// ManagesLearner reports whether managerID actively manages a team where userID holds a seat.
func (s *Store) ManagesLearner(ctx context.Context, managerID, userID string) (bool, error) {
	var ok bool
	err := s.db.WithContext(ctx).Raw(`
		SELECT EXISTS (SELECT 1 FROM team_members m
			JOIN team_members g ON g.team_id = m.team_id AND g.user_id = ? AND g.role = ? AND g.removed_at IS NULL
			WHERE m.user_id = ? AND `+seatHolder+`)`, managerID, RoleManager, userID).Scan(&ok).Error
	return ok, db.Err(err)
}

// FindManagedLearners lists the seat holders of every team managerID actively manages.
func (s *Store) FindManagedLearners(ctx context.Context, managerID string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT m.user_id FROM team_members g
		JOIN team_members m ON m.team_id = g.team_id AND `+seatHolder+`
		WHERE g.user_id = ? AND g.role = ? AND g.removed_at IS NULL AND m.user_id <> g.user_id
		ORDER BY m.user_id`, managerID, RoleManager).Scan(&ids).Error
	return ids, db.Err(err)
}

// FindTeammates returns which candidates are active members of a team where userID is one.
func (s *Store) FindTeammates(ctx context.Context, userID string, candidates []string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT o.user_id FROM team_members m
		JOIN team_members o ON o.team_id = m.team_id AND o.removed_at IS NULL
		WHERE m.user_id = ? AND m.removed_at IS NULL AND o.user_id IN ?`, userID, candidates).Scan(&ids).Error
	return ids, db.Err(err)
}
