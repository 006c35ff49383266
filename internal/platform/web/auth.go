package web

import (
	"context"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
)

const userKey = "rapport.user_id"

// TokenVerifier turns an access token into the user id it was issued to.
type TokenVerifier interface {
	Verify(raw string) (string, error)
}

// RoleSource reports a user's current roles (read from the database, so a revoked role takes
// effect at once rather than when the access token expires).
type RoleSource interface {
	UserRoles(ctx context.Context, userID string) ([]string, error)
}

// Authenticate reads an optional bearer token. No token → anonymous; a bad token → 401, so the
// client knows to refresh rather than silently seeing anonymous data.
func Authenticate(v TokenVerifier) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			if h == "" {
				return next(c)
			}
			scheme, raw, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return apperr.New(apperr.Unauthorized, "Authorization must be a Bearer token")
			}
			sub, err := v.Verify(strings.TrimSpace(raw))
			if err != nil {
				return apperr.New(apperr.Unauthorized, "invalid or expired access token")
			}
			c.Set(userKey, sub)
			return next(c)
		}
	}
}

// RequireUser rejects anonymous requests with 401.
func RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if UserID(c) == "" {
			return apperr.New(apperr.Unauthorized, "sign in to continue")
		}
		return next(c)
	}
}

// RequireRole allows signed-in users holding any of roles; others get 401 or 403.
func RequireRole(src RoleSource, roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			uid := UserID(c)
			if uid == "" {
				return apperr.New(apperr.Unauthorized, "sign in to continue")
			}
			have, err := src.UserRoles(c.Request().Context(), uid)
			if err != nil {
				if apperr.Is(err, apperr.NotFound) {
					return apperr.New(apperr.Unauthorized, "account no longer exists")
				}
				return err
			}
			for _, r := range roles {
				if slices.Contains(have, r) {
					return next(c)
				}
			}
			return apperr.New(apperr.Forbidden, "your account does not have the "+strings.Join(roles, " or ")+" role")
		}
	}
}

// UserID is the signed-in user's id, or "" for anonymous requests.
func UserID(c echo.Context) string {
	s, _ := c.Get(userKey).(string)
	return s
}
