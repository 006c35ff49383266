package billing

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// These tests state billing's rules on the domain types alone: they need no database
// (go test -run 'TestSubscription|TestGrantActivity|TestAccess' ./internal/billing/ passes with
// DATABASE_URL unset).

var (
	t0   = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	day  = 24 * time.Hour
	week = 7 * day
)

// at is t0 moved by d, as a pointer (the optional times of Subscription and Grant).
func at(d time.Duration) *time.Time { t := t0.Add(d); return &t }

// describe prints a subscription with its optional times, for failure messages.
func describe(s Subscription) string {
	f := func(t *time.Time) string {
		if t == nil {
			return "nil"
		}
		return t.Sub(t0).String()
	}
	return fmt.Sprintf("{status %s, qty %d, period end %s, cancel at end %v, past due since %s, mark %s}",
		s.Status, s.Quantity, f(s.CurrentPeriodEnd), s.CancelAtPeriodEnd, f(s.PastDueSince), f(s.LastEventCreated))
}

func wantSubscription(t *testing.T, got, want Subscription) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %s\nwant %s", describe(got), describe(want))
	}
}

func TestSubscriptionApplyChange(t *testing.T) {
	active := Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 3, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(-day)}
	pastDue := Subscription{StripeID: "sub_1", Status: StatusPastDue, Quantity: 1, CurrentPeriodEnd: at(-day),
		PastDueSince: at(-2 * day), LastEventCreated: at(-2 * day)}
	tests := []struct {
		name   string
		start  Subscription
		change SubscriptionChange
		want   Subscription
	}{
		{"created: a new subscription takes the object's state", NewSubscription("sub_1"),
			SubscriptionChange{Status: StatusActive, Quantity: 5, PeriodEnd: t0.Add(30 * day)},
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 5, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(0)}},
		{"trialing is kept as Stripe says", NewSubscription("sub_1"),
			SubscriptionChange{Status: StatusTrialing, Quantity: 1, PeriodEnd: t0.Add(14 * day)},
			Subscription{StripeID: "sub_1", Status: StatusTrialing, Quantity: 1, CurrentPeriodEnd: at(14 * day), LastEventCreated: at(0)}},
		{"updated: a scheduled cancellation is recorded", active,
			SubscriptionChange{Status: StatusActive, Quantity: 3, PeriodEnd: t0.Add(30 * day), CancelAtPeriodEnd: true},
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 3, CurrentPeriodEnd: at(30 * day), CancelAtPeriodEnd: true, LastEventCreated: at(0)}},
		{"deleted: canceled at once, whatever status and cancellation the object shows", active,
			SubscriptionChange{Status: StatusActive, Deleted: true, Quantity: 3, PeriodEnd: t0.Add(30 * day), CancelAtPeriodEnd: true},
			Subscription{StripeID: "sub_1", Status: StatusCanceled, Quantity: 3, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(0)}},
		{"an object without a period end keeps the known one", active,
			SubscriptionChange{Status: StatusActive, Quantity: 3},
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 3, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(0)}},
		{"a quantity of 0 counts as one seat", active,
			SubscriptionChange{Status: StatusActive, Quantity: 0, PeriodEnd: t0.Add(30 * day)},
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 1, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(0)}},
		{"past due starts the grace period at the event", active,
			SubscriptionChange{Status: StatusPastDue, Quantity: 3, PeriodEnd: t0.Add(30 * day)},
			Subscription{StripeID: "sub_1", Status: StatusPastDue, Quantity: 3, CurrentPeriodEnd: at(30 * day), PastDueSince: at(0), LastEventCreated: at(0)}},
		{"still past due: the grace period keeps its first failure", pastDue,
			SubscriptionChange{Status: StatusPastDue, Quantity: 1, PeriodEnd: t0.Add(-day)},
			Subscription{StripeID: "sub_1", Status: StatusPastDue, Quantity: 1, CurrentPeriodEnd: at(-day), PastDueSince: at(-2 * day), LastEventCreated: at(0)}},
		{"back to active ends the past-due spell", pastDue,
			SubscriptionChange{Status: StatusActive, Quantity: 1, PeriodEnd: t0.Add(29 * day)},
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 1, CurrentPeriodEnd: at(29 * day), LastEventCreated: at(0)}},
		{"unpaid (after the retries) is stored and ends the past-due spell", pastDue,
			SubscriptionChange{Status: "unpaid", Quantity: 1, PeriodEnd: t0.Add(-day)},
			Subscription{StripeID: "sub_1", Status: "unpaid", Quantity: 1, CurrentPeriodEnd: at(-day), LastEventCreated: at(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := tt.start
			sub.ApplyChange(tt.change, t0)
			wantSubscription(t, sub, tt.want)
		})
	}
}

func TestSubscriptionApplyInvoice(t *testing.T) {
	base := func(status string, mods ...func(*Subscription)) Subscription {
		s := Subscription{StripeID: "sub_1", Status: status, Quantity: 2, CurrentPeriodEnd: at(day), LastEventCreated: at(-day)}
		for _, m := range mods {
			m(&s)
		}
		return s
	}
	pastDueSince := func(d time.Duration) func(*Subscription) { return func(s *Subscription) { s.PastDueSince = at(d) } }
	periodEnd := func(d time.Duration) func(*Subscription) { return func(s *Subscription) { s.CurrentPeriodEnd = at(d) } }
	mark := func(s *Subscription) { s.LastEventCreated = at(0) }
	paid := func(end time.Duration) InvoiceOutcome { return InvoiceOutcome{Paid: true, PeriodEnd: t0.Add(end)} }
	failed := InvoiceOutcome{Paid: false, PeriodEnd: t0.Add(31 * day)}
	tests := []struct {
		name  string
		start Subscription
		inv   InvoiceOutcome
		want  Subscription
	}{
		{"paid: an incomplete subscription becomes active, period extended", base(StatusIncomplete), paid(31 * day),
			base(StatusActive, periodEnd(31*day), mark)},
		{"paid: a trial stays a trial", base(StatusTrialing), paid(31 * day), base(StatusTrialing, periodEnd(31*day), mark)},
		{"paid: past due is active again and the grace period ends", base(StatusPastDue, pastDueSince(-3*day)), paid(31 * day),
			base(StatusActive, periodEnd(31*day), mark)},
		{"paid: an older invoice never shortens the period", base(StatusActive, periodEnd(40*day)), paid(31 * day),
			base(StatusActive, periodEnd(40*day), mark)},
		{"paid: an invoice without a period keeps it", base(StatusActive), InvoiceOutcome{Paid: true}, base(StatusActive, mark)},
		{"paid: a canceled subscription stays canceled", base(StatusCanceled), paid(31 * day),
			base(StatusCanceled, periodEnd(31*day), mark)},
		{"failed: active becomes past due from now", base(StatusActive), failed, base(StatusPastDue, pastDueSince(0), mark)},
		{"failed: a trial's failed first payment is past due too", base(StatusTrialing), failed, base(StatusPastDue, pastDueSince(0), mark)},
		{"failed again: the grace period keeps the first failure", base(StatusPastDue, pastDueSince(-3*day)), failed,
			base(StatusPastDue, pastDueSince(-3*day), mark)},
		{"failed: a canceled subscription stays canceled", base(StatusCanceled), failed, base(StatusCanceled, mark)},
		{"the invoice's seat count fills an unknown quantity", base(StatusActive, func(s *Subscription) { s.Quantity = 0 }),
			InvoiceOutcome{Paid: true, Quantity: 7}, base(StatusActive, func(s *Subscription) { s.Quantity = 7 }, mark)},
		{"the invoice's seat count does not override a known quantity", base(StatusActive),
			InvoiceOutcome{Paid: true, Quantity: 7}, base(StatusActive, mark)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := tt.start
			sub.ApplyInvoice(tt.inv, t0)
			wantSubscription(t, sub, tt.want)
		})
	}
}

func TestSubscriptionApplyCheckout(t *testing.T) {
	tests := []struct {
		name        string
		start, want Subscription
	}{
		{"a new subscription stays incomplete with one seat and no order mark", NewSubscription("sub_1"),
			Subscription{StripeID: "sub_1", Status: StatusIncomplete, Quantity: 1}},
		{"a subscription its own event created first keeps its state and mark",
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 4, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(0)},
			Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 4, CurrentPeriodEnd: at(30 * day), LastEventCreated: at(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := tt.start
			sub.ApplyCheckout()
			wantSubscription(t, sub, tt.want)
		})
	}
}

func TestSubscriptionStale(t *testing.T) {
	tests := []struct {
		name string
		mark *time.Time
		at   time.Time
		want bool
	}{
		{"no event applied yet", nil, t0, false},
		{"older than the last event", at(0), t0.Add(-time.Second), true},
		{"as old as the last event (Stripe's seconds tie)", at(0), t0, false},
		{"newer than the last event", at(0), t0.Add(time.Second), false},
		{"checkout completion carries no order", at(0), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Subscription{LastEventCreated: tt.mark}).Stale(tt.at); got != tt.want {
				t.Errorf("Stale = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSubscriptionEventOrder plays event sequences as the webhook worker does (skip stale
// events, apply the rest) and checks the state and access they end in.
func TestSubscriptionEventOrder(t *testing.T) {
	type event struct {
		at    time.Duration
		apply func(*Subscription, time.Time)
	}
	change := func(status string) func(*Subscription, time.Time) {
		return func(s *Subscription, when time.Time) {
			s.ApplyChange(SubscriptionChange{Status: status, Quantity: 1, PeriodEnd: t0.Add(30 * day)}, when)
		}
	}
	deleted := func(s *Subscription, when time.Time) {
		s.ApplyChange(SubscriptionChange{Status: StatusCanceled, Deleted: true, Quantity: 1, PeriodEnd: t0.Add(30 * day)}, when)
	}
	invoice := func(paid bool) func(*Subscription, time.Time) {
		return func(s *Subscription, when time.Time) {
			s.ApplyInvoice(InvoiceOutcome{Paid: paid, PeriodEnd: t0.Add(30 * day)}, when)
		}
	}
	tests := []struct {
		name       string
		events     []event
		wantStatus string
		wantSkips  int
	}{
		{"in order: created, updated past due", []event{{0, change(StatusActive)}, {time.Minute, change(StatusPastDue)}}, StatusPastDue, 0},
		{"out of order: the older 'created' does not undo 'past due'", []event{{time.Minute, change(StatusPastDue)}, {0, change(StatusActive)}}, StatusPastDue, 1},
		{"a late 'updated' does not revive a deleted subscription", []event{{time.Hour, deleted}, {time.Minute, change(StatusActive)}}, StatusCanceled, 1},
		{"a late failed invoice does not undo a newer payment", []event{{time.Hour, invoice(true)}, {time.Minute, invoice(false)}}, StatusActive, 1},
		{"a newer failure after a payment counts", []event{{time.Minute, invoice(true)}, {time.Hour, invoice(false)}}, StatusPastDue, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, skips := NewSubscription("sub_1"), 0
			for _, e := range tt.events {
				when := t0.Add(e.at)
				if sub.Stale(when) {
					skips++
					continue
				}
				e.apply(&sub, when)
			}
			if sub.Status != tt.wantStatus || skips != tt.wantSkips {
				t.Errorf("status %s after %d skipped, want %s after %d", sub.Status, skips, tt.wantStatus, tt.wantSkips)
			}
		})
	}
}

func TestSubscriptionEntitles(t *testing.T) {
	now := t0
	tests := []struct {
		name string
		sub  Subscription
		want bool
	}{
		{"active", Subscription{Status: StatusActive, CurrentPeriodEnd: at(-day)}, true},
		{"trialing", Subscription{Status: StatusTrialing}, true},
		{"cancel at period end, before", Subscription{Status: StatusActive, CancelAtPeriodEnd: true, CurrentPeriodEnd: at(time.Hour)}, true},
		{"cancel at period end, after", Subscription{Status: StatusActive, CancelAtPeriodEnd: true, CurrentPeriodEnd: at(-time.Hour)}, false},
		{"cancel at period end, at the end itself", Subscription{Status: StatusActive, CancelAtPeriodEnd: true, CurrentPeriodEnd: at(0)}, false},
		{"trial with cancellation and no known end", Subscription{Status: StatusTrialing, CancelAtPeriodEnd: true}, false},
		{"past due within grace", Subscription{Status: StatusPastDue, PastDueSince: at(-6 * day)}, true},
		{"past due beyond grace", Subscription{Status: StatusPastDue, PastDueSince: at(-8 * day)}, false},
		{"past due, grace from the period end", Subscription{Status: StatusPastDue, CurrentPeriodEnd: at(-2 * day)}, true},
		{"past due, the first failure wins over the period end", Subscription{Status: StatusPastDue, PastDueSince: at(-8 * day), CurrentPeriodEnd: at(day)}, false},
		{"past due with no time known", Subscription{Status: StatusPastDue}, false},
		{"canceled", Subscription{Status: StatusCanceled, CurrentPeriodEnd: at(day)}, false},
		{"incomplete", Subscription{Status: StatusIncomplete}, false},
		{"unpaid", Subscription{Status: "unpaid", CurrentPeriodEnd: at(day)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sub.Entitles(now, week); got != tt.want {
				t.Errorf("Entitles = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSubscriptionGracePeriod follows one failed payment through the grace period.
func TestSubscriptionGracePeriod(t *testing.T) {
	sub := Subscription{StripeID: "sub_1", Status: StatusActive, Quantity: 1, CurrentPeriodEnd: at(0)}
	sub.ApplyInvoice(InvoiceOutcome{Paid: false}, t0)
	sub.ApplyInvoice(InvoiceOutcome{Paid: false}, t0.Add(3*day)) // Stripe's retry fails too
	tests := []struct {
		name  string
		after time.Duration
		want  bool
	}{
		{"at the failure", 0, true},
		{"after the retry failed", 4 * day, true},
		{"just inside the grace period", week - time.Second, true},
		{"when the grace period ends", week, false},
		{"after it", 8 * day, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sub.Entitles(t0.Add(tt.after), week); got != tt.want {
				t.Errorf("Entitles %s after the failure = %v, want %v", tt.after, got, tt.want)
			}
		})
	}
	sub.ApplyInvoice(InvoiceOutcome{Paid: true, PeriodEnd: t0.Add(40 * day)}, t0.Add(9*day))
	if !sub.Entitles(t0.Add(9*day), week) || sub.PastDueSince != nil {
		t.Errorf("a late payment does not restore access: %s", describe(sub))
	}
}

func TestSubscriptionCurrent(t *testing.T) {
	sub := func(id, status string) Subscription { return Subscription{StripeID: id, Status: status} }
	tests := []struct {
		name   string
		subs   []Subscription // newest first, as the store lists them
		want   string
		wantOK bool
	}{
		{"none", nil, "", false},
		{"the newest live one over a newer canceled one", []Subscription{sub("new", StatusCanceled), sub("live", StatusPastDue), sub("older", StatusActive)}, "live", true},
		{"the newest when none is live", []Subscription{sub("new", StatusCanceled), sub("old", StatusIncomplete)}, "new", true},
		{"trialing is live", []Subscription{sub("new", StatusIncomplete), sub("trial", StatusTrialing)}, "trial", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CurrentSubscription(tt.subs)
			if got.StripeID != tt.want || ok != tt.wantOK {
				t.Errorf("CurrentSubscription = %q, %v; want %q, %v", got.StripeID, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestGrantActivity(t *testing.T) {
	tests := []struct {
		name    string
		grant   Grant
		want    string
		premium bool
	}{
		{"before its end", Grant{EndsAt: t0.Add(time.Hour)}, GrantActive, true},
		{"at its end", Grant{EndsAt: t0}, GrantExpired, false},
		{"after its end", Grant{EndsAt: t0.Add(-time.Hour)}, GrantExpired, false},
		{"revoked before its end", Grant{EndsAt: t0.Add(time.Hour), RevokedAt: at(-time.Minute)}, GrantRevoked, false},
		{"revoked, then expired: revoked wins", Grant{EndsAt: t0.Add(-time.Hour), RevokedAt: at(-2 * time.Hour)}, GrantRevoked, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.grant.State(t0); got != tt.want || tt.grant.Active(t0) != tt.premium {
				t.Errorf("State = %s, Active = %v; want %s, %v", got, tt.grant.Active(t0), tt.want, tt.premium)
			}
		})
	}
}

func TestAccessSource(t *testing.T) {
	const user, team, other = "u1", "t1", "t2"
	active := func(userID, teamID string, qty int) Subscription {
		return Subscription{UserID: userID, TeamID: teamID, Status: StatusActive, Quantity: qty}
	}
	canceled := Subscription{UserID: user, Status: StatusCanceled}
	userGrant := Grant{UserID: user, EndsAt: t0.Add(day)}
	teamGrant := Grant{TeamID: team, Seats: 2, EndsAt: t0.Add(day)}
	tests := []struct {
		name   string
		access Access
		teams  []string
		want   string
	}{
		{"nothing", Access{}, nil, ""},
		{"own subscription", Access{Subscriptions: []Subscription{active(user, "", 1)}}, nil, SourceIndividual},
		{"own subscription wins over team and grant", Access{Subscriptions: []Subscription{active("", team, 5), active(user, "", 1)},
			Grants: []Grant{userGrant}}, []string{team}, SourceIndividual},
		{"a team subscription gives members a seat", Access{Subscriptions: []Subscription{canceled, active("", team, 5)}}, []string{team}, SourceTeam},
		{"a team grant gives members a seat", Access{Grants: []Grant{teamGrant}}, []string{team}, SourceTeam},
		{"a team seat wins over a grant", Access{Subscriptions: []Subscription{active("", team, 5)}, Grants: []Grant{userGrant}}, []string{team}, SourceTeam},
		{"another team's subscription gives nothing", Access{Subscriptions: []Subscription{active("", other, 5)}}, []string{team}, ""},
		{"a grant to the user", Access{Subscriptions: []Subscription{canceled}, Grants: []Grant{userGrant}}, nil, SourceGrant},
		{"a revoked grant gives nothing", Access{Grants: []Grant{{UserID: user, EndsAt: t0.Add(day), RevokedAt: at(-time.Hour)}}}, nil, ""},
		{"a canceled subscription gives nothing", Access{Subscriptions: []Subscription{canceled}}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.access.Source(user, tt.teams, t0, week); got != tt.want {
				t.Errorf("Source = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAccessSeats(t *testing.T) {
	const team = "t1"
	access := Access{
		Subscriptions: []Subscription{
			{TeamID: team, Status: StatusActive, Quantity: 5},
			{TeamID: team, Status: StatusPastDue, Quantity: 3, PastDueSince: at(-2 * day)},
			{TeamID: team, Status: StatusPastDue, Quantity: 100, PastDueSince: at(-30 * day)},
			{TeamID: team, Status: StatusCanceled, Quantity: 100},
			{TeamID: "t2", Status: StatusActive, Quantity: 100},
			{UserID: "u1", Status: StatusActive, Quantity: 100},
		},
		Grants: []Grant{
			{TeamID: team, Seats: 2, EndsAt: t0.Add(day)},
			{TeamID: team, Seats: 100, EndsAt: t0.Add(-day)},
			{TeamID: team, Seats: 100, EndsAt: t0.Add(day), RevokedAt: at(-time.Hour)},
			{UserID: "u1", EndsAt: t0.Add(day)},
		},
	}
	tests := []struct {
		name string
		team string
		want int
	}{
		{"entitled subscriptions and active grants add up", team, 5 + 3 + 2},
		{"another team counts its own", "t2", 100},
		{"an unknown team has none", "t3", 0},
		{"no team has none", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := access.Seats(tt.team, t0, week); got != tt.want {
				t.Errorf("Seats(%q) = %d, want %d", tt.team, got, tt.want)
			}
		})
	}
}
