package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// The rules of a module's life: drafts change freely and are marked as changed; publishing
// snapshots the live lessons into the next immutable version; unpublishing hides a published
// module and keeps every version. The service loads a module locked, applies one of these and
// saves the result, so each rule is written here once.

// NewModule is the draft module a validated create input makes, placed at sortOrder.
func NewModule(in ModuleInput, sortOrder int) Module {
	return Module{Slug: deref(in.Slug), Title: deref(in.Title), Summary: deref(in.Summary), Access: deref(in.Access),
		Competencies: orEmpty(in.Competencies), SortOrder: sortOrder, State: StateDraft, HasUnpublishedChanges: true,
		Coaching: deref(in.Coaching)}
}

// Apply sets the fields present in a validated update input and marks the drafts changed. The
// slug is the module's address and never changes.
func (m *Module) Apply(in ModuleInput) {
	assign(&m.Title, in.Title)
	assign(&m.Summary, in.Summary)
	assign(&m.Access, in.Access)
	assign(&m.SortOrder, in.SortOrder)
	assign(&m.Coaching, in.Coaching)
	if in.Competencies != nil {
		m.Competencies = in.Competencies
	}
	m.Touch()
}

// ApplySource replaces the module's fields with those of its content folder and remembers the
// folder's hash, so importing the same files again changes nothing.
func (m *Module) ApplySource(src ModuleSource) {
	m.Title, m.Summary, m.Access, m.SortOrder = src.Title, src.Summary, src.Access, src.Order
	m.Competencies, m.SourceHash = orEmpty(src.Competencies), src.Hash
	m.Coaching = src.Coaching
	m.Touch()
}

// Touch marks the drafts as changed: learners see the change after the next publish.
func (m *Module) Touch() { m.HasUnpublishedChanges = true }

// NextVersion snapshots the module and its live lessons (in reading order), rendered and
// sanitised, as the next version: there must be a lesson, none may be empty, and every media
// reference must name an item of media of the right kind (images with alt text). by is the
// publishing user's id ("" for imports).
func (m Module) NextVersion(lessons []Lesson, r *Renderer, media map[string]MediaRef, at time.Time, by string) (VersionDetail, error) {
	if len(lessons) == 0 {
		return VersionDetail{}, apperr.InvalidFields(apperr.Field("lessons", "Add at least one lesson before publishing this module."))
	}
	v := VersionDetail{Version: Version{Version: m.Version + 1, PublishedAt: at, LessonCount: len(lessons)},
		Slug: m.Slug, Title: m.Title, Summary: m.Summary, Access: m.Access, Competencies: orEmpty(m.Competencies),
		SortOrder: m.SortOrder, Lessons: make([]VersionLesson, len(lessons))}
	if by != "" {
		v.PublishedBy = &by
	}
	var bad apperr.Fields
	for i, l := range lessons {
		if strings.TrimSpace(l.Markdown) == "" {
			bad.Add("lessons."+l.Slug+".markdown", "This lesson is empty. Write its content before publishing.")
		}
		scan := r.Scan(l.Markdown)
		for _, p := range scan.Check(media, true) {
			bad.Add("lessons."+l.Slug+".markdown", p.String())
		}
		html, err := r.Render(l.Markdown, media)
		if err != nil {
			return VersionDetail{}, fmt.Errorf("render lesson %s: %w", l.Slug, err)
		}
		v.Lessons[i] = VersionLesson{ID: l.ID, Slug: l.Slug, Title: l.Title, Minutes: l.Minutes, Position: l.Position,
			HTML: html, ETag: lessonETag(v.Version.Version, html), Markdown: &l.Markdown, Checks: l.Checks, Media: scan.IDs()}
		v.Minutes += l.Minutes
	}
	if err := bad.Err(); err != nil {
		return VersionDetail{}, err
	}
	if strings.TrimSpace(m.Coaching) != "" {
		html, err := r.Render(m.Coaching, nil)
		if err != nil {
			return VersionDetail{}, fmt.Errorf("render coaching guide: %w", err)
		}
		md := m.Coaching
		v.CoachingMarkdown, v.CoachingHTML = &md, &html
	}
	return v, nil
}

// Published records that version is what learners read from now on.
func (m *Module) Published(version int) {
	m.Version, m.State, m.HasUnpublishedChanges = version, StatePublished, false
}

// Unpublish hides a published module from learners; its versions, lesson ids and unpublished
// changes stay. A module never published has nothing to hide.
func (m *Module) Unpublish() error {
	if m.State == StateDraft {
		return apperr.New(apperr.Conflict, "This module has never been published, so there is nothing to unpublish.")
	}
	m.State = StateUnpublished
	return nil
}

// NewLesson is the draft lesson a validated create input makes in a module, at position.
func NewLesson(moduleID string, in LessonInput, position int) Lesson {
	return Lesson{ModuleID: moduleID, Slug: deref(in.Slug), Title: deref(in.Title), Minutes: deref(in.Minutes),
		Markdown: deref(in.Markdown), Position: position, Checks: deref(in.Checks)}
}

// Live reports whether the lesson is part of the drafts (not deleted).
func (l Lesson) Live() bool { return l.DeletedAt == nil }

// Apply sets the fields present in a validated update input.
func (l *Lesson) Apply(in LessonInput) {
	assign(&l.Slug, in.Slug)
	assign(&l.Title, in.Title)
	assign(&l.Minutes, in.Minutes)
	assign(&l.Markdown, in.Markdown)
	assign(&l.Position, in.Position)
	assign(&l.Checks, in.Checks)
}

// Delete takes the lesson out of the drafts (and so out of the next version); it keeps its id.
func (l *Lesson) Delete(at time.Time) { l.DeletedAt = &at }

// syncLessons returns the lessons to write so that a module's live lessons are exactly those of
// its content folder, matched by slug: existing lessons (deleted ones too) keep their ids and
// come back, new ones have no id yet (to be created), and live lessons missing from the folder
// are deleted at at. Deleted lessons still missing are left alone.
func syncLessons(moduleID string, existing []Lesson, srcs []LessonSource, at time.Time) []Lesson {
	bySlug := make(map[string]Lesson, len(existing))
	for _, l := range existing {
		bySlug[l.Slug] = l
	}
	out := make([]Lesson, 0, len(srcs))
	for _, src := range srcs {
		l, ok := bySlug[src.Slug]
		delete(bySlug, src.Slug)
		if !ok {
			l = Lesson{ModuleID: moduleID, Slug: src.Slug}
		}
		l.Title, l.Minutes, l.Markdown, l.Position, l.DeletedAt = src.Title, src.Minutes, src.Markdown, src.Position, nil
		l.Checks = src.Checks
		out = append(out, l)
	}
	for _, l := range existing {
		if _, gone := bySlug[l.Slug]; gone && l.Live() {
			l.Delete(at)
			out = append(out, l)
		}
	}
	return out
}

// progressOf is a learner's progress through a module: completed of its lessons are done. The
// percentage never passes 100, even when a new version has fewer lessons than were completed.
func progressOf(completed, lessons int) *ModuleProgress {
	p := &ModuleProgress{CompletedLessons: completed}
	if lessons > 0 {
		p.Percent = min(100, completed*100/lessons)
	}
	return p
}

// lessonETag identifies one lesson's content in one version.
func lessonETag(version int, html string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", version, html)))
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// assign sets *dst to *v when v is present.
func assign[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func orEmpty(a []string) []string {
	if a == nil {
		return []string{}
	}
	return a
}
