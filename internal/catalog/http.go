package catalog

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the catalog (learner) and studio (instructor) routes.
type Handler struct {
	svc      *Service
	bodies   lessonBodies
	catalogs catalogBodies
}

// NewHandler builds the handler; the studio routes check roles with the service's Roles.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the catalog and studio routes on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	g.GET("/modules", h.handleCatalog)
	g.GET("/modules/:slug", h.handleModule)
	g.GET("/modules/:slug/lessons/:lesson", h.handleLesson)
	g.GET("/modules/:slug/coaching", h.handleCoaching)

	st := g.Group("/studio", web.RequireRole(h.svc.Roles, role.Instructor, role.Admin))
	st.GET("/modules", h.handleStudioModules)
	st.POST("/modules", h.handleStudioCreateModule)
	st.GET("/modules/:slug", h.handleStudioModule)
	st.PUT("/modules/:slug", h.handleStudioUpdateModule)
	st.POST("/modules/:slug/lessons", h.handleStudioCreateLesson)
	st.GET("/modules/:slug/lessons/:lesson", h.handleStudioLesson)
	st.PUT("/modules/:slug/lessons/:lesson", h.handleStudioUpdateLesson)
	st.DELETE("/modules/:slug/lessons/:lesson", h.handleStudioDeleteLesson)
	st.POST("/modules/:slug/publish", h.handleStudioPublish)
	st.POST("/modules/:slug/unpublish", h.handleStudioUnpublish)
	st.GET("/modules/:slug/versions", h.handleStudioVersions)
	st.GET("/modules/:slug/versions/:version", h.handleStudioVersion)
	st.POST("/preview", h.handleStudioPreview)
}

type progressDTO struct {
	CompletedLessons int `json:"completed_lessons"`
	Percent          int `json:"percent"`
}

type catalogModuleDTO struct {
	ID           string       `json:"id"`
	Slug         string       `json:"slug"`
	Title        string       `json:"title"`
	Summary      string       `json:"summary"`
	Access       string       `json:"access"`
	Competencies []string     `json:"competencies"`
	LessonCount  int          `json:"lesson_count"`
	Minutes      int          `json:"minutes"`
	Version      int          `json:"version"`
	Progress     *progressDTO `json:"progress,omitempty"`
}

type catalogLessonDTO struct {
	ID        string `json:"id"`
	Slug      string `json:"slug"`
	Title     string `json:"title"`
	Minutes   int    `json:"minutes"`
	Completed *bool  `json:"completed,omitempty"`
}

type catalogModuleDetailDTO struct {
	catalogModuleDTO
	Lessons []catalogLessonDTO `json:"lessons"`
}

func toCatalogModuleDTO(m CatalogModule) catalogModuleDTO {
	d := catalogModuleDTO{ID: m.ID, Slug: m.Slug, Title: m.Title, Summary: m.Summary, Access: m.Access,
		Competencies: m.Competencies, LessonCount: m.LessonCount, Minutes: m.Minutes, Version: m.Version}
	if m.Progress != nil {
		d.Progress = &progressDTO{CompletedLessons: m.Progress.CompletedLessons, Percent: m.Progress.Percent}
	}
	return d
}

func (h *Handler) handleCatalog(c echo.Context) error {
	mods, err := h.svc.Catalog(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	body, err := h.catalogBody(mods)
	if err != nil {
		return err
	}
	return web.ServeBody(c, http.StatusOK, body)
}

func (h *Handler) handleModule(c echo.Context) error {
	m, err := h.svc.CatalogModule(c.Request().Context(), web.UserID(c), c.Param("slug"))
	if err != nil {
		return err
	}
	d := catalogModuleDetailDTO{catalogModuleDTO: toCatalogModuleDTO(m), Lessons: make([]catalogLessonDTO, len(m.Lessons))}
	for i, l := range m.Lessons {
		d.Lessons[i] = catalogLessonDTO{ID: l.ID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes, Completed: l.Completed}
	}
	return c.JSON(http.StatusOK, d)
}

type lessonRefDTO struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

type lessonDTO struct {
	ID          string        `json:"id"`
	Slug        string        `json:"slug"`
	Title       string        `json:"title"`
	Minutes     int           `json:"minutes"`
	HTML        string        `json:"html"`
	Version     int           `json:"version"`
	ModuleSlug  string        `json:"module_slug"`
	ModuleTitle string        `json:"module_title"`
	Access      string        `json:"access"`
	Prev        *lessonRefDTO `json:"prev"`
	Next        *lessonRefDTO `json:"next"`
	Checks      []checkDTO    `json:"checks"`
}

// checkDTO is a check as learners see it before answering: never the answer or explanations.
type checkDTO struct {
	ID      string           `json:"id"`
	Prompt  string           `json:"prompt"`
	Options []checkOptionDTO `json:"options"`
}

type checkOptionDTO struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// toCheckDTOs is the learner's view of checks; the review domain serves the same shape.
func toCheckDTOs(cs []Check) []checkDTO {
	out := make([]checkDTO, len(cs))
	for i, c := range cs {
		d := checkDTO{ID: c.ID, Prompt: c.Prompt, Options: make([]checkOptionDTO, len(c.Options))}
		for j, o := range c.Options {
			d.Options[j] = checkOptionDTO{ID: o.ID, Text: o.Text}
		}
		out[i] = d
	}
	return out
}

func toLessonRefDTO(r *LessonRef) *lessonRefDTO {
	if r == nil {
		return nil
	}
	return &lessonRefDTO{Slug: r.Slug, Title: r.Title}
}

// handleLesson serves a published lesson. Its ETag names the version's content, so a client
// revalidating an unchanged lesson gets a 304 without the body; access is checked first.
func (h *Handler) handleLesson(c echo.Context) error {
	l, err := h.svc.Lesson(c.Request().Context(), web.UserID(c), c.Param("slug"), c.Param("lesson"))
	if err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderCacheControl, "private, no-cache")
	hd.Set("ETag", l.ETag)
	hd.Add(echo.HeaderVary, echo.HeaderAuthorization)
	if etagMatches(c.Request().Header.Get("If-None-Match"), l.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	body, err := h.lessonBody(l)
	if err != nil {
		return err
	}
	return web.ServeBody(c, http.StatusOK, body)
}

type coachingDTO struct {
	ModuleSlug string `json:"module_slug"`
	Title      string `json:"title"`
	HTML       string `json:"html"`
}

// handleCoaching serves a module's coaching guide to those who coach (the service decides who).
func (h *Handler) handleCoaching(c echo.Context) error {
	g, err := h.svc.Coaching(c.Request().Context(), web.UserID(c), c.Param("slug"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-cache")
	return c.JSON(http.StatusOK, coachingDTO{ModuleSlug: g.ModuleSlug, Title: g.Title, HTML: g.HTML})
}

// etagMatches implements If-None-Match's weak comparison against one strong ETag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || (t != "" && t == etag) {
			return true
		}
	}
	return false
}

// rfc3339 renders times the one way the API does: UTC RFC 3339.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
