package billing

import (
	"context"

	"github.com/stripe/stripe-go/v76"
)

// What `rapport billing sync` did for a plan.
const (
	SyncUnchanged = "unchanged"
	SyncCreated   = "created"
	SyncUpdated   = "updated"
)

// SyncResult reports one plan of a sync.
type SyncResult struct {
	PlanID    string
	LookupKey string
	// Action is SyncUnchanged, SyncCreated (new product and price) or SyncUpdated (new price on
	// the existing product, the lookup key moved to it).
	Action    string
	ProductID string
	PriceID   string
}

// SyncPlans makes the Stripe account match the plans: for each plan it finds the price by
// lookup key; a missing one gets a product and price, a different one (amount, currency,
// interval, or archived) a new price that takes over the lookup key. Running it again changes
// nothing. Existing subscriptions keep their old price, as Stripe does.
func (s *Service) SyncPlans(ctx context.Context) ([]SyncResult, error) {
	if !s.Enabled() {
		return nil, errNotConfigured
	}
	out := make([]SyncResult, 0, len(s.Plans))
	for _, p := range s.Plans {
		found, err := s.stripe.findPrice(ctx, p.LookupKey)
		if err != nil {
			return out, err
		}
		r := SyncResult{PlanID: p.ID, LookupKey: p.LookupKey, Action: syncAction(p, found)}
		switch r.Action {
		case SyncUnchanged:
			r.PriceID, r.ProductID = found.ID, productID(found)
		case SyncCreated:
			if r.ProductID, err = s.stripe.createProduct(ctx, p); err != nil {
				return out, err
			}
			if r.PriceID, err = s.stripe.createPrice(ctx, p, r.ProductID); err != nil {
				return out, err
			}
		case SyncUpdated:
			r.ProductID = productID(found)
			if r.ProductID == "" {
				if r.ProductID, err = s.stripe.createProduct(ctx, p); err != nil {
					return out, err
				}
			}
			if r.PriceID, err = s.stripe.createPrice(ctx, p, r.ProductID); err != nil {
				return out, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// syncAction decides what a plan needs given the price that holds its lookup key (nil: none).
func syncAction(p Plan, price *stripe.Price) string {
	switch {
	case price == nil:
		return SyncCreated
	case !price.Active || price.UnitAmount != p.Amount || string(price.Currency) != p.Currency ||
		price.Recurring == nil || string(price.Recurring.Interval) != p.Interval || price.Recurring.IntervalCount > 1:
		return SyncUpdated
	default:
		return SyncUnchanged
	}
}

func productID(p *stripe.Price) string {
	if p == nil || p.Product == nil {
		return ""
	}
	return p.Product.ID
}
