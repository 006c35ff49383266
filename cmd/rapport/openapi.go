package main

import (
	"io"

	"github.com/rapport-hq/rapport/internal/app/openapi"
)

// cmdOpenAPI prints the contract exactly as a production server serves it at
// /api/v1/openapi.json (without the test-only operations). The web app's TypeScript types are
// generated from this output (`make api-types`), so they can never describe a route production
// lacks. It needs no configuration or database, like `version`.
func cmdOpenAPI(stdout io.Writer) error {
	doc, err := openapi.Render(false)
	if err != nil {
		return err
	}
	_, err = stdout.Write(doc.JSON)
	return err
}
