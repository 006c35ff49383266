// Package srcerr describes problems found in content source files (curriculum Markdown, module
// and instrument YAML) the way editors and CI link to them: file:line: field: message.
package srcerr

import (
	"strconv"
	"strings"
)

// Error is one problem in a content file.
type Error struct {
	File    string
	Line    int
	Field   string
	Message string
}

// Error formats the problem as "file:line: field: message".
func (e Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	return loc + ": " + e.Field + ": " + e.Message
}

// List is every problem found in a content tree.
type List []Error

// Error lists every problem, one per line.
func (l List) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}
