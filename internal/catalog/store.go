package catalog

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type moduleRow struct {
	ID                    string `gorm:"primaryKey;default:gen_random_uuid()"`
	Slug                  string
	Title                 string
	Summary               string
	Access                string
	Competencies          db.StringArray `gorm:"type:text[]"`
	SortOrder             int
	State                 string
	CurrentVersion        int
	HasUnpublishedChanges bool
	SourceHash            string
	CoachingMarkdown      string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	// LessonCount is filled by the studio list query only.
	LessonCount int `gorm:"->;-:migration"`
}

func (moduleRow) TableName() string { return "modules" }

func (r moduleRow) toModule() Module {
	return Module{ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Access: r.Access,
		Competencies: orEmpty(r.Competencies), SortOrder: r.SortOrder, State: r.State, Version: r.CurrentVersion,
		HasUnpublishedChanges: r.HasUnpublishedChanges, LessonCount: r.LessonCount, SourceHash: r.SourceHash,
		Coaching: r.CoachingMarkdown, UpdatedAt: r.UpdatedAt}
}

func toModuleRow(m Module) moduleRow {
	return moduleRow{ID: m.ID, Slug: m.Slug, Title: m.Title, Summary: m.Summary, Access: m.Access,
		Competencies: orEmpty(m.Competencies), SortOrder: m.SortOrder, State: m.State, CurrentVersion: m.Version,
		HasUnpublishedChanges: m.HasUnpublishedChanges, SourceHash: m.SourceHash, CoachingMarkdown: m.Coaching}
}

type lessonRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	ModuleID  string
	Slug      string
	Title     string
	Minutes   int
	Markdown  string
	Position  int
	Checks    checksColumn `gorm:"type:jsonb"`
	DeletedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (lessonRow) TableName() string { return "lessons" }

func (r lessonRow) toLesson() Lesson {
	return Lesson{ID: r.ID, ModuleID: r.ModuleID, Slug: r.Slug, Title: r.Title, Minutes: r.Minutes,
		Markdown: r.Markdown, Position: r.Position, Checks: r.Checks.checks(), DeletedAt: r.DeletedAt, UpdatedAt: r.UpdatedAt}
}

func toLessonRow(l Lesson) lessonRow {
	return lessonRow{ID: l.ID, ModuleID: l.ModuleID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes,
		Markdown: l.Markdown, Position: l.Position, Checks: toChecksColumn(l.Checks), DeletedAt: l.DeletedAt}
}

func toLessons(rows []lessonRow) []Lesson {
	out := make([]Lesson, len(rows))
	for i, r := range rows {
		out[i] = r.toLesson()
	}
	return out
}

type moduleVersionRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	ModuleID     string
	Version      int
	Slug         string
	Title        string
	Summary      string
	Access       string
	Competencies db.StringArray `gorm:"type:text[]"`
	SortOrder    int
	LessonCount  int
	Minutes      int
	PublishedAt  time.Time
	PublishedBy  *string
	// CoachingMarkdown and CoachingHTML are the guide this version was published with (nil: none).
	CoachingMarkdown *string
	CoachingHTML     *string `gorm:"column:coaching_html"`
}

func (moduleVersionRow) TableName() string { return "module_versions" }

func (r moduleVersionRow) toVersion() Version {
	return Version{Version: r.Version, PublishedAt: r.PublishedAt, PublishedBy: r.PublishedBy, LessonCount: r.LessonCount}
}

type lessonVersionRow struct {
	ModuleVersionID string `gorm:"primaryKey"`
	LessonID        string `gorm:"primaryKey"`
	Slug            string
	Title           string
	Minutes         int
	Position        int
	HTML            string `gorm:"column:html"`
	ETag            string `gorm:"column:etag"`
	// Markdown is the source the HTML was rendered from; nil for versions published before it was kept.
	Markdown *string
	Checks   checksColumn `gorm:"type:jsonb"`
}

func (lessonVersionRow) TableName() string { return "lesson_versions" }

func (r lessonVersionRow) toVersionLesson() VersionLesson {
	return VersionLesson{ID: r.LessonID, Slug: r.Slug, Title: r.Title, Minutes: r.Minutes, Position: r.Position,
		HTML: r.HTML, ETag: r.ETag, Markdown: r.Markdown, Checks: r.Checks.checks()}
}

// catalogRow is a published module joined to its current version.
type catalogRow struct {
	ID              string
	Slug            string
	Title           string
	Summary         string
	Access          string
	Competencies    db.StringArray `gorm:"type:text[]"`
	LessonCount     int
	Minutes         int
	Version         int
	ModuleVersionID string
}

func (r catalogRow) toCatalogModule() CatalogModule {
	return CatalogModule{ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Access: r.Access,
		Competencies: orEmpty(r.Competencies), LessonCount: r.LessonCount, Minutes: r.Minutes, Version: r.Version}
}

// publishedLessonRow is one published lesson with its module and neighbours.
type publishedLessonRow struct {
	LessonID    string
	Slug        string
	Title       string
	Minutes     int
	HTML        string `gorm:"column:html"`
	ETag        string `gorm:"column:etag"`
	Version     int
	ModuleSlug  string
	ModuleTitle string
	Access      string
	PrevSlug    *string
	PrevTitle   *string
	NextSlug    *string
	NextTitle   *string
	Checks      checksColumn
}

func (r publishedLessonRow) toPublishedLesson() PublishedLesson {
	l := PublishedLesson{ID: r.LessonID, Slug: r.Slug, Title: r.Title, Minutes: r.Minutes, HTML: r.HTML,
		Version: r.Version, ETag: r.ETag, ModuleSlug: r.ModuleSlug, ModuleTitle: r.ModuleTitle, Access: r.Access,
		Checks: r.Checks.checks()}
	if r.PrevSlug != nil {
		l.Prev = &LessonRef{Slug: *r.PrevSlug, Title: deref(r.PrevTitle)}
	}
	if r.NextSlug != nil {
		l.Next = &LessonRef{Slug: *r.NextSlug, Title: deref(r.NextTitle)}
	}
	return l
}

// Store is the catalog's data access: the only code of the domain that knows its tables. A Store
// works on the pool, or on one transaction when Tx hands it to fn.
type Store struct{ db *gorm.DB }

// NewStore returns a store on the process's database.
func NewStore(d *db.DB) *Store { return &Store{db: d.Gorm} }

// Tx runs fn in one transaction; fn gets a Store bound to it, and its writes commit when fn
// returns nil.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(&Store{db: tx}) }))
}

// catalogSelect is the one place the rule "learners see published modules, as their current
// version" is written.
const catalogSelect = `
	SELECT m.id, m.slug, v.title, v.summary, v.access, v.competencies, v.lesson_count, v.minutes,
	       v.version, v.id AS module_version_id
	FROM modules m
	JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
	WHERE m.state = '` + StatePublished + `'`

// FindCatalog lists every published module in one query, whatever their number.
func (s *Store) FindCatalog(ctx context.Context) ([]CatalogModule, error) {
	var rows []catalogRow
	if err := s.db.WithContext(ctx).Raw(catalogSelect + ` ORDER BY v.sort_order, m.slug`).Scan(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	out := make([]CatalogModule, len(rows))
	for i, r := range rows {
		out[i] = r.toCatalogModule()
	}
	return out, nil
}

// FindCatalogModule returns one published module by slug with its lesson outline (two queries).
func (s *Store) FindCatalogModule(ctx context.Context, slug string) (CatalogModule, error) {
	var rows []catalogRow
	err := s.db.WithContext(ctx).Raw(catalogSelect+` AND m.slug = ?`, slug).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return CatalogModule{}, db.Err(err)
	}
	var lessons []lessonVersionRow
	err = s.db.WithContext(ctx).Select("module_version_id", "lesson_id", "slug", "title", "minutes", "position").
		Where("module_version_id = ?", rows[0].ModuleVersionID).Order("position, slug").Find(&lessons).Error
	if err != nil {
		return CatalogModule{}, db.Err(err)
	}
	m := rows[0].toCatalogModule()
	m.Lessons = make([]CatalogLesson, len(lessons))
	for i, l := range lessons {
		m.Lessons[i] = CatalogLesson{ID: l.LessonID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes}
	}
	return m, nil
}

// FindPublishedLesson reads one lesson of a module's current version with its neighbours, in one
// query.
func (s *Store) FindPublishedLesson(ctx context.Context, moduleSlug, lessonSlug string) (PublishedLesson, error) {
	var rows []publishedLessonRow
	err := s.db.WithContext(ctx).Raw(`
		WITH mv AS (
			SELECT v.id, v.version, v.title, v.access, m.slug
			FROM modules m
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			WHERE m.slug = @module AND m.state = @published
		), lv AS (
			SELECT l.*, lag(l.slug) OVER w AS prev_slug, lag(l.title) OVER w AS prev_title,
			       lead(l.slug) OVER w AS next_slug, lead(l.title) OVER w AS next_title
			FROM lesson_versions l JOIN mv ON l.module_version_id = mv.id
			WINDOW w AS (ORDER BY l.position, l.slug)
		)
		SELECT lv.*, mv.version, mv.slug AS module_slug, mv.title AS module_title, mv.access
		FROM lv JOIN mv ON true
		WHERE lv.slug = @lesson`,
		map[string]any{"module": moduleSlug, "lesson": lessonSlug, "published": StatePublished}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return PublishedLesson{}, db.Err(err)
	}
	return rows[0].toPublishedLesson(), nil
}

// FindModules lists every module (drafts included) with its live lesson count, for the studio.
func (s *Store) FindModules(ctx context.Context) ([]Module, error) {
	var rows []moduleRow
	err := s.db.WithContext(ctx).Raw(`
		SELECT m.*, (SELECT count(*) FROM lessons l WHERE l.module_id = m.id AND l.deleted_at IS NULL) AS lesson_count
		FROM modules m ORDER BY m.sort_order, m.slug`).Scan(&rows).Error
	out := make([]Module, len(rows))
	for i, r := range rows {
		out[i] = r.toModule()
	}
	return out, db.Err(err)
}

// FindModuleBySlug reads a module's draft fields (without its lesson count).
func (s *Store) FindModuleBySlug(ctx context.Context, slug string) (Module, error) {
	var r moduleRow
	err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error
	return r.toModule(), db.Err(err)
}

// FindLessons lists a module's live lessons in reading order.
func (s *Store) FindLessons(ctx context.Context, moduleID string) ([]Lesson, error) {
	var rows []lessonRow
	err := s.db.WithContext(ctx).Where("module_id = ? AND deleted_at IS NULL", moduleID).Order("position, slug").Find(&rows).Error
	return toLessons(rows), db.Err(err)
}

// FindAllLessons lists a module's lessons, deleted ones included (the importer revives them).
func (s *Store) FindAllLessons(ctx context.Context, moduleID string) ([]Lesson, error) {
	var rows []lessonRow
	err := s.db.WithContext(ctx).Where("module_id = ?", moduleID).Order("position, slug").Find(&rows).Error
	return toLessons(rows), db.Err(err)
}

// FindLessonBySlug finds a lesson by slug, deleted ones included.
func (s *Store) FindLessonBySlug(ctx context.Context, moduleID, slug string) (Lesson, error) {
	var r lessonRow
	err := s.db.WithContext(ctx).Where("module_id = ? AND slug = ?", moduleID, slug).Take(&r).Error
	return r.toLesson(), db.Err(err)
}

// FindVersions lists a module's versions, newest first.
func (s *Store) FindVersions(ctx context.Context, moduleID string) ([]Version, error) {
	var rows []moduleVersionRow
	err := s.db.WithContext(ctx).Where("module_id = ?", moduleID).Order("version DESC").Find(&rows).Error
	out := make([]Version, len(rows))
	for i, r := range rows {
		out[i] = r.toVersion()
	}
	return out, db.Err(err)
}

// FindVersion reads one published version of a module with every lesson's HTML and Markdown in
// reading order (two queries, whatever the number of lessons).
func (s *Store) FindVersion(ctx context.Context, moduleID string, version int) (VersionDetail, error) {
	var v moduleVersionRow
	if err := s.db.WithContext(ctx).Where("module_id = ? AND version = ?", moduleID, version).Take(&v).Error; err != nil {
		return VersionDetail{}, db.Err(err)
	}
	var rows []lessonVersionRow
	if err := s.db.WithContext(ctx).Where("module_version_id = ?", v.ID).Order("position, slug").Find(&rows).Error; err != nil {
		return VersionDetail{}, db.Err(err)
	}
	out := VersionDetail{Version: v.toVersion(), Slug: v.Slug, Title: v.Title, Summary: v.Summary, Access: v.Access,
		Competencies: orEmpty(v.Competencies), SortOrder: v.SortOrder, Minutes: v.Minutes, Lessons: make([]VersionLesson, len(rows)),
		CoachingMarkdown: v.CoachingMarkdown, CoachingHTML: v.CoachingHTML}
	for i, r := range rows {
		out.Lessons[i] = r.toVersionLesson()
	}
	return out, nil
}

// FindCoaching reads the coaching guide of a published module's current version (one query):
// NotFound when the module is not published or its current version has no guide.
func (s *Store) FindCoaching(ctx context.Context, slug string) (CoachingGuide, error) {
	var rows []struct {
		Slug         string
		Title        string
		CoachingHTML string `gorm:"column:coaching_html"`
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT m.slug, v.title, v.coaching_html
		FROM modules m
		JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		WHERE m.slug = ? AND m.state = ? AND v.coaching_html IS NOT NULL`, slug, StatePublished).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return CoachingGuide{}, db.Err(err)
	}
	return CoachingGuide{ModuleSlug: rows[0].Slug, Title: rows[0].Title, HTML: rows[0].CoachingHTML}, nil
}
