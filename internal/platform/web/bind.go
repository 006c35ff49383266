package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Binder decodes JSON bodies strictly: unknown fields, trailing data and wrong types are 4xx
// errors naming the field, never 500s.
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
	dec := json.NewDecoder(req.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(i); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "We couldn’t read this request. Please refresh the page and try again.")
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
