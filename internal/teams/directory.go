package teams

import (
	"context"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Directory answers what other domains ask about team membership, from the teams tables alone:
// billing asks who holds a team seat and who manages a team, identity's /me lists a user's
// teams. It needs no other service, so the app builds it before billing, and billing before the
// teams service (which reads billing's seats).
type Directory struct{ st *Store }

// NewDirectory returns the directory on d. It only reads, so it inserts no jobs.
func NewDirectory(d *db.DB) *Directory { return &Directory{st: &Store{db: d.Gorm}} }

// TeamsOf lists the teams where the user holds a seat (billing's team entitlement): removing a
// member ends their team entitlement on their next request.
func (d *Directory) TeamsOf(ctx context.Context, userID string) ([]string, error) {
	ids, err := d.st.FindSeatTeamIDs(ctx, userID)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

// IsManager reports whether the user is an active manager of the team (billing's team checkout).
// Ids that are not UUIDs are nobody's team.
func (d *Directory) IsManager(ctx context.Context, userID, teamID string) (bool, error) {
	userID, teamID = strings.ToLower(userID), strings.ToLower(teamID)
	if !isUUID(userID) || !isUUID(teamID) {
		return false, nil
	}
	m, err := d.st.FindActiveMember(ctx, teamID, userID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil && m.Manages(), err
}

// ManagesAnyTeam reports whether the user is an active manager of at least one team (the
// catalog shows team managers the modules' coaching guides).
func (d *Directory) ManagesAnyTeam(ctx context.Context, userID string) (bool, error) {
	userID = strings.ToLower(userID)
	if !isUUID(userID) {
		return false, nil
	}
	return d.st.ManagesAnyTeam(ctx, userID)
}

// MyTeams lists the teams the user is an active member of, by name, with the user's role and
// each team's seat holders.
func (d *Directory) MyTeams(ctx context.Context, userID string) ([]Team, error) {
	return d.st.FindMyTeams(ctx, userID)
}
