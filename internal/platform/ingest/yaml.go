package ingest

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

var yamlLineRE = regexp.MustCompile(`line ([0-9]+)`)

// Reader reads the YAML of one content file and collects its problems, each with the file line
// it is on, so an author can go straight to it.
type Reader struct {
	File string
	// Offset shifts YAML lines to file lines (front matter starts on the file's second line).
	Offset int
	Errs   srcerr.List
}

// Add reports a problem at a YAML line (0: the whole file, left unshifted).
func (r *Reader) Add(line int, field, msg string) {
	if line > 0 {
		line += r.Offset
	}
	r.Errs = append(r.Errs, srcerr.Error{File: r.File, Line: line, Field: field, Message: msg})
}

// Document parses data and returns the document's root node, nil when the document is empty. A
// syntax error is reported (field "yaml", at the line the parser names) and ok is false.
func (r *Reader) Document(data []byte) (root *yaml.Node, ok bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		r.Add(line, "yaml", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return doc.Content[0], true
}

// Mapping returns the key → value nodes of a mapping node, reporting a node that is no mapping
// and every unknown or repeated key. field prefixes the keys in problems ("" at the top).
func (r *Reader) Mapping(n *yaml.Node, field string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		if field == "" {
			field = "yaml"
		}
		r.Add(n.Line, field, "must be a mapping of field: value")
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
			r.Add(k.Line, prefix+k.Value, "is not a known field (known: "+strings.Join(known, ", ")+")")
		case out[k.Value] != nil:
			r.Add(k.Line, prefix+k.Value, "is given twice")
		default:
			out[k.Value] = v
		}
	}
	return out
}

// Str returns a single-value field's trimmed text and its line (line when the field is absent).
// A missing required field is reported at line, a list or mapping at its own line.
func (r *Reader) Str(m map[string]*yaml.Node, key, field string, line int, required bool) (string, int) {
	v := m[key]
	if v == nil {
		if required {
			r.Add(line, field, "is required")
		}
		return "", line
	}
	if v.Kind != yaml.ScalarNode {
		r.Add(v.Line, field, "must be a single value")
		return "", v.Line
	}
	return strings.TrimSpace(v.Value), v.Line
}

// Int returns a whole-number field and its line; ok is false when the field is absent or (then
// reported) not a whole number.
func (r *Reader) Int(m map[string]*yaml.Node, key, field string, line int) (n, at int, ok bool) {
	v := m[key]
	if v == nil {
		return 0, line, false
	}
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil {
		r.Add(v.Line, field, "must be a whole number")
		return 0, v.Line, false
	}
	return n, v.Line, true
}

// SplitFrontMatter separates a Markdown file written as "---\n<yaml>\n---\n<body>" (a byte-order
// mark and CRLF line ends allowed) and reports the file line the body starts on; ok is false
// when the file does not start with front matter closed by a --- line.
func SplitFrontMatter(data []byte) (fm []byte, body string, bodyLine int, ok bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, found := bytes.CutPrefix(data, []byte("---\n"))
	if !found {
		return nil, "", 0, false
	}
	var end int
	switch {
	case bytes.HasPrefix(rest, []byte("---\n")):
		end = 0
	default:
		i := bytes.Index(rest, []byte("\n---\n"))
		if i < 0 {
			if !bytes.HasSuffix(rest, []byte("\n---")) {
				return nil, "", 0, false
			}
			i = len(rest) - len("\n---")
			rest = append(rest, '\n')
		}
		end = i + 1
	}
	fm = rest[:end]
	bodyLine = 2 + bytes.Count(fm, []byte("\n")) + 1
	return fm, string(rest[end+len("---\n"):]), bodyLine, true
}
