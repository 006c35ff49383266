package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Binder decodes JSON bodies strictly: unknown fields, trailing data, wrong types, null for an
// optional field and text that is not valid UTF-8 are 4xx errors naming the field, never 500s.
type Binder struct{}

// Bind implements echo.Binder for JSON request bodies (path and query values are read by handlers).
func (b *Binder) Bind(i interface{}, c echo.Context) error {
	req := c.Request()
	if req.ContentLength == 0 { // Body is never http.NoBody here: the BodyLimit middleware wraps it
		return apperr.New(apperr.Invalid, "We didn’t receive any details with this request. Please fill in the form and try again.")
	}
	ct := req.Header.Get(echo.HeaderContentType)
	if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
		return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "Please send this request as JSON (Content-Type: application/json)."}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(i); err != nil {
		return locate(decodeError(err), body, reflect.TypeOf(i))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "We couldn’t read this request. Please refresh the page and try again.")
	}
	if fe := checkJSON(body, reflect.TypeOf(i), ""); fe != nil {
		return apperr.InvalidFields(*fe)
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return apperr.New(apperr.TooLarge, "This request is too large. Please shorten the text and try again.")
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &echo.HTTPError{Code: http.StatusBadRequest, Message: "We couldn’t read this request. Please refresh the page and try again."}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return apperr.InvalidFields(apperr.Field(field, "This must be "+jsonType(typ.Type)+"."))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.InvalidFields(apperr.Field(name, "This field isn’t expected here. Please refresh the page and try again."))
	default:
		return &echo.HTTPError{Code: http.StatusBadRequest, Message: "We couldn’t read this request. Please refresh the page and try again."}
	}
}

// Messages of the checks encoding/json leaves out: it turns null into "no change" for any field
// and quietly replaces text that is not UTF-8, so both would reach the services unnoticed.
const (
	nullMessage = "This can’t be null. Give it a value, or leave the field out."
	textMessage = "This contains characters we can’t read. Please retype it and try again."
)

// checkJSON walks an already decoded body alongside the Go type it was decoded into and reports
// the first field whose text is not valid UTF-8 (raw bytes or an unpaired \u surrogate escape),
// or whose value is null where Go would read null as "left out": a pointer field, the request
// DTOs' way of saying optional. No request field is nullable; null for any other field decodes
// to its zero value ("", an empty list), which validation refuses like any empty value, and
// json.RawMessage and interface{} fields leave null to their domain. A null body is an empty
// object: validation then names the missing fields. Names follow the validator's: "a.b", "a[0]".
func checkJSON(raw []byte, t reflect.Type, path string) *apperr.FieldError {
	raw = bytes.TrimSpace(raw)
	optional := t != nil && t.Kind() == reflect.Pointer
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (t == rawMessageType || t.Kind() == reflect.Interface) {
		t = nil // untyped: the domain reads it, so only its text is checked
	}
	if t == nil || len(raw) == 0 {
		return textError(raw, path)
	}
	switch raw[0] {
	case 'n':
		if path == "" || !optional {
			return nil
		}
		fe := apperr.Field(path, nullMessage)
		return &fe
	case '"':
		return textError(raw, path)
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return nil
		}
		if fe := textError(raw, orBody(path)); fe != nil && valuesValid(obj) {
			return fe // the bad text is in a key, which names no field
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var ft reflect.Type
			switch t.Kind() {
			case reflect.Struct:
				ft = jsonField(t, k)
			case reflect.Map:
				ft = t.Elem()
			}
			if fe := checkJSON(obj[k], ft, joinPath(path, k)); fe != nil {
				return fe
			}
		}
	case '[':
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			return nil
		}
		var et reflect.Type
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			et = t.Elem()
		}
		for n, v := range arr {
			item := orBody(path) + "[" + strconv.Itoa(n) + "]"
			if et != nil && bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				fe := apperr.Field(item, nullMessage) // a list item is never optional
				return &fe
			}
			if fe := checkJSON(v, et, item); fe != nil {
				return fe
			}
		}
	}
	return nil
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

// locate renames the field of a decoding error inside a list of objects: encoding/json names a
// wrong type "checks.answer" and an unknown field by its key alone, so the body is decoded again
// value by value to name the exact place, "checks[0].answer", like every other error.
func locate(err error, body []byte, t reflect.Type) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || len(ae.Fields) != 1 {
		return err
	}
	if path, ok := decodeFails(body, t, ""); ok && path != "" {
		ae.Fields[0].Field = path
	}
	return err
}

// decodeFails finds the first place in raw that does not decode into t (a wrong type or an
// unknown field) and reports its path.
func decodeFails(raw []byte, t reflect.Type, path string) (string, bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t == rawMessageType || t.Kind() == reflect.Interface {
		return "", false
	}
	raw = bytes.TrimSpace(raw)
	strict := func(v []byte, t reflect.Type) error {
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.DisallowUnknownFields()
		return dec.Decode(reflect.New(t).Interface())
	}
	if len(raw) == 0 || strict(raw, t) == nil {
		return "", false
	}
	switch {
	case raw[0] == '{' && t.Kind() == reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return path, true
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft := jsonField(t, k)
			if ft == nil {
				return joinPath(path, k), true
			}
			if p, ok := decodeFails(obj[k], ft, joinPath(path, k)); ok {
				return p, true
			}
		}
	case raw[0] == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			return path, true
		}
		for n, v := range arr {
			if p, ok := decodeFails(v, t.Elem(), orBody(path)+"["+strconv.Itoa(n)+"]"); ok {
				return p, true
			}
		}
	}
	return path, true
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// textError names path when raw (a JSON value, or part of one) holds text that is not valid UTF-8.
func textError(raw []byte, path string) *apperr.FieldError {
	if validText(raw) {
		return nil
	}
	fe := apperr.Field(orBody(path), textMessage)
	return &fe
}

// valuesValid reports whether every value of obj is valid text (so invalid text around them must be
// in a key).
func valuesValid(obj map[string]json.RawMessage) bool {
	for _, v := range obj {
		if !validText(v) {
			return false
		}
	}
	return true
}

// validText reports whether raw JSON is valid UTF-8 and every \u escape for a UTF-16 surrogate is
// one half of a pair. (encoding/json accepts both and substitutes U+FFFD.)
func validText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // skip the escaped character, which may itself be a backslash
			continue
		}
		r := hex4(raw, i+2)
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if i+7 < len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
				if lo := hex4(raw, i+8); lo >= 0xDC00 && lo <= 0xDFFF {
					i += 11
					continue
				}
			}
			return false
		case r >= 0xDC00 && r <= 0xDFFF:
			return false
		}
		i += 5
	}
	return true
}

// hex4 reads four hex digits at raw[i:], or -1.
func hex4(raw []byte, i int) int {
	if i+4 > len(raw) {
		return -1
	}
	n, err := strconv.ParseUint(string(raw[i:i+4]), 16, 32)
	if err != nil {
		return -1
	}
	return int(n)
}

// jsonField finds the type of the struct field encoding/json decodes key into (exact json name
// first, then case-insensitively, through embedded structs); nil when there is none.
func jsonField(t reflect.Type, key string) reflect.Type {
	var fold reflect.Type
	for n := 0; n < t.NumField(); n++ {
		f := t.Field(n)
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				if ft := jsonField(et, key); ft != nil {
					return ft
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f.Type
		}
		if fold == nil && strings.EqualFold(name, key) {
			fold = f.Type
		}
	}
	return fold
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "yes or no"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a group of values"
	default:
		return "a number"
	}
}

// Validator wraps go-playground/validator, reporting fields by their JSON names.
type Validator struct{ v *validator.Validate }

// NewValidator builds a validator that names fields by their json tag.
func NewValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		return name
	})
	return &Validator{v: v}
}

// Validate implements echo.Validator, returning an Invalid error listing every bad field.
func (v *Validator) Validate(i interface{}) error {
	err := v.v.Struct(i)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return apperr.Wrap(apperr.Invalid, "We couldn’t read this request. Please refresh the page and try again.", err)
	}
	fields := make([]apperr.FieldError, 0, len(ves))
	for _, fe := range ves {
		ns := fe.Namespace()
		if i := strings.Index(ns, "."); i >= 0 {
			ns = ns[i+1:]
		}
		fields = append(fields, apperr.Field(ns, message(fe)))
	}
	return apperr.InvalidFields(fields...)
}

func message(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "Please fill in this field."
	case "email":
		return "Enter a valid e-mail address, such as name@company.com."
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("Use at least %s characters.", fe.Param())
		}
		return "Enter " + fe.Param() + " or more."
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("Use at most %s characters.", fe.Param())
		}
		return "Enter " + fe.Param() + " or less."
	case "oneof":
		return "Choose one of: " + strings.Join(strings.Fields(fe.Param()), ", ") + "."
	case "uuid", "uuid4":
		return "This ID isn’t valid. Please refresh the page and try again."
	default:
		return "This value isn’t valid. Please check it and try again."
	}
}

// BindValid binds the JSON body into dst and validates it.
func BindValid(c echo.Context, dst interface{}) error {
	if err := c.Bind(dst); err != nil {
		return err
	}
	return c.Validate(dst)
}

// UUIDParam reads a path parameter that must be a UUID; anything else is a 404 (no such thing).
func UUIDParam(c echo.Context, name string) (string, error) {
	v := c.Param(name)
	if _, err := uuid.Parse(v); err != nil || len(v) != 36 {
		return "", apperr.New(apperr.NotFound, "We couldn’t find what you were looking for. Check the link and try again.")
	}
	return strings.ToLower(v), nil
}
