package catalog

import (
	"context"
	"fmt"
	"io/fs"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Import outcomes for one module.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportResult is what importing did to one module.
type ImportResult struct {
	Slug    string
	Status  string
	Version int
}

// ImportReport lists the imported modules and the content errors of those left out.
type ImportReport struct {
	Modules []ImportResult
	Errors  ContentErrors
}

// Import loads a content tree (modules/<NN>-<slug>/...) into the catalog. It is idempotent: a
// module whose files are unchanged is left alone; a changed one has its drafts replaced by the
// files (lessons missing from the folder are soft-deleted) and is published as a new version.
// A module with any content error imports nothing; the others still import.
func (s *Service) Import(ctx context.Context, fsys fs.FS) (ImportReport, error) {
	mods, cerrs, err := ParseContent(fsys)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Errors: cerrs}
	for _, m := range mods {
		r, err := s.importModule(ctx, m)
		if err != nil {
			return rep, fmt.Errorf("import %s: %w", m.Dir, err)
		}
		rep.Modules = append(rep.Modules, r)
	}
	return rep, nil
}

// importModule applies one module folder in a single transaction with the module row locked, so
// two imports (or an import and a studio publish) never interleave.
func (s *Service) importModule(ctx context.Context, src ModuleSource) (ImportResult, error) {
	res := ImportResult{Slug: src.Slug}
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		created, err := s.st.insertModuleIfNew(ctx, tx, &moduleRow{Slug: src.Slug, Title: src.Title,
			Summary: src.Summary, Access: src.Access, Competencies: src.Competencies, SortOrder: src.Order,
			State: StateDraft, HasUnpublishedChanges: true})
		if err != nil {
			return err
		}
		m, err := s.st.lockModule(ctx, tx, src.Slug)
		if err != nil {
			return err
		}
		if !created && m.SourceHash == src.Hash {
			res.Status, res.Version = ImportUnchanged, m.CurrentVersion
			return nil
		}
		if err := s.st.updateModule(ctx, tx, m.ID, map[string]any{"title": src.Title, "summary": src.Summary,
			"access": src.Access, "competencies": db.StringArray(nonNil(src.Competencies)), "sort_order": src.Order,
			"source_hash": src.Hash}); err != nil {
			return err
		}
		if err := s.syncLessons(ctx, tx, m.ID, src.Lessons); err != nil {
			return err
		}
		if m, err = s.st.findModuleBySlug(ctx, tx, src.Slug); err != nil {
			return err
		}
		res.Status = ImportUpdated
		if created {
			res.Status = ImportCreated
		}
		res.Version, err = s.publishTx(ctx, tx, m, "")
		return err
	})
	return res, err
}

// syncLessons makes a module's live lessons exactly the given ones, matched by slug: existing
// lessons (deleted ones too) keep their ids, new ones are created, missing ones soft-deleted.
func (s *Service) syncLessons(ctx context.Context, tx *gorm.DB, moduleID string, lessons []LessonSource) error {
	existing, err := s.st.findAllLessons(ctx, tx, moduleID)
	if err != nil {
		return err
	}
	bySlug := make(map[string]lessonRow, len(existing))
	for _, l := range existing {
		bySlug[l.Slug] = l
	}
	for _, l := range lessons {
		old, ok := bySlug[l.Slug]
		delete(bySlug, l.Slug)
		if ok {
			err = s.st.updateLesson(ctx, tx, old.ID, map[string]any{"title": l.Title, "minutes": l.Minutes,
				"markdown": l.Markdown, "position": l.Position, "deleted_at": nil})
		} else {
			err = s.st.createLesson(ctx, tx, &lessonRow{ModuleID: moduleID, Slug: l.Slug, Title: l.Title,
				Minutes: l.Minutes, Markdown: l.Markdown, Position: l.Position})
		}
		if err != nil {
			return err
		}
	}
	for _, gone := range bySlug {
		if gone.DeletedAt == nil {
			if err := s.st.updateLesson(ctx, tx, gone.ID, map[string]any{"deleted_at": s.Now().UTC()}); err != nil {
				return err
			}
		}
	}
	return nil
}
