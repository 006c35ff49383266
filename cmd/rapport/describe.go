package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// describe turns an application error into one readable line for the terminal.
func describe(err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err
	}
	if len(ae.Fields) == 0 {
		return errors.New(ae.Detail)
	}
	parts := make([]string, len(ae.Fields))
	for i, f := range ae.Fields {
		parts[i] = f.Field + " " + f.Message
	}
	return fmt.Errorf("%s: %s", ae.Detail, strings.Join(parts, "; "))
}
