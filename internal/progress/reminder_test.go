package progress_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// queuedMails returns the subject and text of the mail jobs queued to an address (NewUser
// accounts are verified already, so these are reminders only).
func queuedMails(tb testing.TB, a *apptest.App, to string) []struct{ Subject, Text string } {
	tb.Helper()
	var rows []struct{ Subject, Text string }
	err := a.DB.Gorm.Raw(`SELECT args->>'subject' AS subject, args->>'text' AS text FROM river_job
		WHERE kind = 'send_email' AND args->>'to' = ? ORDER BY id`, to).Scan(&rows).Error
	if err != nil {
		tb.Fatalf("queued mails: %v", err)
	}
	return rows
}

func TestWeeklyReminders(t *testing.T) {
	a := apptest.New(t, nil)
	ctx := context.Background()
	m := mustModule(t, a, 1, true)
	y, mo, day := mondayAfter(time.Now().AddDate(2, 0, 0))
	friday := func(week int, hour, minute int, zone *time.Location) time.Time {
		return time.Date(y, mo, day+4+7*week, hour, minute, 0, 0, zone)
	}
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	setClock(t, a, friday(0, 0, 30, time.UTC)) // early Friday: tokens issued now stay valid
	behind, optedOut, met, west := mustLearner(t, a, ""), mustLearner(t, a, ""), mustLearner(t, a, ""), mustLearner(t, a, "America/Los_Angeles")
	a.Do(apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: optedOut.Token,
		Body: map[string]any{"weekly_reminders": false}}).Want(http.StatusOK)
	mustPut(t, a, behind.Token, m.Lessons[0], call{Status: "started", Seconds: 240, Key: key()})
	mustPut(t, a, met.Token, m.Lessons[0], call{Status: "started", Seconds: 900, Key: key()})

	send := func(at time.Time) {
		t.Helper()
		if _, err := a.Progress.SendWeeklyReminders(ctx, at); err != nil {
			t.Fatalf("send at %s: %v", at, err)
		}
	}
	want := func(when string, l learner, n int) {
		t.Helper()
		if got := len(queuedMails(t, a, l.Email)); got != n {
			t.Errorf("%s: %s has %d reminders, want %d", when, l.Name, got, n)
		}
	}

	send(friday(0, 8, 59, time.UTC))
	want("Friday 08:59", behind, 0)

	// Two processes running the job at once still mail each learner once.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); send(friday(0, 9, 0, time.UTC)) }()
	}
	wg.Wait()
	want("Friday 09:00", behind, 1)
	want("opted out", optedOut, 0)
	want("goal met", met, 0)
	want("Friday 01:00 in Los Angeles", west, 0)

	mails := queuedMails(t, a, behind.Email)
	if len(mails) == 1 && (!strings.Contains(mails[0].Text, "4 of your 15 minutes") ||
		!strings.Contains(mails[0].Text, "http://rapport.test/dashboard") || !strings.Contains(mails[0].Subject, "11 minutes")) {
		t.Errorf("reminder = %+v", mails[0])
	}

	send(friday(0, 17, 0, time.UTC))
	want("again the same day", behind, 1)
	send(friday(0, 9, 5, la))
	want("Friday 09:05 in Los Angeles", west, 1)
	send(friday(0, 9, 5, la).Add(48 * time.Hour))
	want("Sunday, same week", west, 1)

	send(friday(1, 9, 30, time.UTC))
	want("next week", behind, 2)
	want("next week, goal no longer met", met, 1)
	want("next week, still opted out", optedOut, 0)
}
