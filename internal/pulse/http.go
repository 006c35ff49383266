package pulse

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the pulse routes: the rep's JSON API, the buyer's public JSON API and the
// buyer's server-rendered page.
type Handler struct {
	svc *Service
	// limit guards every public route, per client address.
	limit *web.IPLimiter
}

// Public rate: a buyer needs two requests (open, answer); a storm from one address is refused
// after a burst generous enough for an office behind one NAT.
const (
	publicBurst     = 60
	publicPerMinute = 30
)

// NewHandler builds the handler with its own per-address limiter for the public routes.
func NewHandler(svc *Service) *Handler {
	l := web.NewIPLimiter(publicPerMinute, publicBurst)
	l.Now = svc.Now
	return &Handler{svc: svc, limit: l}
}

// Routes mounts the JSON routes on the /api/v1 group: the rep's (signed in, own pulses only)
// and the buyer's (public, rate-limited per address).
func (h *Handler) Routes(g *echo.Group) {
	g.POST("/pulses", h.handleCreate, web.RequireUser)
	g.GET("/pulses", h.handleMine, web.RequireUser)
	g.DELETE("/pulses/:id", h.handleDelete, web.RequireUser)
	g.GET("/pulse/:token", h.handlePublic, h.limit.Middleware)
	g.POST("/pulse/:token", h.handleAnswer, h.limit.Middleware)
}

type scoresDTO struct {
	Clarity    int `json:"clarity"`
	Understood int `json:"understood"`
	Again      int `json:"again"`
}

func toScoresDTO(s Scores) scoresDTO { return scoresDTO{s.Clarity, s.Understood, s.Again} }

// createReq is the body of POST /pulses. The prediction is decoded here rather than by the
// binder, so that an unknown or mistyped field inside it is named with its full path
// ("prediction.clarity"), as every other field error is.
type createReq struct {
	Meeting    string          `json:"meeting"`
	BuyerEmail *string         `json:"buyer_email"`
	Prediction json.RawMessage `json:"prediction"`
}

// prediction decodes the nested prediction, naming "prediction" when it is missing or null.
func (r createReq) prediction() (Scores, error) {
	raw := bytes.TrimSpace(r.Prediction)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Scores{}, apperr.InvalidFields(apperr.Field("prediction", "Give your prediction for each of the three questions."))
	}
	var d struct {
		Clarity    *int `json:"clarity"`
		Understood *int `json:"understood"`
		Again      *int `json:"again"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ) && typ.Field != "":
			return Scores{}, apperr.InvalidFields(apperr.Field("prediction."+typ.Field, "Choose a number from 1 to 5."))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return Scores{}, apperr.InvalidFields(apperr.Field("prediction."+name, "This field isn’t expected here. Please refresh the page and try again."))
		}
		return Scores{}, apperr.InvalidFields(apperr.Field("prediction", "Give your prediction as three numbers from 1 to 5."))
	}
	val := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	return Scores{val(d.Clarity), val(d.Understood), val(d.Again)}, nil
}

type createdDTO struct {
	ID        string    `json:"id"`
	Link      string    `json:"link"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *Handler) handleCreate(c echo.Context) error {
	var req createReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	pred, err := req.prediction()
	if err != nil {
		return err
	}
	in := CreateInput{Meeting: req.Meeting, BuyerEmail: req.BuyerEmail, Prediction: pred}
	p, err := h.svc.Create(c.Request().Context(), web.UserID(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdDTO{ID: p.ID, Link: p.Link, ExpiresAt: p.ExpiresAt})
}

type responseDTO struct {
	scoresDTO
	Comment    *string   `json:"comment,omitempty"`
	AnsweredAt time.Time `json:"answered_at"`
}

type accuracyDTO struct {
	MeanAbsError float64 `json:"mean_abs_error"`
}

type pulseDTO struct {
	ID         string       `json:"id"`
	Meeting    string       `json:"meeting"`
	Status     string       `json:"status"`
	CreatedAt  time.Time    `json:"created_at"`
	ExpiresAt  time.Time    `json:"expires_at"`
	Prediction scoresDTO    `json:"prediction"`
	Response   *responseDTO `json:"response,omitempty"`
	Accuracy   *accuracyDTO `json:"accuracy,omitempty"`
}

type averagesDTO struct {
	Clarity    float64 `json:"clarity"`
	Understood float64 `json:"understood"`
	Again      float64 `json:"again"`
}

func toAveragesDTO(a *Averages) *averagesDTO {
	if a == nil {
		return nil
	}
	return &averagesDTO{a.Clarity, a.Understood, a.Again}
}

type summaryDTO struct {
	Responses    int          `json:"responses"`
	Averages     *averagesDTO `json:"averages"`
	MeanAbsError *float64     `json:"mean_abs_error"`
}

func (h *Handler) handleMine(c echo.Context) error {
	ps, sum, err := h.svc.Mine(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	now := h.svc.Now()
	out := make([]pulseDTO, len(ps))
	for i, p := range ps {
		d := pulseDTO{ID: p.ID, Meeting: p.Meeting, Status: p.Status(now), CreatedAt: p.CreatedAt, ExpiresAt: p.ExpiresAt,
			Prediction: toScoresDTO(p.Prediction)}
		if r := p.Response; r != nil {
			d.Response = &responseDTO{scoresDTO: toScoresDTO(r.Scores), AnsweredAt: r.AnsweredAt}
			if r.Comment != "" {
				d.Response.Comment = &r.Comment
			}
			d.Accuracy = &accuracyDTO{MeanAbsError: *p.Accuracy()}
		}
		out[i] = d
	}
	return c.JSON(http.StatusOK, map[string]any{"pulses": out, "summary": summaryDTO{
		Responses: sum.Responses, Averages: toAveragesDTO(sum.Averages), MeanAbsError: sum.MeanAbsError}})
}

func (h *Handler) handleDelete(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return errNoPulse
	}
	if err := h.svc.Delete(c.Request().Context(), web.UserID(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type questionDTO struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type publicDTO struct {
	RepName   string        `json:"rep_name"`
	Meeting   string        `json:"meeting"`
	Questions []questionDTO `json:"questions"`
}

func (h *Handler) handlePublic(c echo.Context) error {
	p, err := h.svc.Open(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	qs := make([]questionDTO, len(Questions))
	for i, q := range Questions {
		qs[i] = questionDTO{ID: q, Text: QuestionText(q, p.RepName)}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, publicDTO{RepName: p.RepName, Meeting: p.Meeting, Questions: qs})
}

type answerReq struct {
	Clarity    int     `json:"clarity"`
	Understood int     `json:"understood"`
	Again      int     `json:"again"`
	Comment    *string `json:"comment"`
}

func (h *Handler) handleAnswer(c echo.Context) error {
	var req answerReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	in := AnswerInput{Scores: Scores{req.Clarity, req.Understood, req.Again}}
	if req.Comment != nil {
		in.Comment = *req.Comment
	}
	if err := h.svc.Answer(c.Request().Context(), c.Param("token"), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
