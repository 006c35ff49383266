package teams

import (
	"context"
	"time"

	"gorm.io/gorm"

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
	TargetEmail *string
}

type recognitionRow struct {
	ID         string `gorm:"primaryKey;default:gen_random_uuid()"`
	TeamID     string
	FromUserID *string
	ToUserID   string
	Message    string
	Kind       string
	CreatedAt  time.Time
}

func (recognitionRow) TableName() string { return "recognitions" }

// recognitionLine is a recognition with its team's and people's names.
type recognitionLine struct {
	Recognition recognitionRow `gorm:"embedded"`
	TeamName    string
	FromName    *string
	ToName      string
}

// learnerIDs returns which of ids are learning members of the team.
func (store) learnerIDs(ctx context.Context, g *gorm.DB, teamID string, ids []string) ([]string, error) {
	var out []string
	err := g.WithContext(ctx).Model(&memberRow{}).
		Where("team_id = ? AND removed_at IS NULL AND is_learner AND user_id IN ?", teamID, ids).Pluck("user_id", &out).Error
	return out, db.Err(err)
}

func (store) createAssignment(ctx context.Context, tx *gorm.DB, a *assignmentRow, userIDs []string) error {
	if err := tx.WithContext(ctx).Create(a).Error; err != nil {
		return db.Err(err)
	}
	targets := make([]targetRow, len(userIDs))
	for i, u := range userIDs {
		targets[i] = targetRow{AssignmentID: a.ID, UserID: u}
	}
	return db.Err(tx.WithContext(ctx).Create(&targets).Error)
}

const assignmentSelect = `
	SELECT a.*, t.name AS team_name, c.name AS creator_name,
	       u.id AS target_id, u.name AS target_name, u.email AS target_email
	FROM assignments a
	JOIN teams t ON t.id = a.team_id
	LEFT JOIN users c ON c.id = a.created_by`

// teamAssignments lists a team's assignments (newest due last) with their targets who are still
// learning members, in one query.
func (store) teamAssignments(ctx context.Context, g *gorm.DB, teamID string, only string) ([]assignmentLine, error) {
	var rows []assignmentLine
	q := assignmentSelect + `
	LEFT JOIN LATERAL (
		SELECT tu.id, tu.name, tu.email FROM assignment_targets tt
		JOIN team_members m ON m.team_id = a.team_id AND m.user_id = tt.user_id AND m.removed_at IS NULL
		JOIN users tu ON tu.id = tt.user_id
		WHERE tt.assignment_id = a.id
	) u ON true
	WHERE a.team_id = @team`
	if only != "" {
		q += ` AND a.id = @only`
	}
	q += ` ORDER BY a.due_at, a.created_at, a.id, lower(u.name), u.id`
	err := g.WithContext(ctx).Raw(q, map[string]any{"team": teamID, "only": only}).Scan(&rows).Error
	return rows, db.Err(err)
}

// myAssignments lists the assignments of a learner on the teams they are still on.
func (store) myAssignments(ctx context.Context, g *gorm.DB, userID string) ([]assignmentLine, error) {
	var rows []assignmentLine
	err := g.WithContext(ctx).Raw(assignmentSelect+`
	JOIN assignment_targets tt ON tt.assignment_id = a.id AND tt.user_id = @user
	JOIN team_members m ON m.team_id = a.team_id AND m.user_id = @user AND m.removed_at IS NULL
	JOIN users u ON u.id = tt.user_id
	ORDER BY a.due_at, a.created_at, a.id`, map[string]any{"user": userID}).Scan(&rows).Error
	return rows, db.Err(err)
}

// reminderLine is one rep claimed for an assignment reminder.
type reminderLine struct {
	AssignmentID string
	UserID       string
	Email        string
	Name         string
	TeamName     string
	ModuleID     string
	ModuleSlug   string
	ModuleTitle  string
	DueAt        time.Time
}

// claimReminders marks, in one statement, every unreminded target whose assignment is due within
// lead from now (and not yet past), who is still a learning member, and returns them. A
// concurrent run waits on the row locks and then skips the rows already marked, so each rep is
// claimed once per assignment.
func (store) claimReminders(ctx context.Context, g *gorm.DB, now time.Time, lead time.Duration) ([]reminderLine, error) {
	var rows []reminderLine
	err := g.WithContext(ctx).Raw(`
		UPDATE assignment_targets tt SET reminded_at = @now
		FROM assignments a, teams t, team_members m, users u
		WHERE tt.assignment_id = a.id AND tt.reminded_at IS NULL
		  AND a.due_at > @now AND a.due_at <= @until
		  AND t.id = a.team_id
		  AND m.team_id = a.team_id AND m.user_id = tt.user_id AND m.removed_at IS NULL AND m.is_learner
		  AND u.id = tt.user_id
		RETURNING tt.assignment_id, tt.user_id, u.email, u.name, t.name AS team_name,
		          a.module_id, a.module_slug, a.module_title, a.due_at`,
		map[string]any{"now": now, "until": now.Add(lead)}).Scan(&rows).Error
	return rows, db.Err(err)
}

// releaseReminder forgets a claim whose mail could not be queued, so the next run retries it.
func (store) releaseReminder(ctx context.Context, g *gorm.DB, assignmentID, userID string) error {
	return db.Err(g.WithContext(ctx).Model(&targetRow{}).
		Where("assignment_id = ? AND user_id = ?", assignmentID, userID).Update("reminded_at", nil).Error)
}

func (store) createRecognition(ctx context.Context, g *gorm.DB, r *recognitionRow) error {
	return db.Err(g.WithContext(ctx).Create(r).Error)
}

const recognitionSelect = `
	SELECT r.*, t.name AS team_name, f.name AS from_name, tu.name AS to_name
	FROM recognitions r
	JOIN teams t ON t.id = r.team_id
	LEFT JOIN users f ON f.id = r.from_user_id
	JOIN users tu ON tu.id = r.to_user_id`

// recognitions lists recognitions newest first: a team's feed (teamID set) or those a user
// received (toUserID set), before the given time when it is not zero.
func (store) recognitions(ctx context.Context, g *gorm.DB, teamID, toUserID string, before time.Time, limit int) ([]recognitionLine, error) {
	var rows []recognitionLine
	q := g.WithContext(ctx)
	where, args := ` WHERE true`, map[string]any{"limit": limit}
	if teamID != "" {
		where += ` AND r.team_id = @team`
		args["team"] = teamID
	}
	if toUserID != "" {
		where += ` AND r.to_user_id = @to`
		args["to"] = toUserID
	}
	if !before.IsZero() {
		where += ` AND r.created_at < @before`
		args["before"] = before
	}
	err := q.Raw(recognitionSelect+where+` ORDER BY r.created_at DESC, r.id DESC LIMIT @limit`, args).Scan(&rows).Error
	return rows, db.Err(err)
}
