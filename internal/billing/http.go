package billing

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Handler serves the billing routes.
type Handler struct{ svc *Service }

// NewHandler builds the handler. The service's Roles must be set: the admin routes check roles.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the billing routes on the /api/v1 group.
func (h *Handler) Routes(g *echo.Group) {
	g.GET("/plans", h.handlePlans)
	g.POST("/billing/checkout", h.handleCheckout, web.RequireUser)
	g.POST("/billing/portal", h.handlePortal, web.RequireUser)
	g.POST("/billing/webhook", h.handleWebhook)
	g.GET("/me/subscription", h.handleMySubscription, web.RequireUser)

	admin := g.Group("/admin", web.RequireRole(h.svc.Roles, role.Admin))
	admin.POST("/grants", h.handleCreateGrant)
	admin.GET("/grants", h.handleGrants)
	admin.DELETE("/grants/:id", h.handleRevokeGrant)
	admin.GET("/billing/events", h.handleEvents)
}

type planDTO struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Interval  string `json:"interval"`
	Amount    int64  `json:"amount"`
	Currency  string `json:"currency"`
	PerSeat   bool   `json:"per_seat"`
	TrialDays int    `json:"trial_days"`
}

type plansDTO struct {
	Plans          []planDTO `json:"plans"`
	BillingEnabled bool      `json:"billing_enabled"`
}

func (h *Handler) handlePlans(c echo.Context) error {
	plans := h.svc.ListPlans()
	out := plansDTO{Plans: make([]planDTO, len(plans)), BillingEnabled: h.svc.Enabled()}
	for i, p := range plans {
		out.Plans[i] = planDTO{ID: p.ID, Name: p.Name, Interval: p.Interval, Amount: p.Amount, Currency: p.Currency,
			PerSeat: p.PerSeat, TrialDays: p.TrialDays}
	}
	return c.JSON(http.StatusOK, out)
}

type checkoutReq struct {
	PlanID string  `json:"plan_id"`
	Seats  *int    `json:"seats"`
	TeamID *string `json:"team_id"`
}

type urlDTO struct {
	URL string `json:"url"`
}

func (h *Handler) handleCheckout(c echo.Context) error {
	if !h.svc.Enabled() {
		return errNotConfigured
	}
	var req checkoutReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	url, err := h.svc.Checkout(c.Request().Context(), web.UserID(c), CheckoutInput{PlanID: req.PlanID, Seats: req.Seats, TeamID: req.TeamID})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, urlDTO{URL: url})
}

// portalReq is the optional body of POST /billing/portal. TeamID is a pointer so that null and ""
// are refused like any other bad team id rather than read as "my own account".
type portalReq struct {
	TeamID *string `json:"team_id"`
}

// handlePortal takes an optional body {team_id}: without it, the user's own billing account.
func (h *Handler) handlePortal(c echo.Context) error {
	if !h.svc.Enabled() {
		return errNotConfigured
	}
	var req portalReq
	if c.Request().ContentLength != 0 {
		if err := web.BindValid(c, &req); err != nil {
			return err
		}
	}
	teamID := "" // left out: the caller's own billing account
	if req.TeamID != nil {
		if teamID = *req.TeamID; teamID == "" {
			return apperr.InvalidFields(apperr.Field("team_id", "This team isn’t valid. Choose your team again."))
		}
	}
	url, err := h.svc.Portal(c.Request().Context(), web.UserID(c), teamID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, urlDTO{URL: url})
}

type webhookDTO struct {
	Received  bool `json:"received"`
	Duplicate bool `json:"duplicate,omitempty"`
}

func (h *Handler) handleWebhook(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxWebhookBytes+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(body) > MaxWebhookBytes {
		return apperr.New(apperr.TooLarge, "The event is larger than 64 kB.")
	}
	if err != nil {
		return &echo.HTTPError{Code: http.StatusBadRequest, Message: "The request body could not be read."}
	}
	dup, err := h.svc.ReceiveWebhook(c.Request().Context(), body, c.Request().Header.Get("Stripe-Signature"))
	if errors.Is(err, ErrBadSignature) {
		return &echo.HTTPError{Code: http.StatusBadRequest, Message: "The Stripe-Signature header is invalid or stale."}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, webhookDTO{Received: true, Duplicate: dup})
}

type subscriptionDTO struct {
	Status            string     `json:"status"`
	PlanID            string     `json:"plan_id"`
	Seats             int        `json:"seats"`
	CurrentPeriodEnd  *time.Time `json:"current_period_end"`
	CancelAtPeriodEnd bool       `json:"cancel_at_period_end"`
}

// handleMySubscription answers the user's subscription, or a JSON null body when there is none.
func (h *Handler) handleMySubscription(c echo.Context) error {
	sub, err := h.svc.MySubscription(c.Request().Context(), web.UserID(c))
	if err != nil {
		return err
	}
	if sub == nil {
		return c.JSON(http.StatusOK, nil)
	}
	return c.JSON(http.StatusOK, subscriptionDTO{Status: sub.Status, PlanID: sub.PlanID, Seats: sub.Quantity,
		CurrentPeriodEnd: sub.CurrentPeriodEnd, CancelAtPeriodEnd: sub.CancelAtPeriodEnd})
}

type grantReq struct {
	UserID *string `json:"user_id"`
	TeamID *string `json:"team_id"`
	Seats  *int    `json:"seats"`
	EndsAt string  `json:"ends_at"`
}

type grantDTO struct {
	ID        string     `json:"id"`
	UserID    *string    `json:"user_id"`
	TeamID    *string    `json:"team_id"`
	Seats     *int       `json:"seats"`
	EndsAt    time.Time  `json:"ends_at"`
	CreatedBy *string    `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	Active    bool       `json:"active"`
	UserName  *string    `json:"user_name"`
	UserEmail *string    `json:"user_email"`
	TeamName  *string    `json:"team_name"`
}

func (h *Handler) toGrantDTO(g Grant) grantDTO {
	d := grantDTO{ID: g.ID, UserID: ptr(g.UserID), TeamID: ptr(g.TeamID), EndsAt: g.EndsAt, CreatedBy: ptr(g.CreatedBy),
		CreatedAt: g.CreatedAt, RevokedAt: g.RevokedAt, Active: g.Active(h.svc.Now()),
		UserName: ptr(g.UserName), UserEmail: ptr(g.UserEmail), TeamName: ptr(g.TeamName)}
	if g.TeamID != "" {
		seats := g.Seats
		d.Seats = &seats
	}
	return d
}

func (h *Handler) handleCreateGrant(c echo.Context) error {
	var req grantReq
	if err := web.BindValid(c, &req); err != nil {
		return err
	}
	g, err := h.svc.CreateGrant(c.Request().Context(), web.UserID(c),
		GrantInput{UserID: req.UserID, TeamID: req.TeamID, Seats: req.Seats, EndsAt: req.EndsAt})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, h.toGrantDTO(g))
}

func (h *Handler) handleGrants(c echo.Context) error {
	grants, err := h.svc.Grants(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]grantDTO, len(grants))
	for i, g := range grants {
		out[i] = h.toGrantDTO(g)
	}
	return c.JSON(http.StatusOK, map[string]any{"grants": out})
}

func (h *Handler) handleRevokeGrant(c echo.Context) error {
	id, err := web.UUIDParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.RevokeGrant(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type eventDTO struct {
	ID          string     `json:"id"`
	Type        string     `json:"type"`
	Created     time.Time  `json:"created"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	LastError   *string    `json:"last_error"`
	ReceivedAt  time.Time  `json:"received_at"`
	ProcessedAt *time.Time `json:"processed_at"`
}

func (h *Handler) handleEvents(c echo.Context) error {
	events, err := h.svc.Events(c.Request().Context(), maxListed)
	if err != nil {
		return err
	}
	out := make([]eventDTO, len(events))
	for i, e := range events {
		out[i] = eventDTO{ID: e.ID, Type: e.Type, Created: e.Created, State: e.State, Attempts: e.Attempts,
			LastError: ptr(e.LastError), ReceivedAt: e.ReceivedAt, ProcessedAt: e.ProcessedAt}
	}
	return c.JSON(http.StatusOK, map[string]any{"events": out})
}
