package app_test

import (
	"crypto/rand"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The walk that turns a request schema (or a parameter) into boundary cases for
// TestContractLimits: every limit the document states becomes a just-inside and a just-outside
// value, set on a fixture's valid request.

// limitCase is one derived boundary case: a value set at a path of a base body (or a parameter),
// and whether the server must accept it or refuse it naming field.
type limitCase struct {
	what   string
	base   int
	path   []any // string keys and int indexes into the body; nil: the base as it is
	value  any
	param  *openapi3.Parameter // set for a query or header parameter case
	accept bool
	field  string
	status int // of a refusal: 422 unless the fixture says otherwise
}

// where names what a case changes: a body field, a parameter, or nothing (the base as it is).
func (c limitCase) where() string {
	switch {
	case c.param != nil:
		return c.param.In + " " + c.param.Name
	case c.path == nil:
		return "body"
	}
	return pathName(c.path)
}

// removed is the value of a case that leaves a field out; notUTF8 stands for text with a byte
// that is not UTF-8 (JSON cannot carry it, so it is spliced into the encoded body).
type removedValue struct{}

var removed = removedValue{}

const notUTF8 = "\uE000not-utf8\uE000"

// deriver collects the cases of one operation.
type deriver struct {
	t       *testing.T
	op      string
	refs    []string
	tooLong map[string]int
	cases   []limitCase
	seen    map[string]bool
}

// add keeps c unless an equal case (same place, same value) is kept already: a field several
// bases have is probed once.
func (d *deriver) add(c limitCase) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	key := fmt.Sprintf("%s|%s|%v", c.where(), c.what, c.accept)
	if d.seen[key] {
		return
	}
	d.seen[key] = true
	if !c.accept && c.status == 0 {
		c.status = 422
	}
	d.cases = append(d.cases, c)
}

// ref reports whether field's valid values point at something that exists, so its accepting
// cases are left to the bases (which carry real values).
func (d *deriver) ref(path []any) bool {
	name := indexes.ReplaceAllString(pathName(path), "")
	for _, r := range d.refs {
		if r == name {
			return true
		}
	}
	return false
}

var indexes = regexp.MustCompile(`\[\d+\]`)

func allBases(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// object derives the cases of an object schema at path, whose value in each base body is given
// (nil where a base does not have it). Each property is probed on every base that has it, and a
// property no base has on the first of them.
func (d *deriver) object(s *openapi3.Schema, path []any, values []map[string]any, bases []int) {
	s = flatten(s)
	if path == nil {
		for _, b := range bases {
			d.add(limitCase{what: fmt.Sprintf("fixture base %d as it is", b), base: b, accept: true})
		}
	}
	if has := s.AdditionalProperties.Has; has != nil && !*has {
		d.add(limitCase{what: "an unknown field", base: bases[0], path: appendPath(path, "unexpected_field"),
			value: true, field: pathName(appendPath(path, "unexpected_field"))})
	}
	props := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		props = append(props, name)
	}
	sort.Strings(props)
	for _, name := range props {
		p := appendPath(path, name)
		var on []int
		for i, b := range bases {
			if _, ok := values[i][name]; ok {
				on = append(on, b)
				if contains(s.Required, name) {
					d.add(limitCase{what: "left out (required)", base: b, path: p, value: removed, field: pathName(p)})
				}
				d.field(s.Properties[name].Value, p, values[i][name], b)
			}
		}
		if len(on) == 0 {
			if contains(s.Required, name) {
				d.t.Errorf("%s: no fixture base has the required field %s", d.op, pathName(p))
			}
			d.field(s.Properties[name].Value, p, nil, bases[0])
		}
	}
}

// field derives the cases of one value at path (cur: its value in the base, nil when absent).
func (d *deriver) field(s *openapi3.Schema, path []any, cur any, base int) {
	s = flatten(s)
	name := pathName(path)
	refuse := func(what string, v any) {
		d.add(limitCase{what: what, base: base, path: path, value: v, field: name})
	}
	accept := func(what string, v any) {
		if !d.ref(path) {
			d.add(limitCase{what: what, base: base, path: path, value: v, accept: true})
		}
	}
	if !s.Nullable {
		refuse("null (not nullable)", nil)
	}
	if len(s.AnyOf) > 0 {
		var types []string
		var branch *openapi3.Schema
		for _, b := range s.AnyOf {
			bs := flatten(b.Value)
			types = append(types, bs.Type.Slice()...)
			if cur != nil && bs.Type.Is(jsonKind(cur)) || jsonKind(cur) == "integer" && bs.Type.Is("number") {
				branch = bs
			}
		}
		for _, v := range []any{true, "text", 1.5, []any{}, map[string]any{}} {
			if !contains(types, jsonKind(v)) && !(jsonKind(v) == "integer" && contains(types, "number")) {
				refuse(fmt.Sprintf("%s (none of %v)", jsonKind(v), types), v)
				break
			}
		}
		if branch != nil {
			d.limits(branch, path, cur, base, refuse, accept)
		}
		return
	}
	for _, v := range []any{"text", 12345, true, []any{"x"}} {
		if !s.Type.Permits(jsonKind(v)) && !(jsonKind(v) == "integer" && s.Type.Permits("number")) {
			refuse(fmt.Sprintf("a wrong type (%s)", jsonKind(v)), v)
			break
		}
	}
	d.limits(s, path, cur, base, refuse, accept)
}

// limits derives the cases of a schema's own limits (type, length, range, enum, pattern, format,
// items).
func (d *deriver) limits(s *openapi3.Schema, path []any, cur any, base int, refuse, accept func(string, any)) {
	switch {
	case s.Type.Is("string"):
		refuse("text that is not UTF-8", notUTF8)
		for _, e := range s.Enum {
			accept(fmt.Sprintf("%q (listed)", e), e)
		}
		if len(s.Enum) > 0 {
			refuse("a value not listed", "not-a-listed-value")
		}
		if bad, ok := badFormat[s.Format]; ok {
			refuse("empty (format "+s.Format+")", "")
			refuse("not a "+s.Format, bad)
		}
		if s.MinLength > 0 {
			refuse(fmt.Sprintf("%d characters (minLength %d)", s.MinLength-1, s.MinLength), d.text(s, int(s.MinLength)-1))
			accept(fmt.Sprintf("%d characters (minLength)", s.MinLength), d.text(s, int(s.MinLength)))
		}
		tooLong := func(what string, v string) {
			if st := d.tooLong[pathName(path)]; st != 0 {
				d.add(limitCase{what: what, base: base, path: path, value: v, field: pathName(path), status: st})
			} else {
				refuse(what, v)
			}
		}
		if s.MaxLength != nil {
			m := int(*s.MaxLength)
			accept(fmt.Sprintf("%d characters (maxLength)", m), d.text(s, m))
			tooLong(fmt.Sprintf("%d characters (maxLength %d)", m+1, m), d.text(s, m+1))
		}
		if b, ok := maxBytes(s); ok {
			// Two-byte letters: the cap in bytes bites before the one in characters.
			accept(fmt.Sprintf("%d two-byte characters (x-max-bytes %d)", b/2, b), strings.Repeat("é", b/2))
			tooLong(fmt.Sprintf("%d two-byte characters (x-max-bytes %d)", b/2+1, b), strings.Repeat("é", b/2+1))
		}
		if s.Pattern != "" {
			refuse("not matching "+s.Pattern, patternViolation(d.t, s))
		}
	case s.Type.Is("integer") || s.Type.Is("number"):
		if s.Type.Is("integer") {
			refuse("a fraction", 1.5)
		}
		bounds(s, refuse, accept)
	case s.Type.Is("array"):
		d.array(s, path, cur, base, refuse, accept)
	case s.Type.Is("object"):
		var values map[string]any
		if m, ok := cur.(map[string]any); ok {
			values = m
		}
		d.object(s, path, []map[string]any{values}, []int{base})
	}
}

// bounds derives the cases of a number's minimum and maximum.
func bounds(s *openapi3.Schema, refuse, accept func(string, any)) {
	if s.Min != nil {
		accept(fmt.Sprintf("%v (minimum)", *s.Min), *s.Min)
		refuse(fmt.Sprintf("%v (minimum %v)", *s.Min-1, *s.Min), *s.Min-1)
	}
	if s.Max != nil {
		accept(fmt.Sprintf("%v (maximum)", *s.Max), *s.Max)
		refuse(fmt.Sprintf("%v (maximum %v)", *s.Max+1, *s.Max), *s.Max+1)
	}
}

// array derives the cases of a list: its item count and uniqueness, on copies of the base's first
// item, and its items' own limits on that first item.
func (d *deriver) array(s *openapi3.Schema, path []any, cur any, base int, refuse, accept func(string, any)) {
	list, _ := cur.([]any)
	limited := s.MinItems > 0 || s.MaxItems != nil || s.UniqueItems || s.Items != nil
	if len(list) == 0 {
		if limited {
			d.t.Errorf("%s: a fixture base needs a non-empty %s to probe its items", d.op, pathName(path))
		}
		return
	}
	copies := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = list[0]
		}
		return out
	}
	if s.MinItems > 0 {
		refuse(fmt.Sprintf("%d items (minItems %d)", s.MinItems-1, s.MinItems), copies(int(s.MinItems)-1))
		// Copies of one item are a duplicate, so a list of unique items is accepted by the bases.
		if !s.UniqueItems || s.MinItems < 2 {
			accept(fmt.Sprintf("%d items (minItems)", s.MinItems), copies(int(s.MinItems)))
		}
	}
	if s.MaxItems != nil {
		m := int(*s.MaxItems)
		if !s.UniqueItems {
			accept(fmt.Sprintf("%d items (maxItems)", m), copies(m))
		}
		refuse(fmt.Sprintf("%d items (maxItems %d)", m+1, m), copies(m+1))
	}
	if s.UniqueItems {
		refuse("an item listed twice (uniqueItems)", copies(2))
	}
	if s.Items != nil {
		d.field(s.Items.Value, appendPath(path, 0), list[0], base)
	}
}

// badFormat is a value that is not of each format the document uses.
var badFormat = map[string]string{"email": "not-an-email", "uuid": "not-a-uuid", "date-time": "next tuesday"}

// text is n characters that satisfy s's pattern and format: a two-byte letter where the pattern
// allows and the field has no cap in bytes (so a server counting bytes where the document counts
// characters shows), else random lower-case ASCII letters (unique, for slugs and addresses).
func (d *deriver) text(s *openapi3.Schema, n int) string {
	if n <= 0 {
		return ""
	}
	switch s.Format {
	case "":
	case "email":
		const domain = "@example.com"
		if n > len(domain) {
			return letters(n-len(domain)) + domain
		}
		d.t.Errorf("%s: no e-mail address has %d characters", d.op, n)
		return ""
	default:
		d.t.Errorf("%s: cannot make text of %d characters in format %s", d.op, n, s.Format)
		return ""
	}
	for _, v := range []string{strings.Repeat("é", n), letters(n)} {
		if _, capped := maxBytes(s); capped && len(v) > n {
			continue // n characters within a cap in bytes: one byte each
		}
		if s.Pattern == "" || regexp.MustCompile(s.Pattern).MatchString(v) {
			return v
		}
	}
	d.t.Errorf("%s: cannot make text of %d characters matching %s", d.op, n, s.Pattern)
	return ""
}

// maxBytes is a string schema's cap on its UTF-8 size (the x-max-bytes extension).
func maxBytes(s *openapi3.Schema) (int, bool) {
	v, ok := s.Extensions["x-max-bytes"].(float64)
	return int(v), ok
}

// letters is n random lower-case ASCII letters.
func letters(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

// patternViolation is a text within s's length limits that does not match its pattern.
func patternViolation(t *testing.T, s *openapi3.Schema) string {
	re := regexp.MustCompile(s.Pattern)
	for _, v := range []string{"Not a slug!", "   ", "x y", "-", "A"} {
		n := uint64(len([]rune(v)))
		if !re.MatchString(v) && n >= s.MinLength && (s.MaxLength == nil || n <= *s.MaxLength) {
			return v
		}
	}
	t.Errorf("no candidate text violates the pattern %s", s.Pattern)
	return ""
}

// flatten merges a schema's allOf members into one schema (the document uses allOf to add a
// description to a $ref, and could use it to add requirements).
func flatten(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 0 {
		return s
	}
	out := *s
	out.AllOf = nil
	for _, m := range s.AllOf {
		v := flatten(m.Value)
		if out.Type == nil {
			out.Type = v.Type
		}
		out.Format = first(out.Format, v.Format)
		out.Pattern = first(out.Pattern, v.Pattern)
		if out.Enum == nil {
			out.Enum = v.Enum
		}
		if out.Min == nil {
			out.Min = v.Min
		}
		if out.Max == nil {
			out.Max = v.Max
		}
		out.MinLength = max(out.MinLength, v.MinLength)
		if out.MaxLength == nil {
			out.MaxLength = v.MaxLength
		}
		out.MinItems = max(out.MinItems, v.MinItems)
		if out.MaxItems == nil {
			out.MaxItems = v.MaxItems
		}
		if out.Items == nil {
			out.Items = v.Items
		}
		out.UniqueItems = out.UniqueItems || v.UniqueItems
		out.Nullable = out.Nullable || v.Nullable
		if out.AnyOf == nil {
			out.AnyOf = v.AnyOf
		}
		out.Required = append(append([]string{}, out.Required...), v.Required...)
		if len(v.Properties) > 0 {
			props := openapi3.Schemas{}
			for k, p := range out.Properties {
				props[k] = p
			}
			for k, p := range v.Properties {
				props[k] = p
			}
			out.Properties = props
		}
		if out.AdditionalProperties.Has == nil {
			out.AdditionalProperties = v.AdditionalProperties
		}
		ext := map[string]any{}
		for k, e := range v.Extensions {
			ext[k] = e
		}
		for k, e := range out.Extensions {
			ext[k] = e
		}
		out.Extensions = ext
	}
	return &out
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// jsonKind names v's JSON Schema type ("integer" for a whole number).
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int:
		return "integer"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func appendPath(path []any, seg any) []any {
	return append(append([]any{}, path...), seg)
}

// pathName names a path the way problems name fields: "emails[0]", "a.b".
func pathName(path []any) string {
	var b strings.Builder
	for _, seg := range path {
		switch s := seg.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

// params derives the cases of an operation's query and header parameters.
func (d *deriver) params(op *openapi3.Operation, item *openapi3.PathItem) {
	var all openapi3.Parameters
	all = append(append(all, item.Parameters...), op.Parameters...)
	for _, pr := range all {
		p := pr.Value
		if p.In != openapi3.ParameterInQuery && p.In != openapi3.ParameterInHeader || p.Schema == nil {
			continue
		}
		s := flatten(p.Schema.Value)
		refuse := func(what string, v any) { d.add(limitCase{what: what, param: p, value: v, field: p.Name}) }
		accept := func(what string, v any) { d.add(limitCase{what: what, param: p, value: v, accept: true}) }
		switch {
		case s.Type.Is("string"):
			if p.In == openapi3.ParameterInQuery {
				refuse("text that is not UTF-8", notUTF8)
			}
			if bad, ok := badFormat[s.Format]; ok {
				refuse("not a "+s.Format, bad)
			}
			if s.MaxLength != nil {
				m := int(*s.MaxLength)
				accept(fmt.Sprintf("%d characters (maxLength)", m), letters(m))
				refuse(fmt.Sprintf("%d characters (maxLength %d)", m+1, m), letters(m+1))
			}
			if s.Pattern != "" {
				refuse("not matching "+s.Pattern, patternViolation(d.t, s))
			}
		case s.Type.Is("integer"):
			refuse("not a number", "many")
			bounds(s, refuse, accept)
		}
	}
}
