package db

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// TestErrMapsConstraintViolations: the driver errors a racing write can meet become 409s with a
// sentence, never a 500.
func TestErrMapsConstraintViolations(t *testing.T) {
	for code, want := range map[string]apperr.Kind{
		"23505": apperr.Conflict, // unique
		"23503": apperr.Conflict, // foreign key: the referenced row was just deleted
		"40001": apperr.Conflict, // serialization
	} {
		err := Err(&pgconn.PgError{Code: code})
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != want {
			t.Errorf("code %s: got %v, want kind %v", code, err, want)
		}
	}
}
