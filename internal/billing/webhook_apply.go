package billing

import (
	"context"
	"errors"
	"time"

	"github.com/stripe/stripe-go/v76"
	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// change is what one event says about one subscription.
type change struct {
	stripeID   string
	customerID string
	// meta is the metadata we attached at checkout (user_id, team_id, plan_id), if the object carries it.
	meta   map[string]string
	planID string
	// created orders the events: an event older than the last applied one is skipped. A zero
	// created means the change carries no subscription state (checkout completion) and neither
	// checks nor moves the mark.
	created time.Time
	mutate  func(r *subscriptionRow)
}

// applyCheckout links the session's customer to the user or team in its metadata and records
// the subscription it started, so the subscription's events find their owner.
func (s *Service) applyCheckout(ctx context.Context, tx *gorm.DB, cs stripe.CheckoutSession) (string, string, error) {
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
	if err := s.st.linkCustomer(ctx, tx, cs.Customer.ID, ownerUser(userID, teamID), teamID); err != nil {
		return "", "", err
	}
	return s.applyChange(ctx, tx, change{stripeID: cs.Subscription.ID, customerID: cs.Customer.ID, meta: meta,
		planID: meta["plan_id"], mutate: func(*subscriptionRow) {}})
}

// applySubscription stores the subscription exactly as the event's own object describes it.
func (s *Service) applySubscription(ctx context.Context, tx *gorm.DB, sub stripe.Subscription, deleted bool, created time.Time) (string, string, error) {
	ch := change{stripeID: sub.ID, meta: sub.Metadata, created: created, planID: sub.Metadata["plan_id"]}
	if sub.Customer != nil {
		ch.customerID = sub.Customer.ID
	}
	quantity := 1
	if sub.Items != nil && len(sub.Items.Data) > 0 {
		item := sub.Items.Data[0]
		if item.Price != nil {
			if p, ok := planByLookupKey(s.Plans, item.Price.LookupKey); ok {
				ch.planID = p.ID
			}
		}
		quantity = int(item.Quantity)
	}
	ch.mutate = func(r *subscriptionRow) {
		r.Status = string(sub.Status)
		if deleted {
			r.Status = StatusCanceled // access ends at once, whatever the object says
		}
		r.Quantity = quantity
		if sub.CurrentPeriodEnd > 0 {
			end := time.Unix(sub.CurrentPeriodEnd, 0).UTC()
			r.CurrentPeriodEnd = &end
		}
		r.CancelAtPeriodEnd = sub.CancelAtPeriodEnd && !deleted
		markPastDue(r, created)
	}
	return s.applyChange(ctx, tx, ch)
}

// applyInvoice records a paid invoice (active again, period extended) or a failed payment
// (past due, with the grace period counted from the first failure).
func (s *Service) applyInvoice(ctx context.Context, tx *gorm.DB, inv stripe.Invoice, paid bool, created time.Time) (string, string, error) {
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
	var periodEnd int64
	quantity := 0
	if inv.Lines != nil {
		for _, l := range inv.Lines.Data {
			if l.Period != nil && l.Period.End > periodEnd {
				periodEnd = l.Period.End
			}
			if l.Price != nil {
				if p, ok := planByLookupKey(s.Plans, l.Price.LookupKey); ok {
					ch.planID, quantity = p.ID, int(l.Quantity)
				}
			}
		}
	}
	ch.mutate = func(r *subscriptionRow) {
		if r.Quantity == 0 && quantity > 0 {
			r.Quantity = quantity
		}
		switch {
		case r.Status == StatusCanceled:
		case paid && r.Status != StatusActive && r.Status != StatusTrialing:
			r.Status = StatusActive
		case !paid:
			r.Status = StatusPastDue
		}
		if paid && periodEnd > 0 {
			end := time.Unix(periodEnd, 0).UTC()
			if r.CurrentPeriodEnd == nil || end.After(*r.CurrentPeriodEnd) {
				r.CurrentPeriodEnd = &end
			}
		}
		markPastDue(r, created)
	}
	return s.applyChange(ctx, tx, ch)
}

// markPastDue keeps the time of the first failure while the subscription stays past due.
func markPastDue(r *subscriptionRow, at time.Time) {
	if r.Status != StatusPastDue {
		r.PastDueSince = nil
		return
	}
	if r.PastDueSince == nil || at.Before(*r.PastDueSince) {
		r.PastDueSince = &at
	}
}

// applyChange locks the subscription, skips the change when it is older than the last one
// applied, fills in the owner and saves the result.
func (s *Service) applyChange(ctx context.Context, tx *gorm.DB, ch change) (string, string, error) {
	row, exists, err := s.st.lockSubscription(ctx, tx, ch.stripeID)
	if err != nil {
		return "", "", err
	}
	ordered := !ch.created.IsZero()
	if ordered && exists && row.LastEventCreated != nil && ch.created.Before(*row.LastEventCreated) {
		return EventIgnored, "older than the last event applied to " + ch.stripeID, nil
	}
	if !exists {
		row = subscriptionRow{StripeID: ch.stripeID, Status: StatusIncomplete}
	}
	if ch.customerID != "" {
		row.StripeCustomerID = ch.customerID
	}
	if row.StripeCustomerID == "" {
		return EventIgnored, "the object names no customer", nil
	}
	if row.UserID == nil && row.TeamID == nil {
		userID, teamID, note, err := s.owner(ctx, tx, row.StripeCustomerID, ch.meta)
		if err != nil || note != "" {
			return EventIgnored, note, err
		}
		row.UserID, row.TeamID = ptr(userID), ptr(teamID)
	}
	if ch.planID != "" {
		if _, ok := findPlan(s.Plans, ch.planID); ok {
			row.PlanID = ch.planID
		}
	}
	ch.mutate(&row)
	if row.Quantity < 1 {
		row.Quantity = 1
	}
	if ordered && (row.LastEventCreated == nil || ch.created.After(*row.LastEventCreated)) {
		row.LastEventCreated = &ch.created
	}
	saved, err := s.st.saveSubscription(ctx, tx, &row, exists)
	if err != nil {
		return "", "", err
	}
	if !saved {
		// A concurrent event (checkout completion and subscription creation arrive together)
		// inserted the subscription first: lock that row and apply this change to it, so the
		// out-of-order rule and the owner see what it holds. Once the row is visible, this saves.
		if _, found, err := s.st.lockSubscription(ctx, tx, ch.stripeID); err != nil || !found {
			return "", "", errors.Join(apperr.New(apperr.Conflict, "The subscription was saved by another event at the same time; this one will be retried."), err)
		}
		return s.applyChange(ctx, tx, ch)
	}
	return EventProcessed, "", nil
}

// owner finds who a subscription belongs to: the customer's link, else our metadata. An
// unknown owner is not an error: the checkout event links the customer when it arrives.
func (s *Service) owner(ctx context.Context, tx *gorm.DB, customerID string, meta map[string]string) (userID, teamID, note string, err error) {
	userID, teamID, err = s.st.customerOwner(ctx, tx, customerID)
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
	if s.Users != nil {
		if _, err := s.Users.User(ctx, u); apperr.Is(err, apperr.NotFound) {
			return "", "", "the metadata names an unknown user", nil
		} else if err != nil {
			return "", "", "", err
		}
	}
	return u, "", "", nil
}
