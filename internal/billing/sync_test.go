package billing_test

import (
	"context"
	"testing"

	"github.com/rapport-hq/rapport/internal/billing"
)

// stripe-mock answers every price lookup with the same fixture price (20.00 USD a month,
// whatever the lookup key), so against it our plans all need a new price, and a plan that
// matches the fixture needs nothing.
func TestSyncPlansAgainstStripeMock(t *testing.T) {
	a, spy := billingApp(t)
	ctx := context.Background()
	results, err := a.Billing.SyncPlans(ctx)
	if err != nil {
		t.Fatalf("SyncPlans: %v", err)
	}
	if len(results) != 3 {
		t.Fatalf("results = %+v", results)
	}
	for _, r := range results {
		if r.Action != billing.SyncUpdated || r.PriceID == "" || r.ProductID == "" {
			t.Errorf("%s: %+v, want a new price on the existing product", r.PlanID, r)
		}
	}
	created := spy.Calls("POST", "/v1/prices")
	if len(created) != 3 {
		t.Fatalf("prices created: %d", len(created))
	}
	want := map[string][3]string{ // lookup key → amount, interval, product
		"rapport_individual_monthly": {"1900", "month"},
		"rapport_individual_annual":  {"19000", "year"},
		"rapport_team_monthly":       {"1500", "month"},
	}
	for _, c := range created {
		f := c.Form
		w, ok := want[f.Get("lookup_key")]
		if !ok || f.Get("unit_amount") != w[0] || f.Get("recurring[interval]") != w[1] || f.Get("currency") != "usd" ||
			f.Get("transfer_lookup_key") != "true" || f.Get("product") == "" || f.Get("metadata[plan_id]") == "" {
			t.Errorf("price params = %v", f)
		}
	}

	t.Run("a plan that matches its price is left alone", func(t *testing.T) {
		spy := newStripeSpy(t)
		svc := newService(t, a, spy.URL, func(d *billing.Deps) {
			d.Plans = []billing.Plan{{ID: "fixture", Name: "Fixture", LookupKey: "rapport_fixture", Interval: "month", Amount: 2000, Currency: "usd"}}
		})
		results, err := svc.SyncPlans(ctx)
		if err != nil || len(results) != 1 || results[0].Action != billing.SyncUnchanged || results[0].PriceID == "" {
			t.Fatalf("SyncPlans = %+v, %v; want unchanged", results, err)
		}
		if n := len(spy.Calls("POST", "/v1/prices")) + len(spy.Calls("POST", "/v1/products")); n != 0 {
			t.Errorf("%d writes to Stripe for an unchanged plan", n)
		}
	})

	t.Run("not configured", func(t *testing.T) {
		svc := newService(t, a, "", func(d *billing.Deps) { d.StripeSecretKey = "" })
		if _, err := svc.SyncPlans(ctx); err == nil {
			t.Error("SyncPlans without a key succeeded")
		}
	})
}
