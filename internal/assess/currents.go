package assess

import (
	"context"
	"sync"
)

// Changes is the process's feed of committed database changes (internal/platform/notify's
// Listener implements it): with it the service keeps the instruments' current versions in memory
// while the feed is live, and drops them on every notification and every resync.
type Changes interface {
	Subscribe(channel string, fn func(payload string))
	OnResync(fn func())
	Live() bool
}

// ChannelInstruments carries every committed write to instruments and their versions (an
// import, in any process; the triggers of migration 20261207500001).
const ChannelInstruments = "rapport_instruments"

// currentsCache holds the list of instruments with their current versions, read on every
// assessment overview and team report. gen counts drops, so a read that raced a drop is not kept.
type currentsCache struct {
	live func() bool

	mu   sync.RWMutex
	gen  uint64
	list []CurrentVersion
	ok   bool
}

func newCurrentsCache(ch Changes) *currentsCache {
	if ch == nil {
		return &currentsCache{live: func() bool { return false }}
	}
	c := &currentsCache{live: ch.Live}
	ch.Subscribe(ChannelInstruments, func(string) { c.drop() })
	ch.OnResync(c.drop)
	return c
}

func (c *currentsCache) drop() {
	c.mu.Lock()
	c.gen++
	c.list, c.ok = nil, false
	c.mu.Unlock()
}

// currents lists every instrument with its current version (from memory when the feed is live).
// Callers must not modify the list.
func (s *Service) currents(ctx context.Context) ([]CurrentVersion, error) {
	c := s.currentsCache
	if c.live() {
		c.mu.RLock()
		list, ok, gen := c.list, c.ok, c.gen
		c.mu.RUnlock()
		if ok {
			return list, nil
		}
		out, err := s.store.FindCurrents(ctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if gen == c.gen && c.live() {
			c.list, c.ok = out, true
		}
		c.mu.Unlock()
		return out, nil
	}
	return s.store.FindCurrents(ctx)
}
