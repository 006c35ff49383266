package identity

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// RefreshCookie is the name of the httpOnly refresh-token cookie.
const RefreshCookie = "rapport_refresh"

// Entitlement is the premium-access summary shown on /me.
type Entitlement struct {
	Premium bool    `json:"premium"`
	Source  *string `json:"source"`
}

// TeamRef is a team the user belongs to.
type TeamRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// MeExtras supplies the parts of /me that other domains own (billing, teams).
type MeExtras interface {
	Entitlement(ctx context.Context, userID string) (Entitlement, error)
	Teams(ctx context.Context, userID string) ([]TeamRef, error)
}

// Handler serves the identity routes.
type Handler struct {
	svc          *Service
	secureCookie bool
	extras       MeExtras
}

// NewHandler builds the handler; extras is required.
func NewHandler(svc *Service, secureCookie bool, extras MeExtras) *Handler {
	return &Handler{svc: svc, secureCookie: secureCookie, extras: extras}
}

// Routes mounts the identity routes on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	a := g.Group("/auth")
	a.POST("/register", h.handleRegister)
	a.POST("/login", h.handleLogin)
	a.POST("/refresh", h.handleRefresh)
	a.POST("/logout", h.handleLogout)
	a.POST("/logout-all", h.handleLogoutAll, web.RequireUser)
	a.POST("/password/forgot", h.handleForgot)
	a.POST("/password/reset", h.handleReset)
	a.POST("/verify-email", h.handleVerify)
	a.POST("/verify-email/resend", h.handleResend, web.RequireUser)

	g.GET("/me", h.handleMe, web.RequireUser)
	g.PATCH("/me", h.handlePatchMe, web.RequireUser)
	g.PUT("/me/password", h.handleChangePassword, web.RequireUser)

	admin := g.Group("/admin", web.RequireRole(h.svc, role.Admin))
	admin.GET("/users", h.handleAdminUsers)
	admin.PUT("/users/:id/roles", h.handleAdminRoles)
}

type userDTO struct {
	ID    string   `json:"id"`
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

func toUserDTO(u User) userDTO {
	return userDTO{ID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
}

type sessionDTO struct {
	User        userDTO `json:"user"`
	AccessToken string  `json:"access_token"`
	ExpiresIn   int     `json:"expires_in"`
}

type registerReq struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

func (h *Handler) handleRegister(c echo.Context) error {
	var req registerReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	sess, err := h.svc.Register(c.Request().Context(), req.Email, req.Password, req.Name)
	if err != nil {
		return err
	}
	return h.sendSession(c, http.StatusCreated, sess)
}

type loginReq struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (h *Handler) handleLogin(c echo.Context) error {
	var req loginReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	sess, err := h.svc.Login(c.Request().Context(), req.Email, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	return h.sendSession(c, http.StatusOK, sess)
}

func (h *Handler) handleRefresh(c echo.Context) error {
	sess, err := h.svc.Refresh(c.Request().Context(), refreshFrom(c))
	if err != nil {
		// Only a refused token ends the browser's session; an outage must not sign everyone out.
		if apperr.Is(err, apperr.Unauthorized) {
			h.clearCookie(c)
		}
		return err
	}
	h.setCookie(c, sess.RefreshToken)
	return c.JSON(http.StatusOK, map[string]any{"access_token": sess.AccessToken, "expires_in": sess.ExpiresIn})
}

func (h *Handler) handleLogout(c echo.Context) error {
	if err := h.svc.Logout(c.Request().Context(), refreshFrom(c)); err != nil {
		return err
	}
	h.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) handleLogoutAll(c echo.Context) error {
	if err := h.svc.LogoutAll(c.Request().Context(), web.UserID(c)); err != nil {
		return err
	}
	h.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

type emailReq struct {
	Email string `json:"email"`
}

func (h *Handler) handleForgot(c echo.Context) error {
	var req emailReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	if err := h.svc.ForgotPassword(c.Request().Context(), req.Email); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

type resetReq struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (h *Handler) handleReset(c echo.Context) error {
	var req resetReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	if err := h.svc.ResetPassword(c.Request().Context(), req.Token, req.Password); err != nil {
		return err
	}
	h.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

type tokenReq struct {
	Token string `json:"token"`
}

func (h *Handler) handleVerify(c echo.Context) error {
	var req tokenReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	if err := h.svc.VerifyEmail(c.Request().Context(), req.Token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) handleResend(c echo.Context) error {
	if err := h.svc.ResendVerification(c.Request().Context(), web.UserID(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

func (h *Handler) sendSession(c echo.Context, status int, s Session) error {
	h.setCookie(c, s.RefreshToken)
	return c.JSON(status, sessionDTO{User: toUserDTO(s.User), AccessToken: s.AccessToken, ExpiresIn: s.ExpiresIn})
}

func refreshFrom(c echo.Context) string {
	ck, err := c.Cookie(RefreshCookie)
	if err != nil {
		return ""
	}
	return ck.Value
}

func (h *Handler) setCookie(c echo.Context, raw string) {
	c.SetCookie(&http.Cookie{Name: RefreshCookie, Value: raw, Path: "/api/v1/auth", HttpOnly: true,
		Secure: h.secureCookie, SameSite: http.SameSiteLaxMode, MaxAge: int(RefreshTTL / time.Second)})
}

func (h *Handler) clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: RefreshCookie, Value: "", Path: "/api/v1/auth", HttpOnly: true,
		Secure: h.secureCookie, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// ClearSession removes the refresh cookie from the browser (after the account was erased).
func (h *Handler) ClearSession(c echo.Context) { h.clearCookie(c) }
