// Package apperr defines the one error type the application returns across layers. Handlers
// return these; the HTTP error handler maps Kind to a status and renders problem+json.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds of application error. Each maps to exactly one HTTP status.
const (
	Internal Kind = iota
	Invalid
	Unauthorized
	Forbidden
	NotFound
	Conflict
	PaymentRequired
	RateLimited
	Unavailable
	TooLarge
	// Unsupported is a file of a type the server does not take (415).
	Unsupported
	// Gone: the thing existed but its time is over (an expired link).
	Gone
)

// FieldError names one bad input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the application error: a kind, a message safe to show, the offending fields and the
// underlying cause (logged, never sent).
type Error struct {
	Kind   Kind
	Detail string
	Fields []FieldError
	// RetryAfter is set for RateLimited errors, in whole seconds.
	RetryAfter int
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Detail, e.Err)
	}
	return e.Detail
}

// Unwrap exposes the cause to errors.Is / errors.As.
func (e *Error) Unwrap() error { return e.Err }

// New makes an error of a kind with a detail message.
func New(kind Kind, detail string) *Error { return &Error{Kind: kind, Detail: detail} }

// Wrap makes an error of a kind that keeps its cause for the logs.
func Wrap(kind Kind, detail string, err error) *Error {
	return &Error{Kind: kind, Detail: detail, Err: err}
}

// InvalidFields is a validation failure listing every bad field.
func InvalidFields(fields ...FieldError) *Error {
	return &Error{Kind: Invalid, Detail: "Some details need attention. Please check the highlighted fields.", Fields: fields}
}

// Field is a shorthand for one FieldError.
func Field(field, message string) FieldError { return FieldError{Field: field, Message: message} }

// Fields collects the bad fields of one input while it is validated; Err turns them into one
// Invalid error. The zero value is empty and ready to use.
type Fields []FieldError

// Add records that field is bad, with the message to show next to it.
func (f *Fields) Add(field, message string) { *f = append(*f, Field(field, message)) }

// AddErr records fe when it is not nil (for checks that answer a *FieldError or nil).
func (f *Fields) AddErr(fe *FieldError) {
	if fe != nil {
		*f = append(*f, *fe)
	}
}

// Err is one Invalid error listing every collected field, or nil when there is none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return InvalidFields(f...)
}

// Collect is one Invalid error listing the non-nil field errors, or nil when all are nil.
func Collect(errs ...*FieldError) error {
	var f Fields
	for _, e := range errs {
		f.AddErr(e)
	}
	return f.Err()
}

// KindOf reports the kind of err, Internal when it is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is an application error of the given kind.
func Is(err error, kind Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == kind
}
