package pulse

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

func fields(err error) []string {
	var out []string
	if e, ok := err.(*apperr.Error); ok {
		for _, f := range e.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}

func TestRuleCreateInput(t *testing.T) {
	ok := Scores{3, 4, 5}
	cases := []struct {
		name string
		in   CreateInput
		want string // comma-joined bad fields
	}{
		{"valid", CreateInput{Meeting: " Discovery call ", Prediction: ok}, ""},
		{"with an address", CreateInput{Meeting: "Demo", BuyerEmail: ptr("ana@acme.io"), Prediction: ok}, ""},
		{"empty meeting", CreateInput{Meeting: "  ", Prediction: ok}, "meeting"},
		{"long meeting", CreateInput{Meeting: strings.Repeat("é", MaxMeetingLen+1), Prediction: ok}, "meeting"},
		{"longest meeting", CreateInput{Meeting: strings.Repeat("é", MaxMeetingLen), Prediction: ok}, ""},
		{"two lines", CreateInput{Meeting: "a\nb", Prediction: ok}, "meeting"},
		{"bad address", CreateInput{Meeting: "Demo", BuyerEmail: ptr("Ana <ana@acme.io>"), Prediction: ok}, "buyer_email"},
		{"no domain dot", CreateInput{Meeting: "Demo", BuyerEmail: ptr("ana@acme"), Prediction: ok}, "buyer_email"},
		{"empty address", CreateInput{Meeting: "Demo", BuyerEmail: ptr(""), Prediction: ok}, "buyer_email"},
		{"out of range", CreateInput{Meeting: "Demo", Prediction: Scores{0, 6, 3}}, "prediction.clarity,prediction.understood"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.in.Normalize()
			if f := strings.Join(fields(err), ","); f != c.want {
				t.Fatalf("bad fields %q, want %q (err %v)", f, c.want, err)
			}
			if err == nil && got.Meeting != strings.TrimSpace(c.in.Meeting) {
				t.Fatalf("meeting %q not trimmed", got.Meeting)
			}
		})
	}
}

func TestRuleAnswerInputKeepsMarkupAsText(t *testing.T) {
	in, err := AnswerInput{Scores: Scores{1, 5, 3}, Comment: "  <script>alert(1)</script>\r\nthanks\x00 "}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if in.Comment != "<script>alert(1)</script>\nthanks" {
		t.Fatalf("comment %q", in.Comment)
	}
	_, err = AnswerInput{Scores: Scores{1, 5, 3}, Comment: strings.Repeat("a", MaxCommentLen+1)}.Normalize()
	if f := fields(err); len(f) != 1 || f[0] != "comment" {
		t.Fatalf("too long: %v", err)
	}
	_, err = AnswerInput{Scores: Scores{0, 3, 9}}.Normalize()
	if f := strings.Join(fields(err), ","); f != "clarity,again" {
		t.Fatalf("range: %q", f)
	}
}

func TestRuleAnswerable(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	open := Pulse{ExpiresAt: now.Add(time.Second)}
	expired := Pulse{ExpiresAt: now}
	answered := Pulse{ExpiresAt: now.Add(-time.Hour), Response: &Response{}}
	if err := open.CheckAnswerable(now); err != nil || open.Status(now) != StatusWaiting {
		t.Fatalf("open: %v %s", err, open.Status(now))
	}
	if err := expired.CheckAnswerable(now); !apperr.Is(err, apperr.Gone) || expired.Status(now) != StatusExpired {
		t.Fatalf("expired: %v %s", err, expired.Status(now))
	}
	// Answered wins over expired: the buyer who answered sees thanks, the rep sees the answer.
	if err := answered.CheckAnswerable(now); !apperr.Is(err, apperr.Conflict) || answered.Status(now) != StatusAnswered {
		t.Fatalf("answered: %v %s", err, answered.Status(now))
	}
}

func TestRuleAccuracyAndSummary(t *testing.T) {
	if e := MeanAbsError(Scores{5, 5, 5}, Scores{5, 5, 5}); e != 0 {
		t.Fatalf("perfect = %v", e)
	}
	if e := MeanAbsError(Scores{5, 4, 1}, Scores{4, 4, 3}); e != 1 {
		t.Fatalf("(1+0+2)/3 = %v", e)
	}
	if e := MeanAbsError(Scores{1, 1, 2}, Scores{2, 2, 2}); e != 0.67 {
		t.Fatalf("2/3 = %v", e)
	}
	ps := []Pulse{
		{Prediction: Scores{5, 5, 5}, Response: &Response{Scores: Scores{4, 4, 4}}},
		{Prediction: Scores{3, 3, 3}},
		{Prediction: Scores{2, 2, 2}, Response: &Response{Scores: Scores{2, 3, 5}}},
	}
	s := Summarize(ps)
	if s.Responses != 2 || *s.Averages != (Averages{3, 3.5, 4.5}) || *s.MeanAbsError != 1.17 {
		t.Fatalf("summary %+v %+v %v", s, *s.Averages, *s.MeanAbsError)
	}
	if s := Summarize(nil); s.Averages != nil || s.MeanAbsError != nil {
		t.Fatalf("empty summary %+v", s)
	}
}

func TestRuleManagersSeeAveragesFromThreeResponses(t *testing.T) {
	if a := ForManager(2, Scores{10, 10, 10}); a.Responses != 2 || a.Averages != nil {
		t.Fatalf("two answers: %+v", a)
	}
	if a := ForManager(3, Scores{12, 9, 15}); a.Averages == nil || *a.Averages != (Averages{4, 3, 5}) {
		t.Fatalf("three answers: %+v", a)
	}
}

func TestRuleTokens(t *testing.T) {
	a, ha, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewToken()
	if a == b || len(a) != 43 || !WellFormedToken(a) || string(ha) != string(HashToken(a)) {
		t.Fatalf("tokens %q %q", a, b)
	}
	for _, bad := range []string{"", "short", a + "x", strings.Repeat("!", 43)} {
		if WellFormedToken(bad) {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestRuleDailyLimitRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	err := DailyLimitError(now.Add(-23*time.Hour), now)
	var ae *apperr.Error
	if e, ok := err.(*apperr.Error); ok {
		ae = e
	}
	if ae == nil || ae.Kind != apperr.RateLimited || ae.RetryAfter != 3600 {
		t.Fatalf("%+v", err)
	}
}

func ptr(s string) *string { return &s }
