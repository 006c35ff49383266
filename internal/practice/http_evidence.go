package practice

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

// EvidenceHandler serves the learner's observed scores.
type EvidenceHandler struct{ ev *Evidence }

// NewEvidenceHandler builds the handler.
func NewEvidenceHandler(ev *Evidence) *EvidenceHandler { return &EvidenceHandler{ev: ev} }

// Routes mounts GET /me/observed on the /api/v1 group.
func (h *EvidenceHandler) Routes(g *echo.Group) {
	g.GET("/me/observed", h.handleObserved, web.RequireUser)
}

type observedDTO struct {
	Competency string   `json:"competency"`
	Self       *float64 `json:"self"`
	Observed   *float64 `json:"observed"`
	Gap        *float64 `json:"gap"`
	Reviews    int      `json:"reviews"`
}

type observedListDTO struct {
	Competencies []observedDTO `json:"competencies"`
}

func (h *EvidenceHandler) handleObserved(c echo.Context) error {
	list, err := h.ev.Observed(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := observedListDTO{Competencies: make([]observedDTO, len(list))}
	for i, e := range list {
		out.Competencies[i] = observedDTO{Competency: e.Competency, Self: e.Self, Observed: e.Observed, Gap: e.Gap, Reviews: e.Reviews}
	}
	return c.JSON(http.StatusOK, out)
}
