package teams

import (
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// need is the access a team action requires.
type need int

const (
	// readTeam: an active member, or an admin.
	readTeam need = iota
	// manageTeam: an active manager of the team, or an admin.
	manageTeam
	// sendRecognition: an active member; an admin outside the team may read but not send.
	sendRecognition
)

var errNoTeam = apperr.New(apperr.NotFound, "We couldn’t find that team. You may no longer be a member.")

// Access is a team as one caller reaches it: their active membership (Role is empty without
// one) and whether they are an admin.
type Access struct {
	Team      Team
	Role      string
	IsLearner bool
	IsAdmin   bool
}

// Allow decides whether the caller may do what n needs and returns the team with the caller's
// role. Non-members get NotFound (the team's existence is not revealed); members without the
// manager role get Forbidden on manager actions.
func (a Access) Allow(n need) (Team, error) {
	t := a.Team
	switch {
	case a.Role != "":
		t.MyRole, t.IsLearner = a.Role, a.IsLearner
	case a.IsAdmin:
		t.MyRole = role.Admin
	default:
		return Team{}, errNoTeam
	}
	switch {
	// An admin who is also a plain member still has an admin's reach.
	case n == manageTeam && t.MyRole == RoleMember && !a.IsAdmin:
		return Team{}, apperr.New(apperr.Forbidden, "Only the team’s managers can do this.")
	case n == sendRecognition && t.MyRole == role.Admin:
		return Team{}, apperr.New(apperr.Forbidden, "Only members of this team can send recognition.")
	}
	return t, nil
}

// Member is an active member of a team as the team page lists them.
type Member struct {
	UserID    string
	Name      string
	Email     string
	Role      string
	IsLearner bool
	JoinedAt  time.Time
}

// TeamDetail is a team with its seats and members.
type TeamDetail struct {
	Team
	Seats   Seats
	Members []Member
}

// Membership is a user's active membership of a team. IsLearner is whether it holds a seat.
type Membership struct {
	TeamID    string
	TeamName  string
	UserID    string
	Role      string
	IsLearner bool
	JoinedAt  time.Time
}

// Manages reports whether the membership is a manager's.
func (m Membership) Manages() bool { return m.Role == RoleManager }

// CheckRemove refuses removing the last of the team's managers (managers counts the active
// managers, m included).
func (m Membership) CheckRemove(managers int) error {
	if m.Manages() {
		return keepAManager(managers)
	}
	return nil
}

// ChangeRole decides m's move to role: false when m has it already. A manager who does not
// learn holds no seat, so they cannot become a plain member; the last manager stays one.
func (m Membership) ChangeRole(to string, managers int) (bool, error) {
	if m.Role == to {
		return false, nil
	}
	if to == RoleMember {
		if !m.IsLearner {
			return false, apperr.New(apperr.Conflict, "This manager doesn’t hold a seat. Invite them as a learner first.")
		}
		if err := keepAManager(managers); err != nil {
			return false, err
		}
	}
	return true, nil
}

// checkRole refuses a role that is neither manager nor member.
func checkRole(r string) error {
	if r != RoleManager && r != RoleMember {
		return apperr.InvalidFields(apperr.Field("role", "Choose manager or member."))
	}
	return nil
}

func keepAManager(managers int) error {
	if managers <= 1 {
		return apperr.New(apperr.Conflict, "A team needs at least one manager. Make someone else a manager first.")
	}
	return nil
}

// Contact is an account's address and name, as e-mails use them.
type Contact struct {
	Email string
	Name  string
}
