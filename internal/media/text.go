package media

import (
	"bytes"
	"unicode/utf8"
)

// isText reports whether data is UTF-8 text without NUL bytes (a WebVTT file).
func isText(data []byte) bool {
	return utf8.Valid(data) && !bytes.ContainsRune(data, 0)
}
