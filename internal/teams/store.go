package teams

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// Store is the teams data access, the only code that knows the tables. Besides its own tables
// it reads identity's users table (names, e-mails, the admin role) in the statements that list
// or address people, and never writes it; the team report's two statements also read the raw
// progress, pulse, practice and assessment rows (store_report.go), and everything else of the
// other domains comes through the reader interfaces. A Store handed out by Tx runs every method,
// mail jobs included, in that transaction.
type Store struct {
	db *gorm.DB
	// pool is the same pool under GORM, for the team report's statements (the hot path); nil in
	// a store bound to a transaction.
	pool *pgxpool.Pool
	jobs *jobs.Inserter
}

// NewStore returns the store on d; its mail jobs are inserted through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store {
	return &Store{db: d.Gorm, pool: d.Pool, jobs: ins}
}

// Tx runs fn in one transaction; fn gets a Store bound to it. An error from fn rolls back every
// write and every job fn made.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, jobs: s.jobs})
	}))
}

// EnqueueMail queues m for delivery. Inside Tx the mail job commits with the write it belongs
// to, or not at all.
func (s *Store) EnqueueMail(ctx context.Context, m mail.Message) error {
	return db.InsertJob(ctx, s.db, s.jobs, mail.SendArgs{Message: m})
}

// seatHolder is the one definition, in SQL, of a member holding a seat (alias m): an active
// learning membership. Seat counts, the learner lists and billing's team entitlement use it.
const seatHolder = `m.removed_at IS NULL AND m.is_learner`

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

func (r memberRow) toMembership() Membership {
	return Membership{TeamID: r.TeamID, UserID: r.UserID, Role: r.Role, IsLearner: r.IsLearner, JoinedAt: r.JoinedAt.UTC()}
}

// FindAccess reads a team with the caller's active membership and admin flag in one query
// (reading users for the admin role). NotFound when the team does not exist.
func (s *Store) FindAccess(ctx context.Context, teamID, userID string) (Access, error) {
	var rows []struct {
		ID        string
		Name      string
		CreatedAt time.Time
		Role      *string
		IsLearner *bool
		IsAdmin   bool
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT t.id, t.name, t.created_at, m.role, m.is_learner,
		       coalesce((SELECT @admin = ANY(u.roles) FROM users u WHERE u.id = @user), false) AS is_admin
		FROM teams t
		LEFT JOIN team_members m ON m.team_id = t.id AND m.user_id = @user AND m.removed_at IS NULL
		WHERE t.id = @team`, map[string]any{"team": teamID, "user": userID, "admin": role.Admin}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return Access{}, db.Err(err)
	}
	r := rows[0]
	a := Access{Team: Team{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC()}, IsAdmin: r.IsAdmin}
	if r.Role != nil {
		a.Role, a.IsLearner = *r.Role, r.IsLearner != nil && *r.IsLearner
	}
	return a, nil
}

// CreateTeam stores a new team created by createdBy and returns it with its id.
func (s *Store) CreateTeam(ctx context.Context, name, createdBy string, now time.Time) (Team, error) {
	r := teamRow{Name: name, CreatedBy: &createdBy, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return Team{}, db.Err(err)
	}
	return Team{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC()}, nil
}

// AddMember stores a new membership.
func (s *Store) AddMember(ctx context.Context, m Membership) error {
	return db.Err(s.db.WithContext(ctx).Create(&memberRow{TeamID: m.TeamID, UserID: m.UserID, Role: m.Role,
		IsLearner: m.IsLearner, JoinedAt: m.JoinedAt}).Error)
}

// LockTeam takes the team row FOR UPDATE: every transaction that consumes or frees a seat (or
// changes invites and members) holds it, so seat arithmetic never races.
func (s *Store) LockTeam(ctx context.Context, teamID string) error {
	var r teamRow
	return db.Err(s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", teamID).Take(&r).Error)
}

// RenameTeam changes a team's name.
func (s *Store) RenameTeam(ctx context.Context, teamID, name string, now time.Time) error {
	return db.Err(s.db.WithContext(ctx).Model(&teamRow{}).Where("id = ?", teamID).
		Updates(map[string]any{"name": name, "updated_at": now}).Error)
}

// CountSeatHolders counts the team's members holding a seat.
func (s *Store) CountSeatHolders(ctx context.Context, teamID string) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM team_members m WHERE m.team_id = ? AND `+seatHolder, teamID).
		Scan(&n).Error
	return n, db.Err(err)
}

// FindMyTeams lists the user's active memberships with each team's seat holders, by name.
func (s *Store) FindMyTeams(ctx context.Context, userID string) ([]Team, error) {
	var rows []struct {
		ID          string
		Name        string
		CreatedAt   time.Time
		Role        string
		IsLearner   bool
		MemberCount int
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT t.id, t.name, t.created_at, mine.role, mine.is_learner,
		       (SELECT count(*) FROM team_members m WHERE m.team_id = t.id AND `+seatHolder+`) AS member_count
		FROM team_members mine JOIN teams t ON t.id = mine.team_id
		WHERE mine.user_id = ? AND mine.removed_at IS NULL
		ORDER BY t.name, t.id`, userID).Scan(&rows).Error
	out := make([]Team, len(rows))
	for i, r := range rows {
		out[i] = Team{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), MyRole: r.Role, IsLearner: r.IsLearner, MemberCount: r.MemberCount}
	}
	return out, db.Err(err)
}

// FindMembers lists a team's active members with their accounts' names and e-mails (reading
// users), managers first.
func (s *Store) FindMembers(ctx context.Context, teamID string) ([]Member, error) {
	var rows []Member
	err := s.db.WithContext(ctx).Raw(`
		SELECT m.user_id, u.name, u.email, m.role, m.is_learner, m.joined_at
		FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = @team AND m.removed_at IS NULL
		ORDER BY m.role = @manager DESC, lower(u.name), m.user_id`,
		map[string]any{"team": teamID, "manager": RoleManager}).Scan(&rows).Error
	for i := range rows {
		rows[i].JoinedAt = rows[i].JoinedAt.UTC()
	}
	return rows, db.Err(err)
}

// FindLearners aggregates a team's seat holders (only those listed, when only is not nil) in
// one query: account (reading users), recognitions received in this team and when they were
// last recognised.
func (s *Store) FindLearners(ctx context.Context, teamID string, only []string) ([]Learner, error) {
	var rows []Learner
	q := `
		SELECT m.user_id, u.name, u.email, m.role, m.joined_at,
		       count(r.id) AS recognitions, max(r.created_at) AS last_recognised_at
		FROM team_members m
		JOIN users u ON u.id = m.user_id
		LEFT JOIN recognitions r ON r.team_id = m.team_id AND r.to_user_id = m.user_id
		WHERE m.team_id = @team AND ` + seatHolder
	args := map[string]any{"team": teamID}
	if only != nil {
		q += ` AND m.user_id = ANY(CAST(@only AS uuid[]))`
		args["only"] = db.StringArray(only)
	}
	q += ` GROUP BY m.user_id, u.name, u.email, m.role, m.joined_at ORDER BY lower(u.name), m.user_id`
	err := s.db.WithContext(ctx).Raw(q, args).Scan(&rows).Error
	for i := range rows {
		rows[i].JoinedAt = rows[i].JoinedAt.UTC()
	}
	return rows, db.Err(err)
}

// FindActiveMember reads a user's active membership of a team (NotFound without one).
func (s *Store) FindActiveMember(ctx context.Context, teamID, userID string) (Membership, error) {
	var r memberRow
	err := s.db.WithContext(ctx).Where("team_id = ? AND user_id = ? AND removed_at IS NULL", teamID, userID).Take(&r).Error
	return r.toMembership(), db.Err(err)
}

// ManagesAnyTeam reports whether the user is an active manager of any team.
func (s *Store) ManagesAnyTeam(ctx context.Context, userID string) (bool, error) {
	var ok bool
	err := s.db.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM team_members WHERE user_id = ? AND role = ? AND removed_at IS NULL)`,
		userID, RoleManager).Scan(&ok).Error
	return ok, db.Err(err)
}

// CountManagers counts the team's active managers.
func (s *Store) CountManagers(ctx context.Context, teamID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&memberRow{}).
		Where("team_id = ? AND role = ? AND removed_at IS NULL", teamID, RoleManager).Count(&n).Error
	return int(n), db.Err(err)
}

// RemoveMember ends an active membership at now.
func (s *Store) RemoveMember(ctx context.Context, teamID, userID string, now time.Time) error {
	return s.updateMember(ctx, teamID, userID, map[string]any{"removed_at": now})
}

// SetMemberRole changes an active member's role.
func (s *Store) SetMemberRole(ctx context.Context, teamID, userID, r string) error {
	return s.updateMember(ctx, teamID, userID, map[string]any{"role": r})
}

func (s *Store) updateMember(ctx context.Context, teamID, userID string, fields map[string]any) error {
	return db.Err(s.db.WithContext(ctx).Model(&memberRow{}).
		Where("team_id = ? AND user_id = ? AND removed_at IS NULL", teamID, userID).Updates(fields).Error)
}

// FindSeatTeamIDs lists the teams where the user holds a seat.
func (s *Store) FindSeatTeamIDs(ctx context.Context, userID string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`SELECT m.team_id FROM team_members m WHERE m.user_id = ? AND `+seatHolder+
		` ORDER BY m.team_id`, userID).Scan(&ids).Error
	return ids, db.Err(err)
}

// AddLearner makes the user a learning member: a new row, a returning member (their old row
// revived as a member), or an active manager who now learns too.
func (s *Store) AddLearner(ctx context.Context, teamID, userID string, now time.Time) (Membership, error) {
	var r memberRow
	err := s.db.WithContext(ctx).Raw(`
		INSERT INTO team_members (team_id, user_id, role, is_learner, joined_at)
		VALUES (@team, @user, @member, true, @now)
		ON CONFLICT (team_id, user_id) DO UPDATE SET
		    is_learner = true,
		    role = CASE WHEN team_members.removed_at IS NULL THEN team_members.role ELSE @member END,
		    joined_at = CASE WHEN team_members.removed_at IS NULL THEN team_members.joined_at ELSE @now END,
		    removed_at = NULL
		RETURNING team_id, user_id, role, is_learner, joined_at, removed_at`,
		map[string]any{"team": teamID, "user": userID, "now": now, "member": RoleMember}).Scan(&r).Error
	return r.toMembership(), db.Err(err)
}

// FindContact reads an account's e-mail and name (read-only on identity's users table).
func (s *Store) FindContact(ctx context.Context, userID string) (Contact, error) {
	var rows []Contact
	err := s.db.WithContext(ctx).Raw(`SELECT email, name FROM users WHERE id = ?`, userID).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return Contact{}, db.Err(err)
	}
	return rows[0], nil
}

// FindTeamListings is the admin's team search in one query (reading users for the first
// manager's name and e-mail): teams whose name, or whose manager's name or e-mail, contains
// query, names starting with it first. Seats.Used is counted; the caller adds the rest. strpos
// needs no escaping of LIKE wildcards, and the lists are short enough not to need an index.
func (s *Store) FindTeamListings(ctx context.Context, query string, limit int) ([]TeamListing, error) {
	var rows []struct {
		ID           string
		Name         string
		CreatedAt    time.Time
		ManagerName  *string
		ManagerEmail *string
		Used         int
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT t.id, t.name, t.created_at, mgr.name AS manager_name, mgr.email AS manager_email,
		       (SELECT count(*) FROM team_members m WHERE m.team_id = t.id AND `+seatHolder+`) AS used
		FROM teams t
		LEFT JOIN LATERAL (
		    SELECT u.name, u.email FROM team_members o JOIN users u ON u.id = o.user_id
		    WHERE o.team_id = t.id AND o.role = @manager AND o.removed_at IS NULL
		    ORDER BY o.joined_at, o.user_id LIMIT 1
		) mgr ON true
		WHERE @q = '' OR strpos(lower(t.name), lower(@q)) > 0
		   OR strpos(lower(mgr.name), lower(@q)) > 0 OR strpos(lower(mgr.email), lower(@q)) > 0
		ORDER BY strpos(lower(t.name), lower(@q)) = 1 DESC, lower(t.name), t.id
		LIMIT @limit`, map[string]any{"q": query, "limit": limit, "manager": RoleManager}).Scan(&rows).Error
	out := make([]TeamListing, len(rows))
	for i, r := range rows {
		out[i] = TeamListing{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), ManagerName: deref(r.ManagerName),
			ManagerEmail: deref(r.ManagerEmail), Seats: Seats{Used: r.Used}}
	}
	return out, db.Err(err)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
