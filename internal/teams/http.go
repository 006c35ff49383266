package teams

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the teams routes.
type Handler struct {
	svc   *Service
	roles web.RoleSource
}

// NewHandler builds the handler; roles answers the admin check of the admin routes.
func NewHandler(svc *Service, roles web.RoleSource) *Handler { return &Handler{svc: svc, roles: roles} }

// Routes mounts the teams routes on the /api/v1 group. Every route but the invite preview needs
// a signed-in user; team routes answer 404 to non-members and 403 to members on manager routes.
func (h *Handler) Routes(g *echo.Group) {
	u := web.RequireUser
	g.POST("/teams", h.handleCreate, u)
	g.GET("/teams", h.handleMine, u)
	g.GET("/teams/:id", h.handleTeam, u)
	g.PATCH("/teams/:id", h.handleRename, u)
	g.GET("/teams/:id/members/:user_id", h.handleMember, u)
	g.PATCH("/teams/:id/members/:user_id", h.handleSetRole, u)
	g.DELETE("/teams/:id/members/:user_id", h.handleRemove, u)
	g.POST("/teams/:id/invites", h.handleInvite, u)
	g.GET("/teams/:id/invites", h.handleInvites, u)
	g.POST("/teams/:id/invites/:invite_id/resend", h.handleResend, u)
	g.DELETE("/teams/:id/invites/:invite_id", h.handleRevoke, u)
	g.GET("/teams/:id/report", h.handleReport, u)
	g.POST("/teams/:id/assignments", h.handleAssign, u)
	g.GET("/teams/:id/assignments", h.handleAssignments, u)
	g.POST("/teams/:id/recognitions", h.handleRecognize, u)
	g.GET("/teams/:id/recognitions", h.handleFeed, u)
	g.GET("/teams/:id/prompts", h.handlePrompts, u)
	g.GET("/teams/:id/recognition-gaps", h.handleRecognitionGaps, u)
	g.GET("/teams/:id/pulse-trend", h.handlePulseTrend, u)
	g.GET("/me/assignments", h.handleMyAssignments, u)
	g.GET("/me/recognitions", h.handleMyRecognitions, u)
	g.GET("/invites/:token", h.handlePreview)
	g.POST("/invites/:token/accept", h.handleAccept, u)
	g.GET("/admin/teams", h.handleAdminTeams, web.RequireRole(h.roles, role.Admin))
}

type seatsDTO struct {
	Total   int `json:"total"`
	Used    int `json:"used"`
	Pending int `json:"pending"`
	Free    int `json:"free"`
}

type memberDTO struct {
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	IsLearner bool      `json:"is_learner"`
	JoinedAt  time.Time `json:"joined_at"`
}

func toMemberDTO(m Member) memberDTO {
	return memberDTO{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role, IsLearner: m.IsLearner, JoinedAt: m.JoinedAt}
}

type teamDTO struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	CreatedAt time.Time   `json:"created_at"`
	Seats     seatsDTO    `json:"seats"`
	Members   []memberDTO `json:"members"`
	MyRole    string      `json:"my_role"`
	IsLearner bool        `json:"is_learner"`
}

func toTeamDTO(d TeamDetail) teamDTO {
	out := teamDTO{ID: d.ID, Name: d.Name, CreatedAt: d.CreatedAt, MyRole: d.MyRole, IsLearner: d.IsLearner,
		Seats:   seatsDTO{Total: d.Seats.Total, Used: d.Seats.Used, Pending: d.Seats.Pending, Free: d.Seats.Free()},
		Members: make([]memberDTO, len(d.Members))}
	for i, m := range d.Members {
		out.Members[i] = toMemberDTO(m)
	}
	return out
}

type teamSummaryDTO struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Role        string    `json:"role"`
	IsLearner   bool      `json:"is_learner"`
	MemberCount int       `json:"member_count"`
	CreatedAt   time.Time `json:"created_at"`
}

type nameReq struct {
	Name string `json:"name"`
}

func (h *Handler) handleCreate(c echo.Context) error {
	var req nameReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	d, err := h.svc.CreateTeam(c.Request().Context(), web.UserID(c), req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toTeamDTO(d))
}

func (h *Handler) handleMine(c echo.Context) error {
	teams, err := h.svc.MyTeams(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := make([]teamSummaryDTO, len(teams))
	for i, t := range teams {
		out[i] = teamSummaryDTO{ID: t.ID, Name: t.Name, Role: t.MyRole, IsLearner: t.IsLearner, MemberCount: t.MemberCount, CreatedAt: t.CreatedAt}
	}
	return c.JSON(http.StatusOK, map[string]any{"teams": out})
}

func (h *Handler) handleTeam(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	d, err := h.svc.Team(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTeamDTO(d))
}

func (h *Handler) handleRename(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var req nameReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	d, err := h.svc.Rename(c.Request().Context(), web.UserID(c), id, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTeamDTO(d))
}

// teamAndUser reads the :id and :user_id path parameters (non-UUIDs are 404).
func teamAndUser(c echo.Context, second string) (string, string, error) {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return "", "", err
	}
	other, err := web.UUIDParam(c, second)
	return id, other, err
}

type roleReq struct {
	Role string `json:"role" validate:"required,oneof=manager member"`
}

func (h *Handler) handleSetRole(c echo.Context) error {
	id, userID, err := teamAndUser(c, "user_id")
	if err != nil {
		return err
	}
	var req roleReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	m, err := h.svc.SetRole(c.Request().Context(), web.UserID(c), id, userID, req.Role)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toMemberDTO(m))
}

func (h *Handler) handleRemove(c echo.Context) error {
	id, userID, err := teamAndUser(c, "user_id")
	if err != nil {
		return err
	}
	if err := h.svc.RemoveMember(c.Request().Context(), web.UserID(c), id, userID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type inviteDTO struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	State     string    `json:"state"`
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

func toInviteDTOs(invs []Invite) []inviteDTO {
	out := make([]inviteDTO, len(invs))
	for i, v := range invs {
		out[i] = inviteDTO{ID: v.ID, Email: v.Email, State: v.State, ExpiresAt: v.ExpiresAt, CreatedAt: v.CreatedAt}
	}
	return out
}

type inviteReq struct {
	Emails []string `json:"emails"`
}

func (h *Handler) handleInvite(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var req inviteReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	invs, err := h.svc.Invite(c.Request().Context(), web.UserID(c), id, req.Emails)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"invites": toInviteDTOs(invs)})
}

func (h *Handler) handleInvites(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	invs, err := h.svc.Invites(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"invites": toInviteDTOs(invs)})
}

func (h *Handler) handleResend(c echo.Context) error {
	id, inviteID, err := teamAndUser(c, "invite_id")
	if err != nil {
		return err
	}
	inv, err := h.svc.ResendInvite(c.Request().Context(), web.UserID(c), id, inviteID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, toInviteDTOs([]Invite{inv})[0])
}

func (h *Handler) handleRevoke(c echo.Context) error {
	id, inviteID, err := teamAndUser(c, "invite_id")
	if err != nil {
		return err
	}
	if err := h.svc.RevokeInvite(c.Request().Context(), web.UserID(c), id, inviteID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type previewDTO struct {
	TeamName    string    `json:"team_name"`
	InviterName string    `json:"inviter_name"`
	Email       string    `json:"email"`
	State       string    `json:"state"`
	ExpiresAt   time.Time `json:"expires_at"`
}

func (h *Handler) handlePreview(c echo.Context) error {
	p, err := h.svc.PreviewInvite(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	// The page is per-token and changes state; caches and referrers must not keep it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, previewDTO{TeamName: p.TeamName, InviterName: p.InviterName, Email: p.MaskedEmail,
		State: p.State, ExpiresAt: p.ExpiresAt})
}

type membershipDTO struct {
	TeamID    string    `json:"team_id"`
	TeamName  string    `json:"team_name"`
	UserID    string    `json:"user_id"`
	Role      string    `json:"role"`
	IsLearner bool      `json:"is_learner"`
	JoinedAt  time.Time `json:"joined_at"`
}

func (h *Handler) handleAccept(c echo.Context) error {
	m, err := h.svc.AcceptInvite(c.Request().Context(), web.UserID(c), strings.TrimSpace(c.Param("token")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, membershipDTO{TeamID: m.TeamID, TeamName: m.TeamName, UserID: m.UserID, Role: m.Role,
		IsLearner: m.IsLearner, JoinedAt: m.JoinedAt})
}
