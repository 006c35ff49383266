package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
	"github.com/rapport-hq/rapport/internal/practice"
	"github.com/rapport-hq/rapport/migrations"
)

// cmdContent runs `rapport content import [DIR]`: it loads the curriculum from DIR (default: the
// copy embedded in the binary) and publishes every module whose files changed.
func cmdContent(ctx context.Context, e *env) error {
	if len(e.args) == 0 || e.args[0] != "import" || len(e.args) > 2 {
		return errors.New("usage: rapport content import [DIR]")
	}
	var fsys fs.FS = content.FS
	root := "content"
	if len(e.args) == 2 {
		root = e.args[1]
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			return fmt.Errorf("content import: %s is not a directory", root)
		}
		fsys = os.DirFS(root)
	}
	d, err := db.Open(ctx, e.cfg.DatabaseURL, db.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer d.Close()
	wctx, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	if err := d.WaitReady(wctx); err != nil {
		return err
	}
	if err := d.Migrate(ctx, migrations.FS); err != nil {
		return err
	}
	// Module folders may ship media: the importer stores them in the media library.
	cat, err := app.ContentImporter(ctx, e.cfg, d, e.log)
	if err != nil {
		return err
	}
	rep, err := cat.Import(ctx, fsys)
	printImport(e, rep, root)
	if err != nil {
		return err
	}
	if err := importInstruments(ctx, e, d, fsys, root); err != nil {
		return err
	}
	pim, err := app.ContentPracticeImporter(ctx, e.cfg, d, e.log)
	if err != nil {
		return err
	}
	if err := importPractice(ctx, e, pim, fsys, root); err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("content import: %d problem(s) found; the modules concerned were not imported", len(rep.Errors))
	}
	return nil
}

func printImport(e *env, rep catalog.ImportReport, root string) {
	for _, m := range rep.Modules {
		status := m.Status
		if m.Status != ingest.Unchanged {
			status = fmt.Sprintf("%s v%d", m.Status, m.Version)
		}
		fmt.Fprintf(e.stdout, "%-40s %s\n", m.Slug, status)
	}
	for _, ce := range rep.Errors {
		ce.File = filepath.FromSlash(path.Join(filepath.ToSlash(root), ce.File))
		fmt.Fprintln(e.stdout, "error:", ce.Error())
	}
}

// importInstruments loads the assessments (assessments/*.yaml) of the same tree, printing each
// instrument's outcome; unchanged instruments get no new version.
func importInstruments(ctx context.Context, e *env, d *db.DB, fsys fs.FS, root string) error {
	rep, err := assess.NewService(assess.Deps{DB: d, Completions: assess.NoCompletions{}}).ImportInstruments(ctx, fsys)
	for _, in := range rep.Instruments {
		status := in.Status
		if in.Status != ingest.Unchanged {
			status = fmt.Sprintf("%s v%d", in.Status, in.Version)
		}
		fmt.Fprintf(e.stdout, "%-40s %s\n", "assessment "+in.Slug, status)
	}
	for _, ce := range rep.Errors {
		ce.File = filepath.FromSlash(path.Join(filepath.ToSlash(root), ce.File))
		fmt.Fprintln(e.stdout, "error:", ce.Error())
	}
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("content import: %d problem(s) found; the assessments concerned were not imported", len(rep.Errors))
	}
	return nil
}

// importPractice loads the practice activities (practice/*.yaml) of the same tree, printing each
// activity's outcome; unchanged activities are left alone.
func importPractice(ctx context.Context, e *env, im *practice.Importer, fsys fs.FS, root string) error {
	rep, err := im.Import(ctx, fsys)
	for _, a := range rep.Activities {
		fmt.Fprintf(e.stdout, "%-40s %s\n", "practice "+a.Slug, a.Status)
	}
	for _, ce := range rep.Errors {
		ce.File = filepath.FromSlash(path.Join(filepath.ToSlash(root), ce.File))
		fmt.Fprintln(e.stdout, "error:", ce.Error())
	}
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("content import: %d problem(s) found; the practice activities concerned were not imported", len(rep.Errors))
	}
	return nil
}
