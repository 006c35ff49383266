package catalog

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// LockModule reads a module FOR UPDATE (call it inside Tx): every draft edit, publish and import
// of a module takes this lock first, so they serialise and a version never mixes two states of
// the drafts.
func (s *Store) LockModule(ctx context.Context, slug string) (Module, error) {
	var r moduleRow
	err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("slug = ?", slug).Take(&r).Error
	return r.toModule(), db.Err(err)
}

// CreateModule inserts a module and fills in its id and times; a taken slug is a Conflict.
func (s *Store) CreateModule(ctx context.Context, m *Module) error {
	r := toModuleRow(*m)
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return db.Err(err)
	}
	*m = r.toModule()
	return nil
}

// CreateModuleIfNew inserts a module unless its slug exists; it reports whether it did.
func (s *Store) CreateModuleIfNew(ctx context.Context, m Module) (bool, error) {
	r := toModuleRow(m)
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	return res.RowsAffected == 1, db.Err(res.Error)
}

// NextSortOrder is the sort order that places a new module last.
func (s *Store) NextSortOrder(ctx context.Context) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Raw(`SELECT coalesce(max(sort_order), 0) + 1 FROM modules`).Scan(&n).Error
	return n, db.Err(err)
}

// SaveModule writes a module's fields and state (its slug is fixed) and stamps it as updated now.
func (s *Store) SaveModule(ctx context.Context, m Module) error {
	r := toModuleRow(m)
	return db.Err(s.db.WithContext(ctx).Model(&moduleRow{}).Where("id = ?", m.ID).Updates(map[string]any{
		"title": r.Title, "summary": r.Summary, "access": r.Access, "competencies": r.Competencies,
		"sort_order": r.SortOrder, "state": r.State, "current_version": r.CurrentVersion,
		"has_unpublished_changes": r.HasUnpublishedChanges, "source_hash": r.SourceHash,
		"coaching_markdown": r.CoachingMarkdown, "updated_at": gorm.Expr("now()"),
	}).Error)
}

// CreateLesson inserts a lesson and fills in its id and times; a slug taken in the module (by a
// live or a deleted lesson) is a Conflict.
func (s *Store) CreateLesson(ctx context.Context, l *Lesson) error {
	r := toLessonRow(*l)
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return db.Err(err)
	}
	*l = r.toLesson()
	return nil
}

// SaveLesson writes a lesson's fields (deletion included) and stamps it as updated now; a slug
// taken by another lesson of the module is a Conflict.
func (s *Store) SaveLesson(ctx context.Context, l Lesson) error {
	return db.Err(s.db.WithContext(ctx).Model(&lessonRow{}).Where("id = ?", l.ID).Updates(map[string]any{
		"slug": l.Slug, "title": l.Title, "minutes": l.Minutes, "markdown": l.Markdown, "position": l.Position,
		"checks": toChecksColumn(l.Checks), "deleted_at": l.DeletedAt, "updated_at": gorm.Expr("now()"),
	}).Error)
}

// NextLessonPosition is the position that places a new lesson last among the live ones.
func (s *Store) NextLessonPosition(ctx context.Context, moduleID string) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Raw(`SELECT coalesce(max(position), 0) + 1 FROM lessons WHERE module_id = ? AND deleted_at IS NULL`,
		moduleID).Scan(&n).Error
	return n, db.Err(err)
}

// CreateVersion stores a published version of a module and its lessons; versions are never
// updated (the database refuses it).
func (s *Store) CreateVersion(ctx context.Context, moduleID string, v VersionDetail) error {
	row := moduleVersionRow{ModuleID: moduleID, Version: v.Version.Version, Slug: v.Slug, Title: v.Title, Summary: v.Summary,
		Access: v.Access, Competencies: orEmpty(v.Competencies), SortOrder: v.SortOrder, LessonCount: v.LessonCount,
		Minutes: v.Minutes, PublishedAt: v.PublishedAt, PublishedBy: v.PublishedBy,
		CoachingMarkdown: v.CoachingMarkdown, CoachingHTML: v.CoachingHTML}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return db.Err(err)
	}
	lessons := make([]lessonVersionRow, len(v.Lessons))
	for i, l := range v.Lessons {
		lessons[i] = lessonVersionRow{ModuleVersionID: row.ID, LessonID: l.ID, Slug: l.Slug, Title: l.Title,
			Minutes: l.Minutes, Position: l.Position, HTML: l.HTML, ETag: l.ETag, Markdown: l.Markdown,
			Checks: toChecksColumn(l.Checks)}
	}
	if err := s.db.WithContext(ctx).Create(&lessons).Error; err != nil {
		return db.Err(err)
	}
	return s.createVersionMedia(ctx, row.ID, v.Lessons)
}
