package teams

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// Deps are what the teams service needs from the process; every one is required (pass NoSeats,
// NoProgress, NoSkills, NoModules, NoPulses, NoPractice or NoAccessChanges where a real one is
// not wanted).
type Deps struct {
	DB *db.DB
	// Jobs inserts the service's mail jobs in the transaction of the write they belong to.
	Jobs *jobs.Inserter
	Now  func() time.Time
	Log  *slog.Logger
	// PublicURL is the SPA's address, for the links in e-mails.
	PublicURL string
	Seats     SeatCounter
	Progress  ProgressReader
	Skills    SkillReader
	Modules   ModuleCatalog
	// Pulses answers recognition evidence and the report's pulse aggregates (NoPulses: none).
	Pulses PulseReader
	// Practice answers the report's practice counts and observed scores, submission evidence and
	// the digest's reviews waiting (NoPractice: none).
	Practice PracticeReader
	// Access hears of every committed membership write (NoAccessChanges: nobody).
	Access AccessChanges
}

// Service implements the teams rules.
type Service struct {
	Deps
	store *Store
	dir   *Directory
	// flight shares concurrent report builds; every committed write moves it on.
	flight *reportFlight
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Access == nil {
		d.Access = NoAccessChanges{}
	}
	st := NewStore(d.DB, d.Jobs)
	return &Service{Deps: d, store: st, dir: &Directory{st: st}, flight: newReportFlight()}
}

// membersTx runs a write to memberships in a transaction, then tells Access, whether or not it
// committed (a spurious drop is harmless), so a removed seat stops premium access in this
// process before the caller answers.
// It goes through tx, so the report's flight generation moves too.
func (s *Service) membersTx(ctx context.Context, fn func(*Store) error) error {
	defer s.Access.AccessChanged()
	return s.tx(ctx, fn)
}

// authorize checks the caller's access to a team in one query.
func (s *Service) authorize(ctx context.Context, teamID, userID string, n need) (Team, error) {
	a, err := s.store.FindAccess(ctx, teamID, userID)
	if apperr.Is(err, apperr.NotFound) {
		return Team{}, errNoTeam
	}
	if err != nil {
		return Team{}, err
	}
	return a.Allow(n)
}

// countSeats reads a team's seat numbers with st (the pool, or a transaction holding the team
// lock). total comes from billing, read before any transaction opens, so a request waiting for
// the team lock never needs a second connection.
func (s *Service) countSeats(ctx context.Context, st *Store, teamID string, total int, now time.Time) (Seats, []Invite, error) {
	used, err := st.CountSeatHolders(ctx, teamID)
	if err != nil {
		return Seats{}, nil, err
	}
	open, err := st.FindOpenInvites(ctx, []string{teamID})
	return NewSeats(total, used, open, now), open, err
}

// CreateTeam creates a team; the caller becomes its manager (using no seat).
func (s *Service) CreateTeam(ctx context.Context, userID, name string) (TeamDetail, error) {
	name, err := normalizeName(name)
	if err != nil {
		return TeamDetail{}, err
	}
	now := s.Now().UTC()
	var t Team
	err = s.membersTx(ctx, func(st *Store) error {
		var err error
		if t, err = st.CreateTeam(ctx, name, userID, now); err != nil {
			return err
		}
		return st.AddMember(ctx, Membership{TeamID: t.ID, UserID: userID, Role: RoleManager, JoinedAt: now})
	})
	if err != nil {
		return TeamDetail{}, err
	}
	return s.Team(ctx, userID, t.ID)
}

// MyTeams lists the teams the user is an active member of.
func (s *Service) MyTeams(ctx context.Context, userID string) ([]Team, error) {
	return s.dir.MyTeams(ctx, userID)
}

// Team returns a team with its seats and members (members and admins).
func (s *Service) Team(ctx context.Context, userID, teamID string) (TeamDetail, error) {
	t, err := s.authorize(ctx, teamID, userID, readTeam)
	if err != nil {
		return TeamDetail{}, err
	}
	total, err := s.Seats.TeamSeats(ctx, teamID)
	if err != nil {
		return TeamDetail{}, err
	}
	seats, _, err := s.countSeats(ctx, s.store, teamID, total, s.Now())
	if err != nil {
		return TeamDetail{}, err
	}
	members, err := s.store.FindMembers(ctx, teamID)
	if err != nil {
		return TeamDetail{}, err
	}
	d := TeamDetail{Team: t, Seats: seats, Members: members}
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
	if err := s.store.RenameTeam(ctx, teamID, name, s.Now()); err != nil {
		return TeamDetail{}, err
	}
	s.flight.changed()
	return s.Team(ctx, userID, teamID)
}

var errNoMember = apperr.New(apperr.NotFound, "We couldn’t find that member on this team. They may have left it.")

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
	return s.membersTx(ctx, func(st *Store) error {
		m, managers, err := lockedMember(ctx, st, teamID, userID)
		if err != nil {
			return err
		}
		if err := m.CheckRemove(managers); err != nil {
			return err
		}
		return st.RemoveMember(ctx, teamID, userID, s.Now().UTC())
	})
}

// SetRole makes a member a manager or a manager a plain member (managers); see
// Membership.ChangeRole.
func (s *Service) SetRole(ctx context.Context, actorID, teamID, userID, role string) (Member, error) {
	if err := checkRole(role); err != nil {
		return Member{}, err
	}
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return Member{}, err
	}
	err := s.membersTx(ctx, func(st *Store) error {
		m, managers, err := lockedMember(ctx, st, teamID, userID)
		if err != nil {
			return err
		}
		changed, err := m.ChangeRole(role, managers)
		if err != nil || !changed {
			return err
		}
		return st.SetMemberRole(ctx, teamID, userID, role)
	})
	if err != nil {
		return Member{}, err
	}
	members, err := s.store.FindMembers(ctx, teamID)
	for _, m := range members {
		if m.UserID == userID {
			return m, err
		}
	}
	return Member{}, err
}

// lockedMember locks the team and reads the user's active membership and the team's manager
// count, which the membership's rules decide on.
func lockedMember(ctx context.Context, st *Store, teamID, userID string) (Membership, int, error) {
	if err := st.LockTeam(ctx, teamID); err != nil {
		return Membership{}, 0, err
	}
	m, err := st.FindActiveMember(ctx, teamID, userID)
	if apperr.Is(err, apperr.NotFound) {
		return Membership{}, 0, errNoMember
	}
	if err != nil {
		return Membership{}, 0, err
	}
	managers, err := st.CountManagers(ctx, teamID)
	return m, managers, err
}

// mail renders a message and queues it with st: inside a Tx it commits with the write it belongs
// to, so an acknowledged change never loses its e-mail and a failed one sends none.
func (s *Service) mail(ctx context.Context, st *Store, to, tmpl string, data map[string]any) error {
	m, err := mail.Render(to, tmpl, data)
	if err != nil {
		return err
	}
	return st.EnqueueMail(ctx, m)
}

// userName is the account's name for e-mails ("Your manager" when it cannot be read).
func (s *Service) userName(ctx context.Context, userID string) string {
	c, err := s.store.FindContact(ctx, userID)
	if err != nil || c.Name == "" {
		return "Your manager"
	}
	return c.Name
}
