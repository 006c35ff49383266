package billing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

// TeamDirectory answers billing's questions about teams (the teams domain implements it): whose
// seats a user holds, and who may buy and manage a team's seats. It is required; a process
// without teams passes NoTeams.
type TeamDirectory interface {
	// TeamsOf lists the ids of the teams the user holds a seat on.
	TeamsOf(ctx context.Context, userID string) ([]string, error)
	// IsManager reports whether the user manages the team.
	IsManager(ctx context.Context, userID, teamID string) (bool, error)
}

// NoTeams is the TeamDirectory of a process without teams: nobody holds a team seat, and every
// team is unknown (team checkout and the team portal answer 404).
type NoTeams struct{}

// TeamsOf implements TeamDirectory: no teams.
func (NoTeams) TeamsOf(context.Context, string) ([]string, error) { return nil, nil }

// IsManager implements TeamDirectory: the team is not found.
func (NoTeams) IsManager(context.Context, string, string) (bool, error) { return false, errNoTeam }

// errNoTeam is what a user reads about a team that does not exist for them.
var errNoTeam = apperr.New(apperr.NotFound, "We couldn’t find that team. You may no longer be a member.")

// Deps are what the billing service needs from the process; DB, Jobs, Users, Roles and Teams
// are required. An empty StripeSecretKey disables Checkout, the portal and webhooks; grants
// still work.
type Deps struct {
	DB *db.DB
	// Jobs enqueues webhook processing in the transaction that stores the event.
	Jobs *jobs.Inserter
	Now  func() time.Time
	Log  *slog.Logger
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
	GracePeriod time.Duration
	Users       UserDirectory
	Roles       web.RoleSource
	Teams       TeamDirectory
	// Changes is the process's change feed: with it, premium decisions are kept in memory while
	// it is live and billing's writes are announced on ChannelAccess; nil (a command that serves
	// nobody, a unit test) means every decision is read from the database.
	Changes Changes
}

// Service implements the billing rules.
type Service struct {
	Deps
	store  *Store
	stripe *gateway // nil when billing is not configured
	access *accessCache
}

// NewService prepares the service; a missing required dependency is an error.
func NewService(d Deps) (*Service, error) {
	switch {
	case d.DB == nil:
		return nil, errors.New("billing: Deps.DB is required")
	case d.Jobs == nil:
		return nil, errors.New("billing: Deps.Jobs is required")
	case d.Users == nil:
		return nil, errors.New("billing: Deps.Users is required")
	case d.Roles == nil:
		return nil, errors.New("billing: Deps.Roles is required")
	case d.Teams == nil:
		return nil, errors.New("billing: Deps.Teams is required (billing.NoTeams{} when there are none)")
	}
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
	s := &Service{Deps: d, store: NewStore(d.DB, d.Jobs), access: newAccessCache(d.Changes)}
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
		subs, err := s.store.FindUserSubscriptions(ctx, userID)
		if err != nil {
			return "", err
		}
		if sub, ok := CurrentSubscription(subs); ok {
			if sub.Entitles(s.Now(), s.GracePeriod) {
				return "", apperr.New(apperr.Conflict, "You already have a subscription. Manage it from the Billing page.")
			}
			trial = 0 // the free trial is for first subscriptions only
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
	customer, err := s.store.FindCustomer(ctx, userID, teamID)
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
	ok, err := s.Teams.IsManager(ctx, userID, teamID)
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
	id, err := s.store.FindCustomer(ctx, userID, teamID)
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
	if err := s.store.LinkCustomer(ctx, id, ownerUser(userID, teamID), teamID); err != nil {
		return "", err
	}
	// A concurrent first checkout may have linked another customer: use whichever won.
	return s.store.FindCustomer(ctx, userID, teamID)
}

// MySubscription returns the user's own (individual) subscription, the live one if any, or nil
// when there is none.
func (s *Service) MySubscription(ctx context.Context, userID string) (*Subscription, error) {
	subs, err := s.store.FindUserSubscriptions(ctx, userID)
	if err != nil {
		return nil, err
	}
	sub, ok := CurrentSubscription(subs)
	if !ok {
		return nil, nil
	}
	return &sub, nil
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
