package mailpittest_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// fakeTB records Fatalf instead of stopping, so the failure paths of the helpers can be checked.
type fakeTB struct {
	testing.TB
	failed string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	if f.failed == "" {
		f.failed = fmt.Sprintf(format, args...)
	}
}

func TestLink(t *testing.T) {
	body := "Hi Ann,\r\n\r\nGo here:\r\n\r\nhttp://rapport.test/reset-password?token=abc_DEF-123\r\n\r\n" +
		`<a href="https://x.test/verify-email?token=t1&amp;next=%2Fme">confirm</a>.` +
		"\r\nSee http://rapport.test/help."
	tests := []struct {
		prefix, want string
	}{
		{"/reset-password", "http://rapport.test/reset-password?token=abc_DEF-123"},
		{"http://rapport.test/reset-password", "http://rapport.test/reset-password?token=abc_DEF-123"},
		{"/verify-email", "https://x.test/verify-email?token=t1&next=%2Fme"},
		{"/help", "http://rapport.test/help"},
	}
	for _, tt := range tests {
		if got := mailpittest.Link(t, body, tt.prefix); got != tt.want {
			t.Errorf("Link(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
	if got := mailpittest.Query(t, mailpittest.Link(t, body, "/verify-email"), "token"); got != "t1" {
		t.Errorf("token = %q, want t1", got)
	}

	f := &fakeTB{TB: t}
	if got := mailpittest.Link(f, body, "/nowhere"); got != "" || !strings.Contains(f.failed, "/nowhere") {
		t.Errorf("Link with no match = %q, failure %q; want a failure naming the prefix", got, f.failed)
	}
	f = &fakeTB{TB: t}
	mailpittest.Query(f, "http://rapport.test/reset-password", "token")
	if f.failed == "" {
		t.Error("Query of a link without the parameter did not fail")
	}
}

func TestRequireFailsWithoutConfiguration(t *testing.T) {
	for _, unset := range []string{"TEST_SMTP_URL", "MAILPIT_API"} {
		t.Run(unset, func(t *testing.T) {
			t.Setenv("TEST_SMTP_URL", "smtp://127.0.0.1:1")
			t.Setenv("MAILPIT_API", "http://127.0.0.1:1")
			t.Setenv(unset, "")
			f := &fakeTB{TB: t}
			mailpittest.Require(f)
			if !strings.Contains(f.failed, unset) {
				t.Errorf("Require with %s unset: failure %q, want one naming it", unset, f.failed)
			}
		})
	}
}

func TestWaitForReadsRealMail(t *testing.T) {
	mailpittest.Require(t)
	sender, err := mail.NewSender(os.Getenv("TEST_SMTP_URL"), "Rapport <no-reply@rapport.local>", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	to := "mailpittest-" + randomHex(t) + "@example.com"
	other := "other-" + randomHex(t) + "@example.com"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, m := range []mail.Message{
		{To: other, Subject: "Reset your Rapport password", Text: "not for " + to},
		{To: to, Subject: "Reset your Rapport password", Text: "first http://rapport.test/reset-password?token=one"},
		{To: to, Subject: "Something else", Text: "noise"},
		{To: to, Subject: "Reset your Rapport password", Text: "second http://rapport.test/reset-password?token=two", HTML: "<p>second</p>"},
	} {
		if err := sender.Send(ctx, m); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		time.Sleep(20 * time.Millisecond) // distinct Created times keep the newest-first order certain
	}

	msgs := mailpittest.WaitForN(t, to, "reset your", 2)
	if len(msgs) != 2 {
		t.Fatalf("got %d reset messages to %s, want 2 (other subjects and recipients excluded)", len(msgs), to)
	}
	if tok := mailpittest.Query(t, mailpittest.Link(t, msgs[0].Text, "/reset-password"), "token"); tok != "two" {
		t.Errorf("newest message token = %q, want two", tok)
	}
	if !strings.Contains(msgs[0].HTML, "<p>second</p>") {
		t.Errorf("HTML body = %q", msgs[0].HTML)
	}
	if len(msgs[0].To) != 1 || msgs[0].To[0] != to {
		t.Errorf("To = %v, want [%s]", msgs[0].To, to)
	}
	if got := mailpittest.WaitFor(t, to, "something").Text; !strings.Contains(got, "noise") {
		t.Errorf("WaitFor(something) text = %q", got)
	}
	if n := mailpittest.Count(t, "nobody-"+randomHex(t)+"@example.com", ""); n != 0 {
		t.Errorf("Count for an unused address = %d, want 0", n)
	}
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
