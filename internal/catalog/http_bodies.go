package catalog

import (
	"sync"

	"github.com/rapport-hq/rapport/internal/platform/web"
)

// lessonBodies keeps each published lesson's response encoded and gzipped, so a read costs a
// copy, not an encode and a compression. A key names the content for good: a lesson's id and
// slugs plus its ETag (the version and the rendered HTML; everything else in the response is
// fixed by that version), so an entry is never stale and nothing needs invalidating. A new
// version has a new key, and the old entries go when the map is full.
type lessonBodies struct {
	mu    sync.RWMutex
	m     map[lessonBodyKey]web.Body
	bytes int
}

type lessonBodyKey struct{ id, module, lesson, etag string }

// maxLessonBodyBytes bounds the memory the prepared bodies hold (the shipped course is about
// 1 MB of them); past it the map starts again empty.
const maxLessonBodyBytes = 32 << 20

func (b *lessonBodies) get(k lessonBodyKey) (web.Body, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	body, ok := b.m[k]
	return body, ok
}

func (b *lessonBodies) put(k lessonBodyKey, body web.Body) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil || b.bytes+body.Size() > maxLessonBodyBytes || len(b.m) >= maxCachedLessons {
		b.m, b.bytes = map[lessonBodyKey]web.Body{}, 0
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
