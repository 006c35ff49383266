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
	// SEM, Interval and Reliability say how precise the scores are; PracticeEffect is what was
	// subtracted from the change before the RCI.
	SEM            float64        `json:"sem"`
	Interval       [2]float64     `json:"interval"`
	Reliability    reliabilityDTO `json:"reliability"`
	PracticeEffect float64        `json:"practice_effect"`
}

type reliabilityDTO struct {
	Alpha  float64 `json:"alpha"`
	Source string  `json:"source"`
	N      int     `json:"n"`
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
			History: make([]pointDTO, len(t.History)), SEM: round(t.SEM, 2),
			Interval:       [2]float64{round(t.Interval[0], 2), round(t.Interval[1], 2)},
			Reliability:    reliabilityDTO{Alpha: round(t.Reliability.Alpha, 3), Source: t.Reliability.Source, N: t.Reliability.AlphaN},
			PracticeEffect: round(t.Practice, 2)}
		for j, p := range t.History {
			d.History[j] = pointDTO{At: rfc3339(p.At), Score: round(p.Score, 2)}
		}
		out.Competencies[i] = d
	}
	return c.JSON(http.StatusOK, out)
}

// Item and competency statistics are not rounded: instructors check them against their own
// computation from responses.csv.
type itemStatDTO struct {
	ID         string   `json:"id"`
	Competency string   `json:"competency"`
	Type       string   `json:"type"`
	Text       string   `json:"text"`
	Reverse    bool     `json:"reverse"`
	N          int      `json:"n"`
	Mean       float64  `json:"mean"`
	SD         float64  `json:"sd"`
	ItemRestR  *float64 `json:"item_rest_r"`
	CeilingPct float64  `json:"ceiling_pct"`
	Flags      []string `json:"flags"`
}

type practiceDTO struct {
	Effect float64  `json:"effect"`
	Source string   `json:"source"`
	N      int      `json:"n"`
	Sample *float64 `json:"sample"`
}

type competencyStatDTO struct {
	Competency string   `json:"competency"`
	Name       string   `json:"name"`
	Baselines  int      `json:"baselines"`
	N          int      `json:"n"`
	Mean       *float64 `json:"mean"`
	// The sample's statistics, over the n learners who answered every item of the competency.
	AlphaLikert    *float64 `json:"alpha_likert"`
	AlphaSJT       *float64 `json:"alpha_sjt"`
	AlphaComposite *float64 `json:"alpha_composite"`
	SD             float64  `json:"sd"`
	// What growth is judged with: the sample's numbers from enough baselines, else the priors.
	Alpha          float64     `json:"alpha"`
	SDUsed         float64     `json:"sd_used"`
	Source         string      `json:"source"`
	SEM            float64     `json:"sem"`
	PracticeEffect practiceDTO `json:"practice_effect"`
}

type statsDTO struct {
	Assessment     string              `json:"assessment"`
	Version        int                 `json:"version"`
	Baselines      int                 `json:"baselines"`
	MinN           int                 `json:"min_n"`
	FlagRestRBelow float64             `json:"flag_item_rest_r_below"`
	FlagCeilingPct float64             `json:"flag_ceiling_pct_above"`
	Items          []itemStatDTO       `json:"items"`
	Competencies   []competencyStatDTO `json:"competencies"`
}

func (h *Handler) handleStats(c echo.Context) error {
	st, err := h.svc.Stats(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	out := statsDTO{Assessment: st.Slug, Version: st.Version, Baselines: st.Baselines, MinN: h.svc.Priors.MinN,
		FlagRestRBelow: FlagRestR, FlagCeilingPct: FlagCeilingPct,
		Items: make([]itemStatDTO, len(st.Items)), Competencies: make([]competencyStatDTO, len(st.Competencies))}
	for i, it := range st.Items {
		out.Items[i] = itemStatDTO{ID: it.ID, Competency: it.Competency, Type: it.Type, Text: it.Text, Reverse: it.Reverse,
			N: it.N, Mean: it.Mean, SD: it.SD, ItemRestR: it.ItemRestR, CeilingPct: it.CeilingPct, Flags: it.Flags}
	}
	for i, cs := range st.Competencies {
		r := cs.Reliability
		out.Competencies[i] = competencyStatDTO{Competency: cs.Competency, Name: cs.Name, Baselines: r.N, N: r.AlphaN,
			Mean: cs.Mean, AlphaLikert: r.Sample.Likert, AlphaSJT: r.Sample.SJT, AlphaComposite: r.Sample.Alpha,
			SD: r.Sample.SD, Alpha: r.Alpha, SDUsed: r.SD, Source: r.Source, SEM: r.SEM(),
			PracticeEffect: practiceDTO{Effect: r.Practice.Effect, Source: r.Practice.Source, N: r.Practice.N,
				Sample: r.Practice.Sample}}
	}
	return c.JSON(http.StatusOK, out)
}

// handleResponsesCSV streams responses.csv as a download named after the instrument and version.
func (h *Handler) handleResponsesCSV(c echo.Context) error {
	def, attempts, err := h.svc.ScoredResponses(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+def.Slug+`-responses.csv"`)
	res.Header().Set(echo.HeaderCacheControl, "no-store")
	res.WriteHeader(http.StatusOK)
	return WriteResponsesCSV(res, def, attempts)
}
