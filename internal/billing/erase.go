package billing

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// EraseUser ends the user's own billing at Stripe before the account is deleted: every
// subscription not yet cancelled is cancelled, then the customer is deleted (Stripe drops its
// payment methods with it). It runs before the database deletion so that a Stripe outage leaves
// the account whole and the user can try again, instead of an erased account that is still
// charged. Our rows go with the account (ON DELETE CASCADE); events Stripe sends afterwards
// find no customer and are ignored. Team subscriptions belong to the team and are untouched.
func (s *Service) EraseUser(ctx context.Context, userID string) error {
	subs, err := s.store.FindUserSubscriptions(ctx, userID)
	if err != nil {
		return err
	}
	customer, err := s.store.FindCustomer(ctx, userID, "")
	if apperr.Is(err, apperr.NotFound) {
		customer, err = "", nil
	}
	if err != nil {
		return err
	}
	if len(subs) == 0 && customer == "" {
		return nil
	}
	if s.stripe == nil {
		return apperr.New(apperr.Unavailable, "Payments are not configured on this server, so your subscription can’t be cancelled. Please contact support.")
	}
	for _, sub := range subs {
		if sub.Status == StatusCanceled {
			continue
		}
		if err := s.stripe.cancelSubscription(ctx, sub.StripeID); err != nil {
			return err
		}
	}
	if customer != "" {
		return s.stripe.deleteCustomer(ctx, customer)
	}
	return nil
}

// ExportUser is billing's section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "billing", json.RawMessage(v), err
}
