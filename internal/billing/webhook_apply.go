package billing

import (
	"context"
	"errors"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// change is what one event says about one subscription: whose it is, and the state transition
// to apply (one of Subscription's Apply methods).
type change struct {
	stripeID   string
	customerID string
	// meta is the metadata we attached at checkout (user_id, team_id, plan_id), if the object carries it.
	meta   map[string]string
	planID string
	// created orders the events (Subscription.Stale); zero for checkout completion, which
	// carries no subscription state.
	created time.Time
	apply   func(sub *Subscription)
}

// applyCheckout links the session's customer to the user or team in its metadata and records
// the subscription it started, so the subscription's events find their owner.
func (s *Service) applyCheckout(ctx context.Context, st *Store, cs stripe.CheckoutSession) (string, string, error) {
	if cs.Mode != stripe.CheckoutSessionModeSubscription || cs.Subscription == nil || cs.Customer == nil {
		return EventIgnored, "not a subscription checkout", nil
	}
	meta := cs.Metadata
	if meta == nil {
		meta = map[string]string{}
	}
	if meta["user_id"] == "" && meta["team_id"] == "" {
		meta["user_id"] = cs.ClientReferenceID
	}
	userID, teamID, note, err := s.ownerFromMeta(ctx, meta)
	if err != nil || note != "" {
		return EventIgnored, note, err
	}
	if err := st.LinkCustomer(ctx, cs.Customer.ID, ownerUser(userID, teamID), teamID); err != nil {
		return "", "", err
	}
	return s.applyChange(ctx, st, change{stripeID: cs.Subscription.ID, customerID: cs.Customer.ID, meta: meta,
		planID: meta["plan_id"], apply: (*Subscription).ApplyCheckout})
}

// applySubscription reads a subscription event's object into a SubscriptionChange.
func (s *Service) applySubscription(ctx context.Context, st *Store, sub stripe.Subscription, deleted bool, created time.Time) (string, string, error) {
	ch := change{stripeID: sub.ID, meta: sub.Metadata, created: created, planID: sub.Metadata["plan_id"]}
	if sub.Customer != nil {
		ch.customerID = sub.Customer.ID
	}
	c := SubscriptionChange{Status: string(sub.Status), Deleted: deleted, Quantity: 1, CancelAtPeriodEnd: sub.CancelAtPeriodEnd}
	if sub.Items != nil && len(sub.Items.Data) > 0 {
		item := sub.Items.Data[0]
		if item.Price != nil {
			if p, ok := planByLookupKey(s.Plans, item.Price.LookupKey); ok {
				ch.planID = p.ID
			}
		}
		c.Quantity = int(item.Quantity)
	}
	if sub.CurrentPeriodEnd > 0 {
		c.PeriodEnd = time.Unix(sub.CurrentPeriodEnd, 0).UTC()
	}
	ch.apply = func(r *Subscription) { r.ApplyChange(c, created) }
	return s.applyChange(ctx, st, ch)
}

// applyInvoice reads an invoice event's object into an InvoiceOutcome.
func (s *Service) applyInvoice(ctx context.Context, st *Store, inv stripe.Invoice, paid bool, created time.Time) (string, string, error) {
	if inv.Subscription == nil || inv.Subscription.ID == "" {
		return EventIgnored, "the invoice is not for a subscription", nil
	}
	ch := change{stripeID: inv.Subscription.ID, created: created}
	if inv.Customer != nil {
		ch.customerID = inv.Customer.ID
	}
	if inv.SubscriptionDetails != nil {
		ch.meta = inv.SubscriptionDetails.Metadata
		ch.planID = ch.meta["plan_id"]
	}
	out := InvoiceOutcome{Paid: paid}
	var periodEnd int64
	if inv.Lines != nil {
		for _, l := range inv.Lines.Data {
			if l.Period != nil && l.Period.End > periodEnd {
				periodEnd = l.Period.End
			}
			if l.Price != nil {
				if p, ok := planByLookupKey(s.Plans, l.Price.LookupKey); ok {
					ch.planID, out.Quantity = p.ID, int(l.Quantity)
				}
			}
		}
	}
	if periodEnd > 0 {
		out.PeriodEnd = time.Unix(periodEnd, 0).UTC()
	}
	ch.apply = func(r *Subscription) { r.ApplyInvoice(out, created) }
	return s.applyChange(ctx, st, ch)
}

// applyChange locks the subscription, skips the change when it is older than the last one
// applied, fills in the customer, owner and plan, applies the change and saves the result.
func (s *Service) applyChange(ctx context.Context, st *Store, ch change) (string, string, error) {
	sub, exists, err := st.LockSubscription(ctx, ch.stripeID)
	if err != nil {
		return "", "", err
	}
	if exists && sub.Stale(ch.created) {
		return EventIgnored, "older than the last event applied to " + ch.stripeID, nil
	}
	if !exists {
		sub = NewSubscription(ch.stripeID)
	}
	if ch.customerID != "" {
		sub.CustomerID = ch.customerID
	}
	if sub.CustomerID == "" {
		return EventIgnored, "the object names no customer", nil
	}
	if sub.UserID == "" && sub.TeamID == "" {
		userID, teamID, note, err := s.owner(ctx, st, sub.CustomerID, ch.meta)
		if err != nil || note != "" {
			return EventIgnored, note, err
		}
		sub.UserID, sub.TeamID = userID, teamID
	}
	if ch.planID != "" {
		if _, ok := findPlan(s.Plans, ch.planID); ok {
			sub.PlanID = ch.planID
		}
	}
	ch.apply(&sub)
	saved, err := st.SaveSubscription(ctx, sub, exists)
	if err != nil {
		return "", "", err
	}
	if !saved {
		// A concurrent event (checkout completion and subscription creation arrive together)
		// inserted the subscription first: lock that row and apply this change to it, so the
		// out-of-order rule and the owner see what it holds. Once the row is visible, this saves.
		if _, found, err := st.LockSubscription(ctx, ch.stripeID); err != nil || !found {
			return "", "", errors.Join(apperr.New(apperr.Conflict, "The subscription was saved by another event at the same time; this one will be retried."), err)
		}
		return s.applyChange(ctx, st, ch)
	}
	return EventProcessed, "", nil
}

// owner finds who a subscription belongs to: the customer's link, else our metadata. An
// unknown owner is not an error: the checkout event links the customer when it arrives.
func (s *Service) owner(ctx context.Context, st *Store, customerID string, meta map[string]string) (userID, teamID, note string, err error) {
	userID, teamID, err = st.CustomerOwner(ctx, customerID)
	if err != nil || userID != "" || teamID != "" {
		return userID, teamID, "", err
	}
	if meta["user_id"] == "" && meta["team_id"] == "" {
		return "", "", "", nil
	}
	return s.ownerFromMeta(ctx, meta)
}

// ownerFromMeta reads the owner from our metadata; a team wins over the manager who bought it.
// A user this deployment does not know (another environment sharing the Stripe account) makes
// the event ignored rather than retried forever.
func (s *Service) ownerFromMeta(ctx context.Context, meta map[string]string) (userID, teamID, note string, err error) {
	if t := normUUID(meta["team_id"]); t != "" {
		return "", t, "", nil
	}
	u := normUUID(meta["user_id"])
	if u == "" {
		return "", "", "no user or team in the metadata", nil
	}
	if _, err := s.Users.User(ctx, u); apperr.Is(err, apperr.NotFound) {
		return "", "", "the metadata names an unknown user", nil
	} else if err != nil {
		return "", "", "", err
	}
	return u, "", "", nil
}
