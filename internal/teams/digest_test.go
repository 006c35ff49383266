package teams_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// fridayNine is the first Friday 09:00 on the wall clock of zone at least three days after t.
func fridayNine(t *testing.T, zone string, after time.Time) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatalf("zone: %v", err)
	}
	l := after.Add(72 * time.Hour).In(loc)
	f := time.Date(l.Year(), l.Month(), l.Day(), 9, 0, 0, 0, loc)
	for f.Weekday() != time.Friday || f.Before(l) {
		f = f.AddDate(0, 0, 1)
	}
	return f.UTC()
}

// seedPulseAnswer stores an answered pulse of u (test setup: the pulse flow itself is tested in
// internal/pulse) with every answer v.
func (e *env) seedPulseAnswer(u *user, v int, at time.Time) {
	e.t.Helper()
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	if err := e.DB.Gorm.Exec(`INSERT INTO pulses (user_id, token_hash, meeting, predicted_clarity, predicted_understood,
		predicted_again, created_at, expires_at, answered_at, clarity, understood, again)
		VALUES (?, ?, 'Discovery call', 3, 3, 3, ?, ?, ?, ?, ?, ?)`,
		u.ID, hash, at.Add(-time.Hour), at.Add(14*24*time.Hour), at, v, v, v).Error; err != nil {
		e.t.Fatalf("seed pulse: %v", err)
	}
}

func TestManagerDigest(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	ctx := context.Background()
	const zone = "America/New_York"
	mgr, quiet, out := e.user("dmgr", ""), e.user("dquiet", ""), e.user("dout", "")
	ann, bob, cy, dee, eve, lone := e.user("dann", ""), e.user("dbob", ""), e.user("dcy", ""), e.user("ddee", ""), e.user("deve", ""), e.user("dlone", "")
	north, south := e.teamOf(mgr, "Digest North"), e.teamOf(mgr, "Digest South")
	for _, r := range []*user{ann, bob, cy} {
		e.seedMember(north, r)
	}
	e.seedMember(south, dee)
	e.teamOf(mgr, "Digest Empty") // no reps: left out of the digest
	calm := e.teamOf(quiet, "Digest Calm")
	e.seedMember(calm, eve)
	e.seedMember(e.teamOf(out, "Digest Off"), lone)
	for _, u := range []*user{mgr, quiet, out} {
		e.call(u, "PATCH", "/api/v1/me", map[string]any{"time_zone": zone}).Want(http.StatusOK)
	}
	e.call(out, "PATCH", "/api/v1/me", map[string]any{"weekly_reminders": false}).Want(http.StatusOK)

	fri := fridayNine(t, zone, e.Now())
	e.Advance(fri.Add(-48 * time.Hour).Sub(e.Now()))
	for _, u := range []*user{mgr, quiet, ann} {
		e.login(u)
	}
	// Wins of the week: ann finished a module, bob's buyers answered 5, 4 and 4; cy was recognised
	// (no gap) and so was eve (her team's week is empty).
	e.complete(ann, e.lessons[modBeta]...)
	for _, v := range []int{5, 4, 4} {
		e.seedPulseAnswer(bob, v, fri.Add(-40*time.Hour))
	}
	e.seedPulseAnswer(dee, 5, fri.Add(-40*time.Hour)) // one answer is never a win
	e.call(mgr, "POST", "/api/v1/teams/"+north+"/recognitions", map[string]any{"user_id": cy.ID, "message": "Great call"}).Want(http.StatusCreated)
	e.call(quiet, "POST", "/api/v1/teams/"+calm+"/recognitions", map[string]any{"user_id": eve.ID, "message": "Thanks"}).Want(http.StatusCreated)

	if _, err := e.Teams.SendManagerDigests(ctx, fri.Add(-time.Minute)); err != nil {
		t.Fatalf("before Friday 09:00: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if got := mailpittest.Count(t, mgr.Email, "your team"); got != 0 {
		t.Fatalf("%d digests before Friday 09:00 local, want 0", got)
	}
	if n, err := e.Teams.SendManagerDigests(ctx, fri); err != nil || n < 2 {
		t.Fatalf("at Friday 09:00: %d digests, %v; want at least mgr's and quiet's", n, err)
	}
	if n, err := e.Teams.SendManagerDigests(ctx, fri.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("again an hour later: %d digests, %v; want none", n, err)
	}

	msg := mailpittest.WaitFor(t, mgr.Email, "your teams this week")
	for _, want := range []string{"Digest North", "Digest South", ann.Name + " completed Module " + modBeta,
		bob.Name + ": buyers rated their meetings 4.3 out of 5 on average (3 answers)",
		"- " + ann.Name + " (never recognised in this team)", "- " + dee.Name + " (never recognised",
		"weekly e-mails are on; turn them off in your account"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("digest text lacks %q:\n%s", want, msg.Text)
		}
	}
	if strings.Contains(msg.Text, "- "+cy.Name) || strings.Contains(msg.Text, "Digest Empty") || strings.Contains(msg.Text, dee.Name+": buyers") {
		t.Errorf("digest names cy (recognised) or dee's single answer:\n%s", msg.Text)
	}
	mailpittest.Link(t, msg.Text, "http://rapport.test/teams/"+north)
	mailpittest.Link(t, msg.Text, "http://rapport.test/teams/"+south)
	if !strings.Contains(msg.HTML, "Digest South") || !strings.Contains(msg.HTML, "your account") {
		t.Errorf("digest HTML:\n%s", msg.HTML)
	}

	calmMsg := mailpittest.WaitFor(t, quiet.Email, "your team this week")
	if !strings.Contains(calmMsg.Text, "No new wins this week; everyone has been recognised in the last 30 days.") {
		t.Errorf("an empty week reads:\n%s", calmMsg.Text)
	}
	time.Sleep(300 * time.Millisecond) // let a wrongly queued second mail arrive before counting
	for u, want := range map[*user]int{mgr: 1, quiet: 1, out: 0, ann: 0, lone: 0} {
		if got := mailpittest.Count(t, u.Email, "your team"); got != want {
			t.Errorf("%s got %d digests, want %d", u.Email, got, want)
		}
	}
}
