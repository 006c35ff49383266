package review

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves answering checks and the review page.
type Handler struct{ svc *Service }

// NewHandler builds the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the routes; both need a signed-in learner and touch only their own records.
func (h *Handler) Routes(g *echo.Group) {
	g.POST("/checks/:id/answers", h.handleAnswer, web.RequireUser)
	g.GET("/review", h.handleReview, web.RequireUser)
}

type answerReq struct {
	OptionID string `json:"option_id" validate:"required"`
	Seconds  *int   `json:"seconds"`
}

type answerDTO struct {
	Correct         bool   `json:"correct"`
	CorrectOptionID string `json:"correct_option_id"`
	Explanation     string `json:"explanation"`
}

func (h *Handler) handleAnswer(c echo.Context) error {
	var req answerReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	secs := 0
	if req.Seconds != nil {
		secs = *req.Seconds
	}
	r, err := h.svc.Answer(c.Request().Context(), web.UserID(c), c.Param("id"), req.OptionID, secs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, answerDTO{Correct: r.Correct, CorrectOptionID: r.CorrectOptionID, Explanation: r.Explanation})
}

type optionDTO struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type lessonRefDTO struct {
	ModuleSlug string `json:"module_slug"`
	Slug       string `json:"slug"`
	Title      string `json:"title"`
}

// dueCheckDTO is a check as the lesson shows it (never the answer), plus its lesson.
type dueCheckDTO struct {
	ID      string       `json:"id"`
	Prompt  string       `json:"prompt"`
	Options []optionDTO  `json:"options"`
	Lesson  lessonRefDTO `json:"lesson"`
}

type reviewDTO struct {
	Due       []dueCheckDTO `json:"due"`
	DueCount  int           `json:"due_count"`
	NextDueAt *time.Time    `json:"next_due_at"`
	// EstimatedMinutes is about how long the due checks take ("6 to review, about 4 minutes").
	EstimatedMinutes int `json:"estimated_minutes"`
}

func (h *Handler) handleReview(c echo.Context) error {
	p, err := h.svc.Queue(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := reviewDTO{Due: make([]dueCheckDTO, len(p.Due)), DueCount: p.DueCount, EstimatedMinutes: Minutes(p.DueCount)}
	if p.NextDueAt != nil {
		t := p.NextDueAt.UTC()
		out.NextDueAt = &t
	}
	for i, d := range p.Due {
		opts := make([]optionDTO, len(d.Options))
		for j, o := range d.Options {
			opts[j] = optionDTO{ID: o.ID, Text: o.Text}
		}
		out.Due[i] = dueCheckDTO{ID: d.ID, Prompt: d.Prompt, Options: opts,
			Lesson: lessonRefDTO{ModuleSlug: d.Lesson.ModuleSlug, Slug: d.Lesson.Slug, Title: d.Lesson.Title}}
	}
	return c.JSON(http.StatusOK, out)
}
