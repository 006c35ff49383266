package catalog

import (
	"context"
	"slices"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Service implements the catalog rules.
type Service struct {
	Deps
	store    *Store
	renderer *Renderer
	cache    caches
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{Deps: d, store: NewStore(d.DB), renderer: NewRenderer(), cache: newCaches(d.Changes)}
}

// Catalog lists the published modules, plus the caller's progress when signed in; both come from
// memory while the change feed is live (one query each otherwise).
func (s *Service) Catalog(ctx context.Context, userID string) ([]CatalogModule, error) {
	// The generation before the list: counts kept against it are served only while the list is
	// unchanged.
	gen := s.cache.content.generation()
	published, err := s.cachedCatalog(ctx)
	if err != nil {
		return nil, err
	}
	// A copy: the caller's progress goes on it, the cached list is shared.
	out := slices.Clone(published)
	ids := make([]string, len(out))
	for i, m := range out {
		ids[i] = m.ID
	}
	if userID == "" || len(ids) == 0 {
		return out, nil
	}
	done, err := s.completedByModule(ctx, gen, userID, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Progress = progressOf(done[out[i].ID], out[i].LessonCount)
	}
	return out, nil
}

// CatalogModule returns a published module with its lesson outline.
func (s *Service) CatalogModule(ctx context.Context, userID, slug string) (CatalogModule, error) {
	m, err := s.cachedModule(ctx, slug)
	if err != nil {
		return CatalogModule{}, notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
	}
	// A copy of the outline: the caller's completions go on it, the cached one is shared.
	m.Lessons = slices.Clone(m.Lessons)
	ids := make([]string, len(m.Lessons))
	for i, l := range m.Lessons {
		ids[i] = l.ID
	}
	if userID == "" {
		return m, nil
	}
	done, err := s.Progress.CompletedLessons(ctx, userID, ids)
	if err != nil {
		return CatalogModule{}, err
	}
	n := 0
	for i := range m.Lessons {
		c := done[m.Lessons[i].ID]
		m.Lessons[i].Completed = &c
		if c {
			n++
		}
	}
	m.Progress = progressOf(n, m.LessonCount)
	return m, nil
}

// Lesson returns a lesson of a module's latest published version, if the caller may read it:
// free lessons are public; premium ones need a signed-in user with the entitlement (or an admin).
func (s *Service) Lesson(ctx context.Context, userID, moduleSlug, lessonSlug string) (PublishedLesson, error) {
	l, err := s.cachedLesson(ctx, moduleSlug, lessonSlug)
	if err != nil {
		return PublishedLesson{}, notFound(err, "We couldn’t find that lesson. It may have been renamed or removed.")
	}
	if err := s.canRead(ctx, userID, l.Access); err != nil {
		return PublishedLesson{}, err
	}
	return l, nil
}

// PublishedCheck returns a check of a lesson in its module's latest published version, if the
// caller may read the lesson (premium lessons' checks need the entitlement: PaymentRequired).
func (s *Service) PublishedCheck(ctx context.Context, userID, checkID string) (PublishedCheck, error) {
	found, err := s.store.FindPublishedChecks(ctx, []string{checkID})
	if err != nil {
		return PublishedCheck{}, err
	}
	c, ok := found[checkID]
	if !ok {
		return PublishedCheck{}, apperr.New(apperr.NotFound, "We couldn’t find that check. Its lesson may have been changed or removed.")
	}
	if err := s.canRead(ctx, userID, c.Access); err != nil {
		return PublishedCheck{}, err
	}
	return c, nil
}

// ReadableChecks returns the checks with the given ids that are in a latest published version and
// that the caller may read, by id (two queries at most, whatever the number of ids). Checks the
// caller lost access to, or that a new version removed, are simply absent.
func (s *Service) ReadableChecks(ctx context.Context, userID string, ids []string) (map[string]PublishedCheck, error) {
	found, err := s.store.FindPublishedChecks(ctx, ids)
	if err != nil {
		return nil, err
	}
	var premium *bool
	for id, c := range found {
		if c.Access == AccessFree {
			continue
		}
		if premium == nil {
			err := s.canRead(ctx, userID, c.Access)
			ok := err == nil
			if k := apperr.KindOf(err); err != nil && k != apperr.PaymentRequired && k != apperr.Unauthorized {
				return nil, err
			}
			premium = &ok
		}
		if !*premium {
			delete(found, id)
		}
	}
	return found, nil
}

// canRead applies the access rule for one module's lessons: no query for free content, at most one
// for premium (roles, seats and entitlements together; billing keeps the decision in memory until a
// write or time could change it, and a revoked grant counts at once in the revoking process).
func (s *Service) canRead(ctx context.Context, userID, access string) error {
	if access == AccessFree {
		return nil
	}
	if userID == "" {
		return apperr.New(apperr.Unauthorized, "Please sign in to read this premium lesson.")
	}
	ok, err := s.Entitlements.ReadsPremium(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	return apperr.New(apperr.PaymentRequired, "This lesson is part of the premium curriculum. Upgrade to read it.")
}

// Preview renders Markdown exactly as publishing does, media included; a media reference that
// names no item, or an item of the wrong kind, is refused with its line (as saving is).
func (s *Service) Preview(ctx context.Context, markdown string) (string, error) {
	if len(markdown) > MaxMarkdownBytes {
		return "", apperr.New(apperr.TooLarge, "Lesson text can be at most 200 kB. Please shorten it.")
	}
	if err := apperr.Collect(validateMarkdown("markdown", markdown)); err != nil {
		return "", err
	}
	_, media, err := s.checkDraftMedia(ctx, "markdown", markdown)
	if err != nil {
		return "", err
	}
	return s.renderer.Render(markdown, media)
}

// notFound gives a NotFound error a helpful detail and passes other errors through.
func notFound(err error, detail string) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, detail, err)
	}
	return err
}
