// Package mailpittest reads the mail a test caused from a real Mailpit server, so tests follow
// the links users would click. The SMTP side is configured by TEST_SMTP_URL (see apptest.Env) and
// the Mailpit API by MAILPIT_API (e.g. http://127.0.0.1:8025). A missing value fails the test
// loudly: mail tests never skip.
package mailpittest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Timeout is how long WaitFor polls before failing the test.
const Timeout = 10 * time.Second

// Message is one e-mail as Mailpit stored it.
type Message struct {
	ID      string
	To      []string
	Subject string
	Text    string
	HTML    string
	Created time.Time
}

// Require fails the test unless both TEST_SMTP_URL and MAILPIT_API are set, and returns the API
// base URL without a trailing slash.
func Require(tb testing.TB) string {
	tb.Helper()
	if os.Getenv("TEST_SMTP_URL") == "" {
		tb.Fatalf("mailpittest: TEST_SMTP_URL is empty; start Mailpit and set TEST_SMTP_URL=smtp://127.0.0.1:1025 (mail tests never skip)")
	}
	api := strings.TrimRight(os.Getenv("MAILPIT_API"), "/")
	if api == "" {
		tb.Fatalf("mailpittest: MAILPIT_API is empty; start Mailpit and set MAILPIT_API=http://127.0.0.1:8025 (mail tests never skip)")
	}
	return api
}

// WaitFor polls Mailpit for up to Timeout and returns the newest message to the address whose
// subject contains subjectContains (case-insensitive), with its text and HTML bodies.
func WaitFor(tb testing.TB, to, subjectContains string) Message {
	tb.Helper()
	return WaitForN(tb, to, subjectContains, 1)[0]
}

// WaitForN polls until at least n matching messages arrived and returns them all, newest first.
func WaitForN(tb testing.TB, to, subjectContains string, n int) []Message {
	tb.Helper()
	api := Require(tb)
	deadline := time.Now().Add(Timeout)
	var last []summary
	var lastErr error
	for {
		last, lastErr = search(api, to, subjectContains)
		if lastErr == nil && len(last) >= n {
			break
		}
		if time.Now().After(deadline) {
			if lastErr != nil {
				tb.Fatalf("mailpittest: no mail to %s (%q) after %s: %v", to, subjectContains, Timeout, lastErr)
			}
			tb.Fatalf("mailpittest: %d mail(s) to %s with subject containing %q after %s, want %d",
				len(last), to, subjectContains, Timeout, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	out := make([]Message, len(last))
	for i, s := range last {
		m, err := fetch(api, s)
		if err != nil {
			tb.Fatalf("mailpittest: read message %s: %v", s.ID, err)
		}
		out[i] = m
	}
	return out
}

// Count returns how many messages to the address Mailpit holds right now (no waiting).
func Count(tb testing.TB, to, subjectContains string) int {
	tb.Helper()
	got, err := search(Require(tb), to, subjectContains)
	if err != nil {
		tb.Fatalf("mailpittest: search: %v", err)
	}
	return len(got)
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"'()]+`)

// Link returns the first absolute link in body that starts with prefix, or whose path starts with
// prefix when prefix begins with "/". HTML entities (&amp;) are decoded. It fails the test when
// there is none.
func Link(tb testing.TB, body, prefix string) string {
	tb.Helper()
	for _, raw := range linkRE.FindAllString(body, -1) {
		raw = strings.ReplaceAll(strings.TrimRight(raw, ".,;"), "&amp;", "&")
		if strings.HasPrefix(raw, prefix) {
			return raw
		}
		if u, err := url.Parse(raw); err == nil && strings.HasPrefix(prefix, "/") && strings.HasPrefix(u.Path, prefix) {
			return raw
		}
	}
	tb.Fatalf("mailpittest: no link starting with %q in:\n%s", prefix, body)
	return ""
}

// Query returns the named query parameter of a link (e.g. its token), failing when it is empty.
func Query(tb testing.TB, link, name string) string {
	tb.Helper()
	u, err := url.Parse(link)
	if err != nil {
		tb.Fatalf("mailpittest: bad link %q: %v", link, err)
	}
	v := u.Query().Get(name)
	if v == "" {
		tb.Fatalf("mailpittest: link %q has no %s parameter", link, name)
	}
	return v
}

type address struct {
	Address string `json:"Address"`
}

type summary struct {
	ID      string    `json:"ID"`
	To      []address `json:"To"`
	Subject string    `json:"Subject"`
	Created time.Time `json:"Created"`
}

var client = &http.Client{Timeout: 5 * time.Second}

// search lists the messages to exactly `to` whose subject matches, newest first (Mailpit's order).
func search(api, to, subjectContains string) ([]summary, error) {
	q := url.Values{"query": {fmt.Sprintf("to:%q", to)}, "limit": {"200"}}
	var res struct {
		Messages []summary `json:"messages"`
	}
	if err := getJSON(api+"/api/v1/search?"+q.Encode(), &res); err != nil {
		return nil, err
	}
	var out []summary
	for _, m := range res.Messages {
		if !strings.Contains(strings.ToLower(m.Subject), strings.ToLower(subjectContains)) {
			continue
		}
		for _, a := range m.To {
			if strings.EqualFold(a.Address, to) {
				out = append(out, m)
				break
			}
		}
	}
	return out, nil
}

func fetch(api string, s summary) (Message, error) {
	var m struct {
		Text string `json:"Text"`
		HTML string `json:"HTML"`
	}
	if err := getJSON(api+"/api/v1/message/"+url.PathEscape(s.ID), &m); err != nil {
		return Message{}, err
	}
	to := make([]string, len(s.To))
	for i, a := range s.To {
		to[i] = a.Address
	}
	return Message{ID: s.ID, To: to, Subject: s.Subject, Text: m.Text, HTML: m.HTML, Created: s.Created}, nil
}

func getJSON(u string, dst any) error {
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(dst)
}
