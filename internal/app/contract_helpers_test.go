package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/app/openapi"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// testPassword is every fixture account's password.
const testPassword = apptest.Password

// webhookSecret is the Stripe webhook signing secret of the test apps.
const webhookSecret = "whsec_test"

// stripeEnv configures the app against stripe-mock. The contract and access tests exercise the
// billing routes for real, so a missing stripe-mock fails them: they never skip.
func stripeEnv(tb testing.TB) map[string]string {
	tb.Helper()
	u := strings.TrimRight(os.Getenv("STRIPE_MOCK_URL"), "/")
	if u == "" {
		tb.Fatal("STRIPE_MOCK_URL is not set: start stripe-mock (.tools/bin/stripe-mock -http-addr 127.0.0.1:12111 " +
			"-https-addr 127.0.0.1:12112) and export STRIPE_MOCK_URL=http://127.0.0.1:12111 (make test does both)")
	}
	return map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": webhookSecret, "STRIPE_API_BASE": u}
}

// world is a whole app with stripe-mock and Mailpit, driven through a client that validates
// every exchange against the OpenAPI document.
type world struct {
	*apptest.Checked
	t *testing.T
	// stripe records the calls the app makes to stripe-mock.
	stripe *stripeRecorder
}

// newWorld builds the app and its validating client.
func newWorld(t *testing.T) *world {
	t.Helper()
	mailpittest.Require(t)
	env := stripeEnv(t)
	// The end-to-end test clock adds POST /api/v1/testing/clock; with it on, the router has every
	// route it can ever have, so the contract and the access matrix see them all.
	env["RAPPORT_TEST_CLOCK"] = "1"
	rec := newStripeRecorder(t, env["STRIPE_API_BASE"])
	env["STRIPE_API_BASE"] = rec.URL
	a := apptest.New(t, env)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &world{Checked: a.WithContract(apptest.NewContract(t, doc)), t: t, stripe: rec}
}

// account is a signed-in user.
type account = apptest.User

// account creates a verified account with the role (learner when "") and signs it in.
func (w *world) account(prefix, role string) *account {
	w.t.Helper()
	return w.NewUser(w.t, prefix, role)
}

// login signs u in with password through the API and keeps the token and cookie.
func (w *world) login(u *account, password string) {
	w.t.Helper()
	w.Login(w.t, u, password)
}

// call sends a request as u (nil: anonymous).
func (w *world) call(u *account, method, path string, body any) *apptest.Response {
	w.t.Helper()
	return w.send(u, method, path, body, nil)
}

// send is call with extra headers.
func (w *world) send(u *account, method, path string, body any, header map[string]string) *apptest.Response {
	w.t.Helper()
	r := apptest.Request{Method: method, Path: path, Body: body, Header: header}
	if u != nil {
		r.Token = u.Token
	}
	return w.Do(r)
}

// want sends a request as u and fails unless it answers status; it decodes a JSON body into out.
func (w *world) want(u *account, status int, method, path string, body, out any) *apptest.Response {
	w.t.Helper()
	r := w.call(u, method, path, body).Want(status)
	if out != nil {
		r.Decode(out)
	}
	return r
}

// mailToken waits for the newest mail to `to` whose subject contains subject and returns what
// follows prefix in its link that starts with prefix (a token).
func mailToken(t *testing.T, to, subject, prefix string) string {
	t.Helper()
	m := mailpittest.WaitFor(t, to, subject)
	return strings.TrimPrefix(mailpittest.Link(t, m.Text, prefix), prefix)
}

// instrumentYAML is a small instrument with one item of each type.
const instrumentYAML = `slug: %s
title: Contract check
description: One item of each kind.
weights:
  likert: 0.5
  sjt: 0.5
likert_labels: [Very inaccurate, Moderately inaccurate, Neither, Moderately accurate, Very accurate]
sjt_instruction: Rate each action from 1 to 5.
competencies:
  - key: listening
    name: Listening
  - key: mapping
    name: Mapping
items:
  - {id: l1, competency: listening, type: likert, prompt: I listen.}
  - {id: l2, competency: listening, type: likert, reverse: true, prompt: I interrupt.}
  - id: s1
    competency: listening
    type: sjt
    prompt: A buyer goes quiet.
    options:
      - {id: a, text: Ask what changed., key: 5}
      - {id: b, text: Push for the close., key: 1}
  - {id: m1, competency: mapping, type: likert, prompt: I map the group.}
  - id: c1
    competency: mapping
    type: choice
    prompt: Which buying job comes first?
    options:
      - {id: x, text: Problem identification, correct: true}
      - {id: y, text: Supplier selection}
`

// importInstrument loads a fresh copy of the fixture instrument and returns its slug.
func (w *world) importInstrument() string {
	w.t.Helper()
	slug := "contract-" + randomHex(4)
	fsys := fstest.MapFS{"assessments/" + slug + ".yaml": {Data: []byte(fmt.Sprintf(instrumentYAML, slug))}}
	if rep, err := w.Assess.ImportInstruments(context.Background(), fsys); err != nil || len(rep.Errors) > 0 {
		w.t.Fatalf("import instrument: %v %v", err, rep.Errors)
	}
	return slug
}

// attempt is the part of an attempt body the tests drive.
type attempt struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Items []struct {
		ID      string          `json:"id"`
		Type    string          `json:"type"`
		Options json.RawMessage `json:"options"`
	} `json:"items"`
}

// answers returns a valid answer for every item of at, high when good is set.
func answers(t *testing.T, at attempt, good bool) map[string]any {
	t.Helper()
	v := 2
	if good {
		v = 5
	}
	out := map[string]any{}
	for _, it := range at.Items {
		switch it.Type {
		case "likert":
			out[it.ID] = v
		case "sjt":
			var opts []map[string]string
			if err := json.Unmarshal(it.Options, &opts); err != nil {
				t.Fatal(err)
			}
			r := make([]int, len(opts))
			for i := range r {
				r[i] = v
			}
			out[it.ID] = r
		default:
			out[it.ID] = map[bool]string{true: "x", false: "y"}[good]
		}
	}
	return out
}

// stripeEvent builds a signed Stripe event around object; it returns the body and its
// Stripe-Signature header.
func stripeEvent(t *testing.T, id, typ string, object map[string]any) ([]byte, string) {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "created": time.Now().Unix(), "type": typ,
		"livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": object},
	})
	if err != nil {
		t.Fatal(err)
	}
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: b, Secret: webhookSecret, Timestamp: time.Now()})
	return b, sig.Header
}

// subscriptionObject is a Stripe subscription as webhooks carry it, owned by userID.
func subscriptionObject(id, userID string) map[string]any {
	end := time.Now().AddDate(0, 1, 0)
	return map[string]any{
		"id": id, "object": "subscription", "customer": "cus_" + randomHex(6), "status": "active",
		"current_period_start": time.Now().Unix(), "current_period_end": end.Unix(), "cancel_at_period_end": false,
		"metadata": map[string]string{"user_id": userID, "plan_id": "individual-monthly"},
		"items": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "si_" + id, "object": "subscription_item", "quantity": 1,
			"price": map[string]any{"id": "price_x", "object": "price", "lookup_key": "rapport_individual_monthly"},
		}}},
	}
}

// waitEvent polls until the webhook worker has finished with the event.
func (w *world) waitEvent(id string) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var state string
		if err := w.DB.Gorm.Raw("SELECT state FROM billing_webhook_events WHERE id = ?", id).Scan(&state).Error; err != nil {
			w.t.Fatalf("read event %s: %v", id, err)
		}
		if state == "processed" || state == "ignored" || state == "failed" {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("event %s still %q after 10 s", id, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
