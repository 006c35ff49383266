package billing

import (
	"sync"
	"time"
)

// Changes is the process's feed of committed database changes (internal/platform/notify's
// Listener implements it). Billing keeps premium decisions in memory only while the feed is
// live, drops them all on every notification of ChannelAccess and on every resync, and announces
// its own writes on that channel before answering.
type Changes interface {
	Subscribe(channel string, fn func(payload string))
	OnResync(fn func())
	Live() bool
	// Announce calls the channel's subscribers in this process at once (payload "": every
	// decision goes).
	Announce(channel, payload string)
}

// ChannelAccess carries every committed write to what a premium decision reads: subscriptions,
// grants, team seats, a user's roles, a deleted account (the triggers of migration
// 20261208100000). Other domains announce their writes on it through the app's adapter.
const ChannelAccess = "rapport_access"

// Bounds of the decision cache.
const (
	// accessTTL caps how long a decision is kept even though nothing says it changed: a safety
	// net for a change nobody notified (a trigger dropped by hand), not part of the rule.
	accessTTL = time.Minute
	// maxCachedDecisions bounds memory: one entry per reader active within accessTTL.
	maxCachedDecisions = 20000
)

// decision is one user's cached answer to ReadsPremium, good until `until` (exclusive).
type decision struct {
	reads bool
	until time.Time
}

// accessCache holds premium decisions per user id. An entry is kept until the earliest instant
// at which time alone could change it (Access.Until), capped by accessTTL; a write that could
// change one drops them all (these writes are rare, reads are not). gen counts the drops, so a
// read that started before a drop does not store what it read; writing counts this process's
// writes in flight, during which the cache is bypassed: a reader that sees a write's commit
// before the write has returned must not be answered from memory.
type accessCache struct {
	live func() bool

	mu      sync.RWMutex
	gen     uint64
	writing int
	entries map[string]decision
}

// newAccessCache subscribes a cache to the change feed; without a feed it never serves.
func newAccessCache(ch Changes) *accessCache {
	if ch == nil {
		return &accessCache{live: func() bool { return false }, entries: map[string]decision{}}
	}
	c := &accessCache{live: ch.Live, entries: map[string]decision{}}
	ch.Subscribe(ChannelAccess, func(string) { c.drop() })
	ch.OnResync(c.drop)
	return c
}

// lookup is the user's cached decision at now, if the feed is live and no write is in flight.
func (c *accessCache) lookup(userID string, now time.Time) (reads, ok bool) {
	if !c.live() {
		return false, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	d, found := c.entries[userID]
	if !found || c.writing > 0 || !now.Before(d.until) {
		return false, false
	}
	return d.reads, true
}

// generation is the drop count before a read from the database; store only if it is unchanged.
func (c *accessCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// store keeps what was read if nothing was dropped since gen (evicting when full: a miss costs
// one statement, nothing more).
func (c *accessCache) store(gen uint64, userID string, d decision, now time.Time) {
	if !c.live() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.writing > 0 {
		return
	}
	if _, ok := c.entries[userID]; !ok && len(c.entries) >= maxCachedDecisions {
		c.evict(now)
	}
	c.entries[userID] = d
}

// evict frees a tenth of the room at once, so a full cache does not scan on every store:
// expired entries first, then arbitrary ones (map order).
func (c *accessCache) evict(now time.Time) {
	target := maxCachedDecisions * 9 / 10
	for id, d := range c.entries {
		if !now.Before(d.until) {
			delete(c.entries, id)
		}
	}
	for id := range c.entries {
		if len(c.entries) <= target {
			return
		}
		delete(c.entries, id)
	}
}

// drop forgets every decision.
func (c *accessCache) drop() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}

// begin marks a write in flight (the cache is bypassed and nothing read meanwhile is kept); end
// unmarks it and drops everything.
func (c *accessCache) begin() {
	c.mu.Lock()
	c.gen++
	c.writing++
	c.mu.Unlock()
}

func (c *accessCache) end() {
	c.mu.Lock()
	c.writing--
	c.mu.Unlock()
	c.drop()
}

// changeAccess runs a billing write that may change premium decisions: this process bypasses its
// cache while the write runs and drops it when the write returns, committed or not, before the
// caller answers; the announcement tells the process's other subscribers, and the triggers'
// notification tells the other processes.
func (s *Service) changeAccess(fn func() error) error {
	s.access.begin()
	defer func() {
		s.access.end()
		if s.Changes != nil {
			s.Changes.Announce(ChannelAccess, "")
		}
	}()
	return fn()
}

// cachedReadsPremium answers from memory when it can; otherwise read answers and its decision
// is kept until it could change by time alone (or accessTTL).
func (s *Service) cachedReadsPremium(userID string, read func(now time.Time) (bool, time.Time, error)) (bool, error) {
	now := s.Now().UTC()
	if reads, ok := s.access.lookup(userID, now); ok {
		return reads, nil
	}
	gen := s.access.generation()
	reads, until, err := read(now)
	if err != nil {
		return false, err
	}
	limit := now.Add(accessTTL)
	if until.IsZero() || until.After(limit) {
		until = limit
	}
	s.access.store(gen, userID, decision{reads: reads, until: until}, now)
	return reads, nil
}
