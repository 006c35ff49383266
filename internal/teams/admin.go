package teams

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// Limits of the admin's team search.
const (
	// MaxTeamQuery is the longest search text, in characters.
	MaxTeamQuery = 100
	// MaxTeamsFound is how many teams one search answers.
	MaxTeamsFound = 20
)

// TeamListing is a team as an admin finds it: its first manager and its seats.
type TeamListing struct {
	ID           string
	Name         string
	CreatedAt    time.Time
	ManagerName  string
	ManagerEmail string
	Seats        Seats
}

// FindTeams is the admin's team search (the route checks the admin role): teams whose name, or
// whose manager's name or e-mail, contains the query (case-insensitive); names starting with it
// first. An empty query lists teams by name. Seats cost one call to billing and one read of the
// open invites for all of them.
func (s *Service) FindTeams(ctx context.Context, query string) ([]TeamListing, error) {
	query, problem := text.Search(query, MaxTeamQuery)
	if problem != "" {
		return nil, apperr.InvalidFields(apperr.Field("query", problem))
	}
	out, err := s.store.FindTeamListings(ctx, query, MaxTeamsFound)
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, len(out))
	for i, l := range out {
		ids[i] = l.ID
	}
	totals, err := s.Seats.TeamsSeats(ctx, ids)
	if err != nil {
		return nil, err
	}
	open, err := s.store.FindOpenInvites(ctx, ids)
	if err != nil {
		return nil, err
	}
	byTeam := map[string][]Invite{}
	for _, inv := range open {
		byTeam[inv.TeamID] = append(byTeam[inv.TeamID], inv)
	}
	now := s.Now()
	for i, l := range out {
		out[i].Seats = NewSeats(totals[l.ID], l.Seats.Used, byTeam[l.ID], now)
	}
	return out, nil
}

type teamListingDTO struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	CreatedAt    time.Time `json:"created_at"`
	ManagerName  *string   `json:"manager_name"`
	ManagerEmail *string   `json:"manager_email"`
	Seats        seatsDTO  `json:"seats"`
}

func (h *Handler) handleAdminTeams(c echo.Context) error {
	teams, err := h.svc.FindTeams(c.Request().Context(), c.QueryParam("query"))
	if err != nil {
		return err
	}
	out := make([]teamListingDTO, len(teams))
	for i, t := range teams {
		out[i] = teamListingDTO{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ManagerName: ptr(t.ManagerName),
			ManagerEmail: ptr(t.ManagerEmail), Seats: seatsDTO{Total: t.Seats.Total, Used: t.Seats.Used,
				Pending: t.Seats.Pending, Free: t.Seats.Free()}}
	}
	return c.JSON(http.StatusOK, map[string]any{"teams": out})
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
