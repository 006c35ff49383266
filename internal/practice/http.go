package practice

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the practice routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the JSON routes on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	g.GET("/practice", h.list)
	g.GET("/practice/:slug", h.activity)
	g.POST("/practice/:slug/submissions", h.start, web.RequireUser)
	g.GET("/practice/:slug/submissions", h.mine, web.RequireUser)
	g.GET("/submissions/:id", h.get, web.RequireUser)
	g.DELETE("/submissions/:id", h.delete, web.RequireUser)
	g.PUT("/submissions/:id/recording", h.recording, web.RequireUser)
	g.PUT("/submissions/:id/text", h.text, web.RequireUser)
	g.PUT("/submissions/:id/self-review", h.selfReview, web.RequireUser)
	g.POST("/submissions/:id/submit", h.submit, web.RequireUser)
	g.PUT("/submissions/:id/reviews/mine", h.saveReview, web.RequireUser)
	g.POST("/submissions/:id/reviews/mine/submit", h.submitReview, web.RequireUser)
	g.POST("/submissions/:id/peer-reviewers", h.invite, web.RequireUser)
	g.GET("/reviews/queue", h.queue, web.RequireUser)
}

// FileRoutes mounts the signed file links on the root (they are element sources, outside the API).
func (h *Handler) FileRoutes(e *echo.Echo) {
	e.GET("/recordings/:id", h.serveRecording)
	e.GET("/practice-media/:id", h.serveBuyerMedia)
}

// Streams reports whether r carries or fetches a recording: the server's JSON body limit, gzip
// and handler timeout do not apply (the handlers bound size and time themselves).
func Streams(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/recordings/"), strings.HasPrefix(p, "/practice-media/"):
		return true
	case r.Method == http.MethodPut && strings.HasPrefix(p, "/api/v1/submissions/") && strings.HasSuffix(p, "/recording"):
		return true
	}
	return false
}

// ---- DTOs ----

type anchorsDTO struct {
	One   string `json:"1"`
	Three string `json:"3"`
	Five  string `json:"5"`
}

type criterionDTO struct {
	ID         string     `json:"id"`
	Competency string     `json:"competency"`
	Criterion  string     `json:"criterion"`
	Anchors    anchorsDTO `json:"anchors"`
}

func toRubricDTO(r Rubric) []criterionDTO {
	out := make([]criterionDTO, len(r))
	for i, c := range r {
		out[i] = criterionDTO{ID: c.ID, Competency: c.Competency, Criterion: c.Criterion,
			Anchors: anchorsDTO{One: c.Anchors.One, Three: c.Anchors.Three, Five: c.Anchors.Five}}
	}
	return out
}

type activitySummaryDTO struct {
	Slug             string   `json:"slug"`
	Title            string   `json:"title"`
	ModuleSlug       string   `json:"module_slug,omitempty"`
	Kind             Kind     `json:"kind"`
	Competencies     []string `json:"competencies"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	Access           string   `json:"access"`
	MyStatus         Status   `json:"my_status"`
}

func toSummaryDTO(v ActivityView) activitySummaryDTO {
	access := "premium"
	if v.Free {
		access = "free"
	}
	comps := v.Activity.Competencies
	if comps == nil {
		comps = []string{}
	}
	return activitySummaryDTO{Slug: v.Activity.Slug, Title: v.Activity.Title, ModuleSlug: v.Activity.ModuleSlug, Kind: v.Activity.Kind,
		Competencies: comps, TimeLimitSeconds: v.Activity.TimeLimitSeconds, Access: access, MyStatus: v.MyStatus}
}

type activityDTO struct {
	activitySummaryDTO
	BriefHTML             string         `json:"brief_html"`
	BuyerMediaURL         string         `json:"buyer_media_url,omitempty"`
	BuyerMediaKind        string         `json:"buyer_media_kind,omitempty"`
	BuyerMediaContentType string         `json:"buyer_media_content_type,omitempty"`
	Rubric                []criterionDTO `json:"rubric"`
}

type scoreDTO struct {
	CriterionID string `json:"criterion_id"`
	Score       int    `json:"score"`
}

type commentDTO struct {
	AtSeconds *float64 `json:"at_seconds,omitempty"`
	Text      string   `json:"text"`
}

type selfReviewDTO struct {
	Scores []scoreDTO `json:"scores"`
	Note   string     `json:"note,omitempty"`
}

type personDTO struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// reviewDTO leaves scores, comments and summary out (absent, not null) when the view is blind.
type reviewDTO struct {
	Reviewer    personDTO     `json:"reviewer"`
	Role        ReviewRole    `json:"role"`
	Scores      *[]scoreDTO   `json:"scores,omitempty"`
	Comments    *[]commentDTO `json:"comments,omitempty"`
	Summary     *string       `json:"summary,omitempty"`
	SubmittedAt *time.Time    `json:"submitted_at"`
}

func toReviewDTO(r Review, full bool) reviewDTO {
	d := reviewDTO{Reviewer: personDTO{Name: r.ReviewerName}, Role: r.Role, SubmittedAt: r.SubmittedAt}
	if r.ReviewerID != nil {
		d.Reviewer.ID = *r.ReviewerID
	}
	if full {
		scores := toScoresDTO(r.Scores)
		comments := make([]commentDTO, len(r.Comments))
		for i, c := range r.Comments {
			comments[i] = commentDTO{AtSeconds: c.AtSeconds, Text: c.Text}
		}
		summary := r.Summary
		d.Scores, d.Comments, d.Summary = &scores, &comments, &summary
	}
	return d
}

func toScoresDTO(in []Score) []scoreDTO {
	out := make([]scoreDTO, len(in))
	for i, s := range in {
		out[i] = scoreDTO{CriterionID: s.CriterionID, Score: s.Score}
	}
	return out
}

func fromScoresDTO(in []scoreDTO) []Score {
	out := make([]Score, len(in))
	for i, s := range in {
		out[i] = Score{CriterionID: s.CriterionID, Score: s.Score}
	}
	return out
}

type submissionDTO struct {
	ID                   string         `json:"id"`
	ActivitySlug         string         `json:"activity_slug"`
	ActivityTitle        string         `json:"activity_title"`
	Kind                 Kind           `json:"kind"`
	TimeLimitSeconds     int            `json:"time_limit_seconds"`
	Rubric               []criterionDTO `json:"rubric"`
	Attempt              int            `json:"attempt"`
	Status               Status         `json:"status"`
	Owner                personDTO      `json:"owner"`
	ViewerRole           Viewer         `json:"viewer_role"`
	HasRecording         bool           `json:"has_recording"`
	RecordingURL         string         `json:"recording_url,omitempty"`
	RecordingContentType string         `json:"recording_content_type,omitempty"`
	DurationSeconds      *float64       `json:"duration_seconds,omitempty"`
	Text                 string         `json:"text,omitempty"`
	SelfReview           *selfReviewDTO `json:"self_review,omitempty"`
	Reviews              []reviewDTO    `json:"reviews"`
	MyReview             *reviewDTO     `json:"my_review,omitempty"`
	PeerReviewers        []personDTO    `json:"peer_reviewers"`
	CreatedAt            time.Time      `json:"created_at"`
	SubmittedAt          *time.Time     `json:"submitted_at"`
	ReviewedAt           *time.Time     `json:"reviewed_at"`
}

func toSubmissionDTO(v SubmissionView) submissionDTO {
	s := v.Submission
	d := submissionDTO{ID: s.ID, ActivitySlug: v.Activity.Slug, ActivityTitle: v.Activity.Title, Kind: v.Activity.Kind,
		TimeLimitSeconds: v.Activity.TimeLimitSeconds, Rubric: toRubricDTO(v.Activity.Rubric), Attempt: s.Attempt,
		Status: s.Status, Owner: personDTO{ID: s.UserID, Name: s.OwnerName}, ViewerRole: v.Viewer,
		HasRecording: s.Recording != nil, Text: s.Text, Reviews: []reviewDTO{}, PeerReviewers: []personDTO{},
		CreatedAt: s.CreatedAt, SubmittedAt: s.SubmittedAt, ReviewedAt: s.ReviewedAt}
	if s.Recording != nil {
		d.RecordingURL, d.RecordingContentType, d.DurationSeconds = v.RecordingURL, s.Recording.ContentType, s.Recording.DurationSeconds
	}
	if v.Visibility.SelfReview && s.SelfReview != nil {
		d.SelfReview = &selfReviewDTO{Scores: toScoresDTO(s.SelfReview.Scores), Note: s.SelfReview.Note}
	}
	for _, r := range v.Visibility.Reviews {
		d.Reviews = append(d.Reviews, toReviewDTO(r.Review, r.Full))
	}
	if v.Visibility.Mine != nil {
		mine := toReviewDTO(*v.Visibility.Mine, true)
		d.MyReview = &mine
	}
	for _, p := range v.Peers {
		d.PeerReviewers = append(d.PeerReviewers, personDTO{ID: p.ID, Name: p.Name})
	}
	return d
}

type queueItemDTO struct {
	ID            string     `json:"id"`
	ActivitySlug  string     `json:"activity_slug"`
	ActivityTitle string     `json:"activity_title"`
	Kind          Kind       `json:"kind"`
	Attempt       int        `json:"attempt"`
	Owner         personDTO  `json:"owner"`
	Role          ReviewRole `json:"role"`
	SubmittedAt   time.Time  `json:"submitted_at"`
	ReviewStarted bool       `json:"review_started"`
}

// ---- requests ----

type textReq struct {
	Text string `json:"text"`
}

// Optional fields are pointers, so the binder refuses null for them (the contract has no nulls).
type selfReviewReq struct {
	Scores []scoreDTO `json:"scores" validate:"required,max=6"`
	Note   *string    `json:"note"`
}

type reviewReq struct {
	Scores   []scoreDTO    `json:"scores" validate:"required,max=6"`
	Comments *[]commentDTO `json:"comments"`
	Summary  *string       `json:"summary"`
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

type peersReq struct {
	UserIDs []string `json:"user_ids" validate:"required,min=1,max=20"`
}

// ---- handlers ----

func (h *Handler) list(c echo.Context) error {
	list, err := h.svc.Activities(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := make([]activitySummaryDTO, len(list))
	for i, v := range list {
		out[i] = toSummaryDTO(v)
	}
	return c.JSON(http.StatusOK, map[string]any{"activities": out})
}

func (h *Handler) activity(c echo.Context) error {
	v, err := h.svc.Activity(c.Request().Context(), web.UserID(c), c.Param("slug"))
	if err != nil {
		return err
	}
	d := activityDTO{activitySummaryDTO: toSummaryDTO(v), BriefHTML: v.Activity.BriefHTML, Rubric: toRubricDTO(v.Activity.Rubric)}
	if v.BuyerMedia != nil {
		d.BuyerMediaURL, d.BuyerMediaKind, d.BuyerMediaContentType = v.BuyerMediaURL, v.BuyerMedia.Kind, v.BuyerMedia.ContentType
	}
	return c.JSON(http.StatusOK, d)
}

func (h *Handler) start(c echo.Context) error {
	v, created, err := h.svc.Start(c.Request().Context(), web.UserID(c), c.Param("slug"))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, toSubmissionDTO(v))
}

func (h *Handler) mine(c echo.Context) error {
	list, err := h.svc.MySubmissions(c.Request().Context(), web.UserID(c), c.Param("slug"))
	if err != nil {
		return err
	}
	out := make([]submissionDTO, len(list))
	for i, v := range list {
		out[i] = toSubmissionDTO(v)
	}
	return c.JSON(http.StatusOK, map[string]any{"submissions": out})
}

func (h *Handler) get(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	v, err := h.svc.Submission(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSubmissionDTO(v))
}

func (h *Handler) delete(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), web.UserID(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// recording streams the raw body to storage (never buffered whole).
func (h *Handler) recording(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	req := c.Request()
	// Refuse an announced length over the limit before reading a byte.
	if req.ContentLength > h.svc.MaxRecordingBytes() {
		return h.svc.tooLarge()
	}
	_ = http.NewResponseController(c.Response()).SetReadDeadline(time.Now().Add(time.Hour))
	var seconds *float64
	if raw := strings.TrimSpace(req.Header.Get("X-Duration-Seconds")); raw != "" {
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || v < 0 || v > MaxCommentAt {
			return apperr.InvalidFields(apperr.Field("X-Duration-Seconds", "Send the recording’s length in seconds, from 0 to 3600."))
		}
		seconds = &v
	}
	if err := h.svc.PutRecording(req.Context(), web.UserID(c), id, req.Header.Get(echo.HeaderContentType), req.Body, seconds); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) text(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var in textReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	if err := h.svc.PutText(c.Request().Context(), web.UserID(c), id, in.Text); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) selfReview(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var in selfReviewReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	sr := SelfReview{Scores: fromScoresDTO(in.Scores), Note: deref(in.Note)}
	if err := h.svc.PutSelfReview(c.Request().Context(), web.UserID(c), id, sr); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) submit(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	v, err := h.svc.Submit(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSubmissionDTO(v))
}

func (h *Handler) saveReview(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var in reviewReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	d := ReviewDraft{Scores: fromScoresDTO(in.Scores), Summary: deref(in.Summary)}
	for _, cm := range deref(in.Comments) {
		d.Comments = append(d.Comments, Comment{AtSeconds: cm.AtSeconds, Text: cm.Text})
	}
	if err := h.svc.SaveReview(c.Request().Context(), web.UserID(c), id, d); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handler) submitReview(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	v, err := h.svc.SubmitReview(c.Request().Context(), web.UserID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSubmissionDTO(v))
}

func (h *Handler) invite(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	var in peersReq
	if err := web.BindValid(c, &in); err != nil {
		return err
	}
	peers, err := h.svc.InvitePeers(c.Request().Context(), web.UserID(c), id, in.UserIDs)
	if err != nil {
		return err
	}
	out := make([]personDTO, len(peers))
	for i, p := range peers {
		out[i] = personDTO{ID: p.ID, Name: p.Name}
	}
	return c.JSON(http.StatusCreated, map[string]any{"peer_reviewers": out})
}

func (h *Handler) queue(c echo.Context) error {
	list, err := h.svc.Queue(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	out := make([]queueItemDTO, len(list))
	for i, q := range list {
		s := q.Submission
		var at time.Time
		if s.SubmittedAt != nil {
			at = *s.SubmittedAt
		}
		out[i] = queueItemDTO{ID: s.ID, ActivitySlug: q.Activity.Slug, ActivityTitle: q.Activity.Title, Kind: q.Activity.Kind,
			Attempt: s.Attempt, Owner: personDTO{ID: s.UserID, Name: s.OwnerName}, Role: q.Role, SubmittedAt: at,
			ReviewStarted: q.ReviewStarted}
	}
	return c.JSON(http.StatusOK, map[string]any{"submissions": out})
}

// linkParams refuses a link whose query is malformed (not one the server made); a link without
// them is simply not valid (404).
func linkParams(c echo.Context) (exp, sig string, err error) {
	exp, sig = c.QueryParam("exp"), c.QueryParam("sig")
	var f apperr.Fields
	if _, perr := strconv.ParseInt(exp, 10, 64); perr != nil && exp != "" {
		f.Add("exp", "This link is incomplete. Reload the page to get a fresh one.")
	}
	if !utf8.ValidString(sig) {
		f.Add("sig", "This link is incomplete. Reload the page to get a fresh one.")
	}
	return exp, sig, f.Err()
}

func (h *Handler) serveRecording(c echo.Context) error {
	exp, sig, err := linkParams(c)
	if err != nil {
		return err
	}
	f, err := h.svc.Recording(c.Request().Context(), c.Param("id"), exp, sig)
	if err != nil {
		return err
	}
	return h.stream(c, f)
}

func (h *Handler) serveBuyerMedia(c echo.Context) error {
	exp, sig, err := linkParams(c)
	if err != nil {
		return err
	}
	f, err := h.svc.BuyerMedia(c.Request().Context(), c.Param("id"), exp, sig)
	if err != nil {
		return err
	}
	return h.stream(c, f)
}

// stream serves a stored file with ranges; nothing is cached and nothing is sniffed.
func (h *Handler) stream(c echo.Context, f File) error {
	ctx := c.Request().Context()
	bucket := h.svc.Bucket()
	// Confirm the bytes are reachable before any header is sent: a storage outage is a clean 503.
	if _, err := bucket.Size(ctx, f.Key); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return apperr.Wrap(apperr.Unavailable, "This recording is missing from storage. Please try again later.", err)
		}
		return err
	}
	_ = http.NewResponseController(c.Response()).SetWriteDeadline(time.Now().Add(time.Hour))
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, f.ContentType)
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; media-src 'self'; sandbox")
	hd.Set("Content-Disposition", "inline")
	body := bucket.NewSeeker(ctx, f.Key, f.Bytes)
	defer body.Close()
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, body)
	return nil
}
