package practice

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// StudioHandler serves the Studio's practice routes to instructors and admins.
type StudioHandler struct {
	svc   *Service
	roles web.RoleSource
}

// NewStudioHandler returns the handler; roles answers who is an instructor or an admin.
func NewStudioHandler(svc *Service, roles web.RoleSource) *StudioHandler {
	return &StudioHandler{svc: svc, roles: roles}
}

// Routes mounts /studio/practice on the /api/v1 group.
func (h *StudioHandler) Routes(g *echo.Group) {
	st := g.Group("/studio/practice", web.RequireRole(h.roles, role.Instructor, role.Admin))
	st.GET("", h.list)
	st.POST("", h.create)
	st.POST("/preview", h.preview)
	st.GET("/:slug", h.get)
	st.PUT("/:slug", h.update)
}

type studioAnchorsDTO struct {
	One   string `json:"1"`
	Three string `json:"3"`
	Five  string `json:"5"`
}

// studioCriterionReq has anchors as a pointer so that anchors left out (or null) are named as a
// whole rather than as three empty texts.
type studioCriterionReq struct {
	ID         string            `json:"id"`
	Competency string            `json:"competency"`
	Criterion  string            `json:"criterion"`
	Anchors    *studioAnchorsDTO `json:"anchors"`
}

type studioUpdateReq struct {
	Title            string               `json:"title"`
	ModuleSlug       *string              `json:"module_slug"`
	Competencies     []string             `json:"competencies"`
	Kind             string               `json:"kind"`
	Brief            string               `json:"brief"`
	BuyerMediaID     *string              `json:"buyer_media_id"`
	TimeLimitSeconds int                  `json:"time_limit_seconds"`
	Rubric           []studioCriterionReq `json:"rubric"`
}

type studioCreateReq struct {
	Slug             string               `json:"slug"`
	Title            string               `json:"title"`
	ModuleSlug       *string              `json:"module_slug"`
	Competencies     []string             `json:"competencies"`
	Kind             string               `json:"kind"`
	Brief            string               `json:"brief"`
	BuyerMediaID     *string              `json:"buyer_media_id"`
	TimeLimitSeconds int                  `json:"time_limit_seconds"`
	Rubric           []studioCriterionReq `json:"rubric"`
}

func (r studioUpdateReq) edit(slug string) StudioEdit {
	e := StudioEdit{Slug: slug, Title: r.Title, Competencies: r.Competencies, Kind: Kind(r.Kind), Brief: r.Brief,
		TimeLimitSeconds: r.TimeLimitSeconds, Rubric: make(Rubric, len(r.Rubric))}
	if r.ModuleSlug != nil {
		e.ModuleSlug, e.ModuleSet = *r.ModuleSlug, true
	}
	if r.BuyerMediaID != nil {
		e.BuyerMediaID, e.BuyerMediaSet = *r.BuyerMediaID, true
	}
	for i, c := range r.Rubric {
		e.Rubric[i] = Criterion{ID: c.ID, Competency: c.Competency, Criterion: c.Criterion}
		if c.Anchors == nil {
			e.MissingAnchors = append(e.MissingAnchors, i)
			continue
		}
		e.Rubric[i].Anchors = Anchors{One: c.Anchors.One, Three: c.Anchors.Three, Five: c.Anchors.Five}
	}
	return e
}

type studioSummaryDTO struct {
	Slug             string    `json:"slug"`
	Title            string    `json:"title"`
	ModuleSlug       string    `json:"module_slug,omitempty"`
	Kind             Kind      `json:"kind"`
	Competencies     []string  `json:"competencies"`
	TimeLimitSeconds int       `json:"time_limit_seconds"`
	Criteria         int       `json:"criteria"`
	Position         int       `json:"position"`
	UpdatedAt        time.Time `json:"updated_at"`
}

type studioActivityDTO struct {
	Slug             string               `json:"slug"`
	Title            string               `json:"title"`
	ModuleSlug       string               `json:"module_slug,omitempty"`
	Competencies     []string             `json:"competencies"`
	Kind             Kind                 `json:"kind"`
	Brief            string               `json:"brief"`
	BriefHTML        string               `json:"brief_html"`
	BuyerMediaID     string               `json:"buyer_media_id,omitempty"`
	TimeLimitSeconds int                  `json:"time_limit_seconds"`
	Rubric           []studioCriterionDTO `json:"rubric"`
	Position         int                  `json:"position"`
	UpdatedAt        time.Time            `json:"updated_at"`
}

type studioCriterionDTO struct {
	ID         string           `json:"id"`
	Competency string           `json:"competency"`
	Criterion  string           `json:"criterion"`
	Anchors    studioAnchorsDTO `json:"anchors"`
}

func toStudioActivityDTO(a Activity) studioActivityDTO {
	d := studioActivityDTO{Slug: a.Slug, Title: a.Title, ModuleSlug: a.ModuleSlug, Competencies: nonNil(a.Competencies),
		Kind: a.Kind, Brief: a.Brief, BriefHTML: a.BriefHTML, TimeLimitSeconds: a.TimeLimitSeconds,
		Rubric: make([]studioCriterionDTO, len(a.Rubric)), Position: a.Position, UpdatedAt: a.UpdatedAt.UTC()}
	if a.BuyerMediaID != nil {
		d.BuyerMediaID = *a.BuyerMediaID
	}
	for i, c := range a.Rubric {
		d.Rubric[i] = studioCriterionDTO{ID: c.ID, Competency: c.Competency, Criterion: c.Criterion,
			Anchors: studioAnchorsDTO{One: c.Anchors.One, Three: c.Anchors.Three, Five: c.Anchors.Five}}
	}
	return d
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (h *StudioHandler) list(c echo.Context) error {
	list, err := h.svc.StudioActivities(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]studioSummaryDTO, len(list))
	for i, a := range list {
		out[i] = studioSummaryDTO{Slug: a.Slug, Title: a.Title, ModuleSlug: a.ModuleSlug, Kind: a.Kind,
			Competencies: nonNil(a.Competencies), TimeLimitSeconds: a.TimeLimitSeconds, Criteria: len(a.Rubric),
			Position: a.Position, UpdatedAt: a.UpdatedAt.UTC()}
	}
	return c.JSON(http.StatusOK, map[string]any{"activities": out})
}

func (h *StudioHandler) get(c echo.Context) error {
	a, err := h.svc.StudioActivity(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toStudioActivityDTO(a))
}

func (h *StudioHandler) create(c echo.Context) error {
	var in studioCreateReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	e := studioUpdateReq{Title: in.Title, ModuleSlug: in.ModuleSlug, Competencies: in.Competencies, Kind: in.Kind, Brief: in.Brief,
		BuyerMediaID: in.BuyerMediaID, TimeLimitSeconds: in.TimeLimitSeconds, Rubric: in.Rubric}.edit(in.Slug)
	a, err := h.svc.CreateActivity(c.Request().Context(), e)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toStudioActivityDTO(a))
}

func (h *StudioHandler) update(c echo.Context) error {
	var in studioUpdateReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	slug := c.Param("slug")
	a, err := h.svc.UpdateActivity(c.Request().Context(), slug, in.edit(slug))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toStudioActivityDTO(a))
}

type briefPreviewReq struct {
	Markdown *string `json:"markdown" validate:"required"`
}

func (h *StudioHandler) preview(c echo.Context) error {
	var in briefPreviewReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	html, err := h.svc.PreviewBrief(c.Request().Context(), *in.Markdown)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"html": html})
}
