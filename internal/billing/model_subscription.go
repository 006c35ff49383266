package billing

import "time"

// Subscription is a Stripe subscription as the events applied so far describe it. Exactly one of
// UserID and TeamID is set once its customer is linked. Its state changes only through the
// Apply methods below, which are the whole state machine: the webhook worker loads it locked,
// applies one event and saves it.
type Subscription struct {
	StripeID          string
	CustomerID        string
	UserID            string
	TeamID            string
	PlanID            string
	Status            string
	Quantity          int
	CurrentPeriodEnd  *time.Time
	CancelAtPeriodEnd bool
	// PastDueSince is when the first failed payment of the current past_due spell happened.
	PastDueSince *time.Time
	// LastEventCreated is the creation time of the newest Stripe event applied to it. Stripe
	// does not deliver events in order, so an older event must not overwrite what it said.
	LastEventCreated *time.Time
}

// NewSubscription is a subscription no event has described yet: incomplete until one says more.
func NewSubscription(stripeID string) Subscription {
	return Subscription{StripeID: stripeID, Status: StatusIncomplete}
}

// SubscriptionChange is what a customer.subscription.created, .updated or .deleted event's
// object says; it replaces the subscription's state.
type SubscriptionChange struct {
	Status string
	// Deleted marks customer.subscription.deleted: access ends at once, whatever the object says.
	Deleted  bool
	Quantity int
	// PeriodEnd is the end of the current period (zero when the object gives none).
	PeriodEnd         time.Time
	CancelAtPeriodEnd bool
}

// InvoiceOutcome is what an invoice.paid or invoice.payment_failed event says.
type InvoiceOutcome struct {
	Paid bool
	// PeriodEnd is the latest end among the invoice's lines (zero when none has one).
	PeriodEnd time.Time
	// Quantity is the seat count of the invoice's line for one of our plans (0 when none).
	Quantity int
}

// Stale reports whether an event created at `at` is older than the newest event already applied,
// so applying it would put older state over newer. A zero time (checkout completion, which
// carries no subscription state) is never stale.
func (s Subscription) Stale(at time.Time) bool {
	return !at.IsZero() && s.LastEventCreated != nil && at.Before(*s.LastEventCreated)
}

// ApplyChange takes the state of a subscription event created at `at` exactly as its object
// describes it.
func (s *Subscription) ApplyChange(c SubscriptionChange, at time.Time) {
	s.Status = c.Status
	if c.Deleted {
		s.Status = StatusCanceled
	}
	s.Quantity = c.Quantity
	if !c.PeriodEnd.IsZero() {
		end := c.PeriodEnd.UTC()
		s.CurrentPeriodEnd = &end
	}
	s.CancelAtPeriodEnd = c.CancelAtPeriodEnd && !c.Deleted
	s.markPastDue(at)
	s.settle(at)
}

// ApplyInvoice records an invoice event created at `at`: a paid invoice makes the subscription
// active again and extends its period (never shortens it); a failed payment makes it past due,
// with the grace period counted from the first failure. A canceled subscription stays canceled.
func (s *Subscription) ApplyInvoice(inv InvoiceOutcome, at time.Time) {
	if s.Quantity == 0 && inv.Quantity > 0 {
		s.Quantity = inv.Quantity
	}
	switch {
	case s.Status == StatusCanceled:
	case inv.Paid && s.Status != StatusActive && s.Status != StatusTrialing:
		s.Status = StatusActive
	case !inv.Paid:
		s.Status = StatusPastDue
	}
	if inv.Paid && !inv.PeriodEnd.IsZero() {
		end := inv.PeriodEnd.UTC()
		if s.CurrentPeriodEnd == nil || end.After(*s.CurrentPeriodEnd) {
			s.CurrentPeriodEnd = &end
		}
	}
	s.markPastDue(at)
	s.settle(at)
}

// ApplyCheckout records a completed checkout: it links the subscription to its owner (done by
// the caller) but carries no subscription state, so it changes no status and neither checks
// nor moves the event-order mark.
func (s *Subscription) ApplyCheckout() { s.settle(time.Time{}) }

// markPastDue keeps the time of the first failure while the subscription stays past due.
func (s *Subscription) markPastDue(at time.Time) {
	if s.Status != StatusPastDue {
		s.PastDueSince = nil
		return
	}
	if s.PastDueSince == nil || at.Before(*s.PastDueSince) {
		s.PastDueSince = &at
	}
}

// settle ends every Apply: a subscription has at least one seat, and an ordered event (non-zero
// at) newer than the mark moves it.
func (s *Subscription) settle(at time.Time) {
	if s.Quantity < 1 {
		s.Quantity = 1
	}
	if !at.IsZero() && (s.LastEventCreated == nil || at.After(*s.LastEventCreated)) {
		at = at.UTC()
		s.LastEventCreated = &at
	}
}

// Entitles reports whether the subscription gives access at now: active or trialing (with
// cancellation scheduled, only until the current period ends), or past due for less than grace,
// counted from the first failed payment (from the period end when no failure is known).
//
// This is the only statement of the rule: the store reads a user's and their teams'
// subscriptions and grants unfiltered (Access) and Go decides, rather than an SQL WHERE clause
// repeating it, so that the rule is tested without a database and cannot drift from the
// checkout guard and /me/subscription, which judge one loaded subscription.
func (s Subscription) Entitles(now time.Time, grace time.Duration) bool {
	ok, _ := s.entitlement(now, grace)
	return ok
}

// entitlement is Entitles with the instant its answer turns false by time alone: the period's
// end for a cancelled subscription, the end of the grace for a past-due one (zero when only an
// event can end it). Both answers come from this one switch, so Access.Until cannot drift from
// the rule it predicts.
func (s Subscription) entitlement(now time.Time, grace time.Duration) (bool, time.Time) {
	switch s.Status {
	case StatusActive, StatusTrialing:
		if !s.CancelAtPeriodEnd {
			return true, time.Time{}
		}
		if s.CurrentPeriodEnd == nil {
			return false, time.Time{}
		}
		return s.CurrentPeriodEnd.After(now), *s.CurrentPeriodEnd
	case StatusPastDue:
		from := s.PastDueSince
		if from == nil {
			from = s.CurrentPeriodEnd
		}
		if from == nil {
			return false, time.Time{}
		}
		end := from.Add(grace)
		return end.After(now), end
	}
	return false, time.Time{}
}

// Live reports whether Stripe still bills the subscription (it is not canceled, incomplete or
// unpaid), which makes it the one a user sees and manages.
func (s Subscription) Live() bool {
	return s.Status == StatusActive || s.Status == StatusTrialing || s.Status == StatusPastDue
}

// CurrentSubscription picks a user's most relevant subscription from subs, newest first: the
// newest live one, else the newest. It reports false when subs is empty.
func CurrentSubscription(subs []Subscription) (Subscription, bool) {
	for _, s := range subs {
		if s.Live() {
			return s, true
		}
	}
	if len(subs) == 0 {
		return Subscription{}, false
	}
	return subs[0], true
}

// Access is everything that can give a user premium access or a team its seats: subscriptions
// and grants of the user and of the teams they sit on, as the store read them.
type Access struct {
	Subscriptions []Subscription
	Grants        []Grant
}

// Source says why the user (a member of teamIDs) is premium at now, preferring the user's own
// subscription, then a team seat (a team subscription that entitles, or an active team grant),
// then a grant to the user; "" when nothing gives access.
func (a Access) Source(userID string, teamIDs []string, now time.Time, grace time.Duration) string {
	member := make(map[string]bool, len(teamIDs))
	for _, id := range teamIDs {
		member[id] = true
	}
	var individual, team, granted bool
	for _, s := range a.Subscriptions {
		if s.Entitles(now, grace) {
			individual = individual || (s.UserID != "" && s.UserID == userID)
			team = team || member[s.TeamID]
		}
	}
	for _, g := range a.Grants {
		if g.Active(now) {
			granted = granted || (g.UserID != "" && g.UserID == userID)
			team = team || member[g.TeamID]
		}
	}
	switch {
	case individual:
		return SourceIndividual
	case team:
		return SourceTeam
	case granted:
		return SourceGrant
	}
	return ""
}

// Until is the earliest instant after now at which Source or Seats may answer differently with
// nothing written: the end of the period of an entitling subscription that is cancelled, of the
// grace of a past-due one, or of an active grant. Time alone only ever ends access (nothing
// starts entitling by itself), so the ends of what entitles now are the only boundaries. Zero
// when nothing that entitles now ends by time: only a write can change the answer.
func (a Access) Until(now time.Time, grace time.Duration) time.Time {
	var next time.Time
	earlier := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, s := range a.Subscriptions {
		if ok, end := s.entitlement(now, grace); ok {
			earlier(end)
		}
	}
	for _, g := range a.Grants {
		if g.Active(now) {
			earlier(g.EndsAt) // State: an active grant expires at its end
		}
	}
	return next
}

// Seats is the team's seat count at now: the quantities of its subscriptions that entitle plus
// the seats of its active grants.
func (a Access) Seats(teamID string, now time.Time, grace time.Duration) int {
	n := 0
	for _, s := range a.Subscriptions {
		if s.TeamID == teamID && teamID != "" && s.Entitles(now, grace) {
			n += s.Quantity
		}
	}
	for _, g := range a.Grants {
		if g.TeamID == teamID && teamID != "" && g.Active(now) {
			n += g.Seats
		}
	}
	return n
}
