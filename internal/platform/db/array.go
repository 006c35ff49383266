package db

import (
	"database/sql/driver"
	"fmt"
	"strings"
)

// StringArray maps a PostgreSQL text[] to []string through database/sql (GORM's path).
type StringArray []string

// Value encodes the array literal, quoting every element.
func (a StringArray) Value() (driver.Value, error) {
	if a == nil {
		return "{}", nil
	}
	parts := make([]string, len(a))
	for i, s := range a {
		parts[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return "{" + strings.Join(parts, ",") + "}", nil
}

// Scan decodes a one-dimensional array literal such as {a,"b c"}.
func (a *StringArray) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("StringArray: cannot scan %T", src)
	}
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return fmt.Errorf("StringArray: malformed literal %q", s)
	}
	body := s[1 : len(s)-1]
	out := StringArray{}
	if body == "" {
		*a = out
		return nil
	}
	var cur strings.Builder
	quoted, escaped := false, false
	for _, r := range body {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	out = append(out, cur.String())
	*a = out
	return nil
}
