package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
	"github.com/rapport-hq/rapport/internal/platform/notify"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// A notification published inside a transaction is heard only when it commits, never when it
// rolls back; killing the listener's backend makes it reconnect, resync, and hear again.
func TestPublishIsHeardOnCommitAndAfterReconnect(t *testing.T) {
	ctx := context.Background()
	d := pgtest.New(t)
	l := notify.New(pgtest.URL(t), nil)
	heard := make(chan string, 10)
	resyncs := make(chan struct{}, 10)
	l.Subscribe("notify_test", func(p string) { heard <- p })
	l.OnResync(func() { resyncs <- struct{}{} })
	l.Start(ctx)
	defer l.Stop()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := l.WaitLive(wctx); err != nil {
		t.Fatal(err)
	}
	<-resyncs // the first connect resyncs too

	publish := func(payload string, commit bool) {
		t.Helper()
		tx, err := d.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := notify.Publish(ctx, tx, "notify_test", payload); err != nil {
			t.Fatal(err)
		}
		select {
		case p := <-heard:
			t.Fatalf("heard %q before the commit", p)
		case <-time.After(100 * time.Millisecond):
		}
		if commit {
			err = tx.Commit(ctx)
		} else {
			err = tx.Rollback(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	expect := func(want string) {
		t.Helper()
		select {
		case p := <-heard:
			if p != want {
				t.Fatalf("heard %q, want %q", p, want)
			}
		case <-time.After(time.Second):
			t.Fatalf("did not hear %q within a second", want)
		}
	}

	publish("rolled back", false)
	publish("committed", true)
	expect("committed") // and not "rolled back" first

	old := l.BackendPID()
	if _, err := d.Pool.Exec(ctx, `SELECT pg_terminate_backend($1)`, int32(old)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-resyncs:
	case <-time.After(5 * time.Second):
		t.Fatal("no resync within 5 s of the listener's backend being terminated")
	}
	if err := l.WaitLive(wctx); err != nil {
		t.Fatal(err)
	}
	if pid := l.BackendPID(); pid == old || pid == 0 {
		t.Fatalf("backend pid %d after the reconnect (was %d)", pid, old)
	}
	publish("after reconnect", true)
	expect("after reconnect")
}

// Announce calls the channel's subscribers with the payload before it returns, without a database
// round trip and whether or not the Listener is connected; other channels' subscribers hear
// nothing, and a nil Listener announces to nobody.
func TestAnnounceCallsSubscribersAtOnce(t *testing.T) {
	l := notify.New("postgres://nowhere.invalid/none", nil)
	var mine []string
	other := 0
	l.Subscribe("mine", func(p string) { mine = append(mine, "a:"+p) })
	l.Subscribe("mine", func(p string) { mine = append(mine, "b:"+p) })
	l.Subscribe("other", func(string) { other++ })
	l.Announce("mine", "user-1")
	if len(mine) != 2 || mine[0] != "a:user-1" || mine[1] != "b:user-1" || other != 0 {
		t.Fatalf("after Announce(mine, user-1): mine heard %v, other %d times; want [a:user-1 b:user-1] and 0", mine, other)
	}
	l.Announce("nobody listens here", "x")
	var none *notify.Listener
	none.Announce("mine", "user-1")
}
