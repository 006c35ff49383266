package catalog

import (
	"context"
	"sync"
)

// ChannelProgress carries the learners whose completed-lesson counts may have changed, the
// payload being the learner's id (empty: everyone): a lesson completed, a progress row deleted
// (the trigger of migration 20261208300000, and the progress service's in-process announcement
// of the same commit, which must use the same name).
const ChannelProgress = "rapport_progress"

// maxCachedLearners bounds the progress cache; when it is full it starts again empty, which
// costs each learner one statement, and keeps memory predictable under any number of learners.
const maxCachedLearners = 100_000

// progressCache keeps, per learner, the completed lessons per module that the signed-in catalog
// shows (ProgressReader.CompletedByModule), with the content generation they were counted
// against: a publish moves the generation, so counts of an older catalog are never served.
// Entries are dropped per learner on ChannelProgress and all at once on resync.
//
// A read that began before an invalidation must not store what it read: epoch counts the drops
// of everything, seq the drops of one learner, and a dropped learner keeps a tombstone with the
// seq of their drop, which a read that began earlier (with a smaller seq) cannot overwrite.
type progressCache struct {
	live func() bool

	mu    sync.Mutex
	epoch uint64
	seq   uint64
	users map[string]progressEntry
}

// progressEntry is a learner's counts (ok) or, after a drop, only the drop's seq (a tombstone).
type progressEntry struct {
	done    map[string]int
	content uint64
	ok      bool
	seq     uint64
}

// progressToken is where the cache stood when a read from the database began.
type progressToken struct{ epoch, seq uint64 }

func newProgressCache(live func() bool) *progressCache {
	return &progressCache{live: live, users: map[string]progressEntry{}}
}

// get returns the learner's counts against content generation content, only while the feed is
// live. The map is shared: callers only read it.
func (c *progressCache) get(userID string, content uint64) (map[string]int, bool) {
	if !c.live() {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.users[userID]
	if !e.ok || e.content != content {
		return nil, false
	}
	return e.done, true
}

// begin is taken before reading from the database; store keeps the result only if nothing about
// the learner was dropped since.
func (c *progressCache) begin() progressToken {
	c.mu.Lock()
	defer c.mu.Unlock()
	return progressToken{c.epoch, c.seq}
}

// store keeps done, counted against content generation content by a read that began at t.
func (c *progressCache) store(t progressToken, userID string, content uint64, done map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, had := c.users[userID]
	if t.epoch != c.epoch || prev.seq > t.seq || !c.live() {
		return
	}
	if !had && len(c.users) >= maxCachedLearners {
		c.reset()
	}
	c.users[userID] = progressEntry{done: done, content: content, ok: true, seq: prev.seq}
}

// forget drops a learner's counts (everyone's for an empty id), leaving a tombstone so a read
// that began before cannot store its result.
func (c *progressCache) forget(userID string) {
	if userID == "" {
		c.drop()
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, had := c.users[userID]; !had && len(c.users) >= maxCachedLearners {
		c.reset()
	}
	c.seq++
	c.users[userID] = progressEntry{seq: c.seq}
}

// drop forgets every learner.
func (c *progressCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset()
}

// reset empties the cache under c.mu; reads in flight no longer store (epoch moved).
func (c *progressCache) reset() {
	c.epoch++
	c.users = map[string]progressEntry{}
}

// completedByModule is the learner's completed lessons per module of the published list read
// at content generation content (from memory when possible).
func (s *Service) completedByModule(ctx context.Context, content uint64, userID string, ids []string) (map[string]int, error) {
	if done, ok := s.cache.progress.get(userID, content); ok {
		return done, nil
	}
	t := s.cache.progress.begin()
	done, err := s.Progress.CompletedByModule(ctx, userID, ids)
	if err != nil {
		return nil, err
	}
	s.cache.progress.store(t, userID, content, done)
	return done, nil
}
