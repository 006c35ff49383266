// Package content embeds the shipped curriculum (modules/), assessments (assessments/) and
// practice activities (practice/), so `rapport content import` works from the binary alone.
package content

import "embed"

// FS holds modules/<NN>-<slug>/ (module.yaml and NN-slug.md lessons), assessments/*.yaml and
// practice/*.yaml (with practice/media/).
//
//go:embed modules assessments practice
var FS embed.FS
