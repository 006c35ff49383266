package teams

import (
	"context"
	"crypto/sha256"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

type teamRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	Name      string
	CreatedBy *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (teamRow) TableName() string { return "teams" }

type memberRow struct {
	TeamID    string `gorm:"primaryKey"`
	UserID    string `gorm:"primaryKey"`
	Role      string
	IsLearner bool
	JoinedAt  time.Time
	RemovedAt *time.Time
}

func (memberRow) TableName() string { return "team_members" }

// accessRow is a team with the caller's active membership (if any) and whether they are an admin.
type accessRow struct {
	ID        string
	Name      string
	CreatedAt time.Time
	Role      *string
	IsLearner *bool
	IsAdmin   bool
}

// memberView is an active member with their account's name and e-mail.
type memberView struct {
	UserID    string
	Name      string
	Email     string
	Role      string
	IsLearner bool
	JoinedAt  time.Time
}

func (r memberView) toMember() Member {
	return Member{UserID: r.UserID, Name: r.Name, Email: r.Email, Role: r.Role, IsLearner: r.IsLearner, JoinedAt: r.JoinedAt.UTC()}
}

// learnerRow is a learning member with what the report and prompts need from the team itself.
type learnerRow struct {
	UserID           string
	Name             string
	Email            string
	Role             string
	JoinedAt         time.Time
	Recognitions     int
	LastRecognisedAt *time.Time
}

// myTeamRow is a team the user is an active member of.
type myTeamRow struct {
	ID          string
	Name        string
	CreatedAt   time.Time
	Role        string
	IsLearner   bool
	MemberCount int
}

// store is the teams data access. Every method takes the *gorm.DB to use (the pool or a tx).
// Besides its own tables it reads users (names, e-mails, roles) and, for assignments, the
// catalog's published modules; it never writes either.
type store struct{}

func hashToken(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

// access reads a team with the caller's membership and admin flag in one query.
func (store) access(ctx context.Context, g *gorm.DB, teamID, userID string) (accessRow, error) {
	var rows []accessRow
	err := g.WithContext(ctx).Raw(`
		SELECT t.id, t.name, t.created_at, m.role, m.is_learner,
		       coalesce((SELECT @admin = ANY(u.roles) FROM users u WHERE u.id = @user), false) AS is_admin
		FROM teams t
		LEFT JOIN team_members m ON m.team_id = t.id AND m.user_id = @user AND m.removed_at IS NULL
		WHERE t.id = @team`, map[string]any{"team": teamID, "user": userID, "admin": role.Admin}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return accessRow{}, db.Err(err)
	}
	return rows[0], nil
}

func (store) createTeam(ctx context.Context, tx *gorm.DB, r *teamRow) error {
	return db.Err(tx.WithContext(ctx).Create(r).Error)
}

func (store) createMember(ctx context.Context, tx *gorm.DB, r *memberRow) error {
	return db.Err(tx.WithContext(ctx).Create(r).Error)
}

// lockTeam takes the team row FOR UPDATE: every transaction that consumes or frees a seat (or
// changes invites and members) holds it, so seat arithmetic never races.
func (store) lockTeam(ctx context.Context, tx *gorm.DB, id string) (teamRow, error) {
	var r teamRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&r).Error
	return r, db.Err(err)
}

func (store) renameTeam(ctx context.Context, g *gorm.DB, id, name string, now time.Time) error {
	return db.Err(g.WithContext(ctx).Model(&teamRow{}).Where("id = ?", id).
		Updates(map[string]any{"name": name, "updated_at": now}).Error)
}

// seatCounts counts learning members and open, unexpired invites.
func (store) seatCounts(ctx context.Context, g *gorm.DB, teamID string, now time.Time) (used, pending int, err error) {
	var row struct{ Used, Pending int }
	err = g.WithContext(ctx).Raw(`
		SELECT (SELECT count(*) FROM team_members WHERE team_id = @team AND removed_at IS NULL AND is_learner) AS used,
		       (SELECT count(*) FROM team_invites WHERE team_id = @team AND accepted_at IS NULL
		           AND revoked_at IS NULL AND expires_at > @now) AS pending`,
		map[string]any{"team": teamID, "now": now}).Scan(&row).Error
	return row.Used, row.Pending, db.Err(err)
}

// myTeams lists the user's active memberships with each team's learner count.
func (store) myTeams(ctx context.Context, g *gorm.DB, userID string) ([]myTeamRow, error) {
	var rows []myTeamRow
	err := g.WithContext(ctx).Raw(`
		SELECT t.id, t.name, t.created_at, m.role, m.is_learner,
		       (SELECT count(*) FROM team_members o WHERE o.team_id = t.id AND o.removed_at IS NULL AND o.is_learner) AS member_count
		FROM team_members m JOIN teams t ON t.id = m.team_id
		WHERE m.user_id = ? AND m.removed_at IS NULL
		ORDER BY t.name, t.id`, userID).Scan(&rows).Error
	return rows, db.Err(err)
}

// members lists a team's active members, managers first.
func (store) members(ctx context.Context, g *gorm.DB, teamID string) ([]memberView, error) {
	var rows []memberView
	err := g.WithContext(ctx).Raw(`
		SELECT m.user_id, u.name, u.email, m.role, m.is_learner, m.joined_at
		FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = ? AND m.removed_at IS NULL
		ORDER BY m.role = 'manager' DESC, lower(u.name), m.user_id`, teamID).Scan(&rows).Error
	return rows, db.Err(err)
}

// learners aggregates a team's learning members in one query: account, recognitions received in
// this team and when they were last recognised (for prompts).
func (store) learners(ctx context.Context, g *gorm.DB, teamID string, only []string) ([]learnerRow, error) {
	var rows []learnerRow
	q := `
		SELECT m.user_id, u.name, u.email, m.role, m.joined_at,
		       count(r.id) AS recognitions, max(r.created_at) AS last_recognised_at
		FROM team_members m
		JOIN users u ON u.id = m.user_id
		LEFT JOIN recognitions r ON r.team_id = m.team_id AND r.to_user_id = m.user_id
		WHERE m.team_id = @team AND m.removed_at IS NULL AND m.is_learner`
	args := map[string]any{"team": teamID}
	if only != nil {
		q += ` AND m.user_id = ANY(CAST(@only AS uuid[]))`
		args["only"] = db.StringArray(only)
	}
	q += ` GROUP BY m.user_id, u.name, u.email, m.role, m.joined_at ORDER BY lower(u.name), m.user_id`
	err := g.WithContext(ctx).Raw(q, args).Scan(&rows).Error
	return rows, db.Err(err)
}

// activeMember reads a user's active membership of a team.
func (store) activeMember(ctx context.Context, g *gorm.DB, teamID, userID string) (memberRow, error) {
	var r memberRow
	err := g.WithContext(ctx).Where("team_id = ? AND user_id = ? AND removed_at IS NULL", teamID, userID).Take(&r).Error
	return r, db.Err(err)
}

func (store) countManagers(ctx context.Context, g *gorm.DB, teamID string) (int, error) {
	var n int64
	err := g.WithContext(ctx).Model(&memberRow{}).
		Where("team_id = ? AND role = 'manager' AND removed_at IS NULL", teamID).Count(&n).Error
	return int(n), db.Err(err)
}

func (store) updateMember(ctx context.Context, g *gorm.DB, teamID, userID string, fields map[string]any) error {
	return db.Err(g.WithContext(ctx).Model(&memberRow{}).
		Where("team_id = ? AND user_id = ? AND removed_at IS NULL", teamID, userID).Updates(fields).Error)
}

// teamsOf lists the teams where the user holds a seat (an active learning membership).
func (store) teamsOf(ctx context.Context, g *gorm.DB, userID string) ([]string, error) {
	var ids []string
	err := g.WithContext(ctx).Model(&memberRow{}).
		Where("user_id = ? AND removed_at IS NULL AND is_learner", userID).Order("team_id").Pluck("team_id", &ids).Error
	return ids, db.Err(err)
}

// upsertLearner makes the user a learning member: a new row, a returning member (their old row
// revived as a member), or an active manager who now learns too.
func (store) upsertLearner(ctx context.Context, tx *gorm.DB, teamID, userID string, now time.Time) (memberRow, error) {
	var r memberRow
	err := tx.WithContext(ctx).Raw(`
		INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
		VALUES (@team, @user, 'member', true, @now)
		ON CONFLICT (team_id, user_id) DO UPDATE SET
		    is_learner = true,
		    role = CASE WHEN team_members.removed_at IS NULL THEN team_members.role ELSE 'member' END,
		    joined_at = CASE WHEN team_members.removed_at IS NULL THEN team_members.joined_at ELSE @now END,
		    removed_at = NULL
		RETURNING team_id, user_id, role, is_learner, joined_at, removed_at`,
		map[string]any{"team": teamID, "user": userID, "now": now}).Scan(&r).Error
	return r, db.Err(err)
}

// userContact reads an account's e-mail and name (read-only on identity's users table).
func (store) userContact(ctx context.Context, g *gorm.DB, userID string) (email, name string, err error) {
	var rows []struct{ Email, Name string }
	err = g.WithContext(ctx).Raw(`SELECT email, name FROM users WHERE id = ?`, userID).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return "", "", db.Err(err)
	}
	return rows[0].Email, rows[0].Name, nil
}
