package account

import (
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves /me/export, DELETE /me and the admin's DELETE /admin/users/{id} and
// /admin/users/{id}/export.
type Handler struct {
	svc   *Service
	roles web.RoleSource
	// endSession clears the browser's refresh cookie once its account is gone.
	endSession func(echo.Context)
	now        func() time.Time
}

// NewHandler builds the handler; every argument is required.
func NewHandler(svc *Service, roles web.RoleSource, endSession func(echo.Context), now func() time.Time) *Handler {
	return &Handler{svc: svc, roles: roles, endSession: endSession, now: now}
}

// Routes mounts the routes on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	g.GET("/me/export", h.handleExport, web.RequireUser)
	// The e-mailed link of a queued export: its token is the credential (the mail client opens it
	// in a browser that may hold no session), single use and short-lived.
	g.GET("/me/export/:token", h.handleDownload)
	g.DELETE("/me", h.handleDeleteMe, web.RequireUser)
	g.DELETE("/admin/users/:id", h.handleAdminDelete, web.RequireRole(h.roles, role.Admin))
	g.GET("/admin/users/:id/export", h.handleAdminExport, web.RequireRole(h.roles, role.Admin))
}

type deleteMeReq struct {
	Password string `json:"password"`
}

func (h *Handler) handleDeleteMe(c echo.Context) error {
	var req deleteMeReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	if err := h.svc.DeleteOwn(c.Request().Context(), web.UserID(c), req.Password); err != nil {
		return err
	}
	h.endSession(c)
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) handleAdminDelete(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteByAdmin(c.Request().Context(), web.UserID(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleExport streams a ZIP holding data.json. Every section is read before the first byte is
// sent, so a failure is still a proper problem response; the archive itself is written straight
// to the response, never assembled in memory, which is what lets files (recordings) join it.
func (h *Handler) handleExport(c echo.Context) error {
	uid := web.UserID(c)
	sections, files, queued, err := h.svc.ExportOrQueue(c.Request().Context(), uid)
	if err != nil {
		return err
	}
	if queued {
		return c.JSON(http.StatusAccepted, map[string]string{"status": "queued"})
	}
	return h.writeArchive(c, uid, sections, files)
}

// handleDownload streams a queued export once, then deletes its file.
func (h *Handler) handleDownload(c echo.Context) error {
	r, done, err := h.svc.Download(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	defer done()
	defer r.Close()
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "application/zip")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="rapport-data-`+h.now().UTC().Format("2006-01-02")+`.zip"`)
	res.Header().Set("Cache-Control", "no-store")
	res.Header().Set("Referrer-Policy", "no-referrer")
	res.WriteHeader(http.StatusOK)
	_, err = io.Copy(res, r)
	return err
}

// handleAdminExport is the same archive for an admin, on the user's behalf.
func (h *Handler) handleAdminExport(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	sections, files, err := h.svc.ExportByAdmin(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return h.writeArchive(c, id, sections, files)
}

// writeArchive streams the ZIP of uid's sections as an attachment.
func (h *Handler) writeArchive(c echo.Context, uid string, sections []Section, files []File) error {
	now := h.now().UTC()
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "application/zip")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="rapport-data-`+now.Format("2006-01-02")+`.zip"`)
	res.Header().Set("Cache-Control", "no-store")
	res.WriteHeader(http.StatusOK)
	return WriteArchive(c.Request().Context(), res, uid, sections, files, now)
}
