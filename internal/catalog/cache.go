package catalog

import (
	"context"
	"sync"
)

// Changes is the process's feed of committed database changes (internal/platform/notify's
// Listener implements it). The catalog serves published content (and learners' completed-lesson
// counts) from memory only while the feed is live, and drops it on every notification of its
// channel (ChannelCatalog, ChannelProgress) and on every resync.
type Changes interface {
	Subscribe(channel string, fn func(payload string))
	OnResync(fn func())
	Live() bool
}

// ChannelCatalog carries every committed write to modules and their versions: a publish, an
// unpublish, an import, a studio edit (the triggers of migration 20261207500000).
const ChannelCatalog = "rapport_catalog"

// contentCache holds published content in memory. Published versions never change, so an entry
// is good until the module's current version moves (publish, unpublish, import), which the
// catalog channel announces; every entry is then dropped at once, because a publish also moves
// the catalog list and the neighbours of lessons. gen counts the drops: a read that started
// before a drop does not store what it read after it.
type contentCache struct {
	live func() bool

	mu      sync.RWMutex
	gen     uint64
	list    []CatalogModule
	hasList bool
	modules map[string]CatalogModule
	lessons map[lessonKey]PublishedLesson
}

type lessonKey struct{ module, lesson string }

func newContentCache(live func() bool) *contentCache {
	c := &contentCache{live: live}
	c.drop()
	return c
}

// drop forgets everything.
func (c *contentCache) drop() {
	c.mu.Lock()
	c.gen++
	c.list, c.hasList = nil, false
	c.modules = map[string]CatalogModule{}
	c.lessons = map[lessonKey]PublishedLesson{}
	c.mu.Unlock()
}

// generation is the drop count before a read from the database; store only if it is unchanged.
func (c *contentCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// The lookups answer ok only while the change feed is live.

func (c *contentCache) catalog() ([]CatalogModule, bool) {
	if !c.live() {
		return nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.list, c.hasList
}

func (c *contentCache) module(slug string) (CatalogModule, bool) {
	if !c.live() {
		return CatalogModule{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	m, ok := c.modules[slug]
	return m, ok
}

func (c *contentCache) lesson(module, lesson string) (PublishedLesson, bool) {
	if !c.live() {
		return PublishedLesson{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	l, ok := c.lessons[lessonKey{module, lesson}]
	return l, ok
}

// maxCachedLessons bounds the lesson map: a catalog is a few hundred lessons; a flood of distinct
// slugs cannot get here (only found lessons are stored), but a bound keeps memory predictable.
const maxCachedLessons = 4096

// The stores keep what was read from the database if nothing was dropped since gen.

func (c *contentCache) storeCatalog(gen uint64, list []CatalogModule) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen && c.live() {
		c.list, c.hasList = list, true
	}
}

func (c *contentCache) storeModule(gen uint64, m CatalogModule) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen && c.live() && len(c.modules) < maxCachedLessons {
		c.modules[m.Slug] = m
	}
}

func (c *contentCache) storeLesson(gen uint64, module, lesson string, l PublishedLesson) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen && c.live() && len(c.lessons) < maxCachedLessons {
		c.lessons[lessonKey{module, lesson}] = l
	}
}

// caches are the service's in-memory copies; without a change feed there are none.
type caches struct {
	content  *contentCache
	progress *progressCache
}

func newCaches(ch Changes) caches {
	if ch == nil {
		never := func() bool { return false }
		return caches{content: newContentCache(never), progress: newProgressCache(never)}
	}
	c := caches{content: newContentCache(ch.Live), progress: newProgressCache(ch.Live)}
	ch.Subscribe(ChannelCatalog, func(string) { c.content.drop() })
	ch.Subscribe(ChannelProgress, c.progress.forget)
	ch.OnResync(c.content.drop)
	ch.OnResync(c.progress.drop)
	return c
}

// writeTx runs a catalog write in a transaction and then drops this process's copies at once, so
// whoever wrote reads their own write on the next request; other processes drop theirs when the
// notification of the commit reaches them.
func (s *Service) writeTx(ctx context.Context, fn func(*Store) error) error {
	err := s.store.Tx(ctx, fn)
	s.cache.content.drop()
	return err
}

// cachedCatalog is the published module list (from memory when possible).
func (s *Service) cachedCatalog(ctx context.Context) ([]CatalogModule, error) {
	if list, ok := s.cache.content.catalog(); ok {
		return list, nil
	}
	gen := s.cache.content.generation()
	list, err := s.store.FindCatalog(ctx)
	if err != nil {
		return nil, err
	}
	s.cache.content.storeCatalog(gen, list)
	return list, nil
}

// cachedModule is a published module with its outline (from memory when possible).
func (s *Service) cachedModule(ctx context.Context, slug string) (CatalogModule, error) {
	if m, ok := s.cache.content.module(slug); ok {
		return m, nil
	}
	gen := s.cache.content.generation()
	m, err := s.store.FindCatalogModule(ctx, slug)
	if err != nil {
		return CatalogModule{}, err
	}
	s.cache.content.storeModule(gen, m)
	return m, nil
}

// cachedLesson is a published lesson (from memory when possible).
func (s *Service) cachedLesson(ctx context.Context, moduleSlug, lessonSlug string) (PublishedLesson, error) {
	if l, ok := s.cache.content.lesson(moduleSlug, lessonSlug); ok {
		return l, nil
	}
	gen := s.cache.content.generation()
	l, err := s.store.FindPublishedLesson(ctx, moduleSlug, lessonSlug)
	if err != nil {
		return PublishedLesson{}, err
	}
	s.cache.content.storeLesson(gen, moduleSlug, lessonSlug, l)
	return l, nil
}
