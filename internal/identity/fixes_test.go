package identity_test

import (
	"net/http"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

func TestAResetKillsEveryOtherResetLink(t *testing.T) {
	mailpittest.Require(t)
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "tworesets", "")
	forgot(a, acc.Email).Want(http.StatusAccepted)
	forgot(a, acc.Email).Want(http.StatusAccepted)
	msgs := mailpittest.WaitForN(t, acc.Email, resetSubject, 2)
	first := mailpittest.Query(t, mailpittest.Link(t, msgs[0].Text, "http://rapport.test/reset-password?token="), "token")
	second := mailpittest.Query(t, mailpittest.Link(t, msgs[1].Text, "http://rapport.test/reset-password?token="), "token")
	if first == second {
		t.Fatal("two reset mails carried the same token")
	}
	reset(a, first, "the first new passphrase").Want(http.StatusNoContent)
	wantFields(t, reset(a, second, "a sneaky other passphrase"), "token")
	login(t, a, acc.Email, "the first new passphrase")
}

func TestRefreshKeepsTheCookieWhileTheDatabaseIsDown(t *testing.T) {
	proxy, url := pgtest.NewProxy(t)
	a := apptest.New(t, map[string]string{"DATABASE_URL": url})
	acc := signedIn(t, a, "outage", "")
	proxy.Cut()
	r := refresh(a, acc.Refresh)
	if r.Code != http.StatusServiceUnavailable {
		t.Fatalf("refresh during an outage = %d, want 503: %s", r.Code, r.Body)
	}
	if ck := r.Cookie(identity.RefreshCookie); ck != nil {
		t.Fatalf("refresh during an outage changed the cookie (%+v); the session would be lost", ck)
	}
	proxy.Restore(t)
	var ok bool
	for i := 0; i < 50 && !ok; i++ {
		ok = refresh(a, acc.Refresh).Code == http.StatusOK
	}
	if !ok {
		t.Fatal("the refresh cookie did not work again after the database came back")
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	a := apptest.New(t, nil)
	acc := signedIn(t, a, "bearer", "")
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": "bearer " + acc.Access}}).Want(http.StatusOK)
}
