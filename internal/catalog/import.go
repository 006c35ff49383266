package catalog

import (
	"context"
	"io/fs"

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
	res, problems, err := moduleDirs.Import(ctx, fsys, s.importModule)
	return ImportReport{Modules: res, Errors: problems}, err
}

// importModule applies one module folder in a single transaction with the module row locked, so
// two imports (or an import and a studio publish) never interleave.
func (s *Service) importModule(ctx context.Context, src ModuleSource) (ingest.Result, error) {
	var res ingest.Result
	err := s.store.Tx(ctx, func(st *Store) error {
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
		}
		_, err = s.publish(ctx, st, m, "")
		return err
	})
	return res, err
}
