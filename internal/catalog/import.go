package catalog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// ImportReport lists the imported modules and the content errors of those left out.
type ImportReport struct {
	Modules []ingest.Result
	Errors  ContentErrors
}

// Import loads a content tree (modules/<NN>-<slug>/...) into the catalog. It is idempotent: a
// module whose files are unchanged is left alone; a changed one has its drafts replaced by the
// files (lessons missing from the folder are soft-deleted) and is published as a new version.
// A module with any content error imports nothing; the others still import.
func (s *Service) Import(ctx context.Context, fsys fs.FS) (ImportReport, error) {
	var mediaErrs ContentErrors
	res, problems, err := moduleDirs.Import(ctx, fsys, func(ctx context.Context, src ModuleSource) (ingest.Result, error) {
		r, errs, err := s.importModule(ctx, src)
		mediaErrs = append(mediaErrs, errs...)
		return r, err
	})
	// A module whose media the library refused imports nothing, like any module with an error.
	kept := res[:0]
	for _, r := range res {
		if r.Slug != "" {
			kept = append(kept, r)
		}
	}
	return ImportReport{Modules: kept, Errors: append(problems, mediaErrs...)}, err
}

// importModule applies one module folder in a single transaction with the module row locked, so
// two imports (or an import and a studio publish) never interleave. A changed module's media
// files are stored first (outside the transaction: the library is another domain, and storing the
// same bytes again changes nothing); problems with them are returned as content errors.
func (s *Service) importModule(ctx context.Context, src ModuleSource) (ingest.Result, ContentErrors, error) {
	if len(src.Media) > 0 {
		stored, err := s.store.StoredSourceHash(ctx, src.Slug)
		if err != nil {
			return ingest.Result{}, nil, err
		}
		if stored != src.Hash {
			if errs, err := s.importModuleMedia(ctx, src); err != nil || len(errs) > 0 {
				return ingest.Result{}, errs, err
			}
		}
	}
	var res ingest.Result
	err := s.writeTx(ctx, func(st *Store) error {
		created, err := st.CreateModuleIfNew(ctx, Module{Slug: src.Slug, Title: src.Title, Summary: src.Summary,
			Access: src.Access, Competencies: src.Competencies, SortOrder: src.Order, State: StateDraft, HasUnpublishedChanges: true})
		if err != nil {
			return err
		}
		m, err := st.LockModule(ctx, src.Slug)
		if err != nil {
			return err
		}
		res = ingest.Stored{New: created, Version: m.Version, Hash: m.SourceHash}.Plan(src.Slug, src.Hash)
		if !res.Changed() {
			return nil
		}
		m.ApplySource(src)
		if err := st.SaveModule(ctx, m); err != nil {
			return err
		}
		existing, err := st.FindAllLessons(ctx, m.ID)
		if err != nil {
			return err
		}
		for _, l := range syncLessons(m.ID, existing, src.Lessons, s.Now().UTC()) {
			if l.ID == "" {
				err = st.CreateLesson(ctx, &l)
			} else {
				err = st.SaveLesson(ctx, l)
			}
			if err != nil {
				return err
			}
			if err := st.SetLessonMedia(ctx, l.ID, s.renderer.Scan(l.Markdown).IDs()); err != nil {
				return err
			}
		}
		_, err = s.publish(ctx, st, m, "")
		return err
	})
	return res, nil, err
}

// importModuleMedia stores the module's media files in the library and writes the items' ids
// into its lessons' Markdown in place of the file names. A file the library refuses, or one a
// lesson shows in the wrong form, is a content error naming the file (and line).
func (s *Service) importModuleMedia(ctx context.Context, src ModuleSource) (ContentErrors, error) {
	byName := make(map[string]MediaRef, len(src.Media))
	ids := make(map[string]string, len(src.Media))
	var errs ContentErrors
	for _, f := range src.Media {
		title, alt := mediaDetails(src.Lessons, f.Name)
		ref, err := s.MediaImporter.ImportMedia(ctx, f.Name, f.Data, title, alt)
		if err != nil {
			var ae *apperr.Error
			if k := apperr.KindOf(err); k == apperr.Internal || k == apperr.Unavailable || !errors.As(err, &ae) {
				return nil, fmt.Errorf("store %s: %w", path.Join(src.Dir, "media", f.Name), err)
			}
			errs = append(errs, ContentError{File: path.Join(src.Dir, "media", f.Name), Field: "media", Message: problemText(ae)})
			continue
		}
		byName[f.Name], ids[f.Name] = ref, ref.ID
	}
	if len(errs) > 0 {
		return errs, nil
	}
	for i := range src.Lessons {
		l := &src.Lessons[i]
		for _, p := range l.Media.Check(byName, true) {
			errs = append(errs, ContentError{File: l.File, Line: l.MarkdownLine + p.Line - 1, Field: "body", Message: p.Message})
		}
		l.Markdown = ReplaceMediaIDs(l.Markdown, l.Media, ids)
	}
	return errs, nil
}

// problemText is an apperr's detail with its field messages, as one line.
func problemText(e *apperr.Error) string {
	parts := []string{e.Detail}
	for _, f := range e.Fields {
		parts = append(parts, f.Message)
	}
	return strings.Join(parts, " ")
}
