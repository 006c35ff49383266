package billing_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// whsec is the webhook signing secret of the test apps.
const whsec = "whsec_test"

const password = apptest.Password

// stripeMockURL is stripe-mock's base URL. The billing tests need it and fail without it: a
// skipped payment test is a payment path nobody checked.
func stripeMockURL(tb testing.TB) string {
	tb.Helper()
	u := strings.TrimRight(os.Getenv("STRIPE_MOCK_URL"), "/")
	if u == "" {
		tb.Fatal("STRIPE_MOCK_URL is not set: start stripe-mock v0.183.0 (.tools/bin/stripe-mock -http-addr " +
			"127.0.0.1:12111 -https-addr 127.0.0.1:12112) and export STRIPE_MOCK_URL=http://127.0.0.1:12111 " +
			"(make test does both); billing tests never skip")
	}
	return u
}

// stripeCall is one request the app made to Stripe.
type stripeCall struct {
	Method, Path string
	Form         url.Values
	Idempotency  string
}

// stripeSpy sits between the app and stripe-mock and records every call, because stripe-mock
// echoes only some create parameters (not line items or metadata).
type stripeSpy struct {
	URL   string
	mu    sync.Mutex
	calls []stripeCall
}

func newStripeSpy(tb testing.TB) *stripeSpy {
	tb.Helper()
	target, err := url.Parse(stripeMockURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	spy := &stripeSpy{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if r.Method == http.MethodGet {
			form = r.URL.Query()
		}
		spy.mu.Lock()
		spy.calls = append(spy.calls, stripeCall{Method: r.Method, Path: r.URL.Path, Form: form, Idempotency: r.Header.Get("Idempotency-Key")})
		spy.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	spy.URL = srv.URL
	return spy
}

// Calls returns the recorded calls to method path.
func (s *stripeSpy) Calls(method, path string) []stripeCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stripeCall
	for _, c := range s.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// billingApp builds an app with Stripe configured against stripe-mock (through a spy).
func billingApp(tb testing.TB) (*apptest.App, *stripeSpy) {
	tb.Helper()
	spy := newStripeSpy(tb)
	a := apptest.New(tb, map[string]string{
		"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": whsec, "STRIPE_API_BASE": spy.URL,
	})
	return a, spy
}

// user is a signed-in account.
type user = apptest.User

// mustUser creates a verified user with role and signs it in.
func mustUser(tb testing.TB, a *apptest.App, role string) user {
	tb.Helper()
	return *a.NewUser(tb, role, role)
}

// login signs in and returns an access token; tests that move the clock sign in again, since
// access tokens expire by the app's clock.
func login(tb testing.TB, a *apptest.App, email string) string {
	tb.Helper()
	u := &user{Email: email}
	a.Login(tb, u, password)
	return u.Token
}

// advance moves the app's clock and signs u in again.
func advance(tb testing.TB, a *apptest.App, u *user, d time.Duration) {
	tb.Helper()
	a.Advance(d)
	u.Token = login(tb, a, u.Email)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newID returns a fresh Stripe-style id with the prefix.
func newID(prefix string) string { return prefix + "_" + randomHex(8) }

// eventJSON builds a Stripe event around object, with the API version stripe-go v76 expects.
func eventJSON(tb testing.TB, id, typ string, created time.Time, object map[string]any) []byte {
	tb.Helper()
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "created": created.Unix(), "type": typ,
		"livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": object},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// signedHeader is the Stripe-Signature of payload signed with secret at ts.
func signedHeader(payload []byte, secret string, ts time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: ts}).Header
}

// postSigned posts payload to the webhook signed with secret at ts.
func postSigned(a *apptest.App, payload []byte, secret string, ts time.Time) *apptest.Response {
	return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/webhook", Body: payload,
		Header: map[string]string{"Stripe-Signature": signedHeader(payload, secret, ts)}})
}

// deliver posts a correctly signed event and waits until the job has processed it; it returns
// the event's final state.
func deliver(tb testing.TB, a *apptest.App, id, typ string, created time.Time, object map[string]any) string {
	tb.Helper()
	postSigned(a, eventJSON(tb, id, typ, created, object), whsec, time.Now()).Want(http.StatusOK)
	return waitProcessed(tb, a, id)
}

// waitProcessed polls the event's state for up to 10 s until the worker has finished with it.
func waitProcessed(tb testing.TB, a *apptest.App, id string) string {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var state string
		if err := a.DB.Gorm.Raw("SELECT state FROM billing_webhook_events WHERE id = ?", id).Scan(&state).Error; err != nil {
			tb.Fatalf("read event %s: %v", id, err)
		}
		if state == "processed" || state == "ignored" {
			return state
		}
		if time.Now().After(deadline) {
			tb.Fatalf("event %s still %q after 10 s", id, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// subscription is a Stripe subscription object as webhooks carry it.
func subscription(id, customer, status string, periodEnd time.Time, quantity int, lookupKey string, meta map[string]string) map[string]any {
	if meta == nil {
		meta = map[string]string{}
	}
	return map[string]any{
		"id": id, "object": "subscription", "customer": customer, "status": status,
		"current_period_start": periodEnd.AddDate(0, -1, 0).Unix(), "current_period_end": periodEnd.Unix(),
		"cancel_at_period_end": false, "metadata": meta,
		"items": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "si_" + id, "object": "subscription_item", "quantity": quantity,
			"price": map[string]any{"id": "price_" + lookupKey, "object": "price", "lookup_key": lookupKey},
		}}},
	}
}

// invoice is a Stripe invoice object for a subscription.
func invoice(subID, customer string, periodEnd time.Time) map[string]any {
	return map[string]any{
		"id": newID("in"), "object": "invoice", "customer": customer, "subscription": subID,
		"lines": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": newID("il"), "object": "line_item", "type": "subscription", "quantity": 1,
			"period": map[string]any{"start": periodEnd.AddDate(0, -1, 0).Unix(), "end": periodEnd.Unix()},
		}}},
	}
}

// premium reads GET /me's entitlement.
func premium(tb testing.TB, a *apptest.App, token string) (bool, any) {
	tb.Helper()
	var me struct {
		Entitlement struct {
			Premium bool `json:"premium"`
			Source  any  `json:"source"`
		} `json:"entitlement"`
	}
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Token: token}).Want(http.StatusOK).Decode(&me)
	return me.Entitlement.Premium, me.Entitlement.Source
}

// wantProblem checks a problem+json answer with the status, and that it names field if given.
func wantProblem(tb testing.TB, r *apptest.Response, status int, field string) map[string]any {
	tb.Helper()
	r.Want(status)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		tb.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	if field != "" && !strings.Contains(r.Body.String(), `"field":"`+field+`"`) {
		tb.Errorf("problem does not name %q: %s", field, r.Body.String())
	}
	return r.JSON()
}
