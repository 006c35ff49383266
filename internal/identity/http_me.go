package identity

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

type meDTO struct {
	userDTO
	EmailVerified   bool        `json:"email_verified"`
	TimeZone        string      `json:"time_zone"`
	WeeklyReminders bool        `json:"weekly_reminders"`
	CreatedAt       time.Time   `json:"created_at"`
	Entitlement     Entitlement `json:"entitlement"`
	Teams           []TeamRef   `json:"teams"`
}

func (h *Handler) me(c echo.Context, u User) error {
	ctx := c.Request().Context()
	dto := meDTO{userDTO: toUserDTO(u), EmailVerified: u.EmailVerifiedAt != nil, TimeZone: u.TimeZone,
		WeeklyReminders: u.WeeklyReminders, CreatedAt: u.CreatedAt}
	ent, err := h.extras.Entitlement(ctx, u.ID)
	if err != nil {
		return err
	}
	teams, err := h.extras.Teams(ctx, u.ID)
	if err != nil {
		return err
	}
	// Never null in JSON: a user in no team gets [].
	dto.Entitlement, dto.Teams = ent, append([]TeamRef{}, teams...)
	return c.JSON(http.StatusOK, dto)
}

func (h *Handler) handleMe(c echo.Context) error {
	u, err := h.svc.User(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	return h.me(c, u)
}

type patchMeReq struct {
	Name            *string `json:"name"`
	TimeZone        *string `json:"time_zone"`
	WeeklyReminders *bool   `json:"weekly_reminders"`
}

func (h *Handler) handlePatchMe(c echo.Context) error {
	var req patchMeReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	u, err := h.svc.UpdateProfile(c.Request().Context(), web.UserID(c),
		ProfileUpdate{Name: req.Name, TimeZone: req.TimeZone, WeeklyReminders: req.WeeklyReminders})
	if err != nil {
		return err
	}
	return h.me(c, u)
}

type changePasswordReq struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (h *Handler) handleChangePassword(c echo.Context) error {
	var req changePasswordReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	sess, err := h.svc.ChangePassword(c.Request().Context(), web.UserID(c), req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	return h.sendSession(c, http.StatusOK, sess)
}

type adminUserDTO struct {
	userDTO
	EmailVerified bool      `json:"email_verified"`
	CreatedAt     time.Time `json:"created_at"`
}

func (h *Handler) handleAdminUsers(c echo.Context) error {
	users, err := h.svc.ListUsers(c.Request().Context(), c.QueryParam("query"))
	if err != nil {
		return err
	}
	out := make([]adminUserDTO, len(users))
	for i, u := range users {
		out[i] = adminUserDTO{userDTO: toUserDTO(u), EmailVerified: u.EmailVerifiedAt != nil, CreatedAt: u.CreatedAt}
	}
	return c.JSON(http.StatusOK, map[string]any{"users": out})
}

type rolesReq struct {
	Roles []string `json:"roles" validate:"required,max=3"`
}

func (h *Handler) handleAdminRoles(c echo.Context) error {
	var req rolesReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	u, err := h.svc.SetRoles(c.Request().Context(), web.UserID(c), id, req.Roles)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUserDTO(u))
}
