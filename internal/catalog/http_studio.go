package catalog

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

type studioModuleDTO struct {
	ID           string   `json:"id"`
	Slug         string   `json:"slug"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Access       string   `json:"access"`
	Competencies []string `json:"competencies"`
	SortOrder    int      `json:"sort_order"`
	// State is draft, published or unpublished; Status adds the version ("published v3").
	State                 string `json:"state"`
	Status                string `json:"status"`
	Version               int    `json:"version"`
	HasUnpublishedChanges bool   `json:"has_unpublished_changes"`
	LessonCount           int    `json:"lesson_count"`
	UpdatedAt             string `json:"updated_at"`
}

func toStudioModuleDTO(m Module) studioModuleDTO {
	return studioModuleDTO{ID: m.ID, Slug: m.Slug, Title: m.Title, Summary: m.Summary, Access: m.Access,
		Competencies: m.Competencies, SortOrder: m.SortOrder, State: m.State, Status: m.Status(), Version: m.Version,
		HasUnpublishedChanges: m.HasUnpublishedChanges, LessonCount: m.LessonCount, UpdatedAt: rfc3339(m.UpdatedAt)}
}

type draftLessonDTO struct {
	ID        string `json:"id"`
	Slug      string `json:"slug"`
	Title     string `json:"title"`
	Minutes   int    `json:"minutes"`
	Markdown  string `json:"markdown"`
	Position  int    `json:"position"`
	UpdatedAt string `json:"updated_at"`
	// Checks are in the front matter's shape, answers and explanations included (instructors only).
	Checks []studioCheckDTO `json:"checks"`
}

func toDraftLessonDTO(l Lesson) draftLessonDTO {
	return draftLessonDTO{ID: l.ID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes, Markdown: l.Markdown,
		Position: l.Position, UpdatedAt: rfc3339(l.UpdatedAt), Checks: toStudioChecks(l.Checks)}
}

// studioCheckDTO is a check as instructors edit it, in the shape of a lesson's front matter.
type studioCheckDTO struct {
	ID      string            `json:"id"`
	Prompt  string            `json:"prompt"`
	Options []studioOptionDTO `json:"options"`
	Answer  string            `json:"answer"`
}

type studioOptionDTO struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Explanation string `json:"explanation"`
}

func toStudioChecks(cs []Check) []studioCheckDTO {
	out := make([]studioCheckDTO, len(cs))
	for i, c := range cs {
		d := studioCheckDTO{ID: c.ID, Prompt: c.Prompt, Answer: c.Answer, Options: make([]studioOptionDTO, len(c.Options))}
		for j, o := range c.Options {
			d.Options[j] = studioOptionDTO(o)
		}
		out[i] = d
	}
	return out
}

func fromStudioChecks(ds []studioCheckDTO) []Check {
	out := make([]Check, len(ds))
	for i, d := range ds {
		c := Check{ID: d.ID, Prompt: d.Prompt, Answer: d.Answer, Options: make([]CheckOption, len(d.Options))}
		for j, o := range d.Options {
			c.Options[j] = CheckOption(o)
		}
		out[i] = c
	}
	return out
}

type studioModuleDetailDTO struct {
	studioModuleDTO
	// Coaching is the draft Markdown of the managers' guide ("" when the module has none).
	Coaching string           `json:"coaching"`
	Lessons  []draftLessonDTO `json:"lessons"`
}

type moduleReq struct {
	Slug         *string   `json:"slug"`
	Title        *string   `json:"title"`
	Summary      *string   `json:"summary"`
	Access       *string   `json:"access"`
	Competencies *[]string `json:"competencies"`
	SortOrder    *int      `json:"sort_order"`
	Coaching     *string   `json:"coaching"`
}

func (r moduleReq) input() ModuleInput {
	var comps []string // nil: left out, unchanged
	if r.Competencies != nil {
		comps = orEmpty(*r.Competencies)
	}
	return ModuleInput{Slug: r.Slug, Title: r.Title, Summary: r.Summary, Access: r.Access,
		Competencies: comps, SortOrder: r.SortOrder, Coaching: r.Coaching}
}

type lessonReq struct {
	Slug     *string `json:"slug"`
	Title    *string `json:"title"`
	Minutes  *int    `json:"minutes"`
	Markdown *string `json:"markdown"`
	Position *int    `json:"position"`
	// Checks replaces the lesson's checks when present ([] removes them).
	Checks *[]studioCheckDTO `json:"checks"`
}

func (r lessonReq) input() LessonInput {
	in := LessonInput{Slug: r.Slug, Title: r.Title, Minutes: r.Minutes, Markdown: r.Markdown, Position: r.Position}
	if r.Checks != nil {
		cs := fromStudioChecks(*r.Checks)
		in.Checks = &cs
	}
	return in
}

func (h *Handler) handleStudioModules(c echo.Context) error {
	mods, err := h.svc.StudioModules(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]studioModuleDTO, len(mods))
	for i, m := range mods {
		out[i] = toStudioModuleDTO(m)
	}
	return c.JSON(http.StatusOK, map[string]any{"modules": out})
}

func (h *Handler) handleStudioModule(c echo.Context) error {
	m, lessons, err := h.svc.StudioModule(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	d := studioModuleDetailDTO{studioModuleDTO: toStudioModuleDTO(m), Coaching: m.Coaching, Lessons: make([]draftLessonDTO, len(lessons))}
	for i, l := range lessons {
		d.Lessons[i] = toDraftLessonDTO(l)
	}
	return c.JSON(http.StatusOK, d)
}

func (h *Handler) handleStudioCreateModule(c echo.Context) error {
	var req moduleReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	m, err := h.svc.CreateModule(c.Request().Context(), req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toStudioModuleDTO(m))
}

func (h *Handler) handleStudioUpdateModule(c echo.Context) error {
	var req moduleReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	m, err := h.svc.UpdateModule(c.Request().Context(), c.Param("slug"), req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toStudioModuleDTO(m))
}

func (h *Handler) handleStudioLesson(c echo.Context) error {
	l, err := h.svc.DraftLesson(c.Request().Context(), c.Param("slug"), c.Param("lesson"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDraftLessonDTO(l))
}

func (h *Handler) handleStudioCreateLesson(c echo.Context) error {
	var req lessonReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	l, err := h.svc.CreateLesson(c.Request().Context(), c.Param("slug"), req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toDraftLessonDTO(l))
}

func (h *Handler) handleStudioUpdateLesson(c echo.Context) error {
	var req lessonReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	l, err := h.svc.UpdateLesson(c.Request().Context(), c.Param("slug"), c.Param("lesson"), req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDraftLessonDTO(l))
}

func (h *Handler) handleStudioDeleteLesson(c echo.Context) error {
	if err := h.svc.DeleteLesson(c.Request().Context(), c.Param("slug"), c.Param("lesson")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) handleStudioPublish(c echo.Context) error {
	v, err := h.svc.Publish(c.Request().Context(), c.Param("slug"), web.UserID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int{"version": v})
}

func (h *Handler) handleStudioUnpublish(c echo.Context) error {
	if err := h.svc.Unpublish(c.Request().Context(), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type versionDTO struct {
	Version     int     `json:"version"`
	PublishedAt string  `json:"published_at"`
	PublishedBy *string `json:"published_by"`
	LessonCount int     `json:"lesson_count"`
}

func (h *Handler) handleStudioVersions(c echo.Context) error {
	vs, err := h.svc.Versions(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	out := make([]versionDTO, len(vs))
	for i, v := range vs {
		out[i] = versionDTO{Version: v.Version, PublishedAt: rfc3339(v.PublishedAt), PublishedBy: v.PublishedBy, LessonCount: v.LessonCount}
	}
	return c.JSON(http.StatusOK, map[string]any{"versions": out})
}

type versionLessonDTO struct {
	ID       string           `json:"id"`
	Slug     string           `json:"slug"`
	Title    string           `json:"title"`
	Minutes  int              `json:"minutes"`
	Position int              `json:"position"`
	Markdown *string          `json:"markdown"`
	HTML     string           `json:"html"`
	Checks   []studioCheckDTO `json:"checks"`
}

type versionDetailDTO struct {
	versionDTO
	Slug         string             `json:"slug"`
	Title        string             `json:"title"`
	Summary      string             `json:"summary"`
	Access       string             `json:"access"`
	Competencies []string           `json:"competencies"`
	Minutes      int                `json:"minutes"`
	Lessons      []versionLessonDTO `json:"lessons"`
	// CoachingMarkdown and CoachingHTML are the managers' guide this version was published with.
	CoachingMarkdown *string `json:"coaching_markdown"`
	CoachingHTML     *string `json:"coaching_html"`
}

// handleStudioVersion serves one published version read-only, with each lesson's Markdown and
// HTML, so the studio can show it and compare it with the drafts. A version that is not a
// positive whole number cannot exist: 404 like any unknown version.
func (h *Handler) handleStudioVersion(c echo.Context) error {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		return apperr.New(apperr.NotFound, "A version is a whole number from 1 up, such as 1 or 2.")
	}
	v, err := h.svc.VersionDetail(c.Request().Context(), c.Param("slug"), n)
	if err != nil {
		return err
	}
	out := versionDetailDTO{versionDTO: versionDTO{Version: v.Version.Version, PublishedAt: rfc3339(v.PublishedAt),
		PublishedBy: v.PublishedBy, LessonCount: v.LessonCount}, Slug: v.Slug, Title: v.Title, Summary: v.Summary,
		Access: v.Access, Competencies: v.Competencies, Minutes: v.Minutes, Lessons: make([]versionLessonDTO, len(v.Lessons)),
		CoachingMarkdown: v.CoachingMarkdown, CoachingHTML: v.CoachingHTML}
	for i, l := range v.Lessons {
		out.Lessons[i] = versionLessonDTO{ID: l.ID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes, Position: l.Position,
			Markdown: l.Markdown, HTML: l.HTML, Checks: toStudioChecks(l.Checks)}
	}
	return c.JSON(http.StatusOK, out)
}

type previewReq struct {
	Markdown *string `json:"markdown" validate:"required"`
}

func (h *Handler) handleStudioPreview(c echo.Context) error {
	var req previewReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	html, err := h.svc.Preview(c.Request().Context(), *req.Markdown)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"html": html})
}
