package assess

import (
	"context"
	"io/fs"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// ImportReport lists the imported instruments and the content errors of those left out.
type ImportReport struct {
	Instruments []ingest.Result
	Errors      ContentErrors
}

// ImportInstruments loads assessments/*.yaml from fsys (the embedded content.FS or os.DirFS of a
// content folder). It is idempotent: an instrument whose definition is unchanged gets no new
// version; a changed one gets the next version, which new attempts start on (attempts already
// started keep scoring against theirs). A file with any error imports nothing; others still do.
func (s *Service) ImportInstruments(ctx context.Context, fsys fs.FS) (ImportReport, error) {
	res, problems, err := instrumentFiles.Import(ctx, fsys, s.importInstrument)
	return ImportReport{Instruments: res, Errors: problems}, err
}

// importInstrument applies one file in a transaction with the instrument row locked, so two
// imports of it never both add a version.
func (s *Service) importInstrument(ctx context.Context, src InstrumentSource) (ingest.Result, error) {
	def := src.Instrument
	var res ingest.Result
	err := s.store.Tx(ctx, func(st *Store) error {
		if err := st.CreateInstrumentIfNew(ctx, def.Slug, def.Title); err != nil {
			return err
		}
		head, err := st.LockInstrument(ctx, def.Slug)
		if err != nil {
			return err
		}
		res = ingest.Stored{New: head.Version == 0, Version: head.Version, Hash: head.Hash}.Plan(def.Slug, src.Hash)
		if !res.Changed() {
			return nil
		}
		return st.CreateVersion(ctx, head.ID, res.Version, src.Hash, &def, s.Now().UTC())
	})
	// This process reads the new version at once; others when the commit's notification arrives.
	s.currentsCache.drop()
	return res, err
}
