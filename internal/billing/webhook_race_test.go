package billing_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestCheckoutAndSubscriptionCreatedConcurrently applies checkout.session.completed and
// customer.subscription.created for the same new subscription at the same time, as Stripe sends
// them. Both first see no row and insert it; the one that loses the race applies its change on
// top of the other's row instead of failing on the primary key. Each round must end with both
// events processed, no error, one subscription row, and the subscription's own status (checkout
// completion carries no state and must not overwrite it).
func TestCheckoutAndSubscriptionCreatedConcurrently(t *testing.T) {
	a, _ := billingApp(t)
	ctx := context.Background()
	for round := 0; round < 12; round++ {
		u := mustUser(t, a, "learner")
		subID, customer := newID("sub"), newID("cus")
		meta := map[string]string{"user_id": u.ID, "plan_id": "individual-monthly"}
		checkout, created := newID("evt"), newID("evt")
		// Stored as the webhook stores them, but processed here rather than by the worker, so
		// both transactions run at once.
		store := func(id, typ string, object map[string]any) {
			payload := eventJSON(t, id, typ, a.Now(), object)
			if err := a.DB.Gorm.Exec("INSERT INTO billing_webhook_events (id, type, created, payload) VALUES (?, ?, ?, ?)",
				id, typ, a.Now(), string(payload)).Error; err != nil {
				t.Fatal(err)
			}
		}
		store(checkout, "checkout.session.completed", map[string]any{
			"id": newID("cs"), "object": "checkout.session", "mode": "subscription", "customer": customer,
			"subscription": subID, "client_reference_id": u.ID, "metadata": meta,
		})
		store(created, "customer.subscription.created",
			subscription(subID, customer, "active", a.Now().Add(720*time.Hour), 1, "rapport_individual_monthly", meta))

		start := make(chan struct{})
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, id := range []string{checkout, created} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = a.Billing.ProcessEvent(ctx, id)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: event %d failed: %v", round, i, err)
			}
		}
		var rows []struct {
			Status string
			UserID *string
		}
		if err := a.DB.Gorm.Raw("SELECT status, user_id FROM billing_subscriptions WHERE stripe_id = ?", subID).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Status != "active" || rows[0].UserID == nil || *rows[0].UserID != u.ID {
			t.Fatalf("round %d: subscription rows = %+v, want one active row owned by %s", round, rows, u.ID)
		}
		for _, id := range []string{checkout, created} {
			var state string
			if err := a.DB.Gorm.Raw("SELECT state FROM billing_webhook_events WHERE id = ?", id).Scan(&state).Error; err != nil || state != "processed" {
				t.Fatalf("round %d: event %s is %q (%v), want processed", round, id, state, err)
			}
		}
	}
}
