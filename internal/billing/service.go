package billing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// UserDirectory looks up accounts (the identity service implements it): Stripe customers are
// created with the account's e-mail and name.
type UserDirectory interface {
	User(ctx context.Context, id string) (identity.User, error)
}

// TeamMembership lists the teams a user holds a seat on (the teams domain implements it).
type TeamMembership interface {
	TeamsOf(ctx context.Context, userID string) ([]string, error)
}

// TeamAuthority says whether a user manages a team (the teams domain implements it).
type TeamAuthority interface {
	IsManager(ctx context.Context, userID, teamID string) (bool, error)
}

// Deps are what the billing service needs from the process. Teams and TeamAuthority may be nil
// until the teams domain exists: then nobody has a team seat and team checkout answers 404.
// An empty StripeSecretKey disables Checkout, the portal and webhooks; grants still work.
type Deps struct {
	DB    *db.DB
	Queue *jobs.Queue
	Now   func() time.Time
	Log   *slog.Logger
	// Plans are the plans on sale (LoadPlans).
	Plans     []Plan
	PublicURL string
	// StripeSecretKey, StripeWebhookSecret and StripeAPIBase configure Stripe; the base is
	// empty for the real API or stripe-mock's URL (without /v1).
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	// StripeRetries is the Stripe client's network retry count (0 in tests).
	StripeRetries int64
	// GracePeriod keeps a past-due subscription premium this long after the failed payment.
	GracePeriod   time.Duration
	Users         UserDirectory
	Roles         web.RoleSource
	Teams         TeamMembership
	TeamAuthority TeamAuthority
}

// Service implements the billing rules.
type Service struct {
	Deps
	st     store
	stripe *gateway // nil when billing is not configured
}

// NewService prepares the service.
func NewService(d Deps) (*Service, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if len(d.Plans) == 0 {
		plans, err := DefaultPlans()
		if err != nil {
			return nil, err
		}
		d.Plans = plans
	}
	s := &Service{Deps: d}
	if d.StripeSecretKey != "" {
		s.stripe = newGateway(d.StripeSecretKey, d.StripeAPIBase, d.StripeRetries)
	}
	return s, nil
}

// Enabled reports whether Stripe is configured.
func (s *Service) Enabled() bool { return s.stripe != nil }

// ListPlans returns a copy of the plans on sale.
func (s *Service) ListPlans() []Plan { return append([]Plan(nil), s.Plans...) }

// errNotConfigured is what a user reads when online payment is off on this installation.
var errNotConfigured = apperr.New(apperr.Unavailable,
	"Online payment is not available on this Rapport site. Ask your Rapport administrator for access or team seats.")

// checkoutBucket is how long the same checkout request maps to the same Stripe idempotency key
// (a double click returns the same session instead of opening two).
const checkoutBucket = 10 * time.Minute

// Checkout opens a subscription-mode Stripe Checkout Session for the user (or for a team the
// user manages) and returns its URL.
func (s *Service) Checkout(ctx context.Context, userID string, in CheckoutInput) (string, error) {
	if !s.Enabled() {
		return "", errNotConfigured
	}
	plan, seats, teamID, err := in.validate(s.Plans)
	if err != nil {
		return "", err
	}
	trial := plan.TrialDays
	if teamID != "" {
		if err := s.checkManager(ctx, userID, teamID); err != nil {
			return "", err
		}
	} else {
		sub, err := s.st.userSubscription(ctx, s.DB.Gorm, userID)
		switch {
		case err == nil && s.subscriptionEntitles(sub):
			return "", apperr.New(apperr.Conflict, "You already have a subscription. Manage it from the Billing page.")
		case err == nil:
			trial = 0 // the free trial is for first subscriptions only
		case !apperr.Is(err, apperr.NotFound):
			return "", err
		}
	}
	customer, err := s.customer(ctx, userID, teamID)
	if err != nil {
		return "", err
	}
	price, err := s.stripe.priceID(ctx, plan.LookupKey)
	if err != nil {
		return "", err
	}
	meta := map[string]string{"user_id": userID, "plan_id": plan.ID}
	if teamID != "" {
		meta["team_id"] = teamID
	}
	bucket := s.Now().UTC().Truncate(checkoutBucket).Unix()
	return s.stripe.createCheckout(ctx, checkoutRequest{
		Customer: customer, PriceID: price, ClientReference: userID, Quantity: int64(seats),
		TrialDays: int64(trial), Metadata: meta,
		SuccessURL:     s.PublicURL + "/billing/success?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:      s.PublicURL + "/pricing",
		IdempotencyKey: idemKey("checkout", userID, teamID, plan.ID, fmt.Sprint(seats), fmt.Sprint(trial), fmt.Sprint(bucket)),
	})
}

// Portal opens a Stripe Customer Portal session for the user's (or a managed team's) customer.
func (s *Service) Portal(ctx context.Context, userID, teamID string) (string, error) {
	if !s.Enabled() {
		return "", errNotConfigured
	}
	if teamID != "" {
		if teamID = normUUID(teamID); teamID == "" {
			return "", apperr.InvalidFields(apperr.Field("team_id", "This team isn’t valid. Choose your team again."))
		}
		if err := s.checkManager(ctx, userID, teamID); err != nil {
			return "", err
		}
	}
	customer, err := s.st.findCustomer(ctx, s.DB.Gorm, userID, teamID)
	if apperr.Is(err, apperr.NotFound) {
		return "", apperr.New(apperr.NotFound, "You don’t have a billing account yet. Subscribe to a plan first.")
	}
	if err != nil {
		return "", err
	}
	return s.stripe.createPortal(ctx, customer, s.PublicURL+"/billing")
}

// checkManager allows team billing only to the team's manager.
func (s *Service) checkManager(ctx context.Context, userID, teamID string) error {
	if s.TeamAuthority == nil {
		return apperr.New(apperr.NotFound, "We couldn’t find that team. You may no longer be a member.")
	}
	ok, err := s.TeamAuthority.IsManager(ctx, userID, teamID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "Only the team’s manager can manage its billing.")
	}
	return nil
}

// customer returns the Stripe customer of the user or team, creating and linking it first.
func (s *Service) customer(ctx context.Context, userID, teamID string) (string, error) {
	id, err := s.st.findCustomer(ctx, s.DB.Gorm, userID, teamID)
	if err == nil || !apperr.Is(err, apperr.NotFound) {
		return id, err
	}
	u, err := s.Users.User(ctx, userID)
	if err != nil {
		return "", err
	}
	meta := map[string]string{"user_id": userID}
	owner := "user-" + userID
	if teamID != "" {
		meta = map[string]string{"team_id": teamID, "manager_user_id": userID}
		owner = "team-" + teamID
	}
	id, err = s.stripe.createCustomer(ctx, u.Email, u.Name, meta, idemKey("customer", owner))
	if err != nil {
		return "", err
	}
	if err := s.st.linkCustomer(ctx, s.DB.Gorm, id, ownerUser(userID, teamID), teamID); err != nil {
		return "", err
	}
	// A concurrent first checkout may have linked another customer: use whichever won.
	return s.st.findCustomer(ctx, s.DB.Gorm, userID, teamID)
}

// MySubscription returns the user's own (individual) subscription, or nil when there is none.
func (s *Service) MySubscription(ctx context.Context, userID string) (*Subscription, error) {
	r, err := s.st.userSubscription(ctx, s.DB.Gorm, userID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sub := r.toSubscription()
	return &sub, nil
}

// subscriptionEntitles applies the entitlement rule to one row (the SQL rule's twin, for
// the checkout guard).
func (s *Service) subscriptionEntitles(r subscriptionRow) bool {
	now := s.Now()
	switch r.Status {
	case StatusActive, StatusTrialing:
		return !r.CancelAtPeriodEnd || (r.CurrentPeriodEnd != nil && r.CurrentPeriodEnd.After(now))
	case StatusPastDue:
		from := r.PastDueSince
		if from == nil {
			from = r.CurrentPeriodEnd
		}
		return from != nil && from.After(now.Add(-s.GracePeriod))
	}
	return false
}

// ownerUser is the user id to store as a customer's owner: none for team customers.
func ownerUser(userID, teamID string) string {
	if teamID != "" {
		return ""
	}
	return userID
}

// idemKey derives a Stripe idempotency key from its parts.
func idemKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "rapport-" + parts[0] + "-" + hex.EncodeToString(h.Sum(nil))[:40]
}
