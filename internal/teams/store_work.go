package teams

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type assignmentRow struct {
	ID          string `gorm:"primaryKey;default:gen_random_uuid()"`
	TeamID      string
	ModuleID    string
	ModuleSlug  string
	ModuleTitle string
	DueAt       time.Time
	CreatedBy   *string
	CreatedAt   time.Time
}

func (assignmentRow) TableName() string { return "assignments" }

type targetRow struct {
	AssignmentID string `gorm:"primaryKey"`
	UserID       string `gorm:"primaryKey"`
	RemindedAt   *time.Time
}

func (targetRow) TableName() string { return "assignment_targets" }

// assignmentLine is one (assignment, target) pair with the names lists show. TargetID is nil for
// an assignment none of whose targets is still on the team.
type assignmentLine struct {
	Assignment  assignmentRow `gorm:"embedded"`
	TeamName    string
	CreatorName *string
	TargetID    *string
	TargetName  *string
}

func (l assignmentLine) toAssignment() Assignment {
	a := l.Assignment
	return Assignment{ID: a.ID, TeamID: a.TeamID, TeamName: l.TeamName, ModuleID: a.ModuleID, ModuleSlug: a.ModuleSlug,
		ModuleTitle: a.ModuleTitle, DueAt: a.DueAt.UTC(), CreatedAt: a.CreatedAt.UTC(), CreatedBy: deref(a.CreatedBy),
		CreatedByName: deref(l.CreatorName)}
}

// FindSeatHolderIDs returns which of ids are the team's seat holders.
func (s *Store) FindSeatHolderIDs(ctx context.Context, teamID string, ids []string) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Raw(`SELECT m.user_id FROM team_members m WHERE m.team_id = ? AND `+seatHolder+
		` AND m.user_id IN ?`, teamID, ids).Scan(&out).Error
	return out, db.Err(err)
}

// CreateAssignment stores an assignment for the users and returns it with its id.
func (s *Store) CreateAssignment(ctx context.Context, a Assignment, userIDs []string) (Assignment, error) {
	r := assignmentRow{TeamID: a.TeamID, ModuleID: a.ModuleID, ModuleSlug: a.ModuleSlug, ModuleTitle: a.ModuleTitle,
		DueAt: a.DueAt, CreatedBy: ptr(a.CreatedBy), CreatedAt: a.CreatedAt}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return Assignment{}, db.Err(err)
	}
	targets := make([]targetRow, len(userIDs))
	for i, u := range userIDs {
		targets[i] = targetRow{AssignmentID: r.ID, UserID: u}
	}
	a.ID = r.ID
	return a, db.Err(s.db.WithContext(ctx).Create(&targets).Error)
}

const assignmentSelect = `
	SELECT a.*, t.name AS team_name, c.name AS creator_name, u.id AS target_id, u.name AS target_name
	FROM assignments a
	JOIN teams t ON t.id = a.team_id
	LEFT JOIN users c ON c.id = a.created_by`

// FindAssignments lists a team's assignments (only the one with id only, when set), soonest due
// first, each with its targets who are still on the team (reading users for names), in one
// query. The members' statuses are left for the caller.
func (s *Store) FindAssignments(ctx context.Context, teamID, only string) ([]Assignment, error) {
	var lines []assignmentLine
	q := assignmentSelect + `
	LEFT JOIN LATERAL (
		SELECT tu.id, tu.name FROM assignment_targets tt
		JOIN team_members m ON m.team_id = a.team_id AND m.user_id = tt.user_id AND m.removed_at IS NULL
		JOIN users tu ON tu.id = tt.user_id
		WHERE tt.assignment_id = a.id
	) u ON true
	WHERE a.team_id = @team`
	if only != "" {
		q += ` AND a.id = @only`
	}
	q += ` ORDER BY a.due_at, a.created_at, a.id, lower(u.name), u.id`
	if err := s.db.WithContext(ctx).Raw(q, map[string]any{"team": teamID, "only": only}).Scan(&lines).Error; err != nil {
		return nil, db.Err(err)
	}
	out := []Assignment{}
	for _, l := range lines {
		if len(out) == 0 || out[len(out)-1].ID != l.Assignment.ID {
			a := l.toAssignment()
			a.Members = []AssignmentMember{}
			out = append(out, a)
		}
		if l.TargetID != nil {
			a := &out[len(out)-1]
			a.Members = append(a.Members, AssignmentMember{UserID: *l.TargetID, Name: deref(l.TargetName)})
		}
	}
	return out, nil
}

// FindMyAssignments lists a learner's assignments on the teams they are still on.
func (s *Store) FindMyAssignments(ctx context.Context, userID string) ([]Assignment, error) {
	var lines []assignmentLine
	err := s.db.WithContext(ctx).Raw(assignmentSelect+`
	JOIN assignment_targets tt ON tt.assignment_id = a.id AND tt.user_id = @user
	JOIN team_members m ON m.team_id = a.team_id AND m.user_id = @user AND m.removed_at IS NULL
	JOIN users u ON u.id = tt.user_id
	ORDER BY a.due_at, a.created_at, a.id`, map[string]any{"user": userID}).Scan(&lines).Error
	out := make([]Assignment, len(lines))
	for i, l := range lines {
		out[i] = l.toAssignment()
	}
	return out, db.Err(err)
}

// ClaimReminders marks, in one statement, every unreminded target whose assignment is due
// within lead from now (and not yet past) and who still holds a seat, and returns them (reading
// users for the address). This statement is the one place of the reminder window. A concurrent
// run waits on the row locks and then skips the rows already marked, so each rep is claimed once
// per assignment.
func (s *Store) ClaimReminders(ctx context.Context, now time.Time, lead time.Duration) ([]DueReminder, error) {
	var rows []DueReminder
	err := s.db.WithContext(ctx).Raw(`
		UPDATE assignment_targets tt SET reminded_at = @now
		FROM assignments a, teams t, team_members m, users u
		WHERE tt.assignment_id = a.id AND tt.reminded_at IS NULL
		  AND a.due_at > @now AND a.due_at <= @until
		  AND t.id = a.team_id
		  AND m.team_id = a.team_id AND m.user_id = tt.user_id AND `+seatHolder+`
		  AND u.id = tt.user_id
		RETURNING tt.assignment_id, tt.user_id, u.email, u.name, t.name AS team_name,
		          a.module_id, a.module_slug, a.module_title, a.due_at`,
		map[string]any{"now": now, "until": now.Add(lead)}).Scan(&rows).Error
	return rows, db.Err(err)
}

// ReleaseReminder forgets a claim whose mail could not be queued, so the next run retries it.
func (s *Store) ReleaseReminder(ctx context.Context, assignmentID, userID string) error {
	return db.Err(s.db.WithContext(ctx).Model(&targetRow{}).
		Where("assignment_id = ? AND user_id = ?", assignmentID, userID).Update("reminded_at", nil).Error)
}
