package catalog

import (
	"sync/atomic"
	"testing"
)

// The progress cache serves a learner's counts only for the content generation they were counted
// against and only while the feed is live; a read that began before a drop of its learner (or of
// everyone) never stores, a read that began after does, and other learners' drops do not matter.
func TestProgressCacheKeepsOnlyWhatNoDropOvertook(t *testing.T) {
	var live atomic.Bool
	live.Store(true)
	c := newProgressCache(live.Load)
	counts := map[string]int{"m": 2}
	hit := func(user string, gen uint64) bool {
		_, ok := c.get(user, gen)
		return ok
	}

	t0 := c.begin()
	c.store(t0, "ann", 1, counts)
	if !hit("ann", 1) || hit("ann", 2) || hit("bob", 1) {
		t.Fatal("a stored count must hit for its learner and generation only")
	}
	live.Store(false)
	if hit("ann", 1) {
		t.Fatal("served from memory while the feed is not live")
	}
	c.store(c.begin(), "bob", 1, counts)
	live.Store(true)
	if hit("bob", 1) {
		t.Fatal("stored while the feed was not live")
	}

	// A read of ann began, then ann completed a lesson: the read must not store.
	before := c.begin()
	c.forget("ann")
	if hit("ann", 1) {
		t.Fatal("a forgotten learner still hits")
	}
	c.store(before, "ann", 1, counts)
	if hit("ann", 1) {
		t.Fatal("a read that began before the learner's drop stored its result")
	}
	// A read that began after the drop stores, and the earlier one still cannot overwrite it.
	after := c.begin()
	c.store(after, "ann", 1, map[string]int{"m": 3})
	c.store(before, "ann", 1, counts)
	if got, ok := c.get("ann", 1); !ok || got["m"] != 3 {
		t.Fatalf("after the drop: %v %v, want the later read's count 3", got, ok)
	}
	// Another learner's drop does not stop ann's read from storing.
	c.forget("ann")
	mid := c.begin()
	c.forget("bob")
	c.store(mid, "ann", 1, counts)
	if !hit("ann", 1) {
		t.Fatal("another learner's drop refused ann's store")
	}

	// Everyone dropped (a resync, or an empty payload): reads in flight do not store.
	inflight := c.begin()
	c.forget("")
	if hit("ann", 1) {
		t.Fatal("a drop of everyone kept ann")
	}
	c.store(inflight, "ann", 1, counts)
	if hit("ann", 1) {
		t.Fatal("a read that began before the drop of everyone stored")
	}
}

// The cache is bounded: when full it starts again empty, and reads in flight then do not store.
func TestProgressCacheStartsAgainWhenFull(t *testing.T) {
	c := newProgressCache(func() bool { return true })
	for i := range maxCachedLearners {
		c.store(c.begin(), string(rune(0x10000+i)), 1, nil)
	}
	if len(c.users) != maxCachedLearners {
		t.Fatalf("%d learners cached, want %d", len(c.users), maxCachedLearners)
	}
	inflight := c.begin()
	c.store(c.begin(), "one more", 1, map[string]int{})
	if len(c.users) != 1 {
		t.Fatalf("%d learners cached after the bound, want 1 (started again)", len(c.users))
	}
	c.store(inflight, "late", 1, map[string]int{})
	if _, ok := c.get("late", 1); ok {
		t.Fatal("a read that began before the restart stored")
	}
}
