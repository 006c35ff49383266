package progress

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the progress and certificate routes.
type Handler struct {
	svc *Service
}

// NewHandler builds the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the progress routes on the /api/v1 group. Certificate verification by code is
// public; everything else needs a signed-in learner and only ever touches their own records.
func (h *Handler) Routes(g *echo.Group) {
	g.PUT("/progress/lessons/:lesson_id", h.handleLessonPut, web.RequireUser)
	g.GET("/progress", h.handleDashboard, web.RequireUser)
	g.PUT("/progress/goal", h.handleGoalPut, web.RequireUser)
	g.GET("/certificates", h.handleCertificates, web.RequireUser)
	g.GET("/certificates/:code", h.handleCertificate)
}

// lessonPutReq is the body of PUT /progress/lessons/{lesson_id}. Seconds and position are
// optional; an absent position keeps the stored one.
type lessonPutReq struct {
	Status   string  `json:"status"`
	Seconds  *int    `json:"seconds"`
	Position *string `json:"position"`
}

type certificateRefDTO struct {
	Code string `json:"code"`
}

type progressDTO struct {
	LessonID    string             `json:"lesson_id"`
	ModuleSlug  string             `json:"module_slug"`
	Status      string             `json:"status"`
	Seconds     int                `json:"seconds"`
	Position    string             `json:"position"`
	StartedAt   time.Time          `json:"started_at"`
	CompletedAt *time.Time         `json:"completed_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	Certificate *certificateRefDTO `json:"certificate,omitempty"`
}

func (h *Handler) handleLessonPut(c echo.Context) error {
	id, err := web.UUIDParam(c, "lesson_id")
	if err != nil {
		return apperr.New(apperr.NotFound, "We couldn’t find that lesson. It may have been renamed or removed.")
	}
	var req lessonPutReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	u := LessonUpdate{Status: req.Status, Position: req.Position, Key: c.Request().Header.Get(IdempotencyHeader)}
	if req.Seconds != nil {
		u.Seconds = *req.Seconds
	}
	p, err := h.svc.RecordLesson(c.Request().Context(), web.UserID(c), id, u)
	if err != nil {
		return err
	}
	d := progressDTO{LessonID: p.LessonID, ModuleSlug: p.ModuleSlug, Status: p.Status, Seconds: p.Seconds,
		Position: p.Position, StartedAt: p.StartedAt, CompletedAt: p.CompletedAt, UpdatedAt: p.UpdatedAt}
	if p.CertificateCode != "" {
		d.Certificate = &certificateRefDTO{Code: p.CertificateCode}
	}
	return c.JSON(http.StatusOK, d)
}

type lessonRefDTO struct {
	ID     string `json:"id"`
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Status string `json:"status,omitempty"`
}

type moduleStatDTO struct {
	Slug             string        `json:"slug"`
	Title            string        `json:"title"`
	CompletedLessons int           `json:"completed_lessons"`
	LessonCount      int           `json:"lesson_count"`
	Percent          int           `json:"percent"`
	State            string        `json:"state"`
	LastLesson       *lessonRefDTO `json:"last_lesson"`
	NextLesson       *lessonRefDTO `json:"next_lesson"`
	LastActivityAt   time.Time     `json:"last_activity_at"`
}

type weekDTO struct {
	WeekStart   string `json:"week_start"`
	TimeZone    string `json:"time_zone"`
	Minutes     int    `json:"minutes"`
	GoalMinutes int    `json:"goal_minutes"`
	GoalMet     bool   `json:"goal_met"`
	GoalSet     bool   `json:"goal_set"`
	StreakWeeks int    `json:"streak_weeks"`
}

type resumeDTO struct {
	ModuleSlug  string `json:"module_slug"`
	ModuleTitle string `json:"module_title"`
	LessonID    string `json:"lesson_id"`
	LessonSlug  string `json:"lesson_slug"`
	LessonTitle string `json:"lesson_title"`
}

type dashboardDTO struct {
	Modules []moduleStatDTO `json:"modules"`
	Week    weekDTO         `json:"week"`
	Resume  *resumeDTO      `json:"resume"`
}

func toLessonRefDTO(r *LessonRef) *lessonRefDTO {
	if r == nil {
		return nil
	}
	return &lessonRefDTO{ID: r.ID, Slug: r.Slug, Title: r.Title, Status: r.Status}
}

func (h *Handler) handleDashboard(c echo.Context) error {
	d, err := h.svc.Dashboard(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := dashboardDTO{Modules: make([]moduleStatDTO, len(d.Modules)), Week: weekDTO{
		WeekStart: d.Week.Start, TimeZone: d.Week.TimeZone, Minutes: d.Week.Minutes, GoalMinutes: d.Week.GoalMinutes,
		GoalMet: d.Week.GoalMet(), GoalSet: d.Week.GoalSet, StreakWeeks: d.Week.StreakWeeks}}
	for i, m := range d.Modules {
		out.Modules[i] = moduleStatDTO{Slug: m.Slug, Title: m.Title, CompletedLessons: m.CompletedLessons,
			LessonCount: m.LessonCount, Percent: m.Percent, State: m.State(), LastLesson: toLessonRefDTO(m.LastLesson),
			NextLesson: toLessonRefDTO(m.NextLesson), LastActivityAt: m.LastActivityAt}
	}
	if r := d.Resume; r != nil {
		out.Resume = &resumeDTO{ModuleSlug: r.ModuleSlug, ModuleTitle: r.ModuleTitle, LessonID: r.LessonID,
			LessonSlug: r.LessonSlug, LessonTitle: r.LessonTitle}
	}
	return c.JSON(http.StatusOK, out)
}

type goalReq struct {
	GoalMinutes *int `json:"goal_minutes" validate:"required"`
}

type goalDTO struct {
	GoalMinutes int `json:"goal_minutes"`
}

func (h *Handler) handleGoalPut(c echo.Context) error {
	var req goalReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	n, err := h.svc.SetGoal(c.Request().Context(), web.UserID(c), *req.GoalMinutes)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, goalDTO{GoalMinutes: n})
}

type certificateDTO struct {
	Code        string    `json:"code"`
	UserName    string    `json:"user_name"`
	ModuleSlug  string    `json:"module_slug"`
	ModuleTitle string    `json:"module_title"`
	IssuedAt    time.Time `json:"issued_at"`
}

func toCertificateDTO(ct Certificate) certificateDTO {
	return certificateDTO{Code: ct.Code, UserName: ct.UserName, ModuleSlug: ct.ModuleSlug,
		ModuleTitle: ct.ModuleTitle, IssuedAt: ct.IssuedAt}
}

func (h *Handler) handleCertificates(c echo.Context) error {
	certs, err := h.svc.Certificates(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := make([]certificateDTO, len(certs))
	for i, ct := range certs {
		out[i] = toCertificateDTO(ct)
	}
	return c.JSON(http.StatusOK, map[string]any{"certificates": out})
}

// handleCertificate is the public verification page's data: who completed what, when.
func (h *Handler) handleCertificate(c echo.Context) error {
	ct, err := h.svc.Certificate(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.JSON(http.StatusOK, toCertificateDTO(ct))
}
