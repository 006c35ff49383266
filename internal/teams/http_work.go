package teams

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

type personDTO struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
}

type assignmentMemberDTO struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type assignmentDTO struct {
	ID          string                `json:"id"`
	TeamID      string                `json:"team_id"`
	ModuleSlug  string                `json:"module_slug"`
	ModuleTitle string                `json:"module_title"`
	DueAt       time.Time             `json:"due_at"`
	CreatedAt   time.Time             `json:"created_at"`
	CreatedBy   personDTO             `json:"created_by"`
	Members     []assignmentMemberDTO `json:"members"`
}

func toAssignmentDTO(a Assignment) assignmentDTO {
	out := assignmentDTO{ID: a.ID, TeamID: a.TeamID, ModuleSlug: a.ModuleSlug, ModuleTitle: a.ModuleTitle, DueAt: a.DueAt,
		CreatedAt: a.CreatedAt, CreatedBy: personDTO{UserID: a.CreatedBy, Name: a.CreatedByName},
		Members: make([]assignmentMemberDTO, len(a.Members))}
	for i, m := range a.Members {
		out.Members[i] = assignmentMemberDTO(m)
	}
	return out
}

type myAssignmentDTO struct {
	ID           string    `json:"id"`
	TeamID       string    `json:"team_id"`
	TeamName     string    `json:"team_name"`
	ModuleSlug   string    `json:"module_slug"`
	ModuleTitle  string    `json:"module_title"`
	DueAt        time.Time `json:"due_at"`
	CreatedAt    time.Time `json:"created_at"`
	Status       string    `json:"status"`
	AssignedBy   string    `json:"assigned_by"`
	AssignedByID string    `json:"assigned_by_id"`
}

type assignReq struct {
	ModuleSlug string   `json:"module_slug"`
	DueAt      string   `json:"due_at"`
	UserIDs    []string `json:"user_ids"`
}

func (h *Handler) handleAssign(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var req assignReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	in := AssignmentInput{ModuleSlug: req.ModuleSlug, UserIDs: req.UserIDs}
	if req.DueAt != "" {
		if in.DueAt, err = time.Parse(time.RFC3339, req.DueAt); err != nil {
			return apperr.InvalidFields(apperr.Field("due_at", "Enter the due date as a date and time, such as 2026-12-01T17:00:00Z."))
		}
	}
	a, err := h.svc.CreateAssignment(c.Request().Context(), web.UserID(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAssignmentDTO(a))
}

func (h *Handler) handleAssignments(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.svc.Assignments(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	out := make([]assignmentDTO, len(list))
	for i, a := range list {
		out[i] = toAssignmentDTO(a)
	}
	return c.JSON(http.StatusOK, map[string]any{"assignments": out})
}

func (h *Handler) handleMyAssignments(c echo.Context) error {
	list, err := h.svc.MyAssignments(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := make([]myAssignmentDTO, len(list))
	for i, a := range list {
		out[i] = myAssignmentDTO{ID: a.ID, TeamID: a.TeamID, TeamName: a.TeamName, ModuleSlug: a.ModuleSlug,
			ModuleTitle: a.ModuleTitle, DueAt: a.DueAt, CreatedAt: a.CreatedAt, Status: a.Status,
			AssignedBy: a.CreatedByName, AssignedByID: a.CreatedBy}
	}
	return c.JSON(http.StatusOK, map[string]any{"assignments": out})
}

type recognitionDTO struct {
	ID        string    `json:"id"`
	TeamID    string    `json:"team_id"`
	TeamName  string    `json:"team_name"`
	From      personDTO `json:"from"`
	To        personDTO `json:"to"`
	Message   string    `json:"message"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
	// Competency and Evidence are null when the sender named none.
	Competency *string      `json:"competency"`
	Evidence   *evidenceDTO `json:"evidence"`
}

// evidenceDTO is a recognition's evidence: a pulse by id (its answers stay with the rep), a
// reviewed practice submission by id with its activity's title, or a note.
type evidenceDTO struct {
	Kind  string  `json:"kind"`
	ID    *string `json:"id,omitempty"`
	Text  *string `json:"text,omitempty"`
	Title *string `json:"title,omitempty"`
}

func toRecognitionDTO(r Recognition) recognitionDTO {
	out := recognitionDTO{ID: r.ID, TeamID: r.TeamID, TeamName: r.TeamName, From: personDTO{UserID: r.FromID, Name: r.FromName},
		To: personDTO{UserID: r.ToID, Name: r.ToName}, Message: r.Message, Kind: r.Kind, CreatedAt: r.CreatedAt,
		Competency: ptr(r.Competency)}
	if e := r.Evidence; e != nil {
		out.Evidence = &evidenceDTO{Kind: e.Kind, ID: ptr(e.ID), Text: ptr(e.Text), Title: ptr(e.Title)}
	}
	return out
}

func recognitionList(rs []Recognition) map[string]any {
	out := make([]recognitionDTO, len(rs))
	for i, r := range rs {
		out[i] = toRecognitionDTO(r)
	}
	return map[string]any{"recognitions": out}
}

type recognizeReq struct {
	UserID     string       `json:"user_id"`
	Message    string       `json:"message"`
	Kind       *string      `json:"kind"`
	Competency *string      `json:"competency"`
	Evidence   *evidenceReq `json:"evidence"`
}

// evidenceReq is the optional evidence of a recognition. It decodes itself so that a problem
// inside it is named with its full path ("evidence.kind", "evidence.unexpected"), as the binder
// names every other field (encoding/json reports nested unknown fields without their parent).
type evidenceReq struct {
	Kind *string `json:"kind"`
	ID   *string `json:"id"`
	Text *string `json:"text"`
	// problem names the first bad key and what is wrong with it, for the handler to report.
	problem *apperr.FieldError
}

// UnmarshalJSON reads the three known keys as text and remembers the first unknown or mistyped
// one (null values are the binder's to name).
func (e *evidenceReq) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		f := apperr.Field("evidence", "Attach a pulse, a reviewed practice attempt or a note as evidence.")
		e.problem = &f
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var dst **string
		switch k {
		case "kind":
			dst = &e.Kind
		case "id":
			dst = &e.ID
		case "text":
			dst = &e.Text
		default:
			if e.problem == nil {
				f := apperr.Field("evidence."+k, "This field isn’t expected here. Please refresh the page and try again.")
				e.problem = &f
			}
			continue
		}
		if err := json.Unmarshal(obj[k], dst); err != nil && e.problem == nil {
			f := apperr.Field("evidence."+k, "This must be text.")
			e.problem = &f
		}
	}
	return nil
}

func (e *evidenceReq) input() (*EvidenceInput, error) {
	if e == nil {
		return nil, nil
	}
	if e.problem != nil {
		return nil, apperr.InvalidFields(*e.problem)
	}
	in := &EvidenceInput{ID: e.ID, Text: e.Text}
	if e.Kind != nil {
		in.Kind = *e.Kind
	}
	return in, nil
}

func (h *Handler) handleRecognize(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var req recognizeReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	ev, err := req.Evidence.input()
	if err != nil {
		return err
	}
	r, err := h.svc.Recognize(c.Request().Context(), web.UserID(c), id,
		RecognitionInput{UserID: strings.ToLower(strings.TrimSpace(req.UserID)), Message: req.Message, Kind: req.Kind,
			Competency: req.Competency, Evidence: ev})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toRecognitionDTO(r))
}

// page reads the optional ?before= (RFC 3339) and ?limit= (1-100) of a feed.
func page(c echo.Context) (time.Time, int, error) {
	var before time.Time
	var errs apperr.Fields
	if v := c.QueryParam("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			errs.Add("before", "This must be a date and time, such as 2026-12-01T17:00:00Z.")
		}
		before = t
	}
	limit := 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxFeedLimit {
			errs.Add("limit", "Choose a whole number from 1 to 100.")
		}
		limit = n
	}
	return before, limit, errs.Err()
}

func (h *Handler) handleFeed(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	before, limit, err := page(c)
	if err != nil {
		return err
	}
	rs, err := h.svc.Feed(c.Request().Context(), web.UserID(c), id, before, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recognitionList(rs))
}

func (h *Handler) handleMyRecognitions(c echo.Context) error {
	before, limit, err := page(c)
	if err != nil {
		return err
	}
	rs, err := h.svc.MyRecognitions(c.Request().Context(), web.UserID(c), before, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recognitionList(rs))
}

type promptDTO struct {
	UserID string    `json:"user_id"`
	Name   string    `json:"name"`
	Reason string    `json:"reason"`
	Detail string    `json:"detail"`
	At     time.Time `json:"at"`
}

func (h *Handler) handlePrompts(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	ps, err := h.svc.Prompts(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	out := make([]promptDTO, len(ps))
	for i, p := range ps {
		out[i] = promptDTO(p)
	}
	return c.JSON(http.StatusOK, map[string]any{"prompts": out})
}

type recognitionGapDTO struct {
	UserID           string     `json:"user_id"`
	Name             string     `json:"name"`
	LastRecognizedAt *time.Time `json:"last_recognized_at"`
}

func (h *Handler) handleRecognitionGaps(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	gaps, err := h.svc.RecognitionGaps(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	out := make([]recognitionGapDTO, len(gaps))
	for i, g := range gaps {
		out[i] = recognitionGapDTO{UserID: g.UserID, Name: g.Name, LastRecognizedAt: g.LastRecognisedAt}
	}
	return c.JSON(http.StatusOK, map[string]any{"members": out})
}
