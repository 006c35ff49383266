package teams

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// Deps are what the teams service needs from the process. Seats, Progress, Skills and Modules
// may be nil: a team then has no seats, reports show no progress or skills, and assignments
// cannot be created.
type Deps struct {
	DB    *db.DB
	Queue *jobs.Queue
	Now   func() time.Time
	Log   *slog.Logger
	// PublicURL is the SPA's address, for the links in e-mails.
	PublicURL string
	Seats     SeatCounter
	Progress  ProgressReader
	Skills    SkillReader
	Modules   ModuleCatalog
}

// Service implements the teams rules.
type Service struct {
	Deps
	st store
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{Deps: d}
}

var errNoTeam = apperr.New(apperr.NotFound, "We couldn’t find that team. You may no longer be a member.")

// need is the access a team route requires.
type need int

const (
	// readTeam: an active member, or an admin.
	readTeam need = iota
	// manageTeam: an active manager of the team, or an admin.
	manageTeam
)

// authorize checks the caller's access to a team in one query. Non-members get NotFound (the
// team's existence is not revealed); members without the manager role get Forbidden.
func (s *Service) authorize(ctx context.Context, teamID, userID string, n need) (Team, error) {
	row, err := s.st.access(ctx, s.DB.Gorm, teamID, userID)
	if apperr.Is(err, apperr.NotFound) {
		return Team{}, errNoTeam
	}
	if err != nil {
		return Team{}, err
	}
	t := Team{ID: row.ID, Name: row.Name, CreatedAt: row.CreatedAt.UTC()}
	switch {
	case row.Role != nil:
		t.MyRole, t.IsLearner = *row.Role, row.IsLearner != nil && *row.IsLearner
	case row.IsAdmin:
		t.MyRole = role.Admin
	default:
		return Team{}, errNoTeam
	}
	// An admin who is also a plain member still has an admin's reach.
	if n == manageTeam && t.MyRole == RoleMember && !row.IsAdmin {
		return Team{}, apperr.New(apperr.Forbidden, "Only the team’s managers can do this.")
	}
	return t, nil
}

// seats reads the team's seat total (billing) and its used and pending counts.
func (s *Service) seats(ctx context.Context, teamID string) (Seats, error) {
	total, err := s.totalSeats(ctx, teamID)
	if err != nil {
		return Seats{}, err
	}
	used, pending, err := s.st.seatCounts(ctx, s.DB.Gorm, teamID, s.Now())
	return Seats{Total: total, Used: used, Pending: pending}, err
}

// totalSeats asks billing. It is read before a seat-consuming transaction opens, so a request
// waiting for the team lock never needs a second connection.
func (s *Service) totalSeats(ctx context.Context, teamID string) (int, error) {
	if s.Seats == nil {
		return 0, nil
	}
	return s.Seats.TeamSeats(ctx, teamID)
}

// CreateTeam creates a team; the caller becomes its manager (using no seat).
func (s *Service) CreateTeam(ctx context.Context, userID, name string) (TeamDetail, error) {
	name, err := normalizeName(name)
	if err != nil {
		return TeamDetail{}, err
	}
	now := s.Now().UTC()
	row := teamRow{Name: name, CreatedBy: &userID, CreatedAt: now, UpdatedAt: now}
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.st.createTeam(ctx, tx, &row); err != nil {
			return err
		}
		return s.st.createMember(ctx, tx, &memberRow{TeamID: row.ID, UserID: userID, Role: RoleManager, JoinedAt: now})
	})
	if err != nil {
		return TeamDetail{}, err
	}
	return s.Team(ctx, userID, row.ID)
}

// MyTeams lists the teams the user is an active member of.
func (s *Service) MyTeams(ctx context.Context, userID string) ([]Team, error) {
	rows, err := s.st.myTeams(ctx, s.DB.Gorm, userID)
	out := make([]Team, len(rows))
	for i, r := range rows {
		out[i] = Team{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), MyRole: r.Role, IsLearner: r.IsLearner, MemberCount: r.MemberCount}
	}
	return out, err
}

// Team returns a team with its seats and members (members and admins).
func (s *Service) Team(ctx context.Context, userID, teamID string) (TeamDetail, error) {
	t, err := s.authorize(ctx, teamID, userID, readTeam)
	if err != nil {
		return TeamDetail{}, err
	}
	seats, err := s.seats(ctx, teamID)
	if err != nil {
		return TeamDetail{}, err
	}
	rows, err := s.st.members(ctx, s.DB.Gorm, teamID)
	if err != nil {
		return TeamDetail{}, err
	}
	d := TeamDetail{Team: t, Seats: seats, Members: make([]Member, len(rows))}
	for i, r := range rows {
		d.Members[i] = r.toMember()
	}
	d.MemberCount = seats.Used
	return d, nil
}

// Rename changes a team's name (managers).
func (s *Service) Rename(ctx context.Context, userID, teamID, name string) (TeamDetail, error) {
	name, err := normalizeName(name)
	if err != nil {
		return TeamDetail{}, err
	}
	if _, err := s.authorize(ctx, teamID, userID, manageTeam); err != nil {
		return TeamDetail{}, err
	}
	if err := s.st.renameTeam(ctx, s.DB.Gorm, teamID, name, s.Now()); err != nil {
		return TeamDetail{}, err
	}
	return s.Team(ctx, userID, teamID)
}

// RemoveMember ends a membership at once: the seat is freed, and with it the member's team
// entitlement and access. Managers remove anyone; a member may remove themselves (leave). The
// last manager cannot be removed.
func (s *Service) RemoveMember(ctx context.Context, actorID, teamID, userID string) error {
	n := manageTeam
	if actorID == userID {
		n = readTeam
	}
	if _, err := s.authorize(ctx, teamID, actorID, n); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.st.lockTeam(ctx, tx, teamID); err != nil {
			return err
		}
		m, err := s.st.activeMember(ctx, tx, teamID, userID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.NotFound, "We couldn’t find that member on this team. They may have left it.")
		}
		if err != nil {
			return err
		}
		if m.Role == RoleManager {
			if err := s.keepAManager(ctx, tx, teamID); err != nil {
				return err
			}
		}
		return s.st.updateMember(ctx, tx, teamID, userID, map[string]any{"removed_at": s.Now().UTC()})
	})
}

// SetRole makes a member a manager or a manager a plain member (managers). A manager who does
// not learn holds no seat, so they cannot become a plain member; the last manager stays one.
func (s *Service) SetRole(ctx context.Context, actorID, teamID, userID, role string) (Member, error) {
	if role != RoleManager && role != RoleMember {
		return Member{}, apperr.InvalidFields(apperr.Field("role", "Choose manager or member."))
	}
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return Member{}, err
	}
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.st.lockTeam(ctx, tx, teamID); err != nil {
			return err
		}
		m, err := s.st.activeMember(ctx, tx, teamID, userID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.NotFound, "We couldn’t find that member on this team. They may have left it.")
		}
		if err != nil || m.Role == role {
			return err
		}
		if role == RoleMember {
			if !m.IsLearner {
				return apperr.New(apperr.Conflict, "This manager doesn’t hold a seat. Invite them as a learner first.")
			}
			if err := s.keepAManager(ctx, tx, teamID); err != nil {
				return err
			}
		}
		return s.st.updateMember(ctx, tx, teamID, userID, map[string]any{"role": role})
	})
	if err != nil {
		return Member{}, err
	}
	rows, err := s.st.members(ctx, s.DB.Gorm, teamID)
	for _, r := range rows {
		if r.UserID == userID {
			return r.toMember(), err
		}
	}
	return Member{}, err
}

// keepAManager refuses a change that would leave the team without a manager.
func (s *Service) keepAManager(ctx context.Context, tx *gorm.DB, teamID string) error {
	n, err := s.st.countManagers(ctx, tx, teamID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return apperr.New(apperr.Conflict, "A team needs at least one manager. Make someone else a manager first.")
	}
	return nil
}

// TeamsOf lists the teams where the user holds a seat (billing's TeamMembership): removing a
// member ends their team entitlement on their next request.
func (s *Service) TeamsOf(ctx context.Context, userID string) ([]string, error) {
	ids, err := s.st.teamsOf(ctx, s.DB.Gorm, userID)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

// IsManager reports whether the user is an active manager of the team (billing's TeamAuthority).
func (s *Service) IsManager(ctx context.Context, userID, teamID string) (bool, error) {
	if !isUUID(strings.ToLower(userID)) || !isUUID(strings.ToLower(teamID)) {
		return false, nil
	}
	userID, teamID = strings.ToLower(userID), strings.ToLower(teamID)
	m, err := s.st.activeMember(ctx, s.DB.Gorm, teamID, userID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil && m.Role == RoleManager, err
}

// sendMail renders and queues a message. A queueing failure is logged, not returned: the change
// already committed (a manager can resend an invite).
func (s *Service) sendMail(ctx context.Context, to, tmpl string, data map[string]any) {
	if err := s.queueMail(ctx, to, tmpl, data); err != nil {
		s.Log.ErrorContext(ctx, "could not queue e-mail", "template", tmpl, "error", err)
	}
}

func (s *Service) queueMail(ctx context.Context, to, tmpl string, data map[string]any) error {
	m, err := mail.Render(to, tmpl, data)
	if err != nil {
		return err
	}
	return s.Queue.Insert(ctx, mail.SendArgs{Message: m}, nil)
}
