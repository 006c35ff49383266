package catalog

import (
	"context"
	"slices"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Entitlements answers whether a signed-in user may read premium lessons (billing implements it).
type Entitlements interface {
	Premium(ctx context.Context, userID string) (bool, error)
}

// ProgressReader supplies a learner's progress so the catalog can show it (the progress domain
// implements it). Both methods are called once per request with every id at once.
type ProgressReader interface {
	// CompletedByModule returns the number of completed lessons per module id.
	CompletedByModule(ctx context.Context, userID string, moduleIDs []string) (map[string]int, error)
	// CompletedLessons returns the set of completed lesson ids among lessonIDs.
	CompletedLessons(ctx context.Context, userID string, lessonIDs []string) (map[string]bool, error)
}

// Deps are what the catalog service needs from the process. Roles, Entitlements and Progress may
// be nil (the CLI importer needs none of them); a nil Entitlements grants no premium access.
type Deps struct {
	DB           *db.DB
	Now          func() time.Time
	Roles        web.RoleSource
	Entitlements Entitlements
	Progress     ProgressReader
}

// Service implements the catalog rules.
type Service struct {
	Deps
	st       store
	renderer *Renderer
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{Deps: d, renderer: NewRenderer()}
}

// Catalog lists the published modules (one query, plus one for progress when signed in).
func (s *Service) Catalog(ctx context.Context, userID string) ([]CatalogModule, error) {
	rows, err := s.st.findCatalog(ctx, s.DB.Gorm)
	if err != nil {
		return nil, err
	}
	out := make([]CatalogModule, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i], ids[i] = r.toCatalogModule(), r.ID
	}
	if userID == "" || s.Progress == nil || len(ids) == 0 {
		return out, nil
	}
	done, err := s.Progress.CompletedByModule(ctx, userID, ids)
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
	row, err := s.st.findCatalogModule(ctx, s.DB.Gorm, slug)
	if err != nil {
		return CatalogModule{}, notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
	}
	lessons, err := s.st.findVersionLessons(ctx, s.DB.Gorm, row.ModuleVersionID)
	if err != nil {
		return CatalogModule{}, err
	}
	m := row.toCatalogModule()
	m.Lessons = make([]CatalogLesson, len(lessons))
	ids := make([]string, len(lessons))
	for i, l := range lessons {
		m.Lessons[i] = CatalogLesson{ID: l.LessonID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes}
		ids[i] = l.LessonID
	}
	if userID == "" || s.Progress == nil {
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
	row, err := s.st.findPublishedLesson(ctx, s.DB.Gorm, moduleSlug, lessonSlug)
	if err != nil {
		return PublishedLesson{}, notFound(err, "We couldn’t find that lesson. It may have been renamed or removed.")
	}
	l := row.toPublishedLesson()
	if err := s.canRead(ctx, userID, l.Access); err != nil {
		return PublishedLesson{}, err
	}
	return l, nil
}

// canRead applies the access rule for one module's lessons.
func (s *Service) canRead(ctx context.Context, userID, access string) error {
	if access == AccessFree {
		return nil
	}
	if userID == "" {
		return apperr.New(apperr.Unauthorized, "Please sign in to read this premium lesson.")
	}
	if s.Roles != nil {
		roles, err := s.Roles.UserRoles(ctx, userID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
		}
		if err != nil {
			return err
		}
		if slices.Contains(roles, role.Admin) {
			return nil
		}
	}
	if s.Entitlements != nil {
		ok, err := s.Entitlements.Premium(ctx, userID)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return apperr.New(apperr.PaymentRequired, "This lesson is part of the premium curriculum. Upgrade to read it.")
}

// Preview renders Markdown exactly as publishing does.
func (s *Service) Preview(_ context.Context, markdown string) (string, error) {
	if len(markdown) > MaxMarkdownBytes {
		return "", apperr.New(apperr.TooLarge, "Lesson text can be at most 200 kB. Please shorten it.")
	}
	if err := apperr.Collect(validateMarkdown("markdown", markdown)); err != nil {
		return "", err
	}
	return s.renderer.Render(markdown)
}

func progressOf(completed, lessons int) *ModuleProgress {
	p := &ModuleProgress{CompletedLessons: completed}
	if lessons > 0 {
		p.Percent = min(100, completed*100/lessons)
	}
	return p
}

// notFound gives a NotFound error a helpful detail and passes other errors through.
func notFound(err error, detail string) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Wrap(apperr.NotFound, detail, err)
	}
	return err
}
