package billing_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/billing"
)

type plansBody struct {
	Plans []struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Interval  string `json:"interval"`
		Amount    int64  `json:"amount"`
		Currency  string `json:"currency"`
		PerSeat   bool   `json:"per_seat"`
		TrialDays int    `json:"trial_days"`
	} `json:"plans"`
	BillingEnabled bool `json:"billing_enabled"`
}

func TestPlansArePublic(t *testing.T) {
	a, _ := billingApp(t)
	var body plansBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/plans"}).Want(http.StatusOK).Decode(&body)
	if !body.BillingEnabled {
		t.Error("billing_enabled = false with Stripe configured")
	}
	want := map[string]struct {
		interval string
		amount   int64
		perSeat  bool
		trial    int
	}{
		"individual-monthly": {"month", 1900, false, 14},
		"individual-annual":  {"year", 19000, false, 14},
		"team-monthly":       {"month", 1500, true, 0},
	}
	if len(body.Plans) != len(want) {
		t.Fatalf("plans = %+v, want %d", body.Plans, len(want))
	}
	for _, p := range body.Plans {
		w, ok := want[p.ID]
		if !ok || p.Interval != w.interval || p.Amount != w.amount || p.PerSeat != w.perSeat || p.TrialDays != w.trial ||
			p.Currency != "usd" || p.Name == "" {
			t.Errorf("plan %+v, want %+v", p, w)
		}
	}
}

func TestBillingNotConfigured(t *testing.T) {
	a := apptest.New(t, nil)
	u := mustUser(t, a, "learner")
	var body plansBody
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/plans"}).Want(http.StatusOK).Decode(&body)
	if body.BillingEnabled || len(body.Plans) != 3 {
		t.Errorf("plans without Stripe = %+v, want 3 plans and billing_enabled false", body)
	}
	tests := []struct {
		name, path string
		body       any
	}{
		{"checkout", "/api/v1/billing/checkout", map[string]any{"plan_id": "individual-monthly"}},
		{"checkout, even a bad body", "/api/v1/billing/checkout", map[string]any{"plan_id": "nope"}},
		{"portal", "/api/v1/billing/portal", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: tt.path, Token: u.Token, Body: tt.body}), http.StatusServiceUnavailable, "")
			// The detail is read by end users: it names the next step, never server settings.
			if d, _ := p["detail"].(string); !strings.Contains(d, "Ask your Rapport administrator") || strings.Contains(d, "STRIPE") {
				t.Errorf("detail = %v", p["detail"])
			}
		})
	}
	wantProblem(t, postSigned(a, []byte(`{}`), whsec, a.Now()), http.StatusServiceUnavailable, "")
	if got := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me/subscription", Token: u.Token}).Want(http.StatusOK).Body.String(); strings.TrimSpace(got) != "null" {
		t.Errorf("GET /me/subscription = %q, want null", got)
	}
}

func TestCheckout(t *testing.T) {
	a, spy := billingApp(t)
	u := mustUser(t, a, "learner")
	checkout := func(token string, body any) *apptest.Response {
		return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/checkout", Token: token, Body: body})
	}
	bad := []struct {
		name   string
		token  string
		body   any
		status int
		field  string
	}{
		{"anonymous", "", map[string]any{"plan_id": "individual-monthly"}, 401, ""},
		{"unknown plan", u.Token, map[string]any{"plan_id": "gold"}, 422, "plan_id"},
		{"missing plan", u.Token, map[string]any{}, 422, "plan_id"},
		{"team plan without seats", u.Token, map[string]any{"plan_id": "team-monthly", "team_id": uuid.NewString()}, 422, "seats"},
		{"team plan without team", u.Token, map[string]any{"plan_id": "team-monthly", "seats": 3}, 422, "team_id"},
		{"no seats", u.Token, map[string]any{"plan_id": "team-monthly", "seats": 0, "team_id": uuid.NewString()}, 422, "seats"},
		{"too many seats", u.Token, map[string]any{"plan_id": "team-monthly", "seats": 1001, "team_id": uuid.NewString()}, 422, "seats"},
		{"seats on an individual plan", u.Token, map[string]any{"plan_id": "individual-monthly", "seats": 4}, 422, "seats"},
		{"team on an individual plan", u.Token, map[string]any{"plan_id": "individual-annual", "team_id": uuid.NewString()}, 422, "team_id"},
		{"bad team id", u.Token, map[string]any{"plan_id": "team-monthly", "seats": 2, "team_id": "x"}, 422, "team_id"},
		{"seats as text", u.Token, map[string]any{"plan_id": "team-monthly", "seats": "5"}, 422, "seats"},
		{"unknown field", u.Token, map[string]any{"plan_id": "individual-monthly", "coupon": "FREE"}, 422, "coupon"},
		{"team checkout by someone who does not manage the team", u.Token, map[string]any{"plan_id": "team-monthly", "seats": 2, "team_id": uuid.NewString()}, 403, ""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) { wantProblem(t, checkout(tt.token, tt.body), tt.status, tt.field) })
	}
	if n := len(spy.Calls("POST", "/v1/checkout/sessions")); n != 0 {
		t.Fatalf("rejected checkouts reached Stripe %d times", n)
	}

	var out struct {
		URL string `json:"url"`
	}
	checkout(u.Token, map[string]any{"plan_id": "individual-monthly"}).Want(http.StatusOK).Decode(&out)
	if !strings.HasPrefix(out.URL, "https://") {
		t.Errorf("url = %q", out.URL)
	}
	sessions := spy.Calls("POST", "/v1/checkout/sessions")
	if len(sessions) != 1 {
		t.Fatalf("checkout sessions created: %d", len(sessions))
	}
	f := sessions[0].Form
	want := map[string]string{
		"mode": "subscription", "client_reference_id": u.ID, "allow_promotion_codes": "true",
		"line_items[0][quantity]": "1", "subscription_data[trial_period_days]": "14",
		"metadata[user_id]": u.ID, "metadata[plan_id]": "individual-monthly", "subscription_data[metadata][user_id]": u.ID,
		"success_url": "http://rapport.test/billing/success?session_id={CHECKOUT_SESSION_ID}",
		"cancel_url":  "http://rapport.test/pricing",
	}
	for k, v := range want {
		if f.Get(k) != v {
			t.Errorf("checkout param %s = %q, want %q", k, f.Get(k), v)
		}
	}
	if f.Get("line_items[0][price]") == "" || f.Get("customer") == "" || sessions[0].Idempotency == "" {
		t.Errorf("price %q, customer %q, idempotency key %q: all required", f.Get("line_items[0][price]"), f.Get("customer"), sessions[0].Idempotency)
	}
	customers := spy.Calls("POST", "/v1/customers")
	if len(customers) != 1 || customers[0].Form.Get("email") != u.Email || customers[0].Form.Get("metadata[user_id]") != u.ID {
		t.Fatalf("customer calls = %+v", customers)
	}
	if got := spy.Calls("GET", "/v1/prices"); len(got) != 1 || got[0].Form.Get("lookup_keys[0]") != "rapport_individual_monthly" {
		t.Errorf("price lookups = %+v", got)
	}

	t.Run("a second checkout reuses the customer, the cached price and the idempotency key", func(t *testing.T) {
		checkout(u.Token, map[string]any{"plan_id": "individual-monthly"}).Want(http.StatusOK)
		sessions := spy.Calls("POST", "/v1/checkout/sessions")
		if len(spy.Calls("POST", "/v1/customers")) != 1 || len(spy.Calls("GET", "/v1/prices")) != 1 {
			t.Errorf("customer or price looked up again")
		}
		if len(sessions) != 2 || sessions[1].Form.Get("customer") != f.Get("customer") || sessions[1].Idempotency != sessions[0].Idempotency {
			t.Errorf("second session = %+v", sessions[len(sessions)-1])
		}
		checkout(u.Token, map[string]any{"plan_id": "individual-annual"}).Want(http.StatusOK)
		sessions = spy.Calls("POST", "/v1/checkout/sessions")
		if sessions[2].Idempotency == sessions[0].Idempotency {
			t.Error("another plan reused the idempotency key")
		}
	})

	t.Run("portal", func(t *testing.T) {
		other := mustUser(t, a, "learner")
		wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/portal", Token: other.Token}), http.StatusNotFound, "")
		wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/portal"}), http.StatusUnauthorized, "")
		var out struct {
			URL string `json:"url"`
		}
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/portal", Token: u.Token}).Want(http.StatusOK).Decode(&out)
		portal := spy.Calls("POST", "/v1/billing_portal/sessions")
		if out.URL == "" || len(portal) != 1 || portal[0].Form.Get("customer") != f.Get("customer") ||
			portal[0].Form.Get("return_url") != "http://rapport.test/billing" {
			t.Errorf("portal url %q, calls %+v", out.URL, portal)
		}
	})
}

// teamDir is a billing.TeamDirectory for tests: members lists each user's teams, and manager
// manages team (and no other).
type teamDir struct {
	members       map[string][]string
	manager, team string
}

func (d teamDir) TeamsOf(_ context.Context, userID string) ([]string, error) {
	return d.members[userID], nil
}

func (d teamDir) IsManager(_ context.Context, userID, teamID string) (bool, error) {
	return userID == d.manager && teamID == d.team, nil
}

// TestTeamCheckout drives the service with a fixed team directory, so team billing is tested
// apart from the teams domain.
func TestTeamCheckout(t *testing.T) {
	a, spy := billingApp(t)
	manager, rep := mustUser(t, a, "learner"), mustUser(t, a, "learner")
	team := uuid.NewString()
	svc := newService(t, a, spy.URL, func(d *billing.Deps) { d.Teams = teamDir{manager: manager.ID, team: team} })
	ctx := context.Background()
	seats := 5
	in := billing.CheckoutInput{PlanID: "team-monthly", Seats: &seats, TeamID: &team}
	if _, err := svc.Checkout(ctx, rep.ID, in); err == nil || !strings.Contains(err.Error(), "manager") {
		t.Fatalf("a rep bought seats: %v", err)
	}
	url, err := svc.Checkout(ctx, manager.ID, in)
	if err != nil || url == "" {
		t.Fatalf("team checkout = %q, %v", url, err)
	}
	s := spy.Calls("POST", "/v1/checkout/sessions")
	if len(s) != 1 {
		t.Fatalf("sessions = %d", len(s))
	}
	f := s[0].Form
	for k, v := range map[string]string{"mode": "subscription", "line_items[0][quantity]": "5", "client_reference_id": manager.ID,
		"metadata[team_id]": team, "metadata[plan_id]": "team-monthly", "subscription_data[metadata][team_id]": team} {
		if f.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, f.Get(k), v)
		}
	}
	if f.Get("subscription_data[trial_period_days]") != "" {
		t.Errorf("team plan has a trial: %q", f.Get("subscription_data[trial_period_days]"))
	}
	c := spy.Calls("POST", "/v1/customers")
	if len(c) != 1 || c[0].Form.Get("metadata[team_id]") != team {
		t.Errorf("team customer = %+v", c)
	}
	if _, err := svc.Portal(ctx, manager.ID, team); err != nil {
		t.Errorf("team portal: %v", err)
	}
}

// newService builds a second billing service on the app's database, adjusted by opt.
func newService(tb testing.TB, a *apptest.App, stripeBase string, opt func(*billing.Deps)) *billing.Service {
	tb.Helper()
	d := billing.Deps{DB: a.DB, Jobs: a.Jobs, Now: a.Now, PublicURL: "http://rapport.test",
		StripeSecretKey: "sk_test_123", StripeWebhookSecret: whsec, StripeAPIBase: stripeBase,
		GracePeriod: 7 * 24 * time.Hour, Users: a.Identity, Roles: a.Identity, Teams: billing.NoTeams{}}
	if opt != nil {
		opt(&d)
	}
	svc, err := billing.NewService(d)
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// TestTeamCheckoutThroughTheApp buys seats for a team created through the teams routes, then
// lets the subscription's webhook set the team's seat count.
func TestTeamCheckoutThroughTheApp(t *testing.T) {
	a, spy := billingApp(t)
	manager, other := mustUser(t, a, "learner"), mustUser(t, a, "learner")
	var team struct {
		ID string `json:"id"`
	}
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams", Token: manager.Token,
		Body: map[string]any{"name": "Sales " + randomHex(3)}}).Want(http.StatusCreated).Decode(&team)
	body := map[string]any{"plan_id": "team-monthly", "seats": 5, "team_id": team.ID}
	wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/checkout", Token: other.Token, Body: body}), http.StatusForbidden, "")
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/checkout", Token: manager.Token, Body: body}).Want(http.StatusOK)
	s := spy.Calls("POST", "/v1/checkout/sessions")
	if len(s) != 1 || s[0].Form.Get("line_items[0][quantity]") != "5" || s[0].Form.Get("metadata[team_id]") != team.ID {
		t.Fatalf("sessions = %+v", s)
	}
	meta := map[string]string{"team_id": team.ID, "user_id": manager.ID, "plan_id": "team-monthly"}
	deliver(t, a, newID("evt"), "customer.subscription.created", a.Now(),
		subscription(newID("sub"), s[0].Form.Get("customer"), "active", a.Now().Add(720*time.Hour), 5, "rapport_team_monthly", meta))
	if n, err := a.Billing.TeamSeats(context.Background(), team.ID); err != nil || n != 5 {
		t.Errorf("TeamSeats = %d, %v; want 5", n, err)
	}
}
