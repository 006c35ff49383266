package db

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"
)

// QueryJSON runs a statement that selects one JSON value (json_build_object, json_agg) and
// returns it as PostgreSQL rendered it. Data exports use it: the database writes each section
// in one statement, so a section is a consistent snapshot and needs no row structs of its own.
// No row → NotFound.
func QueryJSON(ctx context.Context, g *gorm.DB, query string, args ...any) (json.RawMessage, error) {
	var out *string
	if err := g.WithContext(ctx).Raw(query, args...).Scan(&out).Error; err != nil {
		return nil, Err(err)
	}
	if out == nil {
		return nil, Err(gorm.ErrRecordNotFound)
	}
	return json.RawMessage(*out), nil
}
