package billing

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/rapport-hq/rapport/internal/apperr"
)

func TestDefaultPlans(t *testing.T) {
	plans, err := DefaultPlans()
	if err != nil {
		t.Fatal(err)
	}
	want := []Plan{
		{ID: "individual-monthly", LookupKey: "rapport_individual_monthly", Interval: "month", Amount: 1900, Currency: "usd", TrialDays: 14},
		{ID: "individual-annual", LookupKey: "rapport_individual_annual", Interval: "year", Amount: 19000, Currency: "usd", TrialDays: 14},
		{ID: "team-monthly", LookupKey: "rapport_team_monthly", Interval: "month", Amount: 1500, Currency: "usd", PerSeat: true},
	}
	if len(plans) != len(want) {
		t.Fatalf("plans = %+v", plans)
	}
	for i, w := range want {
		p := plans[i]
		w.Name = p.Name
		if p != w || p.Name == "" {
			t.Errorf("plan %d = %+v, want %+v", i, p, w)
		}
	}
}

func TestParsePlansRejects(t *testing.T) {
	good := "  - {id: a, name: A, lookup_key: k_a, interval: month, amount: 100, currency: usd}\n"
	tests := []struct{ name, doc, want string }{
		{"empty", "plans: []\n", "no plans"},
		{"unknown field", "plans:\n  - {id: a, name: A, lookup_key: k, interval: month, amount: 1, currency: usd, colour: red}\n", "colour"},
		{"bad interval", "plans:\n  - {id: a, name: A, lookup_key: k, interval: week, amount: 1, currency: usd}\n", "interval"},
		{"zero amount", "plans:\n  - {id: a, name: A, lookup_key: k, interval: month, amount: 0, currency: usd}\n", "amount"},
		{"upper-case currency", "plans:\n  - {id: a, name: A, lookup_key: k, interval: month, amount: 1, currency: USD}\n", "currency"},
		{"bad id", "plans:\n  - {id: A B, name: A, lookup_key: k, interval: month, amount: 1, currency: usd}\n", "id"},
		{"no lookup key", "plans:\n  - {id: a, name: A, interval: month, amount: 1, currency: usd}\n", "lookup_key"},
		{"duplicate id", "plans:\n" + good + good, "duplicate"},
		{"not YAML", "plans: [", "plans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlans([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := ParsePlans([]byte("plans:\n" + good)); err != nil {
		t.Errorf("valid file: %v", err)
	}
	if _, err := LoadPlans("/no/such/plans.yaml"); err == nil {
		t.Error("LoadPlans of a missing file succeeded")
	}
}

func TestSyncAction(t *testing.T) {
	plan := Plan{ID: "p", LookupKey: "k", Interval: "month", Amount: 1900, Currency: "usd"}
	price := func(amount int64, currency, interval string, active bool) *stripe.Price {
		return &stripe.Price{Active: active, UnitAmount: amount, Currency: stripe.Currency(currency),
			Recurring: &stripe.PriceRecurring{Interval: stripe.PriceRecurringInterval(interval), IntervalCount: 1}}
	}
	tests := []struct {
		name  string
		price *stripe.Price
		want  string
	}{
		{"missing", nil, SyncCreated},
		{"same", price(1900, "usd", "month", true), SyncUnchanged},
		{"other amount", price(2900, "usd", "month", true), SyncUpdated},
		{"other interval", price(1900, "usd", "year", true), SyncUpdated},
		{"other currency", price(1900, "eur", "month", true), SyncUpdated},
		{"archived", price(1900, "usd", "month", false), SyncUpdated},
		{"one-time price", &stripe.Price{Active: true, UnitAmount: 1900, Currency: "usd"}, SyncUpdated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := syncAction(plan, tt.price); got != tt.want {
				t.Errorf("syncAction = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckoutInputValidate(t *testing.T) {
	plans, _ := DefaultPlans()
	team := "0b7e6a9c-3a55-4d5e-9f0e-0f1f2a3b4c5d"
	seats := func(n int) *int { return &n }
	p, n, tm, err := CheckoutInput{PlanID: "team-monthly", Seats: seats(12), TeamID: &team}.validate(plans)
	if err != nil || p.ID != "team-monthly" || n != 12 || tm != team {
		t.Errorf("team input = %v %d %q %v", p.ID, n, tm, err)
	}
	_, n, tm, err = CheckoutInput{PlanID: "individual-monthly", Seats: seats(1)}.validate(plans)
	if err != nil || n != 1 || tm != "" {
		t.Errorf("individual input = %d %q %v", n, tm, err)
	}
	_, _, _, err = CheckoutInput{PlanID: "team-monthly"}.validate(plans)
	if !apperr.Is(err, apperr.Invalid) {
		t.Errorf("team without seats: %v", err)
	}
}
