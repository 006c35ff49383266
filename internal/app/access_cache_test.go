package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// accessWorld is one app (or several on one database) with a published premium lesson.
type accessWorld struct {
	t          *testing.T
	a          *apptest.App
	admin      *apptest.User
	lessonPath string
}

// newAccessWorld builds an app with Stripe webhooks configured and publishes a premium lesson.
func newAccessWorld(t *testing.T) *accessWorld {
	t.Helper()
	a := apptest.New(t, stripeEnv(t))
	waitLive(t, a)
	instructor := a.NewUser(t, "instructor", "instructor")
	w := &accessWorld{t: t, a: a, admin: a.NewUser(t, "admin", "admin")}
	w.lessonPath = publishPremiumLesson(t, a, instructor.ID)
	return w
}

// waitLive waits until the app's change feed listens (before that nothing is cached).
func waitLive(t *testing.T, a *apptest.App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Changes.WaitLive(ctx); err != nil {
		t.Fatalf("listener not live: %v", err)
	}
}

// publishPremiumLesson publishes a premium module of one lesson and returns the lesson's path.
func publishPremiumLesson(t *testing.T, a *apptest.App, instructorID string) string {
	t.Helper()
	ctx := context.Background()
	slug := "access-" + randomHex(4)
	if _, err := a.Catalog.CreateModule(ctx, catalog.ModuleInput{Slug: ptr(slug), Title: ptr("Premium access"),
		Access: ptr(catalog.AccessPremium)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Catalog.CreateLesson(ctx, slug, catalog.LessonInput{Slug: ptr("one"), Title: ptr("One"), Minutes: ptr(3),
		Markdown: ptr("Only for premium readers.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Catalog.Publish(ctx, slug, instructorID); err != nil {
		t.Fatal(err)
	}
	return "/api/v1/modules/" + slug + "/lessons/one"
}

// read is u's status for the premium lesson on x.
func (w *accessWorld) read(x *apptest.App, u *apptest.User) int {
	return x.Do(apptest.Request{Method: "GET", Path: w.lessonPath, Token: u.Token}).Code
}

// grant gives u premium until endsAt through the admin route and returns the grant's id.
func (w *accessWorld) grant(u *apptest.User, endsAt time.Time) string {
	w.t.Helper()
	var g struct {
		ID string `json:"id"`
	}
	w.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: w.admin.Token,
		Body: map[string]any{"user_id": u.ID, "ends_at": endsAt.UTC().Format(time.RFC3339)}}).Want(http.StatusCreated).Decode(&g)
	return g.ID
}

// cached reads the lesson twice as u (the second read is answered from the cache while nothing
// changes) and fails unless both are allowed.
func (w *accessWorld) cached(x *apptest.App, u *apptest.User) {
	w.t.Helper()
	for range 2 {
		if code := w.read(x, u); code != http.StatusOK {
			w.t.Fatalf("premium lesson: %d, want 200", code)
		}
	}
}

// Every write that ends premium access ends it in the writing process before the write's answer:
// the very next read is refused, with no wait, although the decision was cached a moment before.
// The database's notifications are muted meanwhile (they would otherwise arrive within a
// millisecond and hide a missing announcement): only the writer's own announcement can do it.
func TestPremiumAccessCacheFollowsWritesInProcess(t *testing.T) {
	mailpittest.Require(t)
	w := newAccessWorld(t)
	a := w.a
	muteAccessTriggers(t, a)
	month := a.Now().Add(30 * 24 * time.Hour)

	t.Run("the cache is in use: a change nobody announces is not seen", func(t *testing.T) {
		u := a.NewUser(t, "unheard", "")
		w.grant(u, month)
		w.cached(a, u)
		unheard(t, a, `UPDATE billing_grants SET revoked_at = now() WHERE user_id = $1`, u.ID)
		if code := w.read(a, u); code != http.StatusOK {
			t.Fatalf("read after an unannounced revocation: %d, want the cached 200", code)
		}
	})

	t.Run("a revoked grant", func(t *testing.T) {
		u := a.NewUser(t, "granted", "")
		id := w.grant(u, month)
		w.cached(a, u)
		a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/admin/grants/" + id, Token: w.admin.Token}).Want(http.StatusNoContent)
		if code := w.read(a, u); code != http.StatusPaymentRequired {
			t.Fatalf("read right after the revocation: %d, want 402", code)
		}
	})

	t.Run("a removed seat", func(t *testing.T) {
		manager, rep := a.NewUser(t, "manager", ""), a.NewUser(t, "rep", "")
		var team struct {
			ID string `json:"id"`
		}
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams", Token: manager.Token,
			Body: map[string]string{"name": "Cached seats"}}).Want(http.StatusCreated).Decode(&team)
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/admin/grants", Token: w.admin.Token,
			Body: map[string]any{"team_id": team.ID, "seats": 2, "ends_at": month.UTC().Format(time.RFC3339)}}).Want(http.StatusCreated)
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/teams/" + team.ID + "/invites", Token: manager.Token,
			Body: map[string]any{"emails": []string{rep.Email}}}).Want(http.StatusCreated)
		tok := mailToken(t, rep.Email, "invited you to", "http://rapport.test/invites/")
		a.Do(apptest.Request{Method: "POST", Path: "/api/v1/invites/" + tok + "/accept", Token: rep.Token}).Want(http.StatusOK)
		w.cached(a, rep)
		a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/teams/" + team.ID + "/members/" + rep.ID,
			Token: manager.Token}).Want(http.StatusNoContent)
		if code := w.read(a, rep); code != http.StatusPaymentRequired {
			t.Fatalf("read right after the seat was removed: %d, want 402", code)
		}
	})

	t.Run("a removed admin role", func(t *testing.T) {
		other := a.NewUser(t, "other-admin", "admin")
		w.cached(a, other)
		a.Do(apptest.Request{Method: "PUT", Path: "/api/v1/admin/users/" + other.ID + "/roles", Token: w.admin.Token,
			Body: map[string]any{"roles": []string{"learner"}}}).Want(http.StatusOK)
		if code := w.read(a, other); code != http.StatusPaymentRequired {
			t.Fatalf("read right after the admin role was removed: %d, want 402", code)
		}
	})

	t.Run("a subscription a signed webhook cancels", func(t *testing.T) {
		u := a.NewUser(t, "subscriber", "")
		sub := subscriptionObject("sub_"+randomHex(6), u.ID)
		w.webhook("customer.subscription.created", sub)
		w.cached(a, u)
		sub["status"] = "canceled"
		w.webhook("customer.subscription.deleted", sub)
		if code := w.read(a, u); code != http.StatusPaymentRequired {
			t.Fatalf("read right after the cancellation was processed: %d, want 402", code)
		}
	})
}

// webhook posts a signed Stripe event and waits until the worker has processed it.
func (w *accessWorld) webhook(typ string, object map[string]any) {
	w.t.Helper()
	id := "evt_" + randomHex(8)
	body, sig := stripeEvent(w.t, id, typ, object)
	w.a.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/webhook", Body: body,
		Header: map[string]string{"Stripe-Signature": sig}}).Want(http.StatusOK)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var state string
		if err := w.a.DB.Gorm.Raw("SELECT state FROM billing_webhook_events WHERE id = ?", id).Scan(&state).Error; err != nil {
			w.t.Fatal(err)
		}
		if state == "processed" {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s still %q after 10 s", typ, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// muteAccessTriggers disables the triggers of migration 20261208100000 until the test ends (the
// package's tests run one at a time, so no other test needs them meanwhile).
func muteAccessTriggers(t *testing.T, a *apptest.App) {
	t.Helper()
	triggers := [][2]string{{"billing_subscriptions", "billing_subscriptions_notify_access"},
		{"billing_grants", "billing_grants_notify_access"}, {"team_members", "team_members_notify_access"},
		{"users", "users_roles_notify_access"}, {"users", "users_delete_notify_access"}}
	alter := func(how string) error {
		for _, tr := range triggers {
			if _, err := a.DB.Pool.Exec(context.Background(), "ALTER TABLE "+tr[0]+" "+how+" TRIGGER "+tr[1]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := alter("DISABLE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := alter("ENABLE"); err != nil {
			t.Error(err)
		}
	})
}

// unheard runs a statement with triggers off for its session, so nobody is notified.
func unheard(t *testing.T, a *apptest.App, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := a.DB.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	for _, q := range []string{`SET session_replication_role = replica`, sql, `RESET session_replication_role`} {
		var qargs []any
		if q == sql {
			qargs = args
		}
		if _, err := conn.Exec(ctx, q, qargs...); err != nil {
			t.Fatal(err)
		}
	}
}

// Two apps on one database stand for two servers: what A writes ends access on B within a
// second, through the triggers' notifications alone.
func TestPremiumAccessCacheFollowsWritesAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	a, b := w.a, apptest.New(t, nil)
	waitLive(t, b)
	month := a.Now().Add(30 * 24 * time.Hour)

	t.Run("a grant revoked on A", func(t *testing.T) {
		u := b.NewUser(t, "granted", "")
		id := w.grant(u, month)
		within(t, time.Second, "B to allow the new grant", func() bool { return w.read(b, u) == http.StatusOK })
		w.cached(b, u)
		if err := a.Billing.RevokeGrant(ctx, id); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, "B to refuse the revoked grant", func() bool { return w.read(b, u) == http.StatusPaymentRequired })
	})

	t.Run("an admin role removed on A", func(t *testing.T) {
		u := b.NewUser(t, "admin-b", "admin")
		w.cached(b, u)
		if _, err := a.Identity.SetRoles(ctx, w.admin.ID, u.ID, []string{"learner"}); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, "B to refuse the former admin", func() bool { return w.read(b, u) == http.StatusPaymentRequired })
	})
}

// A decision is kept only until time alone could change it: a grant that ends stops access at
// its end although nothing was written or notified (the app's clock moves less than the
// cache's one-minute cap, so only the grant's end can explain the refusal).
func TestPremiumAccessCacheEndsWithTheGrant(t *testing.T) {
	w := newAccessWorld(t)
	a := w.a
	u := a.NewUser(t, "ending", "")
	ends := a.Now().Add(30 * time.Second).Truncate(time.Second)
	w.grant(u, ends)
	w.cached(a, u)
	a.Advance(ends.Sub(a.Now()) + time.Millisecond)
	if code := w.read(a, u); code != http.StatusPaymentRequired {
		t.Fatalf("read after the grant's end: %d, want 402", code)
	}
}

// While the listener is down, changes go unheard: nothing is answered from memory until it has
// reconnected and resynced, and the decision made after that reflects what changed meanwhile.
func TestPremiumAccessCacheAfterListenerLoss(t *testing.T) {
	ctx := context.Background()
	w := newAccessWorld(t)
	a := w.a
	u := a.NewUser(t, "listener", "")
	w.grant(u, a.Now().Add(30*24*time.Hour))
	w.cached(a, u)
	old := a.Changes.BackendPID()
	var killed bool
	if err := a.DB.Pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, int32(old)).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the listener's backend %d: %v %v", old, killed, err)
	}
	// Revoked with triggers off: only the resync can make the app forget its decision.
	unheard(t, a, `UPDATE billing_grants SET revoked_at = now() WHERE user_id = $1`, u.ID)
	within(t, 5*time.Second, "the listener to reconnect", func() bool {
		pid := a.Changes.BackendPID()
		return pid != 0 && pid != old && a.Changes.Live()
	})
	if code := w.read(a, u); code != http.StatusPaymentRequired {
		t.Fatalf("read after the reconnect: %d, want 402 (the revocation made while the app was not told)", code)
	}
	// Caching resumes: a new grant is read once and kept.
	w.grant(u, a.Now().Add(30*24*time.Hour))
	w.cached(a, u)
}
