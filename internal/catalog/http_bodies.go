package catalog

import (
	"fmt"
	"strings"
	"sync"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

// lessonBodies keeps each published lesson's response encoded and gzipped, so a read costs a
// copy, not an encode and a compression. A key names the content for good: a lesson's id and
// slugs plus its ETag (the version and the rendered HTML; everything else in the response is
// fixed by that version), so an entry is never stale and nothing needs invalidating. A new
// version has a new key, and the old entries go when the map is full.
type lessonBodies = preparedBodies[lessonBodyKey]

type lessonBodyKey struct{ id, module, lesson, etag string }

// catalogBodies keeps the signed-in catalog's response per state of the list: which module
// versions it shows and how many lessons of each the reader completed. Many readers share a state
// (everyone who has not started, say), and a state names its response for good, so here too an
// entry is never stale.
type catalogBodies = preparedBodies[string]

// preparedBodies is a bounded map of prepared responses by a key that names their content.
type preparedBodies[K comparable] struct {
	mu    sync.RWMutex
	m     map[K]web.Body
	bytes int
}

// maxLessonBodyBytes bounds the memory each map of prepared bodies holds (the shipped course is
// about 1 MB of lessons); past it, or past maxCachedLessons entries, the map starts again empty.
const maxLessonBodyBytes = 32 << 20

func (b *preparedBodies[K]) get(k K) (web.Body, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	body, ok := b.m[k]
	return body, ok
}

func (b *preparedBodies[K]) put(k K, body web.Body) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil || b.bytes+body.Size() > maxLessonBodyBytes || len(b.m) >= maxCachedLessons {
		b.m, b.bytes = map[K]web.Body{}, 0
	}
	if _, ok := b.m[k]; !ok {
		b.m[k] = body
		b.bytes += body.Size()
	}
}

// lessonBody is l's response body, prepared once.
func (h *Handler) lessonBody(l PublishedLesson) (web.Body, error) {
	k := lessonBodyKey{id: l.ID, module: l.ModuleSlug, lesson: l.Slug, etag: l.ETag}
	if body, ok := h.bodies.get(k); ok {
		return body, nil
	}
	body, err := web.NewBody(lessonDTO{ID: l.ID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes, HTML: l.HTML,
		Version: l.Version, ModuleSlug: l.ModuleSlug, ModuleTitle: l.ModuleTitle, Access: l.Access,
		Prev: toLessonRefDTO(l.Prev), Next: toLessonRefDTO(l.Next), Checks: toCheckDTOs(l.Checks)})
	if err != nil {
		return web.Body{}, err
	}
	h.bodies.put(k, body)
	return body, nil
}

// catalogBody is the catalog response for mods (with the reader's progress), prepared once per
// state of the list.
func (h *Handler) catalogBody(mods []CatalogModule) (web.Body, error) {
	var k strings.Builder
	for _, m := range mods {
		done := -1
		if m.Progress != nil {
			done = m.Progress.CompletedLessons
		}
		// The version names everything shown of a module but its id, slug and progress.
		fmt.Fprintf(&k, "%s/%s/%d/%d,", m.ID, m.Slug, m.Version, done)
	}
	key := k.String()
	if body, ok := h.catalogs.get(key); ok {
		return body, nil
	}
	out := make([]catalogModuleDTO, len(mods))
	for i, m := range mods {
		out[i] = toCatalogModuleDTO(m)
	}
	body, err := web.NewBody(map[string]any{"modules": out})
	if err != nil {
		return web.Body{}, err
	}
	h.catalogs.put(key, body)
	return body, nil
}
