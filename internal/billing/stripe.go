package billing

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// gateway is the small part of the Stripe API billing uses, on its own client.API (no globals),
// so tests point it at stripe-mock and two services never share settings.
type gateway struct {
	api *client.API
	mu  sync.Mutex
	// prices caches price ids by lookup key: a lookup key moves to a new price only through
	// `rapport billing sync`, which is followed by a restart.
	prices map[string]string
}

// newGateway builds a client for key; base replaces https://api.stripe.com (stripe-mock), and
// retries is Stripe's own network retry count (safe: every create carries an idempotency key).
func newGateway(key, base string, retries int64) *gateway {
	cfg := &stripe.BackendConfig{
		MaxNetworkRetries: stripe.Int64(retries),
		HTTPClient:        &http.Client{Timeout: 20 * time.Second},
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		EnableTelemetry:   stripe.Bool(false),
	}
	if base != "" {
		cfg.URL = stripe.String(base)
	}
	backends := &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg),
	}
	return &gateway{api: client.New(key, backends), prices: map[string]string{}}
}

// unavailable wraps a Stripe failure: the cause is logged by the error handler, never sent.
func unavailable(err error) error {
	return apperr.Wrap(apperr.Unavailable, "The payment provider isn’t answering right now. Please try again in a few minutes.", err)
}

// findPrice returns the price holding lookupKey, or nil when there is none.
func (g *gateway) findPrice(ctx context.Context, lookupKey string) (*stripe.Price, error) {
	params := &stripe.PriceListParams{LookupKeys: []*string{stripe.String(lookupKey)}}
	params.Context = ctx
	params.Single = true
	params.Limit = stripe.Int64(1)
	params.AddExpand("data.product")
	it := g.api.Prices.List(params)
	var found *stripe.Price
	for it.Next() {
		found = it.Price()
		break
	}
	if err := it.Err(); err != nil {
		return nil, unavailable(err)
	}
	return found, nil
}

// priceID returns the id of the price holding lookupKey, cached after the first lookup.
func (g *gateway) priceID(ctx context.Context, lookupKey string) (string, error) {
	g.mu.Lock()
	id, ok := g.prices[lookupKey]
	g.mu.Unlock()
	if ok {
		return id, nil
	}
	p, err := g.findPrice(ctx, lookupKey)
	if err != nil {
		return "", err
	}
	if p == nil {
		return "", apperr.New(apperr.Unavailable, "This plan can’t be bought right now. Please try again later, or contact us if it keeps happening.")
	}
	g.mu.Lock()
	g.prices[lookupKey] = p.ID
	g.mu.Unlock()
	return p.ID, nil
}

// createCustomer creates a Stripe customer; the idempotency key makes a retried or concurrent
// first checkout reuse the same customer.
func (g *gateway) createCustomer(ctx context.Context, email, name string, meta map[string]string, idem string) (string, error) {
	params := &stripe.CustomerParams{Email: stripe.String(email)}
	if name != "" {
		params.Name = stripe.String(name)
	}
	params.Context = ctx
	params.Metadata = meta
	params.SetIdempotencyKey(idem)
	c, err := g.api.Customers.New(params)
	if err != nil {
		return "", unavailable(err)
	}
	return c.ID, nil
}

// checkoutRequest is one subscription-mode Checkout Session.
type checkoutRequest struct {
	Customer, PriceID, ClientReference, SuccessURL, CancelURL, IdempotencyKey string
	Quantity, TrialDays                                                       int64
	Metadata                                                                  map[string]string
}

func (g *gateway) createCheckout(ctx context.Context, r checkoutRequest) (string, error) {
	params := &stripe.CheckoutSessionParams{
		Mode:                stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:            stripe.String(r.Customer),
		ClientReferenceID:   stripe.String(r.ClientReference),
		SuccessURL:          stripe.String(r.SuccessURL),
		CancelURL:           stripe.String(r.CancelURL),
		AllowPromotionCodes: stripe.Bool(true),
		LineItems:           []*stripe.CheckoutSessionLineItemParams{{Price: stripe.String(r.PriceID), Quantity: stripe.Int64(r.Quantity)}},
		// The subscription carries the owner too, so its events identify it without the session.
		SubscriptionData: &stripe.CheckoutSessionSubscriptionDataParams{Metadata: r.Metadata},
	}
	if r.TrialDays > 0 {
		params.SubscriptionData.TrialPeriodDays = stripe.Int64(r.TrialDays)
	}
	params.Context = ctx
	params.Metadata = r.Metadata
	params.SetIdempotencyKey(r.IdempotencyKey)
	s, err := g.api.CheckoutSessions.New(params)
	if err != nil {
		return "", unavailable(err)
	}
	return s.URL, nil
}

func (g *gateway) createPortal(ctx context.Context, customer, returnURL string) (string, error) {
	params := &stripe.BillingPortalSessionParams{Customer: stripe.String(customer), ReturnURL: stripe.String(returnURL)}
	params.Context = ctx
	s, err := g.api.BillingPortalSessions.New(params)
	if err != nil {
		return "", unavailable(err)
	}
	return s.URL, nil
}

func (g *gateway) createProduct(ctx context.Context, p Plan) (string, error) {
	params := &stripe.ProductParams{Name: stripe.String("Rapport " + p.Name)}
	params.Context = ctx
	params.AddMetadata("plan_id", p.ID)
	params.SetIdempotencyKey("rapport-product-" + p.ID + "-" + p.LookupKey)
	prod, err := g.api.Products.New(params)
	if err != nil {
		return "", unavailable(err)
	}
	return prod.ID, nil
}

// createPrice creates the plan's price on product and moves the lookup key to it.
func (g *gateway) createPrice(ctx context.Context, p Plan, product string) (string, error) {
	params := &stripe.PriceParams{
		Product:           stripe.String(product),
		Currency:          stripe.String(p.Currency),
		UnitAmount:        stripe.Int64(p.Amount),
		Recurring:         &stripe.PriceRecurringParams{Interval: stripe.String(p.Interval)},
		LookupKey:         stripe.String(p.LookupKey),
		TransferLookupKey: stripe.Bool(true),
		Nickname:          stripe.String(p.Name),
	}
	params.Context = ctx
	params.AddMetadata("plan_id", p.ID)
	price, err := g.api.Prices.New(params)
	if err != nil {
		return "", unavailable(err)
	}
	g.mu.Lock()
	g.prices[p.LookupKey] = price.ID
	g.mu.Unlock()
	return price.ID, nil
}

// cancelSubscription ends a subscription at once (no proration credit: the account is going).
// One Stripe no longer knows counts as cancelled.
func (g *gateway) cancelSubscription(ctx context.Context, id string) error {
	params := &stripe.SubscriptionCancelParams{}
	params.Context = ctx
	_, err := g.api.Subscriptions.Cancel(id, params)
	return goneIsDone(err)
}

// deleteCustomer deletes the customer and, with it, the payment methods Stripe keeps for them.
func (g *gateway) deleteCustomer(ctx context.Context, id string) error {
	params := &stripe.CustomerParams{}
	params.Context = ctx
	_, err := g.api.Customers.Del(id, params)
	return goneIsDone(err)
}

// goneIsDone treats "no such object" as success for deletions, so a retried erasure after a
// partial failure completes; other failures are Unavailable.
func goneIsDone(err error) error {
	var se *stripe.Error
	if err == nil || (errors.As(err, &se) && se.Code == stripe.ErrorCodeResourceMissing) {
		return nil
	}
	return unavailable(err)
}
