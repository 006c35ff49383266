package teams

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
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
// first. An empty query lists teams by name. Seats cost one call to billing for all of them.
func (s *Service) FindTeams(ctx context.Context, query string) ([]TeamListing, error) {
	query, problem := text.Search(query, MaxTeamQuery)
	if problem != "" {
		return nil, apperr.InvalidFields(apperr.Field("query", problem))
	}
	rows, err := s.st.findTeams(ctx, s.DB.Gorm, query, s.Now(), MaxTeamsFound)
	if err != nil {
		return nil, err
	}
	totals := map[string]int{}
	if s.Seats != nil && len(rows) > 0 {
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if totals, err = s.Seats.TeamsSeats(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]TeamListing, len(rows))
	for i, r := range rows {
		out[i] = TeamListing{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), ManagerName: deref(r.ManagerName),
			ManagerEmail: deref(r.ManagerEmail), Seats: Seats{Total: totals[r.ID], Used: r.Used, Pending: r.Pending}}
	}
	return out, nil
}

// teamListingRow is a team with its first manager and seat use, for the admin search.
type teamListingRow struct {
	ID           string
	Name         string
	CreatedAt    time.Time
	ManagerName  *string
	ManagerEmail *string
	Used         int
	Pending      int
}

// findTeams searches teams in one query (reading users for the managers' names). strpos needs
// no escaping of LIKE wildcards, and the lists are short enough not to need an index.
func (store) findTeams(ctx context.Context, g *gorm.DB, query string, now time.Time, limit int) ([]teamListingRow, error) {
	var rows []teamListingRow
	err := g.WithContext(ctx).Raw(`
		SELECT t.id, t.name, t.created_at, mgr.name AS manager_name, mgr.email AS manager_email,
		       (SELECT count(*) FROM team_members o WHERE o.team_id = t.id AND o.removed_at IS NULL AND o.is_learner) AS used,
		       (SELECT count(*) FROM team_invites i WHERE i.team_id = t.id AND i.accepted_at IS NULL
		           AND i.revoked_at IS NULL AND i.expires_at > @now) AS pending
		FROM teams t
		LEFT JOIN LATERAL (
		    SELECT u.name, u.email FROM team_members m JOIN users u ON u.id = m.user_id
		    WHERE m.team_id = t.id AND m.role = 'manager' AND m.removed_at IS NULL
		    ORDER BY m.joined_at, m.user_id LIMIT 1
		) mgr ON true
		WHERE @q = '' OR strpos(lower(t.name), lower(@q)) > 0
		   OR strpos(lower(mgr.name), lower(@q)) > 0 OR strpos(lower(mgr.email), lower(@q)) > 0
		ORDER BY strpos(lower(t.name), lower(@q)) = 1 DESC, lower(t.name), t.id
		LIMIT @limit`, map[string]any{"q": query, "now": now, "limit": limit}).Scan(&rows).Error
	return rows, db.Err(err)
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
