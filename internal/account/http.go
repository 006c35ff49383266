package account

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves /me/export, DELETE /me and the admin's DELETE /admin/users/{id}.
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
	g.DELETE("/me", h.handleDeleteMe, web.RequireUser)
	g.DELETE("/admin/users/:id", h.handleAdminDelete, web.RequireRole(h.roles, role.Admin))
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
	sections, files, err := h.svc.Export(c.Request().Context(), uid)
	if err != nil {
		return err
	}
	now := h.now().UTC()
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "application/zip")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="rapport-data-`+now.Format("2006-01-02")+`.zip"`)
	res.Header().Set("Cache-Control", "no-store")
	res.WriteHeader(http.StatusOK)
	zw := zip.NewWriter(res)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "data.json", Method: zip.Deflate, Modified: now})
	if err != nil {
		return err
	}
	doc := map[string]any{"format": "rapport-export/1", "user_id": uid, "exported_at": now}
	for _, s := range sections {
		doc[s.Name] = s.Value
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	for _, file := range files {
		if err := copyFile(c.Request().Context(), zw, file); err != nil {
			// The status line has gone: all that is left is to cut the archive short, which
			// the client sees as a broken download rather than a complete-looking ZIP.
			return err
		}
	}
	return zw.Close()
}

// copyFile streams one file into the archive, stored as is: recordings are compressed already.
func copyFile(ctx context.Context, zw *zip.Writer, file File) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: file.Name, Method: zip.Store, Modified: file.Modified.UTC()})
	if err != nil {
		return err
	}
	r, err := file.Open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(w, r)
	return err
}
