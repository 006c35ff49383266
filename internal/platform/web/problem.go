package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
)

// StatusClientClosed is nginx's conventional status for a request the client abandoned.
const StatusClientClosed = 499

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []apperr.FieldError `json:"errors,omitempty"`
}

var statusByKind = map[apperr.Kind]int{
	apperr.Internal:        http.StatusInternalServerError,
	apperr.Invalid:         http.StatusUnprocessableEntity,
	apperr.Unauthorized:    http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.PaymentRequired: http.StatusPaymentRequired,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.Unsupported:     http.StatusUnsupportedMediaType,
	apperr.Gone:            http.StatusGone,
}

// ErrorHandler is Echo's HTTPErrorHandler: the one place errors become responses. Application
// errors map by kind; Echo's own errors keep their status; anything else is a logged 500 whose
// cause is never sent. A 503 because the database is not answering goes to health (when set),
// which logs the first of each outage rather than every request.
func ErrorHandler(log *slog.Logger, health *db.Health) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := toProblem(err)
		if p.Status >= 500 {
			attrs := []any{"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Request().URL.Path, "status", p.Status}
			if p.Status == http.StatusServiceUnavailable && health != nil && databaseDown(err) {
				health.Failed(c.Request().Context(), err, attrs...)
			} else {
				log.ErrorContext(c.Request().Context(), "request failed", append(attrs, "error", err.Error())...)
			}
		}
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Kind == apperr.RateLimited && ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
		}
		p.Instance = c.Request().URL.Path
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(p.Status)
			return
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		_ = c.JSON(p.Status, p)
	}
}

// databaseDown reports whether err is the database not answering: marked so by the db package,
// or a driver error no store mapped (toProblem answers those 503 too).
func databaseDown(err error) bool {
	var ae *apperr.Error
	return errors.Is(err, db.ErrUnavailable) || (!errors.As(err, &ae) && db.IsUnavailable(err))
}

func toProblem(err error) Problem {
	var ae *apperr.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
		status := statusByKind[ae.Kind]
		detail := ae.Detail
		if ae.Kind == apperr.Internal {
			detail = errInternalDetail
		}
		return newProblem(status, detail, ae.Fields)
	case errors.As(err, &he):
		detail := httpDetail(he.Code)
		if msg, ok := he.Message.(string); ok && he.Code < 500 && msg != http.StatusText(he.Code) {
			detail = msg
		}
		return newProblem(he.Code, detail, nil)
	case errors.Is(err, context.Canceled):
		// The client went away mid-request; nobody reads this answer, and it is not our failure.
		return Problem{Type: "about:blank", Title: "Client Closed Request", Status: StatusClientClosed, Detail: "The request was cancelled before it finished."}
	case db.IsUnavailable(err):
		return newProblem(http.StatusServiceUnavailable, "Rapport is temporarily unavailable. Please try again in a moment.", nil)
	default:
		return newProblem(http.StatusInternalServerError, errInternalDetail, nil)
	}
}

// errInternalDetail is what a user reads about a failure of ours; the cause goes to the log.
const errInternalDetail = "Something went wrong on our side. Please try again; if it keeps happening, contact support."

// httpDetail is the sentence for an error Echo raised itself (an unknown route, a wrong method).
func httpDetail(code int) string {
	switch code {
	case http.StatusNotFound:
		return "We couldn’t find what you were looking for. Check the link and try again."
	case http.StatusMethodNotAllowed:
		return "This action isn’t available here."
	case http.StatusRequestEntityTooLarge:
		return "This request is too large. Please shorten it and try again."
	case http.StatusUnsupportedMediaType:
		return "This type of content isn’t supported here."
	case http.StatusTooManyRequests:
		return "Too many requests. Please wait a moment and try again."
	}
	if code >= 500 {
		return errInternalDetail
	}
	return "We couldn’t handle this request. Please refresh the page and try again."
}

func newProblem(status int, detail string, fields []apperr.FieldError) Problem {
	return Problem{
		Type:   "about:blank",
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Errors: fields,
	}
}

// StatusOf is the HTTP status of an application error kind (for handlers that write their own
// problem bodies, such as the tus upload handler).
func StatusOf(k apperr.Kind) int {
	if s, ok := statusByKind[k]; ok {
		return s
	}
	return http.StatusInternalServerError
}
