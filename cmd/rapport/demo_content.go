package main

import (
	"context"
	"fmt"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/app"
)

// importEmbeddedContent loads the curriculum embedded in the binary; unchanged modules are left
// alone, so running it on every `make run` is cheap.
func importEmbeddedContent(ctx context.Context, a *app.App, e *env) error {
	rep, err := a.Catalog.Import(ctx, content.FS)
	printImport(e, rep, "content")
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("demo: %d problem(s) in the embedded content", len(rep.Errors))
	}
	if err := importInstruments(ctx, e, a.DB, content.FS, "content"); err != nil {
		return err
	}
	return importPractice(ctx, e, a.PracticeImporter, content.FS, "content")
}
