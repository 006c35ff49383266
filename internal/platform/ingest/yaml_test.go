package ingest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// problems formats a reader's problems as "line field: message" lines.
func problems(r *ingest.Reader) string {
	var out []string
	for _, e := range r.Errs {
		out = append(out, e.Error())
	}
	return strings.Join(out, "\n")
}

func TestReaderFields(t *testing.T) {
	tests := []struct {
		name   string
		offset int
		yaml   string
		wantA  string // a, a required single value
		wantN  string // n, an optional whole number, with its line ("" when absent or invalid)
		want   string // the problems
	}{
		{"valid, value trimmed", 0, "a: '  x  '\nn: 12\n", "x", "12@2", ""},
		{"unknown and repeated keys", 0, "a: x\nb: 2\na: 3\n", "x", "",
			"f.yaml:2: b: is not a known field (known: a, n)\nf.yaml:3: a: is given twice"},
		{"lines shift by the offset", 1, "a: x\nzz: 2\n", "x", "", "f.yaml:3: zz: is not a known field (known: a, n)"},
		{"a required field is missing", 0, "n: 1\n", "", "1@1", "f.yaml:1: a: is required"},
		{"a list where one value belongs", 0, "a: [x, y]\n", "", "", "f.yaml:1: a: must be a single value"},
		{"not a whole number", 0, "a: x\nn: twelve\n", "x", "", "f.yaml:2: n: must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &ingest.Reader{File: "f.yaml", Offset: tt.offset}
			root, ok := r.Document([]byte(tt.yaml))
			if !ok || root == nil {
				t.Fatalf("Document: %v", problems(r))
			}
			kv := r.Mapping(root, "", "a", "n")
			a, _ := r.Str(kv, "a", "a", root.Line, true)
			n := ""
			if v, line, ok := r.Int(kv, "n", "n", root.Line); ok {
				n = fmt.Sprintf("%d@%d", v, line)
			}
			if got := problems(r); a != tt.wantA || n != tt.wantN || got != tt.want {
				t.Errorf("a = %q, n = %q, problems:\n%s\nwant %q, %q:\n%s", a, n, got, tt.wantA, tt.wantN, tt.want)
			}
		})
	}
}

func TestReaderDocument(t *testing.T) {
	tests := []struct {
		name     string
		offset   int
		yaml     string
		wantOK   bool
		wantRoot bool
		want     string
	}{
		{"empty", 0, "", true, false, ""},
		{"comment only", 0, "# nothing\n", true, false, ""},
		{"syntax error at its line", 0, "a: 1\nb: 2\n  c: 3\n", false, false, "f.yaml:3: yaml: line 3: mapping values"},
		{"syntax error shifted", 1, "a: 1\nb: 2\n  c: 3\n", false, false, "f.yaml:4: yaml: line 3: mapping values"},
		{"a list is no mapping", 0, "- a\n- b\n", true, true, "f.yaml:1: yaml: must be a mapping of field: value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &ingest.Reader{File: "f.yaml", Offset: tt.offset}
			root, ok := r.Document([]byte(tt.yaml))
			if ok != tt.wantOK || (root != nil) != tt.wantRoot {
				t.Fatalf("ok = %v, root = %v", ok, root)
			}
			if root != nil && r.Mapping(root, "", "a") != nil {
				t.Error("a list read as a mapping")
			}
			if got := problems(r); !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
				t.Errorf("problems = %q, want prefix %q", got, tt.want)
			}
		})
	}
}

func TestMappingNamesNestedFields(t *testing.T) {
	r := &ingest.Reader{File: "f.yaml"}
	root, _ := r.Document([]byte("items:\n  - {id: a, colour: red}\n  - plain\n"))
	seq := r.Mapping(root, "", "items")["items"].Content
	r.Mapping(seq[0], "items[0]", "id")
	r.Mapping(seq[1], "items[1]", "id")
	want := "f.yaml:2: items[0].colour: is not a known field (known: id)\nf.yaml:3: items[1]: must be a mapping of field: value"
	if got := problems(r); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
}

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		ok       bool
		fm, body string
		bodyLine int
	}{
		{"plain", "---\na: 1\nb: 2\n---\nBody\n", true, "a: 1\nb: 2\n", "Body\n", 5},
		{"CRLF and a byte-order mark", "\xef\xbb\xbf---\r\na: 1\r\n---\r\nBody\r\n", true, "a: 1\n", "Body\n", 4},
		{"empty front matter", "---\n---\nBody", true, "", "Body", 3},
		{"closed at the end of the file", "---\na: 1\n---", true, "a: 1\n", "", 4},
		{"no front matter", "# Title\n", false, "", "", 0},
		{"never closed", "---\na: 1\n", false, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, line, ok := ingest.SplitFrontMatter([]byte(tt.data))
			if ok != tt.ok || string(fm) != tt.fm || body != tt.body || line != tt.bodyLine {
				t.Errorf("got (%q, %q, %d, %v), want (%q, %q, %d, %v)", fm, body, line, ok, tt.fm, tt.body, tt.bodyLine, tt.ok)
			}
		})
	}
}
