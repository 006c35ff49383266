package billing_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// subscribed delivers checkout.session.completed and customer.subscription.created for a fresh
// subscription of u and returns the subscription and customer ids.
func subscribed(t *testing.T, a *apptest.App, u user, status string, periodEnd time.Time) (subID, customer string) {
	t.Helper()
	subID, customer = newID("sub"), newID("cus")
	meta := map[string]string{"user_id": u.ID, "plan_id": "individual-monthly"}
	if st := deliver(t, a, newID("evt"), "checkout.session.completed", a.Now(), map[string]any{
		"id": newID("cs"), "object": "checkout.session", "mode": "subscription", "customer": customer,
		"subscription": subID, "client_reference_id": u.ID, "metadata": meta,
	}); st != "processed" {
		t.Fatalf("checkout.session.completed: %s", st)
	}
	if st := deliver(t, a, newID("evt"), "customer.subscription.created", a.Now(),
		subscription(subID, customer, status, periodEnd, 1, "rapport_individual_monthly", meta)); st != "processed" {
		t.Fatalf("customer.subscription.created: %s", st)
	}
	return subID, customer
}

// mySubscription reads GET /me/subscription.
type mySub struct {
	Status            string     `json:"status"`
	PlanID            string     `json:"plan_id"`
	Seats             int        `json:"seats"`
	CurrentPeriodEnd  *time.Time `json:"current_period_end"`
	CancelAtPeriodEnd bool       `json:"cancel_at_period_end"`
}

func mySubscription(t *testing.T, a *apptest.App, token string) mySub {
	t.Helper()
	var s mySub
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/subscription", Token: token}).Want(http.StatusOK).Decode(&s)
	return s
}

func wantPremium(t *testing.T, a *apptest.App, u user, want bool, source any) {
	t.Helper()
	got, src := premium(t, a, u.Token)
	if got != want || src != source {
		t.Errorf("entitlement = {premium:%v source:%v}, want {premium:%v source:%v}", got, src, want, source)
	}
}

func TestWebhookSignature(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	now := time.Now()
	payload := func(id string) []byte {
		return eventJSON(t, id, "customer.subscription.created", now,
			subscription(newID("sub"), newID("cus"), "active", now.Add(720*time.Hour), 1, "rapport_individual_monthly", map[string]string{"user_id": u.ID}))
	}
	tests := []struct {
		name   string
		id     string
		secret string
		ts     time.Time
		tamper bool
		want   int
	}{
		{"valid", newID("evt"), whsec, now, false, 200},
		{"wrong secret", newID("evt"), "whsec_other", now, false, 400},
		{"payload changed after signing", newID("evt"), whsec, now, true, 400},
		{"stale: signed six minutes ago", newID("evt"), whsec, now.Add(-6 * time.Minute), false, 400},
		{"four minutes ago is within the tolerance", newID("evt"), whsec, now.Add(-4 * time.Minute), false, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := payload(tt.id)
			sent := body
			if tt.tamper {
				sent = append(append([]byte{}, body[:len(body)-1]...), ' ', '}')
			}
			r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/webhook", Body: sent,
				Header: map[string]string{"Stripe-Signature": signedHeader(body, tt.secret, tt.ts)}})
			if tt.want != 200 {
				wantProblem(t, r, tt.want, "")
				var n int64
				a.DB.Gorm.Raw("SELECT count(*) FROM billing_webhook_events WHERE id = ?", tt.id).Scan(&n)
				if n != 0 {
					t.Error("a rejected event was stored")
				}
				return
			}
			if m := r.Want(200).JSON(); m["received"] != true || m["duplicate"] != nil {
				t.Errorf("body = %v, want {received:true}", m)
			}
			if st := waitProcessed(t, a, tt.id); st != "processed" {
				t.Errorf("state = %s", st)
			}
		})
	}
	t.Run("no signature", func(t *testing.T) {
		wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/webhook", Body: payload(newID("evt"))}), 400, "")
	})
	t.Run("too large", func(t *testing.T) {
		big := make([]byte, 65*1024)
		for i := range big {
			big[i] = ' '
		}
		wantProblem(t, postSigned(a, big, whsec, now), http.StatusRequestEntityTooLarge, "")
	})
	t.Run("an event billing does not handle is stored and ignored", func(t *testing.T) {
		id := newID("evt")
		postSigned(a, eventJSON(t, id, "customer.created", now, map[string]any{"id": newID("cus"), "object": "customer"}), whsec, now).Want(200)
		if st := waitProcessed(t, a, id); st != "ignored" {
			t.Errorf("state = %s, want ignored", st)
		}
	})
}

func TestWebhookDuplicateChangesNothing(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	subID, customer := subscribed(t, a, u, "active", a.Now().Add(720*time.Hour))
	id := newID("evt")
	body := eventJSON(t, id, "customer.subscription.updated", a.Now().Add(time.Second),
		subscription(subID, customer, "active", a.Now().Add(720*time.Hour), 1, "rapport_individual_monthly", nil))
	postSigned(a, body, whsec, time.Now()).Want(200)
	waitProcessed(t, a, id)
	var before struct {
		Attempts  int
		UpdatedAt time.Time
	}
	a.DB.Gorm.Raw(`SELECT e.attempts, s.updated_at FROM billing_webhook_events e, billing_subscriptions s
		WHERE e.id = ? AND s.stripe_id = ?`, id, subID).Scan(&before)

	m := postSigned(a, body, whsec, time.Now()).Want(200).JSON()
	if m["received"] != true || m["duplicate"] != true {
		t.Errorf("re-delivery = %v, want {received:true, duplicate:true}", m)
	}
	time.Sleep(300 * time.Millisecond) // a wrongly queued job would have run by now
	var after struct {
		Attempts  int
		UpdatedAt time.Time
		N         int
	}
	a.DB.Gorm.Raw(`SELECT e.attempts, s.updated_at, (SELECT count(*) FROM billing_webhook_events WHERE id = ?) AS n
		FROM billing_webhook_events e, billing_subscriptions s WHERE e.id = ? AND s.stripe_id = ?`, id, id, subID).Scan(&after)
	if after.N != 1 || after.Attempts != before.Attempts || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("duplicate changed something: before %+v, after %+v", before, after)
	}
}

func TestWebhookSubscriptionLifecycle(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	if got := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/subscription", Token: u.Token}).Want(200).Body.String(); got != "null\n" && got != "null" {
		t.Errorf("no subscription: body %q, want null", got)
	}
	wantPremium(t, a, u, false, nil)
	end := a.Now().Add(14 * 24 * time.Hour).Truncate(time.Second)
	subscribed(t, a, u, "trialing", end)
	wantPremium(t, a, u, true, "individual")
	s := mySubscription(t, a, u.Token)
	if s.Status != "trialing" || s.PlanID != "individual-monthly" || s.Seats != 1 || s.CurrentPeriodEnd == nil ||
		!s.CurrentPeriodEnd.Equal(end) || s.CancelAtPeriodEnd {
		t.Errorf("subscription = %+v", s)
	}
	t.Run("an individual subscriber cannot check out twice", func(t *testing.T) {
		wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/checkout", Token: u.Token,
			Body: map[string]any{"plan_id": "individual-annual"}}), http.StatusConflict, "")
	})
}

func TestOutOfOrderEvents(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	subID, customer := newID("sub"), newID("cus")
	meta := map[string]string{"user_id": u.ID}
	t0 := a.Now()
	end := t0.Add(365 * 24 * time.Hour).Truncate(time.Second)
	newer := deliver(t, a, newID("evt"), "customer.subscription.updated", t0.Add(10*time.Second),
		subscription(subID, customer, "active", end, 1, "rapport_individual_annual", meta))
	older := deliver(t, a, newID("evt"), "customer.subscription.created", t0,
		subscription(subID, customer, "incomplete", t0.Add(time.Hour), 1, "rapport_individual_monthly", meta))
	if newer != "processed" || older != "ignored" {
		t.Errorf("states: updated %s, created %s; want processed, ignored", newer, older)
	}
	s := mySubscription(t, a, u.Token)
	if s.Status != "active" || s.PlanID != "individual-annual" || s.CurrentPeriodEnd == nil || !s.CurrentPeriodEnd.Equal(end) {
		t.Errorf("final state = %+v, want the updated event's", s)
	}
	wantPremium(t, a, u, true, "individual")
	t.Run("a stale invoice failure does not roll back either", func(t *testing.T) {
		st := deliver(t, a, newID("evt"), "invoice.payment_failed", t0.Add(5*time.Second), invoice(subID, customer, end))
		if st != "ignored" || mySubscription(t, a, u.Token).Status != "active" {
			t.Errorf("stale failure: state %s, subscription %+v", st, mySubscription(t, a, u.Token))
		}
	})
}

func TestWebhookSubscriptionBeforeCheckoutCompletes(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	subID, customer := newID("sub"), newID("cus")
	// No metadata and an unknown customer: the owner is not known yet.
	deliver(t, a, newID("evt"), "customer.subscription.created", a.Now(),
		subscription(subID, customer, "active", a.Now().Add(720*time.Hour), 1, "rapport_individual_monthly", nil))
	wantPremium(t, a, u, false, nil)
	deliver(t, a, newID("evt"), "checkout.session.completed", a.Now(), map[string]any{
		"id": newID("cs"), "object": "checkout.session", "mode": "subscription", "customer": customer,
		"subscription": subID, "client_reference_id": u.ID, "metadata": map[string]string{},
	})
	wantPremium(t, a, u, true, "individual")
	if s := mySubscription(t, a, u.Token); s.Status != "active" {
		t.Errorf("checkout completion changed the status: %+v", s)
	}
}

func TestDeletedEndsAccessAtOnce(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	end := a.Now().Add(20 * 24 * time.Hour)
	subID, customer := subscribed(t, a, u, "active", end)
	wantPremium(t, a, u, true, "individual")
	deliver(t, a, newID("evt"), "customer.subscription.deleted", a.Now().Add(time.Second),
		subscription(subID, customer, "active", end, 1, "rapport_individual_monthly", nil))
	wantPremium(t, a, u, false, nil)
	if s := mySubscription(t, a, u.Token); s.Status != "canceled" {
		t.Errorf("status = %s, want canceled", s.Status)
	}
}

func TestCancelAtPeriodEndKeepsAccessUntilThen(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	end := a.Now().Add(time.Hour)
	subID, customer := subscribed(t, a, u, "active", end)
	obj := subscription(subID, customer, "active", end, 1, "rapport_individual_monthly", nil)
	obj["cancel_at_period_end"] = true
	deliver(t, a, newID("evt"), "customer.subscription.updated", a.Now().Add(time.Second), obj)
	wantPremium(t, a, u, true, "individual")
	if s := mySubscription(t, a, u.Token); !s.CancelAtPeriodEnd {
		t.Errorf("cancel_at_period_end not shown: %+v", s)
	}
	advance(t, a, &u, 2*time.Hour)
	wantPremium(t, a, u, false, nil)
}

func TestPaymentFailedGracePeriod(t *testing.T) {
	a, _ := billingApp(t)
	u := mustUser(t, a, "learner")
	end := a.Now().Add(30 * 24 * time.Hour)
	subID, customer := subscribed(t, a, u, "active", end)
	deliver(t, a, newID("evt"), "invoice.payment_failed", a.Now().Add(time.Second), invoice(subID, customer, end))
	if s := mySubscription(t, a, u.Token); s.Status != "past_due" {
		t.Fatalf("status = %s, want past_due", s.Status)
	}
	wantPremium(t, a, u, true, "individual")
	advance(t, a, &u, 6*24*time.Hour)
	wantPremium(t, a, u, true, "individual")
	advance(t, a, &u, 2*24*time.Hour) // eight days after the failure: the grace period of seven is over
	wantPremium(t, a, u, false, nil)

	next := end.Add(30 * 24 * time.Hour).Truncate(time.Second)
	deliver(t, a, newID("evt"), "invoice.paid", a.Now(), invoice(subID, customer, next))
	s := mySubscription(t, a, u.Token)
	if s.Status != "active" || s.CurrentPeriodEnd == nil || !s.CurrentPeriodEnd.Equal(next) {
		t.Errorf("after invoice.paid: %+v, want active until %s", s, next)
	}
	wantPremium(t, a, u, true, "individual")
}

func TestAdminSeesWebhookEvents(t *testing.T) {
	a, _ := billingApp(t)
	admin, learner := mustUser(t, a, "admin"), mustUser(t, a, "learner")
	first, second := newID("evt"), newID("evt")
	deliver(t, a, first, "customer.created", a.Now(), map[string]any{"id": newID("cus"), "object": "customer"})
	deliver(t, a, second, "invoice.paid", a.Now(), map[string]any{"id": newID("in"), "object": "invoice"})
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/billing/events", Token: learner.Token}), 403, "")
	wantProblem(t, a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/billing/events"}), 401, "")
	var body struct {
		Events []map[string]any `json:"events"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/admin/billing/events", Token: admin.Token}).Want(200).Decode(&body)
	// Other tests of the package share the table (some with their clocks moved ahead), so
	// only the relative order of this test's two events is checked.
	pos := map[any]int{}
	for i, e := range body.Events {
		pos[e["id"]] = i + 1
	}
	if pos[first] == 0 || pos[second] == 0 || pos[second] > pos[first] {
		t.Fatalf("events = %v, want %s before %s", body.Events, second, first)
	}
	e := body.Events[pos[second]-1]
	for _, k := range []string{"id", "type", "created", "state", "attempts", "last_error", "received_at", "processed_at"} {
		if _, ok := e[k]; !ok {
			t.Errorf("event lacks %q: %v", k, e)
		}
	}
	if e["type"] != "invoice.paid" || e["state"] != "ignored" || e["attempts"] != float64(1) || e["processed_at"] == nil {
		t.Errorf("event = %v", e)
	}
}
