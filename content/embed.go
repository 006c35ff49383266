// Package content embeds the shipped curriculum (modules/) and assessments (assessments/), so
// `rapport content import` works from the binary alone.
package content

import "embed"

// FS holds modules/<NN>-<slug>/ (module.yaml and NN-slug.md lessons) and assessments/*.yaml.
//
//go:embed modules assessments
var FS embed.FS
