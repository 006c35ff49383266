package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

const (
	resetSubject  = "Reset your Rapport password"
	verifySubject = "Confirm your e-mail"
)

func forgot(a *apptest.App, email string) *apptest.Response {
	return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/password/forgot", Body: map[string]string{"email": email}})
}

func reset(a *apptest.App, tok, pw string) *apptest.Response {
	return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/password/reset", Body: map[string]string{"token": tok, "password": pw}})
}

func verify(a *apptest.App, tok string) *apptest.Response {
	return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/verify-email", Body: map[string]string{"token": tok}})
}

// mailToken waits for the newest mail to `to` with the subject and returns the token of its link.
func mailToken(t *testing.T, to, subject, path string) string {
	t.Helper()
	m := mailpittest.WaitFor(t, to, subject)
	return mailpittest.Query(t, mailpittest.Link(t, m.Text, "http://rapport.test"+path+"?token="), "token")
}

func TestPasswordReset(t *testing.T) {
	mailpittest.Require(t)
	a := apptest.New(t, nil)
	acc := register(t, a, "reset")
	other := login(t, a, acc.Email, password)
	const newPassword = "a brand new passphrase"

	// Five failures lock the e-mail; a successful reset unlocks it.
	for range identity.MaxEmailFailures {
		loginFrom(t, a, freshIP(), acc.Email, "forgotten password")
	}
	if rec := loginFrom(t, a, freshIP(), acc.Email, password); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures login = %d, want 429", rec.Code)
	}

	known := forgot(a, "  "+strings.ToUpper(acc.Email)).Want(http.StatusAccepted)
	ghost := uniqueEmail("ghost")
	unknown := forgot(a, ghost).Want(http.StatusAccepted)
	if known.Body.String() != unknown.Body.String() {
		t.Errorf("forgot answers differ for known (%q) and unknown (%q) e-mails", known.Body, unknown.Body)
	}

	m := mailpittest.WaitFor(t, acc.Email, resetSubject)
	link := mailpittest.Link(t, m.Text, "http://rapport.test/reset-password?token=")
	tok := mailpittest.Query(t, link, "token")
	if !strings.Contains(m.HTML, link) {
		t.Errorf("the HTML part lacks the reset link %s", link)
	}
	if n := count(t, a, "SELECT count(*) FROM user_tokens WHERE token_hash = sha256(convert_to(?, 'UTF8')) AND purpose = 'reset_password'", tok); n != 1 {
		t.Errorf("%d reset tokens stored under the link's hash, want 1 (only hashes are stored)", n)
	}

	t.Run("a rejected new password does not burn the token", func(t *testing.T) {
		wantFields(t, reset(a, tok, "short"), "password")
		wantFields(t, reset(a, tok, strings.Repeat("x", 10_000)), "password")
	})

	r := reset(a, tok, newPassword).Want(http.StatusNoContent)
	if ck := r.Cookie(identity.RefreshCookie); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("reset should clear the refresh cookie, got %+v", ck)
	}
	if rec := loginFrom(t, a, freshIP(), acc.Email, password); rec.Code != http.StatusUnauthorized {
		t.Errorf("old password after reset = %d, want 401", rec.Code)
	}
	fresh := login(t, a, acc.Email, newPassword)
	for name, ck := range map[string]*http.Cookie{"registration": acc.Refresh, "other login": other.Refresh} {
		if r := refresh(a, ck); r.Code != http.StatusUnauthorized {
			t.Errorf("%s session survived the reset: refresh = %d", name, r.Code)
		}
	}
	if _, body := me(t, a, fresh.Access); body["email_verified"] != true {
		t.Errorf("email_verified = %v after a reset by e-mail link, want true", body["email_verified"])
	}

	t.Run("token reuse", func(t *testing.T) {
		wantFields(t, reset(a, tok, "yet another passphrase"), "token")
		login(t, a, acc.Email, newPassword)
	})

	t.Run("expired token", func(t *testing.T) {
		forgot(a, acc.Email).Want(http.StatusAccepted)
		var second string
		for _, m := range mailpittest.WaitForN(t, acc.Email, resetSubject, 2) {
			if got := mailpittest.Query(t, mailpittest.Link(t, m.Text, "/reset-password"), "token"); got != tok {
				second = got
			}
		}
		if second == "" {
			t.Fatal("the second reset mail carries the same token as the first")
		}
		a.Advance(61 * time.Minute)
		wantFields(t, reset(a, second, "too late passphrase"), "token")
		login(t, a, acc.Email, newPassword)
	})

	t.Run("no mail for an unknown address", func(t *testing.T) {
		if n := mailpittest.Count(t, ghost, ""); n != 0 {
			t.Errorf("%d mails sent to an address without an account", n)
		}
	})
}

func TestPasswordResetRejectsBadInput(t *testing.T) {
	mailpittest.Require(t)
	a := apptest.New(t, nil)
	acc := register(t, a, "resetbad")
	verifyTok := mailToken(t, acc.Email, verifySubject, "/verify-email")
	tests := []struct {
		name   string
		path   string
		body   any
		want   int
		fields []string
	}{
		{"forgot without e-mail", "/api/v1/auth/password/forgot", map[string]any{}, 422, []string{"email"}},
		{"forgot with a malformed e-mail", "/api/v1/auth/password/forgot", map[string]any{"email": "nope"}, 422, []string{"email"}},
		{"forgot with an unknown field", "/api/v1/auth/password/forgot", map[string]any{"email": acc.Email, "x": 1}, 422, []string{"x"}},
		{"reset with nothing", "/api/v1/auth/password/reset", map[string]any{}, 422, []string{"token", "password"}},
		{"reset with a random token", "/api/v1/auth/password/reset", map[string]any{"token": randomHex(32), "password": "long enough pw"}, 422, []string{"token"}},
		{"reset with a verification token", "/api/v1/auth/password/reset", map[string]any{"token": verifyTok, "password": "long enough pw"}, 422, []string{"token"}},
		{"reset with malformed JSON", "/api/v1/auth/password/reset", `{"token":`, 400, nil},
		{"verify with nothing", "/api/v1/auth/verify-email", map[string]any{}, 422, []string{"token"}},
		{"verify with a random token", "/api/v1/auth/verify-email", map[string]any{"token": randomHex(32)}, 422, []string{"token"}},
		{"verify with a token of the wrong type", "/api/v1/auth/verify-email", map[string]any{"token": 12}, 422, []string{"token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: tt.path, Body: tt.body}), tt.want)
			for _, f := range tt.fields {
				if !p.has(f) {
					t.Errorf("errors %v do not name %s", p.fields(), f)
				}
			}
		})
	}
	login(t, a, acc.Email, password)                // nothing above changed the password
	verify(a, verifyTok).Want(http.StatusNoContent) // nor spent the verification token
}

func TestVerifyEmail(t *testing.T) {
	mailpittest.Require(t)
	a := apptest.New(t, nil)
	email := uniqueEmail("verify")
	const name = `<b>Ann</b> & "Co"`
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/register",
		Body: map[string]string{"email": email, "password": password, "name": name}}).Want(http.StatusCreated)
	acc := toAccount(t, r.Body.Bytes(), r.Cookie(identity.RefreshCookie), email, password)

	m := mailpittest.WaitFor(t, email, verifySubject)
	if !strings.Contains(m.Text, name) {
		t.Errorf("text part does not greet %q:\n%s", name, m.Text)
	}
	if strings.Contains(m.HTML, "<b>Ann</b>") || !strings.Contains(m.HTML, "&lt;b&gt;Ann&lt;/b&gt;") {
		t.Errorf("HTML part does not escape the user's name:\n%s", m.HTML)
	}
	first := mailpittest.Query(t, mailpittest.Link(t, m.Text, "http://rapport.test/verify-email?token="), "token")
	if _, body := me(t, a, acc.Access); body["email_verified"] != false {
		t.Fatalf("email_verified before verifying = %v", body["email_verified"])
	}

	wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/verify-email/resend"}), http.StatusUnauthorized)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/verify-email/resend", Token: acc.Access}).Want(http.StatusAccepted)
	var second string
	for _, m := range mailpittest.WaitForN(t, email, verifySubject, 2) {
		if tok := mailpittest.Query(t, mailpittest.Link(t, m.Text, "/verify-email"), "token"); tok != first {
			second = tok
		}
	}
	if second == "" {
		t.Fatal("the resent mail carries the first token again")
	}

	verify(a, second).Want(http.StatusNoContent)
	if _, body := me(t, a, acc.Access); body["email_verified"] != true {
		t.Errorf("email_verified after verifying = %v, want true", body["email_verified"])
	}
	wantFields(t, verify(a, second), "token")
	wantProblem(t, a.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/verify-email/resend", Token: acc.Access}), http.StatusConflict)

	t.Run("expired verification link", func(t *testing.T) {
		late := register(t, a, "lateverify")
		tok := mailToken(t, late.Email, verifySubject, "/verify-email")
		a.Advance(identity.VerifyTTL + time.Hour)
		wantFields(t, verify(a, tok), "token")
		relogin := login(t, a, late.Email, password)
		if _, body := me(t, a, relogin.Access); body["email_verified"] != false {
			t.Errorf("an expired link verified the address: %v", body["email_verified"])
		}
	})
}
