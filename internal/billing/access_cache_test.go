package billing

import (
	"fmt"
	"testing"
	"time"
)

// fakeFeed is a change feed the test drives by hand.
type fakeFeed struct {
	live     bool
	handlers map[string][]func(string)
	resync   []func()
}

func (f *fakeFeed) Subscribe(ch string, fn func(string)) {
	if f.handlers == nil {
		f.handlers = map[string][]func(string){}
	}
	f.handlers[ch] = append(f.handlers[ch], fn)
}
func (f *fakeFeed) OnResync(fn func()) { f.resync = append(f.resync, fn) }
func (f *fakeFeed) Live() bool         { return f.live }
func (f *fakeFeed) Announce(ch, payload string) {
	for _, fn := range f.handlers[ch] {
		fn(payload)
	}
}

// The cache's rules, without a database: it serves only while the feed is live and the entry's
// time has not come, forgets everything on a notification and on a resync, keeps nothing read
// across a drop, and is bypassed while a write is in flight.
func TestAccessCache(t *testing.T) {
	feed := &fakeFeed{live: true}
	c := newAccessCache(feed)
	keep := func(user string, reads bool, until time.Time) {
		t.Helper()
		c.store(c.generation(), user, decision{reads: reads, until: until}, t0)
	}
	want := func(what, user string, now time.Time, reads, ok bool) {
		t.Helper()
		if r, found := c.lookup(user, now); r != reads || found != ok {
			t.Errorf("%s: lookup = %v, %v; want %v, %v", what, r, found, reads, ok)
		}
	}

	keep("u1", true, t0.Add(time.Minute))
	want("kept", "u1", t0, true, true)
	want("just before its end", "u1", t0.Add(time.Minute-time.Nanosecond), true, true)
	want("at its end", "u1", t0.Add(time.Minute), false, false)
	want("unknown user", "u2", t0, false, false)

	feed.live = false
	want("while the feed is down", "u1", t0, false, false)
	keep("u2", false, t0.Add(time.Minute))
	feed.live = true
	want("stored while the feed was down", "u2", t0, false, false)

	feed.Announce(ChannelAccess, "")
	want("after a notification", "u1", t0, false, false)
	keep("u1", true, t0.Add(time.Minute))
	for _, fn := range feed.resync {
		fn()
	}
	want("after a resync", "u1", t0, false, false)

	gen := c.generation()
	feed.Announce(ChannelAccess, "")
	c.store(gen, "u1", decision{reads: true, until: t0.Add(time.Minute)}, t0)
	want("read before a drop, stored after it", "u1", t0, false, false)

	keep("u1", true, t0.Add(time.Minute))
	c.begin()
	want("while a write is in flight", "u1", t0, false, false)
	keep("u3", true, t0.Add(time.Minute))
	c.end()
	want("after the write", "u1", t0, false, false)
	want("stored during the write", "u3", t0, false, false)
}

// A full cache frees a tenth of its room, expired entries first, and never grows past its bound.
func TestAccessCacheBound(t *testing.T) {
	c := newAccessCache(&fakeFeed{live: true})
	for i := range maxCachedDecisions {
		until := t0.Add(time.Minute)
		if i == 7 {
			until = t0 // already over
		}
		c.store(c.generation(), fmt.Sprintf("u%d", i), decision{reads: true, until: until}, t0)
	}
	if n := len(c.entries); n != maxCachedDecisions {
		t.Fatalf("%d entries, want %d", n, maxCachedDecisions)
	}
	c.store(c.generation(), "newcomer", decision{reads: true, until: t0.Add(time.Minute)}, t0)
	if n := len(c.entries); n > maxCachedDecisions*9/10+1 || n < maxCachedDecisions/2 {
		t.Fatalf("%d entries after eviction, want about %d", n, maxCachedDecisions*9/10+1)
	}
	if _, ok := c.lookup("newcomer", t0); !ok {
		t.Error("the newcomer was not kept")
	}
}
