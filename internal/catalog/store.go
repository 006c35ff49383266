package catalog

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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
	CreatedAt             time.Time
	UpdatedAt             time.Time
	// LessonCount is filled by the studio list query only.
	LessonCount int `gorm:"->;-:migration"`
}

func (moduleRow) TableName() string { return "modules" }

func (r moduleRow) toModule() Module {
	return Module{ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Access: r.Access,
		Competencies: nonNil(r.Competencies), SortOrder: r.SortOrder, State: r.State, Version: r.CurrentVersion,
		HasUnpublishedChanges: r.HasUnpublishedChanges, LessonCount: r.LessonCount, UpdatedAt: r.UpdatedAt}
}

type lessonRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	ModuleID  string
	Slug      string
	Title     string
	Minutes   int
	Markdown  string
	Position  int
	DeletedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (lessonRow) TableName() string { return "lessons" }

func (r lessonRow) toLesson() Lesson {
	return Lesson{ID: r.ID, ModuleID: r.ModuleID, Slug: r.Slug, Title: r.Title, Minutes: r.Minutes,
		Markdown: r.Markdown, Position: r.Position, UpdatedAt: r.UpdatedAt}
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
}

func (moduleVersionRow) TableName() string { return "module_versions" }

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
}

func (lessonVersionRow) TableName() string { return "lesson_versions" }

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
		Competencies: nonNil(r.Competencies), LessonCount: r.LessonCount, Minutes: r.Minutes, Version: r.Version}
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
}

func (r publishedLessonRow) toPublishedLesson() PublishedLesson {
	l := PublishedLesson{ID: r.LessonID, Slug: r.Slug, Title: r.Title, Minutes: r.Minutes, HTML: r.HTML,
		Version: r.Version, ETag: r.ETag, ModuleSlug: r.ModuleSlug, ModuleTitle: r.ModuleTitle, Access: r.Access}
	if r.PrevSlug != nil {
		l.Prev = &LessonRef{Slug: *r.PrevSlug, Title: deref(r.PrevTitle)}
	}
	if r.NextSlug != nil {
		l.Next = &LessonRef{Slug: *r.NextSlug, Title: deref(r.NextTitle)}
	}
	return l
}

// store is the catalog's data access. Every method takes the *gorm.DB to use (the pool or a tx).
type store struct{}

const catalogSelect = `
	SELECT m.id, m.slug, v.title, v.summary, v.access, v.competencies, v.lesson_count, v.minutes,
	       v.version, v.id AS module_version_id
	FROM modules m
	JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
	WHERE m.state = 'published'`

// findCatalog lists every published module in one query, whatever their number.
func (store) findCatalog(ctx context.Context, g *gorm.DB) ([]catalogRow, error) {
	var rows []catalogRow
	err := g.WithContext(ctx).Raw(catalogSelect + ` ORDER BY v.sort_order, m.slug`).Scan(&rows).Error
	return rows, db.Err(err)
}

// findCatalogModule returns one published module by slug.
func (store) findCatalogModule(ctx context.Context, g *gorm.DB, slug string) (catalogRow, error) {
	var rows []catalogRow
	err := g.WithContext(ctx).Raw(catalogSelect+` AND m.slug = ?`, slug).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return catalogRow{}, db.Err(err)
	}
	return rows[0], nil
}

// findVersionLessons lists a version's lessons in reading order (without their HTML).
func (store) findVersionLessons(ctx context.Context, g *gorm.DB, moduleVersionID string) ([]lessonVersionRow, error) {
	var rows []lessonVersionRow
	err := g.WithContext(ctx).Select("module_version_id", "lesson_id", "slug", "title", "minutes", "position").
		Where("module_version_id = ?", moduleVersionID).Order("position, slug").Find(&rows).Error
	return rows, db.Err(err)
}

// findPublishedLesson reads one lesson of a module's current version with its neighbours, in one query.
func (store) findPublishedLesson(ctx context.Context, g *gorm.DB, moduleSlug, lessonSlug string) (publishedLessonRow, error) {
	var rows []publishedLessonRow
	err := g.WithContext(ctx).Raw(`
		WITH mv AS (
			SELECT v.id, v.version, v.title, v.access, m.slug
			FROM modules m
			JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
			WHERE m.slug = @module AND m.state = 'published'
		), lv AS (
			SELECT l.*, lag(l.slug) OVER w AS prev_slug, lag(l.title) OVER w AS prev_title,
			       lead(l.slug) OVER w AS next_slug, lead(l.title) OVER w AS next_title
			FROM lesson_versions l JOIN mv ON l.module_version_id = mv.id
			WINDOW w AS (ORDER BY l.position, l.slug)
		)
		SELECT lv.*, mv.version, mv.slug AS module_slug, mv.title AS module_title, mv.access
		FROM lv JOIN mv ON true
		WHERE lv.slug = @lesson`,
		map[string]any{"module": moduleSlug, "lesson": lessonSlug}).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return publishedLessonRow{}, db.Err(err)
	}
	return rows[0], nil
}

// findModules lists every module (drafts included) with its live lesson count, for the studio.
func (store) findModules(ctx context.Context, g *gorm.DB) ([]moduleRow, error) {
	var rows []moduleRow
	err := g.WithContext(ctx).Raw(`
		SELECT m.*, (SELECT count(*) FROM lessons l WHERE l.module_id = m.id AND l.deleted_at IS NULL) AS lesson_count
		FROM modules m ORDER BY m.sort_order, m.slug`).Scan(&rows).Error
	return rows, db.Err(err)
}

func (store) findModuleBySlug(ctx context.Context, g *gorm.DB, slug string) (moduleRow, error) {
	var r moduleRow
	err := g.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error
	return r, db.Err(err)
}

// lockModule reads a module FOR UPDATE: every draft edit and every publish of a module takes this
// lock first, so they serialise and a version never mixes two states of the drafts.
func (store) lockModule(ctx context.Context, tx *gorm.DB, slug string) (moduleRow, error) {
	var r moduleRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("slug = ?", slug).Take(&r).Error
	return r, db.Err(err)
}

// insertModuleIfNew creates the module row unless the slug exists; it reports whether it did.
func (store) insertModuleIfNew(ctx context.Context, tx *gorm.DB, r *moduleRow) (bool, error) {
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r)
	return res.RowsAffected == 1, db.Err(res.Error)
}

func (store) createModule(ctx context.Context, g *gorm.DB, r *moduleRow) error {
	return db.Err(g.WithContext(ctx).Create(r).Error)
}

func (store) nextSortOrder(ctx context.Context, g *gorm.DB) (int, error) {
	var n int
	err := g.WithContext(ctx).Raw(`SELECT coalesce(max(sort_order), 0) + 1 FROM modules`).Scan(&n).Error
	return n, db.Err(err)
}

// updateModule sets fields on a module and marks its drafts as changed unless told otherwise.
func (store) updateModule(ctx context.Context, g *gorm.DB, id string, fields map[string]any) error {
	fields["updated_at"] = gorm.Expr("now()")
	if _, ok := fields["has_unpublished_changes"]; !ok {
		fields["has_unpublished_changes"] = true
	}
	return db.Err(g.WithContext(ctx).Model(&moduleRow{}).Where("id = ?", id).Updates(fields).Error)
}

// findLessons lists a module's live lessons in reading order.
func (store) findLessons(ctx context.Context, g *gorm.DB, moduleID string) ([]lessonRow, error) {
	var rows []lessonRow
	err := g.WithContext(ctx).Where("module_id = ? AND deleted_at IS NULL", moduleID).Order("position, slug").Find(&rows).Error
	return rows, db.Err(err)
}

// findAllLessons lists a module's lessons, soft-deleted ones included (the importer revives them).
func (store) findAllLessons(ctx context.Context, g *gorm.DB, moduleID string) ([]lessonRow, error) {
	var rows []lessonRow
	err := g.WithContext(ctx).Where("module_id = ?", moduleID).Order("position, slug").Find(&rows).Error
	return rows, db.Err(err)
}

// findLessonBySlug finds a lesson by slug, soft-deleted ones included.
func (store) findLessonBySlug(ctx context.Context, g *gorm.DB, moduleID, slug string) (lessonRow, error) {
	var r lessonRow
	err := g.WithContext(ctx).Where("module_id = ? AND slug = ?", moduleID, slug).Take(&r).Error
	return r, db.Err(err)
}

func (store) createLesson(ctx context.Context, g *gorm.DB, r *lessonRow) error {
	return db.Err(g.WithContext(ctx).Create(r).Error)
}

func (store) updateLesson(ctx context.Context, g *gorm.DB, id string, fields map[string]any) error {
	fields["updated_at"] = gorm.Expr("now()")
	return db.Err(g.WithContext(ctx).Model(&lessonRow{}).Where("id = ?", id).Updates(fields).Error)
}

func (store) nextLessonPosition(ctx context.Context, g *gorm.DB, moduleID string) (int, error) {
	var n int
	err := g.WithContext(ctx).Raw(`SELECT coalesce(max(position), 0) + 1 FROM lessons WHERE module_id = ? AND deleted_at IS NULL`,
		moduleID).Scan(&n).Error
	return n, db.Err(err)
}

func (store) createVersion(ctx context.Context, tx *gorm.DB, v *moduleVersionRow, lessons []lessonVersionRow) error {
	if err := tx.WithContext(ctx).Create(v).Error; err != nil {
		return db.Err(err)
	}
	for i := range lessons {
		lessons[i].ModuleVersionID = v.ID
	}
	return db.Err(tx.WithContext(ctx).Create(&lessons).Error)
}

// findVersions lists a module's versions, newest first.
func (store) findVersions(ctx context.Context, g *gorm.DB, moduleID string) ([]moduleVersionRow, error) {
	var rows []moduleVersionRow
	err := g.WithContext(ctx).Where("module_id = ?", moduleID).Order("version DESC").Find(&rows).Error
	return rows, db.Err(err)
}

// findVersion reads one published version of a module.
func (store) findVersion(ctx context.Context, g *gorm.DB, moduleID string, version int) (moduleVersionRow, error) {
	var r moduleVersionRow
	err := g.WithContext(ctx).Where("module_id = ? AND version = ?", moduleID, version).Take(&r).Error
	return r, db.Err(err)
}

// findVersionContent lists a version's lessons in reading order with their HTML and Markdown.
func (store) findVersionContent(ctx context.Context, g *gorm.DB, moduleVersionID string) ([]lessonVersionRow, error) {
	var rows []lessonVersionRow
	err := g.WithContext(ctx).Where("module_version_id = ?", moduleVersionID).Order("position, slug").Find(&rows).Error
	return rows, db.Err(err)
}

func nonNil(a db.StringArray) []string {
	if a == nil {
		return []string{}
	}
	return []string(a)
}
