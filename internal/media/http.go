package media

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// CookieName is the cookie that carries an access token to /media/ for elements that cannot send
// an Authorization header (<img>, <video>, <audio>, download links). The SPA sets it, scoped to
// Path=/media, whenever it gets a fresh access token; it is read nowhere else.
const CookieName = "rapport_media"

// Handler serves the media routes.
type Handler struct {
	svc    *Service
	roles  web.RoleSource
	tokens web.TokenVerifier
	tus    http.Handler
}

// NewHandler returns the handler; tus is the resumable-upload handler (NewTus).
func NewHandler(svc *Service, roles web.RoleSource, tokens web.TokenVerifier, tus http.Handler) *Handler {
	return &Handler{svc: svc, roles: roles, tokens: tokens, tus: tus}
}

// UploadsPath is where the tus endpoint lives.
const UploadsPath = "/api/v1/uploads/"

// Routes mounts the Studio library and the tus endpoint on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	staff := web.RequireRole(h.roles, role.Instructor, role.Admin)
	st := g.Group("/studio/media", staff)
	st.POST("", h.upload)
	st.GET("", h.list)
	st.GET("/:id", h.get)
	st.PATCH("/:id", h.patch)
	st.DELETE("/:id", h.delete)
	tus := echo.WrapHandler(http.StripPrefix(UploadsPath, h.tus))
	// Instructors and admins upload media; any signed-in learner may upload the recording of
	// their own practice draft (an upload naming a submission). An upload is then only ever
	// reachable by the user who started it (ownerCheck).
	g.POST("/uploads/", tus, uploadGate(staff), withUser)
	for _, m := range []string{http.MethodHead, http.MethodPatch, http.MethodDelete} {
		g.Add(m, "/uploads/:id", tus, web.RequireUser, withUser)
	}
}

// uploadGate lets anyone signed in start a recording upload (its metadata names a submission,
// whose owner practice checks) and only staff start any other.
func uploadGate(staff echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		forStaff, forUser := staff(next), web.RequireUser(next)
		return func(c echo.Context) error {
			if metadataHas(c.Request().Header.Get("Upload-Metadata"), SubmissionMeta) {
				return forUser(c)
			}
			return forStaff(c)
		}
	}
}

// metadataHas reports whether a tus Upload-Metadata header ("key base64,key base64") has key.
func metadataHas(header, key string) bool {
	for _, pair := range strings.Split(header, ",") {
		if k, _, _ := strings.Cut(strings.TrimSpace(pair), " "); k == key {
			return true
		}
	}
	return false
}

// FileRoutes mounts GET /media/:id on the root (it is the url of an item, outside the API).
func (h *Handler) FileRoutes(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.GET("/media/:id", h.serve, mw...)
	e.HEAD("/media/:id", h.serve, mw...)
}

// UseDTO is one lesson that shows an item.
type UseDTO struct {
	ModuleSlug  string `json:"module_slug"`
	LessonSlug  string `json:"lesson_slug"`
	LessonTitle string `json:"lesson_title"`
	Published   bool   `json:"published"`
}

// ItemDTO is a media item as the API shows it.
type ItemDTO struct {
	ID              string    `json:"id"`
	Kind            Kind      `json:"kind"`
	ContentType     string    `json:"content_type"`
	Bytes           int64     `json:"bytes"`
	Title           string    `json:"title"`
	Alt             string    `json:"alt"`
	FileName        string    `json:"file_name"`
	DurationSeconds *float64  `json:"duration_seconds"`
	URL             string    `json:"url"`
	CreatedAt       time.Time `json:"created_at"`
	UsedIn          []UseDTO  `json:"used_in"`
}

func toDTO(l Listed) ItemDTO {
	d := ItemDTO{ID: l.ID, Kind: l.Kind, ContentType: l.ContentType, Bytes: l.Bytes, Title: l.Title, Alt: l.Alt,
		FileName: l.FileName, DurationSeconds: l.DurationSeconds, URL: l.URL(), CreatedAt: l.CreatedAt, UsedIn: []UseDTO{}}
	for _, u := range l.Uses {
		d.UsedIn = append(d.UsedIn, UseDTO{ModuleSlug: u.ModuleSlug, LessonSlug: u.LessonSlug, LessonTitle: u.LessonTitle, Published: u.Published})
	}
	return d
}

// ListDTO is the library.
type ListDTO struct {
	Media []ItemDTO `json:"media"`
}

// PatchRequest edits an item's text.
type PatchRequest struct {
	Title *string `json:"title"`
	Alt   *string `json:"alt"`
}

// maxTextPart bounds a title or alt form field.
const maxTextPart = 4 << 10

// upload takes multipart/form-data with a file part and optional title and alt parts. The form is
// streamed (never buffered whole): the file goes to storage as it arrives; title and alt are
// applied whether they come before or after the file.
func (h *Handler) upload(c echo.Context) error {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != "multipart/form-data" {
		return &apperr.Error{Kind: apperr.Unsupported, Detail: "Send the file as multipart/form-data with a part named “file”."}
	}
	// A large file takes longer than the server's usual read deadline.
	_ = http.NewResponseController(c.Response()).SetReadDeadline(time.Now().Add(2 * time.Hour))
	req.Body = http.MaxBytesReader(c.Response(), req.Body, h.svc.Limits().Max()+1<<20)
	mr, err := req.MultipartReader()
	if err != nil {
		return apperr.InvalidFields(apperr.Field("file", "The upload could not be read. Choose the file again."))
	}
	ctx := req.Context()
	var title, alt *string
	var item *Item
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return h.abandon(c, item, multipartErr(err))
		}
		switch part.FormName() {
		case "title", "alt":
			b, err := io.ReadAll(io.LimitReader(part, maxTextPart+1))
			if err != nil {
				return h.abandon(c, item, multipartErr(err))
			}
			if len(b) > maxTextPart {
				return h.abandon(c, item, apperr.InvalidFields(apperr.Field(part.FormName(), "This text is too long.")))
			}
			s := string(b)
			if part.FormName() == "title" {
				title = &s
			} else {
				alt = &s
			}
		case "file":
			if item != nil {
				return h.abandon(c, item, apperr.InvalidFields(apperr.Field("file", "Send one file per upload.")))
			}
			it, err := h.svc.Upload(ctx, NewFile{Name: part.FileName(), Title: title, Alt: alt, Body: part, Field: "file", By: web.UserID(c)})
			if err != nil {
				return multipartErr(err)
			}
			item = &it
			title, alt = nil, nil
		}
		_ = part.Close()
	}
	if item == nil {
		return apperr.InvalidFields(apperr.Field("file", "Choose a file to upload."))
	}
	if title != nil || alt != nil {
		l, err := h.svc.Update(ctx, item.ID, Patch{Title: title, Alt: alt})
		if err != nil {
			return h.abandon(c, item, err)
		}
		return c.JSON(http.StatusCreated, toDTO(l))
	}
	return c.JSON(http.StatusCreated, toDTO(Listed{Item: *item}))
}

// abandon removes an item stored earlier in a request that then failed, so a 4xx never leaves
// a file behind, and returns err.
func (h *Handler) abandon(c echo.Context, item *Item, err error) error {
	if item != nil {
		_ = h.svc.Delete(c.Request().Context(), item.ID)
	}
	return err
}

// multipartErr turns a body that broke off or went over the server's cap into the client's error.
func multipartErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &apperr.Error{Kind: apperr.TooLarge, Detail: fmt.Sprintf("This upload is larger than %d MB, the most Rapport takes.", mbe.Limit>>20), Err: err}
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(apperr.Invalid, "The upload broke off before it finished. Please try again.", err)
}

func (h *Handler) list(c echo.Context) error {
	items, err := h.svc.List(c.Request().Context())
	if err != nil {
		return err
	}
	out := ListDTO{Media: make([]ItemDTO, len(items))}
	for i, it := range items {
		out.Media[i] = toDTO(it)
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Handler) get(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	l, err := h.svc.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDTO(l))
}

func (h *Handler) patch(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var in PatchRequest
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	l, err := h.svc.Update(c.Request().Context(), id, Patch(in))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDTO(l))
}

func (h *Handler) delete(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// serve streams an item with ranges and validators. Who may see it is the Gate's decision; the
// caller is the bearer token's user or, for media elements, the rapport_media cookie's.
func (h *Handler) serve(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	uid := web.UserID(c)
	if uid == "" {
		if ck, err := c.Cookie(CookieName); err == nil && ck.Value != "" {
			if sub, err := h.tokens.Verify(ck.Value); err == nil {
				uid = sub
			}
		}
	}
	ctx := c.Request().Context()
	sv, err := h.svc.Open(ctx, id, uid)
	if err != nil {
		return err
	}
	defer sv.Body.Close()
	// Confirm the bytes are reachable before any header is sent: a storage outage is a clean 503.
	if _, err := h.svc.bucket.Size(ctx, sv.Key()); err != nil {
		return servedErr(err)
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, sv.ContentType)
	hd.Set("ETag", `"`+sv.SHA256+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	// A file is never a page: no scripts, no plugins, even if a browser were to render it.
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox")
	if sv.Access == AccessPublic {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "private, max-age=300")
		hd.Set("Vary", "Cookie, Authorization")
	}
	disp := "inline"
	if sv.Kind == KindDocument {
		disp = "attachment"
	}
	hd.Set("Content-Disposition", disp+"; filename*=UTF-8''"+url.PathEscape(sv.FileName))
	http.ServeContent(c.Response(), c.Request(), "", sv.CreatedAt, sv.Body)
	return nil
}

func servedErr(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return apperr.Wrap(apperr.Unavailable, "This file is missing from storage. Please tell the course team.", err)
	}
	return err
}

// Streams reports whether r carries or fetches a file: a multipart upload, a tus request, a
// download. The server's JSON body limit, gzip and handler timeout do not apply to these.
func Streams(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/media/"):
		return true
	case p == "/api/v1/studio/media" && r.Method == http.MethodPost:
		return true
	case p == strings.TrimSuffix(UploadsPath, "/") || strings.HasPrefix(p, UploadsPath):
		return true
	}
	return false
}
