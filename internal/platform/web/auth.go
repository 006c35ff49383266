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

const tokenRejectedKey = "rapport.token_rejected"

// Authenticate reads an optional bearer token. No token → anonymous. A bad or expired token is
// ignored too, so public routes (sign in, register, password reset, the catalog) keep working for a
// browser that still holds a stale token; routes that need a user then answer 401 through
// RequireUser or RequireRole. Every response to a request whose token was ignored carries
// `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750), so a client that sent a token learns
// it should refresh even when the public answer itself succeeded.
func Authenticate(v TokenVerifier) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			if h == "" {
				return next(c)
			}
			scheme, raw, ok := strings.Cut(h, " ")
			sub := ""
			if ok && strings.EqualFold(scheme, "Bearer") {
				if id, err := v.Verify(strings.TrimSpace(raw)); err == nil {
					sub = id
				}
			}
			if sub == "" {
				c.Set(tokenRejectedKey, true)
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
				return next(c)
			}
			c.Set(userKey, sub)
			return next(c)
		}
	}
}

// errSignIn is the 401 for a request without a token; errExpired for one whose token was ignored.
var (
	errSignIn  = apperr.New(apperr.Unauthorized, "Please sign in to continue.")
	errExpired = apperr.New(apperr.Unauthorized, "Your session has expired. Please sign in again to continue.")
)

// anonymousError is the 401 an anonymous request gets from a route that needs a user.
func anonymousError(c echo.Context) error {
	if rejected, _ := c.Get(tokenRejectedKey).(bool); rejected {
		return errExpired
	}
	return errSignIn
}

// RequireUser rejects anonymous requests with 401.
func RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if UserID(c) == "" {
			return anonymousError(c)
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
				return anonymousError(c)
			}
			have, err := src.UserRoles(c.Request().Context(), uid)
			if err != nil {
				if apperr.Is(err, apperr.NotFound) {
					return apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
				}
				return err
			}
			for _, r := range roles {
				if slices.Contains(have, r) {
					return next(c)
				}
			}
			return apperr.New(apperr.Forbidden, "This page is for "+roleNames(roles)+" only. Ask an administrator if you need access.")
		}
	}
}

// roleNames turns role codes into the words a user reads: "instructors or admins".
func roleNames(roles []string) string {
	words := make([]string, len(roles))
	for i, r := range roles {
		words[i] = r + "s"
	}
	return strings.Join(words, " or ")
}

// UserID is the signed-in user's id, or "" for anonymous requests.
func UserID(c echo.Context) string {
	s, _ := c.Get(userKey).(string)
	return s
}
