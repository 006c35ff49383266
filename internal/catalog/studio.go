package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
)

// StudioModules lists every module, drafts included, with its state.
func (s *Service) StudioModules(ctx context.Context) ([]Module, error) {
	rows, err := s.st.findModules(ctx, s.DB.Gorm)
	out := make([]Module, len(rows))
	for i, r := range rows {
		out[i] = r.toModule()
	}
	return out, err
}

// StudioModule returns a module's draft with its live lessons (Markdown included).
func (s *Service) StudioModule(ctx context.Context, slug string) (Module, []Lesson, error) {
	m, err := s.st.findModuleBySlug(ctx, s.DB.Gorm, slug)
	if err != nil {
		return Module{}, nil, notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
	}
	rows, err := s.st.findLessons(ctx, s.DB.Gorm, m.ID)
	if err != nil {
		return Module{}, nil, err
	}
	lessons := make([]Lesson, len(rows))
	for i, r := range rows {
		lessons[i] = r.toLesson()
	}
	m.LessonCount = len(rows)
	return m.toModule(), lessons, nil
}

// CreateModule creates a draft module.
func (s *Service) CreateModule(ctx context.Context, in ModuleInput) (Module, error) {
	if err := validateModule(&in, true); err != nil {
		return Module{}, err
	}
	order := deref(in.SortOrder)
	if in.SortOrder == nil {
		var err error
		if order, err = s.st.nextSortOrder(ctx, s.DB.Gorm); err != nil {
			return Module{}, err
		}
	}
	r := moduleRow{Slug: *in.Slug, Title: *in.Title, Summary: deref(in.Summary), Access: *in.Access,
		Competencies: nonNil(in.Competencies), SortOrder: order, State: StateDraft, HasUnpublishedChanges: true}
	if err := s.st.createModule(ctx, s.DB.Gorm, &r); err != nil {
		return Module{}, slugTaken(err)
	}
	return r.toModule(), nil
}

// UpdateModule changes a module's draft fields. The slug is the module's address and is fixed.
func (s *Service) UpdateModule(ctx context.Context, slug string, in ModuleInput) (Module, error) {
	if in.Slug != nil && *in.Slug != slug {
		return Module{}, apperr.InvalidFields(apperr.Field("slug", "The slug can’t be changed once the module exists."))
	}
	in.Slug = nil
	if err := validateModule(&in, false); err != nil {
		return Module{}, err
	}
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		m, err := s.st.lockModule(ctx, tx, slug)
		if err != nil {
			return notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
		}
		fields := map[string]any{}
		setIf(fields, "title", in.Title)
		setIf(fields, "summary", in.Summary)
		setIf(fields, "access", in.Access)
		setIf(fields, "sort_order", in.SortOrder)
		if in.Competencies != nil {
			fields["competencies"] = db.StringArray(nonNil(in.Competencies))
		}
		return s.st.updateModule(ctx, tx, m.ID, fields)
	})
	if err != nil {
		return Module{}, err
	}
	m, _, err := s.StudioModule(ctx, slug)
	return m, err
}

// DraftLesson returns one live lesson's draft.
func (s *Service) DraftLesson(ctx context.Context, moduleSlug, lessonSlug string) (Lesson, error) {
	m, err := s.st.findModuleBySlug(ctx, s.DB.Gorm, moduleSlug)
	if err != nil {
		return Lesson{}, notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
	}
	l, err := s.st.findLessonBySlug(ctx, s.DB.Gorm, m.ID, lessonSlug)
	if err == nil && l.DeletedAt != nil {
		return Lesson{}, apperr.New(apperr.NotFound, "We couldn’t find that lesson. It may have been renamed or removed.")
	}
	return l.toLesson(), notFound(err, "We couldn’t find that lesson. It may have been renamed or removed.")
}

// CreateLesson adds a lesson to a module's drafts. A slug that belonged to a deleted lesson
// revives that lesson, so its id (and learners' progress on it) comes back too.
func (s *Service) CreateLesson(ctx context.Context, moduleSlug string, in LessonInput) (Lesson, error) {
	if err := validateLesson(&in, true); err != nil {
		return Lesson{}, err
	}
	var out lessonRow
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		m, err := s.st.lockModule(ctx, tx, moduleSlug)
		if err != nil {
			return notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
		}
		pos := deref(in.Position)
		if in.Position == nil {
			if pos, err = s.st.nextLessonPosition(ctx, tx, m.ID); err != nil {
				return err
			}
		}
		old, err := s.st.findLessonBySlug(ctx, tx, m.ID, *in.Slug)
		switch {
		case err == nil && old.DeletedAt == nil:
			return lessonSlugTaken(nil)
		case err == nil:
			out = lessonRow{ID: old.ID, ModuleID: m.ID, Slug: *in.Slug, Title: *in.Title, Minutes: *in.Minutes,
				Markdown: deref(in.Markdown), Position: pos}
			err = s.st.updateLesson(ctx, tx, old.ID, map[string]any{"title": out.Title, "minutes": out.Minutes,
				"markdown": out.Markdown, "position": pos, "deleted_at": nil})
		case apperr.Is(err, apperr.NotFound):
			out = lessonRow{ModuleID: m.ID, Slug: *in.Slug, Title: *in.Title, Minutes: *in.Minutes,
				Markdown: deref(in.Markdown), Position: pos}
			err = s.st.createLesson(ctx, tx, &out)
		}
		if err != nil {
			return err
		}
		return s.st.updateModule(ctx, tx, m.ID, map[string]any{})
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.DraftLesson(ctx, moduleSlug, out.Slug)
}

// UpdateLesson changes a lesson's draft; learners see it after the next publish.
func (s *Service) UpdateLesson(ctx context.Context, moduleSlug, lessonSlug string, in LessonInput) (Lesson, error) {
	if err := validateLesson(&in, false); err != nil {
		return Lesson{}, err
	}
	newSlug := lessonSlug
	err := s.editLesson(ctx, moduleSlug, lessonSlug, func(tx *gorm.DB, l lessonRow) error {
		fields := map[string]any{}
		setIf(fields, "slug", in.Slug)
		setIf(fields, "title", in.Title)
		setIf(fields, "minutes", in.Minutes)
		setIf(fields, "markdown", in.Markdown)
		setIf(fields, "position", in.Position)
		if in.Slug != nil {
			newSlug = *in.Slug
		}
		if err := s.st.updateLesson(ctx, tx, l.ID, fields); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return lessonSlugTaken(err)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.DraftLesson(ctx, moduleSlug, newSlug)
}

// DeleteLesson soft-deletes a lesson: it leaves the drafts (and the next version) but keeps its id.
func (s *Service) DeleteLesson(ctx context.Context, moduleSlug, lessonSlug string) error {
	return s.editLesson(ctx, moduleSlug, lessonSlug, func(tx *gorm.DB, l lessonRow) error {
		return s.st.updateLesson(ctx, tx, l.ID, map[string]any{"deleted_at": s.Now().UTC()})
	})
}

// editLesson runs fn on a live lesson with its module locked, then marks the drafts changed.
func (s *Service) editLesson(ctx context.Context, moduleSlug, lessonSlug string, fn func(*gorm.DB, lessonRow) error) error {
	return s.DB.Tx(ctx, func(tx *gorm.DB) error {
		m, err := s.st.lockModule(ctx, tx, moduleSlug)
		if err != nil {
			return notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
		}
		l, err := s.st.findLessonBySlug(ctx, tx, m.ID, lessonSlug)
		if err == nil && l.DeletedAt != nil {
			err = apperr.New(apperr.NotFound, "We couldn’t find that lesson. It may have been renamed or removed.")
		}
		if err != nil {
			return notFound(err, "We couldn’t find that lesson. It may have been renamed or removed.")
		}
		if err := fn(tx, l); err != nil {
			return err
		}
		return s.st.updateModule(ctx, tx, m.ID, map[string]any{})
	})
}

// Publish snapshots every live lesson of the module, rendered and sanitised, into a new immutable
// version that learners read from now on. by is the publishing user's id ("" for imports).
func (s *Service) Publish(ctx context.Context, slug, by string) (int, error) {
	var version int
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		m, err := s.st.lockModule(ctx, tx, slug)
		if err != nil {
			return notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
		}
		version, err = s.publishTx(ctx, tx, m, by)
		return err
	})
	return version, err
}

// publishTx publishes m, which the caller has locked in tx.
func (s *Service) publishTx(ctx context.Context, tx *gorm.DB, m moduleRow, by string) (int, error) {
	lessons, err := s.st.findLessons(ctx, tx, m.ID)
	if err != nil {
		return 0, err
	}
	if len(lessons) == 0 {
		return 0, apperr.InvalidFields(apperr.Field("lessons", "Add at least one lesson before publishing this module."))
	}
	version := m.CurrentVersion + 1
	snap := make([]lessonVersionRow, len(lessons))
	minutes := 0
	var empty apperr.Fields
	for i, l := range lessons {
		if strings.TrimSpace(l.Markdown) == "" {
			empty.Add("lessons."+l.Slug+".markdown", "This lesson is empty. Write its content before publishing.")
		}
		html, err := s.renderer.Render(l.Markdown)
		if err != nil {
			return 0, fmt.Errorf("render lesson %s: %w", l.Slug, err)
		}
		snap[i] = lessonVersionRow{LessonID: l.ID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes,
			Position: l.Position, HTML: html, ETag: lessonETag(version, html), Markdown: &l.Markdown}
		minutes += l.Minutes
	}
	if err := empty.Err(); err != nil {
		return 0, err
	}
	v := moduleVersionRow{ModuleID: m.ID, Version: version, Slug: m.Slug, Title: m.Title, Summary: m.Summary,
		Access: m.Access, Competencies: nonNil(m.Competencies), SortOrder: m.SortOrder, LessonCount: len(snap),
		Minutes: minutes, PublishedAt: s.Now().UTC()}
	if by != "" {
		v.PublishedBy = &by
	}
	if err := s.st.createVersion(ctx, tx, &v, snap); err != nil {
		return 0, err
	}
	err = s.st.updateModule(ctx, tx, m.ID, map[string]any{"current_version": version,
		"state": StatePublished, "has_unpublished_changes": false})
	return version, err
}

// Unpublish hides a published module from learners. Its versions and lesson ids stay.
func (s *Service) Unpublish(ctx context.Context, slug string) error {
	return s.DB.Tx(ctx, func(tx *gorm.DB) error {
		m, err := s.st.lockModule(ctx, tx, slug)
		if err != nil {
			return notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
		}
		if m.State == StateDraft {
			return apperr.New(apperr.Conflict, "This module has never been published, so there is nothing to unpublish.")
		}
		return s.st.updateModule(ctx, tx, m.ID, map[string]any{"state": StateUnpublished,
			"has_unpublished_changes": m.HasUnpublishedChanges})
	})
}

// Versions lists a module's published versions, newest first.
func (s *Service) Versions(ctx context.Context, slug string) ([]Version, error) {
	m, err := s.st.findModuleBySlug(ctx, s.DB.Gorm, slug)
	if err != nil {
		return nil, notFound(err, "We couldn’t find that module. It may have been renamed or unpublished.")
	}
	rows, err := s.st.findVersions(ctx, s.DB.Gorm, m.ID)
	out := make([]Version, len(rows))
	for i, r := range rows {
		out[i] = Version{Version: r.Version, PublishedAt: r.PublishedAt, PublishedBy: r.PublishedBy, LessonCount: r.LessonCount}
	}
	return out, err
}

// VersionDetail reads one published version of a module as learners saw it: its module fields and
// every lesson with its rendered HTML and, when kept, its Markdown (three queries).
func (s *Service) VersionDetail(ctx context.Context, slug string, version int) (VersionDetail, error) {
	m, err := s.st.findModuleBySlug(ctx, s.DB.Gorm, slug)
	if err != nil {
		return VersionDetail{}, notFound(err, "There is no module with this address.")
	}
	v, err := s.st.findVersion(ctx, s.DB.Gorm, m.ID, version)
	if err != nil {
		return VersionDetail{}, notFound(err, fmt.Sprintf("This module has no published version %d.", version))
	}
	rows, err := s.st.findVersionContent(ctx, s.DB.Gorm, v.ID)
	if err != nil {
		return VersionDetail{}, err
	}
	out := VersionDetail{Version: Version{Version: v.Version, PublishedAt: v.PublishedAt, PublishedBy: v.PublishedBy,
		LessonCount: v.LessonCount}, Slug: v.Slug, Title: v.Title, Summary: v.Summary, Access: v.Access,
		Competencies: nonNil(v.Competencies), Minutes: v.Minutes, Lessons: make([]VersionLesson, len(rows))}
	for i, r := range rows {
		out.Lessons[i] = VersionLesson{ID: r.LessonID, Slug: r.Slug, Title: r.Title, Minutes: r.Minutes,
			Position: r.Position, HTML: r.HTML, Markdown: r.Markdown}
	}
	return out, nil
}

// lessonETag identifies one lesson's content in one version.
func lessonETag(version int, html string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", version, html)))
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

func slugTaken(err error) error {
	if apperr.Is(err, apperr.Conflict) {
		return &apperr.Error{Kind: apperr.Conflict, Detail: "A module with this slug already exists. Choose another slug.", Err: err,
			Fields: []apperr.FieldError{apperr.Field("slug", "This slug is already taken. Choose another one.")}}
	}
	return err
}

func lessonSlugTaken(err error) error {
	return &apperr.Error{Kind: apperr.Conflict, Detail: "Another lesson of this module uses this slug. Choose another one.", Err: err,
		Fields: []apperr.FieldError{apperr.Field("slug", "Another lesson of this module uses this slug. Choose another one.")}}
}

func setIf[T any](fields map[string]any, key string, v *T) {
	if v != nil {
		fields[key] = *v
	}
}
