package assess

import (
	"fmt"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

// ContentError is one problem in a content file (file:line: field: message).
type ContentError = srcerr.Error

// ContentErrors lists every problem found in the content files.
type ContentErrors = srcerr.List

// parser reads an instrument file's YAML nodes and collects errors with their lines.
type parser struct{ ingest.Reader }

// str returns a scalar field's trimmed text, reporting a missing required or non-scalar field.
// A null or blank value counts as absent: an instrument's required texts must say something.
func (p *parser) str(m map[string]*yaml.Node, key, field string, line int, required bool) string {
	s, _ := p.Str(m, key, field, line, required)
	v := m[key]
	if v == nil || v.Kind != yaml.ScalarNode {
		return s
	}
	if v.Tag == "!!null" {
		s = ""
	}
	if s == "" && required {
		p.Add(v.Line, field, "is required")
	}
	return s
}

func (p *parser) maxLen(m map[string]*yaml.Node, key, field, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		p.Add(m[key].Line, field, fmt.Sprintf("must be at most %d characters", limit))
	}
}

// seq returns a required, non-empty list field's nodes.
func (p *parser) seq(m map[string]*yaml.Node, key, field string, line int) []*yaml.Node {
	v := m[key]
	switch {
	case v == nil:
		p.Add(line, field, "is required")
		return nil
	case v.Kind != yaml.SequenceNode:
		p.Add(v.Line, field, "must be a list")
		return nil
	case len(v.Content) == 0:
		p.Add(v.Line, field, "must not be empty")
	}
	return v.Content
}
