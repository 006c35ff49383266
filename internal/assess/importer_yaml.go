package assess

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

// ContentError is one problem in a content file (file:line: field: message).
type ContentError = srcerr.Error

// ContentErrors lists every problem found in the content files.
type ContentErrors = srcerr.List

// parser walks YAML nodes and collects errors with their lines.
type parser struct {
	file string
	errs ContentErrors
}

func (p *parser) add(line int, field, msg string) {
	p.errs = append(p.errs, ContentError{File: p.file, Line: line, Field: field, Message: msg})
}

// mapping returns the key → value nodes of a mapping node, reporting unknown and repeated keys.
func (p *parser) mapping(n *yaml.Node, field string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		if field == "" {
			field = "yaml"
		}
		p.add(n.Line, field, "must be a mapping of field: value")
		return nil
	}
	prefix := ""
	if field != "" {
		prefix = field + "."
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(known, k.Value):
			p.add(k.Line, prefix+k.Value, "is not a known field (known: "+strings.Join(known, ", ")+")")
		case out[k.Value] != nil:
			p.add(k.Line, prefix+k.Value, "is given twice")
		default:
			out[k.Value] = v
		}
	}
	return out
}

// str returns a scalar field's trimmed text, reporting a missing required or non-scalar field.
func (p *parser) str(m map[string]*yaml.Node, key, field string, line int, required bool) string {
	v := m[key]
	if v == nil {
		if required {
			p.add(line, field, "is required")
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		p.add(v.Line, field, "must be a single value")
		return ""
	}
	s := ""
	if v.Tag != "!!null" {
		s = strings.TrimSpace(v.Value)
	}
	if s == "" && required {
		p.add(v.Line, field, "is required")
	}
	return s
}

func (p *parser) maxLen(m map[string]*yaml.Node, key, field, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		p.add(m[key].Line, field, fmt.Sprintf("must be at most %d characters", limit))
	}
}

// seq returns a required, non-empty list field's nodes.
func (p *parser) seq(m map[string]*yaml.Node, key, field string, line int) []*yaml.Node {
	v := m[key]
	switch {
	case v == nil:
		p.add(line, field, "is required")
		return nil
	case v.Kind != yaml.SequenceNode:
		p.add(v.Line, field, "must be a list")
		return nil
	case len(v.Content) == 0:
		p.add(v.Line, field, "must not be empty")
	}
	return v.Content
}
