package teams

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// ExportUser is teams' section of a data export: memberships, assignments addressed to the
// user and recognitions received (with the giver's name, or "a former member").
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT json_build_object(
			'memberships', (SELECT coalesce(json_agg(json_build_object('team_id', t.id, 'team', t.name,
				'role', m.role, 'is_learner', m.is_learner, 'joined_at', m.joined_at, 'removed_at', m.removed_at)
				ORDER BY m.joined_at), '[]')
				FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = @u),
			'assignments', (SELECT coalesce(json_agg(json_build_object('team', t.name, 'module', a.module_slug,
				'module_title', a.module_title, 'due_at', a.due_at) ORDER BY a.due_at), '[]')
				FROM assignment_targets x JOIN assignments a ON a.id = x.assignment_id JOIN teams t ON t.id = a.team_id
				WHERE x.user_id = @u),
			'recognitions_received', (SELECT coalesce(json_agg(json_build_object('team', t.name,
				'from', coalesce(f.name, @former), 'kind', r.kind, 'message', r.message, 'created_at', r.created_at)
				ORDER BY r.created_at), '[]')
				FROM recognitions r JOIN teams t ON t.id = r.team_id LEFT JOIN users f ON f.id = r.from_user_id
				WHERE r.to_user_id = @u))`, map[string]any{"u": userID, "former": FormerMember})
}

// FindSoleManagedTeams names the teams where the user is the only active manager and someone
// else is still an active member.
func (s *Store) FindSoleManagedTeams(ctx context.Context, userID string) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Raw(`
		SELECT t.name FROM team_members me JOIN teams t ON t.id = me.team_id
		WHERE me.user_id = ? AND me.role = 'manager' AND me.removed_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM team_members o WHERE o.team_id = me.team_id AND o.user_id <> me.user_id
		                  AND o.role = 'manager' AND o.removed_at IS NULL)
		  AND EXISTS (SELECT 1 FROM team_members o WHERE o.team_id = me.team_id AND o.user_id <> me.user_id
		              AND o.removed_at IS NULL)
		ORDER BY t.name`, userID).Scan(&names).Error
	return names, db.Err(err)
}
