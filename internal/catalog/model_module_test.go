package catalog

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// These tests need no database: they check the module and lesson rules the service applies
// between loading and saving.

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// fieldsOf lists the fields an Invalid error names.
func fieldsOf(err error) []string {
	var out []string
	if e, ok := err.(*apperr.Error); ok {
		for _, f := range e.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}

func TestNextVersion(t *testing.T) {
	m := Module{ID: "m1", Slug: "reading-buyers", Title: "Reading buyers", Access: AccessPremium, SortOrder: 4,
		State: StatePublished, Version: 2}
	lesson := func(slug, md string, minutes int) Lesson {
		return Lesson{ID: "id-" + slug, Slug: slug, Title: strings.ToUpper(slug), Minutes: minutes, Markdown: md}
	}
	tests := []struct {
		name       string
		lessons    []Lesson
		by         string
		wantFields []string
	}{
		{"no lessons", nil, "", []string{"lessons"}},
		{"empty lessons are each named", []Lesson{lesson("a", "  \n", 3), lesson("b", "Text", 4), lesson("c", "", 5)}, "",
			[]string{"lessons.a.markdown", "lessons.c.markdown"}},
		{"imported", []Lesson{lesson("a", "## A\n\nText", 3), lesson("b", "Text", 4)}, "", nil},
		{"published by a user", []Lesson{lesson("a", "Text", 3)}, "user-1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := m.NextVersion(tt.lessons, NewRenderer(), nil, t0, tt.by)
			if tt.wantFields != nil {
				if !apperr.Is(err, apperr.Invalid) || !slices.Equal(fieldsOf(err), tt.wantFields) {
					t.Fatalf("err = %v (fields %v), want Invalid naming %v", err, fieldsOf(err), tt.wantFields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			minutes := 0
			for _, l := range tt.lessons {
				minutes += l.Minutes
			}
			if v.Version.Version != 3 || v.LessonCount != len(tt.lessons) || v.Minutes != minutes || !v.PublishedAt.Equal(t0) ||
				v.Slug != m.Slug || v.Title != m.Title || v.Access != m.Access || v.SortOrder != m.SortOrder || v.Competencies == nil {
				t.Errorf("version = %+v", v)
			}
			if (tt.by == "") != (v.PublishedBy == nil) || (v.PublishedBy != nil && *v.PublishedBy != tt.by) {
				t.Errorf("published by %v, want %q", v.PublishedBy, tt.by)
			}
			for i, l := range v.Lessons {
				src := tt.lessons[i]
				if l.ID != src.ID || l.Markdown == nil || *l.Markdown != src.Markdown || !strings.Contains(l.HTML, "Text") ||
					l.ETag != lessonETag(3, l.HTML) || l.ETag == lessonETag(2, l.HTML) {
					t.Errorf("lesson %d = %+v", i, l)
				}
			}
		})
	}
}

func TestModuleStates(t *testing.T) {
	tests := []struct {
		name       string
		from       Module
		do         func(*Module) error
		want       Module
		wantStatus string
		conflict   bool
	}{
		{"publishing a draft", Module{State: StateDraft, HasUnpublishedChanges: true},
			func(m *Module) error { m.Published(1); return nil },
			Module{State: StatePublished, Version: 1}, "published v1", false},
		{"publishing again", Module{State: StatePublished, Version: 3, HasUnpublishedChanges: true},
			func(m *Module) error { m.Published(4); return nil },
			Module{State: StatePublished, Version: 4}, "published v4", false},
		{"unpublishing keeps the changes mark", Module{State: StatePublished, Version: 2, HasUnpublishedChanges: true},
			(*Module).Unpublish, Module{State: StateUnpublished, Version: 2, HasUnpublishedChanges: true}, "unpublished", false},
		{"unpublishing twice", Module{State: StateUnpublished, Version: 2},
			(*Module).Unpublish, Module{State: StateUnpublished, Version: 2}, "unpublished", false},
		{"a draft has nothing to unpublish", Module{State: StateDraft, HasUnpublishedChanges: true},
			(*Module).Unpublish, Module{State: StateDraft, HasUnpublishedChanges: true}, "draft", true},
		{"republishing an unpublished module", Module{State: StateUnpublished, Version: 2},
			func(m *Module) error { m.Published(3); return nil },
			Module{State: StatePublished, Version: 3}, "published v3", false},
		{"an edit marks the drafts changed", Module{State: StatePublished, Version: 1},
			func(m *Module) error { m.Apply(ModuleInput{Title: ptr("New")}); return nil },
			Module{Title: "New", State: StatePublished, Version: 1, HasUnpublishedChanges: true}, "published v1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.from
			err := tt.do(&m)
			if tt.conflict != apperr.Is(err, apperr.Conflict) || !tt.conflict && err != nil {
				t.Fatalf("err = %v, want a conflict: %v", err, tt.conflict)
			}
			if m.State != tt.want.State || m.Version != tt.want.Version || m.HasUnpublishedChanges != tt.want.HasUnpublishedChanges ||
				m.Title != tt.want.Title || m.Status() != tt.wantStatus {
				t.Errorf("module = %+v (%s), want %+v (%s)", m, m.Status(), tt.want, tt.wantStatus)
			}
		})
	}
}

func TestApplySetsOnlyTheFieldsGiven(t *testing.T) {
	m := Module{Slug: "s", Title: "T", Summary: "S", Access: AccessFree, Competencies: []string{"self_awareness"}, SortOrder: 2}
	m.Apply(ModuleInput{Slug: ptr("other"), Access: ptr(AccessPremium), SortOrder: ptr(0)})
	if m.Slug != "s" || m.Title != "T" || m.Summary != "S" || m.Access != AccessPremium || m.SortOrder != 0 ||
		!slices.Equal(m.Competencies, []string{"self_awareness"}) || !m.HasUnpublishedChanges {
		t.Errorf("module = %+v", m)
	}
	l := Lesson{Slug: "a", Title: "A", Minutes: 3, Markdown: "x", Position: 1}
	l.Apply(LessonInput{Slug: ptr("b"), Minutes: ptr(7)})
	if !reflect.DeepEqual(l, Lesson{Slug: "b", Title: "A", Minutes: 7, Markdown: "x", Position: 1}) || !l.Live() {
		t.Errorf("lesson = %+v", l)
	}
	l.Delete(t0)
	if l.Live() || !l.DeletedAt.Equal(t0) {
		t.Errorf("deleted lesson = %+v", l)
	}
	src := ModuleSource{Title: "From files", Access: AccessFree, Order: 9, Hash: "h"}
	m.ApplySource(src)
	if m.Title != "From files" || m.Summary != "" || m.SortOrder != 9 || m.SourceHash != "h" || m.Competencies == nil {
		t.Errorf("module from source = %+v", m)
	}
}

func TestSyncLessons(t *testing.T) {
	deleted := t0.Add(-time.Hour)
	existing := []Lesson{
		{ID: "1", Slug: "kept", Title: "Old", Minutes: 1, Position: 1},
		{ID: "2", Slug: "revived", Title: "Old", Minutes: 1, Position: 2, DeletedAt: &deleted},
		{ID: "3", Slug: "dropped", Title: "Old", Minutes: 1, Position: 3},
		{ID: "4", Slug: "long-gone", Title: "Old", Minutes: 1, Position: 4, DeletedAt: &deleted},
	}
	srcs := []LessonSource{
		{Slug: "new", Title: "New", Minutes: 5, Markdown: "n", Position: 1},
		{Slug: "kept", Title: "Kept", Minutes: 6, Markdown: "k", Position: 2},
		{Slug: "revived", Title: "Back", Minutes: 7, Markdown: "r", Position: 3},
	}
	got := syncLessons("m", existing, srcs, t0)
	want := []Lesson{
		{ModuleID: "m", Slug: "new", Title: "New", Minutes: 5, Markdown: "n", Position: 1},
		{ID: "1", Slug: "kept", Title: "Kept", Minutes: 6, Markdown: "k", Position: 2},
		{ID: "2", Slug: "revived", Title: "Back", Minutes: 7, Markdown: "r", Position: 3},
		{ID: "3", Slug: "dropped", Title: "Old", Minutes: 1, Position: 3, DeletedAt: &t0},
	}
	if len(got) != len(want) {
		t.Fatalf("writes = %+v", got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.ModuleID != w.ModuleID && w.ModuleID != "" || g.Slug != w.Slug || g.Title != w.Title ||
			g.Minutes != w.Minutes || g.Markdown != w.Markdown || g.Position != w.Position || g.Live() != w.Live() ||
			(!g.Live() && !g.DeletedAt.Equal(*w.DeletedAt)) {
			t.Errorf("write %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestProgressOf(t *testing.T) {
	tests := []struct{ completed, lessons, want int }{
		{0, 4, 0}, {1, 4, 25}, {2, 3, 66}, {4, 4, 100}, {5, 4, 100}, {0, 0, 0},
	}
	for _, tt := range tests {
		if p := progressOf(tt.completed, tt.lessons); p.Percent != tt.want || p.CompletedLessons != tt.completed {
			t.Errorf("progressOf(%d, %d) = %+v, want %d%%", tt.completed, tt.lessons, p, tt.want)
		}
	}
}
