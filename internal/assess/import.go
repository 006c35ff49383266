package assess

import (
	"context"
	"fmt"
	"io/fs"

	"gorm.io/gorm"
)

// Import outcomes for one instrument.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportResult is what importing did to one instrument.
type ImportResult struct {
	Slug    string
	Status  string
	Version int
}

// ImportReport lists the imported instruments and the content errors of those left out.
type ImportReport struct {
	Instruments []ImportResult
	Errors      ContentErrors
}

// ImportInstruments loads assessments/*.yaml from fsys (the embedded content.FS or os.DirFS of a
// content folder). It is idempotent: an instrument whose definition is unchanged gets no new
// version; a changed one gets the next version, which new attempts start on (attempts already
// started keep scoring against theirs). A file with any error imports nothing; others still do.
func (s *Service) ImportInstruments(ctx context.Context, fsys fs.FS) (ImportReport, error) {
	srcs, cerrs, err := ParseInstruments(fsys)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{Errors: cerrs}
	for _, src := range srcs {
		r, err := s.importInstrument(ctx, src)
		if err != nil {
			return rep, fmt.Errorf("import %s: %w", src.File, err)
		}
		rep.Instruments = append(rep.Instruments, r)
	}
	return rep, nil
}

// importInstrument applies one file in a transaction with the instrument row locked, so two
// imports of it never both add a version.
func (s *Service) importInstrument(ctx context.Context, src InstrumentSource) (ImportResult, error) {
	def := src.Instrument
	res := ImportResult{Slug: def.Slug}
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.st.insertInstrumentIfNew(ctx, tx, &instrumentRow{Slug: def.Slug, Title: def.Title}); err != nil {
			return err
		}
		ins, err := s.st.lockInstrument(ctx, tx, def.Slug)
		if err != nil {
			return err
		}
		hash, err := s.st.findVersionHash(ctx, tx, ins.ID, ins.CurrentVersion)
		if err != nil {
			return err
		}
		if hash == src.Hash {
			res.Status, res.Version = ImportUnchanged, ins.CurrentVersion
			return nil
		}
		res.Status, res.Version = ImportUpdated, ins.CurrentVersion+1
		if ins.CurrentVersion == 0 {
			res.Status = ImportCreated
		}
		return s.st.createVersion(ctx, tx, versionRow{InstrumentID: ins.ID, Version: res.Version, ContentHash: src.Hash,
			Definition: string(encodeDefinition(&def)), ItemCount: len(def.Items), CreatedAt: s.Now().UTC()}, def.Title)
	})
	return res, err
}
