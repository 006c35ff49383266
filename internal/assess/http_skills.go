package assess

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

type pointDTO struct {
	At    string  `json:"at"`
	Score float64 `json:"score"`
}

type skillDTO struct {
	Assessment  string     `json:"assessment"`
	Competency  string     `json:"competency"`
	Name        string     `json:"name"`
	Baseline    float64    `json:"baseline"`
	Latest      float64    `json:"latest"`
	Delta       float64    `json:"delta"`
	RCI         float64    `json:"rci"`
	Band        string     `json:"band"`
	Significant bool       `json:"significant"`
	BaselineAt  string     `json:"baseline_at"`
	LatestAt    string     `json:"latest_at"`
	History     []pointDTO `json:"history"`
}

type skillsDTO struct {
	Competencies []skillDTO `json:"competencies"`
	AssessedAt   *string    `json:"assessed_at"`
}

func (h *Handler) handleSkills(c echo.Context) error {
	sk, err := h.svc.MySkills(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := skillsDTO{Competencies: make([]skillDTO, len(sk.Competencies)), AssessedAt: timePtr(sk.AssessedAt)}
	for i, t := range sk.Competencies {
		d := skillDTO{Assessment: t.Assessment, Competency: t.Competency, Name: t.Name, Baseline: round(t.Baseline, 2),
			Latest: round(t.Latest, 2), Delta: round(t.Delta, 2), RCI: round(t.RCI, 2), Band: t.Band,
			Significant: t.Significant, BaselineAt: rfc3339(t.BaselineAt), LatestAt: rfc3339(t.LatestAt),
			History: make([]pointDTO, len(t.History))}
		for j, p := range t.History {
			d.History[j] = pointDTO{At: rfc3339(p.At), Score: round(p.Score, 2)}
		}
		out.Competencies[i] = d
	}
	return c.JSON(http.StatusOK, out)
}

type itemStatDTO struct {
	ID         string   `json:"id"`
	Competency string   `json:"competency"`
	Type       string   `json:"type"`
	Text       string   `json:"text"`
	Reverse    bool     `json:"reverse"`
	N          int      `json:"n"`
	Mean       float64  `json:"mean"`
	SD         float64  `json:"sd"`
	ItemTotalR *float64 `json:"item_total_r"`
	Flagged    bool     `json:"flagged"`
}

type competencyStatDTO struct {
	Competency  string   `json:"competency"`
	Name        string   `json:"name"`
	N           int      `json:"n"`
	Mean        *float64 `json:"mean"`
	Alpha       float64  `json:"alpha"`
	AlphaSource string   `json:"alpha_source"`
	SampleAlpha *float64 `json:"sample_alpha"`
	SD          float64  `json:"sd"`
	SDSource    string   `json:"sd_source"`
}

type statsDTO struct {
	Assessment   string              `json:"assessment"`
	Version      int                 `json:"version"`
	Baselines    int                 `json:"baselines"`
	FlagBelow    float64             `json:"flag_below"`
	Items        []itemStatDTO       `json:"items"`
	Competencies []competencyStatDTO `json:"competencies"`
}

func (h *Handler) handleStats(c echo.Context) error {
	st, err := h.svc.Stats(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	out := statsDTO{Assessment: st.Slug, Version: st.Version, Baselines: st.Baselines, FlagBelow: FlagItemTotalR,
		Items: make([]itemStatDTO, len(st.Items)), Competencies: make([]competencyStatDTO, len(st.Competencies))}
	for i, it := range st.Items {
		out.Items[i] = itemStatDTO{ID: it.ID, Competency: it.Competency, Type: it.Type, Text: it.Text, Reverse: it.Reverse,
			N: it.N, Mean: round(it.Mean, 3), SD: round(it.SD, 3), ItemTotalR: roundPtr(it.ItemTotalR, 3), Flagged: it.Flagged}
	}
	for i, cs := range st.Competencies {
		out.Competencies[i] = competencyStatDTO{Competency: cs.Competency, Name: cs.Name, N: cs.AlphaN,
			Mean: roundPtr(cs.Mean, 2), Alpha: round(cs.Alpha, 3), AlphaSource: cs.AlphaSource,
			SampleAlpha: roundPtr(cs.SampleAlpha, 3), SD: round(cs.SD, 3), SDSource: cs.SDSource}
	}
	return c.JSON(http.StatusOK, out)
}
