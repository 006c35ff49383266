package assess

import (
	"encoding/json"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the assessment routes.
type Handler struct {
	svc   *Service
	roles web.RoleSource
}

// NewHandler builds the handler; roles (identity) let the studio route check for instructors
// and admins.
func NewHandler(svc *Service, roles web.RoleSource) *Handler { return &Handler{svc: svc, roles: roles} }

// Routes mounts the assessment routes on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	g.GET("/assessments", h.handleList, web.RequireUser)
	g.POST("/assessments/:slug/attempts", h.handleStart, web.RequireUser)
	g.GET("/attempts/:id", h.handleAttempt, web.RequireUser)
	g.PUT("/attempts/:id/responses/:item", h.handleSaveResponse, web.RequireUser)
	g.POST("/attempts/:id/submit", h.handleSubmit, web.RequireUser)
	g.GET("/me/skills", h.handleSkills, web.RequireUser)

	st := g.Group("/studio/assessments", web.RequireRole(h.roles, role.Instructor, role.Admin))
	st.GET("/:slug/stats", h.handleStats)
	st.GET("/:slug/responses.csv", h.handleResponsesCSV)
}

type competencyDTO struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type overviewDTO struct {
	Slug                string          `json:"slug"`
	Title               string          `json:"title"`
	Description         string          `json:"description"`
	Competencies        []competencyDTO `json:"competencies"`
	ItemCount           int             `json:"item_count"`
	BaselineDone        bool            `json:"baseline_done"`
	NextDueAt           *string         `json:"next_due_at"`
	CanStart            bool            `json:"can_start"`
	InProgressAttemptID *string         `json:"in_progress_attempt_id"`
	LastSubmittedAt     *string         `json:"last_submitted_at"`
}

func (h *Handler) handleList(c echo.Context) error {
	list, err := h.svc.Overviews(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := make([]overviewDTO, len(list))
	for i, o := range list {
		out[i] = overviewDTO{Slug: o.Slug, Title: o.Title, Description: o.Description, Competencies: toCompetencyDTOs(o.Competencies),
			ItemCount: o.ItemCount, BaselineDone: o.BaselineDone, NextDueAt: timePtr(o.NextDueAt), CanStart: o.CanStart,
			InProgressAttemptID: o.InProgressAttemptID, LastSubmittedAt: timePtr(o.LastSubmittedAt)}
	}
	return c.JSON(http.StatusOK, map[string]any{"assessments": out})
}

func toCompetencyDTOs(cs []Competency) []competencyDTO {
	out := make([]competencyDTO, len(cs))
	for i, c := range cs {
		out[i] = competencyDTO(c)
	}
	return out
}

type optionDTO struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// itemDTO is an item as learners see it: never its answer keys. Options are the five labels
// (strings) for likert items and [{id,text}] for sjt and choice items.
type itemDTO struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Prompt     string `json:"prompt"`
	Competency string `json:"competency"`
	Options    any    `json:"options"`
}

type scoreDTO struct {
	Competency string   `json:"competency"`
	Name       string   `json:"name"`
	Score      float64  `json:"score"`
	Likert     *float64 `json:"likert"`
	SJT        *float64 `json:"sjt"`
}

type attemptDTO struct {
	ID             string                     `json:"id"`
	Assessment     string                     `json:"assessment"`
	Title          string                     `json:"title"`
	Kind           string                     `json:"kind"`
	StartedAt      string                     `json:"started_at"`
	SubmittedAt    *string                    `json:"submitted_at"`
	Items          []itemDTO                  `json:"items"`
	Responses      map[string]json.RawMessage `json:"responses"`
	LikertLabels   []string                   `json:"likert_labels"`
	SJTInstruction string                     `json:"sjt_instruction"`
	Scores         []scoreDTO                 `json:"scores"`
}

func toAttemptDTO(a Attempt) attemptDTO {
	def := a.Instrument
	labels := def.LikertLabels
	if labels == nil {
		labels = []string{}
	}
	d := attemptDTO{ID: a.ID, Assessment: def.Slug, Title: def.Title, Kind: a.Kind, StartedAt: rfc3339(a.StartedAt),
		SubmittedAt: timePtr(a.SubmittedAt), Items: make([]itemDTO, 0, len(a.ItemOrder)), Responses: a.Responses,
		LikertLabels: labels, SJTInstruction: def.SJTInstruction, Scores: toScoreDTOs(def, a.Scores)}
	for _, id := range a.ItemOrder {
		it, ok := def.Item(id)
		if !ok {
			continue
		}
		dto := itemDTO{ID: it.ID, Type: it.Type, Prompt: it.Prompt, Competency: it.Competency, Options: labels}
		if it.Type != TypeLikert {
			opts := make([]optionDTO, len(it.Options))
			for i, o := range it.Options {
				opts[i] = optionDTO{ID: o.ID, Text: o.Text}
			}
			dto.Options = opts
		}
		d.Items = append(d.Items, dto)
	}
	return d
}

func toScoreDTOs(def *Instrument, scores []Score) []scoreDTO {
	out := make([]scoreDTO, len(scores))
	for i, s := range scores {
		out[i] = scoreDTO{Competency: s.Competency, Name: def.CompetencyName(s.Competency), Score: round(s.Score, 2),
			Likert: roundPtr(s.Likert, 2), SJT: roundPtr(s.SJT, 2)}
	}
	return out
}

// handleStart returns 201 with a new attempt, or 200 with the unfinished one to resume.
func (h *Handler) handleStart(c echo.Context) error {
	a, created, err := h.svc.Start(c.Request().Context(), web.UserID(c), c.Param("slug"))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, toAttemptDTO(a))
}

func (h *Handler) handleAttempt(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	a, err := h.svc.Attempt(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAttemptDTO(a))
}

type responseRequest struct {
	Value json.RawMessage `json:"value"`
}

func (h *Handler) handleSaveResponse(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var req responseRequest
	if err := c.Bind(&req); err != nil {
		return err
	}
	if err := h.svc.SaveResponse(c.Request().Context(), web.UserID(c), id, c.Param("item"), req.Value); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type submitDTO struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	SubmittedAt string     `json:"submitted_at"`
	Scores      []scoreDTO `json:"scores"`
}

func (h *Handler) handleSubmit(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	a, err := h.svc.Submit(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, submitDTO{ID: a.ID, Kind: a.Kind, SubmittedAt: rfc3339(*a.SubmittedAt),
		Scores: toScoreDTOs(a.Instrument, a.Scores)})
}

// rfc3339 renders times the one way the API does: UTC RFC 3339.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func timePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

// round keeps the given number of decimals (scores are shown to learners, not stored rounded).
func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

func roundPtr(x *float64, decimals int) *float64 {
	if x == nil {
		return nil
	}
	r := round(*x, decimals)
	return &r
}
