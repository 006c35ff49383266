// Package catalog owns the curriculum: modules and lessons as instructors draft them, the immutable
// published versions learners read, Markdown rendering and sanitising, and importing the shipped
// content files.
package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// Access levels of a module.
const (
	AccessFree    = "free"
	AccessPremium = "premium"
)

// Module states. A module is a draft until first published; unpublishing hides it from learners
// but keeps every version (and so every lesson id learners' progress points at).
const (
	StateDraft       = "draft"
	StatePublished   = "published"
	StateUnpublished = "unpublished"
)

// Competencies are the eight skills the assessment measures and modules build.
var Competencies = []string{
	"self_awareness", "self_management", "social_awareness", "relationship_management",
	"job_diagnosis", "consensus_building", "prescriptive_guidance", "stakeholder_mapping",
}

// Limits on drafts. MaxMarkdownBytes bounds what one lesson (or one preview) may hold.
const (
	MaxSlugLen       = 60
	MaxTitleLen      = 200
	MaxSummaryLen    = 1000
	MinMinutes       = 1
	MaxMinutes       = 120
	MaxMarkdownBytes = 200 << 10
	// MaxCoachingBytes bounds a module's coaching guide: one printed page for managers is about
	// 450 words, so 20 kB leaves room for formatting without letting a guide become a second course.
	MaxCoachingBytes = 20 << 10
	// MaxOrder bounds a module's sort order and a lesson's position: the database keeps them as
	// 32-bit integers, and the next free one (the largest plus one) must still fit.
	MaxOrder = 1_000_000
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Module is a module's draft as instructors edit it, with its publishing state.
type Module struct {
	ID           string
	Slug         string
	Title        string
	Summary      string
	Access       string
	Competencies []string
	SortOrder    int
	State        string
	// Version is the latest published version, 0 when never published.
	Version int
	// HasUnpublishedChanges is true when the drafts differ from what learners see.
	HasUnpublishedChanges bool
	LessonCount           int
	// SourceHash identifies the content files the drafts were last imported from ("" when the
	// module was never imported).
	SourceHash string
	// Coaching is the draft Markdown of the module's one-page guide for managers ("" for none).
	Coaching  string
	UpdatedAt time.Time
}

// Status is the state as instructors read it: "draft", "published v3" or "unpublished".
func (m Module) Status() string {
	if m.State == StatePublished {
		return fmt.Sprintf("published v%d", m.Version)
	}
	return m.State
}

// Lesson is a lesson's draft. Its ID is stable across every published version.
type Lesson struct {
	ID       string
	ModuleID string
	Slug     string
	Title    string
	Minutes  int
	Markdown string
	Position int
	// Checks are the lesson's knowledge checks (none, or 2-3), answers included.
	Checks []Check
	// DeletedAt is set once the lesson is deleted from the drafts; it keeps its id (and
	// learners' progress on it) should its slug come back.
	DeletedAt *time.Time
	UpdatedAt time.Time
}

// ModuleInput is a module's editable fields; nil pointers leave a field unchanged on update.
type ModuleInput struct {
	Slug         *string
	Title        *string
	Summary      *string
	Access       *string
	Competencies []string
	SortOrder    *int
	// Coaching is the guide's Markdown; "" removes the guide.
	Coaching *string
}

// LessonInput is a lesson's editable fields; nil pointers leave a field unchanged on update.
type LessonInput struct {
	Slug     *string
	Title    *string
	Minutes  *int
	Markdown *string
	Position *int
	// Checks replaces the lesson's checks when present (an empty list removes them).
	Checks *[]Check
}

// CatalogModule is a published module as learners see it (its latest version's snapshot).
type CatalogModule struct {
	ID           string
	Slug         string
	Title        string
	Summary      string
	Access       string
	Competencies []string
	LessonCount  int
	Minutes      int
	Version      int
	// Progress is the caller's progress, nil when anonymous.
	Progress *ModuleProgress
	Lessons  []CatalogLesson
}

// CatalogLesson is one lesson in a published module's outline.
type CatalogLesson struct {
	ID      string
	Slug    string
	Title   string
	Minutes int
	// Completed is nil when progress is unknown (anonymous).
	Completed *bool
}

// LessonRef names a neighbouring lesson for previous / next navigation.
type LessonRef struct {
	Slug  string
	Title string
}

// PublishedLesson is a lesson as published in a version, ready to read.
type PublishedLesson struct {
	ID          string
	Slug        string
	Title       string
	Minutes     int
	HTML        string
	Version     int
	ETag        string
	ModuleSlug  string
	ModuleTitle string
	Access      string
	Prev, Next  *LessonRef
	// Checks are the version's checks of the lesson; answers and explanations never leave the
	// server with the lesson (the HTTP layer drops them).
	Checks []Check
}

// Version describes one published version of a module.
type Version struct {
	Version     int
	PublishedAt time.Time
	// PublishedBy is the publishing user's id; nil for content imports.
	PublishedBy *string
	LessonCount int
}

// VersionDetail is one published version as it was snapshotted: the module's fields and lessons.
type VersionDetail struct {
	Version
	Slug         string
	Title        string
	Summary      string
	Access       string
	Competencies []string
	SortOrder    int
	Minutes      int
	Lessons      []VersionLesson
	// CoachingMarkdown and CoachingHTML are the manager's guide as this version was published
	// with it; nil when the version has none.
	CoachingMarkdown *string
	CoachingHTML     *string
}

// CoachingGuide is a published module's guide for managers, rendered and sanitised.
type CoachingGuide struct {
	ModuleSlug string
	Title      string
	HTML       string
}

// VersionLesson is a lesson as a version holds it. ID is the lesson's stable id, the same in the
// drafts and every version, so versions and drafts are compared by it.
type VersionLesson struct {
	ID       string
	Slug     string
	Title    string
	Minutes  int
	Position int
	HTML     string
	// ETag identifies this lesson's content in this version (HTTP caching of the reader).
	ETag string
	// Markdown is nil for versions published before the source was kept.
	Markdown *string
	Checks   []Check
	// Media lists the media ids the lesson shows (captions included).
	Media []string
}

// ModuleProgress is a learner's progress through one module.
type ModuleProgress struct {
	CompletedLessons int
	Percent          int
}

// validateSlug checks a module or lesson slug.
func validateSlug(field, s string) *apperr.FieldError {
	switch {
	case s == "":
		return fieldErr(field, "Enter a slug, such as reading-buyers.")
	case len(s) > MaxSlugLen:
		return fieldErr(field, fmt.Sprintf("Use at most %d characters for the slug.", MaxSlugLen))
	case !slugRE.MatchString(s):
		return fieldErr(field, "Use lowercase letters, digits and single dashes, such as reading-buyers.")
	}
	return nil
}

// normalizeTitle trims a title and checks it.
func normalizeTitle(field, s string) (string, *apperr.FieldError) {
	s, p := text.Line(s, MaxTitleLen)
	switch p {
	case text.Empty:
		return "", fieldErr(field, "Enter a title.")
	case text.TooLong:
		return "", fieldErr(field, fmt.Sprintf("Use at most %d characters for the title.", MaxTitleLen))
	case text.Unshowable:
		return "", fieldErr(field, "The title contains characters we can’t show. Please remove them.")
	}
	return s, nil
}

func validateSummary(field, s string) *apperr.FieldError {
	if utf8.RuneCountInString(s) > MaxSummaryLen {
		return fieldErr(field, fmt.Sprintf("Keep the summary to at most %d characters.", MaxSummaryLen))
	}
	return nil
}

func validateAccess(field, s string) *apperr.FieldError {
	if s != AccessFree && s != AccessPremium {
		return fieldErr(field, "Choose free or premium.")
	}
	return nil
}

// validateCompetencies checks each key is known and listed once.
func validateCompetencies(field string, cs []string) *apperr.FieldError {
	for i, c := range cs {
		if !slices.Contains(Competencies, c) {
			return fieldErr(fmt.Sprintf("%s[%d]", field, i), "Choose competencies from this list: "+strings.Join(Competencies, ", ")+".")
		}
		if slices.Index(cs, c) != i {
			return fieldErr(fmt.Sprintf("%s[%d]", field, i), "This competency is listed twice. Remove the duplicate.")
		}
	}
	return nil
}

func validateMinutes(field string, m int) *apperr.FieldError {
	if m < MinMinutes || m > MaxMinutes {
		return fieldErr(field, fmt.Sprintf("Choose between %d and %d minutes.", MinMinutes, MaxMinutes))
	}
	return nil
}

func validateMarkdown(field, md string) *apperr.FieldError {
	if len(md) > MaxMarkdownBytes {
		return fieldErr(field, "Keep the lesson text to at most 200 kB.")
	}
	if !utf8.ValidString(md) {
		return fieldErr(field, "The text contains characters we can’t read. Paste it again as plain text.")
	}
	return nil
}

// validateCoaching checks a coaching guide's Markdown ("" is no guide).
func validateCoaching(field, md string) *apperr.FieldError {
	if len(md) > MaxCoachingBytes {
		return fieldErr(field, "Keep the coaching guide to at most 20 kB: it is meant to fit on one printed page.")
	}
	if !utf8.ValidString(md) {
		return fieldErr(field, "The text contains characters we can’t read. Paste it again as plain text.")
	}
	return nil
}

// validateOrder checks a sort order or position is a whole number from 0 to MaxOrder.
func validateOrder(field string, n int) *apperr.FieldError {
	if n < 0 || n > MaxOrder {
		return fieldErr(field, fmt.Sprintf("Choose a position from 0 to %d.", MaxOrder))
	}
	return nil
}

// validateModule checks the fields present in in; create demands the required ones.
func validateModule(in *ModuleInput, create bool) error {
	var errs []*apperr.FieldError
	if in.Slug != nil || create {
		errs = append(errs, validateSlug("slug", deref(in.Slug)))
	}
	if in.Title != nil || create {
		t, e := normalizeTitle("title", deref(in.Title))
		in.Title = &t
		errs = append(errs, e)
	}
	if in.Summary != nil {
		s := strings.TrimSpace(*in.Summary)
		in.Summary = &s
		errs = append(errs, validateSummary("summary", s))
	}
	if in.Access != nil || create {
		errs = append(errs, validateAccess("access", deref(in.Access)))
	}
	if in.Competencies != nil {
		errs = append(errs, validateCompetencies("competencies", in.Competencies))
	}
	if in.SortOrder != nil {
		errs = append(errs, validateOrder("sort_order", *in.SortOrder))
	}
	if in.Coaching != nil {
		c := strings.TrimSpace(*in.Coaching)
		errs = append(errs, validateCoaching("coaching", c))
		if c != "" {
			c += "\n"
		}
		in.Coaching = &c
	}
	return apperr.Collect(errs...)
}

// validateLesson checks the fields present in in; create demands the required ones.
func validateLesson(in *LessonInput, create bool) error {
	var errs []*apperr.FieldError
	if in.Slug != nil || create {
		errs = append(errs, validateSlug("slug", deref(in.Slug)))
	}
	if in.Title != nil || create {
		t, e := normalizeTitle("title", deref(in.Title))
		in.Title = &t
		errs = append(errs, e)
	}
	if in.Minutes != nil || create {
		m := 0
		if in.Minutes != nil {
			m = *in.Minutes
		}
		errs = append(errs, validateMinutes("minutes", m))
	}
	if in.Markdown != nil {
		errs = append(errs, validateMarkdown("markdown", *in.Markdown))
	}
	if in.Position != nil {
		errs = append(errs, validateOrder("position", *in.Position))
	}
	if in.Checks != nil {
		errs = append(errs, validateChecks(*in.Checks)...)
	}
	return apperr.Collect(errs...)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func fieldErr(field, msg string) *apperr.FieldError {
	f := apperr.Field(field, msg)
	return &f
}
