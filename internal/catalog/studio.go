package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// StudioModules lists every module, drafts included, with its state.
func (s *Service) StudioModules(ctx context.Context) ([]Module, error) {
	return s.store.FindModules(ctx)
}

// StudioModule returns a module's draft with its live lessons (Markdown included).
func (s *Service) StudioModule(ctx context.Context, slug string) (Module, []Lesson, error) {
	m, err := s.store.FindModuleBySlug(ctx, slug)
	if err != nil {
		return Module{}, nil, notFound(err, moduleNotFound)
	}
	lessons, err := s.store.FindLessons(ctx, m.ID)
	if err != nil {
		return Module{}, nil, err
	}
	m.LessonCount = len(lessons)
	return m, lessons, nil
}

// CreateModule creates a draft module.
func (s *Service) CreateModule(ctx context.Context, in ModuleInput) (Module, error) {
	if err := validateModule(&in, true); err != nil {
		return Module{}, err
	}
	order := deref(in.SortOrder)
	if in.SortOrder == nil {
		var err error
		if order, err = s.store.NextSortOrder(ctx); err != nil {
			return Module{}, err
		}
	}
	m := NewModule(in, order)
	if err := s.store.CreateModule(ctx, &m); err != nil {
		return Module{}, slugTaken(err)
	}
	return m, nil
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
	err := s.writeTx(ctx, func(st *Store) error {
		m, err := st.LockModule(ctx, slug)
		if err != nil {
			return notFound(err, moduleNotFound)
		}
		m.Apply(in)
		return st.SaveModule(ctx, m)
	})
	if err != nil {
		return Module{}, err
	}
	m, _, err := s.StudioModule(ctx, slug)
	return m, err
}

// DraftLesson returns one live lesson's draft.
func (s *Service) DraftLesson(ctx context.Context, moduleSlug, lessonSlug string) (Lesson, error) {
	m, err := s.store.FindModuleBySlug(ctx, moduleSlug)
	if err != nil {
		return Lesson{}, notFound(err, moduleNotFound)
	}
	return liveLesson(s.store.FindLessonBySlug(ctx, m.ID, lessonSlug))
}

// CreateLesson adds a lesson to a module's drafts. A slug that belonged to a deleted lesson
// revives that lesson, so its id (and learners' progress on it) comes back too.
func (s *Service) CreateLesson(ctx context.Context, moduleSlug string, in LessonInput) (Lesson, error) {
	if err := validateLesson(&in, true); err != nil {
		return Lesson{}, err
	}
	scan, _, err := s.checkDraftMedia(ctx, "markdown", deref(in.Markdown))
	if err != nil {
		return Lesson{}, err
	}
	err = s.writeTx(ctx, func(st *Store) error {
		m, err := st.LockModule(ctx, moduleSlug)
		if err != nil {
			return notFound(err, moduleNotFound)
		}
		pos := deref(in.Position)
		if in.Position == nil {
			if pos, err = st.NextLessonPosition(ctx, m.ID); err != nil {
				return err
			}
		}
		l := NewLesson(m.ID, in, pos)
		if err := checkIDsFree(ctx, st, "", in.Checks); err != nil {
			return err
		}
		old, err := st.FindLessonBySlug(ctx, m.ID, l.Slug)
		switch {
		case err == nil && old.Live():
			return lessonSlugTaken(nil)
		case err == nil:
			l.ID = old.ID
			err = st.SaveLesson(ctx, l)
		case apperr.Is(err, apperr.NotFound):
			err = st.CreateLesson(ctx, &l)
		}
		if err != nil {
			return err
		}
		if err := st.SetLessonMedia(ctx, l.ID, scan.IDs()); err != nil {
			return err
		}
		m.Touch()
		return st.SaveModule(ctx, m)
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.DraftLesson(ctx, moduleSlug, *in.Slug)
}

// UpdateLesson changes a lesson's draft; learners see it after the next publish.
func (s *Service) UpdateLesson(ctx context.Context, moduleSlug, lessonSlug string, in LessonInput) (Lesson, error) {
	if err := validateLesson(&in, false); err != nil {
		return Lesson{}, err
	}
	var scan MediaScan
	if in.Markdown != nil {
		var err error
		if scan, _, err = s.checkDraftMedia(ctx, "markdown", *in.Markdown); err != nil {
			return Lesson{}, err
		}
	}
	var out string
	err := s.editLesson(ctx, moduleSlug, lessonSlug, func(st *Store, l Lesson) error {
		if err := checkIDsFree(ctx, st, l.ID, in.Checks); err != nil {
			return err
		}
		l.Apply(in)
		out = l.Slug
		if err := st.SaveLesson(ctx, l); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return lessonSlugTaken(err)
			}
			return err
		}
		if in.Markdown == nil {
			return nil
		}
		return st.SetLessonMedia(ctx, l.ID, scan.IDs())
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.DraftLesson(ctx, moduleSlug, out)
}

// DeleteLesson soft-deletes a lesson: it leaves the drafts (and the next version) but keeps its id.
func (s *Service) DeleteLesson(ctx context.Context, moduleSlug, lessonSlug string) error {
	return s.editLesson(ctx, moduleSlug, lessonSlug, func(st *Store, l Lesson) error {
		l.Delete(s.Now().UTC())
		return st.SaveLesson(ctx, l)
	})
}

// editLesson runs fn on a live lesson with its module locked, then marks the drafts changed.
func (s *Service) editLesson(ctx context.Context, moduleSlug, lessonSlug string, fn func(*Store, Lesson) error) error {
	return s.writeTx(ctx, func(st *Store) error {
		m, err := st.LockModule(ctx, moduleSlug)
		if err != nil {
			return notFound(err, moduleNotFound)
		}
		l, err := liveLesson(st.FindLessonBySlug(ctx, m.ID, lessonSlug))
		if err != nil {
			return err
		}
		if err := fn(st, l); err != nil {
			return err
		}
		m.Touch()
		return st.SaveModule(ctx, m)
	})
}

// Publish snapshots every live lesson of the module, rendered and sanitised, into a new immutable
// version that learners read from now on. by is the publishing user's id ("" for imports).
func (s *Service) Publish(ctx context.Context, slug, by string) (int, error) {
	var version int
	err := s.writeTx(ctx, func(st *Store) error {
		m, err := st.LockModule(ctx, slug)
		if err != nil {
			return notFound(err, moduleNotFound)
		}
		version, err = s.publish(ctx, st, m, by)
		return err
	})
	return version, err
}

// publish publishes m, which the caller has locked in st's transaction.
func (s *Service) publish(ctx context.Context, st *Store, m Module, by string) (int, error) {
	lessons, err := st.FindLessons(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	// Media are looked up once for the whole module; NextVersion checks each lesson's references.
	scans := make([]MediaScan, len(lessons))
	for i, l := range lessons {
		scans[i] = s.renderer.Scan(l.Markdown)
	}
	media, err := s.lookupMedia(ctx, scans...)
	if err != nil {
		return 0, err
	}
	v, err := m.NextVersion(lessons, s.renderer, media, s.Now().UTC(), by)
	if err != nil {
		return 0, err
	}
	if err := st.CreateVersion(ctx, m.ID, v); err != nil {
		return 0, err
	}
	m.Published(v.Version.Version)
	return m.Version, st.SaveModule(ctx, m)
}

// Unpublish hides a published module from learners. Its versions and lesson ids stay.
func (s *Service) Unpublish(ctx context.Context, slug string) error {
	return s.writeTx(ctx, func(st *Store) error {
		m, err := st.LockModule(ctx, slug)
		if err != nil {
			return notFound(err, moduleNotFound)
		}
		if err := m.Unpublish(); err != nil {
			return err
		}
		return st.SaveModule(ctx, m)
	})
}

// Versions lists a module's published versions, newest first.
func (s *Service) Versions(ctx context.Context, slug string) ([]Version, error) {
	m, err := s.store.FindModuleBySlug(ctx, slug)
	if err != nil {
		return nil, notFound(err, moduleNotFound)
	}
	return s.store.FindVersions(ctx, m.ID)
}

// VersionDetail reads one published version of a module as learners saw it: its module fields and
// every lesson with its rendered HTML and, when kept, its Markdown (three queries).
func (s *Service) VersionDetail(ctx context.Context, slug string, version int) (VersionDetail, error) {
	m, err := s.store.FindModuleBySlug(ctx, slug)
	if err != nil {
		return VersionDetail{}, notFound(err, "There is no module with this address.")
	}
	v, err := s.store.FindVersion(ctx, m.ID, version)
	return v, notFound(err, fmt.Sprintf("This module has no published version %d.", version))
}

// checkIDsFree refuses checks whose id another live lesson's drafts use: an id names one check in
// the whole course, since answers and review schedules refer to it. The caller holds the module's
// lock; lessons of other modules are edited under their own, and the importer checks the content
// tree as a whole.
func checkIDsFree(ctx context.Context, st *Store, lessonID string, cs *[]Check) error {
	if cs == nil {
		return nil
	}
	ids := make([]string, len(*cs))
	for i, c := range *cs {
		ids[i] = c.ID
	}
	taken, err := st.CheckIDsElsewhere(ctx, lessonID, ids)
	if err != nil || len(taken) == 0 {
		return err
	}
	var errs apperr.Fields
	for i, id := range ids {
		if slices.Contains(taken, id) {
			errs.Add(fmt.Sprintf("checks[%d].id", i), fmt.Sprintf("Another lesson already has a check with the id %q. Check ids are unique across the course; choose another.", id))
		}
	}
	return errs.Err()
}

const (
	moduleNotFound = "We couldn’t find that module. It may have been renamed or unpublished."
	lessonNotFound = "We couldn’t find that lesson. It may have been renamed or removed."
)

// liveLesson passes on a lesson found by slug unless it is deleted, which is NotFound like a
// missing one.
func liveLesson(l Lesson, err error) (Lesson, error) {
	if err == nil && !l.Live() {
		err = apperr.New(apperr.NotFound, lessonNotFound)
	}
	if err != nil {
		return Lesson{}, notFound(err, lessonNotFound)
	}
	return l, nil
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
