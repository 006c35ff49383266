package billing

import (
	"testing"
	"time"
)

// Access.Until is when a premium decision can change with nothing written: cached decisions
// (access_cache.go) are kept no later than that.
func TestAccessUntil(t *testing.T) {
	const user, team = "u1", "t1"
	cancelling := Subscription{UserID: user, Status: StatusActive, CancelAtPeriodEnd: true, CurrentPeriodEnd: at(3 * day)}
	tests := []struct {
		name   string
		access Access
		want   time.Duration // from t0; 0 means no end by time (Until is zero)
	}{
		{"nothing", Access{}, 0},
		{"an active subscription renews: only an event ends it", Access{Subscriptions: []Subscription{
			{UserID: user, Status: StatusActive, CurrentPeriodEnd: at(day)}}}, 0},
		{"a cancelled subscription ends with its period", Access{Subscriptions: []Subscription{cancelling}}, 3 * day},
		{"a cancelled trial ends with its period", Access{Subscriptions: []Subscription{
			{UserID: user, Status: StatusTrialing, CancelAtPeriodEnd: true, CurrentPeriodEnd: at(2 * day)}}}, 2 * day},
		{"past due: the grace counts from the first failure", Access{Subscriptions: []Subscription{
			{UserID: user, Status: StatusPastDue, PastDueSince: at(-2 * day), CurrentPeriodEnd: at(-3 * day)}}}, week - 2*day},
		{"past due without a failure time: from the period end", Access{Subscriptions: []Subscription{
			{UserID: user, Status: StatusPastDue, CurrentPeriodEnd: at(-3 * day)}}}, week - 3*day},
		{"a grant ends at its end", Access{Grants: []Grant{{UserID: user, EndsAt: t0.Add(5 * day)}}}, 5 * day},
		{"the earliest end wins", Access{Subscriptions: []Subscription{cancelling},
			Grants: []Grant{{UserID: user, EndsAt: t0.Add(5 * day)}, {TeamID: team, Seats: 2, EndsAt: t0.Add(day)}}}, day},
		{"what gives nothing now has no boundary", Access{
			Subscriptions: []Subscription{{UserID: user, Status: StatusPastDue, PastDueSince: at(-8 * day)},
				{UserID: user, Status: StatusCanceled, CurrentPeriodEnd: at(day)},
				{UserID: user, Status: StatusActive, CancelAtPeriodEnd: true, CurrentPeriodEnd: at(-time.Hour)}},
			Grants: []Grant{{UserID: user, EndsAt: t0.Add(-time.Hour)}, {UserID: user, EndsAt: t0.Add(day), RevokedAt: at(-time.Minute)}}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.access.Until(t0, week)
			if tt.want == 0 {
				if !got.IsZero() {
					t.Fatalf("Until = %s after t0, want none", got.Sub(t0))
				}
				// No boundary: the answers hold for a long time.
				sameAnswers(t, tt.access, t0, t0.Add(365*day))
				return
			}
			if !got.Equal(t0.Add(tt.want)) {
				t.Fatalf("Until = %s after t0, want %s", got.Sub(t0), tt.want)
			}
			// The answers hold until just before the boundary, and something stops at it.
			sameAnswers(t, tt.access, t0, got.Add(-time.Nanosecond))
			if entitling(tt.access, got) == entitling(tt.access, t0) {
				t.Errorf("nothing stops entitling at Until")
			}
		})
	}
}

// sameAnswers fails unless Source and Seats answer at `later` as they do at now.
func sameAnswers(t *testing.T, a Access, now, later time.Time) {
	t.Helper()
	for _, teams := range [][]string{nil, {"t1"}} {
		if s, l := a.Source("u1", teams, now, week), a.Source("u1", teams, later, week); s != l {
			t.Errorf("Source(teams %v) = %q at t0 but %q at %s", teams, s, l, later.Sub(now))
		}
	}
	if s, l := a.Seats("t1", now, week), a.Seats("t1", later, week); s != l {
		t.Errorf("Seats = %d at t0 but %d at %s", s, l, later.Sub(now))
	}
}

// entitling counts the subscriptions and grants that give access at now.
func entitling(a Access, now time.Time) int {
	n := 0
	for _, s := range a.Subscriptions {
		if s.Entitles(now, week) {
			n++
		}
	}
	for _, g := range a.Grants {
		if g.Active(now) {
			n++
		}
	}
	return n
}
